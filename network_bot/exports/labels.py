"""Column labels for an export read by people (``network-bot export --language fr``).

The cells keep their stable codes (``killing``, ``convicted_partial``, ``PK``) so a machine can
read any export; only the header row is said in the chosen language, and the one column meant
for people, the country's name, follows it. JSON keeps its keys: they are the machine names.
"""

from __future__ import annotations

from pydantic import BaseModel

from network_bot.i18n import Messages, Text, say

COLUMN_LABELS: dict[str, Text] = {
    "case_id": say("Case ID"),
    "country": say("Country code"),
    "country_name": say("Country"),
    "victim_names": say("Victim"),
    "profession": say("Profession (code)"),
    "violation": say("Violation (code)"),
    "incident_date": say("Date of the incident"),
    "date_precision": say("Date precision (code)"),
    "date_end": say("Latest possible date"),
    "date_approximate": say("Date approximate"),
    "justice_stage": say("Justice process (code)"),
    "impunity": say("Impunity (code)"),
    "impunity_days": say("Days without full justice"),
    "verification": say("Verification (code)"),
    "sources": say("Sources"),
    "provenance": say("Imported from"),
    "restricted_notes": say("Restricted notes"),
    "killings": say("Killings"),
    "resolved": say("Resolved"),
    "ongoing": say("Ongoing / unresolved"),
    "no_information": say("No information received"),
    "resolved_cases": say("Resolved: cases"),
    "ongoing_cases": say("Ongoing: cases"),
    "no_information_cases": say("No information: cases"),
}


def labelled_header(model: type[BaseModel], lang: Messages) -> list[str]:
    """The header row in ``lang``: one label per field, in the model's column order."""
    return [
        lang.render(COLUMN_LABELS[name]) if name in COLUMN_LABELS else name
        for name in model.model_fields
    ]
