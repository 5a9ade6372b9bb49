"""Which workspaces belong to the network: approving, removing, and losing a workspace.

Every request asks :meth:`Workspaces.standing` about the workspace it came from, so the answer is
kept in process and read again from the database at most every ``ttl`` seconds (an admin may
approve or remove one from the command line while the bot runs) and at once after a change made
here. When it cannot tell, the answer is "not approved": nothing reaches a workspace the
network's admins have not approved.

Removing a workspace (an admin, ``app_uninstalled``, ``tokens_revoked``) cancels everything
still queued for it and takes access from its members in the same transaction; their roster
entries stay for the record, and approving the workspace again gives that access back.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from network_bot.blocks import workspaces as render
from network_bot.clock import Clock
from network_bot.i18n import Catalogue, say
from network_bot.oauth.installation_store import WORKSPACES
from network_bot.refusal import Refusal
from network_bot.roles import Actor, Role, require
from network_bot.store import audit, members, outbox, workspaces
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database, StorageError
from network_bot.store.outbox import Outgoing, Purpose, RefKind
from network_bot.store.workspaces import Approval, Workspace


class WorkspaceError(Refusal):
    """A workspace change that is not possible; the message says why and what to do."""


@dataclass(frozen=True, kw_only=True)
class Change:
    workspace: Workspace
    members: int  # members whose access changed
    cancelled: int = 0  # deliveries stopped


@dataclass(frozen=True, kw_only=True)
class Standing:
    """What the network knows about the workspace a request comes from."""

    approved: bool
    workspace_id: str | None  # the approval unit (team, or org for an org-wide install)
    state: Approval | None  # None: not known to the network (or it cannot tell now)


class Workspaces:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        home: str | None,
        catalogue: Catalogue | None = None,
        ttl: float = 2.0,
    ) -> None:
        """``catalogue``: the languages admins read the install notice in (English without)."""
        self._db = db
        self._clock = clock
        self._catalogue = catalogue or Catalogue()
        self.home = home
        self._ttl = ttl
        self._loaded_at = float("-inf")
        self._approved: dict[str, Workspace] = {}
        self._known: dict[str, Approval] = {}
        self._organisation_of: dict[str, str | None] = {}  # a team installed on its own
        self._listeners: list[Callable[[], None]] = []
        db.on_commit(WORKSPACES, self.forget)

    # ------------------------------------------------------------------ what requests ask

    def on_change(self, listener: Callable[[], None]) -> None:
        """Called when approvals changed (here or, noticed on reload, from the command line)."""
        self._listeners.append(listener)

    def forget(self) -> None:
        self._loaded_at = float("-inf")

    async def _load(self) -> None:
        if time.monotonic() - self._loaded_at < self._ttl:
            return
        rows = await workspaces.list_all(self._db.read)
        approved = {w.workspace_id: w for w in rows if w.state is Approval.APPROVED}
        changed = set(approved) != set(self._approved)
        self._approved = approved
        self._known = {w.workspace_id: w.state for w in rows}
        self._organisation_of = {
            w.workspace_id: w.enterprise_id for w in rows if not w.is_enterprise_install
        }
        self._loaded_at = time.monotonic()
        if changed:
            for listener in self._listeners:
                listener()

    async def standing(
        self, *, team_id: str | None, enterprise_id: str | None, org_wide: bool
    ) -> Standing:
        """Whether a request from this team (of this organisation) comes from the network.

        A request through an org-wide install answers for its organisation, which must be
        approved as such; any other for its team. Storage trouble answers "not approved", and
        so does an org-wide request from a team the network knows, from its own install, to
        belong to no organisation or to another: the request and the record disagree.
        """
        unit = enterprise_id if org_wide else team_id
        try:
            await self._load()
        except StorageError:
            return Standing(approved=False, workspace_id=unit, state=None)
        if (
            org_wide
            and team_id in self._organisation_of
            and self._organisation_of[team_id] != enterprise_id
        ):
            return Standing(approved=False, workspace_id=unit, state=None)
        found = self._approved.get(unit or "")
        approved = found is not None and found.is_enterprise_install == org_wide
        return Standing(approved=approved, workspace_id=unit, state=self._known.get(unit or ""))

    async def is_approved(self, workspace_id: str) -> bool | None:
        """For the sender: may a message go out through this workspace now? None: the
        database cannot say right now (the sender waits rather than guess)."""
        if not workspace_id or workspace_id == self.home:
            return True  # '' is the home workspace, part of the network from the start
        try:
            await self._load()
        except StorageError:
            return None
        return workspace_id in self._approved

    async def network_teams(self) -> frozenset[str]:
        """The teams that are the network (for Slack Connect): the home team and each approved
        workspace. An org-wide install's workspaces are not listed one by one, so a channel
        shared with them counts as shared outside: the guard stays closed when unsure."""
        try:
            await self._load()
        except StorageError:
            return frozenset()
        teams = {w for w, found in self._approved.items() if not found.is_enterprise_install}
        return frozenset({*teams, *([self.home] if self.home else [])})

    async def names(self) -> dict[str, str]:
        """Each known workspace's name by ID ('' and the home ID: the home one); empty with one
        bot token, where there is only one workspace to speak of."""
        if self.home is None:
            return {}
        try:
            rows = await workspaces.list_all(self._db.read)
        except StorageError:
            return {}
        found = {w.workspace_id: w.name or w.workspace_id for w in rows}
        found[""] = found.get(self.home, self.home)
        return found

    async def lanes(self) -> set[str]:
        """The workspaces the sender keeps a lane for ('' the home one)."""
        try:
            await self._load()
        except StorageError:
            return {""}
        return {"", *self._approved}

    async def approved(self) -> dict[str, Workspace]:
        await self._load()
        return dict(self._approved)

    # ------------------------------------------------------------------ admins decide

    async def ensure_home(self) -> bool:
        """The secretariat's workspace is part of the network from the start; True if that
        needed a change now (audited as the settings' doing)."""
        if self.home is None:
            return False
        now = self._clock.now()
        async with self._db.transaction() as tx:
            await workspaces.add_known(tx, workspace_id=self.home, now=now)
            found = await workspaces.get(tx, self.home)
            assert found is not None
            if found.state is Approval.APPROVED:
                return False
            await self._set(
                tx, found, Approval.APPROVED, by="settings", why="NETWORK_BOT_HOME_TEAM"
            )
        return True

    async def list(self, actor: Actor) -> list[Workspace]:
        require(actor, Role.ADMIN)
        return await workspaces.list_all(self._db.read)

    async def member_counts(self, actor: Actor) -> dict[str, int]:
        """Active members per workspace (the home workspace's under its ID)."""
        require(actor, Role.ADMIN)
        counts = await members.active_by_workspace(self._db.read)
        if self.home:
            counts[self.home] = counts.get(self.home, 0) + counts.pop("", 0)
        return counts

    async def installed(self, tx: Conn, workspace: Workspace) -> None:
        """A workspace waits for approval: tell the network's admins, with the buttons to act.
        (Called by the installation store inside the install's transaction.)"""
        if workspace.state is not Approval.PENDING:
            return
        admins = await members.list_active(tx, role=Role.ADMIN, limit=1000)
        await outbox.enqueue(
            tx,
            [
                Outgoing.dm(
                    purpose=Purpose.WORKSPACE,
                    user_id=admin.user_id,
                    payload=render.install_notice(
                        workspace, members=0, lang=self._catalogue.get(admin.language)
                    ),
                    priority=10,
                    ref_kind=RefKind.WORKSPACE,
                    dedupe_key=f"workspace-installed:{workspace.workspace_id}:"
                    f"{workspace.installed_at:%Y%m%dT%H%M%S}:{admin.user_id}",
                )
                for admin in admins
            ],
            now=self._clock.now(),
        )

    async def lost(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        org_wide: bool,
        why: str,
        forget_install: Callable[[Conn], Awaitable[object]],
    ) -> Change | None:
        """Slack took the bot away (``app_uninstalled``, ``tokens_revoked``): the install is
        deleted, the workspace leaves the network, its queue is cancelled and its members lose
        access, all in one transaction. None if the network never knew the workspace."""
        unit = enterprise_id if org_wide else team_id
        if not unit:
            return None
        async with self._db.transaction() as tx:
            await forget_install(tx)
            found = await workspaces.get(tx, unit)
            if found is None:
                return None
            await workspaces.mark_uninstalled(tx, workspace_id=unit, now=self._clock.now(), why=why)
            suspended, cancelled = 0, 0
            if found.state is not Approval.REMOVED:
                suspended, cancelled = await self._leave(tx, found, by="slack", why=why)
            else:
                cancelled = await outbox.cancel_for_workspace(tx, workspace_id=unit, why=why)
            tx.after_commit(WORKSPACES)
            updated = await workspaces.get(tx, unit)
        assert updated is not None
        return Change(workspace=updated, members=suspended, cancelled=cancelled)

    async def approve(self, *, actor: Actor, by: str, workspace_id: str) -> Change:
        require(actor, Role.ADMIN)
        async with self._db.transaction() as tx:
            found = await self._existing(tx, workspace_id)
            if found.state is Approval.APPROVED:
                raise WorkspaceError(
                    say("{workspace} is already part of the network.", workspace=found.label)
                )
            if not found.installed:
                raise WorkspaceError(
                    say(
                        "{workspace} has not installed the bot (or uninstalled it). Ask its "
                        "admins to install it first; it then waits here for approval.",
                        workspace=found.label,
                    )
                )
            restored = await self._set(tx, found, Approval.APPROVED, by=by, why="approved")
            updated = await workspaces.get(tx, workspace_id)
        assert updated is not None
        return Change(workspace=updated, members=restored)

    async def remove(self, *, actor: Actor, by: str, workspace_id: str) -> Change:
        require(actor, Role.ADMIN)
        async with self._db.transaction() as tx:
            found = await self._existing(tx, workspace_id)
            if workspace_id == self.home:
                raise WorkspaceError(
                    say(
                        "{workspace} is the secretariat's home workspace "
                        "(NETWORK_BOT_HOME_TEAM), so it cannot be removed.",
                        workspace=found.label,
                    )
                )
            if found.state is Approval.REMOVED:
                raise WorkspaceError(say("{workspace} is already removed.", workspace=found.label))
            suspended, cancelled = await self._leave(tx, found, by=by, why="removed by an admin")
            updated = await workspaces.get(tx, workspace_id)
        assert updated is not None
        return Change(workspace=updated, members=suspended, cancelled=cancelled)

    async def _existing(self, tx: Conn, workspace_id: str) -> Workspace:
        found = await workspaces.get(tx, workspace_id.strip().upper())
        if found is None:
            raise WorkspaceError(
                say(
                    "No workspace {workspace} has installed the bot. See them all with "
                    "`network-bot workspaces list` or `/network workspaces`.",
                    workspace=workspace_id[:30],
                )
            )
        return found

    async def _set(self, tx: Conn, found: Workspace, state: Approval, *, by: str, why: str) -> int:
        now = self._clock.now()
        await workspaces.decide(tx, workspace_id=found.workspace_id, state=state, by=by, now=now)
        restored = 0
        if state is Approval.APPROVED:
            restored = await members.restore_workspace(tx, workspace_id=found.workspace_id, now=now)
        await audit.record(
            tx,
            at=now,
            actor_id=by,
            action=f"workspace.{state.value}",
            target=found.workspace_id,
            outcome=Outcome.CHANGED,
            detail=f"{found.name[:80]}: {found.state.value} -> {state.value} ({why}); "
            f"members restored: {restored}",
        )
        tx.after_commit(WORKSPACES)
        return restored

    async def _leave(self, tx: Conn, found: Workspace, *, by: str, why: str) -> tuple[int, int]:
        """Out of the network: nothing more is sent there and its members lose access."""
        now = self._clock.now()
        await workspaces.decide(
            tx, workspace_id=found.workspace_id, state=Approval.REMOVED, by=by, now=now, detail=why
        )
        cancelled = await outbox.cancel_for_workspace(
            tx, workspace_id=found.workspace_id, why=f"workspace {why}"
        )
        suspended = await members.suspend_workspace(tx, workspace_id=found.workspace_id, now=now)
        await audit.record(
            tx,
            at=now,
            actor_id=by,
            action="workspace.removed",
            target=found.workspace_id,
            outcome=Outcome.CHANGED,
            detail=f"{found.name[:80]}: {why}; members suspended: {suspended}, "
            f"pending messages cancelled: {cancelled}",
        )
        tx.after_commit(WORKSPACES)
        return suspended, cancelled
