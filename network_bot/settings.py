"""Configuration from the environment (and an optional ``.env``): the only place that reads it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from cryptography.fernet import Fernet
from pydantic import (
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from network_bot.slack_ids import CHANNEL_ID, CLIENT_ID, TEAM_ID, USER_ID

NEW_KEY_HINT = (
    "make one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)

DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable and what it needs."""


def _secret_with_prefix(value: SecretStr | None, prefix: str, what: str) -> SecretStr | None:
    if value is None:
        return None
    raw = value.get_secret_value().strip()
    if not raw:
        return None
    if not raw.startswith(prefix):
        raise ValueError(f"expected {what} starting with '{prefix}'")
    return SecretStr(raw)


# Patterns the bot spells once (slack_ids.py); surrounding blanks are forgiven.
ClientId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=CLIENT_ID.pattern)]
TeamId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=TEAM_ID.pattern)]
ChannelId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=CHANNEL_ID.pattern)]
UserId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=USER_ID.pattern)]
Language = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z]{2,3}$")
]
LogLevel = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, pattern=r"(?i)^(debug|info|warning|error)$"
    ),
]
Days = Annotated[int, Field(ge=0, le=36_500)]
HEX_SECRETS = {
    "slack_signing_secret": "the hexadecimal signing secret from the app's Basic Information page",
    "slack_client_secret": "the hexadecimal Client Secret from Basic Information",
}


class Settings(BaseSettings):
    """Everything the bot needs to start. Secrets are ``SecretStr`` and never printed.

    A field's name is its environment variable without ``NETWORK_BOT_`` (Slack's own variables
    keep their names through an alias); a field's ``description`` is what describe_error says a
    value that does not match its pattern should look like.
    """

    model_config = SettingsConfigDict(
        env_prefix="NETWORK_BOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_API_URL, alias="SLACK_API_URL")
    # Many workspaces (OAuth): each installs the app; see network_bot/workspaces/.
    slack_client_id: ClientId | None = Field(
        default=None,
        alias="SLACK_CLIENT_ID",
        description="the Client ID from Basic Information, like 1234567890.123456",
    )
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    home_team: TeamId | None = Field(
        default=None,
        description=(
            "the secretariat's Slack team ID like T0123ABCD (or E0123ABCD for an org-wide install)"
        ),
    )
    secret_key: SecretStr | None = None

    db: Path = Path("network-bot.sqlite3")
    admins: Annotated[tuple[UserId, ...], NoDecode] = Field(
        default=(), description="comma-separated Slack user IDs like U0123ABCD"
    )
    team_id: TeamId | None = Field(default=None, description="a Slack team ID like T0123ABCD")

    language: Language = Field(
        default="en", description="a two-letter language code such as en, fr, es or ar"
    )
    case_prefix: str = Field(
        default="NI", pattern=r"^[A-Z]{1,6}$", description="1 to 6 capital letters, e.g. NI"
    )
    review_channel: ChannelId | None = Field(
        default=None, description="a Slack channel ID like C0123ABCD"
    )
    campaign_channel: ChannelId | None = Field(
        default=None, description="a Slack channel ID like C0123ABCD"
    )

    batch_minutes: float = Field(default=3.0, ge=0, le=120)
    campaign_hour: int = Field(default=8, ge=0, le=23)

    commands: str = "commands"
    log_level: LogLevel = Field(default="INFO", description="one of DEBUG, INFO, WARNING, ERROR")
    db_busy_ms: int = Field(default=5000, ge=0, le=600_000)
    profile_ttl_hours: float = Field(default=24.0, gt=0)
    shutdown_grace: float = Field(default=10.0, ge=0)

    workspace_rate: float = Field(default=20.0, gt=0, le=1000)
    channel_rate: float = Field(default=1.0, gt=0, le=100)
    max_attempts: int = Field(default=8, ge=1, le=100)
    delivery_concurrency: int = Field(default=8, ge=1, le=256)
    retry_backoff: float = Field(default=1.0, gt=0, le=60)
    slack_timeout: int = Field(default=10, ge=1, le=120)

    # Retention, in days; 0 keeps forever. See network_bot/store/retention.py.
    keep_deliveries_days: Days = 90
    keep_audit_days: Days = 730
    keep_rejected_days: Days = 365

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _secret_with_prefix(value, "xoxb-", "a bot token")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _secret_with_prefix(value, "xapp-", "an app-level token")

    @field_validator("slack_signing_secret", "slack_client_secret")
    @classmethod
    def _hex_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """A secret from Basic Information is hexadecimal; a pattern cannot check a SecretStr."""
        if value is None or not value.get_secret_value().strip():
            return None
        raw = value.get_secret_value().strip()
        if not re.fullmatch(r"[0-9a-fA-F]{16,128}", raw):
            raise ValueError(f"expected {HEX_SECRETS[str(info.field_name)]}")
        return SecretStr(raw)

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        """One Fernet key, or several comma-separated (the first encrypts; all decrypt, so a
        key can be replaced without losing the tokens stored under the old one)."""
        if value is None or not value.get_secret_value().strip():
            return None
        keys = [k.strip() for k in value.get_secret_value().split(",") if k.strip()]
        for key in keys:
            try:
                Fernet(key.encode())
            except (ValueError, TypeError):
                raise ValueError(
                    f"expected a Fernet key (32 url-safe base64-encoded bytes); {NEW_KEY_HINT}"
                ) from None
        return SecretStr(",".join(keys))

    @model_validator(mode="after")
    def _oauth(self) -> Settings:
        """OAuth needs both app credentials, a key for the tokens it stores and a home."""
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            missing = (
                "SLACK_CLIENT_SECRET" if self.slack_client_secret is None else "SLACK_CLIENT_ID"
            )
            raise ValueError(f"{missing}: set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        if not self.oauth:
            return self
        if self.slack_bot_token is not None:
            raise ValueError(
                "SLACK_BOT_TOKEN: unset it when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set "
                "(each workspace's token comes from its install), or unset those for one workspace"
            )
        if self.secret_key is None:
            raise ValueError(
                "NETWORK_BOT_SECRET_KEY: required with SLACK_CLIENT_ID, to encrypt the tokens "
                f"each workspace's install stores; {NEW_KEY_HINT}"
            )
        if self.home_team is None:
            raise ValueError(
                "NETWORK_BOT_HOME_TEAM: required with SLACK_CLIENT_ID: the secretariat's "
                "workspace (team ID), approved from the start"
            )
        return self

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip()
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("expected an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("admins", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return tuple(value or ())

    @property
    def oauth(self) -> bool:
        """Many workspaces: each installs the app through OAuth and has its own token."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def has_http_credentials(self) -> bool:
        token = self.slack_bot_token is not None or self.oauth
        return token and self.slack_signing_secret is not None

    @property
    def has_socket_credentials(self) -> bool:
        return self.slack_bot_token is not None and self.slack_app_token is not None

    def secrets(self) -> tuple[str, ...]:
        """The secret values, so the log filter can scrub them wherever they appear."""
        values = (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
        )
        found = [v.get_secret_value() for v in values if v is not None]
        if self.secret_key is not None:
            found += self.secret_key.get_secret_value().split(",")
        return tuple(found)


def variable(field: str) -> str:
    """The environment variable a field is read from."""
    info = Settings.model_fields[field]
    return info.alias or f"{Settings.model_config.get('env_prefix', '')}{field}".upper()


def describe_error(error: ValidationError) -> str:
    """One line per bad setting, naming the environment variable, never echoing its value."""
    fields = {info.alias: name for name, info in Settings.model_fields.items() if info.alias}
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        if not item["loc"]:  # a rule across settings names its variable itself
            lines.append(message)
            continue
        field = fields.get(str(item["loc"][0]), str(item["loc"][0]))
        if field not in Settings.model_fields:
            lines.append(f"{field}: {message}")
            continue
        wanted = Settings.model_fields[field].description
        if item["type"] == "string_pattern_mismatch" and wanted:
            message = f"expected {wanted}"
            position = item["loc"][1] if len(item["loc"]) > 1 else None
            if isinstance(position, int):  # one entry of a list
                message += f" (entry {position + 1} is not)"
        lines.append(f"{variable(field)}: {message}")
    return "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning pydantic's validation error into one clear ``SettingsError``."""
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:  # the environment may hold other names; a caller's own must be settings
        raise TypeError(f"not settings: {', '.join(unknown)}")
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_error(error)) from None
