"""``network-bot workspaces list|approve|remove``: approvals on the command line, audited;
removing a workspace stops what is queued for it and suspends its members until approved again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from slack_sdk.oauth.installation_store.models.installation import Installation

from network_bot.cli import main
from network_bot.clock import ManualClock
from network_bot.oauth.installation_store import NetworkInstallationStore
from network_bot.store import members, outbox, workspaces
from network_bot.store.db import Database
from network_bot.store.outbox import Outgoing, State, TargetKind
from network_bot.store.workspaces import Approval
from network_bot.tokens import TokenCipher

NOW = ManualClock().now()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("NETWORK_BOT_HOME_TEAM", "T0HOME")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    asyncio.run(_seed(path))
    return path


async def _seed(path: Path) -> None:
    db = Database(path)
    await db.open()
    try:
        await db.migrate()
        store = NetworkInstallationStore(
            db=db,
            cipher=TokenCipher(key=SecretStr(Fernet.generate_key().decode())),
            client_id="1111.2222",
            clock=ManualClock(),
            home_workspace="T0HOME",
        )
        await store.async_save(
            Installation(
                team_id="T0PARTNER",
                team_name="Partner Desk",
                bot_token="xoxb-partner",
                bot_id="B0",
                bot_user_id="U0BOT",
                user_id="U0INSTALL",
            )
        )
        async with db.transaction() as tx:
            for user_id in ("U0PART01", "U0PART02"):
                await members.add_if_new(
                    tx, user_id=user_id, team_id="T0PARTNER", display_name=user_id, now=NOW
                )
                await tx.execute(
                    "UPDATE members SET workspace_id = 'T0PARTNER' WHERE user_id = ?", (user_id,)
                )
    finally:
        await db.close()


async def _read(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    db = Database(path)
    await db.open()
    try:
        return [tuple(r) for r in await db.read.fetch_all(sql, params)]
    finally:
        await db.close()


def read(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return asyncio.run(_read(path, sql, params))


async def _queue_for_partner(path: Path) -> None:
    db = Database(path)
    await db.open()
    try:
        async with db.transaction() as tx:
            await outbox.enqueue(
                tx,
                [
                    Outgoing(
                        purpose="alert",
                        target_kind=TargetKind.USER,
                        target_id="U0PART01",
                        payload={"text": "an alert"},
                    )
                ],
                now=NOW,
            )
            await tx.execute("UPDATE outbox SET workspace_id = 'T0PARTNER'")
    finally:
        await db.close()


def test_list_approve_and_remove(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workspaces", "list", "--db", str(db_path)]) == 0
    listed = capsys.readouterr().out
    assert "T0PARTNER" in listed and "pending" in listed and "Partner Desk" in listed

    assert main(["workspaces", "approve", "t0partner", "--db", str(db_path)]) == 0
    assert "part of the network" in capsys.readouterr().out
    assert read(db_path, "SELECT state FROM workspaces WHERE workspace_id = 'T0PARTNER'") == [
        ("approved",)
    ]
    assert main(["workspaces", "approve", "T0PARTNER", "--db", str(db_path)]) == 2
    assert "already part of the network" in capsys.readouterr().err

    asyncio.run(_queue_for_partner(db_path))
    assert main(["workspaces", "remove", "T0PARTNER", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "1 pending message cancelled" in out and "2 members lost access" in out
    assert read(db_path, "SELECT state, last_error FROM outbox") == [
        (State.CANCELLED.value, "workspace removed by an admin")
    ]
    assert read(db_path, "SELECT user_id, is_active, suspended_with FROM members ORDER BY 1") == [
        ("U0PART01", 0, "T0PARTNER"),
        ("U0PART02", 0, "T0PARTNER"),
    ]
    assert main(["workspaces", "list", "--db", str(db_path)]) == 0
    assert "+2 suspended" in capsys.readouterr().out

    assert main(["workspaces", "approve", "T0PARTNER", "--db", str(db_path)]) == 0
    assert "2 members have access again" in capsys.readouterr().out
    assert read(db_path, "SELECT is_active, suspended_with FROM members") == [(1, None), (1, None)]

    trail = read(
        db_path,
        "SELECT actor_id, action, target FROM audit_log WHERE action LIKE 'workspace.%' "
        "ORDER BY id",
    )
    actions = [row[1] for row in trail]
    assert actions == [
        "workspace.installed",
        "workspace.approved",
        "workspace.removed",
        "workspace.approved",
    ]
    assert all(str(row[0]).startswith("cli:") for row in trail[1:])


def test_bad_input_is_refused_with_one_line_and_writes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["workspaces", "approve", "not-a-team", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "expected a team ID like T0123ABCD" in err and "Traceback" not in err
    assert main(["workspaces", "approve", "T0NOBODY", "--db", str(db_path)]) == 2
    assert "No workspace T0NOBODY has installed the bot" in capsys.readouterr().err
    assert main(["workspaces", "remove", "T0NOBODY", "--db", str(db_path)]) == 2
    assert main(["workspaces", "--db", str(db_path)]) == 2
    decided = "SELECT count(*) FROM audit_log WHERE action != 'workspace.installed'"
    assert read(db_path, decided) == [(0,)]


async def _add_home(path: Path) -> None:
    db = Database(path)
    await db.open()
    try:
        async with db.transaction() as tx:
            await workspaces.add_known(tx, workspace_id="T0HOME", now=NOW)
            await workspaces.decide(
                tx, workspace_id="T0HOME", state=Approval.APPROVED, by="settings", now=NOW
            )
    finally:
        await db.close()


def test_the_home_workspace_cannot_be_removed(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_add_home(db_path))
    assert main(["workspaces", "remove", "T0HOME", "--db", str(db_path)]) == 2
    assert "home workspace" in capsys.readouterr().err
    assert read(db_path, "SELECT state FROM workspaces WHERE workspace_id = 'T0HOME'") == [
        ("approved",)
    ]


def test_a_missing_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workspaces", "list", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "there is no database" in capsys.readouterr().err
