"""How a command module declares its slash command, actions, views, events and help text.

A module in the command package defines ``register(registry)`` and calls the methods below. The
app factory wires each entry into bolt, the authorization middleware reads the roles declared here,
``/network help`` is generated from the help text, and a test checks the manifest against it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

from network_bot.i18n import Text, say
from network_bot.roles import Role

if TYPE_CHECKING:
    from network_bot.calls import ActionCall, CommandCall, EventCall, ViewCall

Reply = dict[str, Any]
CommandHandler = Callable[["CommandCall"], Awaitable[Reply | None]]
ActionHandler = Callable[["ActionCall"], Awaitable[None]]
ViewHandler = Callable[["ViewCall"], Awaitable[Reply | None]]
EventHandler = Callable[["EventCall"], Awaitable[None]]


UNKNOWN_VERB = say("I don't know `{verb}` here. Type `/network help` to see every command.")


@dataclass(frozen=True, kw_only=True)
class Example:
    """One line of ``/network help``: what to type and what it does (said in the reader's
    language)."""

    text: str
    does: Text


@dataclass(frozen=True, kw_only=True)
class Request:
    """A slash command's text, read once: the subcommand to run and its typed arguments.

    The route decides the role from ``verb`` and hands ``args`` to that subcommand's handler;
    nothing reads the raw text again, so what is authorized is what runs.
    """

    verb: str = ""
    args: Any = None


def whole_text(text: str) -> Request:
    """The reader for a command without subcommands: its whole text is the argument."""
    return Request(verb="", args=text.strip())


@dataclass(frozen=True, kw_only=True)
class Subcommand:
    """One thing a slash command does, and the least role that may do it."""

    handler: CommandHandler
    role: Role = Role.MEMBER


@dataclass(frozen=True, kw_only=True)
class SlashCommand:
    """A slash command: how its text is read, and what each subcommand runs for whom.

    ``read`` raises :class:`~network_bot.refusal.Refusal` for text it cannot read; a verb with
    no entry in ``subcommands`` is answered with ``unknown`` (``{verb}`` shows the word) and runs
    nothing. ``summary`` is said in the reader's language in ``/network help``; the manifest
    keeps its English (Slack shows one description to everyone).
    """

    name: str
    summary: Text
    subcommands: Mapping[str, Subcommand]
    read: Callable[[str], Request] = whole_text
    unknown: Text = UNKNOWN_VERB
    usage_hint: str = ""
    examples: tuple[Example, ...] = ()
    should_escape: bool = True

    @cached_property
    def role(self) -> Role:
        """The least role that may use the command at all (worked out once: the subcommands
        never change after registration, and ``/network help`` asks on every request)."""
        return min((s.role for s in self.subcommands.values()), key=lambda r: r.rank)

    def unknown_verb(self, verb: str) -> Text:
        """The answer to a word that names no subcommand (``verb`` already escaped)."""
        return Text(
            message=self.unknown.message,
            values=(*((k, v) for k, v in self.unknown.values if k != "verb"), ("verb", verb)),
        )

    @cached_property
    def limited(self) -> tuple[tuple[str, Role], ...]:
        """Subcommands above the command's own role, by name (for help text)."""
        own = self.role
        return tuple(
            sorted(
                (verb, sub.role)
                for verb, sub in self.subcommands.items()
                if verb and sub.role is not own
            )
        )


@dataclass(frozen=True, kw_only=True)
class Action:
    action_id: str
    handler: ActionHandler
    role: Role = Role.MEMBER


@dataclass(frozen=True, kw_only=True)
class View:
    callback_id: str
    handler: ViewHandler
    role: Role = Role.MEMBER


@dataclass(frozen=True, kw_only=True)
class Event:
    event_type: str
    handler: EventHandler


class Registry:
    """Everything the command modules declared, looked up by what Slack sends."""

    def __init__(self) -> None:
        self._commands: dict[str, SlashCommand] = {}
        self._actions: dict[str, Action] = {}
        self._views: dict[str, View] = {}
        self._events: dict[str, list[Event]] = {}

    def command(self, spec: SlashCommand) -> None:
        _add(self._commands, spec.name, spec, "slash command")

    def action(self, spec: Action) -> None:
        _add(self._actions, spec.action_id, spec, "action")

    def view(self, spec: View) -> None:
        _add(self._views, spec.callback_id, spec, "view")

    def event(self, spec: Event) -> None:
        self._events.setdefault(spec.event_type, []).append(spec)

    @property
    def commands(self) -> Mapping[str, SlashCommand]:
        return MappingProxyType(self._commands)

    @property
    def actions(self) -> Mapping[str, Action]:
        return MappingProxyType(self._actions)

    @property
    def views(self) -> Mapping[str, View]:
        return MappingProxyType(self._views)

    def events(self, event_type: str) -> list[Event]:
        return list(self._events.get(event_type, ()))

    def event_types(self) -> Iterator[str]:
        return iter(sorted(self._events))


def _add(table: dict[str, Any], key: str, spec: Any, kind: str) -> None:
    if key in table:
        raise ValueError(f"{kind} {key!r} is registered twice")
    table[key] = spec


def load_commands(registry: Registry, package: str) -> list[str]:
    """Import every module of ``package`` and let each one ``register`` itself.

    The package is named in settings, so the core never imports a command module by name.
    """
    root: ModuleType = importlib.import_module(package)
    loaded = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        register = getattr(module, "register", None)
        if register is None:
            continue
        register(registry)
        loaded.append(info.name)
    return loaded
