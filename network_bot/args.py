"""Reading the text after a slash command: words, ``key:value`` options, mentions.

Commands that name a person or channel set ``should_escape``, so Slack sends ``<@U0123ABCD|name>``
and ``<#C0123ABCD|name>``; a bare ID (``U0123ABCD``) is accepted just the same.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any

from pydantic import ValidationError

from network_bot.i18n import Messages, Text, say
from network_bot.refusal import Refusal
from network_bot.slack_ids import CHANNEL_MENTION, USER_MENTION

_OPTION = re.compile(r"^([a-z][a-z_-]{0,20}):(.*)$", re.S)
_MENTION_WITH_SPACES = re.compile(r"<([@#!][^>|]*)\|([^>]*)>")
# Phones and Slack's editor turn straight quotes into curly ones; read them as straight.
_SMART_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


class ArgError(Refusal, ValueError):
    """The text could not be read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class Parsed:
    words: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    users: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def word(self, index: int) -> str:
        return self.words[index] if index < len(self.words) else ""

    @property
    def first(self) -> str:
        return self.word(0).lower()

    @property
    def rest(self) -> Parsed:
        """Everything after the first word (the subcommand)."""
        return Parsed(self.words[1:], dict(self.options), self.users, self.channels)


def user_id(token: str) -> str | None:
    match = USER_MENTION.match(token)
    return (match[1] or match[2]) if match else None


def channel_id(token: str) -> str | None:
    match = CHANNEL_MENTION.match(token)
    return (match[1] or match[2]) if match else None


def parse(text: str) -> Parsed:
    """Split like a shell (quotes group words), then sort tokens into their kinds."""
    # Slack's escaped mentions can carry spaces in the label: drop the label before splitting.
    text = _MENTION_WITH_SPACES.sub(lambda m: f"<{m[1]}>", text.strip())
    text = text.translate(_SMART_QUOTES)
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        raise ArgError(
            say(
                "A quotation mark is not closed. Put quotes around the whole value, "
                'like org:"Free Press Unlimited".'
            )
        ) from None
    words: list[str] = []
    options: dict[str, str] = {}
    users: list[str] = []
    channels: list[str] = []
    for token in tokens:
        if (found := user_id(token)) is not None:
            users.append(found)
        elif (found := channel_id(token)) is not None:
            channels.append(found)
        elif (match := _OPTION.match(token)) and not token.startswith("http"):
            key = match[1].lower().replace("-", "_")
            if key in options:
                raise ArgError(say("`{key}:` is given twice. Give each option once.", key=key))
            options[key] = match[2].strip()
        else:
            words.append(token)
    return Parsed(tuple(words), options, tuple(users), tuple(channels))


# Each kind of validation error, said about a named option and about the field it is under.
_MESSAGES: dict[str, tuple[Text, Text]] = {
    "missing": (say("`{field}` is missing"), say("Please fill this in")),
    "string_too_short": (say("`{field}` is too short"), say("This is too short")),
    "string_too_long": (say("`{field}` is too long"), say("This is too long")),
    "too_short": (say("`{field}` is too short"), say("This is too short")),
    "too_long": (say("`{field}` is too long"), say("This is too long")),
    "string_pattern_mismatch": (
        say("`{field}` is not in the expected form"),
        say("This is not in the expected form"),
    ),
    "int_parsing": (
        say("`{field}` should be a whole number"),
        say("This should be a whole number"),
    ),
    "greater_than_equal": (say("`{field}` is too small"), say("This is too small")),
    "less_than_equal": (say("`{field}` is too large"), say("This is too large")),
    "date_from_datetime_parsing": (
        say("`{field}` should be a date like 2026-11-02"),
        say("This should be a date like 2026-11-02"),
    ),
    "date_parsing": (
        say("`{field}` should be a date like 2026-11-02"),
        say("This should be a date like 2026-11-02"),
    ),
    "extra_forbidden": (say("`{field}` is not an option here"), say("This is not an option here")),
    "enum": (say("`{field}` is not one of the choices"), say("This is not one of the choices")),
    "literal_error": (
        say("`{field}` is not one of the choices"),
        say("This is not one of the choices"),
    ),
}
_UNKNOWN = (say("`{field}` is not valid"), say("This is not valid"))


def explain_one(item: Mapping[str, Any], lang: Messages, *, named: bool) -> str:
    """One validation error as a short sentence, without echoing the input; ``named`` says
    which option it is about (a command's text), else it sits under its field (a modal)."""
    kind = str(item["type"])
    if kind == "value_error":
        # Our validators raise the English sentence of a catalogue entry (see validators.py).
        return lang.gettext(str(item["msg"]).removeprefix("Value error, "))
    if item.get("input", ...) in (None, "") and kind != "extra_forbidden":
        kind = "missing"  # an empty field, whatever type it wanted: "Please fill this in"
    name = ".".join(str(p) for p in item["loc"]) or "value"
    about, under = _MESSAGES.get(kind, _UNKNOWN)
    text = lang.gettext(about.message, field=name) if named else lang.render(under)
    ctx = item.get("ctx") or {}
    limit = ctx.get("max_length") if "long" in kind else ctx.get("min_length")
    if limit is not None and kind.startswith("string_too"):
        bound = (
            lang.ngettext("at most {n} character", "at most {n} characters", int(limit))
            if "long" in kind
            else lang.ngettext("at least {n} character", "at least {n} characters", int(limit))
        )
        text += f" ({bound})"
    elif limit is not None and kind.startswith("too_"):  # a list: entries, not characters
        bound = (
            lang.ngettext("at most {n} entry", "at most {n} entries", int(limit))
            if "long" in kind
            else lang.ngettext("at least {n} entry", "at least {n} entries", int(limit))
        )
        text += f" ({bound})"
    return text


@dataclass(frozen=True)
class Invalid:
    """A validation error to be explained in the reader's language (see :func:`explain`)."""

    error: ValidationError

    def say_in(self, lang: Messages) -> str:
        return explain(self.error, lang)

    def __str__(self) -> str:
        """In English (logs, the command line): the sentences are the catalogue's msgids."""
        return explain(self.error, Messages(language="en", translations=NullTranslations()))


def explain(error: ValidationError, lang: Messages) -> str:
    """A validation error as one short sentence per field, in the reader's language."""
    parts = [
        explain_one(item, lang, named=True)
        for item in error.errors(include_url=False)  # the input is looked at, never echoed
    ]
    return "; ".join(parts) + "."
