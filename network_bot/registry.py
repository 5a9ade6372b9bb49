"""How a command module declares its slash command, actions, views, events and help text.

A module in the command package defines ``register(registry)`` and calls the methods below. The
app factory wires each entry into bolt, the authorization middleware reads the roles declared here,
``/network help`` is generated from the help text, and a test checks the manifest against it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any

from network_bot.roles import Role

if TYPE_CHECKING:
    from network_bot.calls import ActionCall, CommandCall, EventCall, OptionsCall, ViewCall

Reply = dict[str, Any]
CommandHandler = Callable[["CommandCall"], Awaitable[Reply | None]]
ActionHandler = Callable[["ActionCall"], Awaitable[None]]
ViewHandler = Callable[["ViewCall"], Awaitable[Reply | None]]
EventHandler = Callable[["EventCall"], Awaitable[None]]
OptionsHandler = Callable[["OptionsCall"], Awaitable[Reply]]


@dataclass(frozen=True, kw_only=True)
class Example:
    """One line of ``/network help``: what to type and what it does."""

    text: str
    does: str


@dataclass(frozen=True, kw_only=True)
class SlashCommand:
    name: str
    summary: str
    handler: CommandHandler
    usage_hint: str = ""
    examples: tuple[Example, ...] = ()
    role: Role = Role.MEMBER
    subcommand_roles: Mapping[str, Role] = field(default_factory=dict)
    role_for: Callable[[str], Role] | None = None
    should_escape: bool = True

    def required_role(self, text: str) -> Role:
        """The role needed for this text: custom rule, else the first word's, else the default."""
        if self.role_for is not None:
            return self.role_for(text)
        first = text.strip().split(maxsplit=1)[0].lower() if text.strip() else ""
        return self.subcommand_roles.get(first, self.role)


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
    on_close: ViewHandler | None = None


@dataclass(frozen=True, kw_only=True)
class Event:
    event_type: str
    handler: EventHandler


@dataclass(frozen=True, kw_only=True)
class Options:
    """An ``external_select`` menu's options (``block_suggestion``)."""

    action_id: str
    handler: OptionsHandler
    role: Role = Role.MEMBER


class Registry:
    """Everything the command modules declared, looked up by what Slack sends."""

    def __init__(self) -> None:
        self._commands: dict[str, SlashCommand] = {}
        self._actions: dict[str, Action] = {}
        self._views: dict[str, View] = {}
        self._events: dict[str, list[Event]] = {}
        self._options: dict[str, Options] = {}

    def command(self, spec: SlashCommand) -> None:
        _add(self._commands, spec.name, spec, "slash command")

    def action(self, spec: Action) -> None:
        _add(self._actions, spec.action_id, spec, "action")

    def view(self, spec: View) -> None:
        _add(self._views, spec.callback_id, spec, "view")

    def options(self, spec: Options) -> None:
        _add(self._options, spec.action_id, spec, "options menu")

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

    @property
    def option_menus(self) -> Mapping[str, Options]:
        return MappingProxyType(self._options)

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
