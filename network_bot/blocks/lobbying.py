"""The lobbying alert's prefilled text, in the coordinator's language: it is their draft to edit
in the compose form (which also takes their translations), drafted from what states owe UNESCO.

Every sentence comes from the catalogue with its plural forms; country names are CLDR's in the
language, case IDs stay as they are (isolated in right-to-left text). The text fits the compose
form's fields: a headline of 150 characters, a body of 2,000, an action of 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from network_bot.blocks import kit
from network_bot.blocks.cases import victim_label
from network_bot.i18n import Messages
from network_bot.services.campaign import LobbyingDraft
from network_bot.store.campaign import CountryDebt
from network_bot.store.cases import PublicCase

HEADLINE_MAX = 150
BODY_MAX = 2000


@dataclass(frozen=True, kw_only=True)
class LobbyingText:
    headline: str
    body: str
    action_text: str


def lobbying_text(draft: LobbyingDraft, *, lang: Messages) -> LobbyingText:
    lines = [_intro(draft.cycle, lang)]
    lines += [_country_line(d, draft.named.get(d.country, ()), lang) for d in draft.owing]
    body = "\n".join(lines)
    if len(body) > BODY_MAX:
        more = "\n" + lang.gettext("…and more: `/cases unesco` lists them all.")
        body = body[: BODY_MAX - len(more)].rsplit("\n", 1)[0] + more
    return LobbyingText(
        headline=kit.truncate(_headline(draft, lang), HEADLINE_MAX),
        body=body,
        action_text=lang.gettext(
            "Ask your government to answer UNESCO's request on the judicial status of these "
            "killings before the Director-General's report, and tell us when you have."
        ),
    )


def _headline(draft: LobbyingDraft, lang: Messages) -> str:
    if len(draft.owing) == 1:
        return lang.ngettext(
            "{country} still owes UNESCO an answer on {n} killing of journalists",
            "{country} still owes UNESCO an answer on {n} killings of journalists",
            draft.killings,
            country=lang.country(draft.owing[0].country),
        )
    return lang.gettext(
        "{states} still owe UNESCO an answer on {killings}",
        states=lang.ngettext("{n} state", "{n} states", len(draft.owing)),
        killings=lang.ngettext("{n} killing", "{n} killings", draft.killings),
    )


def _intro(cycle: int | None, lang: Messages) -> str:
    if cycle:
        return lang.gettext(
            "UNESCO asks every state for the judicial status of each killing of a journalist, "
            "for the {cycle} report of the Director-General on the safety of journalists and the "
            "danger of impunity. These states have not answered:",
            cycle=str(cycle),
        )
    return lang.gettext(
        "UNESCO asks every state for the judicial status of each killing of a journalist, for "
        "the report of the Director-General on the safety of journalists and the danger of "
        "impunity. These states have not answered:"
    )


def _country_line(debt: CountryDebt, named: tuple[PublicCase, ...], lang: Messages) -> str:
    cases = ", ".join(
        lang.gettext(
            "{id} ({victim}, {year})",
            id=c.public_id,
            victim=victim_label(c, lang),
            year=str(c.incident_date.year),
        )
        for c in named
    )
    more = debt.unanswered - len(named)
    if more > 0:
        cases = lang.ngettext("{cases} and {n} more", "{cases} and {n} more", more, cases=cases)
    return "- " + lang.ngettext(
        "{country}: {unanswered} of {n} unanswered: {cases}",
        "{country}: {unanswered} of {n} unanswered: {cases}",
        debt.killings,
        country=lang.country(debt.country),
        unanswered=debt.unanswered,
        cases=cases,
    )
