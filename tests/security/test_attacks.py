"""An outsider's attacks on the bot as it stands, each through the real HTTP endpoint.

Each test here once passed on the bot when it should not have (or, marked ``xfail``, still
does): what it probes is named in its docstring.
"""

from __future__ import annotations

import json
import logging

import pytest

from network_bot.store import cases, updates
from network_bot.testing.flows import GOOD, report, submit_update
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text

ALICE, BOB, EMMA, CHIDI = "U0ALICE01", "U0BOBBY02", "U0EMMA003", "U0CHIDI04"
REVIEW, ALERTS = "C0REVIEW1", "C0ALERTS1"
MISSING = "NI-2026-0999"


def same_but_id(one: str, other: str, *, ids: tuple[str, str]) -> bool:
    return one.replace(ids[0], "<ID>") == other.replace(ids[1], "<ID>")


async def last_ephemeral(h: Harness, user_id: str) -> str:
    await h.settle()
    said = h.slack.ephemerals(user_id)
    assert said, "the bot said nothing"
    return str(said[-1].get("text", ""))


# ----------------------------------------------------------------------------- existence


async def test_unfollowing_a_hidden_report_answers_as_for_a_missing_case(h: Harness) -> None:
    """``/unfollow`` and the "Stop following" button said "There is no case X" for a missing
    case but "Stopped following X (you were not following it)" for an unverified report of
    someone else's: a member could probe which IDs hold reports coordinators have not verified."""
    hidden = await report(h, "alice", summary="A report only coordinators and Alice may see.")
    for command in ("/unfollow", "/follow"):
        for spelling in ("{id}", "{id} ", "{lower}"):
            hidden_text = spelling.format(id=hidden, lower=hidden.lower())
            missing_text = spelling.format(id=MISSING, lower=MISSING.lower())
            to_hidden = ephemeral_text((await h.command("bob", f"{command} {hidden_text}")).json)
            to_missing = ephemeral_text((await h.command("bob", f"{command} {missing_text}")).json)
            assert same_but_id(to_hidden, to_missing, ids=(hidden, MISSING)), (
                command,
                to_hidden,
                to_missing,
            )
    answers = []
    for target in (hidden, MISSING):
        await h.drive.block_action(
            BOB, "follow.stop", value=f"case:{target}", channel_id="C0GENERAL"
        )
        answers.append(await last_ephemeral(h, BOB))
    assert same_but_id(answers[0], answers[1], ids=(hidden, MISSING)), answers
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM follows") == 0


async def test_a_member_still_stops_following_a_case_they_follow(h: Harness) -> None:
    """The fix above must not lock anyone into a case: a follow of a visible case ends."""
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    await h.command("bob", f"/follow {public_id}")
    said = ephemeral_text((await h.command("bob", f"/unfollow {public_id.lower()}")).json)
    assert f"You no longer follow *{public_id}*." in said
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM follows") == 0


# ----------------------------------------------------------------------------- withheld names


async def withheld_verified_case(h: Harness) -> str:
    public_id = await report(h, "alice", victim_names="Ahmed Raza", victim_withheld=True)
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    return public_id


@pytest.mark.parametrize("user", ["bob", "chidi"])
@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("body", {"body": "The family of AHMED raza was threatened again."}),
        ("body", {"body": "Police questioned Ahmed's neighbours about the abduction."}),
        (
            "source_url",
            {
                "body": "Police opened an investigation.",
                "source_url": "https://example.org/news/ahmed-raza-missing",
            },
        ),
    ],
)
async def test_an_update_may_not_name_a_withheld_victim(
    h: Harness, user: str, field: str, values: dict[str, str]
) -> None:
    """A case update reaches every follower (and the card every member): its text and link
    were never checked against the withheld name, so a member's proposal or a coordinator's
    update could name the victim whose name the reporter asked to withhold."""
    public_id = await withheld_verified_case(h)
    await h.command("emma", f"/follow {public_id}")
    answer = await submit_update(h, user, public_id, **values)
    assert answer.get("response_action") == "errors", answer
    assert "withhold" in answer["errors"][field]
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM case_updates") == 0
    card = ephemeral_text((await h.command("emma", f"/case {public_id}")).json)
    assert "Ahmed" not in card and "ahmed" not in card


async def test_an_update_without_the_name_is_still_recorded(h: Harness) -> None:
    public_id = await withheld_verified_case(h)
    answer = await submit_update(h, "chidi", public_id, body="The blogger's family was threatened.")
    assert answer.get("response_action") == "update", answer
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM case_updates") == 1


# ----------------------------------------------------------------------------- logs


@pytest.mark.parametrize(
    "line",
    [
        "/case NI-2026-0001 AhmedRazaWasTaken",
        "/network Zainab-Hussain-phone",
        '/network "Zainab Hussain"',
    ],
)
async def test_an_unknown_subcommand_is_not_written_to_the_log(
    h: Harness, caplog: pytest.LogCaptureFixture, line: str
) -> None:
    """The route logged the first 20 characters of an unknown subcommand: member text (a
    name, a phone number) in the operators' logs."""
    caplog.set_level(logging.DEBUG, logger="network_bot")
    response = await h.command("bob", line)
    assert "I don't know" in ephemeral_text(response.json)
    await h.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records).lower()
    for typed in ("ahmedraza", "zainab"):
        assert typed not in logged, logged


# ----------------------------------------------------------------------------- Slack Connect


async def test_no_post_into_a_channel_whose_sharing_slack_would_not_say(h: Harness) -> None:
    """The review channel was shared with a partner organisation; conversations.info then
    fails (``internal_error``, which Slack documents for a transient fault): the review card of
    a new report must not go out until Slack says the channel is not shared."""
    h.slack.add_channel(REVIEW, "case-review", is_ext_shared=True, is_private=True)
    h.slack.inject("conversations.info", error="internal_error", times=None)
    await report(h, "alice", summary=GOOD["summary"])
    await h.settle()
    assert not h.slack.messages(REVIEW)


async def test_a_channel_shared_after_the_preview_gets_no_alert(h: Harness) -> None:
    """A coordinator previews an alert to #network-alerts (not shared), a partner organisation
    is then invited to the channel, and the coordinator confirms: the alert must not reach a
    channel that is shared by the time it is posted, since nobody ticked "include shared"."""
    values = {
        "headline": "Free Aung now",
        "body": "Our colleague was detained for reporting on the protests. Ask for his release.",
        "action_kind": "sign_letter",
        "urgency": "high",
        "audience": [],
        "channels": [ALERTS],
    }
    await h.command("chidi", "/alert")
    await h.settle()
    answer = await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], values)
    assert answer.json is not None and answer.json.get("response_action") == "push"
    h.slack.add_channel(ALERTS, "network-alerts", is_ext_shared=True)
    confirm = h.slack.views_for(CHIDI)[-1]
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    await h.settle()
    assert not h.slack.messages(ALERTS), json.dumps(h.slack.messages(ALERTS))[:300]


async def test_an_older_proposal_naming_a_withheld_victim_cannot_be_approved(h: Harness) -> None:
    """Proposals written before the form refused them are caught when a coordinator approves."""
    public_id = await withheld_verified_case(h)
    await h.command("emma", f"/follow {public_id}")
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None
    async with h.running.db.transaction() as tx:
        update_id = await updates.insert(
            tx,
            case_id=record.id,
            author_id=BOB,
            state=updates.UpdateState.PROPOSED,
            happened_on=record.incident_date,
            body="Ahmed Raza was seen alive in a police station.",
            source_url="",
            stage_from=None,
            stage_to=None,
            skip_reason="",
            now=h.running.clock.now(),
        )
    await h.drive.block_action(CHIDI, "update.approve", value=str(update_id), channel_id=REVIEW)
    assert "can't be approved" in await last_ephemeral(h, CHIDI)
    state = await h.running.db.read.fetch_value(
        "SELECT state FROM case_updates WHERE id = ?", (update_id,)
    )
    assert state == "proposed"
    await h.running.timeline.flush_notifications()
    await h.settle()
    assert "Ahmed" not in json.dumps(h.slack.dm(EMMA))


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("body", {"body": "Ask for the release of Ahmed Raza, abducted last week in Lahore."}),
        ("headline", {"headline": "Free RAZA now"}),
        ("link", {"link": "https://example.org/free-ahmed-raza"}),
    ],
)
async def test_an_alert_about_a_case_may_not_name_its_withheld_victim(
    h: Harness, field: str, changes: dict[str, str]
) -> None:
    """An alert about a case goes to the whole network; the coordinator (who reads the
    restricted part) could type the withheld name into it and nothing refused it."""
    public_id = await withheld_verified_case(h)
    await h.command("chidi", f"/alert {public_id}")
    await h.settle()
    form = h.slack.views_for(CHIDI)[-1]
    values = {
        "headline": "Free the blogger now",
        "body": "Our colleague was abducted for blogging about the protests. Ask for release.",
        "action_kind": "sign_letter",
        "urgency": "high",
        "audience": ["all"],
        **changes,
    }
    answer = await h.drive.submit_view(CHIDI, form, values)
    assert answer.json is not None and answer.json.get("response_action") == "errors", answer.json
    assert "withhold" in answer.json["errors"][field]
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM alerts") == 0
    without = {k: v for k, v in values.items() if k not in changes}
    fine = await h.drive.submit_view(CHIDI, form, {**without, "headline": "Free the blogger"})
    assert fine.json is not None and fine.json.get("response_action") == "push", fine.json
