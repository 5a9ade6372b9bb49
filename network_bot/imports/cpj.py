"""CPJ's database of journalists killed, one row to one verified killing case.

Each row keeps its source in the case ("CPJ database of journalists killed (Motive Confirmed)")
and everything the bot has no field for (organisation, medium, coverage, type of death, whether
the victim was taken captive, threatened or tortured) in the broadcastable summary: CPJ's data is
public. The row's stable key is the victim's name and the country as CPJ writes them (with how
many such rows came before it in the file), so a corrected date, job or impunity status updates
the case instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from network_bot.blocks.dates import date_text
from network_bot.data import countries
from network_bot.i18n import english, say
from network_bot.imports import cpj_vocabulary as cpj
from network_bot.imports import dates, places
from network_bot.imports.csvfile import CsvRows, fit
from network_bot.imports.model import (
    IMPORTER_ID,
    MAX_CELL,
    MAX_NAMES,
    ImportRefused,
    Incoming,
    Item,
    Skip,
    digest,
    identity_text,
    plain,
)
from network_bot.imports.summary import Tally
from network_bot.store.cases import NewCase
from network_bot.vocabulary import (
    Gender,
    Impunity,
    Perpetrator,
    Profession,
    Stage,
    Status,
    Urgency,
    Violation,
    impunity_of,
)


def check_header(header: list[str]) -> dict[str, int]:
    """Each CPJ column's position; :class:`ImportRefused` naming what is missing."""
    found = {name.strip().lower(): n for n, name in enumerate(header)}
    missing = [c for c in cpj.REQUIRED if c.lower() not in found]
    if missing:
        values = dict(missing=", ".join(missing), expected=", ".join(cpj.COLUMNS))
        raise ImportRefused(
            say(
                "the header has no {missing} column: this is not CPJ's layout (expected "
                "{expected}). This looks like one of the bot's own exports: use --format csv. "
                "Nothing was imported.",
                **values,
            )
            if "case_id" in found
            else say(
                "the header has no {missing} column: this is not CPJ's layout (expected "
                "{expected}). Nothing was imported.",
                **values,
            )
        )
    return {c: found[c.lower()] for c in cpj.COLUMNS if c.lower() in found}


def read(rows: CsvRows, *, tally: Tally, chosen: Mapping[str, str], today: date) -> Iterator[Item]:
    positions = check_header(rows.header)
    for row in rows:
        fields = fit(row, rows.header)
        if not isinstance(fields, list):
            yield Skip(line=row.line, reason=fields)
            continue
        cells = {column: fields[n] for column, n in positions.items()}
        yield one_row(row.line, cells, tally=tally, chosen=chosen, today=today)


def one_row(
    line: int, cells: Mapping[str, str], *, tally: Tally, chosen: Mapping[str, str], today: date
) -> Item:
    for column, value in cells.items():
        if len(value) > MAX_CELL:
            return Skip(
                line=line,
                reason=say(
                    "the {column} field is {length} characters long (a cell holds at most {limit})",
                    column=column,
                    length=len(value),
                    limit=MAX_CELL,
                ),
            )
    cell = {column: plain(cells.get(column, "")) for column in cpj.COLUMNS}
    name = cell["Name"]
    if len(name) > MAX_NAMES:
        return Skip(
            line=line,
            reason=say(
                "the name is {length} characters long (at most {limit})",
                length=len(name),
                limit=MAX_NAMES,
            ),
        )
    try:
        when = dates.parse(cell["Date"], today=today)
    except dates.DateProblem as problem:
        return Skip(
            line=line, reason=say("{column}: {problem}", column="Date", problem=problem.text)
        )
    try:
        place = places.resolve(cell["Country_killed"], chosen=chosen)
    except places.CountryProblem as problem:
        return Skip(
            line=line,
            reason=say("{column}: {problem}", column="Country_killed", problem=problem.text),
        )
    kind = _type(cell["Type"], tally)
    stage = _stage(cell["Impunity_for_murder"], tally)
    notes = []
    decisions = []
    if place.note:
        notes.append(place.note)
        decisions.append(f'Country_killed "{cell["Country_killed"][:60]}" recorded as {place.code}')
    if cell["Date"] and (when.precision.value != "day" or when.approximate):
        notes.append(f'Date given as "{cell["Date"][:80]}".')
    if not cell["Impunity_for_murder"]:
        notes.append(
            "CPJ classifies impunity for murders only"
            + (f" (this death: {cell['Type_death'][:60]})" if cell["Type_death"] else "")
            + "; none is given."
        )
    case = NewCase(
        reporter_id=IMPORTER_ID,
        reporter_anonymous=True,
        victim_names=name,
        profession=_profession(cell, kind, tally),
        gender=_gender(cell["Sex"], tally),
        violation=Violation.KILLING,
        incident_date=when.start,
        date_precision=when.precision,
        date_end=when.end if when.end != when.start else None,
        date_approximate=when.approximate,
        country=place.code,
        perpetrator=_perpetrator(cell["Source_fire"], tally),
        urgency=Urgency.ROUTINE,
        summary=_summary(cell, place.code, when, stage),
        provenance=f"CPJ database of journalists killed ({kind})" if kind else "CPJ database",
        provenance_note=" ".join(notes),
    )
    return Incoming(
        line=line,
        identity=identity_text(name, cell["Country_killed"]),
        digest=digest(cell[c] for c in cpj.COLUMNS),
        case=case,
        status=Status.VERIFIED,
        stage=stage,
        decisions=tuple(decisions),
    )


def _first(cell: str, table: Mapping[str, object]) -> tuple[object | None, list[str]]:
    """The first value in the cell that the table knows, and the values it does not."""
    values = cpj.values_of(cell)
    unknown = [v for v in values if v not in table]
    for value in values:
        if value in table:
            return table[value], unknown
    return None, unknown


def _type(text: str, tally: Tally) -> str:
    if not text:
        return ""
    known = cpj.TYPES.get(text.lower())
    if known is None:
        tally.other("Type", text, recorded_as="kept as given")
        return text[:60]
    return known


def _profession(cell: Mapping[str, str], kind: str, tally: Tally) -> Profession:
    if kind == "Media Workers":
        return Profession.MEDIA_WORKER
    found, unknown = _first(cell["Job"], cpj.JOBS)
    for value in unknown:
        tally.other("Job", value, recorded_as="other" if found is None else "ignored")
    if isinstance(found, Profession):
        return found
    if cell["Job"]:
        return Profession.OTHER
    by_medium, unknown_media = _first(cell["Medium"], cpj.MEDIA)
    for value in unknown_media:
        tally.other("Medium", value, recorded_as="journalist")
    if isinstance(by_medium, Profession):
        return by_medium
    return Profession.JOURNALIST  # CPJ lists journalists, and media workers by their Type


def _gender(text: str, tally: Tally) -> Gender:
    if not text:
        return Gender.UNKNOWN
    found = cpj.SEXES.get(text.lower())
    if found is None:
        tally.other("Sex", text, recorded_as="unknown")
        return Gender.UNKNOWN
    return found


def _perpetrator(text: str, tally: Tally) -> Perpetrator:
    found, unknown = _first(text, cpj.SOURCES_OF_FIRE)
    for value in unknown:
        tally.other("Source_fire", value, recorded_as="unknown" if found is None else "ignored")
    return found if isinstance(found, Perpetrator) else Perpetrator.UNKNOWN


def _stage(text: str, tally: Tally) -> Stage:
    found = cpj.IMPUNITY.get(text.lower())
    if found is None:
        tally.other("Impunity_for_murder", text, recorded_as="complete impunity (no conviction)")
        return Stage.NO_INVESTIGATION
    return found


def _summary(cell: Mapping[str, str], code: str, when: dates.FuzzyDate, stage: Stage) -> str:
    """Everything CPJ says that the bot has no field for, in plain sentences."""
    country = countries.by_code(code)
    job = cell["Job"] or ("Media worker" if cell["Type"].lower().startswith("media") else "")
    what = job or "Journalist"
    if cell["Organization"]:
        what += f" for {cell['Organization']}"
    if cell["Medium"]:
        what += f" ({cell['Medium']})"
    parts = [
        f"{what}, killed in {country.name if country else code} "
        f"({date_text(when.start, when.precision, when.end, when.approximate, lang=english())})."
    ]
    for label, column in (
        ("Type of death", "Type_death"),
        ("Suspected source of fire", "Source_fire"),
        ("Coverage", "Coverage"),
        ("Nationality", "Nationality"),
        ("Local or foreign", "Local_Foreign"),
        ("Freelance", "Freelance"),
        ("Taken captive", "Taken_captive"),
        ("Threatened", "Threatened"),
        ("Tortured", "Tortured"),
    ):
        if cell[column]:
            parts.append(f"{label}: {cell[column][:500]}.")
    if cell["Impunity_for_murder"]:
        impunity = impunity_of(stage)
        parts.append(f"CPJ: {Impunity(impunity).label}.")
    return " ".join(parts)
