"""The in-memory workspace behind the Slack stand-in, put together from one module per job:
people and conversations (``_stand_in_people``), messages (``_stand_in_messages``), response URLs
(``_stand_in_response_urls``), files (``_stand_in_files``) and views (``_stand_in_views``).

The HTTP layer in ``stand_in.py`` only decodes requests and encodes answers.
"""

from __future__ import annotations

from typing import Any

from network_bot.testing._stand_in_files import Files
from network_bot.testing._stand_in_people import Json
from network_bot.testing._stand_in_response_urls import ResponseUrls
from network_bot.testing._stand_in_views import ViewStore

__all__ = ["Json", "Workspace"]


class Workspace(Files, ResponseUrls):
    """One Slack workspace's state, with the rules Slack applies when the bot changes it."""

    def __init__(self, *, trigger_ttl: float, **state: Any) -> None:
        """``state``: the team's identity and clock (``People``) and the response URLs' limits
        (``ResponseUrls``)."""
        super().__init__(**state)
        self.view_store = ViewStore(
            team_id=self.team_id,
            app_id=self.app_id,
            bot_id=self.bot_id,
            trigger_ttl=trigger_ttl,
            user_exists=self._users.__contains__,
            clock=self._clock,
        )
        self.add_user(self.bot_user_id, "network-bot", real_name="Network Bot", is_bot=True)

    # --- triggers and views (kept by ``self.view_store``) ----------------------------------

    @property
    def trigger_ttl(self) -> float:
        """Seconds a trigger_id stays usable (Slack: 3)."""
        return self.view_store.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.view_store.trigger_ttl = seconds

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id as Slack issues per interaction: single use, valid ``trigger_ttl`` s."""
        return self.view_store.new_trigger_id(user_id)

    def views_for(self, user_id: str) -> list[Json]:
        """The person's open modal stack, root first."""
        return self.view_store.views_for(user_id)

    def view(self, view_id: str) -> Json | None:
        return self.view_store.view(view_id)

    def home(self, user_id: str) -> Json | None:
        """The person's Home tab as last published."""
        return self.view_store.home(user_id)

    def close_view(self, user_id: str) -> Json | None:
        """Close the top view of the person's modal (what an empty submission ack does)."""
        return self.view_store.close_view(user_id)

    def clear_views(self, user_id: str) -> None:
        """Close the whole modal (``response_action: clear``)."""
        self.view_store.clear_views(user_id)

    def replace_view(self, view_id: str, view: Any) -> Json:
        """A submission answered with ``response_action: update``."""
        return self.view_store.update_view(view, view_id=view_id)

    def push_view(self, user_id: str, view: Any) -> Json:
        """A submission answered with ``response_action: push``."""
        return self.view_store.push_view(user_id, view)
