"""Who may see a case: the one rule every read path asks.

Members see verified cases and their own reports; coordinators (and so admins) see everything.
A case a member may not see is answered exactly like a case that does not exist, so an ID,
a button or a notice never confirms that an unverified report is on record.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from network_bot.blocks.kit import escape
from network_bot.i18n import Text, say
from network_bot.refusal import Refusal
from network_bot.roles import Role
from network_bot.vocabulary import Status


def not_found(public_id: str) -> Text:
    """The one answer for a case that does not exist and for one the person may not see."""
    return say(
        "I can't find a case {id} that you can see. Check the ID, or search with `/cases`.",
        id=escape(public_id.strip().upper()[:30]),
    )


class Viewer(Protocol):
    @property
    def user_id(self) -> str: ...

    @property
    def role(self) -> Role: ...


class Visible(Protocol):
    @property
    def status(self) -> Status: ...

    @property
    def reporter_id(self) -> str: ...


def can_see(viewer: Viewer, record: Visible | None) -> bool:
    if record is None:
        return False
    return (
        viewer.role.allows(Role.COORDINATOR)
        or record.status is Status.VERIFIED
        or record.reporter_id == viewer.user_id
    )


def statuses_for(viewer: Viewer, *, own_reports: bool) -> tuple[Status, ...] | None:
    """The statuses a search by ``viewer`` may return (None: any), the same rule as SQL."""
    if viewer.role.allows(Role.COORDINATOR) or own_reports:
        return None
    return (Status.VERIFIED,)


class CaseNotFound(Refusal):
    """Said for a case that does not exist and for one the person may not see alike."""

    def __init__(self, public_id: str) -> None:
        super().__init__(not_found(public_id))


R = TypeVar("R", bound=Visible)


def visible_or_refuse(viewer: Viewer, record: R | None, public_id: str) -> R:
    """``record`` if ``viewer`` may see it; else the same refusal as for a missing case."""
    if record is None or not can_see(viewer, record):
        raise CaseNotFound(public_id)
    return record
