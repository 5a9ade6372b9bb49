"""Who is who, and where, in the playground's pretend network: the home workspace and partners.

Every person uses one workspace; every channel and DM lives in one. The console asks here which
stand-in workspace and which driver to use for someone, and how to name a person or a channel.
"""

from __future__ import annotations

from network_bot.playground_forms import Channel
from network_bot.testing.driver import SlackDriver
from network_bot.testing.network import NetworkHarness
from network_bot.testing.stand_in import Team
from network_bot.testing.workspace import Person


class Directory:
    def __init__(self, *, harness: NetworkHarness) -> None:
        self._harness = harness

    def people(self) -> list[Person]:
        """Everyone in the demo: the home workspace's people and every partner's."""
        return self._harness.everyone()

    def team(self, user_id: str) -> Team:
        """The stand-in workspace someone uses."""
        return self._harness.team_of(user_id)

    def teams(self) -> list[Team]:
        return list(self._harness.slack.teams.values())

    def driver(self, user_id: str) -> SlackDriver:
        """What Slack sends from that person's workspace."""
        return self._harness.drive_in(self.team(user_id).team_id)

    def general(self, user_id: str) -> str:
        """Where that person types commands."""
        return self._harness.general(self.team(user_id).team_id)

    def user_id(self, handle: str) -> str | None:
        wanted = handle.strip().lstrip("@").lower()
        for p in self.people():
            if wanted in (p.handle, p.user_id.lower()):
                return p.user_id
        return None

    def name_of(self, user_id: str) -> str:
        for p in self.people():
            if p.user_id == user_id:
                return p.handle
        return user_id

    def dm_owner(self, channel_id: str) -> str | None:
        """Whose DM with the bot ``channel_id`` is, if it is one."""
        for p in self.people():
            if self.team(p.user_id).im_of(p.user_id) == channel_id:
                return p.user_id
        return None

    def channel_list(self, *, of: str | None = None) -> list[Channel]:
        """The channels of the demo (``of``: only those in that person's workspace, as Slack's
        channel picker shows them), by name, with what is special about each."""
        review = self._harness.running.settings.review_channel
        rooms = [(room, "") for room in self._harness.rooms] + [
            (room, partner.name) for partner in self._harness.partners for room in partner.rooms
        ]
        if of is not None:
            team = self.team(of)
            rooms = [(room, "") for room, _ in rooms if room.channel_id in team.channels]
        found = []
        for room, partner in rooms:
            notes = [
                note
                for note, yes in (
                    (f"in {partner}'s workspace", bool(partner)),
                    ("private", room.is_private),
                    ("shared with a partner organisation", room.is_ext_shared),
                    ("the review channel", room.channel_id == review),
                )
                if yes
            ]
            found.append(
                Channel(room.channel_id, room.name, f" ({', '.join(notes)})" if notes else "")
            )
        return found

    def team_of_channel(self, channel_id: str) -> Team:
        return next((t for t in self.teams() if channel_id in t.channels), self._harness.slack)

    def where(self, channel_id: str) -> str:
        for team in self.teams():
            channel = team.channels.get(channel_id)
            if channel is not None:
                return "#" + str(channel["name"])
        owner = self.dm_owner(channel_id)
        return f"DM to @{self.name_of(owner)}" if owner else channel_id
