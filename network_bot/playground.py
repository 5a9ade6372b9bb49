"""``network-bot playground``: the real bot against the Slack stand-in, driven from a terminal.

Type ``as @alice /report ...`` to act as someone; modals are filled in by prompt; buttons get
numbers you ``press``; after each step you see what each person would see: ephemeral replies,
DMs, channel posts and modals. Everything goes through the bot's real HTTP endpoint, signed.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from network_bot.settings import Settings
from network_bot.slack_ids import CHANNEL_MARKUP, USER_MARKUP
from network_bot.testing.driver import DriverResponse, SlackDriver
from network_bot.testing.network import NetworkHarness
from network_bot.testing.stand_in import Team
from network_bot.testing.workspace import PARTNER, PEOPLE, Person

INTRO = """\
network-bot playground: a pretend Slack workspace (and a partner's) with the real bot behind.
People: {people}
Channels: {channels}
A second workspace, {partner} ({partner_people}), installed the bot and waits for approval:
       as @dana /network workspaces   then press its Approve button, and try as @pedro /network me
Try:   as @alice /network help
       as @alice /network join org:"Kenya Press Freedom Desk" country:KE
       as @dana /network role @alice coordinator
       press 1          (a numbered button from the last thing shown)
       dms @chidi | home @alice | channel #case-review | who | help | quit
"""

HELP = """\
  as @user /command text   run a slash command as that person (mentions like @bob work)
  press N                  press button N from the last output (as the last person)
  dms @user                show that person's DMs from the bot
  channel #name            show the bot's posts in a channel
  home @user               open that person's App Home tab
  who                      people and their roles
  quit                     leave (the playground database is kept if you gave --db)
"""


@dataclass
class Button:
    label: str
    action_id: str
    value: str | None
    channel_id: str | None = None
    message: dict[str, Any] | None = None
    view: dict[str, Any] | None = None


@dataclass
class Console:
    harness: NetworkHarness
    read: Callable[[str], Awaitable[str]]
    out: TextIO
    actor: str = "alice"
    buttons: list[Button] = field(default_factory=list)
    seen_messages: set[tuple[str, str]] = field(default_factory=set)
    seen_ephemerals: dict[str, int] = field(default_factory=dict)
    seen_violations: int = 0

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # ------------------------------------------------------------------ commands

    async def run(self, line: str) -> bool:
        """Run one console line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#!"):
            return True
        word, _, rest = line.partition(" ")
        match word.lower():
            case "quit" | "exit":
                return False
            case "help" | "?":
                self.say(HELP)
            case "who":
                for p in self.people():
                    self.say(f"  @{p.handle:<7} {p.role.value:<12} {p.organisation or ''}")
            case "as":
                await self.act(rest)
            case "press":
                await self.press(rest)
            case "dms":
                self.show_dms(rest)
            case "channel":
                self.show_channel(rest)
            case "home":
                await self.show_home(rest)
            case _:
                self.say("I did not understand that. Type `help`.")
        return True

    async def act(self, rest: str) -> None:
        handle, _, command = rest.strip().partition(" ")
        user_id = self.user_id(handle)
        if user_id is None:
            self.say(f"Nobody called {handle}. Type `who`.")
            return
        if not command.startswith("/"):
            if command.startswith("press"):
                self.actor = handle.lstrip("@")
                await self.press(command.removeprefix("press"))
                return
            self.say("After `as @user` write a slash command, e.g. `/network help`.")
            return
        self.actor = handle.lstrip("@")
        name, _, text = command.partition(" ")
        response = await self.driver(user_id).command(
            user_id,
            name,
            self.harness.escape_mentions(text),
            channel_id=self.harness.general(self.team(user_id).team_id),
        )
        await self.after(user_id, response)

    async def press(self, rest: str) -> None:
        try:
            index = int(rest.strip()) - 1
            button = self.buttons[index]
        except (ValueError, IndexError):
            self.say("Press a number shown in brackets, like `press 1`.")
            return
        user_id = self.user_id(self.actor)
        assert user_id is not None
        response = await self.driver(user_id).block_action(
            user_id,
            button.action_id,
            value=button.value,
            channel_id=button.channel_id,
            message=button.message,
            view=button.view,
        )
        await self.after(user_id, response)

    def show_dms(self, rest: str) -> None:
        user_id = self.user_id(rest.strip())
        if user_id is None:
            self.say("Whose DMs? e.g. `dms @chidi`")
            return
        self.buttons = []
        for message in self.team(user_id).dm(user_id):
            self.render_message(f"DM to @{self.name_of(user_id)}", message)

    def show_channel(self, rest: str) -> None:
        name = rest.strip().lstrip("#")
        every = {c["id"]: (team, c) for team in self.teams() for c in team.channels.values()}
        found = next(((t, c) for t, c in every.values() if c["name"] == name), None)
        if found is None:
            self.say(
                "No such channel. Channels: "
                + ", ".join("#" + c["name"] for _, c in every.values())
            )
            return
        team, channel = found
        self.buttons = []
        for message in team.messages(channel["id"]):
            self.render_message(f"#{name}", message)

    async def show_home(self, rest: str) -> None:
        user_id = self.user_id(rest.strip() or self.actor)
        if user_id is None:
            self.say("Whose Home tab? e.g. `home @alice`")
            return
        await self.driver(user_id).event(
            {"type": "app_home_opened", "user": user_id, "tab": "home"}
        )
        await self.harness.settle()
        home = self.team(user_id).home(user_id)
        if home is None:
            self.say("(no Home tab published)")
            return
        self.buttons = []
        self.say(f"--- App Home of @{self.name_of(user_id)} ---")
        self.render_blocks(home.get("blocks", []), view=home)

    # ------------------------------------------------------------------ after each step

    async def after(self, user_id: str, response: DriverResponse) -> None:
        self.buttons = []
        if response.status != 200:
            self.say(f"(Slack would show an error: HTTP {response.status})")
        elif response.slack_error:
            self.say(f"(Slack would refuse the bot's answer: {response.slack_error})")
        elif response.json:
            self.render_message(f"only @{self.name_of(user_id)} sees", response.json)
        await self.harness.settle()
        self.show_new_things()
        await self.fill_open_modal(user_id)

    def show_new_things(self) -> None:
        slack = self.harness.slack
        for violation in slack.violations[self.seen_violations :]:
            self.say(f"(Slack would refuse what the bot sent: {violation})")
        self.seen_violations = len(slack.violations)
        every = [m for team in self.teams() for m in team.all_messages()]
        for message in sorted(every, key=lambda m: str(m["ts"])):
            key = (message["channel"], message["ts"])
            if key in self.seen_messages or message.get("deleted"):
                continue
            self.seen_messages.add(key)
            self.render_message(self.where(message["channel"]), message)
        for p in self.people():
            shown = self.team(p.user_id).ephemerals(p.user_id)
            for message in shown[self.seen_ephemerals.get(p.user_id, 0) :]:
                self.render_message(f"only @{p.handle} sees", message)
            self.seen_ephemerals[p.user_id] = len(shown)

    async def fill_open_modal(self, user_id: str) -> None:
        """Prompt for each field of a modal the bot opened, then submit it, until it closes."""
        for _ in range(10):
            views = self.team(user_id).views_for(user_id)
            if not views:
                return
            view = views[-1]
            self.say(f"--- modal for @{self.name_of(user_id)}: {view['title']['text']} ---")
            self.render_blocks(
                [b for b in view.get("blocks", []) if b.get("type") != "input"], view=view
            )
            if not view.get("submit"):
                self.team(user_id).close_view(user_id)  # a notice: shown, then closed
                return
            values: dict[str, Any] = {}
            for block in view.get("blocks", []):
                if block.get("type") == "input":
                    answer = await self.ask(block)
                    if answer is not None:
                        values[block["block_id"]] = answer
            if (await self.read("Submit? [Y/n] ")).strip().lower() in {"n", "no"}:
                await self.driver(user_id).view_closed(user_id, view)
                self.say("(modal closed)")
                return
            response = await self.driver(user_id).submit_view(user_id, view, values)
            errors = (response.json or {}).get("errors")
            if errors:
                for block_id, message in errors.items():
                    self.say(f"  ! {block_id}: {message}")
            await self.harness.settle()
            self.show_new_things()
            if errors is None and self.team(user_id).views_for(user_id) == views:
                return

    async def ask(self, block: dict[str, Any]) -> Any:
        """Prompt for one field; Enter keeps what the form already holds, as in Slack."""
        element = block.get("element", {})
        kind = element.get("type", "plain_text_input")
        label = block["label"]["text"] + ("" if not block.get("optional") else " (optional)")
        initial = (
            element.get("initial_value")
            or element.get("initial_date")
            or (element.get("initial_option") or {}).get("value")
        )
        if initial:
            label += f" (Enter keeps “{str(initial)[:60]}”)"
        options = list(element.get("options", []))
        for group in element.get("option_groups", []):
            options.extend(group.get("options", []))
        if options and kind not in {"checkboxes"}:
            hint = ", ".join(o["value"] for o in options[:12])
            more = " ..." if len(options) > 12 else ""
            typed = (await self.read(f"{label} [{hint}{more}]: ")).strip()
            if not typed:
                return None
            values = [v.strip() for v in typed.split(",")] if kind.startswith("multi") else typed
            return values
        if kind == "checkboxes":
            typed = (await self.read(f"{label} [y/N]: ")).strip().lower()
            return typed in {"y", "yes"}
        if kind in {"multi_users_select", "multi_conversations_select", "multi_channels_select"}:
            typed = (await self.read(f"{label} (IDs or @names, comma-separated): ")).strip()
            return [self.user_id(t.strip()) or t.strip() for t in typed.split(",") if t.strip()]
        hint = " (YYYY-MM-DD)" if kind == "datepicker" else ""
        typed = await self.read(f"{label}{hint}: ")
        return typed.strip() or None

    # ------------------------------------------------------------------ rendering

    def render_message(self, where: str, message: dict[str, Any]) -> None:
        self.say(f"--- {where} ---")
        blocks = message.get("blocks") or []
        if blocks:
            self.render_blocks(blocks, channel_id=message.get("channel"), message=message)
        else:
            self.say(self.plain(str(message.get("text", ""))))
        for file in message.get("files") or []:
            self.say(f"  [file {file.get('name')}, {file.get('size', 0):,} bytes]")

    def render_blocks(
        self,
        blocks: list[dict[str, Any]],
        *,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
    ) -> None:
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                self.say(f"== {block['text']['text']} ==")
            elif kind == "section":
                if "text" in block:
                    self.say(self.plain(block["text"]["text"]))
                for item in block.get("fields", []):
                    self.say("  " + self.plain(item["text"]).replace("\n", ": ", 1))
                accessory = block.get("accessory")
                if accessory and accessory.get("type") == "button":
                    self.add_button(accessory, channel_id, message, view)
            elif kind == "context":
                self.say("  " + " ".join(self.plain(e.get("text", "")) for e in block["elements"]))
            elif kind == "divider":
                self.say("  ----")
            elif kind == "actions":
                for element in block.get("elements", []):
                    if element.get("type") == "button":
                        self.add_button(element, channel_id, message, view)

    def add_button(
        self,
        element: dict[str, Any],
        channel_id: str | None,
        message: dict[str, Any] | None,
        view: dict[str, Any] | None,
    ) -> None:
        self.buttons.append(
            Button(
                element["text"]["text"],
                element["action_id"],
                element.get("value"),
                channel_id,
                message if message and "ts" in message else None,  # an ack is not posted
                view,
            )
        )
        self.say(f"  [{len(self.buttons)}] {element['text']['text']}")

    def plain(self, text: str) -> str:
        """Show mrkdwn as a terminal would: mentions by name, entities decoded."""
        text = USER_MARKUP.sub(lambda m: "@" + self.name_of(m[1]), text)
        text = CHANNEL_MARKUP.sub(lambda m: self.where(m[1]), text)
        text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    # ------------------------------------------------------------------ names

    def people(self) -> list[Person]:
        return self.harness.everyone()

    def team(self, user_id: str) -> Team:
        return self.harness.team_of(user_id)

    def teams(self) -> list[Team]:
        return list(self.harness.slack.teams.values())

    def driver(self, user_id: str) -> SlackDriver:
        return self.harness.drive_in(self.team(user_id).team_id)

    def user_id(self, handle: str) -> str | None:
        wanted = handle.strip().lstrip("@")
        for p in self.people():
            if wanted in (p.handle, p.user_id):
                return p.user_id
        return None

    def name_of(self, user_id: str) -> str:
        for p in self.people():
            if p.user_id == user_id:
                return p.handle
        return user_id

    def where(self, channel_id: str) -> str:
        for team in self.teams():
            channel = team.channels.get(channel_id)
            if channel is not None:
                return "#" + str(channel["name"])
        for p in self.people():
            if self.team(p.user_id).im_of(p.user_id) == channel_id:
                return f"DM to @{p.handle}"
        return channel_id


async def run_playground(
    settings: Settings, *, db: str | None, script: Path | None, out: TextIO | None = None
) -> int:
    """Start the stand-in and the bot on loopback and run the console until ``quit``."""
    out = out or sys.stdout
    lines = (await asyncio.to_thread(script.read_text)).splitlines() if script else None
    feed = iter(lines) if lines is not None else None

    async def read(prompt: str) -> str:
        if feed is not None:
            line = next(feed, "")
            print(prompt + line, file=out, flush=True)
            return line
        return await asyncio.get_running_loop().run_in_executor(None, input, prompt)

    with tempfile.TemporaryDirectory(prefix="network-bot-playground-") as tmp:
        db_path = Path(db) if db else Path(tmp) / "playground.sqlite3"
        # Not strict: a refusal is shown where it happens, instead of ending the session.
        async with NetworkHarness(
            db_path=db_path,
            settings={"log_level": settings.log_level},
            strict=False,
            partners=(PARTNER,),
        ) as harness:
            await harness.install(PARTNER.team_id, PARTNER.people[0].handle)
            await harness.settle()
            console = Console(harness=harness, read=read, out=out)
            console.say(
                INTRO.format(
                    partner=PARTNER.name,
                    partner_people=", ".join(f"@{p.handle}" for p in PARTNER.people),
                    people=", ".join(f"@{p.handle} ({p.role.value})" for p in PEOPLE),
                    channels=", ".join(
                        "#" + r.name + (" (shared)" if r.is_ext_shared else "")
                        for r in harness.rooms
                    ),
                )
            )
            while True:
                try:
                    if feed is not None:
                        line = next(feed)
                        console.say(f"> {line}")
                    else:
                        line = await read("> ")
                except (EOFError, StopIteration):
                    break
                if not await console.run(line):
                    break
    return 0
