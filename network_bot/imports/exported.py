"""The bot's own exports (``network-bot export --format csv|json``) read back, so a record moves
between installations: export, import into a fresh database, export again gives the same rows.

Each row keeps its case ID (its stable key: importing the file again adds nothing). A name
exported as "name withheld" stays withheld. Columns the export derives (country name, impunity
and its clock) are not read: they follow from the others. An export has no summary, so the case
gets one saying what it is and where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, BinaryIO

import ijson

from network_bot.data import countries
from network_bot.exports.rows import WITHHELD, ExportRow
from network_bot.i18n import Text, say
from network_bot.imports.csvfile import CsvRows, fit
from network_bot.imports.model import (
    IMPORTER_ID,
    MAX_CELL,
    MAX_NAMES,
    ImportRefused,
    ImportStopped,
    Incoming,
    Item,
    Skip,
    digest,
    plain,
)
from network_bot.services.cases import CASE_ID
from network_bot.store.cases import NewCase
from network_bot.vocabulary import DatePrecision, Profession, Stage, Status, Violation

COLUMNS = tuple(ExportRow.model_fields)
REQUIRED = (
    "case_id",
    "country",
    "victim_names",
    "profession",
    "violation",
    "incident_date",
    "justice_stage",
    "verification",
    "sources",
)
# What the row's fingerprint covers: not the columns the export derives (the impunity clock
# moves every day), so a newer export of the same record is recognised as unchanged.
DIGESTED = tuple(
    c
    for c in (*COLUMNS, "restricted_notes")
    if c not in ("country_name", "impunity", "impunity_days")
)
IMPORTABLE_STATUSES = (Status.VERIFIED, Status.REPORTED, Status.UNDER_REVIEW)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RowProblem(ValueError):
    """Why a row is skipped, said later in the summary's language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def check_columns(names: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in names]
    if not missing:
        return
    if "killings" in names and "no_information" in names:
        raise ImportRefused(
            say(
                "this is a UNESCO layout (killings counted by country), not cases: export "
                "without --unesco to move cases. Nothing was imported."
            )
        )
    values = dict(missing=", ".join(missing), expected=", ".join(COLUMNS))
    raise ImportRefused(
        say(
            "the header has no {missing} column: this is not a network-bot export (expected "
            "{expected}). This looks like CPJ's layout: use --format cpj. Nothing was imported.",
            **values,
        )
        if "Country_killed" in names
        else say(
            "the header has no {missing} column: this is not a network-bot export (expected "
            "{expected}). Nothing was imported.",
            **values,
        )
    )


def read_csv(rows: CsvRows, *, today: date) -> Iterator[Item]:
    check_columns(rows.header)
    for row in rows:
        fields = fit(row, rows.header)
        if not isinstance(fields, list):
            yield Skip(line=row.line, reason=fields)
            continue
        record = {name: _unguard(value) for name, value in zip(rows.header, fields, strict=True)}
        yield one_row(row.line, record, today=today, split_sources=str.split)


def read_json(handle: BinaryIO, *, today: date) -> Iterator[Item]:
    """The export's array, one object at a time (ijson), so memory stays flat however big.
    "Line" numbers are the objects' positions in the array (1 for the first)."""
    items = ijson.items(handle, "item", use_float=True)
    number = 0
    checked = False
    while True:
        try:
            obj = next(items)
        except StopIteration:
            if number == 0 and not checked:
                raise ImportRefused(
                    say(
                        "the file holds no cases: a network-bot JSON export is an array of "
                        "objects. Nothing was imported."
                    )
                ) from None
            return
        except ijson.JSONError as error:
            if number == 0:
                raise ImportRefused(
                    say(
                        "the file is not JSON ({error}); for a CSV file use --format csv or cpj. "
                        "Nothing was imported.",
                        error=str(error),
                    )
                ) from None
            raise ImportStopped(
                say(
                    "object {number}: the file is not valid JSON past this point ({error})",
                    number=number + 1,
                    error=str(error),
                ),
                line=number + 1,
            ) from None
        number += 1
        if not isinstance(obj, dict):
            yield Skip(line=number, reason=say("not an object with a case's fields"))
            continue
        if not checked:
            check_columns(list(obj))
            checked = True
        record = {k: "" if v is None else v for k, v in obj.items()}
        yield one_row(number, record, today=today, split_sources=_listed)


def one_row(
    line: int,
    record: Mapping[str, Any],
    *,
    today: date,
    split_sources: Callable[[str], list[str]],
) -> Item:
    try:
        return _incoming(line, record, today=today, split_sources=split_sources)
    except RowProblem as problem:
        return Skip(line=line, reason=problem.text)


def _incoming(
    line: int,
    record: Mapping[str, Any],
    *,
    today: date,
    split_sources: Callable[[str], list[str]],
) -> Incoming:
    for name, value in record.items():
        if isinstance(value, str) and len(value) > MAX_CELL:
            raise RowProblem(
                say("the {name} field is {length} characters long", name=name, length=len(value))
            )
    public_id = _text(record, "case_id").upper()
    if not CASE_ID.match(public_id):
        raise RowProblem(
            say("case_id {given} is not a case ID like NI-2026-0042", given=repr(public_id[:30]))
        )
    code = _text(record, "country").upper()
    if countries.by_code(code) is None:
        raise RowProblem(say("country {given} is not an ISO 3166-1 code", given=repr(code[:10])))
    names = plain(_text(record, "victim_names"))
    withheld = names == WITHHELD
    if len(names) > MAX_NAMES:
        raise RowProblem(
            say(
                "victim_names is {length} characters long (at most {limit})",
                length=len(names),
                limit=MAX_NAMES,
            )
        )
    profession = _choice(record, "profession", Profession)
    violation = _choice(record, "violation", Violation)
    stage = _choice(record, "justice_stage", Stage)
    status = _choice(record, "verification", Status)
    if status not in IMPORTABLE_STATUSES:
        raise RowProblem(
            say(
                "verification {given}: only open or verified cases are kept",
                given=repr(status.value),
            )
        )
    incident = _date(record, "incident_date", today=today)
    precision = (
        _choice(record, "date_precision", DatePrecision)
        if _text(record, "date_precision")
        else DatePrecision.DAY
    )
    end = _date(record, "date_end", today=today) if _text(record, "date_end") else None
    if end is not None and end < incident:
        raise RowProblem(say("date_end is before incident_date"))
    sources = record.get("sources", "")
    links = split_sources(sources) if isinstance(sources, str) else _listed(sources)
    for link in links:
        if not link.startswith(("https://", "http://")):
            raise RowProblem(say("sources: {given} is not a web link", given=repr(link[:60])))
    provenance = plain(_text(record, "provenance"))
    country = countries.by_code(code)
    case = NewCase(
        reporter_id=IMPORTER_ID,
        reporter_anonymous=True,
        victim_names="" if withheld else names,
        victim_withheld=withheld,
        profession=profession,
        violation=violation,
        incident_date=incident,
        date_precision=precision,
        date_end=end,
        date_approximate=_flag(record, "date_approximate"),
        country=code,
        summary=(
            f"{violation.label.capitalize()} of a {profession.label} in "
            f"{country.name if country else code}, imported from a network-bot export."
        ),
        sources=tuple(links),
        provenance=provenance,
        provenance_note="Imported from a network-bot export.",
        restricted_notes=_text(record, "restricted_notes"),
    )
    values = [str(record.get(c, "")) for c in DIGESTED]
    return Incoming(
        line=line,
        identity=public_id,
        digest=digest(values),
        case=case,
        status=status,
        stage=stage,
        public_id=public_id,
    )


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name, "")
    return "" if value is None else str(value).strip()


def _choice(record: Mapping[str, Any], name: str, kind: Any) -> Any:
    value = _text(record, name)
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(item.value for item in kind)
        raise RowProblem(
            say(
                "{name} {given} is not one of {known}",
                name=name,
                given=repr(value[:30]),
                known=known,
            )
        ) from None


def _date(record: Mapping[str, Any], name: str, *, today: date) -> date:
    value = _text(record, name)
    try:
        found = date.fromisoformat(value)
    except ValueError:
        raise RowProblem(
            say("{name} {given} is not a date as YYYY-MM-DD", name=name, given=repr(value[:30]))
        ) from None
    if found > today:
        raise RowProblem(say("{name} {given} is in the future", name=name, given=value))
    return found


def _flag(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "false", "0", "no"):
        return False
    if text in ("true", "1", "yes"):
        return True
    raise RowProblem(
        say("{name} {given} is neither true nor false", name=name, given=repr(text[:20]))
    )


def _listed(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return str(value).split()


def _unguard(value: str) -> str:
    """Undo the export's guard against spreadsheet formulas (a leading apostrophe)."""
    if value.startswith("'") and value[1:2] and value[1] in _FORMULA_START:
        return value[1:]
    return value
