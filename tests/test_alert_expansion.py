"""A confirmed alert is committed before the confirm's reply and its audience queued afterwards, a
page per transaction: a crash mid-way resumes after the last page, with no one missed or twice;
a recall stops it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network_bot.delivery.expander import AudienceExpander
from network_bot.services.expansion import Expansion
from network_bot.store import alerts as alert_store
from network_bot.store import audiences, members
from network_bot.store.db import StorageError
from network_bot.testing.flows import ALERT, preview
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text
from network_bot.testing.workspace import CHIDI, EVERYONE

EXTRA = [f"U9EXP{n:05d}" for n in range(23)]


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(db_path=tmp_path / "bot.sqlite3") as harness:
        for user_id in EXTRA:
            harness.slack.add_user(user_id, user_id.lower())
        async with harness.running.db.transaction() as tx:
            for user_id in EXTRA:
                await members.add_if_new(
                    tx,
                    user_id=user_id,
                    team_id=None,
                    display_name="",
                    now=harness.running.clock.now(),
                )
        yield harness


def expander(h: Harness) -> AudienceExpander:
    return next(w for w in h.running.workers if isinstance(w, AudienceExpander))


async def confirm(h: Harness) -> int:
    answer = await preview(h, ALERT)
    assert answer.get("response_action") == "push", answer
    view = h.slack.views_for(CHIDI)[-1]
    done = await h.drive.submit_view(CHIDI, view, {})
    assert done.json is not None and done.slack_error is None
    found = await h.running.db.read.fetch_value("SELECT max(id) FROM alerts")
    return int(found)


async def dm_rows(h: Harness, alert_id: int) -> list[str]:
    rows = await h.running.db.read.fetch_all(
        "SELECT target_id FROM outbox WHERE ref_kind = 'alert' AND ref_id = ? "
        "AND target_kind = 'user' ORDER BY target_id",
        (alert_id,),
    )
    return [str(r[0]) for r in rows]


async def test_the_confirm_commits_the_alert_and_the_audience_follows(h: Harness) -> None:
    await expander(h).stop(grace=0)
    alert_id = await confirm(h)
    alert = await alert_store.get(h.running.db.read, alert_id)
    assert alert is not None and alert.state.value == "sent"
    assert alert.recipient_count == len(EVERYONE) + len(EXTRA), "the preview's count"
    assert await dm_rows(h, alert_id) == [], "nothing per recipient inside the confirm"
    assert await audiences.expanding(h.running.db.read) == [alert_id]
    await expander(h).start()
    await h.settle()
    assert await dm_rows(h, alert_id) == sorted([*EVERYONE, *EXTRA])
    assert await audiences.expanding(h.running.db.read) == []


async def test_a_crash_mid_expansion_resumes_without_loss_or_duplicates(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await expander(h).stop(grace=0)
    alert_id = await confirm(h)
    small = Expansion(db=h.running.db, clock=h.running.clock, alerts=h.running.alerts, page=4)
    assert not await small.step(alert_id)
    assert not await small.step(alert_id)
    assert len(await dm_rows(h, alert_id)) == 8

    class Crash(Exception):
        pass

    # A step that dies after writing its page: the page rolls back with its cursor.
    original = audiences.expanded

    async def dies(*args: object, **kwargs: object) -> None:
        await original(*args, **kwargs)  # type: ignore[arg-type]
        raise Crash

    with monkeypatch.context() as patched:
        patched.setattr(audiences, "expanded", dies)
        with pytest.raises(Crash):
            await small.step(alert_id)
    assert len(await dm_rows(h, alert_id)) == 8
    _, through = await audiences.expansion_of(h.running.db.read, alert_id)
    assert through == sorted([*EVERYONE, *EXTRA])[7]

    # A new process picks it up where the last committed page ended.
    await h.stop_bot()
    await h.start_bot()
    await h.settle()
    rows = await dm_rows(h, alert_id)
    assert rows == sorted([*EVERYONE, *EXTRA]), "everyone once"
    alert = await alert_store.get(h.running.db.read, alert_id)
    assert alert is not None and alert.recipient_count == len(rows)
    for user_id in [*EVERYONE, *EXTRA]:
        copies = [m for m in h.slack.dm(user_id) if ALERT["headline"] in m["text"]]
        assert len(copies) == 1, user_id


async def test_a_recall_stops_the_expansion(h: Harness) -> None:
    await expander(h).stop(grace=0)
    alert_id = await confirm(h)
    small = Expansion(db=h.running.db, clock=h.running.clock, alerts=h.running.alerts, page=5)
    await small.step(alert_id)
    alert = await alert_store.get(h.running.db.read, alert_id)
    assert alert is not None
    answer = await h.command("chidi", f"/alert recall {alert.public_id}")
    assert answer.status == 200
    await h.running.background.settle()  # the form opens (no settle: the expander is stopped)
    form = h.slack.views_for(CHIDI)[-1]
    assert form["callback_id"] == "alert.recall.submit"
    done = await h.drive.submit_view(CHIDI, form, {"reason": "Sent to the wrong countries"})
    assert done.json is not None
    notice = block_text(done.json["view"])
    # The first page's 5 DMs were delivered (and are withdrawn) or not yet (and are stopped);
    # everyone else the confirm counted was never queued, and is counted as stopped too.
    withdrawn = re.search(r"(\d+) delivered cop", notice)
    stopped = re.search(r"(\d+) cop(?:y|ies) not yet sent", notice)
    assert withdrawn and stopped, notice
    assert int(withdrawn[1]) + int(stopped[1]) == len(EVERYONE) + len(EXTRA)
    assert int(stopped[1]) >= len(EVERYONE) + len(EXTRA) - 5
    assert await small.step(alert_id), "a recalled alert queues no one more"
    await expander(h).start()
    await h.settle()
    assert len(await dm_rows(h, alert_id)) == 5
    status = ephemeral_text((await h.command("chidi", f"/alert status {alert.public_id}")).json)
    assert f"*Stopped before sending*\n{stopped[1]}" in status, "the never queued are counted"
    pending = await h.running.db.read.fetch_value(
        "SELECT count(*) FROM outbox WHERE ref_kind = 'alert' AND ref_id = ? AND state = 'pending'",
        (alert_id,),
    )
    assert pending == 0


async def test_a_storage_failure_is_retried_not_lost(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await expander(h).stop(grace=0)
    alert_id = await confirm(h)
    small = Expansion(db=h.running.db, clock=h.running.clock, alerts=h.running.alerts, page=5)

    async def busy(*args: object, **kwargs: object) -> list[object]:
        raise StorageError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(audiences, "audience_members", busy)
        with pytest.raises(StorageError):
            await small.step(alert_id)
    assert await audiences.expanding(h.running.db.read) == [alert_id]
    await expander(h).start()
    await h.settle()
    assert len(await dm_rows(h, alert_id)) == len(EVERYONE) + len(EXTRA)
