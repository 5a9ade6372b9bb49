"""The playground's way of filling in a modal: one prompt per field, each answer checked as typed.

Slack's own widgets cannot hold a wrong answer: a menu only offers its options, a date picker
only dates, a text box stops at its maximum length, a required field blocks the submit button.
The console is a text prompt, so it checks each answer the same way before anything is sent: a
value not in a list gets the closest few choices (by name or code, in any case), a date it cannot
read gets the form it accepts, and the question is asked again. Nothing typed raises.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from network_bot.playground_input import Read, closable

Json = dict[str, Any]
Say = Callable[[str], None]

SELECTS = frozenset({"static_select", "radio_buttons", "external_select"})
MULTI_SELECTS = frozenset({"multi_static_select", "multi_external_select"})
CHANNEL_PICKERS = frozenset(
    {
        "conversations_select",
        "channels_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
USER_PICKERS = frozenset({"users_select", "multi_users_select"})
NEW_LINE = "\\n"  # typed as two characters: the console reads one line at a time
CLEAR = "-"


class Unanswerable(Exception):
    """The console cannot fill in this kind of field; the message says which."""


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Choice:
    """One option of a menu or a tick-box, with every spelling a person may type for it."""

    text: str
    value: str

    @property
    def spellings(self) -> set[str]:
        names = {self.value, self.text}
        inner = re.fullmatch(r"(.*?)\s*\(([^()]+)\)\s*", self.text)
        if inner:  # "Kenya (KE)": "Kenya" and "KE" as well
            names |= {inner[1], inner[2]}
        return {_key(n) for n in names if _key(n)}


def choices_of(element: Json) -> list[Choice]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return [Choice(text=str(o["text"]["text"]), value=str(o["value"])) for o in found]


def match(typed: str, choices: Sequence[Choice]) -> Choice | list[Choice]:
    """The choice meant, or the closest few when it is not clear (possibly none)."""
    wanted = _key(typed)
    if not wanted:
        return []
    exact = [c for c in choices if wanted in c.spellings]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return exact[:5]
    starts = [c for c in choices if any(s.startswith(wanted) for s in c.spellings)]
    if len(starts) == 1 and len(wanted) >= 3:
        return starts[0]
    if starts:
        return starts[:5]
    by_name = {_key(c.text): c for c in choices}
    close = difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.5)
    inside = [c for c in choices if wanted in _key(c.text) and _key(c.text) not in close]
    return [by_name[k] for k in close] + inside[: 5 - len(close)]


def _listed(choices: Sequence[Choice]) -> str:
    return ", ".join(
        f"{c.text} ({c.value})" if _key(c.value) not in _key(c.text) else c.text for c in choices
    )


def _not_a_choice(typed: str, found: list[Choice], all_choices: Sequence[Choice]) -> str:
    if found:
        return f"“{typed}” is not one of the choices. Did you mean: {_listed(found)}?"
    sample = _listed(all_choices[:8]) + (" …" if len(all_choices) > 8 else "")
    return f"“{typed}” is not one of the choices. Choices include: {sample}."


@dataclass(frozen=True)
class Channel:
    channel_id: str
    name: str
    note: str = ""


class FieldPrompts:
    """Asks for one field of a modal until the answer is one Slack's widget could have given."""

    def __init__(
        self,
        *,
        read: Read,
        say: Say,
        user_id_of: Callable[[str], str | None],
        channels: Callable[[], Sequence[Channel]],
        today: Callable[[], dt.date],
    ) -> None:
        self._read = closable(read)
        self._say = say
        self._user_id_of = user_id_of
        self._channels = channels
        self._today = today

    async def ask(self, block: Json, *, kept: Any = None, problem: str | None = None) -> Any:
        """The answer to one input block, in the driver's form; ``kept`` is the earlier answer."""
        element = block.get("element") or {}
        kind = str(element.get("type", "plain_text_input"))
        label = str(block["label"]["text"]) + (" (optional)" if block.get("optional") else "")
        hint = (block.get("hint") or {}).get("text")
        if problem:
            self._say(f"  ! {label}: {problem}")
        elif hint:
            self._say(f"  ({hint})")
        if kind == "checkboxes":
            return await self._ticks(label, element, kept)
        if kind in SELECTS or kind in MULTI_SELECTS:
            return await self._menu(label, element, kept, required=not block.get("optional"))
        if kind in CHANNEL_PICKERS:
            return await self._channel_pick(label, kind, kept, required=not block.get("optional"))
        if kind in USER_PICKERS:
            return await self._user_pick(label, kind, kept, required=not block.get("optional"))
        if kind == "datepicker":
            return await self._date(label, element, kept, required=not block.get("optional"))
        if kind in {"plain_text_input", "url_text_input", "email_text_input", "number_input"}:
            return await self._text(label, element, kept, required=not block.get("optional"))
        raise Unanswerable(f"the playground cannot fill in a {kind} field ({label})")

    def describe(self, block: Json, answer: Any) -> str:
        """An answer as the person reads it: options by their text, channels by #name."""
        element = block.get("element") or {}
        kind = str(element.get("type", ""))
        if kind in CHANNEL_PICKERS:
            names = {c.channel_id: "#" + c.name for c in self._channels()}
            picked = answer if isinstance(answer, list) else [answer] if answer else []
            return ", ".join(names.get(str(v), str(v)) for v in picked) or "—"
        if kind in SELECTS or kind in MULTI_SELECTS or kind == "checkboxes":
            shown = _texts(answer, choices_of(element))
            return str(shown) if _shown(shown) else "—"
        return _short(answer, 70) if _shown(answer) else "—"

    # ------------------------------------------------------------------ the kinds of field

    async def _prompt(self, label: str, extra: str, kept: Any, *, required: bool) -> str:
        keeps = ""
        if _shown(kept):
            keeps = f"; Enter keeps “{_short(kept)}”" + ("" if required else f", {CLEAR} clears")
        return (await self._read(f"{label}{extra}{keeps}: ")).strip()

    async def _text(self, label: str, element: Json, kept: Any, *, required: bool) -> Any:
        kept = kept if kept is not None else element.get("initial_value")
        limit = element.get("max_length")
        multiline = bool(element.get("multiline"))
        extra = f" (type {NEW_LINE} for a new line)" if multiline else ""
        while True:
            typed = await self._prompt(label, extra, kept, required=required)
            if not typed and _shown(kept):
                return kept
            if typed == CLEAR:  # an empty answer, whether or not one was kept
                typed = ""
            text = typed.replace(NEW_LINE, "\n") if multiline else typed
            if not text:
                if required:
                    self._say(f"  ! {label}: this one is needed.")
                    continue
                return None
            if limit and len(text) > int(limit):
                self._say(
                    f"  ! {label}: at most {int(limit):,} characters; that was {len(text):,}. "
                    "Slack's box stops there: please shorten it."
                )
                continue
            return text

    async def _menu(self, label: str, element: Json, kept: Any, *, required: bool) -> Any:
        choices = choices_of(element)
        many = str(element.get("type")) in MULTI_SELECTS
        initial = element.get("initial_option") or {}
        kept = kept if kept is not None else (initial.get("value") if initial else None)
        if len(choices) <= 12:
            extra = " [" + ", ".join(c.text for c in choices) + "]"
        else:
            extra = " (a name or a code; ? lists them all)"
        if many:
            extra += ", several separated by commas"
        while True:
            typed = await self._prompt(label, extra, _texts(kept, choices), required=required)
            if typed == "?":
                self._say("  " + _listed(choices))
                continue
            if not typed and _shown(kept):
                return kept
            if not typed or typed == CLEAR:
                if required:
                    self._say(f"  ! {label}: choose one.")
                    continue
                return [] if many else None
            picked, problem = _pick_all(typed, choices, many=many)
            if problem:
                self._say(f"  ! {label}: {problem}")
                continue
            return picked

    async def _ticks(self, label: str, element: Json, kept: Any) -> list[str]:
        choices = choices_of(element)
        initial = [str(o["value"]) for o in element.get("initial_options") or []]
        ticked = list(kept) if kept is not None else initial
        if len(choices) == 1:
            only = choices[0]
            now = "ticked" if only.value in ticked else "not ticked"
            while True:
                typed = await self._read(f"{label}: tick “{only.text}”? [y/n, Enter: {now}]: ")
                typed = typed.strip().casefold()
                if not typed:
                    return ticked
                if typed in {"y", "yes"}:
                    return [only.value]
                if typed in {"n", "no", CLEAR}:
                    return []
                self._say("  ! Answer y (tick it) or n (leave it empty).")
        self._say(f"{label}: tick any of")
        for number, choice in enumerate(choices, 1):
            mark = "x" if choice.value in ticked else " "
            self._say(f"  [{mark}] {number}. {choice.text}")
        while True:
            typed = (
                await self._read(
                    "Numbers or names, separated by commas (Enter keeps the ticks shown, "
                    f"{CLEAR} clears them all): "
                )
            ).strip()
            if not typed:
                return ticked
            if typed == CLEAR:
                return []
            picked: list[str] = []
            problems = []
            for part in (p.strip() for p in typed.split(",") if p.strip()):
                if part.isdigit() and 1 <= int(part) <= len(choices):
                    picked.append(choices[int(part) - 1].value)
                    continue
                found = match(part, choices)
                if isinstance(found, Choice):
                    picked.append(found.value)
                else:
                    problems.append(_not_a_choice(part, found, choices))
            if problems:
                self._say("  ! " + " ".join(problems) + f" Or a number from 1 to {len(choices)}.")
                continue
            return list(dict.fromkeys(picked))

    async def _date(self, label: str, element: Json, kept: Any, *, required: bool) -> Any:
        kept = kept if kept is not None else element.get("initial_date")
        example = self._today().isoformat()
        while True:
            typed = await self._prompt(
                label, " (YYYY-MM-DD, or today / yesterday)", kept, required=required
            )
            if not typed and _shown(kept):
                return kept
            if not typed or typed == CLEAR:
                if required:
                    self._say(f"  ! {label}: a date is needed, e.g. {example}.")
                    continue
                return None
            found = _read_date(typed, self._today())
            if found is None:
                self._say(
                    f"  ! {label}: I can't read “{_short(typed)}” as a date. Type it as "
                    f"YYYY-MM-DD, e.g. {example}, or today or yesterday."
                )
                continue
            return found.isoformat()

    async def _channel_pick(self, label: str, kind: str, kept: Any, *, required: bool) -> Any:
        many = kind.startswith("multi")
        known = list(self._channels())
        listing = ", ".join(f"#{c.name}{c.note}" for c in known)
        self._say(f"  Channels: {listing}")
        while True:
            names = {c.channel_id: "#" + c.name for c in known}
            shown = [names.get(k, k) for k in kept] if isinstance(kept, list) else kept
            extra = " (#name" + (", several separated by commas)" if many else ")")
            typed = await self._prompt(label, extra, shown, required=required)
            if not typed and _shown(kept):
                return kept
            if not typed or typed == CLEAR:
                if required:
                    self._say(f"  ! {label}: choose a channel.")
                    continue
                return [] if many else None
            found: list[str] = []
            unknown: list[str] = []
            for part in (p.strip() for p in typed.split(",") if p.strip()):
                name = part.lstrip("#").casefold()
                hit = next(
                    (c for c in known if name in (c.name.casefold(), c.channel_id.casefold())), None
                )
                if hit is None:
                    unknown.append(part)
                else:
                    found.append(hit.channel_id)
            if unknown or (not many and len(found) > 1):
                problem = f"no channel {', '.join(unknown)}." if unknown else "choose one channel."
                self._say(f"  ! {label}: {problem} Channels: {listing}")
                continue
            return found if many else found[0]

    async def _user_pick(self, label: str, kind: str, kept: Any, *, required: bool) -> Any:
        many = kind.startswith("multi")
        while True:
            extra = " (@name" + (", several separated by commas)" if many else ")")
            typed = await self._prompt(label, extra, kept, required=required)
            if not typed and _shown(kept):
                return kept
            if not typed or typed == CLEAR:
                if required:
                    self._say(f"  ! {label}: name someone, like @alice.")
                    continue
                return [] if many else None
            parts = [p.strip() for p in typed.split(",") if p.strip()]
            found = [self._user_id_of(p) for p in parts]
            unknown = [p for p, f in zip(parts, found, strict=True) if f is None]
            if unknown:
                self._say(
                    f"  ! {label}: nobody called {', '.join(unknown)} "
                    "(`who` lists everyone once the form is done)."
                )
                continue
            ids = [f for f in found if f is not None]
            return ids if many else ids[0]


def _pick_all(typed: str, choices: Sequence[Choice], *, many: bool) -> tuple[Any, str | None]:
    parts = [p.strip() for p in typed.split(",")] if many else [typed]
    picked, problems = [], []
    for part in (p for p in parts if p):
        found = match(part, choices)
        if isinstance(found, Choice):
            picked.append(found.value)
        else:
            problems.append(_not_a_choice(part, found, choices))
    if problems:
        return None, " ".join(problems)
    return (list(dict.fromkeys(picked)) if many else picked[0]), None


def _read_date(typed: str, today: dt.date) -> dt.date | None:
    word = typed.casefold()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        return None


def _texts(kept: Any, choices: Sequence[Choice]) -> Any:
    """How an earlier menu answer reads: its options' text rather than their codes."""
    names = {c.value: c.text for c in choices}
    if isinstance(kept, list):
        return ", ".join(names.get(str(v), str(v)) for v in kept) or None
    return names.get(kept, kept) if kept is not None else None


def _shown(kept: Any) -> bool:
    return kept not in (None, "", [])


def _short(value: Any, limit: int = 60) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = text.replace("\n", " / ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
