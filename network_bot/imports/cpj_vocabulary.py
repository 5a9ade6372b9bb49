"""CPJ's vocabularies and the bot's, side by side.

CPJ's database of journalists killed (cpj.org/data) has one row per person killed. Its values
are matched without case or surrounding spaces; a cell may hold several, separated by commas
or slashes ("Broadcast Reporter, Camera Operator"), and the first that maps decides. A value
not in these tables is recorded as the bot's "other" (or "unknown"), and the import's summary
lists it, so a new CPJ term is noticed rather than silently absorbed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from network_bot.vocabulary import Gender, Perpetrator, Profession, Stage

COLUMNS: tuple[str, ...] = (
    "Type",
    "Date",
    "Name",
    "Sex",
    "Country_killed",
    "Organization",
    "Nationality",
    "Medium",
    "Job",
    "Coverage",
    "Freelance",
    "Local_Foreign",
    "Source_fire",
    "Type_death",
    "Impunity_for_murder",
    "Taken_captive",
    "Threatened",
    "Tortured",
)
REQUIRED: tuple[str, ...] = ("Type", "Date", "Name", "Country_killed")

# Type: how CPJ counts the death. Journalists whose murder was in retaliation for their work
# ("Motive Confirmed"), journalists killed where the motive is not (yet) clear ("Motive
# Unconfirmed"), and media workers: support staff such as drivers, fixers and translators.
TYPES: Mapping[str, str] = MappingProxyType(
    {
        "motive confirmed": "Motive Confirmed",
        "motive unconfirmed": "Motive Unconfirmed",
        "media workers": "Media Workers",
        "media worker": "Media Workers",
    }
)

# Job (what the person did) -> profession. CPJ's job titles are all journalism or its support.
JOBS: Mapping[str, Profession] = MappingProxyType(
    {
        "broadcast reporter": Profession.JOURNALIST,
        "print reporter": Profession.JOURNALIST,
        "internet reporter": Profession.JOURNALIST,
        "reporter": Profession.JOURNALIST,
        "editor": Profession.JOURNALIST,
        "columnist/commentator": Profession.JOURNALIST,
        "columnist": Profession.JOURNALIST,
        "commentator": Profession.JOURNALIST,
        "camera operator": Profession.JOURNALIST,
        "photographer": Profession.JOURNALIST,
        "producer": Profession.JOURNALIST,
        "publisher/owner": Profession.JOURNALIST,
        "publisher": Profession.JOURNALIST,
        "owner": Profession.JOURNALIST,
        "journalist": Profession.JOURNALIST,
        "blogger": Profession.BLOGGER,
        "technician": Profession.MEDIA_WORKER,
        "translator": Profession.MEDIA_WORKER,
        "fixer": Profession.MEDIA_WORKER,
        "driver": Profession.MEDIA_WORKER,
        "security guard": Profession.MEDIA_WORKER,
        "media worker": Profession.MEDIA_WORKER,
        "support staff": Profession.MEDIA_WORKER,
    }
)

# Medium -> profession, used only when Job is empty: anyone CPJ lists under a medium worked in it.
MEDIA: Mapping[str, Profession] = MappingProxyType(
    {
        "print": Profession.JOURNALIST,
        "radio": Profession.JOURNALIST,
        "television": Profession.JOURNALIST,
        "internet": Profession.JOURNALIST,
    }
)

# Sex -> gender.
SEXES: Mapping[str, Gender] = MappingProxyType(
    {
        "male": Gender.MAN,
        "m": Gender.MAN,
        "female": Gender.WOMAN,
        "f": Gender.WOMAN,
        "unknown": Gender.UNKNOWN,
    }
)

# Source_fire (who is suspected) -> perpetrator. CPJ's "Political Group" means political and
# militant groups (the Taliban, ISIS, al-Shabaab: its own examples), so armed group; the bot's
# "political actor" (a party, a politician's entourage) has no CPJ counterpart.
SOURCES_OF_FIRE: Mapping[str, Perpetrator] = MappingProxyType(
    {
        "government officials": Perpetrator.STATE,
        "military officials": Perpetrator.STATE,
        "police": Perpetrator.STATE,
        "paramilitary group": Perpetrator.ARMED_GROUP,
        "political group": Perpetrator.ARMED_GROUP,
        "criminal group": Perpetrator.ORGANISED_CRIME,
        "local residents": Perpetrator.PRIVATE_INDIVIDUAL,
        "mob violence": Perpetrator.PRIVATE_INDIVIDUAL,
        "unknown fire": Perpetrator.UNKNOWN,
        "unknown": Perpetrator.UNKNOWN,
    }
)

# Impunity_for_murder -> justice stage (the bot derives CPJ's impunity status from the stage).
# "Yes": nobody convicted (complete impunity); no judicial step is on record, so no investigation.
# "Partial": some convicted, not all (partial impunity). "No": all convicted (full justice).
# Empty: CPJ classifies only murders (not crossfire or dangerous assignments): no step on record.
IMPUNITY: Mapping[str, Stage] = MappingProxyType(
    {
        "yes": Stage.NO_INVESTIGATION,
        "partial": Stage.CONVICTED_PARTIAL,
        "no": Stage.CONVICTED_FULL,
        "": Stage.NO_INVESTIGATION,
    }
)

# Yes/No columns as CPJ writes them.
YES_NO: Mapping[str, bool] = MappingProxyType({"yes": True, "y": True, "no": False, "n": False})


def values_of(cell: str) -> list[str]:
    """The values in a cell, each stripped and lower-cased ("A, B / C" -> ["a", "b", "c"])."""
    parts = cell.replace(";", ",").split(",")
    found = []
    for part in parts:
        lowered = " ".join(part.split()).lower()
        if lowered and lowered in JOBS:  # "columnist/commentator" is one job
            found.append(lowered)
            continue
        found.extend(p.strip() for p in lowered.split("/") if p.strip())
    return found
