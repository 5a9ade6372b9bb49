"""The picture for the day: killings by year split by impunity, and states' answers to UNESCO.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global figure
state), so a worker process can draw one chart after another. :func:`render_png` is a plain
function of picklable data: the bot runs it in a process pool, off the event loop.

The figures (:class:`ChartData`) hold no words; every word drawn comes in a :class:`ChartWords`,
already in the reader's language (``network_bot/chart_words.py`` fills it from the message
catalogue), with the Babel locale that formats the axes' numbers. matplotlib neither joins
Arabic letters nor orders right-to-left text, so right-to-left words are shaped
(``arabic-reshaper``) and put in display order (``python-bidi``) before they are drawn; the
font is matplotlib's bundled DejaVu Sans, which has every Arabic letter and presentation form
the catalogue uses (``tests/test_charts_languages.py`` fails on a missing glyph). The numbers
drawn are also written into the PNG's metadata (``network-bot:data``), so anyone holding the
file can check it against the record.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from network_bot import bidi

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

METADATA_KEY = "network-bot:data"
# Slack refuses longer alt text: "alt_txt_too_large: Description for the image is longer than
# the limit of 1000 character" (files.getUploadURLExternal).
ALT_TEXT_MAX = 1000
MAX_COUNTRIES = 12
FONT = "DejaVu Sans"  # bundled with matplotlib: the same glyphs on every machine

COLOURS = {"complete": "#b2182b", "partial": "#ef8a62", "full_justice": "#4d9221"}
ANSWER_COLOURS = {"answered": "#2166ac", "unanswered": "#bdbdbd"}
IMPUNITY_KEYS = ("complete", "partial", "full_justice")


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
    killings: int
    answered: int

    @property
    def unanswered(self) -> int:
        return self.killings - self.answered


@dataclass(frozen=True, kw_only=True)
class ChartData:
    """What the chart shows: counts and country codes only, never a name, a note or a word."""

    years: tuple[YearCounts, ...]
    answers: tuple[CountryAnswers, ...]
    country: str | None = None
    since: int | None = None

    @property
    def total(self) -> int:
        return sum(y.total for y in self.years)

    def as_json(self) -> str:
        return json.dumps(
            {
                "years": [asdict(y) for y in self.years],
                "answers": [asdict(a) for a in self.answers],
                "total": self.total,
            },
            separators=(",", ":"),
        )


@dataclass(frozen=True, kw_only=True)
class ChartWords:
    """Every word drawn on one chart, in the reader's language (plain strings: it pickles)."""

    title: str
    years_axis: str
    killings_axis: str
    impunity: Mapping[str, str]  # "complete", "partial", "full_justice": the legend
    answers_title: str
    answered: str
    unanswered: str
    answers_axis: str
    no_killings: str
    source: str
    countries: Mapping[str, str] = field(default_factory=dict)  # code: name in the language
    locale: str = "en_GB"  # Babel's, for the numbers on the axes
    rtl: bool = False

    def drawn(self, text: str) -> str:
        """``text`` as matplotlib must be handed it: right-to-left words shaped and in display
        order, brackets mirrored, without bidi controls (a font has no glyph for them; the
        chart's words hold no Latin run for an isolate to keep whole)."""
        if not self.rtl:
            return text
        import arabic_reshaper
        from bidi.algorithm import get_display  # UAX #9 with mirroring ("(" drawn as ")")

        return str(get_display(arabic_reshaper.reshape(bidi.strip_controls(text))))

    def country(self, code: str) -> str:
        return self.countries.get(code, code)

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.locale))


def render_png(data: ChartData, words: ChartWords, size: ChartSize = ChartSize.SLACK) -> bytes:
    """The chart as PNG bytes of exactly ``size`` pixels. CPU-bound: run it off the loop."""
    figure = draw(data, words, size)
    out = io.BytesIO()
    figure.savefig(
        out,
        format="png",
        dpi=figure.dpi,
        metadata={"Title": bidi.strip_controls(words.title), METADATA_KEY: data.as_json()},
    )
    return out.getvalue()


def draw(data: ChartData, words: ChartWords, size: ChartSize = ChartSize.SLACK) -> Figure:
    """The chart as a matplotlib figure on the Agg canvas (tests read its texts back)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size.pixels
    dpi = 100
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    small = size is ChartSize.SOCIAL
    grid = figure.add_gridspec(1, 2, width_ratios=(3, 2), wspace=0.35 if small else 0.3)
    years_axes = figure.add_subplot(grid[0, 0])
    answers_axes = figure.add_subplot(grid[0, 1])
    figure.suptitle(
        words.drawn(words.title), fontsize=15 if small else 18, fontweight="bold", family=FONT
    )
    _draw_years(years_axes, data, words, small=small)
    _draw_answers(answers_axes, data, words, small=small)
    figure.text(
        0.99 if words.rtl else 0.01,
        0.01,
        words.drawn(words.source),
        ha="right" if words.rtl else "left",
        fontsize=8 if small else 9,
        color="#555",
        family=FONT,
    )
    figure.subplots_adjust(left=0.07, right=0.98, top=0.86, bottom=0.16 if small else 0.13)
    return figure


def _numbers(axes: Axes, words: ChartWords, *, axis: str) -> None:
    """Whole numbers on ``axis``, written the language's way (12 345, 12.345)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    chosen = axes.xaxis if axis == "x" else axes.yaxis
    chosen.set_major_locator(MaxNLocator(integer=True))
    chosen.set_major_formatter(FuncFormatter(lambda value, _pos: words.number(int(value))))


def _style(axes: Axes) -> None:
    axes.tick_params(labelfontfamily=FONT)
    axes.spines[["top", "right"]].set_visible(False)


def _draw_years(axes: Axes, data: ChartData, words: ChartWords, *, small: bool) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    years = [y.year for y in data.years]
    bottom = [0] * len(years)
    for key in IMPUNITY_KEYS:
        values = [getattr(y, key) for y in data.years]
        axes.bar(
            years, values, bottom=bottom, color=COLOURS[key], label=words.drawn(words.impunity[key])
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xlabel(words.drawn(words.years_axis), family=FONT)
    axes.set_ylabel(words.drawn(words.killings_axis), family=FONT)
    _style(axes)
    if not years:
        axes.text(
            0.5,
            0.5,
            words.drawn(words.no_killings),
            ha="center",
            transform=axes.transAxes,
            family=FONT,
        )
        return
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: str(int(value))))  # 2026
    _numbers(axes, words, axis="y")
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=3,
        frameon=False,
        prop={"family": FONT, "size": 8 if small else 10},
    )


def _draw_answers(axes: Axes, data: ChartData, words: ChartWords, *, small: bool) -> None:
    shown = list(data.answers[:MAX_COUNTRIES])[::-1]  # most owed at the top
    names = [words.drawn(words.country(a.country)) for a in shown]
    answered = [a.answered for a in shown]
    unanswered = [a.unanswered for a in shown]
    axes.barh(names, answered, color=ANSWER_COLOURS["answered"], label=words.drawn(words.answered))
    axes.barh(
        names,
        unanswered,
        left=answered,
        color=ANSWER_COLOURS["unanswered"],
        label=words.drawn(words.unanswered),
    )
    axes.set_title(
        words.drawn(words.answers_title), fontsize=11 if small else 13, pad=24, family=FONT
    )
    axes.set_xlabel(words.drawn(words.answers_axis), family=FONT)
    axes.tick_params(axis="y", labelsize=8 if small else 10)
    _style(axes)
    if shown:
        _numbers(axes, words, axis="x")
        axes.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=2,
            frameon=False,
            prop={"family": FONT, "size": 8 if small else 10},
        )


def read_metadata(png: bytes) -> dict[str, object]:
    """The numbers a PNG made by :func:`render_png` was drawn from."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        raw = image.text.get(METADATA_KEY)  # type: ignore[attr-defined]
    return dict(json.loads(raw)) if raw else {}
