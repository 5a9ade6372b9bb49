"""Alerts, who they reach, and how people answered."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from network_bot.clock import iso, parse_iso
from network_bot.store.db import Conn
from network_bot.vocabulary import Urgency


class AlertState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    RECALLED = "recalled"


class Response(StrEnum):
    IN = "in"
    DONE = "done"
    CANT = "cant"

    @property
    def label(self) -> str:
        return {"in": "I'm in", "done": "Done", "cant": "Can't this time"}[self.value]


class Audience(BaseModel):
    """Who an alert is for. Stored as JSON with the alert, so status and recall can explain it."""

    model_config = ConfigDict(frozen=True)

    all_members: bool = False
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    case_followers: bool = False
    country_followers: bool = False
    channels: tuple[str, ...] = ()
    include_shared: bool = False

    @property
    def reaches_people(self) -> bool:
        return bool(
            self.all_members
            or self.countries
            or self.regions
            or self.case_followers
            or self.country_followers
        )


class AlertTranslation(BaseModel):
    """The coordinator's own version of an alert's words in one language."""

    model_config = ConfigDict(frozen=True)

    language: str = Field(pattern=r"^[a-z]{2,3}$")
    headline: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=10, max_length=2000)
    action_text: str = Field(default="", max_length=500)


class AlertDraft(BaseModel):
    model_config = ConfigDict(frozen=True)

    created_by: str
    case_id: int | None = None
    headline: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=10, max_length=2000)
    action_kind: str
    action_text: str = Field(default="", max_length=500)
    link: str = ""
    deadline: date | None = None
    urgency: Urgency = Urgency.ROUTINE
    audience: Audience
    translations: tuple[AlertTranslation, ...] = ()

    def in_language(self, language: str) -> Self:
        """The alert as a reader of ``language`` gets it: the coordinator's translation when
        there is one, else the words as written."""
        for version in self.translations:
            if version.language == language:
                return self.model_copy(
                    update={
                        "headline": version.headline,
                        "body": version.body,
                        "action_text": version.action_text or self.action_text,
                    }
                )
        return self


class Alert(AlertDraft):
    id: int
    public_id: str
    created_at: datetime
    state: AlertState
    recipient_count: int
    digest_count: int
    channel_count: int
    sent_at: datetime | None
    recalled_at: datetime | None
    recalled_by: str | None
    status_outbox_id: int | None


def _alert(row: sqlite3.Row) -> Alert:
    data = dict(row)
    data["audience"] = Audience.model_validate_json(data["audience"])
    for key in ("created_at", "sent_at", "recalled_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    return Alert.model_validate(data)


async def _with_translations(conn: Conn, found: list[Alert]) -> list[Alert]:
    """The alerts with their coordinators' translations (one query for all of them)."""
    if not found:
        return found
    marks = ",".join("?" for _ in found)
    rows = await conn.fetch_all(
        "SELECT alert_id, language, headline, body, action_text FROM alert_translations "
        f"WHERE alert_id IN ({marks}) ORDER BY alert_id, language",
        tuple(a.id for a in found),
    )
    versions: dict[int, list[AlertTranslation]] = {}
    for row in rows:
        versions.setdefault(int(row["alert_id"]), []).append(
            AlertTranslation(
                language=row["language"],
                headline=row["headline"],
                body=row["body"],
                action_text=row["action_text"],
            )
        )
    return [
        a.model_copy(update={"translations": tuple(versions[a.id])}) if a.id in versions else a
        for a in found
    ]


async def _one(conn: Conn, row: sqlite3.Row | None) -> Alert | None:
    return None if row is None else (await _with_translations(conn, [_alert(row)]))[0]


async def insert_draft(conn: Conn, draft: AlertDraft, *, public_id: str, now: datetime) -> int:
    alert_id = await _insert(conn, draft, public_id=public_id, now=now)
    for version in draft.translations:
        await conn.execute(
            "INSERT INTO alert_translations (alert_id, language, headline, body, action_text) "
            "VALUES (?, ?, ?, ?, ?)",
            (alert_id, version.language, version.headline, version.body, version.action_text),
        )
    return alert_id


async def _insert(conn: Conn, draft: AlertDraft, *, public_id: str, now: datetime) -> int:
    return await conn.execute(
        """
        INSERT INTO alerts (public_id, created_at, created_by, case_id, headline, body,
                            action_kind, action_text, link, deadline, urgency, audience)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            public_id,
            iso(now),
            draft.created_by,
            draft.case_id,
            draft.headline,
            draft.body,
            draft.action_kind,
            draft.action_text,
            draft.link,
            draft.deadline.isoformat() if draft.deadline else None,
            draft.urgency.value,
            draft.audience.model_dump_json(),
        ),
    )


async def get(conn: Conn, alert_id: int) -> Alert | None:
    row = await conn.fetch_one("SELECT * FROM alerts WHERE id = ?", (alert_id,))
    return await _one(conn, row)


async def get_by_public_id(conn: Conn, public_id: str) -> Alert | None:
    row = await conn.fetch_one("SELECT * FROM alerts WHERE public_id = ?", (public_id.upper(),))
    return await _one(conn, row)


async def recent(conn: Conn, *, limit: int = 5) -> list[Alert]:
    rows = await conn.fetch_all(
        "SELECT * FROM alerts WHERE state != 'draft' ORDER BY id DESC LIMIT ?", (limit,)
    )
    return await _with_translations(conn, [_alert(r) for r in rows])


async def mark_sent(
    conn: Conn,
    *,
    alert_id: int,
    recipients: int,
    digests: int,
    channels: int,
    status_outbox_id: int | None,
    now: datetime,
    expand: bool = False,
) -> bool:
    """Draft to sent, once: a second confirm of the same preview changes nothing. ``expand``:
    its audience is queued afterwards (``network_bot.services.expansion``)."""
    return (
        await conn.execute_rowcount(
            """
            UPDATE alerts SET state = 'sent', recipient_count = ?, digest_count = ?,
                              channel_count = ?, status_outbox_id = ?, sent_at = ?,
                              expansion = ?
             WHERE id = ? AND state = 'draft'
            """,
            (
                recipients,
                digests,
                channels,
                status_outbox_id,
                iso(now),
                "pending" if expand else "done",
                alert_id,
            ),
        )
        == 1
    )


async def mark_recalled(conn: Conn, *, alert_id: int, by: str, now: datetime) -> bool:
    return (
        await conn.execute_rowcount(
            "UPDATE alerts SET state = 'recalled', recalled_at = ?, recalled_by = ? "
            "WHERE id = ? AND state = 'sent'",
            (iso(now), by, alert_id),
        )
        == 1
    )


async def record_response(
    conn: Conn,
    *,
    alert_id: int,
    user_id: str,
    response: Response,
    organisation: str,
    now: datetime,
) -> None:
    """A person's latest answer replaces their earlier one."""
    await conn.execute(
        """
        INSERT INTO alert_responses (alert_id, user_id, response, organisation, at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (alert_id, user_id) DO UPDATE
           SET response = excluded.response, organisation = excluded.organisation,
               at = excluded.at
        """,
        (alert_id, user_id, response.value, organisation, iso(now)),
    )


async def tallies(conn: Conn, alert_id: int) -> dict[Response, int]:
    rows = await conn.fetch_all(
        "SELECT response, count(*) FROM alert_responses WHERE alert_id = ? GROUP BY response",
        (alert_id,),
    )
    counts = {r: 0 for r in Response}
    for response, count in rows:
        counts[Response(response)] = int(count)
    return counts


async def tallies_by_organisation(conn: Conn, alert_id: int) -> dict[str, dict[Response, int]]:
    rows = await conn.fetch_all(
        "SELECT organisation, response, count(*) FROM alert_responses WHERE alert_id = ? "
        "GROUP BY organisation, response ORDER BY organisation",
        (alert_id,),
    )
    found: dict[str, dict[Response, int]] = {}
    for organisation, response, count in rows:
        found.setdefault(organisation or "no organisation given", {r: 0 for r in Response})[
            Response(response)
        ] = int(count)
    return found


async def queue_digest(
    conn: Conn, *, alert_id: int, user_ids: Iterable[str], now: datetime
) -> None:
    await conn.executemany(
        "INSERT INTO digest_items (user_id, alert_id, queued_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        ((user_id, alert_id, iso(now)) for user_id in user_ids),
    )


async def digest_waiting(conn: Conn) -> list[str]:
    """Members with alerts waiting for their digest."""
    rows = await conn.fetch_all(
        "SELECT DISTINCT user_id FROM digest_items WHERE sent_on IS NULL ORDER BY user_id"
    )
    return [str(r[0]) for r in rows]


async def digest_alerts(conn: Conn, user_id: str) -> list[Alert]:
    rows = await conn.fetch_all(
        """
        SELECT a.* FROM digest_items d JOIN alerts a ON a.id = d.alert_id
         WHERE d.user_id = ? AND d.sent_on IS NULL AND a.state = 'sent'
         ORDER BY a.id
        """,
        (user_id,),
    )
    return await _with_translations(conn, [_alert(r) for r in rows])


async def mark_digest_sent(conn: Conn, *, user_id: str, local_date: date) -> None:
    await conn.execute(
        "UPDATE digest_items SET sent_on = ? WHERE user_id = ? AND sent_on IS NULL",
        (local_date.isoformat(), user_id),
    )


async def unanswered_for(
    conn: Conn, *, user_id: str, today: date, since: datetime, limit: int = 5
) -> list[Alert]:
    """Alerts delivered to this member, still open, that they have not answered."""
    rows = await conn.fetch_all(
        """
        SELECT a.* FROM alerts a
         WHERE a.state = 'sent' AND a.sent_at >= ?
           AND (a.deadline IS NULL OR a.deadline >= ?)
           AND EXISTS (SELECT 1 FROM outbox o
                        WHERE o.ref_kind = 'alert' AND o.ref_id = a.id AND o.target_id = ?
                          AND o.operation = 'post' AND o.state = 'sent')
           AND NOT EXISTS (SELECT 1 FROM alert_responses r
                            WHERE r.alert_id = a.id AND r.user_id = ?)
         ORDER BY a.id DESC
         LIMIT ?
        """,
        (iso(since), today.isoformat(), user_id, user_id, limit),
    )
    return await _with_translations(conn, [_alert(r) for r in rows])


async def reached(conn: Conn, *, alert_id: int, user_id: str) -> bool:
    """Whether ``user_id`` was sent ``alert_id`` (a DM, queued or delivered, or a digest)."""
    row = await conn.fetch_one(
        """
        SELECT 1 FROM outbox WHERE dedupe_key = ?
        UNION ALL
        SELECT 1 FROM digest_items WHERE alert_id = ? AND user_id = ?
        LIMIT 1
        """,
        (f"alert:{alert_id}:{user_id}", alert_id, user_id),
    )
    return row is not None
