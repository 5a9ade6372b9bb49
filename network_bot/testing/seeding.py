"""A record written straight into the database, as an import or years of use leave it, for tests
about what the bot reads back (exports, campaign figures, retention, backups)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from network_bot.roles import Role
from network_bot.store import campaign, cases, counters, members
from network_bot.store.campaign import StateAnswer, UnescoEntry
from network_bot.store.cases import CaseRecord, NewCase
from network_bot.store.db import Conn, Database
from network_bot.testing.harness import Harness
from network_bot.testing.scenarios import insert_case
from network_bot.testing.workspace import ALICE, CHIDI
from network_bot.vocabulary import Profession, Stage, Status, Violation

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

# The people of a record seeded without Slack (no harness): see ``seed_varied_record``.
ADMIN, COORDINATOR, MEMBER = "U0ADMIN01", "U0COORD02", "U0MEMBER3"
ANON = "U0ZEPHYR9"
ANON_NAME, ANON_REAL, ANON_ORG = "zephyrine", "Zephyrine Quillfeather", "Quillfeather Media Watch"
ANON_NOTES = "Brother's number 0300-7654321; source is Zephyrine Quillfeather (U0ZEPHYR9)."

# What a seeded case keeps from members (``seed_case``).
WITHHELD = "Zoraida Quintanilla"
NOTES = "Widow's phone 0300-7654321, do not share"


async def open_db(path: Path) -> Database:
    """The database file at ``path``, opened and migrated."""
    db = Database(path)
    await db.open()
    await db.migrate()
    return db


async def add_member(
    tx: Conn,
    user_id: str,
    *,
    role: Role = Role.MEMBER,
    name: str = "",
    real: str = "",
    org: str = "",
) -> None:
    await members.add_if_new(tx, user_id=user_id, team_id="T0NETWORK", display_name=name, now=NOW)
    await members.set_role(tx, user_id=user_id, role=role, now=NOW)
    await tx.execute(
        "UPDATE members SET real_name = ?, organisation = ? WHERE user_id = ?", (real, org, user_id)
    )


async def add_case(
    tx: Conn,
    *,
    status: Status = Status.VERIFIED,
    stage: Stage = Stage.NO_INVESTIGATION,
    reporter: str = MEMBER,
    redacted: bool = False,
    **fields: Any,
) -> str:
    """A case with every field filled (``fields`` change them); its public ID."""
    values: dict[str, Any] = {
        "reporter_id": reporter,
        "victim_names": "Arshad Mahmood",
        "profession": Profession.JOURNALIST,
        "violation": Violation.KILLING,
        "incident_date": date(2020, 1, 22),
        "country": "PK",
        "summary": "Radio journalist shot dead outside his home.",
        "sources": ("https://example.org/a", "https://example.org/b"),
        "restricted_notes": "restricted: family contact 0300-1234567",
        **fields,
    }
    public_id = await counters.next_public_id(tx, prefix="NI", year=2026)
    case_id = await cases.insert(tx, NewCase(**values), public_id=public_id, now=NOW)
    await tx.execute(
        "UPDATE cases SET status = ?, justice_stage = ?, redacted_at = ? WHERE id = ?",
        (status.value, stage.value, "2026-11-01T00:00:00Z" if redacted else None, case_id),
    )
    return public_id


async def seed_varied_record(path: Path) -> dict[str, str]:
    """Four members and one case of each kind the safety rules treat apart (withheld, redacted,
    unverified, rejected, anonymous); the public IDs by kind. The database is closed after."""
    db = await open_db(path)
    ids: dict[str, str] = {}
    try:
        async with db.transaction() as tx:
            await add_member(tx, ADMIN, role=Role.ADMIN, name="dana")
            await add_member(tx, COORDINATOR, role=Role.COORDINATOR, name="chidi")
            await add_member(tx, MEMBER, name="bob", real="Bilal Qureshi", org="Pakistan Forum")
            await add_member(tx, ANON, name=ANON_NAME, real=ANON_REAL, org=ANON_ORG)
            ids["pk_killing"] = await add_case(tx)
            ids["co_withheld"] = await add_case(
                tx,
                country="CO",
                victim_names="Secret Person",
                victim_withheld=True,
                violation=Violation.DETENTION,
                incident_date=date(2025, 6, 1),
                stage=Stage.CONVICTED_FULL,
            )
            ids["ph_redacted"] = await add_case(
                tx, country="PH", victim_names="Redacted Name", redacted=True
            )
            ids["mx_unverified"] = await add_case(
                tx, country="MX", status=Status.REPORTED, victim_names="Pending Person"
            )
            ids["pk_rejected"] = await add_case(tx, status=Status.REJECTED, victim_names="Nope")
            ids["pk_anonymous"] = await add_case(
                tx,
                reporter=ANON,
                reporter_anonymous=True,
                incident_date=date(2024, 3, 3),
                stage=Stage.CONVICTED_PARTIAL,
                victim_names="Chea Vichea",
                restricted_notes=ANON_NOTES,
            )
    finally:
        await db.close()
    return ids


async def seed_case(
    h: Harness,
    *,
    country: str = "PK",
    incident: date = date(2015, 3, 1),
    violation: Violation = Violation.KILLING,
    stage: Stage = Stage.NO_INVESTIGATION,
    verified: bool = True,
    names: str = "Arshad Mahmood",
    withheld: bool = False,
) -> CaseRecord:
    """A case written straight into a running bot's database (the record as an import leaves
    it), reported by Alice and verified by Chidi."""
    db = h.running.db
    async with db.transaction() as tx:
        case_id = await insert_case(
            tx,
            NewCase(
                reporter_id=ALICE,
                victim_names=names,
                victim_withheld=withheld,
                profession=Profession.JOURNALIST,
                violation=violation,
                incident_date=incident,
                country=country,
                summary="A reporter was shot dead after covering local corruption.",
                restricted_notes=NOTES,
            ),
            now=NOW,
            verified_by=CHIDI if verified else None,
        )
        if stage is not Stage.NO_INVESTIGATION:
            await cases.set_stage(tx, case_id=case_id, stage=stage, stage_date=incident, now=NOW)
        record = await cases.get(tx, case_id)
    assert record is not None
    return record


async def answer(
    h: Harness, record: CaseRecord, cycle: int, given: StateAnswer = StateAnswer.ONGOING
) -> None:
    """Record the state's answer to UNESCO's request about ``record`` in ``cycle``."""
    async with h.running.db.transaction() as tx:
        await campaign.save_unesco(
            tx,
            UnescoEntry(
                case_id=record.id,
                cycle=cycle,
                requested_on=date(cycle - 1, 2, 1),
                answer=given,
                answered_on=None if given is StateAnswer.NONE else date(cycle - 1, 5, 1),
                recorded_by=CHIDI,
                recorded_at=NOW,
            ),
        )


async def member(h: Harness, user_id: str) -> members.Member:
    """The member as the bot's database holds them now."""
    found = await members.get(h.running.db.read, user_id)
    assert found is not None
    return found
