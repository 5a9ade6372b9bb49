"""The three roles and their order: each role may do everything the one below it may.

An admin is a coordinator too: whatever a coordinator may see or do, an admin may.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from network_bot.i18n import Text, say
from network_bot.refusal import NotAllowed


class Role(StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


_RANK = {Role.MEMBER: 0, Role.COORDINATOR: 1, Role.ADMIN: 2}


class Actor(Protocol):
    @property
    def role(self) -> Role: ...

    @property
    def is_active(self) -> bool: ...


def require(actor: Actor, needed: Role) -> None:
    """Refuse unless ``actor`` is active and holds ``needed`` (or more).

    The request route checks this before a handler runs; services call it again on the member
    they act for, so a path that forgets the route's check still cannot act above its role.
    """
    if not actor.is_active or not actor.role.allows(needed):
        raise NotAllowed(refused(needed))


def refused(needed: Role) -> Text:
    """Why someone below ``needed`` may not do this, and whom to ask."""
    if needed is Role.ADMIN:
        return say("Only admins can do that. If you think you should, ask an admin of the network.")
    if needed is Role.COORDINATOR:
        return say(
            "Only coordinators can do that. If you think you should, ask an admin of the network."
        )
    return say("Only members of the network can do that. Please ask an admin of the network.")
