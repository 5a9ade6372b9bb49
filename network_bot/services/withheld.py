"""Withheld means withheld: a victim whose name is withheld is not named anywhere else either.

The reporter ticks "withhold the name"; then the summary, place and sources (everything that
reaches members once the case is verified) must not contain any part of the name of three
letters or more, whatever its letter case or accents. The form refuses on the field, and a
coordinator cannot verify a case whose broadcastable text still names the victim.
"""

from __future__ import annotations

from collections.abc import Iterable

from network_bot.blocks import kit
from network_bot.i18n import Text, say
from network_bot.names import named_parts
from network_bot.refusal import Refusal
from network_bot.store.cases import NewCase

# One whole sentence per field: translations agree the noun with the rest of the sentence.
NAMED_IN_REPORT = {
    "summary": say(
        "You asked to withhold the victim's name, but the summary contains it ({found}). "
        "Members will read the summary: describe the person without their name (for example "
        "“a blogger”), or untick “withhold”."
    ),
    "place": say(
        "You asked to withhold the victim's name, but the place contains it ({found}). Members "
        "will read the place: describe it without their name, or untick “withhold”."
    ),
    "sources": say(
        "You asked to withhold the victim's name, but the source links contain it ({found}). "
        "Members will read the sources: leave out the links that name them, or untick "
        "“withhold”."
    ),
}
NAMED_IN_UPDATE = {
    "body": say(
        "The reporter asked to withhold the victim's name, but the update contains it "
        "({found}). Followers read every update: describe the person without their name (for "
        "example “the blogger”)."
    ),
    "source_url": say(
        "The reporter asked to withhold the victim's name, but the link contains it ({found}). "
        "Followers read every update: leave the link out."
    ),
}


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


def _found(parts: list[str]) -> str:
    return ", ".join(f"“{kit.escape(p)}”" for p in parts[:3])


def _filled(template: Text, found: list[str]) -> Text:
    return say(template.message, found=_found(found))


def refuse_named_victim(case: NewCase) -> None:
    """Refuse a report that withholds the victim's name but writes it elsewhere."""
    for field, found in naming_fields(case):
        raise Refusal(_filled(NAMED_IN_REPORT[field], found), field=field)


def verify_warning(case: NewCase, *, public_id: str) -> Text | None:
    """Why a coordinator must not verify ``case`` as it stands, if its text names the victim."""
    if not any(True for _ in naming_fields(case)):
        return None
    return say(
        "The victim's name is withheld, but the case's broadcastable text still names them. "
        "Verifying would show the name to every member. Redact the name first "
        '(`/case {id} redact "reason"`), then verify.',
        id=public_id,
    )


def refuse_named_in_update(case: NewCase, *, body: str, source_url: str) -> None:
    """Refuse an update of ``case`` whose text or link names its withheld victim.

    An update reaches every follower and the card every member reads, so it is held to the
    report form's rule; the refusal names the field (``body`` or ``source_url``).
    """
    for field, found in naming(case, {"body": body, "source_url": source_url}):
        raise Refusal(_filled(NAMED_IN_UPDATE[field], found), field=field)
