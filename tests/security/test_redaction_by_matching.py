"""Redaction removes every part of a victim's name, whatever its letter case or accents, from
everything the bot stored or sent: the case and the reports merged into it, updates, alerts
(ask text and links too), queued and delivered messages, the audit trail and the search index,
and the raw database file and its write-ahead log. Retention pruning leaves no deleted text in
the file either.

Through the real endpoint: members report, a coordinator verifies, updates, alerts and merges a
duplicate, an admin redacts; then the bytes of the file are scanned for every variant of every
part.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from network_bot.clock import ManualClock
from network_bot.names import fold, name_parts
from network_bot.scrub import MARK, Scrubber
from network_bot.store import audit, cases, redaction
from network_bot.store.cases import SearchQuery
from network_bot.store.db import Database
from network_bot.testing.flows import ALERT, GOOD, flush, open_report, report, submit_update
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text, file_bytes

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NOTES = "Call the brother through Sister Wilhelmina at the parish office."


def variants(part: str) -> set[str]:
    """A name part as it may be written: any letter case, with or without its accents,
    composed or decomposed."""
    found: set[str] = set()
    for base in (part, fold(part)):
        found |= {base, base.lower(), base.upper(), base.title(), base.casefold()}
    for form in ("NFC", "NFD"):
        found |= {unicodedata.normalize(form, v) for v in list(found)}
    return found


def encodings(text: str) -> Iterable[bytes]:
    """How SQLite and the outbox's JSON store it."""
    yield text.encode()
    yield json.dumps(text)[1:-1].encode()
    yield json.dumps(text)[1:-1].lower().encode()


def leftovers(raw: bytes, parts: Iterable[str]) -> list[str]:
    return sorted(
        {
            variant
            for part in parts
            for variant in variants(part)
            if any(encoded in raw for encoded in encodings(variant))
        }
    )


def index_terms(path: Path) -> list[str]:
    """Every term in the search index (read through fts5vocab on a connection of our own,
    whose temp table is not in the file)."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, cases_fts, row)")
        return [str(r[0]) for r in conn.execute("SELECT term FROM temp.terms")]


def seen_in_slack(h: Harness) -> str:
    """Everything Slack now shows that the bot posted (its own edit history aside)."""
    shown = []
    for message in h.slack.all_messages():
        if not message.get("deleted"):
            shown.append({k: v for k, v in message.items() if k != "edits"})
    return json.dumps(shown, ensure_ascii=False)


async def rich_case(
    h: Harness, clock: ManualClock, *, victim_names: str, summary: str, mention: str, slug: str
) -> tuple[str, str]:
    """A verified case that everything has quoted: a follower's notification, an update with a
    source, an alert to everyone (ask text and link naming the victim) and a duplicate."""
    public_id = await report(
        h,
        "alice",
        victim_names=victim_names,
        summary=summary,
        restricted_notes=NOTES,
        place="Lahore",
        sources=f"https://example.org/news/{slug}-abducted\nhttps://example.org/news/1",
    )
    assert "verified" in ephemeral_text(
        (await h.command("chidi", f"/case {public_id} verify")).json
    )
    await h.command("emma", f"/follow {public_id}")
    update = await submit_update(
        h,
        "chidi",
        public_id,
        body=f"{mention} was moved to another prison.",
        source_url=f"https://example.org/{slug}/moved",
    )
    assert update.get("response_action") == "update", update
    await flush(h, clock)
    view_answer = await h.command("chidi", f"/alert {public_id}")
    assert view_answer.status == 200
    await h.settle()
    view = h.slack.views_for(h.user_id("chidi"))[-1]
    values = {
        **ALERT,
        "headline": f"Free {mention} now",
        "body": f"{mention} was abducted for his blog. Ask for his release.",
        "action_text": f"Write to the governor about {mention}",
        "link": f"https://example.org/free-{slug}",
    }
    preview = await h.drive.submit_view(h.user_id("chidi"), view, values)
    assert preview.json is not None and preview.json.get("response_action") == "push"
    confirm = h.slack.views_for(h.user_id("chidi"))[-1]
    await h.drive.submit_view(h.user_id("chidi"), confirm, {})
    await h.settle()
    duplicate = await report(
        h,
        "bob",
        victim_names=victim_names.upper(),
        summary=f"Another report: {mention} was taken from his home by men in plain clothes.",
        restricted_notes="",
        sources="",
    )
    merged = await h.command("chidi", f"/case {duplicate} duplicate-of {public_id}")
    assert merged.status == 200
    await h.settle()
    return public_id, duplicate


async def redact(h: Harness, public_id: str) -> None:
    answer = await h.command("dana", f'/case {public_id} redact "the family asked"')
    assert "is redacted" in ephemeral_text(answer.json), ephemeral_text(answer.json)
    await h.settle()


async def assert_gone(h: Harness, parts: list[str], public_ids: tuple[str, ...]) -> None:
    assert parts
    assert not leftovers(file_bytes(h.db_path), parts), "still in the database file or WAL"
    terms = index_terms(h.db_path)
    assert not [t for t in terms for p in parts if fold(p) in t], "still in the search index"
    shown = fold(seen_in_slack(h))
    assert not [p for p in parts if fold(p) in shown], "still in a message in Slack"
    for public_id in public_ids:
        card = fold(ephemeral_text((await h.command("bob", f"/case {public_id}")).json))
        assert not [p for p in parts if fold(p) in card], card
        assert "redacted at the request" in card
    for part in parts:
        found = await cases.search(h.running.db.read, SearchQuery(words=(fold(part),)))
        assert not found, part
        listing = ephemeral_text((await h.command("bob", f"/cases {part}")).json)
        assert not [p for p in public_ids if p in listing]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


async def test_every_part_in_every_case_goes_from_every_table_and_message(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as h:
        public_id, duplicate = await rich_case(
            h,
            clock,
            victim_names="Ahmed Khan",
            summary=(
                "Blogger AHMED KHAN was abducted in Lahore. Khan had received threats; "
                "the Khans' home was searched and khan's laptop taken."
            ),
            mention="Khan",
            slug="ahmed-khan",
        )
        assert "khan" in fold(seen_in_slack(h)), "the scenario did put the name in Slack"
        await redact(h, public_id)
        await assert_gone(h, ["Ahmed", "Khan", "Wilhelmina"], (public_id, duplicate))
        record = await cases.get_by_public_id(h.running.db.read, public_id)
        assert record is not None and record.country == "PK" and record.summary.count(MARK)
        assert record.sources == ("https://example.org/news/1",), "the naming source went"
        entries = await audit.search(
            h.running.db.read, target=public_id, actions=("case.redacted",)
        )
        assert len(entries) == 1


# Letters for generated names: consonants and vowels, some with accents, so that every part
# has accented and plain spellings; parts are two or three syllables long.
CONSONANTS = "bdfgklmnprstvzxqjwčšžćłñ"
VOWELS = "aeiouáéíóúàèäöüâêôåøąę"
syllable = st.tuples(st.sampled_from(CONSONANTS), st.sampled_from(VOWELS)).map("".join)
part = st.lists(syllable, min_size=2, max_size=3).map(lambda s: "".join(s).capitalize())


@cache
def baseline() -> tuple[bytes, str]:
    """The file and Slack's messages after the same scenario about a placeholder name: a
    generated part that occurs in them by chance (in a code, an ID, a word of the template, a
    key of Slack's JSON such as ``metadata``) cannot be tested."""

    async def run() -> tuple[bytes, str]:
        with tempfile.TemporaryDirectory() as folder:
            clock = ManualClock(START)
            async with Harness(db_path=Path(folder) / "bot.sqlite3", clock=clock) as h:
                public_id, _ = await scenario(h, clock, "Placeholder", "Person")
                await redact(h, public_id)
                return file_bytes(h.db_path), seen_in_slack(h)

    raw, shown = asyncio.run(run())
    return raw, fold(raw.decode("utf-8", errors="ignore") + shown)


async def scenario(h: Harness, clock: ManualClock, first: str, last: str) -> tuple[str, str]:
    nfd = unicodedata.normalize("NFD", first)
    return await rich_case(
        h,
        clock,
        victim_names=f"{first} {last}",
        summary=(
            f"The blogger {first.upper()}  {last.upper()} was taken. {fold(last).title()} had "
            f"received threats; {last}'s family and the {last}s asked {nfd} to stay away."
        ),
        mention=fold(last).upper(),
        slug=f"{fold(first)}-{fold(last)}",
    )


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=part, last=part)
def test_generated_names_with_accents_and_cases_leave_no_trace(first: str, last: str) -> None:
    raw, folded = baseline()
    assume(fold(first) != fold(last))
    for p in (first, last):
        assume(fold(p) not in folded and not leftovers(raw, [p]))

    async def run() -> None:
        with tempfile.TemporaryDirectory() as folder:
            clock = ManualClock(START)
            async with Harness(db_path=Path(folder) / "bot.sqlite3", clock=clock) as h:
                public_id, duplicate = await scenario(h, clock, first, last)
                assert fold(last) in fold(seen_in_slack(h))
                await redact(h, public_id)
                await assert_gone(h, [first, last], (public_id, duplicate))

    asyncio.run(run())


@settings(max_examples=300, deadline=None)
@given(first=part, last=part, glue=st.sampled_from(["'s", "s", "-", " ", "  ", "\n", ", "]))
def test_the_scrubber_takes_every_spelling_and_keeps_other_words(
    first: str, last: str, glue: str
) -> None:
    scrub = Scrubber(names=[f"{first} {last}"])
    spellings = [
        first,
        last.upper(),
        fold(last),
        unicodedata.normalize("NFD", first),
        f"{last}{glue}",
        f"al-{last}",
        f"{first}{glue}{last}".upper(),
    ]
    text = " and ".join(spellings) + " met a journalist"
    scrubbed = scrub.text(text)
    assert scrubbed.endswith(" met a journalist") and " and " in scrubbed
    # The name's parts are looked for where the name was written: a part like "Reda" is inside
    # the mark itself, one like "Nalí" inside the fixed "journalist"; neither spells the name.
    left = fold(scrubbed.removesuffix(" met a journalist").replace(MARK, " "))
    assert not [p for p in name_parts(f"{first} {last}") if p in left], scrubbed


def test_a_short_part_does_not_take_words_that_only_contain_it() -> None:
    scrub = Scrubber(names=["Ali Raza"])
    assert scrub.text("A journalist, Ali's brother, and RAZA were there") == (
        "A journalist, [redacted]'s brother, and [redacted] were there"
    )
    assert scrub.text("Ali Raza was taken") == "[redacted] was taken", "one mark for the name"
    assert scrub.url("https://example.org/news/ali-raza-abducted") == ""
    assert scrub.url("https://example.org/news/%D8%B9%D9%84%D9%8A") == (
        "https://example.org/news/%D8%B9%D9%84%D9%8A"
    )
    message = {
        "text": "Free Ali",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "<https://x.org/ali|Ali> now"}},
            {"type": "actions", "elements": [{"type": "button", "url": "https://x.org/raza"}]},
        ],
    }
    scrubbed = json.loads(scrub.payload(json.dumps(message)))
    assert scrubbed == {
        "text": "Free [redacted]",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "[redacted] now"}}],
    }


def test_every_text_column_of_the_schema_is_known_to_redaction(tmp_path: Path) -> None:
    """A new table or column holding text must be either scrubbed by a redaction or listed
    as holding nothing about a case; otherwise a redaction would silently miss it."""

    async def columns() -> dict[str, set[str]]:
        db = Database(tmp_path / "bot.sqlite3")
        await db.open()
        await db.migrate()
        try:
            found: dict[str, set[str]] = {}
            tables = await db.read.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'cases_fts%'"
            )
            for (table,) in tables:
                info = await db.read.fetch_all(f"PRAGMA table_info({table})")
                found[table] = {str(c[1]) for c in info if str(c[2]).upper() == "TEXT"}
            return found
        finally:
            await db.close()

    known: dict[str, set[str]] = {}
    for listing in (
        redaction.TEXT_COLUMNS,
        redaction.URL_COLUMNS,
        redaction.PAYLOAD_COLUMNS,
        redaction.OTHER_COLUMNS,
    ):
        for table, names in listing.items():
            known.setdefault(table, set()).update(names)
    for table, names in asyncio.run(columns()).items():
        assert names <= known.get(table, set()), (table, names - known.get(table, set()))


async def test_pruned_reports_leave_no_text_in_the_file(tmp_path: Path) -> None:
    clock = ManualClock(START)
    secret = {
        "victim_names": "Quorvald Zentrabix",
        "summary": "Vloggerin Quorvald Zentrabix was detained at the Mirkwaldt checkpoint.",
        "place": "Mirkwaldt",
        "restricted_notes": "Her cousin Yssendra can be reached through the Brindlecote office.",
        "sources": "https://example.org/news/zentrabix",
    }
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as h:
        public_id = await report(h, "alice", **secret)
        rejected = await h.command("chidi", f'/case {public_id} reject "could not confirm it"')
        assert "rejected" in ephemeral_text(rejected.json).lower()
        await h.settle()
        words = ["Quorvald", "Zentrabix", "Mirkwaldt", "Yssendra", "Brindlecote", "Vloggerin"]
        assert leftovers(file_bytes(h.db_path), words), "the report is in the file"
        await h.stop_bot()
        clock.advance(timedelta(days=400).total_seconds())
        await h.start_bot()  # the retention job runs at start-up
        db = h.running.db.read
        for _ in range(500):
            if await audit.search(db, actions=("retention.prune",)):
                break
            await asyncio.sleep(0.02)
        await h.settle()
        assert await cases.get_by_public_id(db, public_id) is None
        assert not leftovers(file_bytes(h.db_path), words), "pruned text is still in the file"
        terms = index_terms(h.db_path)
        assert not [t for t in terms if t.startswith(("quorvald", "zentrab", "mirkwald"))]


async def test_a_withheld_name_written_decomposed_is_still_the_name(tmp_path: Path) -> None:
    """Text pasted in decomposed form (an accent after its letter, NFD) names the same person:
    the withheld-name check refuses it, and a redaction takes it out."""
    assert fold(unicodedata.normalize("NFD", "Ahméd KHÁN")) == fold("Ahméd KHÁN") == "ahmed khan"
    decomposed = unicodedata.normalize("NFD", "The blogger Ahméd was taken from his home.")
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=ManualClock(START)) as h:
        view = await open_report(h, "alice")
        values = {
            **GOOD,
            "victim_names": "Ahméd Khan",
            "victim_withheld": True,
            "summary": decomposed,
        }
        response = await h.drive.submit_view(h.user_id("alice"), view, values)
        assert response.json is not None and response.json.get("response_action") == "errors"
        assert "summary" in response.json["errors"]
    assert Scrubber(names=["Ahméd Khan"]).text(decomposed) == (
        "The blogger [redacted] was taken from his home."
    )
