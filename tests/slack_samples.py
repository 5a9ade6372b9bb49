"""Requests in the shapes Slack really sends, for the payload tests.

Each sample is written for this workspace (its team, people and channels), field for field in the
shape of a real payload recorded in Slack's own MIT-licensed SDK tests, cited above each one; the
ids and texts are this network's. Keeping the shapes here (not built by the driver) means a change
to the driver cannot hide a payload the bot would no longer read.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

TEAM = "T0NETWORK"
PARTNER_TEAM = "T0PARTNER"
ENTERPRISE = {"id": "E0NETWORK", "name": "Network Org"}
APP = "A0NETWORK"
TOKEN = "stand-in-verification-token"


def slash_command(*, user_id: str, text: str, response_url: str, trigger_id: str) -> dict[str, str]:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_slash_command.py
    (``slash_command_body``: an Enterprise Grid workspace, so ``enterprise_id`` and
    ``enterprise_name`` are present) and slackapi/python-slack-sdk
    tests/slack_sdk/socket_mode/mock_socket_mode_server.py (the ``slash_commands`` envelope's
    payload). ``text`` is given as Slack escapes it."""
    return {
        "token": TOKEN,
        "team_id": TEAM,
        "team_domain": "network",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": user_id,
        "user_name": "alice",
        "command": "/network",
        "text": text,
        "api_app_id": APP,
        "is_enterprise_install": "false",
        "enterprise_id": ENTERPRISE["id"],
        "enterprise_name": ENTERPRISE["name"],
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def block_actions_in_message(
    *,
    user_id: str,
    action: Json,
    message: Json,
    response_url: str,
    trigger_id: str,
    user_team: str = TEAM,
) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_block_actions.py (``body``: a button
    click in a message container, ``team`` with ``enterprise_id``)."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": user_team},
        "api_app_id": APP,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": "C0GENERAL",
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id,
        "team": {
            "id": TEAM,
            "domain": "network",
            "enterprise_id": ENTERPRISE["id"],
            "enterprise_name": ENTERPRISE["name"],
        },
        "enterprise": ENTERPRISE,
        "is_enterprise_install": False,
        "channel": {"id": "C0GENERAL", "name": "general"},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{**action, "action_ts": "1596530385.194939"}],
    }


def block_actions_in_view(*, user_id: str, action: Json, view: Json, trigger_id: str) -> Json:
    """Shape: slackapi/python-slack-sdk tests/slack_sdk/socket_mode/mock_socket_mode_server.py
    (the ``interactive`` envelope with a ``view`` container and ``enterprise: null``)."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "bob", "name": "bob", "team_id": TEAM},
        "api_app_id": APP,
        "token": TOKEN,
        "container": {"type": "view", "view_id": view["id"]},
        "trigger_id": trigger_id,
        "team": {"id": TEAM, "domain": "network"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view,
        "actions": [{**action, "action_ts": "1655863389.628431"}],
    }


def view_submission(*, user_id: str, view: Json, values: Json, trigger_id: str) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_view_submission.py (``body``)."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "network", "enterprise_id": ENTERPRISE["id"]},
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": TEAM},
        "api_app_id": APP,
        "token": TOKEN,
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": ENTERPRISE,
    }


def connect_view_submission(*, view: Json, trigger_id: str) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_view_submission.py
    (``connect_channel_payload``: a person of another organisation in a Slack Connect channel;
    ``team`` and ``user.team_id`` are theirs, ``app_installed_team_id`` is ours)."""
    return {
        "type": "view_submission",
        "team": {"id": PARTNER_TEAM, "domain": "partner"},
        "user": {"id": "U0OUTSIDE9", "username": "kaz", "name": "kaz", "team_id": PARTNER_TEAM},
        "api_app_id": APP,
        "token": TOKEN,
        "trigger_id": trigger_id,
        "view": {**view, "app_installed_team_id": TEAM, "state": {"values": {}}},
        "enterprise": {"id": "E0PARTNER", "name": "Partner Org"},
    }


def view_closed(*, user_id: str, view: Json) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_view_closed.py (``body``)."""
    return {
        "type": "view_closed",
        "team": {"id": TEAM, "domain": "network"},
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": TEAM},
        "api_app_id": APP,
        "token": TOKEN,
        "view": {**view, "state": {"values": {}}},
        "is_cleared": False,
        "response_urls": [],
        "is_enterprise_install": False,
    }


def block_suggestion(*, user_id: str, action_id: str, value: str) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_block_suggestion.py (``body``)."""
    return {
        "type": "block_suggestion",
        "user": {"id": user_id, "username": "alice", "name": "alice", "team_id": TEAM},
        "container": {"type": "view", "view_id": "V0000000001"},
        "api_app_id": APP,
        "token": TOKEN,
        "action_id": action_id,
        "block_id": "b",
        "value": value,
        "team": {"id": TEAM, "domain": "network"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def event_callback(event: Json, *, event_id: str, team_id: str = TEAM) -> Json:
    """Shape: slackapi/python-slack-sdk tests/slack_sdk/socket_mode/mock_socket_mode_server.py
    (the ``events_api`` envelope's payload) and slackapi/bolt-python
    tests/scenario_tests/test_events_shared_channels.py (``authorizations``: in a shared channel
    the envelope's ``team_id`` is the sender's workspace, ``authorizations`` name ours)."""
    return {
        "token": TOKEN,
        "team_id": team_id,
        "enterprise_id": ENTERPRISE["id"],
        "api_app_id": APP,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1610241741,
        "authorizations": [
            {
                "enterprise_id": ENTERPRISE["id"],
                "team_id": TEAM,
                "user_id": "UNETBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": team_id != TEAM,
        "event_context": f"1-{event.get('type')}-{TEAM}-C0GENERAL",
    }


def app_home_opened(user_id: str) -> Json:
    """Shape: the ``app_home_opened`` event of Slack's Events API reference."""
    return {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D0ALICE01",
        "tab": "home",
        "event_ts": "1610241741.000200",
    }


def user_change(user: Json) -> Json:
    """Shape: the ``user_change`` event: the whole user object, as users.info returns it."""
    return {"type": "user_change", "user": user, "cache_ts": 1610241741, "event_ts": "1.2"}


def tokens_revoked() -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_events_token_revocations.py."""
    return {"type": "tokens_revoked", "tokens": {"oauth": ["U0DANA006"], "bot": ["UNETBOT"]}}


def url_verification(challenge: str) -> Json:
    """Shape: slackapi/bolt-python tests/scenario_tests/test_events_url_verification.py."""
    return {"token": TOKEN, "challenge": challenge, "type": "url_verification"}


SSL_CHECK = b"token=stand-in-verification-token&ssl_check=1"
"""Shape: slackapi/bolt-python tests/scenario_tests/test_ssl_check.py (``token=…&ssl_check=1``)."""


def every_element_state() -> Json:
    """``view.state.values`` for every input element type, touched and untouched, in the shapes of
    the view_submission payload (bolt-python's test_view_submission ``state``) per element type."""
    option = {"text": {"type": "plain_text", "text": "Kenya", "emoji": True}, "value": "KE"}

    def one(state: Json) -> Json:
        return {"value": state}

    return {
        "text": one({"type": "plain_text_input", "value": "Reporters &amp; Editors &lt;3"}),
        "untouched_text": one({"type": "plain_text_input", "value": None}),
        "email": one({"type": "email_text_input", "value": "desk@example.org"}),
        "url": one({"type": "url_text_input", "value": "https://example.org/?a=1&amp;b=2"}),
        "number": one({"type": "number_input", "value": "42"}),
        "select": one({"type": "static_select", "selected_option": option}),
        "untouched_select": one({"type": "static_select", "selected_option": None}),
        "multi": one({"type": "multi_static_select", "selected_options": [option]}),
        "untouched_multi": one({"type": "multi_static_select", "selected_options": []}),
        "external": one({"type": "external_select", "selected_option": option}),
        "user": one({"type": "users_select", "selected_user": "U0ALICE01"}),
        "users": one({"type": "multi_users_select", "selected_users": ["U0ALICE01"]}),
        "conversation": one({"type": "conversations_select", "selected_conversation": "C0GENERAL"}),
        "conversations": one({"type": "multi_conversations_select", "selected_conversations": []}),
        "channel": one({"type": "channels_select", "selected_channel": None}),
        "channels": one({"type": "multi_channels_select", "selected_channels": ["C0GENERAL"]}),
        "date": one({"type": "datepicker", "selected_date": "2026-11-02"}),
        "untouched_date": one({"type": "datepicker", "selected_date": None}),
        "time": one({"type": "timepicker", "selected_time": "09:00"}),
        "datetime": one({"type": "datetimepicker", "selected_date_time": 1793606400}),
        "checks": one({"type": "checkboxes", "selected_options": []}),
        "radio": one({"type": "radio_buttons", "selected_option": None}),
        "rich": one(
            {
                "type": "rich_text_input",
                "rich_text_value": {"type": "rich_text", "elements": []},
            }
        ),
        "files": one({"type": "file_input", "files": []}),
    }
