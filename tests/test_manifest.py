"""app_manifest.yaml is a valid Slack manifest that names exactly what the code registers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from network_bot import roster_events, workspace_events
from network_bot.registry import Registry, load_commands

ROOT = Path(__file__).resolve().parents[1]
# slackapi/manifest-schema (MIT, slack/LICENSE.manifest-schema), kept in the project.
SCHEMA = ROOT / "slack" / "manifest.schema.1.0.0.json"


def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "app_manifest.yaml").read_text())


def registry() -> Registry:
    found = Registry()
    roster_events.register(found)
    workspace_events.register(found)
    load_commands(found, "commands")
    return found


def test_manifest_validates_against_slack_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(manifest(), schema)


def test_manifest_and_registry_name_the_same_commands() -> None:
    declared = {c["command"]: c for c in manifest()["features"]["slash_commands"]}
    assert set(declared) == set(registry().commands)
    for name, command in registry().commands.items():
        assert declared[name]["should_escape"] is command.should_escape
        assert declared[name]["description"] == str(command.summary)
        assert declared[name]["usage_hint"] == command.usage_hint


def test_manifest_subscribes_to_every_handled_event() -> None:
    events = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    assert set(registry().event_types()) <= events


def test_every_url_points_at_the_one_endpoint() -> None:
    data = manifest()
    urls = {c["url"] for c in data["features"]["slash_commands"]}
    urls.add(data["settings"]["event_subscriptions"]["request_url"])
    urls.add(data["settings"]["interactivity"]["request_url"])
    urls.add(data["settings"]["interactivity"]["message_menu_options_url"])
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")


def test_scopes_cover_the_methods_the_bot_calls() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    # chat.postMessage/update/delete, conversations.open, users.info, conversations.info
    assert {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "channels:read",
        "groups:read",
    } <= scopes


def test_oauth_asks_for_the_manifests_scopes_and_redirects_to_the_bot() -> None:
    from network_bot.oauth.scopes import BOT_SCOPES

    oauth = manifest()["oauth_config"]
    assert list(oauth["scopes"]["bot"]) == list(BOT_SCOPES)
    assert oauth["redirect_urls"] == ["https://network-bot.example.org/slack/oauth_redirect"]
    assert manifest()["settings"]["org_deploy_enabled"] is True, "org-wide (Grid) installs"
