"""Which cases on record look like a new report, and why: real overlap, never a withheld name.

A hint that says "it looks like NI-…" must be earned: the same victim (by a name that is not
withheld or redacted on either side), or an incident in the same country within a week that
also shares the kind of violation, the place or several words of the summary. Each hint says
why, so a coordinator can judge it at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from network_bot.i18n import Text, say, say_n
from network_bot.names import fold, name_parts
from network_bot.store import cases
from network_bot.store.cases import CaseRecord, NewCase
from network_bot.store.db import Conn

DATE_WINDOW_DAYS = 7
MIN_SHARED_WORDS = 3
_COMMON = frozenset(
    {
        "the",
        "and",
        "was",
        "were",
        "his",
        "her",
        "their",
        "with",
        "from",
        "that",
        "this",
        "after",
        "before",
        "into",
        "over",
        "under",
        "for",
        "who",
        "has",
        "had",
        "have",
        "been",
        "being",
        "about",
        "against",
        "outside",
        "inside",
        "near",
        "home",
        "house",
        "police",
        "journalist",
        "reporter",
        "blogger",
        "killed",
        "attacked",
        "arrested",
        "detained",
    }
)


@dataclass(frozen=True, kw_only=True)
class Likeness:
    case: CaseRecord
    reasons: tuple[Text, ...]  # said in the reader's language by the renderer


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) >= 4 and w not in _COMMON}


def _shared_name(new: NewCase, other: CaseRecord) -> bool:
    if new.victim_withheld or other.victim_withheld or other.redacted_at is not None:
        return False
    return bool(set(name_parts(new.victim_names)) & set(name_parts(other.victim_names)))


def likeness(new: NewCase, other: CaseRecord) -> Likeness | None:
    """Why ``other`` may be the same case as ``new``; None when the overlap is not real."""
    reasons: list[Text] = []
    same_name = _shared_name(new, other)
    if same_name:
        reasons.append(say("the same victim name"))
    close = abs((other.incident_date - new.incident_date).days) <= DATE_WINDOW_DAYS
    if close:
        reasons.append(say("dates within a week"))
    backing: list[Text] = []
    if other.violation is new.violation:
        backing.append(say("the same violation ({violation})", violation=new.violation))
    if new.place and other.place and fold(new.place) == fold(other.place):
        backing.append(say("the same place"))
    shared = _words(new.summary) & _words(other.summary)
    if len(shared) >= MIN_SHARED_WORDS:
        backing.append(
            say_n(
                "{n} word of the summary in common",
                "{n} words of the summary in common",
                len(shared),
            )
        )
    if not same_name and not (close and backing):
        return None
    return Likeness(case=other, reasons=(*reasons, *backing))


async def similar_to(
    conn: Conn, new: NewCase, *, exclude_id: int | None = None, limit: int = 5
) -> list[Likeness]:
    """The likeliest duplicates of ``new`` on record, strongest first."""
    shareable = [] if new.victim_withheld else name_parts(new.victim_names)[:8]
    candidates = await cases.duplicate_candidates(
        conn,
        country=new.country,
        around=new.incident_date,
        name_patterns=shareable,
        days=DATE_WINDOW_DAYS,
        exclude_id=exclude_id,
    )
    found = [like for c in candidates if (like := likeness(new, c)) is not None]
    found.sort(key=lambda like: (-len(like.reasons), _distance(like.case, new.incident_date)))
    return found[:limit]


def _distance(record: CaseRecord, around: date) -> int:
    return abs((record.incident_date - around).days)
