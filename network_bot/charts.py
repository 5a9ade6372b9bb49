"""The picture for the day: killings by year split by impunity, and states' answers to UNESCO.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global figure
state), so a worker process can draw one chart after another. :func:`render_png` is a plain
function of picklable data: the bot runs it in a process pool, off the event loop.

Every word on the chart and in its alt text comes from :data:`LABELS` through :func:`label`,
so a translation is one more entry there. The numbers drawn are also written into the PNG's
metadata (``network-bot:data``), so anyone holding the file can check it against the record.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from enum import Enum

DEFAULT_LANGUAGE = "en"
METADATA_KEY = "network-bot:data"
ALT_TEXT_MAX = 1000  # Slack refuses longer alt text (files.getUploadURLExternal: alt_txt_too_large)
MAX_COUNTRIES = 12

# One place for every label: {language: {key: text}}. Texts use str.format fields.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Killings of journalists and the danger of impunity",
        "title_country": "Killings of journalists in {country} and the danger of impunity",
        "since": "since {year}",
        "years_axis": "Year of the killing",
        "killings_axis": "Verified killings",
        "complete": "Complete impunity (no conviction)",
        "partial": "Partial impunity (not all convicted)",
        "full_justice": "Full justice",
        "answers_title": "Did the state answer UNESCO?",
        "answered": "State answered",
        "unanswered": "No answer",
        "answers_axis": "Killings",
        "no_killings": "No verified killings on record",
        "source": "Source: the network's verified case record, {day}",
        "alt": (
            "Two-panel chart. Left: {title}, {total} verified killings from {first} to "
            "{last}; {complete} in complete impunity, {partial} in partial impunity, "
            "{full} with full justice; most in {peak_year} ({peak}). Right: states' answers "
            "to UNESCO on the judicial status of each killing, by country: {answered} of "
            "{total_answers} answered.{owed}"
        ),
        "alt_owed": " Most owed: {countries}.",
        "alt_owed_item": "{country} ({count} unanswered)",
        "alt_empty": "Chart: {title}. No verified killings on record.",
        "comment_member": (
            "The picture of the record{scope}: verified killings by year and impunity, and "
            "whether states answered UNESCO. Counts only; fine to share."
        ),
        "comment_digest": (
            "The picture for the day{scope}: verified killings by year and impunity, and "
            "whether states answered UNESCO. Post it to the campaign channel or save it for "
            "social media with the buttons on the digest."
        ),
        "comment_campaign": (
            "The picture for the day{scope}: verified killings of journalists by year and "
            "impunity, and whether states answered UNESCO."
        ),
        "comment_social": (
            "Sized for social media (1200 by 675 pixels){scope}. Alt text to paste with it: {alt}"
        ),
    },
}

COLOURS = {"complete": "#b2182b", "partial": "#ef8a62", "full_justice": "#4d9221"}
ANSWER_COLOURS = {"answered": "#2166ac", "unanswered": "#bdbdbd"}


def label(key: str, language: str | None = None, **values: object) -> str:
    """A chart label in ``language`` (English where there is no translation yet)."""
    table = LABELS.get((language or DEFAULT_LANGUAGE).lower(), LABELS[DEFAULT_LANGUAGE])
    text = table.get(key) or LABELS[DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text


class ChartSize(Enum):
    """Pixel sizes: ``SLACK`` for reading in Slack, ``SOCIAL`` a 16:9 card for social media."""

    SLACK = (1600, 1000)
    SOCIAL = (1200, 675)

    @property
    def pixels(self) -> tuple[int, int]:
        width, height = self.value
        return int(width), int(height)


@dataclass(frozen=True, kw_only=True)
class YearCounts:
    year: int
    complete: int = 0
    partial: int = 0
    full_justice: int = 0

    @property
    def total(self) -> int:
        return self.complete + self.partial + self.full_justice


@dataclass(frozen=True, kw_only=True)
class CountryAnswers:
    country: str
    name: str
    killings: int
    answered: int

    @property
    def unanswered(self) -> int:
        return self.killings - self.answered


@dataclass(frozen=True, kw_only=True)
class ChartData:
    """What the chart shows: counts only, never a name or a note."""

    years: tuple[YearCounts, ...]
    answers: tuple[CountryAnswers, ...]
    day: str
    country_name: str | None = None
    since: int | None = None
    language: str = DEFAULT_LANGUAGE

    @property
    def total(self) -> int:
        return sum(y.total for y in self.years)

    def title(self) -> str:
        base = (
            label("title_country", self.language, country=self.country_name)
            if self.country_name
            else label("title", self.language)
        )
        return f"{base}, {label('since', self.language, year=self.since)}" if self.since else base

    def as_json(self) -> str:
        return json.dumps(
            {
                "years": [asdict(y) for y in self.years],
                "answers": [asdict(a) for a in self.answers],
                "total": self.total,
            },
            separators=(",", ":"),
        )


def alt_text(data: ChartData) -> str:
    """What a screen reader says instead of the picture; within Slack's 1,000 characters."""
    lang = data.language
    if not data.total:
        return label("alt_empty", lang, title=data.title())[:ALT_TEXT_MAX]
    peak = max(data.years, key=lambda y: (y.total, -y.year))
    owed = sorted((a for a in data.answers if a.unanswered), key=lambda a: -a.unanswered)[:5]
    owed_text = (
        label(
            "alt_owed",
            lang,
            countries=", ".join(
                label("alt_owed_item", lang, country=a.name, count=a.unanswered) for a in owed
            ),
        )
        if owed
        else ""
    )
    text = label(
        "alt",
        lang,
        title=data.title(),
        total=data.total,
        first=data.years[0].year,
        last=data.years[-1].year,
        complete=sum(y.complete for y in data.years),
        partial=sum(y.partial for y in data.years),
        full=sum(y.full_justice for y in data.years),
        peak_year=peak.year,
        peak=peak.total,
        answered=sum(a.answered for a in data.answers),
        total_answers=sum(a.killings for a in data.answers),
        owed=owed_text,
    )
    return text if len(text) <= ALT_TEXT_MAX else text[: ALT_TEXT_MAX - 1] + "…"


def render_png(data: ChartData, size: ChartSize = ChartSize.SLACK) -> bytes:
    """The chart as PNG bytes of exactly ``size`` pixels. CPU-bound: run it off the loop."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size.pixels
    dpi = 100
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    lang = data.language
    small = size is ChartSize.SOCIAL
    grid = figure.add_gridspec(1, 2, width_ratios=(3, 2), wspace=0.35 if small else 0.3)
    years_axes = figure.add_subplot(grid[0, 0])
    answers_axes = figure.add_subplot(grid[0, 1])
    figure.suptitle(data.title(), fontsize=15 if small else 18, fontweight="bold")
    _draw_years(years_axes, data, small=small)
    _draw_answers(answers_axes, data, small=small)
    figure.text(
        0.01, 0.01, label("source", lang, day=data.day), fontsize=8 if small else 9, color="#555"
    )
    figure.subplots_adjust(left=0.07, right=0.98, top=0.86, bottom=0.16 if small else 0.13)
    out = io.BytesIO()
    figure.savefig(
        out,
        format="png",
        dpi=dpi,
        metadata={"Title": data.title(), METADATA_KEY: data.as_json()},
    )
    return out.getvalue()


def _draw_years(axes: object, data: ChartData, *, small: bool) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    assert isinstance(axes, Axes)
    lang = data.language
    years = [y.year for y in data.years]
    bottom = [0] * len(years)
    for key in ("complete", "partial", "full_justice"):
        values = [getattr(y, key) for y in data.years]
        axes.bar(years, values, bottom=bottom, color=COLOURS[key], label=label(key, lang))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xlabel(label("years_axis", lang))
    axes.set_ylabel(label("killings_axis", lang))
    axes.spines[["top", "right"]].set_visible(False)
    if not years:
        axes.text(0.5, 0.5, label("no_killings", lang), ha="center", transform=axes.transAxes)
        return
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=3,
        fontsize=8 if small else 10,
        frameon=False,
    )


def _draw_answers(axes: object, data: ChartData, *, small: bool) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    assert isinstance(axes, Axes)
    lang = data.language
    shown = list(data.answers[:MAX_COUNTRIES])[::-1]  # most owed at the top
    names = [a.name for a in shown]
    answered = [a.answered for a in shown]
    unanswered = [a.unanswered for a in shown]
    axes.barh(names, answered, color=ANSWER_COLOURS["answered"], label=label("answered", lang))
    axes.barh(
        names,
        unanswered,
        left=answered,
        color=ANSWER_COLOURS["unanswered"],
        label=label("unanswered", lang),
    )
    axes.set_title(label("answers_title", lang), fontsize=11 if small else 13, pad=24)
    axes.set_xlabel(label("answers_axis", lang))
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=8 if small else 10)
    if shown:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=2,
            fontsize=8 if small else 10,
            frameon=False,
        )


def read_metadata(png: bytes) -> dict[str, object]:
    """The numbers a PNG made by :func:`render_png` was drawn from."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        raw = image.text.get(METADATA_KEY)  # type: ignore[attr-defined]
    return dict(json.loads(raw)) if raw else {}
