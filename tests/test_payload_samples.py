"""The bot reads requests in the shapes Slack really sends (samples in tests/slack_samples.py).

Signed and posted to the real endpoint, like everything else; what matters is that each is read,
answered, and that Slack's escaping of typed text is undone exactly once.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from network_bot import payloads
from network_bot.testing.flows import report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from tests import slack_samples as samples

ALICE, BOB, DANA = "U0ALICE01", "U0BOBBY02", "U0DANA006"


async def command(h: Harness, user_id: str, text: str) -> Any:
    fields = samples.slash_command(
        user_id=user_id,
        text=text,
        response_url=h.slack.new_response_url(channel_id="C0GENERAL", user_id=user_id),
        trigger_id=h.slack.new_trigger_id(user_id),
    )
    return await h.drive.post(urlencode(fields).encode())


async def test_command_text_is_unescaped_once_and_mentions_still_parse(harness: Harness) -> None:
    h = harness
    joined = await command(h, ALICE, 'join org:"Reporters &amp; Editors &lt;KE&gt;" country:KE')
    assert joined.status == 200
    me = ephemeral_text((await command(h, ALICE, "me")).json)
    assert "Reporters &amp; Editors &lt;KE&gt;" in me, "stored as typed, escaped once to show"
    assert "&amp;amp;" not in me and "&amp;lt;" not in me
    member = await h.running.roster.get(ALICE)
    assert member is not None and member.organisation == "Reporters & Editors <KE>"
    # A mention Slack made (should_escape) keeps its markup and still names the person.
    role = await command(h, DANA, "role <@U0ALICE01|alice> coordinator")
    assert role.status == 200
    promoted = await h.running.roster.get(ALICE)
    assert promoted is not None and promoted.role.value == "coordinator"


def test_every_element_state_shape_is_read_and_typed_values_unescaped() -> None:
    body = samples.view_submission(
        user_id=ALICE,
        view={"id": "V0000000001", "type": "modal", "callback_id": "report.submit", "blocks": []},
        values=samples.every_element_state(),
        trigger_id="1.2.3",
    )
    parsed = payloads.parse(body)
    assert isinstance(parsed, payloads.ViewSubmissionPayload)
    values = parsed.view.state.values
    assert values["text"]["value"]["value"] == "Reporters & Editors <3"
    assert values["url"]["value"]["value"] == "https://example.org/?a=1&b=2"
    assert values["untouched_text"]["value"]["value"] is None
    assert values["select"]["value"]["selected_option"]["value"] == "KE"
    assert values["untouched_select"]["value"]["selected_option"] is None
    assert values["untouched_multi"]["value"]["selected_options"] == []
    assert values["datetime"]["value"]["selected_date_time"] == 1793606400
    assert values["files"]["value"]["files"] == []
    assert len(values) == len(samples.every_element_state())


async def test_report_modal_submitted_in_slacks_shape(harness: Harness) -> None:
    """Untouched optional inputs, escaped typed text, options echoed back whole."""
    h = harness
    await h.command("alice", "/report")
    await h.settle()
    view = h.slack.views_for(ALICE)[-1]
    element = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}

    def pick(block_id: str, value: str) -> dict[str, Any]:
        chosen = [o for o in element[block_id].get("options", []) if o["value"] == value]
        for group in element[block_id].get("option_groups", []):
            chosen += [o for o in group["options"] if o["value"] == value]
        return {"value": {"type": "static_select", "selected_option": chosen[0]}}

    def typed(value: str | None) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    values = {
        "victim_names": typed("A. Reporter &amp; B. Editor"),
        "victim_withheld": {"value": {"type": "checkboxes", "selected_options": []}},
        "profession": pick("profession", "journalist"),
        "gender": {"value": {"type": "static_select", "selected_option": None}},
        "violation": pick("violation", "detention"),
        "incident_date": {
            "value": {
                "type": "datepicker",
                "selected_date": element["incident_date"]["initial_date"],
            }
        },
        "country": pick("country", "KE"),
        "place": typed(None),
        "perpetrator": {"value": {"type": "static_select", "selected_option": None}},
        "urgency": {
            "value": {
                "type": "static_select",
                "selected_option": element["urgency"]["initial_option"],
            }
        },
        "summary": typed("Police &amp; army raided &lt;Radio Free&gt; and detained two reporters."),
        "restricted_notes": typed(None),
        "sources": typed(None),
        "reporter_anonymous": {"value": {"type": "checkboxes", "selected_options": []}},
    }
    body = samples.view_submission(
        user_id=ALICE, view=view, values=values, trigger_id=h.slack.new_trigger_id(ALICE)
    )
    response = await h.drive.interact(body)
    assert response.status == 200 and response.slack_error is None, response.text
    assert response.json is not None and response.json["response_action"] == "update"
    await h.settle()
    summary = await h.running.db.read.fetch_value("SELECT summary FROM cases")
    assert summary == "Police & army raided <Radio Free> and detained two reporters."
    shown = json.dumps(h.slack.all_messages())
    assert "&amp;amp;" not in shown and "&amp;lt;" not in shown


async def test_block_actions_from_a_message_and_from_a_view(harness: Harness) -> None:
    h = harness
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    card = (await h.command("bob", f"/case {public_id}")).json
    assert card is not None
    follow = next(
        e
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "case.follow"
    )
    message = {
        "type": "message",
        "ts": h.slack.next_ts(),
        "text": card["text"],
        "blocks": card["blocks"],
    }
    clicked = samples.block_actions_in_message(
        user_id=BOB,
        action={**follow, "block_id": "x"},
        message=message,
        response_url=h.slack.new_response_url(channel_id="C0GENERAL", user_id=BOB),
        trigger_id=h.slack.new_trigger_id(BOB),
    )
    assert (await h.drive.interact(clicked)).status == 200
    await h.settle()
    follows = await h.running.db.read.fetch_value("SELECT count(*) FROM follows")
    assert follows == 1

    await h.drive.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    await h.settle()
    home = h.slack.home(BOB)
    assert home is not None
    open_case = next(
        b["accessory"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == "cases.open"
    )
    in_view = samples.block_actions_in_view(
        user_id=BOB,
        action={**open_case, "block_id": "y"},
        view=home,
        trigger_id=h.slack.new_trigger_id(BOB),
    )
    assert (await h.drive.interact(in_view)).status == 200
    await h.settle()
    assert any(public_id in json.dumps(m) for m in h.slack.dm(BOB))


async def test_view_closed_and_block_suggestion(harness: Harness) -> None:
    h = harness
    await h.command("alice", "/report")
    await h.settle()
    view = h.slack.views_for(ALICE)[-1]
    closed = await h.drive.interact(samples.view_closed(user_id=ALICE, view=view))
    assert closed.status == 200 and closed.slack_error is None
    typed = samples.block_suggestion(user_id=ALICE, action_id="value", value="Ken &amp; ya")
    answer = await h.drive.interact(typed)
    assert answer.status == 200 and answer.slack_error is None
    assert answer.json == {"options": []}  # no menu of that name: no options, nothing else


async def test_events_app_home_user_change_tokens_revoked_and_retries(harness: Harness) -> None:
    h = harness
    home = samples.event_callback(samples.app_home_opened(ALICE), event_id="Ev0HOME0001")
    assert (
        await h.drive.post(json.dumps(home).encode(), content_type="application/json")
    ).status == 200
    await h.settle()
    assert h.slack.home(ALICE) is not None
    publishes = len(h.slack.calls_to("views.publish"))
    retry = await h.drive.post(
        json.dumps(home).encode(),
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
        timestamp=int(time.time()) + 1,  # a retry is signed anew, later
    )
    assert retry.status == 200
    await h.settle()
    assert len(h.slack.calls_to("views.publish")) == publishes, "a retry is handled once"

    revoked = samples.event_callback(samples.tokens_revoked(), event_id="Ev0REVOKED1")
    answer = await h.drive.post(json.dumps(revoked).encode(), content_type="application/json")
    assert answer.status == 200

    h.slack.deactivate_user(ALICE)
    gone = samples.event_callback(
        samples.user_change(h.slack.user_info(ALICE)), event_id="Ev0CHANGE01"
    )
    assert (
        await h.drive.post(json.dumps(gone).encode(), content_type="application/json")
    ).status == 200
    await h.settle()
    member = await h.running.roster.get(ALICE)
    assert member is not None and not member.is_active


async def test_url_verification_and_ssl_check(harness: Harness) -> None:
    h = harness
    body = json.dumps(samples.url_verification("c0ffee")).encode()
    verified = await h.drive.post(body, content_type="application/json")
    assert verified.status == 200 and "c0ffee" in verified.text
    unsigned = await h.drive.post(samples.SSL_CHECK, sign=False)
    assert unsigned.status == 200 and unsigned.text == ""
    signed = await h.drive.post(samples.SSL_CHECK)
    assert signed.status == 200
    sneaky = await h.drive.post(b"ssl_check=1&command=%2Fnetwork&text=help", sign=False)
    assert sneaky.status == 200 and sneaky.text == "", "nothing in an ssl_check is acted on"
    still_refused = await h.drive.post(b"command=%2Fnetwork&text=help", sign=False)
    assert still_refused.status == 401


async def test_slack_connect_person_is_refused_and_the_log_names_their_team(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await h.command("alice", "/report")
    await h.settle()
    view = h.slack.views_for(ALICE)[-1]
    caplog.set_level(logging.WARNING, logger="network_bot.middleware")
    outsider = samples.connect_view_submission(view=view, trigger_id=h.slack.new_trigger_id(ALICE))
    answer = await h.drive.interact(outsider)
    assert answer.status == 200
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM cases") == 0
    assert any(samples.PARTNER_TEAM in r.getMessage() for r in caplog.records)

    # A guest from the partner organisation clicking in our workspace: user.team_id differs
    # from team.id; refused, and the log names the guest's own workspace.
    caplog.clear()
    guest = samples.block_actions_in_message(
        user_id="U0OUTSIDE9",
        action={
            "type": "button",
            "action_id": "case.follow",
            "block_id": "b",
            "value": "NI-2026-0001",
            "text": {"type": "plain_text", "text": "Follow"},
        },
        message={"type": "message", "ts": h.slack.next_ts(), "text": "x", "blocks": []},
        response_url=h.slack.new_response_url(channel_id="C0GENERAL", user_id="U0OUTSIDE9"),
        trigger_id=h.slack.new_trigger_id(ALICE),
        user_team=samples.PARTNER_TEAM,
    )
    assert (await h.drive.interact(guest)).status == 200
    await h.settle()
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM follows") == 0
    refusals = [r.getMessage() for r in caplog.records if "another workspace" in r.getMessage()]
    assert refusals and f"person's team {samples.PARTNER_TEAM}" in refusals[0]


async def test_socket_mode_envelopes_in_slacks_shape(harness: Harness) -> None:
    h = harness
    token = h.running.settings.slack_app_token
    assert token is not None
    handler = AsyncSocketModeHandler(h.running.app, token.get_secret_value())
    await handler.connect_async()
    try:
        await h.slack.wait_for_socket(5)
        fields = samples.slash_command(
            user_id=ALICE,
            text="help",
            response_url=h.slack.new_response_url(channel_id="C0GENERAL", user_id=ALICE),
            trigger_id=h.slack.new_trigger_id(ALICE),
        )
        ack = await h.slack.socket_send("slash_commands", fields)
        assert ack is not None and "/network" in ephemeral_text(ack)
        event = samples.event_callback(samples.app_home_opened(BOB), event_id="Ev0SOCKET01")
        assert await h.slack.socket_send("events_api", event, retry_attempt=0) is not None
        await h.settle()
        assert h.slack.home(BOB) is not None
    finally:
        await handler.close_async()


def test_each_body_is_read_by_its_own_model_only() -> None:
    """A discriminated union: a body's kind picks its model, so a broken button press is
    reported against the button payload's fields, never as a failed slash command."""
    body = samples.view_submission(
        user_id=ALICE,
        view={"id": "V0000000001", "type": "modal", "callback_id": "report.submit", "blocks": []},
        values={},
        trigger_id="1.2.3",
    )
    closed = {**body, "type": "view_closed"}
    assert isinstance(payloads.parse(closed), payloads.ViewSubmissionPayload)
    broken = {**body, "type": "block_actions", "actions": "not a list"}
    with pytest.raises(payloads.ValidationError) as raised:
        payloads.parse(broken)
    places = {error["loc"][0] for error in raised.value.errors()}
    assert places == {"block_actions"}, places
    for unknown in ({"type": "shortcut"}, {"type": 3}, {}):
        with pytest.raises(payloads.UnknownPayload):
            payloads.parse(unknown)
