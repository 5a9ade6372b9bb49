"""Each kind of message and view the bot builds, at its largest, posted to the strict stand-in.

The scenarios in test_boundaries.py reach most surfaces through the bot; the builders here are
fed their largest inputs directly (the most items each one shows, every text at its field's
maximum, full of characters that need escaping) and posted with slack_sdk as the bot posts them,
in every language the bot speaks (translations run longer than English).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.blocks import alert_form, alerts, cases, kit, report, updates
from network_bot.i18n import Catalogue, Messages, say
from network_bot.store.alerts import Alert, AlertState, Audience, Response
from network_bot.store.cases import PublicCase
from network_bot.store.updates import CaseUpdate, UpdateState
from network_bot.testing.stand_in import SlackStandIn
from network_bot.vocabulary import (
    Gender,
    Perpetrator,
    Profession,
    Stage,
    Status,
    Urgency,
    Violation,
)

NASTY = "R&D <b>*bold*</b> _it_ & > < 📰👩🏽‍⚖️ é "
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CATALOGUE = Catalogue()
LANGUAGES = CATALOGUE.languages


def nasty(size: int) -> str:
    return (NASTY * (size // len(NASTY) + 1))[: max(1, size // 2)]


def public_case(n: int) -> PublicCase:
    return PublicCase(
        id=n,
        public_id=f"NI-2026-{n:04d}",
        status=Status.VERIFIED,
        victim_label=nasty(300),
        profession=Profession.HUMAN_RIGHTS_DEFENDER,
        gender=Gender.UNKNOWN,
        violation=Violation.ENFORCED_DISAPPEARANCE,
        incident_date=date(2020, 1, 1),
        country="KE",
        place=nasty(200),
        perpetrator=Perpetrator.STATE,
        urgency=Urgency.URGENT,
        summary=nasty(2500),
        sources=tuple(f"https://example.org/{'s' * 250}/{i}?a=1&b=2" for i in range(10)),
        justice_stage=Stage.NO_INVESTIGATION,
        justice_stage_date=None,
        reporter_id="U0ALICE01",
        created_at=NOW,
        redacted=True,
    )


def update(n: int) -> CaseUpdate:
    return CaseUpdate(
        id=n,
        case_id=1,
        created_at=NOW,
        author_id="U0BOBBY02",
        state=UpdateState.APPROVED,
        happened_on=date(2026, 11, 1),
        body=nasty(2000),
        source_url=f"https://example.org/{'u' * 400}?n={n}&x=<y>",
        stage_from=None,
        stage_to=Stage.CHARGED,
        skip_reason=nasty(300),
        reviewed_by=None,
        reviewed_at=None,
        edited_at=None,
    )


def alert(n: int) -> Alert:
    return Alert(
        created_by="U0CHIDI04",
        headline=nasty(150),
        body=nasty(2000),
        action_kind="custom",
        action_text=nasty(500),
        link="https://example.org/letter?a=1&b=2",
        deadline=date(2026, 12, 1),
        urgency=Urgency.URGENT,
        audience=Audience(all_members=True, channels=("C0GENERAL",), include_shared=True),
        id=n,
        public_id=f"AL-2026-{n:04d}",
        created_at=NOW,
        state=AlertState.SENT,
        recipient_count=100_000,
        digest_count=5000,
        channel_count=40,
        sent_at=NOW,
        recalled_at=None,
        recalled_by=None,
        status_outbox_id=None,
    )


def messages(lang: Messages) -> dict[str, dict[str, Any]]:
    case = public_case(1)
    many = [public_case(n) for n in range(1, 41)]
    restricted = cases.Restricted(
        notes=nasty(3000), reporter_id="U0ALICE01", reporter_anonymous=True, victim_names=nasty(300)
    )
    return {
        "case card": cases.case_card(
            case,
            today=date(2026, 11, 25),
            lang=lang,
            followers=10**6,
            restricted=restricted,
            can_update=True,
            extra=updates.timeline_blocks([update(n) for n in range(10)], lang=lang),
        ),
        "search results": cases.search_results(
            many[:10],
            today=date(2026, 11, 25),
            lang=lang,
            title=nasty(150),
            page=99,
            next_value="x" * 1900,
            prev_value="y" * 1900,
        ),
        "review card": cases.review_card(
            case,
            reporter_anonymous=False,
            similar=[
                (c, (say(nasty(100)), say(nasty(100)), say("the same place"))) for c in many[:20]
            ],
            reviewer="U0CHIDI04",
            lang=lang,
        ),
        "urgent DM": cases.urgent_dm(case, lang=lang),
        "notification": updates.notification(
            [(c, [update(n) for n in range(20)]) for c in many], lang=lang
        ),
        "proposal card": updates.proposal_card(case, update(1), lang=lang),
        "alert": alerts.alert_message(alert(1), case_public_id="NI-2026-0001", lang=lang),
        **{
            f"digest part {number}": part
            for number, part in enumerate(
                alerts.digest_messages(
                    [alert(n) for n in range(30)], local_day=date(2026, 11, 2), lang=lang
                ),
                start=1,
            )
        },
        "status": alerts.status_message(
            alert(1),
            counts=alerts.StatusCounts(
                delivered=10**5, pending=10**5, failed=10**5, cancelled=10**5
            ),
            tallies={r: 10**5 for r in Response},
            by_organisation={nasty(80) + str(i): {r: 9 for r in Response} for i in range(40)},
            failures=[(f"U0FAIL{i:04d}", nasty(100)) for i in range(50)],
            lang=lang,
        ),
    }


def views(lang: Messages) -> dict[str, dict[str, Any]]:
    case = public_case(1)
    return {
        "report": report.report_modal(
            summary=nasty(2500), channel_id="C0GENERAL", today=date(2026, 11, 25), lang=lang
        ),
        "compose alert": alert_form.compose_modal(
            headline=nasty(150),
            body=nasty(2000),
            case_public_id="NI-2026-0001",
            has_case=True,
            lang=lang,
            translate_into=[m for m in CATALOGUE.choices() if m is not lang],
        ),
        "preview": alert_form.preview_modal(
            alert(1),
            case_public_id="NI-2026-0001",
            recipients=10**6,
            digests=10**5,
            muted=10**4,
            channel_names=[(nasty(80) + str(i), i % 2 == 0) for i in range(200)],
            lang=lang,
        ),
        "update": updates.update_modal(
            case=case, today=date(2026, 11, 25), coordinator=True, lang=lang
        ),
        "reject": cases.reason_modal(public_id=case.public_id, lang=lang),
        "duplicate": cases.duplicate_modal(public_id=case.public_id, lang=lang),
        "received": report.report_received_view(
            case.public_id,
            similar=[(public_case(n), (say(nasty(100)),)) for n in range(30)],
            lang=lang,
        ),
    }


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as stand_in:
        stand_in.add_user("U0ALICE01", "alice")
        stand_in.add_channel("C0GENERAL", "general")
        yield stand_in


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(messages(CATALOGUE.source)))
async def test_each_message_at_its_largest_is_accepted(
    slack: SlackStandIn, name: str, language: str
) -> None:
    body = messages(CATALOGUE.get(language))[name]
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
    await client.chat_postMessage(channel="C0GENERAL", text=body["text"], blocks=body["blocks"])
    assert slack.violations == []
    assert len(body["blocks"]) <= kit.MESSAGE_BLOCKS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(views(CATALOGUE.source)))
async def test_each_modal_at_its_largest_is_accepted(
    slack: SlackStandIn, name: str, language: str
) -> None:
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
    view = views(CATALOGUE.get(language))[name]
    await client.views_open(trigger_id=slack.new_trigger_id("U0ALICE01"), view=view)
    assert slack.violations == []
