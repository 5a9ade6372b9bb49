"""Configuration from the environment (and an optional ``.env``): the only place that reads it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from network_bot.slack_ids import CHANNEL_ID, TEAM_ID, USER_ID

CLIENT_ID = re.compile(r"^[0-9]{3,20}\.[0-9]{3,20}$")

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


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything the bot needs to start. Secrets are ``SecretStr`` and never printed."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_API_URL, alias="SLACK_API_URL")
    # Many workspaces (OAuth): each installs the app; see network_bot/workspaces/.
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    home_team: str | None = Field(default=None, alias="NETWORK_BOT_HOME_TEAM")
    secret_key: SecretStr | None = Field(default=None, alias="NETWORK_BOT_SECRET_KEY")

    db_path: Path = Field(default=Path("network-bot.sqlite3"), alias="NETWORK_BOT_DB")
    admins: Annotated[tuple[str, ...], NoDecode] = Field(default=(), alias="NETWORK_BOT_ADMINS")
    team_id: str | None = Field(default=None, alias="NETWORK_BOT_TEAM_ID")

    language: str = Field(default="en", alias="NETWORK_BOT_LANGUAGE")
    case_prefix: str = Field(default="NI", alias="NETWORK_BOT_CASE_PREFIX")
    review_channel: str | None = Field(default=None, alias="NETWORK_BOT_REVIEW_CHANNEL")
    campaign_channel: str | None = Field(default=None, alias="NETWORK_BOT_CAMPAIGN_CHANNEL")

    batch_minutes: float = Field(default=3.0, ge=0, le=120, alias="NETWORK_BOT_BATCH_MINUTES")
    campaign_hour: int = Field(default=8, ge=0, le=23, alias="NETWORK_BOT_CAMPAIGN_HOUR")

    command_package: str = Field(default="commands", alias="NETWORK_BOT_COMMANDS")
    log_level: str = Field(default="INFO", alias="NETWORK_BOT_LOG_LEVEL")
    db_busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000, alias="NETWORK_BOT_DB_BUSY_MS")
    profile_ttl_hours: float = Field(default=24.0, gt=0, alias="NETWORK_BOT_PROFILE_TTL_HOURS")
    shutdown_grace_seconds: float = Field(default=10.0, ge=0, alias="NETWORK_BOT_SHUTDOWN_GRACE")

    workspace_rate_per_second: float = Field(
        default=20.0, gt=0, le=1000, alias="NETWORK_BOT_WORKSPACE_RATE"
    )
    channel_rate_per_second: float = Field(
        default=1.0, gt=0, le=100, alias="NETWORK_BOT_CHANNEL_RATE"
    )
    delivery_max_attempts: int = Field(default=8, ge=1, le=100, alias="NETWORK_BOT_MAX_ATTEMPTS")
    delivery_concurrency: int = Field(
        default=8, ge=1, le=256, alias="NETWORK_BOT_DELIVERY_CONCURRENCY"
    )
    delivery_backoff_seconds: float = Field(
        default=1.0, gt=0, le=60, alias="NETWORK_BOT_RETRY_BACKOFF"
    )
    slack_timeout_seconds: int = Field(default=10, ge=1, le=120, alias="NETWORK_BOT_SLACK_TIMEOUT")

    # Retention, in days; 0 keeps forever. See network_bot/store/retention.py.
    keep_deliveries_days: int = Field(
        default=90, ge=0, le=36_500, alias="NETWORK_BOT_KEEP_DELIVERIES_DAYS"
    )
    keep_audit_days: int = Field(default=730, ge=0, le=36_500, alias="NETWORK_BOT_KEEP_AUDIT_DAYS")
    keep_rejected_days: int = Field(
        default=365, ge=0, le=36_500, alias="NETWORK_BOT_KEEP_REJECTED_DAYS"
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _secret_with_prefix(value, "xoxb-", "a bot token")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _secret_with_prefix(value, "xapp-", "an app-level token")

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        raw = value.get_secret_value().strip()
        if not re.fullmatch(r"[0-9a-fA-F]{16,128}", raw):
            raise ValueError(
                "expected the hexadecimal signing secret from the app's Basic Information page"
            )
        return SecretStr(raw)

    @field_validator("slack_client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not CLIENT_ID.match(value):
            raise ValueError(
                "expected the Client ID from Basic Information, like 1234567890.123456"
            )
        return value or None

    @field_validator("slack_client_secret")
    @classmethod
    def _client_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        raw = value.get_secret_value().strip()
        if not re.fullmatch(r"[0-9a-fA-F]{16,128}", raw):
            raise ValueError("expected the hexadecimal Client Secret from Basic Information")
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

    @field_validator("home_team")
    @classmethod
    def _home_team(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not TEAM_ID.match(value):
            raise ValueError(
                "expected the secretariat's Slack team ID like T0123ABCD "
                "(or E0123ABCD for an org-wide install)"
            )
        return value or None

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
        value = _split_list(value)
        for user_id in value or ():
            if not USER_ID.match(user_id):
                raise ValueError(
                    f"expected comma-separated Slack user IDs like U0123ABCD, got {user_id[:20]!r}"
                )
        return tuple(value or ())

    @field_validator("team_id")
    @classmethod
    def _team(cls, value: str | None) -> str | None:
        if value and not TEAM_ID.match(value):
            raise ValueError("expected a Slack team ID like T0123ABCD")
        return value or None

    @field_validator("review_channel", "campaign_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value and not CHANNEL_ID.match(value):
            raise ValueError("expected a Slack channel ID like C0123ABCD")
        return value or None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        value = value.strip().lower()
        if not re.fullmatch(r"[a-z]{2,3}", value):
            raise ValueError("expected a two-letter language code such as en, fr, es or ar")
        return value

    @field_validator("case_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{1,6}", value):
            raise ValueError("expected 1 to 6 capital letters, e.g. NI")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("expected one of DEBUG, INFO, WARNING, ERROR")
        return value

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


def describe_error(error: ValidationError) -> str:
    """One line per bad setting, naming the environment variable, never echoing its value."""
    aliases = {name: field.alias or name.upper() for name, field in Settings.model_fields.items()}
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        if not item["loc"]:  # a rule across settings names its variable itself
            lines.append(message)
            continue
        field = str(item["loc"][0])
        variable = aliases.get(field, field)
        lines.append(f"{variable}: {message}")
    return "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning pydantic's validation error into one clear ``SettingsError``."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_error(error)) from None
