"""The roster's rules: who is on it, who holds which role, who has lost access."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from network_bot.blocks.roster import role_changed_dm
from network_bot.clock import Clock, iso
from network_bot.i18n import Messages, say
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.store import audit, members, outbox
from network_bot.store.audit import Outcome
from network_bot.store.db import Database
from network_bot.store.members import AlertPref, Member
from network_bot.store.outbox import Outgoing, Purpose, RefKind


class RosterError(Refusal):
    """A roster change that is not allowed; the message is meant for the person asking."""


@dataclass(frozen=True, kw_only=True)
class Profile:
    """The parts of a Slack user profile the roster keeps."""

    display_name: str
    real_name: str
    tz: str | None
    tz_offset: int | None
    deleted: bool
    locale: str | None = None  # only when asked for with include_locale=true

    @classmethod
    def from_slack(cls, user: dict[str, Any]) -> Profile:
        """From a Slack user object (``users.info`` or a ``user_change`` event)."""
        profile = user.get("profile") or {}
        offset = user.get("tz_offset")
        return cls(
            display_name=str(profile.get("display_name") or user.get("name") or ""),
            real_name=str(profile.get("real_name") or user.get("real_name") or ""),
            tz=str(user["tz"]) if user.get("tz") else None,
            tz_offset=int(offset) if isinstance(offset, int | float) else None,
            deleted=bool(user.get("deleted")),
            locale=str(user["locale"]) if user.get("locale") else None,
        )


class Roster:
    """Every roster write goes through here, so the in-process cache of entries stays current.

    The cache spares each request a database round-trip to learn who is asking; it is filled on
    first use and replaced after every write commits.
    """

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        profile_ttl: timedelta,
        language_of: Callable[[str | None], str | None],
        fallback_language: str,
        messages_for: Callable[[str | None], Messages],
    ) -> None:
        self._db = db
        self._clock = clock
        self._messages_for = messages_for  # a language's catalogue, for DMs this service queues
        self._profile_ttl = profile_ttl
        self._language_of = language_of  # a Slack locale to a language the bot speaks
        self._fallback_language = fallback_language
        self._cache: dict[str, Member] = {}

    async def get(self, user_id: str) -> Member | None:
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached
        found = await members.get(self._db.read, user_id)
        self._remember(found)
        return found

    def forget_all(self) -> None:
        """Read every entry afresh: access changed outside the roster (a workspace's approval)."""
        self._cache.clear()

    def _remember(self, member: Member | None) -> None:
        if member is not None:
            self._cache[member.user_id] = member

    async def identify(
        self,
        *,
        user_id: str,
        team_id: str | None,
        name_hint: str,
        workspace_id: str | None = None,
        enterprise_id: str | None = None,
    ) -> tuple[Member, bool]:
        """The roster entry for whoever is asking, created on their first use of the bot (then
        the second value is True: their first contact).

        A member is known by user and workspace: ``workspace_id`` (the approved workspace or
        organisation the request came through) is recorded, and kept current for someone who
        uses the bot from another of their organisation's workspaces.
        """
        found = await self.get(user_id)
        if found is not None and (
            workspace_id is None or not found.is_active or found.workspace_id == workspace_id
        ):
            return found, False
        new = False
        async with self._db.transaction() as tx:
            if found is None:
                new = await members.add_if_new(
                    tx,
                    user_id=user_id,
                    team_id=team_id,
                    display_name=name_hint[:80],
                    now=self._clock.now(),
                    workspace_id=workspace_id,
                    enterprise_id=enterprise_id,
                )
            else:
                assert workspace_id is not None
                await members.set_workspace(
                    tx,
                    user_id=user_id,
                    team_id=team_id,
                    workspace_id=workspace_id,
                    enterprise_id=enterprise_id,
                    now=self._clock.now(),
                )
            created = await members.get(tx, user_id)
        assert created is not None
        self._remember(created)
        return created, new

    def profile_is_stale(self, member: Member) -> bool:
        checked = member.profile_checked_at
        return checked is None or self._clock.now() - checked > self._profile_ttl

    async def apply_profile(self, user_id: str, profile: Profile, *, source: str) -> None:
        """Store what Slack says about someone; a deleted account loses access in the same step."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            current = await members.get(tx, user_id)
            if current is None:
                return
            await members.update_profile(
                tx,
                user_id=user_id,
                display_name=profile.display_name[:80],
                real_name=profile.real_name[:80],
                tz=profile.tz,
                tz_offset=profile.tz_offset,
                is_active=not profile.deleted,
                now=now,
            )
            if profile.locale is not None:
                await members.set_language(
                    tx,
                    user_id=user_id,
                    language=self._language_of(profile.locale) or self._fallback_language,
                    chosen=False,
                    now=now,
                )
            if current.is_active == profile.deleted:
                await audit.record(
                    tx,
                    at=now,
                    actor_id="slack",
                    action="member.deactivated" if profile.deleted else "member.reactivated",
                    target=user_id,
                    outcome=Outcome.CHANGED,
                    detail=source,
                )
            updated = await members.get(tx, user_id)
        self._remember(updated)

    async def seed_admins(self, user_ids: tuple[str, ...]) -> list[str]:
        """Make the configured users admins at start-up; return those whose role changed."""
        promoted = []
        now = self._clock.now()
        async with self._db.transaction() as tx:
            for user_id in user_ids:
                await members.add_if_new(
                    tx, user_id=user_id, team_id=None, display_name="", now=now
                )
                current = await members.get(tx, user_id)
                if current is not None and current.role is not Role.ADMIN:
                    await members.set_role(tx, user_id=user_id, role=Role.ADMIN, now=now)
                    await audit.record(
                        tx,
                        at=now,
                        actor_id="settings",
                        action="role.change",
                        target=user_id,
                        outcome=Outcome.CHANGED,
                        detail=f"{current.role.value} -> admin (NETWORK_BOT_ADMINS)",
                    )
                    promoted.append(user_id)
        self._cache.clear()
        return promoted

    async def change_role(self, *, actor: Member, target_id: str, role: Role) -> Member:
        """An admin gives someone a role; the network never loses its last admin; the person is
        told in a DM (queued with the change, so it goes out once the change is saved)."""
        require(actor, Role.ADMIN)
        if target_id == actor.user_id and role is not Role.ADMIN:
            raise RosterError(say("You can't lower your own role. Ask another admin to do it."))
        now = self._clock.now()
        async with self._db.transaction() as tx:
            target = await members.get(tx, target_id)
            if target is None:
                await members.add_if_new(
                    tx, user_id=target_id, team_id=actor.team_id, display_name="", now=now
                )
                target = await members.get(tx, target_id)
                assert target is not None
            if not target.is_active:
                raise RosterError(
                    say("That person's Slack account is deactivated, so their role stays.")
                )
            if target.role is role:
                raise RosterError(say("They are already *{role}*.", role=role))
            if target.role is Role.ADMIN and await members.count_active(tx, role=Role.ADMIN) <= 1:
                raise RosterError(
                    say("They are the network's only admin. Make someone else an admin first.")
                )
            await members.set_role(tx, user_id=target_id, role=role, now=now)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="role.change",
                target=target_id,
                outcome=Outcome.CHANGED,
                detail=f"{target.role.value} -> {role.value}",
            )
            await outbox.enqueue(
                tx,
                [
                    Outgoing.dm(
                        user_id=target_id,
                        purpose=Purpose.ROLE_CHANGE,
                        payload=role_changed_dm(
                            was=target.role,
                            now=role,
                            by=actor.user_id,
                            lang=self._messages_for(target.language),
                        ),
                        ref_kind=RefKind.MEMBER,
                        dedupe_key=f"role-change:{target_id}:{iso(now)}:{role.value}",
                    )
                ],
                now=now,
            )
            updated = await members.get(tx, target_id)
        assert updated is not None
        self._remember(updated)
        return updated

    async def update_details(
        self,
        member: Member,
        *,
        organisation: str | None,
        country: str | None,
        language: str | None,
    ) -> Member:
        async with self._db.transaction() as tx:
            await members.set_details(
                tx,
                user_id=member.user_id,
                organisation=organisation if organisation is not None else member.organisation,
                country=country if country is not None else member.country,
                language=language if language is not None else member.language,
                now=self._clock.now(),
            )
            updated = await members.get(tx, member.user_id)
        assert updated is not None
        self._remember(updated)
        return updated

    async def choose_language(self, member: Member, language: str) -> Member:
        """The member's own choice (``/network language``); Slack's locale no longer changes it."""
        code = self._language_of(language)
        if code is None:
            raise RosterError(say("The bot does not speak that language yet."))
        async with self._db.transaction() as tx:
            await members.set_language(
                tx, user_id=member.user_id, language=code, chosen=True, now=self._clock.now()
            )
            updated = await members.get(tx, member.user_id)
        assert updated is not None
        self._remember(updated)
        return updated

    async def set_alert_pref(self, member: Member, pref: AlertPref) -> Member:
        async with self._db.transaction() as tx:
            await members.set_alert_pref(
                tx, user_id=member.user_id, pref=pref, now=self._clock.now()
            )
            updated = await members.get(tx, member.user_id)
        assert updated is not None
        self._remember(updated)
        return updated

    async def list(
        self, actor: Member, *, role: Role | None, limit: int, offset: int
    ) -> tuple[list[Member], int]:
        """The roster, for coordinators."""
        require(actor, Role.COORDINATOR)
        rows = await members.list_active(self._db.read, role=role, limit=limit, offset=offset)
        return rows, await members.count_active(self._db.read, role=role)

    async def record_refusal(self, *, actor_id: str, action: str, detail: str) -> None:
        async with self._db.transaction() as tx:
            await audit.record(
                tx,
                at=self._clock.now(),
                actor_id=actor_id,
                action=action,
                outcome=Outcome.REFUSED,
                detail=detail,
            )

    async def audit_trail(
        self,
        actor: Member,
        *,
        person: str | None,
        target: str | None,
        since: datetime | None,
        everything: bool,
        limit: int = 40,
    ) -> Sequence[audit.AuditEntry]:
        """What admins review: by default reads of restricted data, roles and redactions."""
        require(actor, Role.ADMIN)
        return await audit.search(
            self._db.read,
            person=person,
            target=target,
            since=since,
            actions=() if everything else audit.SENSITIVE_ACTIONS,
            limit=limit,
        )
