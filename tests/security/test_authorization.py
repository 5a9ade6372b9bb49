"""Parse-once authorization: what a member's text is authorized as is exactly what runs.

Each case here was once run for a plain member (the role was read from the first raw token
while the handler dispatched on the first word after shell-style reading).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_bot.roles import Role
from network_bot.store import audit, members
from network_bot.testing.flows import ALERT, send
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text

ALICE, BOB, DANA = "U0ALICE01", "U0BOBBY02", "U0DANA006"
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


async def role_of(h: Harness, user_id: str) -> Role:
    member = await members.get(h.running.db.read, user_id)
    assert member is not None
    return member.role


async def role_changes(h: Harness) -> int:
    return int(
        await h.running.db.read.fetch_value(
            "SELECT count(*) FROM audit_log WHERE action = 'role.change' AND actor_id != 'settings'"
        )
    )


@pytest.mark.parametrize(
    "text",
    [
        '"audit" NI-2026-0001 all',
        "'audit'",
        "“audit” all",
        "AUDIT",
        "since:2026-01-01 audit",
        "<@U0BOBBY02|bob> audit",
    ],
)
async def test_a_member_cannot_read_the_audit_log_however_it_is_written(
    h: Harness, text: str
) -> None:
    await h.command("dana", "/network role <@U0BOBBY02|bob> coordinator")  # an entry to leak
    response = await h.command("alice", f"/network {text}")
    said = ephemeral_text(response.json)
    assert "Only admins can do that" in said
    assert "role.change" not in said and "Audit" not in said


@pytest.mark.parametrize("text", ["page:1 members", "role:admin members", '"members"'])
async def test_a_member_cannot_list_the_roster_however_it_is_written(h: Harness, text: str) -> None:
    response = await h.command("alice", f"/network {text}")
    said = ephemeral_text(response.json)
    assert "Only coordinators can do that" in said
    assert "U0CHIDI04" not in said


@pytest.mark.parametrize(
    "text",
    [
        "<@U0ALICE01|me> role admin",
        "U0ALICE01 role admin",
        '"role" <@U0ALICE01> admin',
        "lang:en role <@U0ALICE01> admin",
    ],
)
async def test_a_member_cannot_make_themself_admin(h: Harness, text: str) -> None:
    response = await h.command("alice", f"/network {text}")
    assert "Only admins can do that" in ephemeral_text(response.json)
    assert await role_of(h, ALICE) is Role.MEMBER
    assert await role_changes(h) == 0
    refused = await audit.search(
        h.running.db.read, actor_id=ALICE, outcomes=(audit.Outcome.REFUSED,)
    )
    assert [e.action for e in refused] == ["command /network role"]


@pytest.mark.parametrize(
    "text",
    [
        "NI-2026-0001 VERIFY",
        "ni-2026-0001 Redact reason",
        "NI-2026-0001 duplicate-of NI-2026-0002",
    ],
)
async def test_case_decisions_are_authorized_on_the_verb_that_runs(h: Harness, text: str) -> None:
    response = await h.command("alice", f"/case {text}")
    assert "Only" in ephemeral_text(response.json)
    assert "can do that" in ephemeral_text(response.json)


async def test_cases_export_is_for_coordinators_in_any_letter_case(h: Harness) -> None:
    for text in ("export", "EXPORT csv", "Export xlsx unesco"):
        response = await h.command("alice", f"/cases {text}")
        assert "Only coordinators can do that" in ephemeral_text(response.json)
    assert not h.slack.calls_to("files.getUploadURLExternal")


WORDS = st.sampled_from(
    [
        "role",
        "ROLE",
        '"role"',
        "'members'",
        "audit",
        '"audit"',
        "members",
        "admin",
        "coordinator",
        "page:1",
        "since:2026-01-01",
        "lang:en",
        "all",
        "<@U0ALICE01|me>",
        "<@U0ALICE01>",
        "U0ALICE01",
        "<#C0GENERAL|general>",
        "“role”",
        "me",
        "help",
        "",
    ]
)


@SETTINGS
@given(words=st.lists(WORDS, min_size=1, max_size=5))
async def test_no_arrangement_of_words_lets_a_member_act_above_their_role(
    h: Harness, words: list[str]
) -> None:
    response = await h.command("alice", "/network " + " ".join(words))
    assert response.status == 200
    said = ephemeral_text(response.json)
    assert await role_of(h, ALICE) is Role.MEMBER
    assert await role_changes(h) == 0
    assert "U0CHIDI04" not in said  # the roster (chidi is a coordinator)
    assert "read_restricted" not in said and "role.change" not in said


async def test_every_guarded_service_refuses_a_member_itself(h: Harness) -> None:
    """Defence in depth: called directly, as a path that forgot the route's check would."""
    from network_bot.exports import ExportFormat, ExportRequest
    from network_bot.refusal import NotAllowed
    from network_bot.store.alerts import AlertDraft, Audience

    bot = h.running
    member = await members.get(bot.db.read, ALICE)
    assert member is not None and member.role is Role.MEMBER
    draft = AlertDraft(
        created_by=ALICE,
        headline="A headline",
        body="A body long enough",
        action_kind="statement",
        audience=Audience(all_members=True),
    )
    calls = {
        "roster.change_role": lambda: bot.roster.change_role(
            actor=member, target_id=ALICE, role=Role.ADMIN
        ),
        "roster.list": lambda: bot.roster.list(member, role=None, limit=5, offset=0),
        "roster.audit_trail": lambda: bot.roster.audit_trail(
            member, person=None, target=None, since=None, everything=True
        ),
        "cases.verify": lambda: bot.cases.verify(member, "NI-2026-0001"),
        "cases.reject": lambda: bot.cases.reject(member, "NI-2026-0001", "no"),
        "cases.mark_duplicate": lambda: bot.cases.mark_duplicate(
            member, "NI-2026-0001", "NI-2026-0002"
        ),
        "cases.claim": lambda: bot.cases.claim(member, "NI-2026-0001"),
        "redactions.redact": lambda: bot.redactions.redact(member, "NI-2026-0001", "asked"),
        "exports.for_slack": lambda: bot.exports.for_slack(
            member, ExportRequest(format=ExportFormat.CSV)
        ),
        "alerts.prefill": lambda: bot.alerts.prefill(member, "NI-2026-0001"),
        "alerts.draft": lambda: bot.alerts.draft(member, draft, []),
        "alerts.send": lambda: bot.alerts.send(member, 1),
        "alerts.recall": lambda: bot.alerts.recall(member, "AL-2026-0001", "a reason"),
        "alerts.recent": lambda: bot.alerts.recent(member),
        "timeline.decide": lambda: bot.timeline.decide(member, 1, approve=True),
        "timeline.edit": lambda: bot.timeline.edit(member, 1, body="x", source_url=""),
    }
    refused = []
    for name, call in calls.items():
        with pytest.raises(NotAllowed):
            await call()
        refused.append(name)
    assert refused == list(calls)
    assert await role_of(h, ALICE) is Role.MEMBER


async def test_only_people_an_alert_reached_can_answer_it(h: Harness) -> None:
    """An answer counts in the coordinators' tally: a tampered button cannot add one."""

    public_id = await send(h, {**ALERT, "audience": [], "countries": ["PK"]})  # bob only
    alert_id = int(
        await h.running.db.read.fetch_value(
            "SELECT id FROM alerts WHERE public_id = ?", (public_id,)
        )
    )
    await h.drive.block_action(ALICE, "alert.respond.done", value=f"{alert_id}:done")
    await h.drive.block_action(BOB, "alert.respond.done", value=f"{alert_id}:done")
    await h.settle()
    answered = await h.running.db.read.fetch_all(
        "SELECT user_id FROM alert_responses WHERE alert_id = ?", (alert_id,)
    )
    assert [r[0] for r in answered] == [BOB]
    assert "not valid" in ephemeral_text(h.slack.ephemerals(ALICE)[-1])
