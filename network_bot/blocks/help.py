"""``/network help``, generated from what the command modules registered, in the reader's
language (command names stay as Slack shows them)."""

from __future__ import annotations

from typing import Any

from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.registry import Registry
from network_bot.roles import Role


def _for_role(role: Role, lang: Messages) -> str:
    if role is Role.ADMIN:
        return lang.gettext("For admins.")
    return lang.gettext("For coordinators.")


def _limited_to(verb: str, role: Role, lang: Messages) -> str:
    if role is Role.ADMIN:
        return lang.gettext("`{verb}` for admins", verb=verb)
    return lang.gettext("`{verb}` for coordinators", verb=verb)


class HelpPages:
    """``/network help`` per role and language, rendered the first time it is asked for: what
    it shows changes only when the code does, and it is the command newcomers type most."""

    def __init__(self, *, registry: Registry) -> None:
        self._registry = registry
        self._pages: dict[tuple[Role, str], dict[str, Any]] = {}

    def page(self, *, role: Role, lang: Messages) -> dict[str, Any]:
        key = (role, lang.language)
        page = self._pages.get(key)
        if page is None:
            page = self._pages[key] = help_message(self._registry, role=role, lang=lang)
        return dict(page)  # bolt sets keys on the body it is given: never on the kept page


def help_message(registry: Registry, *, role: Role, lang: Messages) -> dict[str, Any]:
    blocks = [
        kit.header(lang.gettext("network-bot: the network's shared desk")),
        kit.context(
            lang.gettext(
                "Report cases, follow them, answer calls to action. Anything you type into a "
                "command is only ever shown as text."
            )
        ),
    ]
    for name in sorted(registry.commands):
        command = registry.commands[name]
        lines = [f"*{kit.escape(command.name)}*  {kit.escape(lang.render(command.summary))}"]
        for example in command.examples:
            lines.append(
                f"• {lang.isolate('`' + kit.escape(example.text) + '`')}  "
                f"{kit.escape(lang.render(example.does))}"
            )
        if command.role is not Role.MEMBER:
            lines.append(f"_{_for_role(command.role, lang)}_")
        elif not role.allows(Role.COORDINATOR) and command.limited:
            notes = ", ".join(_limited_to(k, v, lang) for k, v in command.limited)
            lines.append(f"_{notes}._")
        blocks.append(kit.section("\n".join(lines)))
    text = lang.gettext(
        "network-bot commands: {commands}", commands=", ".join(sorted(registry.commands))
    )
    return kit.message(blocks, text=text)
