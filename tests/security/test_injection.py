"""Nothing a member types can make the bot ping the network, forge a mention or a link, or
reach a case or alert they may not touch."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_bot.testing.flows import GOOD, open_report, report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text

ALICE, BOB, CHIDI = "U0ALICE01", "U0BOBBY02", "U0CHIDI04"
HOSTILE = (
    "<!channel> <!everyone> <!here> <@U0HOSTILE1> <#C0HOSTILE> "
    "<https://evil.example/login|Reset your password> <!subteam^S0123|@coordinators>"
)
MARKERS = (
    "<!channel>",
    "<!everyone>",
    "<!here>",
    "<@U0HOSTILE1>",
    "<#C0HOSTILE>",
    "<https://evil.example",
    "<!subteam",
)
UNICODE = "\u202eRTL override\u202c \u200bzero\u200dwidth 🇵🇰 مرحبا 你好 \U0001f600 e\u0301"


async def everything_sent(h: Harness, acks: list[dict[str, Any] | None]) -> str:
    """Every text the bot produced: acks, modals it opened, queued and delivered messages."""
    parts = [json.dumps(a) for a in acks if a]
    parts += [json.dumps(c.params.get("view")) for c in h.slack.calls_to("views.open")]
    parts += [json.dumps(c.params.get("view")) for c in h.slack.calls_to("views.publish")]
    parts += [json.dumps(m) for m in h.slack.all_messages()]
    for user in h.slack.users:
        parts += [json.dumps(m) for m in h.slack.ephemerals(user)]
    rows = await h.running.db.read.fetch_all("SELECT payload FROM outbox")
    parts += [str(r[0]) for r in rows]
    return "\n".join(parts)


def assert_inert(text: str) -> None:
    for marker in MARKERS:
        assert marker not in text, marker


async def test_markup_in_every_text_field_is_shown_not_executed(h: Harness) -> None:
    acks: list[dict[str, Any] | None] = []
    acks.append((await h.command("alice", f'/network join org:"{HOSTILE}" country:KE')).json)
    acks.append((await h.command("alice", "/network me")).json)
    public_id = await report(
        h,
        "alice",
        victim_names=HOSTILE[:300],
        place=HOSTILE[:200],
        summary=HOSTILE + " " + UNICODE,
        restricted_notes=HOSTILE,
    )
    acks.append((await h.command("chidi", f"/case {public_id}")).json)
    acks.append((await h.command("chidi", f"/case {public_id} verify")).json)
    acks.append((await h.command("bob", f"/case {public_id}")).json)
    acks.append((await h.command("bob", f"/cases {HOSTILE}")).json)
    acks.append((await h.command("bob", "/cases everyone")).json)
    acks.append((await h.command("chidi", f'/case {public_id} reject "{HOSTILE}"')).json)
    second = await report(h, "bob", summary="Second case about the same events", victim_names="X")
    acks.append((await h.command("chidi", f"/case {second} reject {HOSTILE}")).json)
    acks.append((await h.command("chidi", "/network members")).json)
    acks.append((await h.command("bob", f"/follow {HOSTILE}")).json)
    await h.settle()
    text = await everything_sent(h, acks)
    assert "&lt;!channel&gt;" in text, "the text is shown, escaped"
    assert_inert(text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(summary=st.text(min_size=10, max_size=400))
async def test_any_summary_is_saved_or_refused_politely(h: Harness, summary: str) -> None:
    view = await open_report(h, "alice")
    response = await h.drive.submit_view(ALICE, view, {**GOOD, "summary": summary})
    h.slack.clear_views(ALICE)
    assert response.status == 200
    assert response.json is not None
    assert response.json["response_action"] in {"update", "errors"}
    shown = json.dumps(response.json)
    assert "<!" not in shown


async def test_tampered_action_values_reach_nothing(h: Harness) -> None:
    hidden = await report(h, "alice", summary="An unverified report only coordinators may see")
    before = await h.running.db.read.fetch_value("SELECT count(*) FROM audit_log")
    probes = [
        ("cases.open", hidden),
        ("cases.page.next", json.dumps({"status": "reported", "page": 1})),
        ("cases.page.previous", "{not json"),
        ("cases.page.next", json.dumps({"words": ["x"], "page": -5})),
        ("case.follow", hidden),
        ("follow.stop", "case:NI-1999-0001"),
        ("follow.stop", "nonsense"),
        ("alert.respond.in", "1:in"),
        ("alert.respond.done", "abc:def"),
        ("alert.respond.cant", "1:in"),
        ("home.page.previous", "-100000000000000000000"),
        ("update.approve", "1"),
        ("case.verify", hidden),
        ("alert.recall", "AL-2026-0001"),
    ]
    for action_id, value in probes:
        response = await h.drive.block_action(BOB, action_id, value=value, channel_id="C0GENERAL")
        assert response.status == 200, action_id
    await h.settle()
    said = " ".join(ephemeral_text(m) for m in h.slack.ephemerals(BOB))
    assert "unverified report only coordinators" not in said
    assert "Only coordinators can do that" in said
    record = await h.running.db.read.fetch_one(
        "SELECT status FROM cases WHERE public_id = ?", (hidden,)
    )
    assert record is not None and record[0] == "reported"
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM follows") == 0
    refused = await h.running.db.read.fetch_value(
        "SELECT count(*) FROM audit_log WHERE outcome = 'refused'"
    )
    assert (
        refused >= 3
        and await h.running.db.read.fetch_value("SELECT count(*) FROM audit_log") > before
    )


async def test_forged_modal_metadata_reaches_nothing(h: Harness) -> None:
    hidden = await report(h, "alice", summary="Another report nobody else may see")
    # A member submits an update form rewritten to point at a case they cannot see.
    fake_view = {
        "id": "V0FAKE",
        "type": "modal",
        "callback_id": "case.update.submit",
        "private_metadata": json.dumps({"case": hidden}),
        "blocks": [
            {
                "type": "input",
                "block_id": k,
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
            for k in ("body", "source_url", "skip_reason")
        ]
        + [
            {
                "type": "input",
                "block_id": "happened_on",
                "element": {"type": "datepicker", "action_id": "value"},
            }
        ],
    }
    response = await h.drive.submit_view(
        BOB, fake_view, {"body": "Injected update", "happened_on": "2026-11-24"}
    )
    assert response.json is not None and response.json["response_action"] == "errors"
    assert "can't find a case" in json.dumps(response.json)
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM case_updates") == 0
    # Someone else's alert draft cannot be confirmed.
    confirm = {
        "id": "V0FAKE2",
        "type": "modal",
        "callback_id": "alert.confirm",
        "blocks": [],
        "private_metadata": json.dumps({"alert": 1}),
    }
    refused = await h.drive.submit_view(BOB, confirm, {})
    assert "Only coordinators" in json.dumps(refused.json)
    unknown = {
        "id": "V0FAKE3",
        "type": "modal",
        "callback_id": "no.such.view",
        "blocks": [],
        "private_metadata": "",
    }
    answer = await h.drive.submit_view(BOB, unknown, {})
    assert answer.status == 200 and "/network help" in json.dumps(answer.json)
    shapeless = {
        "id": "V0FAKE4",
        "callback_id": "case.update.submit",
        "blocks": [],
        "private_metadata": json.dumps({"case": hidden}),
    }
    malformed = await h.drive.submit_view(BOB, shapeless, {})
    assert malformed.status == 200
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM case_updates") == 0


STATE_TABLES = (
    "cases",
    "case_updates",
    "alerts",
    "alert_responses",
    "follows",
    "members",
    "case_campaign",
    "unesco_requests",
    "campaign_charts",
)
ACTION_IDS = (
    "alert.link",
    "alert.recall",
    "alert.respond.cant",
    "alert.respond.done",
    "alert.respond.in",
    "alert.status",
    "campaign.alert",
    "campaign.chart.post",
    "campaign.chart.social",
    "campaign.lobby",
    "case.claim",
    "case.duplicate",
    "case.follow",
    "case.reject",
    "case.update",
    "case.verify",
    "cases.open",
    "cases.page.next",
    "cases.page.previous",
    "follow.stop",
    "home.page.next",
    "home.page.previous",
    "network.workspace.approve",
    "network.workspace.remove",
    "update.approve",
    "update.reject",
)


async def state(h: Harness) -> dict[str, int]:
    read = h.running.db.read
    return {t: int(await read.fetch_value(f"SELECT count(*) FROM {t}")) for t in STATE_TABLES}


def test_the_probed_action_ids_are_every_registered_action(h: Harness) -> None:
    assert set(ACTION_IDS) == set(h.running.registry.actions)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action_id=st.sampled_from(ACTION_IDS),
    value=st.one_of(
        st.text(max_size=300),
        st.from_regex(r"(NI|AL)-(19|20)\d\d-\d{1,6}", fullmatch=True),
        st.from_regex(r"\d{1,25}:(in|done|cant|\w{0,10})", fullmatch=True),
        st.builds(json.dumps, st.dictionaries(st.text(max_size=10), st.integers() | st.text())),
    ),
)
async def test_any_action_value_from_a_member_is_answered_and_changes_nothing(
    h: Harness, action_id: str, value: str
) -> None:
    before = await state(h)
    response = await h.drive.block_action(BOB, action_id, value=value, channel_id="C0GENERAL")
    assert response.status == 200
    await h.settle()
    assert await state(h) == before
    assert_inert(" ".join(ephemeral_text(m) for m in h.slack.ephemerals(BOB)))
