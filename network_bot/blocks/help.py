"""``/network help``, generated from what the command modules registered."""

from __future__ import annotations

from typing import Any

from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.registry import Registry
from network_bot.roles import Role


def help_message(registry: Registry, *, role: Role, lang: Messages) -> dict[str, Any]:
    blocks = [
        kit.header("network-bot: the network's shared desk"),
        kit.context(
            "Report cases, follow them, answer calls to action. "
            "Anything you type into a command is only ever shown as text."
        ),
    ]
    for name in sorted(registry.commands):
        command = registry.commands[name]
        lines = [f"*{kit.escape(command.name)}*  {kit.escape(lang.render(command.summary))}"]
        for example in command.examples:
            lines.append(f"• `{kit.escape(example.text)}`  {kit.escape(lang.render(example.does))}")
        if command.role is not Role.MEMBER:
            lines.append(f"_For {command.role.value}s._")
        elif not role.allows(Role.COORDINATOR) and command.limited():
            limited = sorted(command.limited().items())
            if limited:
                notes = ", ".join(f"`{k}` for {v.value}s" for k, v in limited)
                lines.append(f"_{notes}._")
        blocks.append(kit.section("\n".join(lines)))
    return kit.message(blocks, text="network-bot commands: " + ", ".join(sorted(registry.commands)))
