"""bolt's own installation-store interface, on the bot's SQLite file, tokens encrypted.

bolt's OAuth flow saves each install here and its authorize middleware (``AsyncInstallationStore
Authorize``) finds each request's token here, both unmodified. The semantics are slack_sdk's SQL
stores': an org-wide install (``is_enterprise_install``) is stored without a team and found for
every workspace of its organisation; the newest row wins; a token rotation (same workspace, same
``installed_at``) updates its rows in place. Credentials are sealed with Fernet before they are
written and opened after they are read, so the file never holds a usable token.

Saving an install also records the workspace for the network's admins to approve (the home
workspace is approved at once) and audits it, in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation

from network_bot.clock import Clock
from network_bot.store import audit, installations, workspaces
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database, StorageError
from network_bot.store.workspaces import Approval, Workspace
from network_bot.tokens import TokenCipher, TokenUnreadable

WORKSPACES = "workspaces"  # the after-commit topic: a workspace was installed or decided
Installed = Callable[[Conn, Workspace], Awaitable[None]]

SEALED_INSTALLATION = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)
SEALED_BOT = ("bot_token", "bot_refresh_token")


def workspace_key(*, enterprise_id: str | None, team_id: str | None, org_wide: bool) -> str:
    """The unit the network approves: the team, or the organisation of an org-wide install."""
    key = enterprise_id if org_wide else team_id
    if not key:
        raise ValueError("an install names neither a team nor (org-wide) an organisation")
    return key


def _blank(value: str | None) -> str:
    return value or ""


def _none(value: Any) -> Any:
    return None if value == "" else value


class NetworkInstallationStore(AsyncInstallationStore):
    def __init__(
        self,
        *,
        db: Database,
        cipher: TokenCipher,
        client_id: str,
        clock: Clock,
        home_workspace: str | None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self.client_id = client_id
        self._clock = clock
        self._home = home_workspace
        self._logger = logger or logging.getLogger("network_bot.oauth")
        self.on_installed: Installed | None = None  # told, in the transaction, of an install

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # ------------------------------------------------------------------ saving

    async def async_save(self, installation: Installation) -> None:
        bot = installation.to_bot() if installation.bot_token else None
        async with self._db.transaction() as tx:
            row = self._sealed(installation.to_dict(), SEALED_INSTALLATION)
            row["user_id"] = _blank(installation.user_id)
            new = await installations.save_installation(tx, row)
            if bot is not None:
                await installations.save_bot(tx, self._sealed(bot.to_dict(), SEALED_BOT))
            if new:
                await self._record_install(tx, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        async with self._db.transaction() as tx:
            await installations.save_bot(tx, self._sealed(bot.to_dict(), SEALED_BOT))

    def _sealed(self, values: Mapping[str, Any], sealed: tuple[str, ...]) -> dict[str, Any]:
        row = dict(values)
        row["client_id"] = self.client_id
        row["enterprise_id"] = _blank(row.get("enterprise_id"))
        # slack_sdk's rule: an org-wide install has no team (it may name the installing one).
        row["team_id"] = "" if row.get("is_enterprise_install") else _blank(row.get("team_id"))
        row["is_enterprise_install"] = int(bool(row.get("is_enterprise_install")))
        for key in ("installed_at", "bot_token_expires_at", "user_token_expires_at"):
            if row.get(key) is not None:
                row[key] = row[key].timestamp()
        for key in ("bot_token_expires_at", "user_token_expires_at"):
            if row.get(key) is not None:
                row[key] = int(row[key])
        for key in sealed:
            row[key] = self._cipher.seal(row.get(key))
        return row

    async def _record_install(self, tx: Conn, installation: Installation) -> None:
        org_wide = bool(installation.is_enterprise_install)
        key = workspace_key(
            enterprise_id=installation.enterprise_id,
            team_id=installation.team_id,
            org_wide=org_wide,
        )
        now = self._clock.now()
        name = (installation.enterprise_name if org_wide else installation.team_name) or ""
        before, after = await workspaces.record_install(
            tx,
            workspace_id=key,
            enterprise_id=installation.enterprise_id,
            is_enterprise_install=org_wide,
            name=name,
            installed_by=installation.user_id or None,
            now=now,
        )
        if key == self._home and after is not Approval.APPROVED:
            await workspaces.decide(
                tx,
                workspace_id=key,
                state=Approval.APPROVED,
                by="settings",
                now=now,
                detail="NETWORK_BOT_HOME_TEAM",
            )
            after = Approval.APPROVED
        await audit.record(
            tx,
            at=now,
            actor_id=installation.user_id or "slack",
            action="workspace.installed",
            target=key,
            outcome=Outcome.CHANGED,
            detail=f"{name[:80]}: {before.value if before else 'new'} -> {after.value}",
        )
        tx.after_commit(WORKSPACES)
        entry = await workspaces.get(tx, key)
        if self.on_installed is not None and entry is not None:
            await self.on_installed(tx, entry)

    # ------------------------------------------------------------------ finding

    @staticmethod
    def _where(
        enterprise_id: str | None, team_id: str | None, org_wide: bool | None
    ) -> tuple[str, str]:
        # slack_sdk's rule: an org-wide install is found without its team.
        team = "" if org_wide or team_id is None else team_id
        return _blank(enterprise_id), team

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        enterprise, team = self._where(enterprise_id, team_id, is_enterprise_install)
        try:
            row = await installations.find_bot(
                self._db.read, client_id=self.client_id, enterprise_id=enterprise, team_id=team
            )
            return None if row is None else self._bot(row)
        except (StorageError, TokenUnreadable) as error:
            self._logger.error("could not read the bot of %s: %s", team or enterprise, error)
            return None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        enterprise, team = self._where(enterprise_id, team_id, is_enterprise_install)
        conn = self._db.read
        try:
            row = await installations.find_installation(
                conn,
                client_id=self.client_id,
                enterprise_id=enterprise,
                team_id=team,
                user_id=user_id,
            )
            if row is None:
                return None
            if user_id is not None or row["bot_token"] is None:
                # The newest bot token of the workspace, whoever installed last (bolt-python#664).
                latest = await installations.latest_bot_token_row(
                    conn, client_id=self.client_id, enterprise_id=enterprise, team_id=team
                )
                if latest is not None:
                    for key in (
                        "bot_token",
                        "bot_id",
                        "bot_user_id",
                        "bot_scopes",
                        "bot_refresh_token",
                        "bot_token_expires_at",
                    ):
                        row[key] = latest[key]
            return self._installation(row)
        except (StorageError, TokenUnreadable) as error:
            self._logger.error("could not read the install of %s: %s", team or enterprise, error)
            return None

    def _bot(self, row: dict[str, Any]) -> Bot:
        token = self._cipher.open(row["bot_token"])
        assert token is not None
        return Bot(
            app_id=row["app_id"],
            enterprise_id=_none(row["enterprise_id"]),
            enterprise_name=row["enterprise_name"],
            team_id=_none(row["team_id"]),
            team_name=row["team_name"],
            bot_token=token,
            bot_id=row["bot_id"],
            bot_user_id=row["bot_user_id"],
            bot_scopes=row["bot_scopes"] or "",
            bot_refresh_token=self._cipher.open(row["bot_refresh_token"]),
            bot_token_expires_at=row["bot_token_expires_at"],
            is_enterprise_install=bool(row["is_enterprise_install"]),
            installed_at=float(row["installed_at"]),
        )

    def _installation(self, row: dict[str, Any]) -> Installation:
        return Installation(
            app_id=row["app_id"],
            enterprise_id=_none(row["enterprise_id"]),
            enterprise_name=row["enterprise_name"],
            enterprise_url=row["enterprise_url"],
            team_id=_none(row["team_id"]),
            team_name=row["team_name"],
            bot_token=self._cipher.open(row["bot_token"]),
            bot_id=row["bot_id"],
            bot_user_id=row["bot_user_id"],
            bot_scopes=row["bot_scopes"] or "",
            bot_refresh_token=self._cipher.open(row["bot_refresh_token"]),
            bot_token_expires_at=row["bot_token_expires_at"],
            user_id=row["user_id"],
            user_token=self._cipher.open(row["user_token"]),
            user_scopes=row["user_scopes"] or "",
            user_refresh_token=self._cipher.open(row["user_refresh_token"]),
            user_token_expires_at=row["user_token_expires_at"],
            incoming_webhook_url=self._cipher.open(row["incoming_webhook_url"]),
            incoming_webhook_channel=row["incoming_webhook_channel"],
            incoming_webhook_channel_id=row["incoming_webhook_channel_id"],
            incoming_webhook_configuration_url=row["incoming_webhook_configuration_url"],
            is_enterprise_install=bool(row["is_enterprise_install"]),
            token_type=row["token_type"],
            installed_at=float(row["installed_at"]),
        )

    # ------------------------------------------------------------------ deleting

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self._db.transaction() as tx:
            await self.delete_bot_in(tx, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
    ) -> None:
        async with self._db.transaction() as tx:
            await installations.delete_installation(
                tx,
                client_id=self.client_id,
                enterprise_id=_blank(enterprise_id),
                team_id=_blank(team_id),
                user_id=user_id,
            )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self._db.transaction() as tx:
            await self.delete_all_in(tx, enterprise_id=enterprise_id, team_id=team_id)

    async def delete_bot_in(
        self, tx: Conn, *, enterprise_id: str | None, team_id: str | None
    ) -> int:
        """Delete a workspace's bots inside the caller's transaction (the uninstall handler)."""
        return await installations.delete_bot(
            tx,
            client_id=self.client_id,
            enterprise_id=_blank(enterprise_id),
            team_id=_blank(team_id),
        )

    async def delete_all_in(
        self, tx: Conn, *, enterprise_id: str | None, team_id: str | None
    ) -> None:
        await self.delete_bot_in(tx, enterprise_id=enterprise_id, team_id=team_id)
        await installations.delete_installation(
            tx,
            client_id=self.client_id,
            enterprise_id=_blank(enterprise_id),
            team_id=_blank(team_id),
            user_id=None,
        )
