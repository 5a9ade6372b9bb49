"""Settings: clear one-line errors naming the variable, secrets never printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from network_bot.settings import Settings, SettingsError, load_settings, variable

SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "NETWORK_BOT_DB",
        "NETWORK_BOT_ADMINS",
        "NETWORK_BOT_TEAM_ID",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "NETWORK_BOT_HOME_TEAM",
        "NETWORK_BOT_SECRET_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_without_credentials() -> None:
    settings = load_settings()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.db == Path("network-bot.sqlite3")
    assert not settings.has_http_credentials and not settings.has_socket_credentials
    assert settings.case_prefix == "NI"


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-abc")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("NETWORK_BOT_ADMINS", "U0ADMIN01, U0ADMIN02")
    monkeypatch.setenv("NETWORK_BOT_DB", "/tmp/x.sqlite3")
    settings = load_settings()
    assert settings.admins == ("U0ADMIN01", "U0ADMIN02")
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.has_http_credentials
    assert settings.db == Path("/tmp/x.sqlite3")


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NETWORK_BOT_CASE_PREFIX=FX\n")
    assert load_settings().case_prefix == "FX"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "SLACK_BOT_TOKEN",
            "xoxp-user-token-123",
            "SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'",
        ),
        (
            "SLACK_APP_TOKEN",
            "xoxb-not-an-app-token",
            "SLACK_APP_TOKEN: expected an app-level token starting with 'xapp-'",
        ),
        (
            "SLACK_SIGNING_SECRET",
            "not hex!",
            "SLACK_SIGNING_SECRET: expected the hexadecimal signing secret",
        ),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL: expected an http(s) URL"),
        ("NETWORK_BOT_LANGUAGE", "french", "NETWORK_BOT_LANGUAGE: expected a two-letter"),
        ("NETWORK_BOT_LOG_LEVEL", "loud", "NETWORK_BOT_LOG_LEVEL: expected one of DEBUG"),
        ("NETWORK_BOT_TEAM_ID", "acme", "NETWORK_BOT_TEAM_ID: expected a Slack team ID"),
        ("NETWORK_BOT_REVIEW_CHANNEL", "#review", "NETWORK_BOT_REVIEW_CHANNEL: expected a Slack"),
        (
            "NETWORK_BOT_ADMINS",
            "U0ADMIN01,alice",
            "NETWORK_BOT_ADMINS: expected comma-separated Slack user IDs like U0123ABCD "
            "(entry 2 is not)",
        ),
        ("NETWORK_BOT_DB_BUSY_MS", "-1", "NETWORK_BOT_DB_BUSY_MS:"),
        (
            "NETWORK_BOT_CASE_PREFIX",
            "ni",
            "NETWORK_BOT_CASE_PREFIX: expected 1 to 6 capital letters",
        ),
    ],
)
def test_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message
    if variable.startswith("SLACK_") and variable != "SLACK_API_URL":
        assert value not in message  # a secret, even a wrong one, is never echoed


def test_secrets_are_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret-value")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    settings = load_settings()
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert "very-secret" not in shown
    assert SECRET not in shown
    assert set(settings.secrets()) == {"xoxb-very-secret-value", SECRET}


def start_http(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``network-bot run --mode http`` in a clean environment holding only ``variables``."""
    return subprocess.run(
        [sys.executable, "-m", "network_bot", "run", "--mode", "http"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **variables},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_cli_refuses_bad_setting_in_one_line(tmp_path: Path) -> None:
    result = start_http(tmp_path, SLACK_BOT_TOKEN="xoxp-wrong-kind-of-token")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "network-bot: cannot start: SLACK_BOT_TOKEN: expected a bot token starting with 'xoxb-'"
    ]
    assert "Traceback" not in result.stderr
    assert "wrong-kind" not in result.stderr


def test_cli_http_mode_needs_the_signing_secret(tmp_path: Path) -> None:
    result = start_http(tmp_path, SLACK_BOT_TOKEN="xoxb-1-2-3")
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


KEY = "q9XbU9c3xJvV7yHh3VJ2mP0F2r4cKp8m5dWlHnQeA1k="
CLIENT_SECRET = "abcdef0123456789abcdef0123456789"


def oauth_env(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    values = {
        "SLACK_CLIENT_ID": "1234567890.987654321",
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SECRET,
        "NETWORK_BOT_HOME_TEAM": "T0HOME",
        "NETWORK_BOT_SECRET_KEY": KEY,
        **extra,
    }
    for name, value in values.items():
        if value:
            monkeypatch.setenv(name, value)


def test_oauth_settings_make_http_credentials_and_keep_their_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oauth_env(monkeypatch)
    settings = load_settings()
    assert settings.oauth and settings.has_http_credentials
    assert not settings.has_socket_credentials
    shown = repr(settings) + settings.model_dump_json()
    assert CLIENT_SECRET not in shown and KEY not in shown
    assert {CLIENT_SECRET, KEY} <= set(settings.secrets())


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"NETWORK_BOT_SECRET_KEY": ""}, "NETWORK_BOT_SECRET_KEY: required with SLACK_CLIENT_ID"),
        ({"NETWORK_BOT_SECRET_KEY": "too-short"}, "NETWORK_BOT_SECRET_KEY: expected a Fernet key"),
        ({"NETWORK_BOT_HOME_TEAM": ""}, "NETWORK_BOT_HOME_TEAM: required with SLACK_CLIENT_ID"),
        ({"NETWORK_BOT_HOME_TEAM": "home"}, "NETWORK_BOT_HOME_TEAM: expected the secretariat"),
        ({"SLACK_BOT_TOKEN": "xoxb-1-2-3"}, "SLACK_BOT_TOKEN: unset it when SLACK_CLIENT_ID"),
        ({"SLACK_CLIENT_SECRET": ""}, "SLACK_CLIENT_SECRET: set both SLACK_CLIENT_ID"),
        ({"SLACK_CLIENT_ID": "abc"}, "SLACK_CLIENT_ID: expected the Client ID"),
    ],
)
def test_oauth_settings_refuse_to_start_without_what_they_need(
    monkeypatch: pytest.MonkeyPatch, extra: dict[str, str], expected: str
) -> None:
    oauth_env(monkeypatch, **extra)
    for name, value in extra.items():
        if not value:
            monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(expected), message
    assert "\n" not in message and KEY not in message and CLIENT_SECRET not in message


def readme_settings_table() -> dict[str, str]:
    """The README's settings table: each variable it names, with its default cell."""
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    table: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([A-Z_]+)`", cells[0]):
            table[name] = cells[1]
    return table


def test_settings_are_documented() -> None:
    """Every setting is in the README's table with its default, and the table names no other."""
    table = readme_settings_table()
    variables = {variable(name): name for name in Settings.model_fields}
    assert sorted(set(variables) - set(table)) == [], "settings missing from the README"
    assert sorted(set(table) - set(variables)) == [], "the README names what is not a setting"
    for name, field in variables.items():
        info = Settings.model_fields[field]
        cell = table[name]
        if info.default in (None, ()):
            assert cell == "none" or cell.startswith("from "), (name, cell)
            continue
        shown = re.fullmatch(r"`([^`]+)`", cell)
        assert shown, f"{name}: the default should be one `value`, not {cell!r}"
        documented = TypeAdapter(info.annotation).validate_python(shown.group(1))
        assert documented == info.default, (name, cell, info.default)


def test_field_names_follow_their_variables() -> None:
    """One name per setting: the field is the variable without its prefix; only Slack's keep
    their own names (an alias)."""
    for name, info in Settings.model_fields.items():
        if info.alias is not None:
            assert info.alias.startswith("SLACK_") and info.alias == name.upper(), name
        else:
            assert variable(name) == f"NETWORK_BOT_{name.upper()}"


def test_a_name_that_is_not_a_setting_is_refused() -> None:
    """A caller's mistyped name would otherwise be ignored as quietly as a stray variable."""
    with pytest.raises(TypeError, match="not settings: db_path"):
        load_settings(db_path="x.sqlite3")


@pytest.mark.parametrize(
    ("variable_name", "value", "expected"),
    [
        ("NETWORK_BOT_LANGUAGE", " FR ", "fr"),
        ("NETWORK_BOT_LOG_LEVEL", "debug", "DEBUG"),
        ("NETWORK_BOT_HOME_TEAM", " T0HOME ", "T0HOME"),
        ("NETWORK_BOT_REVIEW_CHANNEL", "", None),
    ],
)
def test_values_are_tidied_before_they_are_checked(
    monkeypatch: pytest.MonkeyPatch, variable_name: str, value: str, expected: str | None
) -> None:
    monkeypatch.setenv(variable_name, value)
    field = variable_name.removeprefix("NETWORK_BOT_").lower()
    assert getattr(load_settings(), field) == expected
