"""A small demo network: people with roles and organisations, channels, one shared channel."""

from __future__ import annotations

from dataclasses import dataclass

from network_bot.roles import Role
from network_bot.testing._stand_in_workspace import Workspace


@dataclass(frozen=True, kw_only=True)
class Person:
    user_id: str
    handle: str
    real_name: str
    role: Role = Role.MEMBER
    organisation: str | None = None
    country: str | None = None
    tz: str = "Europe/London"
    tz_offset: int = 0
    locale: str = "en-US"  # the person's Slack language


@dataclass(frozen=True, kw_only=True)
class Room:
    channel_id: str
    name: str
    is_ext_shared: bool = False
    is_private: bool = False


PEOPLE: tuple[Person, ...] = (
    Person(
        user_id="U0ALICE01",
        handle="alice",
        real_name="Alice Wanjiru",
        organisation="Kenya Press Freedom Desk",
        country="KE",
        tz="Africa/Nairobi",
        tz_offset=10800,
    ),
    Person(
        user_id="U0BOBBY02",
        handle="bob",
        real_name="Bilal Qureshi",
        organisation="Pakistan Journalists Forum",
        country="PK",
        tz="Asia/Karachi",
        tz_offset=18000,
    ),
    Person(
        user_id="U0EMMA003",
        handle="emma",
        real_name="Emma Restrepo",
        organisation="Fundación Prensa Libre",
        country="CO",
        tz="America/Bogota",
        tz_offset=-18000,
    ),
    Person(
        user_id="U0CHIDI04",
        handle="chidi",
        real_name="Chidi Okafor",
        role=Role.COORDINATOR,
        organisation="Network Secretariat",
        country="GB",
    ),
    Person(
        user_id="U0FARID05",
        handle="farid",
        real_name="Farid Haddad",
        role=Role.COORDINATOR,
        organisation="Gulf Rights Monitor",
        country="BH",
        tz="Asia/Bahrain",
        tz_offset=10800,
    ),
    Person(
        user_id="U0DANA006",
        handle="dana",
        real_name="Dana Sok",
        role=Role.ADMIN,
        organisation="Network Secretariat",
        country="KH",
        tz="Asia/Phnom_Penh",
        tz_offset=25200,
    ),
)

ALICE, BOB, EMMA, CHIDI, FARID, DANA = (person.user_id for person in PEOPLE)
EVERYONE = tuple(person.user_id for person in PEOPLE)

ROOMS: tuple[Room, ...] = (
    Room(channel_id="C0GENERAL", name="general"),
    Room(channel_id="C0REVIEW1", name="case-review", is_private=True),
    Room(channel_id="C0CAMPAIGN", name="impunity-campaign"),
    Room(channel_id="C0ALERTS1", name="network-alerts"),
    Room(channel_id="C0PARTNER", name="partners-shared", is_ext_shared=True),
)

REVIEW_CHANNEL = "C0REVIEW1"
CAMPAIGN_CHANNEL = "C0CAMPAIGN"


def person(handle: str) -> Person:
    for p in PEOPLE:
        if p.handle == handle.lstrip("@") or p.user_id == handle:
            return p
    raise KeyError(handle)


@dataclass(frozen=True, kw_only=True)
class Partner:
    """A member organisation's own workspace, which installs the bot to join the network."""

    team_id: str
    name: str
    people: tuple[Person, ...]
    rooms: tuple[Room, ...] = ()
    enterprise_id: str | None = None
    enterprise_name: str | None = None


PARTNER = Partner(
    team_id="T0PARTNER",
    name="Andes Press Network",
    people=(
        Person(
            user_id="U0PEDRO07",
            handle="pedro",
            real_name="Pedro Quispe",
            organisation="Andes Press Network",
            country="PE",
            tz="America/Lima",
            tz_offset=-18000,
        ),
        Person(
            user_id="U0LUCIA08",
            handle="lucia",
            real_name="Lucía Mamani",
            organisation="Andes Press Network",
            country="BO",
            tz="America/La_Paz",
            tz_offset=-14400,
        ),
    ),
    rooms=(Room(channel_id="C0ANDESGEN", name="andes-general"),),
)


def add_person(team: Workspace, person: Person) -> None:
    """Give ``person`` an account in ``team``, with the profile Slack would show of them."""
    team.add_user(
        person.user_id,
        person.handle,
        real_name=person.real_name,
        display_name=person.handle,
        tz=person.tz,
        tz_offset=person.tz_offset,
        locale=person.locale,
    )


def add_room(team: Workspace, room: Room) -> None:
    """Create ``room`` in ``team``, the bot a member of it."""
    team.add_channel(
        room.channel_id, room.name, is_ext_shared=room.is_ext_shared, is_private=room.is_private
    )
