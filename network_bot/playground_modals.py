"""The playground's modals: shown, filled in field by field, submitted, until they close.

When the bot refuses some answers, only those fields are asked again and every other answer is
kept; back on a form filled in before (``Back`` from a preview), every answer is kept and the
person says which to change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from network_bot.playground_forms import FieldPrompts, Unanswerable
from network_bot.playground_input import FormClosed, closable
from network_bot.playground_people import Directory
from network_bot.playground_screen import Screen
from network_bot.testing.harness import Harness


class Modals:
    def __init__(
        self,
        *,
        harness: Harness,
        read: Callable[[str], Awaitable[str]],
        say: Callable[[str], None],
        screen: Screen,
        fields: FieldPrompts,
        names: Directory,
        after_submit: Callable[[], None],
    ) -> None:
        self._harness = harness
        self._read = closable(read)
        self._say = say
        self._screen = screen
        self._fields = fields
        self._names = names
        self._after_submit = after_submit
        self._answers: dict[tuple[str, str], dict[str, Any]] = {}

    async def fill(self, user_id: str) -> None:
        """Prompt for each field of the modal the bot opened and submit it, until it closes.

        After the bot refuses some answers, only those fields are asked again; back on a form
        filled in before (``Back`` from a preview), every answer is kept and may be changed.
        """
        errors: dict[str, str] = {}
        for _ in range(25):
            views = self._names.team(user_id).views_for(user_id)
            if not views:
                return
            view = views[-1]
            blocks = view.get("blocks", [])
            inputs = [b for b in blocks if b.get("type") == "input"]
            title = view["title"]["text"]
            self._screen.surface(
                f"modal for @{self._names.name_of(user_id)}: {title}",
                view,
                owner=user_id,
                blocks=[b for b in blocks if b.get("type") != "input"],
            )
            if not view.get("submit"):  # a notice: shown, then closed
                await self._names.driver(user_id).view_closed(user_id, view)
                return
            key = (str(view["id"]), str(view.get("callback_id")))
            filled = key in self._answers
            answers = self._answers.setdefault(key, {})
            try:
                if errors:
                    await self._ask(inputs, answers, only=errors)
                elif filled:
                    await self._change(inputs, answers)
                else:
                    await self._ask(inputs, answers)
            except Unanswerable as error:
                self._say(f"({error}; the modal is left open)")
                return
            except FormClosed:
                closed = True
            else:
                try:
                    closed = not await self._confirm(view)
                except FormClosed:
                    closed = True
            if closed:
                await self._names.driver(user_id).view_closed(user_id, view)
                self._say(f"({(view.get('close') or {}).get('text', 'Cancel')}: the modal closed)")
                errors = {}
                continue
            response = await self._names.driver(user_id).submit_view(user_id, view, answers)
            errors = dict((response.json or {}).get("errors") or {})
            if response.slack_error and not errors:
                self._say(f"(Slack would show an error: {response.slack_error})")
                return
            await self._harness.settle()
            self._after_submit()

    async def _confirm(self, view: dict[str, Any]) -> bool:
        """The modal's submit button (True) or its close button (False)."""
        submit, close = view["submit"]["text"], (view.get("close") or {}).get("text", "Cancel")
        while True:
            typed = (await self._read(f"{submit}? [Y/n] (n: {close}) ")).strip().lower()
            if typed in {"", "y", "yes"}:
                return True
            if typed in {"n", "no"}:
                return False
            self._say(f"  ! Answer y ({submit}) or n ({close}).")

    async def _ask(
        self,
        inputs: list[dict[str, Any]],
        answers: dict[str, Any],
        *,
        only: dict[str, str] | None = None,
    ) -> None:
        for block in inputs:
            block_id = str(block["block_id"])
            if only is not None and block_id not in only:
                continue
            problem = (only or {}).get(block_id)
            answers[block_id] = await self._fields.ask(
                block, kept=answers.get(block_id), problem=problem
            )

    async def _change(self, inputs: list[dict[str, Any]], answers: dict[str, Any]) -> None:
        for number, block in enumerate(inputs, 1):
            shown = self._fields.describe(block, answers.get(str(block["block_id"])))
            self._say(f"  {number}. {block['label']['text']}: {shown}")
        while True:
            typed = (
                await self._read("Change which? (numbers, commas between; Enter: none) ")
            ).strip()
            if not typed:
                return
            picked = [p.strip() for p in typed.split(",") if p.strip()]
            if all(p.isdigit() and 1 <= int(p) <= len(inputs) for p in picked):
                break
            self._say(f"  ! Numbers from 1 to {len(inputs)}, e.g. 1,3.")
        for p in dict.fromkeys(picked):
            block = inputs[int(p) - 1]
            block_id = str(block["block_id"])
            answers[block_id] = await self._fields.ask(block, kept=answers.get(block_id))
