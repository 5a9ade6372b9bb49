"""Migration 0015 on a real file: outbox rows written before it read as the new words say."""

from __future__ import annotations

import json
from pathlib import Path

from network_bot.store import outbox
from network_bot.store.db import Database, bundled_migrations
from network_bot.store.outbox import Purpose, RefKind

OLD_ROWS = [
    # (purpose, target_kind, target_id, payload, ref_kind, ref_id, dedupe_key)
    ("alert", "channel", "C0SHARED", {"text": "an alert", "shared_ok": True}, "alert", 1, "a:1"),
    ("alert", "channel", "C0NOTSHR", {"text": "an alert", "shared_ok": False}, "alert", 1, "a:2"),
    ("alert", "user", "U0READER", {"text": "an alert"}, "alert", 1, "a:3"),
    ("update-review", "user", "U0COORD1", {"text": "a card"}, "update-card", 7, "c:1"),
    ("notification", "user", "U0FOLLOW", {"text": "news"}, "updates", None, "n:1"),
    ("alert-recall", "user", "U0READER", {"text": "recalled"}, "alert-recall", 1, "withdraw:3"),
]


async def test_old_outbox_rows_are_converted_to_the_new_words(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    before = [m for m in bundled_migrations() if m.version < 15]
    db = Database(path)
    await db.open()
    try:
        await db.migrate(before)
        async with db.transaction() as tx:
            for purpose, kind, target, payload, ref_kind, ref_id, key in OLD_ROWS:
                await tx.execute(
                    "INSERT INTO outbox (created_at, purpose, target_kind, target_id, payload, "
                    "next_attempt_at, ref_kind, ref_id, dedupe_key) "
                    "VALUES ('2026-01-01T00:00:00Z', ?, ?, ?, ?, '2026-01-01T00:00:00Z', ?, ?, ?)",
                    (purpose, kind, target, json.dumps(payload), ref_kind, ref_id, key),
                )
    finally:
        await db.close()

    db = Database(path)  # as a restart after the upgrade would open it
    await db.open()
    try:
        assert [m.version for m in await db.migrate()] == [15]
        rows = await outbox.in_state(db.read, outbox.State.PENDING)
        by_key = {r.dedupe_key: r for r in rows}
        assert by_key["a:1"].shared_ok and not by_key["a:2"].shared_ok
        assert not by_key["a:3"].shared_ok
        assert all("shared_ok" not in r.payload for r in rows)
        assert by_key["a:1"].payload == {"text": "an alert"}
        assert by_key["c:1"].ref_kind is RefKind.UPDATE and by_key["c:1"].ref_id == 7
        assert by_key["n:1"].ref_kind is RefKind.UPDATE and by_key["n:1"].ref_id is None
        assert "withdraw:3" not in by_key
        assert by_key["recall:3"].purpose is Purpose.RECALL
        assert by_key["recall:3"].ref_kind is RefKind.RECALL
        assert {r.purpose for r in rows} <= set(Purpose)
    finally:
        await db.close()
