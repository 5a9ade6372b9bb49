"""Modals and Home tabs as Slack keeps them: per-person view stacks, trigger ids, hashes.

Slack's rules live here: a trigger_id is single use and short-lived, a modal stacks at most
three views, ``views.update`` refuses a stale hash, and every view is validated (title 24
characters, 100 blocks, private_metadata 3000) before anything changes.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from network_bot.testing._stand_in_blocks import with_ids
from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_surfaces import ViewKind, check_view

Json = dict[str, Any]


@dataclass(kw_only=True)
class _Trigger:
    user_id: str
    issued: float
    used: bool = False


class ViewStore:
    """Every open view, by id, and which person each belongs to."""

    def __init__(
        self,
        *,
        team_id: str,
        app_id: str,
        bot_id: str,
        trigger_ttl: float,
        user_exists: Callable[[str], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.team_id = team_id
        self.app_id = app_id
        self.bot_id = bot_id
        self.trigger_ttl = trigger_ttl
        self._user_exists = user_exists
        self._clock = clock
        self._ids = itertools.count(1)
        self._views: dict[str, Json] = {}
        self._view_users: dict[str, str] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._triggers: dict[str, _Trigger] = {}

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id as Slack issues per interaction: single use, valid ``trigger_ttl`` s."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(user_id=user_id, issued=self._clock())
        return trigger_id

    def exchange_trigger(self, trigger_id: Any) -> str:
        """Spend a trigger_id; returns whose it was."""
        trigger = self._triggers.get(str(trigger_id)) if trigger_id else None
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if self._clock() - trigger.issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user_id

    @staticmethod
    def _validate_view(view: Any, kind: ViewKind) -> Json:
        refused = check_view(view, kind=kind)
        if refused is not None:
            raise ApiError(refused.error, messages=refused.messages, block_kit=True)
        assert isinstance(view, dict)
        return view

    def _store_view(
        self,
        view: Json,
        *,
        user_id: str,
        view_id: str | None = None,
        previous_view_id: str | None = None,
        root_view_id: str | None = None,
    ) -> Json:
        view_id = view_id or f"V{next(self._ids):09d}"
        external_id = str(view.get("external_id") or "")
        if external_id:
            for other_id, other in self._views.items():
                if other_id != view_id and other["external_id"] == external_id:
                    raise ApiError("duplicate_external_id")
        stored: Json = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type"),
            "blocks": with_ids(view.get("blocks")),
            "private_metadata": str(view.get("private_metadata") or ""),
            "callback_id": str(view.get("callback_id") or ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": external_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = stored
        self._view_users[view_id] = user_id
        return copy.deepcopy(stored)

    def open_view(self, trigger_id: Any, view: Any) -> Json:
        """``views.open``: a new modal for whoever the trigger belongs to."""
        checked = self._validate_view(view, "modal")
        user_id = self.exchange_trigger(trigger_id)
        self.clear_views(user_id)
        stored = self._store_view(checked, user_id=user_id)
        self._stacks[user_id] = [stored["id"]]
        return stored

    def push_view(self, user_id: str, view: Any) -> Json:
        """Put a view on top of the person's open modal (Slack allows a stack of three)."""
        checked = self._validate_view(view, "modal")
        stack = self._stacks.get(user_id) or []
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= 3:
            raise ApiError("push_limit_reached")
        stored = self._store_view(
            checked, user_id=user_id, previous_view_id=stack[-1], root_view_id=stack[0]
        )
        stack.append(stored["id"])
        return stored

    def push_view_with_trigger(self, trigger_id: Any, view: Any) -> Json:
        """``views.push``."""
        self._validate_view(view, "modal")
        return self.push_view(self.exchange_trigger(trigger_id), view)

    def _find_view(self, view_id: Any, external_id: Any) -> Json:
        if view_id:
            found = self._views.get(str(view_id))
        elif external_id:
            found = next((v for v in self._views.values() if v["external_id"] == external_id), None)
        else:
            raise ApiError(
                "invalid_arguments", messages=["[ERROR] either view_id or external_id is required"]
            )
        if found is None:
            raise ApiError("not_found")
        return found

    def update_view(
        self, view: Any, *, view_id: Any = None, external_id: Any = None, hash: Any = None
    ) -> Json:
        """``views.update``: same id, new hash; a stale ``hash`` is refused as Slack does."""
        current = self._find_view(view_id, external_id)
        kind: ViewKind = "home" if current["type"] == "home" else "modal"
        checked = self._validate_view(view, kind)
        if hash and hash != current["hash"]:
            raise ApiError("hash_conflict")
        if not checked.get("external_id"):  # the view keeps the handle it was opened with
            checked = {**checked, "external_id": current["external_id"]}
        return self._store_view(
            checked,
            user_id=self._view_users[current["id"]],
            view_id=current["id"],
            previous_view_id=current["previous_view_id"],
            root_view_id=current["root_view_id"],
        )

    def replace_view(self, view_id: str, view: Any) -> Json:
        """A submission answered with ``response_action: update``."""
        return self.update_view(view, view_id=view_id)

    def publish_home(self, user_id: Any, view: Any, *, hash: Any = None) -> Json:
        """``views.publish``: the person's Home tab, one per person, keeping its id."""
        if not user_id or not self._user_exists(str(user_id)):
            raise ApiError("user_not_found")
        checked = self._validate_view(view, "home")
        current_id = self._homes.get(str(user_id))
        if hash and current_id and hash != self._views[current_id]["hash"]:
            raise ApiError("hash_conflict")
        stored = self._store_view(checked, user_id=str(user_id), view_id=current_id)
        self._homes[str(user_id)] = stored["id"]
        return stored

    def close_view(self, user_id: str) -> Json | None:
        """Close the top view of the person's modal (what an empty submission ack does)."""
        stack = self._stacks.get(user_id) or []
        if not stack:
            return None
        view_id = stack.pop()
        self._view_users.pop(view_id, None)
        return self._views.pop(view_id, None)

    def clear_views(self, user_id: str) -> None:
        """Close the whole modal (``response_action: clear``)."""
        while self.close_view(user_id) is not None:
            pass

    def views_for(self, user_id: str) -> list[Json]:
        """The person's open modal stack, root first."""
        return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user_id) or []]

    def view(self, view_id: str) -> Json | None:
        found = self._views.get(view_id)
        return copy.deepcopy(found) if found is not None else None

    def home(self, user_id: str) -> Json | None:
        view_id = self._homes.get(user_id)
        return self.view(view_id) if view_id else None
