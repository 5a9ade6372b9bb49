"""The payloads Slack sends an app, built from the stand-in's state.

Shared by the HTTP driver and Socket Mode tests (which send the same dicts through
``SlackStandIn.socket_send``), so both transports see identical requests.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from network_bot.testing._driver_state import (
    SINGLE_OPTION_KINDS,
    element_state,
    option_for,
    slack_escaped,
    state_values,
)
from network_bot.testing._stand_in_team import Team

Json = dict[str, Any]

VERIFICATION_TOKEN = "stand-in-verification-token"
"""The deprecated verification token Slack still puts in every payload."""


def _channel_name(stand_in: Team, channel_id: str) -> str:
    """``channel_name`` as Slack fills it: DMs are ``directmessage``, unseen private ones hidden."""
    channel = stand_in.channels.get(channel_id)
    if channel is not None:
        return str(channel["name"])
    return "directmessage" if channel_id.startswith("D") else "privategroup"


def build_slash_command_body(
    *,
    stand_in: Team,
    user_id: str,
    command: str,
    text: str = "",
    channel_id: str = "C0GENERAL",
    channel_name: str | None = None,
    team_id: str | None = None,
    api_app_id: str = "A0NETWORK",
) -> dict[str, str]:
    """The fields of a slash command: form-encoded over HTTP, this very dict over Socket Mode.

    ``text`` is what the person typed; it is sent escaped, as Slack sends it."""
    user = stand_in.users.get(user_id)
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id or stand_in.team_id,
        "team_domain": stand_in.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name or _channel_name(stand_in, channel_id),
        "user_id": user_id,
        "user_name": str(user["name"]) if user else user_id.lower(),
        "command": command,
        "text": slack_escaped(text),
        "api_app_id": api_app_id,
        "is_enterprise_install": "true" if stand_in.org_install else "false",
        **(
            {
                "enterprise_id": stand_in.enterprise_id,
                "enterprise_name": stand_in.enterprise_name or stand_in.enterprise_id,
            }
            if stand_in.enterprise_id
            else {}
        ),
        "response_url": stand_in.new_response_url(channel_id=channel_id, user_id=user_id),
        "trigger_id": stand_in.new_trigger_id(user_id),
    }


def _find_element(
    blocks: list[Json], action_id: str, block_id: str | None
) -> tuple[Json, str] | None:
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        candidates = list(block.get("elements") or []) if block.get("type") == "actions" else []
        candidates += [block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return element, str(block.get("block_id"))
    return None


class SlackPayloads:
    """Builds interaction payloads and event envelopes the way Slack fills them in."""

    def __init__(self, *, stand_in: Team, team_id: str, api_app_id: str) -> None:
        self.stand_in = stand_in
        self.team_id = team_id
        self.api_app_id = api_app_id

    @property
    def _enterprise(self) -> str | None:
        return self.stand_in.enterprise_id

    def user(self, user_id: str) -> Json:
        found = self.stand_in.users.get(user_id)
        name = str(found["name"]) if found else user_id.lower()
        # An Enterprise organisation's person is named by the organisation, not the workspace:
        # "The user.team_id will report an enterprise organization ID (which starts with an E)
        # instead of team ID" (docs.slack.dev/reference/interaction-payloads/
        # block_suggestion-payload; block_actions and view_submission carry the same user).
        team_id = self._enterprise or self.team_id
        return {"id": user_id, "username": name, "name": name, "team_id": team_id}

    def _common(self, kind: str, user_id: str) -> Json:
        return {
            "type": kind,
            "user": self.user(user_id),
            "api_app_id": self.api_app_id,
            "token": VERIFICATION_TOKEN,
            "team": {
                "id": self.team_id,
                "domain": self.stand_in.team_domain,
                **({"enterprise_id": self._enterprise} if self._enterprise else {}),
            },
            "enterprise": (
                {"id": self._enterprise, "name": self.stand_in.enterprise_name}
                if self._enterprise
                else None
            ),
            "is_enterprise_install": self.stand_in.org_install,
        }

    def current_view(self, view: Json) -> Json:
        """The view as Slack holds it now (refreshed from the stand-in), with its input state."""
        current = self.stand_in.view(str(view.get("id"))) or dict(view)
        current["state"] = {"values": state_values(current.get("blocks") or [], {})}
        return current

    def _action(
        self,
        element: Json | None,
        *,
        action_id: str,
        block_id: str,
        action_type: str | None,
        value: str | None,
        selected_option: Json | str | None,
    ) -> Json:
        kind = action_type or (str(element.get("type")) if element else "button")
        action: Json = {
            "action_id": action_id,
            "block_id": block_id,
            "type": kind,
            "action_ts": f"{time.time():.6f}",
        }
        if kind == "button":
            action["text"] = (element or {}).get("text") or {
                "type": "plain_text",
                "text": action_id,
            }
            chosen = value if value is not None else (element or {}).get("value")
            if chosen is not None:
                action["value"] = chosen
            return action
        picked = selected_option if selected_option is not None else value
        if kind in SINGLE_OPTION_KINDS and picked is not None:
            action["selected_option"] = option_for(element or {"type": kind}, picked)
        elif element is not None and picked is not None:
            state = element_state(element, picked)
            action.update({k: v for k, v in state.items() if k != "type"})
        elif value is not None:
            action["value"] = value
        return action

    def block_actions(
        self,
        user_id: str,
        action_id: str,
        *,
        value: str | None = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message: Json | None = None,
        view: Json | None = None,
        selected_option: Json | str | None = None,
        action_type: str | None = None,
        extra_action_fields: Mapping[str, Any] | None = None,
    ) -> Json:
        """A button click or menu pick, in a message (with a response_url) or in a view."""
        payload = self._common("block_actions", user_id)
        payload["trigger_id"] = self.stand_in.new_trigger_id(user_id)
        if view is not None:
            current = self.current_view(view)
            blocks = current.get("blocks") or []
            payload["container"] = {"type": "view", "view_id": current.get("id")}
            payload["view"] = current
            payload["state"] = current["state"]
        else:
            blocks = (message or {}).get("blocks") or []
            payload.update(self._message_context(user_id, channel_id, message))
        found = _find_element(blocks, action_id, block_id)
        element, found_block = found if found else (None, block_id or "b")
        action = self._action(
            element,
            action_id=action_id,
            block_id=found_block,
            action_type=action_type,
            value=value,
            selected_option=selected_option,
        )
        action.update(extra_action_fields or {})
        payload["actions"] = [action]
        return payload

    def _message_context(self, user_id: str, channel_id: str | None, message: Json | None) -> Json:
        channel = channel_id or str((message or {}).get("channel") or "C0GENERAL")
        is_ephemeral = bool(message and "source" in message)
        shown: Json
        if message:
            shown = self.stand_in.public_message(message)
        else:  # a click on a message the test did not bother to post
            shown = {
                "type": "message",
                "ts": self.stand_in.next_ts(),
                "text": "",
                "blocks": [],
                "user": self.stand_in.bot_user_id,
                "bot_id": self.stand_in.bot_id,
            }
        ts = str(shown["ts"])
        context: Json = {
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": is_ephemeral,
            },
            "channel": {"id": channel, "name": _channel_name(self.stand_in, channel)},
            "state": {"values": state_values(shown.get("blocks") or [], {})},
            "response_url": self.stand_in.new_response_url(
                channel_id=channel, user_id=user_id, message_ts=ts
            ),
        }
        if not is_ephemeral:  # Slack does not echo an ephemeral message back
            context["message"] = shown
        return context

    def view_submission(self, user_id: str, view: Json, values: Mapping[str, Any]) -> Json:
        payload = self._common("view_submission", user_id)
        current = self.current_view(view)
        current["state"] = {"values": state_values(current.get("blocks") or [], values)}
        payload.update(
            {
                "trigger_id": self.stand_in.new_trigger_id(user_id),
                "view": current,
                "response_urls": [],
            }
        )
        return payload

    def view_closed(self, user_id: str, view: Json, *, is_cleared: bool = False) -> Json:
        payload = self._common("view_closed", user_id)
        payload.update({"view": self.current_view(view), "is_cleared": is_cleared})
        return payload

    def block_suggestion(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        view: Json | None = None,
        block_id: str | None = None,
    ) -> Json:
        """What Slack asks while someone types into an external_select."""
        payload = self._common("block_suggestion", user_id)
        blocks: list[Json] = []
        if view is not None:
            current = self.current_view(view)
            blocks = current.get("blocks") or []
            payload.update(
                {"container": {"type": "view", "view_id": current.get("id")}, "view": current}
            )
        found = _find_element(blocks, action_id, block_id)
        payload.update(
            {
                "action_id": action_id,
                "value": slack_escaped(value),
                "block_id": found[1] if found else (block_id or "b"),
            }
        )
        return payload

    def event_callback(
        self, event: Json, *, event_id: str | None = None, team_id: str | None = None
    ) -> Json:
        """The Events API envelope around ``event``."""
        team = team_id or self.team_id
        enterprise = self._enterprise
        org_wide = self.stand_in.org_install
        return {
            "token": VERIFICATION_TOKEN,
            "team_id": team,
            **({"enterprise_id": enterprise} if enterprise else {}),
            "context_team_id": team,
            "context_enterprise_id": enterprise,
            "api_app_id": self.api_app_id,
            "event": {**event, "event_ts": event.get("event_ts") or self.stand_in.next_ts()},
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": enterprise,
                    "team_id": None if org_wide else team,
                    "user_id": self.stand_in.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": org_wide,
                }
            ],
            "is_ext_shared_channel": False,
        }
