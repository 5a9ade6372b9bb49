"""What the playground shows: messages, modals and Home tabs as text, with numbered buttons.

Every message shown gets a number that never changes, and each of its buttons a number within
it, so ``press 4.2`` means the second button of message 4 whoever pressed what in between.
``press 2`` is the second button of the newest message the presser can see. A button in a DM, an
ephemeral reply, a modal or a Home tab belongs to that one person.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from network_bot.slack_ids import CHANNEL_MARKUP, USER_MARKUP

Json = dict[str, Any]
Say = Callable[[str], None]


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str | None
    owner: str | None  # the one person who sees it, or None for a channel post
    channel_id: str | None = None
    message: Json | None = None
    view: Json | None = None
    confirm: Json | None = None  # Slack's "are you sure?" dialog, shown before the press goes
    url: str | None = None


@dataclass
class _Shown:
    number: int
    owner: str | None
    slots: dict[tuple[str, str | None], int] = field(default_factory=dict)
    buttons: dict[int, Button] = field(default_factory=dict)


class Screen:
    def __init__(
        self,
        *,
        say: Say,
        name_of: Callable[[str], str],
        where: Callable[[str], str],
        people: Callable[[], list[str]],
    ) -> None:
        self._say = say
        self._name_of = name_of
        self._where = where
        self._people = people
        self._shown: dict[tuple[str, ...], _Shown] = {}
        self._by_number: dict[int, _Shown] = {}
        self._seen_by: dict[str, list[int]] = {}  # the messages each person saw, in order

    # ------------------------------------------------------------------ showing

    def message(
        self,
        heading: str,
        message: Json,
        *,
        key: tuple[str, ...],
        owner: str | None,
        channel_id: str | None = None,
    ) -> None:
        shown = self._slot(key, owner)
        self._say(f"--- {heading} · message {shown.number} ---")
        blocks = message.get("blocks") or []
        shown.buttons = {}
        if blocks:
            self.blocks(blocks, shown=shown, channel_id=channel_id, message=message)
        else:
            self._say(self.plain(str(message.get("text", ""))))
        for file in message.get("files") or []:
            self._say(f"  [file {file.get('name')}, {file.get('size', 0):,} bytes]")
        self._note_latest(shown)

    def surface(self, heading: str, view: Json, *, owner: str, blocks: list[Json]) -> None:
        """A modal or a Home tab: its non-input blocks, buttons numbered like a message's."""
        shown = self._slot(("view", str(view.get("id"))), owner)
        self._say(f"--- {heading} · message {shown.number} ---")
        shown.buttons = {}
        self.blocks(blocks, shown=shown, view=view)
        self._note_latest(shown)

    def blocks(
        self,
        blocks: list[Json],
        *,
        shown: _Shown,
        channel_id: str | None = None,
        message: Json | None = None,
        view: Json | None = None,
    ) -> None:
        def add(element: Json) -> None:
            self._button(shown, element, channel_id=channel_id, message=message, view=view)

        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                self._say(f"== {block['text']['text']} ==")
            elif kind == "section":
                if "text" in block:
                    self._say(self.plain(block["text"]["text"]))
                for item in block.get("fields", []):
                    self._say("  " + self.plain(item["text"]).replace("\n", ": ", 1))
                accessory = block.get("accessory")
                if accessory and accessory.get("type") == "button":
                    add(accessory)
            elif kind == "context":
                texts = (self.plain(e.get("text", "")) for e in block.get("elements", []))
                self._say("  " + " ".join(texts))
            elif kind == "divider":
                self._say("  ----")
            elif kind == "actions":
                for element in block.get("elements", []):
                    if element.get("type") == "button":
                        add(element)

    def _slot(self, key: tuple[str, ...], owner: str | None) -> _Shown:
        shown = self._shown.get(key)
        if shown is None:
            shown = _Shown(number=len(self._by_number) + 1, owner=owner)
            self._shown[key] = shown
            self._by_number[shown.number] = shown
        return shown

    def _button(
        self,
        shown: _Shown,
        element: Json,
        *,
        channel_id: str | None,
        message: Json | None,
        view: Json | None,
    ) -> None:
        value = element.get("value")
        slot = (str(element.get("action_id")), value)
        if slot not in shown.slots:
            shown.slots[slot] = len(shown.slots) + 1
        index = shown.slots[slot]
        label = str(element["text"]["text"])
        shown.buttons[index] = Button(
            label=label,
            action_id=str(element["action_id"]),
            value=value,
            owner=shown.owner,
            channel_id=channel_id,
            message=message,
            view=view,
            url=element.get("url"),
            confirm=element.get("confirm"),
        )
        link = f" → {element['url']}" if element.get("url") else ""
        self._say(f"  [{shown.number}.{index}] {label}{link}")

    def _note_latest(self, shown: _Shown) -> None:
        for person in [shown.owner] if shown.owner else self._people():
            seen = self._seen_by.setdefault(person, [])
            if shown.number in seen:
                seen.remove(shown.number)
            seen.append(shown.number)

    def _latest(self, person: str) -> int | None:
        """The newest message the person saw that has buttons now."""
        for number in reversed(self._seen_by.get(person, [])):
            if self._by_number[number].buttons:
                return number
        return None

    # ------------------------------------------------------------------ pressing

    def find(self, ref: str, *, actor: str) -> Button | str:
        """The button ``ref`` names for ``actor``, or what to say instead."""
        ref = ref.strip()
        how = "Press a button by its number, like `press 4.2` (or `press 2` for the newest)."
        found = re.fullmatch(r"(?:(\d+)\.)?(\d+)", ref)
        if found is None:
            return how
        if found[1] is None:
            latest = self._latest(actor)
            if latest is None:
                return f"@{self._name_of(actor)} has no buttons to press yet. {how}"
            number = latest
        else:
            number = int(found[1])
        shown = self._by_number.get(number)
        if shown is None:
            return f"There is no message {number}. {how}"
        button = shown.buttons.get(int(found[2]))
        if button is None:
            have = ", ".join(f"{number}.{i} {b.label}" for i, b in sorted(shown.buttons.items()))
            return f"Message {number} has no button {found[2]} now" + (
                f" (it has {have})." if have else " (its buttons are gone)."
            )
        if button.owner is not None and button.owner != actor:
            owner = self._name_of(button.owner)
            return (
                f"Only @{owner} sees message {number}. Press it as them: "
                f"`as @{owner} press {number}.{found[2]}`."
            )
        return button

    # ------------------------------------------------------------------ text

    def plain(self, text: str) -> str:
        """mrkdwn as a terminal shows it: mentions by name, links once, entities decoded."""
        text = USER_MARKUP.sub(lambda m: "@" + self._name_of(m[1]), text)
        text = CHANNEL_MARKUP.sub(lambda m: self._where(m[1]), text)
        text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", _link, text)
        text = re.sub(r"<(https?://[^|>]+)>", r"\1", text)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(found: re.Match[str]) -> str:
    """A link whose label is its own address (or the start of it) is shown once."""
    url, label = found[1], found[2]
    if url.startswith(label.rstrip("…")):
        return url
    return f"{label} ({url})"
