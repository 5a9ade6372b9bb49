"""Each member's language: from Slack at first contact, changed with ``/network language``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from network_bot.testing.stand_in import SlackStandIn

NEWCOMER = "U0NADIA07"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(db_path=tmp_path / "bot.sqlite3") as harness:
        yield harness


async def language_of(h: Harness, user_id: str) -> tuple[str | None, bool]:
    member = await h.running.roster.get(user_id)
    assert member is not None
    return member.language, member.language_chosen


async def test_users_info_shows_the_locale_only_when_asked() -> None:
    """Slack: ``include_locale``, "Set this to true to receive the locale for this user"."""
    async with SlackStandIn() as slack:
        slack.add_user(NEWCOMER, "nadia", locale="ar")
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
        plain = (await client.users_info(user=NEWCOMER))["user"]
        assert "locale" not in plain
        asked = (await client.users_info(user=NEWCOMER, include_locale=True))["user"]
        assert asked["locale"] == "ar"
        listed = (await client.users_list(include_locale=True))["members"]
        assert {u["id"]: u.get("locale") for u in listed}[NEWCOMER] == "ar"
        assert all("locale" not in u for u in (await client.users_list())["members"])


@pytest.mark.parametrize(
    ("locale", "language", "said"),
    [
        ("fr-FR", "fr", "français"),
        ("es-ES", "es", "español"),
        ("ar", "ar", "العربية"),
        ("es-419", "es", "español"),
        ("de-DE", "en", "English"),  # a locale the bot does not speak: English
    ],
)
async def test_the_first_answer_is_already_in_the_members_language(
    h: Harness, locale: str, language: str, said: str
) -> None:
    h.slack.add_user(NEWCOMER, "nadia", locale=locale)
    response = await h.command(NEWCOMER, "/network language")
    assert response.status == 200
    shown = ephemeral_text(response.json)
    assert said in shown.split("\n")[0]  # "You read the bot in ..." names it in itself
    assert await language_of(h, NEWCOMER) == (language, False)
    asked = [c for c in h.slack.calls_to("users.info") if c.params.get("user") == NEWCOMER]
    assert asked and all(c.params.get("include_locale") in ("1", "true") for c in asked)


async def test_language_alone_lists_the_choices_each_in_its_own_language(h: Harness) -> None:
    shown = ephemeral_text((await h.command("alice", "/network language")).json)
    for name, code in (("English", "en"), ("français", "fr"), ("español", "es"), ("العربية", "ar")):
        assert f"{name}: `/network language {code}`" in shown


async def test_a_member_chooses_a_language_and_slack_no_longer_overrides_it(h: Harness) -> None:
    response = await h.command("alice", "/network language es")
    assert "A partir de ahora te escribo en español" in ephemeral_text(response.json)
    assert await language_of(h, "U0ALICE01") == ("es", True)
    me = ephemeral_text((await h.command("alice", "/network me")).json)
    assert "español" in me
    # Slack's profile (with another locale) comes in later: the member's choice stands.
    h.slack.add_user("U0ALICE01", "alice", locale="fr-FR")
    await h.drive.event(
        {"type": "user_change", "user": h.slack.user_info("U0ALICE01", include_locale=True)}
    )
    await h.settle()
    assert await language_of(h, "U0ALICE01") == ("es", True)
    back = await h.command("alice", "/network language EN")
    assert "From now on I write to you in English" in ephemeral_text(back.json)


async def test_a_language_the_bot_does_not_speak_is_refused_with_the_choices(h: Harness) -> None:
    shown = ephemeral_text((await h.command("bob", "/network language klingon")).json)
    assert "I don't speak `klingon` yet." in shown
    assert "`/network language fr`" in shown
    assert await language_of(h, "U0BOBBY02") == ("en", False)
    for junk in ("fr es", "lang:fr", "<@U0ALICE01>"):
        shown = ephemeral_text((await h.command("bob", f"/network language {junk}")).json)
        assert "`/network language ar`" in shown
    assert await language_of(h, "U0BOBBY02") == ("en", False)


async def test_slacks_locale_follows_a_member_who_has_not_chosen(h: Harness) -> None:
    h.slack.add_user("U0BOBBY02", "bob", locale="ar")
    await h.drive.event(
        {"type": "user_change", "user": h.slack.user_info("U0BOBBY02", include_locale=True)}
    )
    await h.settle()
    assert await language_of(h, "U0BOBBY02") == ("ar", False)
