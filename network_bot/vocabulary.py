"""The case vocabulary the network shares: each term's stored value and how people read it."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " "))

    @classmethod
    def parse(cls, text: str) -> Labelled | None:
        """Accept the stored value, the label, or either with spaces, dashes or slashes."""
        wanted = _key(text)
        for item in cls:
            if wanted in (_key(item.value), _key(item.label)):
                return item
        return None


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Profession(Labelled):
    JOURNALIST = "journalist"
    MEDIA_WORKER = "media_worker"
    BLOGGER = "blogger"
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender"
    ARTIST = "artist"
    LAWYER = "lawyer"
    OTHER = "other"


class Gender(Labelled):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    UNKNOWN = "unknown"


class Violation(Labelled):
    KILLING = "killing"
    ATTEMPTED_KILLING = "attempted_killing"
    PHYSICAL_ATTACK = "physical_attack"
    ABDUCTION = "abduction"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance"
    DETENTION = "detention"
    TORTURE = "torture"
    THREATS = "threats"
    LEGAL_HARASSMENT = "legal_harassment"
    ONLINE_HARASSMENT = "online_harassment"
    SURVEILLANCE = "surveillance"
    CENSORSHIP = "censorship"
    OTHER = "other"


class Perpetrator(Labelled):
    STATE = "state"
    ARMED_GROUP = "armed_group"
    ORGANISED_CRIME = "organised_crime"
    POLITICAL_ACTOR = "political_actor"
    PRIVATE_INDIVIDUAL = "private_individual"
    UNKNOWN = "unknown"


class Urgency(Labelled):
    URGENT = "urgent"
    HIGH = "high"
    ROUTINE = "routine"

    @property
    def priority(self) -> int:
        """Outbox priority: urgent messages go out before routine ones."""
        return {"urgent": 20, "high": 10, "routine": 0}[self.value]


class Status(Labelled):
    REPORTED = "reported"
    UNDER_REVIEW = "under_review"
    VERIFIED = "verified"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"

    @property
    def is_open(self) -> bool:
        """Still waiting for a coordinator's decision."""
        return self in (Status.REPORTED, Status.UNDER_REVIEW)

    @property
    def is_set_aside(self) -> bool:
        """Rejected or merged into another: not a case of the record, with no clock to run."""
        return self in (Status.REJECTED, Status.DUPLICATE)


class Stage(Labelled):
    NO_INVESTIGATION = "no_investigation"
    INVESTIGATION_OPENED = "investigation_opened"
    SUSPECT_IDENTIFIED = "suspect_identified"
    CHARGED = "charged"
    ON_TRIAL = "on_trial"
    CONVICTED_PARTIAL = "convicted_partial"
    CONVICTED_FULL = "convicted_full"
    ACQUITTED = "acquitted"
    CLOSED = "closed"
    TIME_BARRED = "time_barred"


class DatePrecision(Labelled):
    """How much of a case's date is known: imported history is often only a month or a year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


class Impunity(Labelled):
    """CPJ's rule for a murder: no conviction, some convicted, or everyone convicted."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    FULL_JUSTICE = "full_justice"


_LABELS = {
    "media_worker": "media worker",
    "blogger": "blogger / online activist",
    "human_rights_defender": "human-rights defender",
    "artist": "artist / cultural worker",
    "non_binary": "non-binary",
    "attempted_killing": "attempted killing",
    "physical_attack": "physical attack",
    "enforced_disappearance": "enforced disappearance",
    "detention": "arbitrary detention / imprisonment",
    "threats": "threats / harassment",
    "legal_harassment": "legal harassment",
    "online_harassment": "online harassment",
    "censorship": "censorship / closure",
    "state": "state / security forces",
    "armed_group": "armed group",
    "organised_crime": "organised crime",
    "political_actor": "political actor",
    "private_individual": "private individual",
    "under_review": "under review",
    "duplicate": "duplicate",
    "no_investigation": "no investigation",
    "investigation_opened": "investigation opened",
    "suspect_identified": "suspect identified",
    "on_trial": "on trial",
    "convicted_partial": "convicted (partial: not all perpetrators)",
    "convicted_full": "convicted (full)",
    "closed": "case closed without result",
    "time_barred": "statute of limitations expired",
    "complete": "complete impunity",
    "partial": "partial impunity",
    "full_justice": "full justice",
}


def impunity_of(stage: Stage) -> Impunity:
    """CPJ's classification follows from the justice stage alone."""
    if stage is Stage.CONVICTED_FULL:
        return Impunity.FULL_JUSTICE
    if stage is Stage.CONVICTED_PARTIAL:
        return Impunity.PARTIAL
    return Impunity.COMPLETE
