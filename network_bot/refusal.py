"""The one way to say "no" to a person: raise :class:`Refusal`, and the route renders it.

A refusal is an answer, not a failure: it carries the sentence the person reads (a
:class:`~network_bot.i18n.Text` the route says in the asker's language, or words already safe
for mrkdwn) and, for a modal, the field it is about. The request route shows it as an ephemeral
notice, an error under the field, or a CLI line; nothing is written when one is raised inside a
transaction, because the transaction rolls back.
"""

from __future__ import annotations

from network_bot.i18n import Messages, Sayable, Text


class Refusal(Exception):
    """Tell the person ``message``; ``field`` names the modal input it is about, if any."""

    def __init__(self, message: Text | str | Sayable, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)

    def text(self, lang: Messages) -> str:
        """What the person reads, in their language."""
        return lang.render(self.message)


class NotAllowed(Refusal):
    """The actor's role is below what the action needs (checked again by every service)."""
