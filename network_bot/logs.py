"""Logging that cannot leak: tokens are scrubbed, payload text is never logged.

Slack's libraries log request bodies and aiosqlite logs SQL parameters at DEBUG, and those carry
what members typed (including an anonymous reporter's name), so their loggers are held at INFO
or above whatever level the bot runs at.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable

_TOKEN = re.compile(r"\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+")
# Libraries that log request bodies, API responses or SQL parameters at DEBUG, all of which
# can hold what members typed (restricted notes, an anonymous reporter's name).
_CHATTY_LOGGERS = (
    "slack_bolt",
    "slack_sdk",
    "network_bot.bolt",
    "network_bot.slack_sdk",
    "aiosqlite",
)


class SecretFilter(logging.Filter):
    """Replace every Slack token and configured secret in a record with a marker."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if len(s) >= 8)

    def scrub(self, text: str) -> str:
        text = _TOKEN.sub(r"\1-[redacted]", text)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            cleaned += "\n" + describe_exception(record.exc_info[1])
            record.exc_info = None
            record.exc_text = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def describe_exception(error: BaseException) -> str:
    """The exception's type and where it happened, without its message (which may hold data)."""
    frames = traceback.extract_tb(error.__traceback__)[-6:]
    where = " <- ".join(
        f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})" for f in frames[::-1]
    )
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or 'unknown'}"


def configure(level: str, *, secrets: Iterable[str] = (), stream: object = None) -> logging.Handler:
    """Install one handler on the root logger with the secret filter attached."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_network_bot", False):
            root.removeHandler(existing)
    handler._network_bot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    quiet_slack_loggers(level)
    return handler


def quiet_slack_loggers(level: str) -> None:
    floor = max(logging.getLevelName(level), logging.INFO)
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(floor)
