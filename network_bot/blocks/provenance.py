"""Where a case's record came from and who reported it, as the card says it: an imported case
names its source and what the import decided; it has no reporter."""

from __future__ import annotations

from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.store.cases import IMPORTER_ID, PublicCase


def record_notes(case: PublicCase, lang: Messages) -> list[kit.Block]:
    """The lines under a card: the record's source (if imported) and any redaction. The import's
    own note is the record's data, kept as the import wrote it."""
    notes: list[kit.Block] = []
    if case.provenance or case.provenance_note:
        where = (
            lang.gettext("Imported from {source}.", source=case.provenance)
            if case.provenance
            else ""
        )
        notes.append(kit.context(kit.safe(f"{where} {case.provenance_note}".strip(), 1500)))
    if case.redacted:
        notes.append(
            kit.context(
                lang.gettext(
                    "Parts of this record were redacted at the request of the victim or their "
                    "family."
                )
            )
        )
    return notes


def reporter_for_coordinators(reporter_id: str, *, anonymous: bool, lang: Messages) -> str:
    if reporter_id == IMPORTER_ID:
        return lang.gettext("nobody: the record was imported")
    who = kit.mention(reporter_id)
    if anonymous:
        return who + " " + lang.gettext("(anonymous to the network: never show or forward)")
    return who
