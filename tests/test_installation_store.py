"""bolt's installation-store interface on the bot's SQLite file, with slack_sdk's semantics:
workspace and org-wide installs, newest wins, rotation in place, deletes; tokens never in clear."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from slack_sdk.oauth.installation_store.models.installation import Installation

from network_bot.clock import ManualClock
from network_bot.oauth.installation_store import NetworkInstallationStore
from network_bot.oauth.state_store import NetworkStateStore
from network_bot.store import workspaces
from network_bot.store.db import Database
from network_bot.store.workspaces import Approval
from network_bot.tokens import TokenCipher

CLIENT = "1111.2222"
KEY = Fernet.generate_key().decode()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "bot.sqlite3")
    await database.open()
    await database.migrate()
    yield database
    await database.close()


def store(db: Database, *, key: str = KEY, home: str | None = "T0HOME") -> NetworkInstallationStore:
    return NetworkInstallationStore(
        db=db,
        cipher=TokenCipher(key=SecretStr(key)),
        client_id=CLIENT,
        clock=ManualClock(),
        home_workspace=home,
    )


def install(
    *,
    team: str | None = "T0PARTNER",
    enterprise: str | None = None,
    org_wide: bool = False,
    token: str = "xoxb-partner-secret",
    user: str = "U0INSTALL",
    installed_at: float | None = None,
    refresh: str | None = None,
    expires_in: int | None = None,
) -> Installation:
    return Installation(
        app_id="A0NETWORK",
        enterprise_id=enterprise,
        enterprise_name="Grid Org" if enterprise else None,
        team_id=None if org_wide else team,
        team_name=None if org_wide else "Partner Desk",
        bot_token=token,
        bot_id="B0BOT",
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=refresh,
        bot_token_expires_in=expires_in,
        user_id=user,
        is_enterprise_install=org_wide,
        token_type="bot",
        installed_at=installed_at,
    )


def raw_bytes(db: Database) -> bytes:
    found = b""
    for suffix in ("", "-wal"):
        path = Path(f"{db.path}{suffix}")
        if path.exists():
            found += path.read_bytes()
    return found


async def test_a_workspace_install_is_found_by_bot_and_installation_and_kept_encrypted(
    db: Database,
) -> None:
    s = store(db)
    await s.async_save(install(refresh="xoxe-1-refresh-secret", expires_in=43200))
    bot = await s.async_find_bot(enterprise_id=None, team_id="T0PARTNER")
    assert bot is not None and bot.bot_token == "xoxb-partner-secret"
    assert bot.bot_refresh_token == "xoxe-1-refresh-secret"
    assert bot.bot_token_expires_at is not None and bot.bot_token_expires_at > time.time()
    assert bot.team_id == "T0PARTNER" and bot.enterprise_id is None
    found = await s.async_find_installation(enterprise_id=None, team_id="T0PARTNER")
    assert found is not None and found.bot_token == "xoxb-partner-secret"
    assert found.user_id == "U0INSTALL" and found.bot_scopes == ["commands", "chat:write"]
    assert await s.async_find_bot(enterprise_id=None, team_id="T0OTHER") is None
    everything = raw_bytes(db)
    assert b"xoxb-partner-secret" not in everything and b"xoxe-1-refresh-secret" not in everything
    stored = await db.read.fetch_value("SELECT bot_token FROM slack_bots")
    assert str(stored).startswith("gAAAA"), "Fernet ciphertext, not the token"


async def test_an_org_wide_install_is_found_for_every_workspace_of_its_organisation(
    db: Database,
) -> None:
    s = store(db)
    await s.async_save(install(enterprise="E0GRID", org_wide=True, token="xoxb-org-token"))
    for team in ("T0GRIDA", "T0GRIDB", None):
        bot = await s.async_find_bot(
            enterprise_id="E0GRID", team_id=team, is_enterprise_install=True
        )
        assert bot is not None and bot.bot_token == "xoxb-org-token"
        assert bot.team_id is None and bot.is_enterprise_install
    # Not an org-wide lookup: a workspace of the organisation with its own install only.
    assert await s.async_find_bot(enterprise_id="E0GRID", team_id="T0GRIDA") is None
    entry = await workspaces.get(db.read, "E0GRID")
    assert entry is not None and entry.is_enterprise_install and entry.state is Approval.PENDING


async def test_the_newest_install_wins_and_a_rotation_updates_it_in_place(db: Database) -> None:
    s = store(db)
    await s.async_save(install(token="xoxb-old", installed_at=1000.0))
    await s.async_save(install(token="xoxb-new", installed_at=2000.0))
    bot = await s.async_find_bot(enterprise_id=None, team_id="T0PARTNER")
    assert bot is not None and bot.bot_token == "xoxb-new"
    found = await s.async_find_installation(enterprise_id=None, team_id="T0PARTNER")
    assert found is not None
    # What bolt's token rotator saves: a copy with the same installed_at and new tokens.
    rotated = Installation(**found.to_dict_for_copying())
    rotated.bot_token = "xoxe.xoxb-rotated"
    rotated.bot_refresh_token = "xoxe-1-next"
    await s.async_save(rotated)
    assert await db.read.fetch_value("SELECT count(*) FROM slack_installations") == 2
    assert await db.read.fetch_value("SELECT count(*) FROM slack_bots") == 2
    bot = await s.async_find_bot(enterprise_id=None, team_id="T0PARTNER")
    assert bot is not None and bot.bot_token == "xoxe.xoxb-rotated"
    audits = await db.read.fetch_value(
        "SELECT count(*) FROM audit_log WHERE action = 'workspace.installed'"
    )
    assert audits == 2, "a rotation is not a new install"


async def test_a_users_installation_takes_the_newest_bot_token_of_the_workspace(
    db: Database,
) -> None:
    s = store(db)
    await s.async_save(install(token="xoxb-first", user="U0FIRST", installed_at=1000.0))
    await s.async_save(install(token="xoxb-second", user="U0SECOND", installed_at=2000.0))
    first = await s.async_find_installation(
        enterprise_id=None, team_id="T0PARTNER", user_id="U0FIRST"
    )
    assert first is not None and first.user_id == "U0FIRST"
    assert first.bot_token == "xoxb-second"
    assert (
        await s.async_find_installation(enterprise_id=None, team_id="T0PARTNER", user_id="U0NONE")
        is None
    )


async def test_deletes_follow_bolts_interface(db: Database) -> None:
    s = store(db)
    await s.async_save(install(user="U0ONE", installed_at=1000.0))
    await s.async_save(install(user="U0TWO", installed_at=2000.0))
    await s.async_delete_installation(enterprise_id=None, team_id="T0PARTNER", user_id="U0TWO")
    found = await s.async_find_installation(enterprise_id=None, team_id="T0PARTNER")
    assert found is not None and found.user_id == "U0ONE"
    await s.async_delete_bot(enterprise_id=None, team_id="T0PARTNER")
    assert await s.async_find_bot(enterprise_id=None, team_id="T0PARTNER") is None
    await s.async_delete_all(enterprise_id=None, team_id="T0PARTNER")
    assert await s.async_find_installation(enterprise_id=None, team_id="T0PARTNER") is None


async def test_a_wrong_key_finds_nothing_rather_than_failing_open(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await store(db).async_save(install())
    other = store(db, key=Fernet.generate_key().decode())
    with caplog.at_level(logging.ERROR, logger="network_bot.oauth"):
        assert await other.async_find_bot(enterprise_id=None, team_id="T0PARTNER") is None
    assert "cannot be decrypted" in caplog.text
    assert "xoxb-partner-secret" not in caplog.text


async def test_a_replaced_key_still_opens_tokens_stored_under_the_old_one(db: Database) -> None:
    await store(db).async_save(install())
    new = Fernet.generate_key().decode()
    both = store(db, key=f"{new},{KEY}")
    bot = await both.async_find_bot(enterprise_id=None, team_id="T0PARTNER")
    assert bot is not None and bot.bot_token == "xoxb-partner-secret"


async def test_an_install_waits_for_approval_and_the_home_workspace_is_approved_at_once(
    db: Database,
) -> None:
    s = store(db, home="T0HOME")
    await s.async_save(install(team="T0PARTNER"))
    await s.async_save(install(team="T0HOME", token="xoxb-home"))
    partner = await workspaces.get(db.read, "T0PARTNER")
    home = await workspaces.get(db.read, "T0HOME")
    assert partner is not None and partner.state is Approval.PENDING and partner.installed
    assert partner.installed_by == "U0INSTALL" and partner.name == "Partner Desk"
    assert home is not None and home.state is Approval.APPROVED
    rows = await db.read.fetch_all(
        "SELECT actor_id, target, detail FROM audit_log WHERE action = 'workspace.installed' "
        "ORDER BY id"
    )
    assert [(r[0], r[1]) for r in rows] == [("U0INSTALL", "T0PARTNER"), ("U0INSTALL", "T0HOME")]
    assert "new -> pending" in rows[0][2] and "-> approved" in rows[1][2]


async def test_an_oauth_state_is_consumed_once_and_only_before_it_expires(db: Database) -> None:
    states = NetworkStateStore(db=db, expiration_seconds=600)
    state = await states.async_issue()
    assert await states.async_consume(state)
    assert not await states.async_consume(state), "a state works once"
    assert not await states.async_consume("made-up-state")
    assert not await states.async_consume("")
    short = NetworkStateStore(db=db, expiration_seconds=-1)
    expired = await short.async_issue()
    assert not await states.async_consume(expired)
