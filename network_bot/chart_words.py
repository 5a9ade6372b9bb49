"""What a chart says, in the reader's language: the words drawn on it, its title, its alt text
and the message that introduces the file in Slack.

The figures (:class:`~network_bot.charts.ChartData`) come from the record without a word; this
module turns them into words with the reader's :class:`~network_bot.i18n.Messages` (sentences and
plural forms from the catalogue, numbers, dates and country names from Babel). The drawing
process gets a :class:`~network_bot.charts.ChartWords` of plain strings, never the catalogue.
"""

from __future__ import annotations

from datetime import date

from network_bot import bidi
from network_bot.charts import ALT_TEXT_MAX, ChartData, ChartWords
from network_bot.i18n import Messages, Text, say

SOCIAL_PIXELS = ("1200", "675")
COMMENTS: dict[str, Text] = {
    "member": say(
        "The picture of the record: verified killings by year and impunity, and whether "
        "states answered UNESCO. Counts only; fine to share."
    ),
    "digest": say(
        "The picture for the day: verified killings by year and impunity, and whether states "
        "answered UNESCO. Post it to the campaign channel or save it for social media with the "
        "buttons on the digest."
    ),
    "campaign": say(
        "The picture for the day: verified killings of journalists by year and impunity, and "
        "whether states answered UNESCO."
    ),
}


def title(data: ChartData, lang: Messages) -> str:
    """The chart's title, also the file's title in Slack."""
    base = (
        lang.gettext(
            "Killings of journalists in {country} and the danger of impunity",
            country=lang.country(data.country),
        )
        if data.country
        else lang.gettext("Killings of journalists and the danger of impunity")
    )
    if data.since:
        return lang.gettext("{title}, since {year}", title=base, year=str(data.since))
    return base


def words(data: ChartData, lang: Messages, *, day: date) -> ChartWords:
    """Every word the drawing process needs, for one chart in ``lang``."""
    return ChartWords(
        title=title(data, lang),
        years_axis=lang.gettext("Year of the killing"),
        killings_axis=lang.gettext("Verified killings"),
        impunity={
            "complete": lang.gettext("Complete impunity (no conviction)"),
            "partial": lang.gettext("Partial impunity (not all convicted)"),
            "full_justice": lang.gettext("Full justice"),
        },
        answers_title=lang.gettext("Did the state answer UNESCO?"),
        answered=lang.gettext("State answered"),
        unanswered=lang.gettext("No answer"),
        answers_axis=lang.gettext("Killings"),
        no_killings=lang.gettext("No verified killings on record"),
        source=lang.gettext(
            "Source: the network's verified case record, {day}", day=lang.date(day)
        ),
        countries={a.country: lang.country(a.country) for a in data.answers},
        locale=str(lang.locale),
        rtl=lang.rtl,
    )


def alt_text(data: ChartData, lang: Messages) -> str:
    """What a screen reader says instead of the picture: within Slack's 1,000 characters."""
    named = title(data, lang)
    if not data.total:
        text = lang.gettext("Chart: {title}. No verified killings on record.", title=named)
        return _within(text)
    peak = max(data.years, key=lambda y: (y.total, -y.year))
    answered = sum(a.answered for a in data.answers)
    asked = sum(a.killings for a in data.answers)
    sentences = [
        lang.gettext("Two-panel chart: {title}.", title=named),
        lang.ngettext(
            "Left: {n} verified killing from {first} to {last}, by year.",
            "Left: {n} verified killings from {first} to {last}, by year.",
            data.total,
            first=str(data.years[0].year),
            last=str(data.years[-1].year),
        ),
        lang.gettext(
            "Complete impunity: {complete}; partial impunity: {partial}; full justice: {full}.",
            complete=sum(y.complete for y in data.years),
            partial=sum(y.partial for y in data.years),
            full=sum(y.full_justice for y in data.years),
        ),
        lang.ngettext(
            "Most in {year}: {n} killing.",
            "Most in {year}: {n} killings.",
            peak.total,
            year=str(peak.year),
        ),
        lang.ngettext(
            "Right: whether states answered UNESCO on the judicial status of each killing, by "
            "country: {answered} of {n} killing answered.",
            "Right: whether states answered UNESCO on the judicial status of each killing, by "
            "country: {answered} of {n} killings answered.",
            asked,
            answered=answered,
        ),
    ]
    owed = sorted((a for a in data.answers if a.unanswered), key=lambda a: -a.unanswered)[:5]
    if owed:
        items = [
            lang.ngettext(
                "{country} ({n} unanswered)",
                "{country} ({n} unanswered)",
                a.unanswered,
                country=lang.country(a.country),
            )
            for a in owed
        ]
        sentences.append(lang.gettext("Most owed: {countries}.", countries=", ".join(items)))
    return _within(" ".join(sentences))


def comment(kind: str, lang: Messages, *, alt: str) -> str:
    """The message that introduces the file (the social-media one carries its alt text)."""
    if kind == "social":
        width, height = SOCIAL_PIXELS
        return lang.gettext(
            "Sized for social media ({width} by {height} pixels). Alt text to paste with it: {alt}",
            width=width,
            height=height,
            alt=alt,
        )
    return lang.render(COMMENTS[kind])


def _within(text: str) -> str:
    """Cut at ``ALT_TEXT_MAX`` characters, never inside a bidi isolate."""
    if len(text) <= ALT_TEXT_MAX:
        return text
    return bidi.strip_controls(text)[: ALT_TEXT_MAX - 1] + "…"
