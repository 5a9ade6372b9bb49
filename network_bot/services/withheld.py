"""Withheld means withheld: a victim whose name is withheld is not named anywhere else either.

The reporter ticks "withhold the name"; then the summary, place and sources (everything that
reaches members once the case is verified) must not contain any part of the name of three
letters or more, whatever its letter case or accents. The form refuses on the field, and a
coordinator cannot verify a case whose broadcastable text still names the victim.
"""

from __future__ import annotations

from collections.abc import Iterable

from network_bot.blocks import kit
from network_bot.names import named_parts
from network_bot.refusal import Refusal
from network_bot.store.cases import NewCase

FIELD_LABELS = {"summary": "summary", "place": "place", "sources": "sources"}


def naming_fields(case: NewCase) -> Iterable[tuple[str, list[str]]]:
    """Each broadcastable field that names a withheld victim, with the parts it names."""
    texts = {"summary": case.summary, "place": case.place, "sources": " ".join(case.sources)}
    return naming(case, texts)


def naming(case: NewCase, texts: dict[str, str]) -> Iterable[tuple[str, list[str]]]:
    """Each of ``texts`` (by field) that names ``case``'s withheld victim, with the parts."""
    if not case.victim_withheld or not case.victim_names.strip():
        return
    for field, text in texts.items():
        found = named_parts(text, case.victim_names)
        if found:
            yield field, found


def refuse_named_victim(case: NewCase) -> None:
    """Refuse a report that withholds the victim's name but writes it elsewhere."""
    for field, found in naming_fields(case):
        shown = ", ".join(f"“{kit.escape(p)}”" for p in found[:3])
        raise Refusal(
            f"You asked to withhold the victim's name, but the {FIELD_LABELS[field]} contains "
            f"it ({shown}). Members will read the {FIELD_LABELS[field]}: describe the person "
            "without their name (for example “a blogger”), or untick “withhold”.",
            field=field,
        )


def verify_warning(case: NewCase) -> str | None:
    """Why a coordinator must not verify ``case`` as it stands, if its text names the victim."""
    fields = [field for field, _ in naming_fields(case)]
    if not fields:
        return None
    return (
        f"The victim's name is withheld, but the {' and '.join(fields)} still name them. "
        "Verifying would show the name to every member. Redact the name first "
        '(`/case ID redact "reason"`), then verify.'
    )


UPDATE_LABELS = {"body": "update", "source_url": "link"}


def refuse_named_in_update(case: NewCase, *, body: str, source_url: str) -> None:
    """Refuse an update of ``case`` whose text or link names its withheld victim.

    An update reaches every follower and the card every member reads, so it is held to the
    report form's rule; the refusal names the field (``body`` or ``source_url``).
    """
    for field, found in naming(case, {"body": body, "source_url": source_url}):
        shown = ", ".join(f"“{kit.escape(p)}”" for p in found[:3])
        raise Refusal(
            f"The reporter asked to withhold the victim's name, but the {UPDATE_LABELS[field]} "
            f"contains it ({shown}). Followers read every update: describe the person without "
            "their name (for example “the blogger”), or leave the link out.",
            field=field,
        )
