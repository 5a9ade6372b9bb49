"""Redaction at a family's request, and the audit trail admins read in Slack."""

from __future__ import annotations

import json

from network_bot.store import audit, cases
from network_bot.store.cases import SearchQuery
from network_bot.testing.flows import report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text, file_bytes

CHIDI, DANA, BOB = "U0CHIDI04", "U0DANA006", "U0BOBBY02"
REVIEW = "C0REVIEW1"
NAME = "Zorbatrix Quellmann"
NOTES = "Sister Wilhelmina Okonkwo-Ferreira can be reached through the parish office."


async def reported_and_verified(h: Harness) -> str:
    public_id = await report(
        h,
        "alice",
        victim_names=NAME,
        summary=f"The photographer {NAME} was beaten by police at a protest in Lahore.",
        restricted_notes=NOTES,
    )
    answer = await h.command("chidi", f"/case {public_id} verify")
    assert "verified" in ephemeral_text(answer.json)
    await h.settle()
    return public_id


async def test_redaction_removes_names_and_notes_everywhere_but_keeps_the_case(
    h: Harness,
) -> None:
    public_id = await reported_and_verified(h)
    assert NAME in json.dumps(h.slack.messages(REVIEW)), "the review card named the victim"
    db = h.running.db
    before = await cases.get_by_public_id(db.read, public_id)
    assert before is not None
    found = await cases.search(db.read, SearchQuery(words=("zorbatrix",)))
    assert [c.public_id for c in found] == [public_id]

    answer = await h.command("dana", f'/case {public_id} redact "the family asked"')
    assert "is redacted" in ephemeral_text(answer.json), ephemeral_text(answer.json)
    await h.settle()

    after = await cases.get_by_public_id(db.read, public_id)
    assert after is not None and after.redacted_at is not None
    assert NAME not in after.victim_names and NAME not in after.summary
    assert NOTES not in after.restricted_notes
    assert (after.country, after.incident_date, after.status) == (
        before.country,
        before.incident_date,
        before.status,
    ), "the fact of the case stays"
    assert not await cases.search(db.read, SearchQuery(words=("zorbatrix",)))
    assert not await cases.search(db.read, SearchQuery(words=("quellmann",)))
    # Messages already delivered (the review card) are edited in place. (Slack's own edit
    # history is Slack's to keep; the workspace's retention settings govern it.)
    review = [
        {k: v for k, v in m.items() if k != "edits"}
        for m in h.slack.messages(REVIEW)
        if not m["deleted"]
    ]
    assert review and NAME not in json.dumps(review)
    # Nothing of it is left in the file, not even in free pages, the FTS index or the WAL.
    raw = file_bytes(h.db_path)
    for text in (NAME, "Zorbatrix", "zorbatrix", "quellmann", "Wilhelmina"):
        assert text.encode() not in raw, f"{text!r} is still in the database file"
    entries = await audit.search(db.read, target=public_id, actions=("case.redacted",))
    assert [e.actor_id for e in entries] == [DANA]
    # The card says so, and a second request says when it was done.
    card = await h.command("bob", f"/case {public_id}")
    assert "redacted at the request" in ephemeral_text(card.json)
    again = await h.command("dana", f'/case {public_id} redact "again"')
    assert "already redacted" in ephemeral_text(again.json)


async def test_only_admins_redact_and_a_reason_is_required(h: Harness) -> None:
    public_id = await reported_and_verified(h)
    refused = await h.command("chidi", f'/case {public_id} redact "the family asked"')
    assert "admin" in ephemeral_text(refused.json).lower()
    no_reason = await h.command("dana", f"/case {public_id} redact")
    assert "say why" in ephemeral_text(no_reason.json)
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.redacted_at is None and record.victim_names == NAME


async def test_admins_see_who_read_restricted_data_and_changed_roles(h: Harness) -> None:
    public_id = await reported_and_verified(h)
    await h.command("chidi", f"/case {public_id}")  # a coordinator reads the restricted part
    await h.command("dana", "/network role @U0BOBBY02 coordinator")
    trail = ephemeral_text((await h.command("dana", "/network audit")).json)
    assert "read the restricted part of" in trail and public_id in trail
    assert "changed the role of" in trail and "member -&gt; coordinator" in trail

    by_case = ephemeral_text((await h.command("dana", f"/network audit {public_id}")).json)
    assert "changed the role of" not in by_case and "read the restricted part" in by_case
    by_person = ephemeral_text((await h.command("dana", "/network audit <@U0BOBBY02|bob>")).json)
    assert "changed the role of" in by_person and "restricted part" not in by_person
    later = ephemeral_text((await h.command("dana", "/network audit since:2026-11-26")).json)
    assert "Nothing in the audit log" in later

    bad = ephemeral_text((await h.command("dana", "/network audit since:yesterday")).json)
    assert "since" in bad and "Write it like" in bad
    refused = ephemeral_text((await h.command("chidi", "/network audit")).json)
    assert "admin" in refused.lower() and "restricted part" not in refused


async def test_coordinators_get_an_export_in_their_dm_without_restricted_data(
    h: Harness,
) -> None:
    public_id = await report(
        h,
        "alice",
        victim_names=NAME,
        restricted_notes=NOTES,
        reporter_anonymous=["anonymous"],
        summary="A photographer was beaten by police at a protest in Lahore.",
    )
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    answer = await h.command("chidi", "/cases export csv country:PK")
    assert "arrive in your DM" in ephemeral_text(answer.json)
    await h.settle()
    [sent] = h.slack.files(CHIDI)
    text = sent["content"].decode()
    assert public_id in text and "killing" in text
    for secret in ("Wilhelmina", "U0ALICE01", "alice", "Alice"):
        assert secret not in text, f"{secret!r} leaked into the export"
    entries = await audit.search(h.running.db.read, actor_id=CHIDI, actions=("export.slack",))
    assert len(entries) == 1 and '"country":"PK"' in entries[0].detail

    xlsx = await h.command("chidi", "/cases export xlsx unesco")
    assert "arrive in your DM" in ephemeral_text(xlsx.json)
    await h.settle()
    assert [f["name"].rsplit(".", 1)[-1] for f in h.slack.files(CHIDI)] == ["csv", "xlsx"]


async def test_export_refusals_and_bad_input(h: Harness) -> None:
    member = await h.command("bob", "/cases export csv")
    assert "coordinator" in ephemeral_text(member.json).lower()
    for text, expected in (
        ("/cases export pdf", "I don't know `pdf`"),
        ("/cases export csv json", "one format"),
        ("/cases export country:XX", "country"),
        ("/cases export since:2030-01-01", "future"),
        ("/cases export unesco type:threats", "I don't know `type`"),
    ):
        said = ephemeral_text((await h.command("chidi", text)).json)
        assert expected in said and "Write it like" in said, (text, said)
    await h.settle()
    assert not h.slack.files(CHIDI) and not h.slack.files(BOB)
    assert not await audit.search(h.running.db.read, actions=("export.slack",))
