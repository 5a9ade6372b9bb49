"""``network-bot playground``: the real bot against the Slack stand-in, driven from a terminal.

Type ``as @alice /report ...`` to act as someone; modals are filled in by prompt, each answer
checked as it is typed; buttons get numbers you ``press``; after each step you see what each
person would see: ephemeral replies, DMs, channel posts and modals. Everything goes through the
bot's real HTTP endpoint, signed. Nothing typed ends the console: a wrong answer is explained and
asked again, and what you typed is kept.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

from network_bot.clock import ShiftedClock
from network_bot.logs import describe_exception
from network_bot.playground_forms import FieldPrompts
from network_bot.playground_input import script_reader, terminal_reader
from network_bot.playground_modals import Modals
from network_bot.playground_people import Directory
from network_bot.playground_screen import Screen
from network_bot.scheduler import Scheduler
from network_bot.settings import Settings
from network_bot.store import members
from network_bot.testing.driver import DriverResponse
from network_bot.testing.network import NetworkHarness
from network_bot.testing.workspace import PARTNER

log = logging.getLogger("network_bot.playground")

INTRO = """\
network-bot playground: a pretend Slack workspace (and a partner's) with the real bot behind.
People: {people}
Channels: {channels}
A second workspace, {partner} ({partner_people}), installed the bot and waits for approval:
       as @dana /network workspaces   then press its Approve button, and try as @pedro /network me
Followers hear of a case update at once; more updates within {window} come together in one DM
(`wait {window_short}` lets that time pass).
Try:   as @alice /network help
       as @alice /report Radio journalist shot in Cotabato
       as @chidi press 4.2     (button 2 of message 4; `press 2`: of the newest message you see)
       dms @chidi | channel #case-review | home @alice | who | wait 3m | help | quit
"""

HELP = """\
  as @user /command text   run a slash command as that person (mentions like @bob work)
  as @user press 4.2       press button 2 of message 4 as that person
  press 4.2 | press 2      press as the last person you acted as (2: in the newest message)
  dms @user                show that person's DMs from the bot
  channel #name            show the bot's posts in a channel
  home @user               open that person's App Home tab
  who                      people on the roster, with their roles as they are now
  wait 3m                  let time pass (s, m or h): batched updates and digests go out
  help                     this list
  quit                     leave (Ctrl-C or Ctrl-D too; --db keeps the database)
In a form: a list answer may be a name or a code in any case (Kenya, ke, KE); `?` lists every
choice; Enter keeps the answer shown; `-` clears it; `\\n` starts a new line in a long text;
`!close` closes the form, as Slack's close button does.
"""

WAIT = re.compile(r"^(\d+(?:\.\d+)?)\s*([smh]?)$")


class Console:
    def __init__(
        self, *, harness: NetworkHarness, read: Callable[[str], Awaitable[str]], out: TextIO
    ):
        self.harness = harness
        self.read = read
        self.out = out
        self.actor = harness.people[0].user_id
        self.names = Directory(harness=harness)
        self.screen = Screen(
            say=self.say,
            name_of=self.names.name_of,
            where=self.names.where,
            people=lambda: [p.user_id for p in self.names.people()],
        )
        self.fields = FieldPrompts(
            read=read,
            say=self.say,
            user_id_of=self.names.user_id,
            channels=lambda: self.names.channel_list(of=self.actor),
            today=lambda: harness.running.clock.now().date(),
        )
        self.modals = Modals(
            harness=harness,
            read=read,
            say=self.say,
            screen=self.screen,
            fields=self.fields,
            names=self.names,
            after_submit=self.show_new_things,
        )
        self.seen_messages: dict[tuple[str, str], int] = {}
        self.seen_ephemerals: dict[str, int] = {}
        self.seen_violations = 0

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # ------------------------------------------------------------------ commands

    async def run(self, line: str) -> bool:
        """Run one console line; False means quit. Nothing typed raises out of here."""
        try:
            return await self._run(line)
        except (EOFError, KeyboardInterrupt, asyncio.CancelledError):
            raise
        except Exception as error:  # the console's last line of defence: say so, keep going
            log.warning("playground step failed: %s", describe_exception(error))
            self.say(f"(the playground could not do that: {describe_exception(error)}; try again)")
            return True

    async def _run(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        match word.lower():
            case "quit" | "exit":
                return False
            case "help" | "?":
                self.say(HELP)
            case "who":
                await self.who()
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
            case "wait":
                await self.wait(rest)
            case _:
                self.say("I did not understand that. Type `help`.")
        return True

    async def who(self) -> None:
        for m in await members.list_active(self.harness.running.db.read, limit=200):
            handle = "@" + self.names.name_of(m.user_id)
            where = " · ".join(x for x in (m.organisation, m.country) if x)
            self.say(f"  {handle:<8} {m.role.value:<12} {where}")

    async def act(self, rest: str) -> None:
        handle, _, command = rest.strip().partition(" ")
        user_id = self.names.user_id(handle)
        if user_id is None:
            self.say(f"Nobody called {handle or '(nobody)'}. Type `who`.")
            return
        command = command.strip()
        if command.startswith("press"):
            self.actor = user_id
            await self.press(command.removeprefix("press"))
            return
        if not command.startswith("/"):
            self.say("After `as @user` write a slash command (`/network help`) or `press 4.2`.")
            return
        self.actor = user_id
        name, _, text = command.partition(" ")
        if name not in self.harness.running.registry.commands:
            known = ", ".join(sorted(self.harness.running.registry.commands))
            self.say(f"Slack would say: {name} is not a command here. Commands: {known}")
            return
        response = await self.names.driver(user_id).command(
            user_id,
            name,
            self.harness.escape_mentions(text),
            channel_id=self.names.general(user_id),
        )
        await self.after(user_id, response)

    async def press(self, rest: str) -> None:
        found = self.screen.find(rest, actor=self.actor)
        if isinstance(found, str):
            self.say(found)
            return
        if found.url:
            self.say(f"(your browser opens {found.url})")
        if found.confirm and not await self.confirmed(found.confirm):
            self.say("(not confirmed: nothing was sent to the bot)")
            return
        response = await self.names.driver(self.actor).block_action(
            self.actor,
            found.action_id,
            value=found.value,
            channel_id=found.channel_id,
            message=found.message,
            view=found.view,
        )
        await self.after(self.actor, response)

    async def confirmed(self, dialog: dict[str, Any]) -> bool:
        """Slack's confirmation dialog on a button: its words, then yes or no."""

        def text(key: str, default: str) -> str:
            return str((dialog.get(key) or {}).get("text") or default)

        self.say(f"--- {text('title', 'Are you sure?')} ---\n{text('text', '')}")
        yes, no = text("confirm", "Yes"), text("deny", "Cancel")
        while True:
            typed = (await self.read(f"{yes}? [y/n] (n: {no}) ")).strip().casefold()
            if typed in {"y", "yes", "n", "no"}:
                return typed.startswith("y")
            self.say(f"  ! Answer y ({yes}) or n ({no}).")

    def show_dms(self, rest: str) -> None:
        user_id = self.names.user_id(rest.strip())
        if user_id is None:
            self.say("Whose DMs? e.g. `dms @chidi`")
            return
        messages = self.names.team(user_id).dm(user_id)
        if not messages:
            self.say(f"(the bot has not written to @{self.names.name_of(user_id)} yet)")
        for message in messages:
            self._message(f"DM to @{self.names.name_of(user_id)}", message)

    def show_channel(self, rest: str) -> None:
        name = rest.strip().lstrip("#").lower()
        channel = next((c for c in self.names.channel_list() if c.name == name), None)
        if channel is None:
            listed = ", ".join("#" + c.name for c in self.names.channel_list())
            self.say(f"No such channel. Channels: {listed}")
            return
        messages = self.names.team_of_channel(channel.channel_id).messages(channel.channel_id)
        if not messages:
            self.say(f"(nothing posted in #{name} yet)")
        for message in messages:
            self._message(f"#{name}", message)

    async def show_home(self, rest: str) -> None:
        user_id = self.names.user_id(rest.strip()) if rest.strip() else self.actor
        if user_id is None:
            self.say("Whose Home tab? e.g. `home @alice`")
            return
        event = {"type": "app_home_opened", "user": user_id, "tab": "home"}
        await self.names.driver(user_id).event(event)
        await self.harness.settle()
        home = self.names.team(user_id).home(user_id)
        if home is None:
            self.say("(no Home tab published)")
            return
        self.actor = user_id
        self.screen.surface(
            f"App Home of @{self.names.name_of(user_id)}",
            home,
            owner=user_id,
            blocks=home.get("blocks", []),
        )

    async def wait(self, rest: str) -> None:
        minutes = self.harness.running.settings.batch_minutes
        found = WAIT.match(rest.strip() or f"{minutes:g}m")
        if found is None:
            self.say("Write it like `wait 3m`, `wait 90s` or `wait 1h`.")
            return
        seconds = float(found[1]) * {"s": 1, "m": 60, "h": 3600, "": 60}[found[2]]
        clock = self.harness.clock
        if not isinstance(clock, ShiftedClock):
            self.say("(this playground's clock cannot be moved)")
            return
        clock.advance(seconds)
        self.say(
            f"(time moves on {found[1]}{found[2] or 'm'}: now {clock.now():%Y-%m-%d %H:%M} UTC)"
        )
        for worker in self.harness.running.workers:
            if isinstance(worker, Scheduler):
                await worker.run_due(force=True)
        await self.harness.settle()
        self.show_new_things()

    # ------------------------------------------------------------------ after each step

    async def after(self, user_id: str, response: DriverResponse) -> None:
        if response.status != 200:
            self.say(f"(Slack would show an error: HTTP {response.status})")
        elif response.slack_error:
            self.say(f"(Slack would refuse the bot's answer: {response.slack_error})")
        elif response.json and ("blocks" in response.json or "text" in response.json):
            general = self.names.general(user_id)
            ack = {
                **response.json,
                "ts": self.names.team(user_id).next_ts(),
                "channel": general,
                "source": "command_ack",
            }
            self.screen.message(
                f"only @{self.names.name_of(user_id)} sees",
                ack,
                key=("ack", ack["ts"]),
                owner=user_id,
                channel_id=general,
            )
        await self.harness.settle()
        self.show_new_things()
        await self.modals.fill(user_id)
        await self.note_waiting_updates()

    def show_new_things(self) -> None:
        slack = self.harness.slack
        for violation in slack.violations[self.seen_violations :]:
            self.say(f"(Slack would refuse what the bot sent: {violation})")
        self.seen_violations = len(slack.violations)
        every = [m for team in self.names.teams() for m in team.all_messages()]
        for message in sorted(every, key=lambda m: str(m["ts"])):
            key = (str(message["channel"]), str(message["ts"]))
            version = len(message.get("edits") or [])
            if message.get("deleted") or self.seen_messages.get(key) == version:
                continue
            edited = key in self.seen_messages
            self.seen_messages[key] = version
            self._message(self.names.where(key[0]) + (" (edited)" if edited else ""), message)
        for p in self.names.people():
            shown = self.names.team(p.user_id).ephemerals(p.user_id)
            for message in shown[self.seen_ephemerals.get(p.user_id, 0) :]:
                self.screen.message(
                    f"only @{p.handle} sees",
                    message,
                    key=("ephemeral", str(message["ts"])),
                    owner=p.user_id,
                    channel_id=str(message.get("channel") or "") or None,
                )
            self.seen_ephemerals[p.user_id] = len(shown)

    def _message(self, heading: str, message: dict[str, Any]) -> None:
        channel = str(message["channel"])
        self.screen.message(
            heading,
            message,
            key=("msg", channel, str(message["ts"])),
            owner=self.names.dm_owner(channel),
            channel_id=channel,
        )

    async def note_waiting_updates(self) -> None:
        waiting = await self.harness.running.timeline.notifications_waiting()
        if waiting:
            minutes = self.harness.running.settings.batch_minutes
            self.say(
                f"(case updates waiting for the batching window: {waiting}; they go out within "
                f"{minutes:g} min, or now with `wait {minutes:g}m`)"
            )


async def run_playground(
    settings: Settings, *, db: str | None, script: Path | None, out: TextIO | None = None
) -> int:
    """Start the stand-in and the bot on loopback and run the console until ``quit``."""
    out = out or sys.stdout
    if script is not None:
        read = script_reader((await asyncio.to_thread(script.read_text)).splitlines(), out)
    else:
        read = terminal_reader()
    with tempfile.TemporaryDirectory(prefix="network-bot-playground-") as tmp:
        db_path = Path(db) if db else Path(tmp) / "playground.sqlite3"
        # No admins from settings: the demo roster is seeded once, so roles changed in a kept
        # database (--db) stay as they were changed.
        overrides = {"log_level": settings.log_level, "admins": ()}
        # Not strict: a refusal is shown where it happens, instead of ending the session.
        async with NetworkHarness(
            db_path=db_path,
            clock=ShiftedClock(),
            settings=overrides,
            strict=False,
            partners=(PARTNER,),
        ) as harness:
            await harness.install(PARTNER.team_id, PARTNER.people[0].handle)
            await harness.settle()
            console = Console(harness=harness, read=read, out=out)
            window = harness.running.settings.batch_minutes
            roster = await members.list_active(harness.running.db.read, limit=50)
            console.say(
                INTRO.format(
                    people=", ".join(
                        f"@{console.names.name_of(m.user_id)} ({m.role.value})" for m in roster
                    ),
                    channels=", ".join("#" + c.name + c.note for c in console.names.channel_list()),
                    partner=PARTNER.name,
                    partner_people=", ".join(f"@{p.handle}" for p in PARTNER.people),
                    window=f"{window:g} minutes",
                    window_short=f"{window:g}m",
                )
            )
            console.show_new_things()  # what the bot already sent (the approval request)
            while True:
                try:
                    line = await read("> ")
                    if not await console.run(line):
                        break
                except EOFError:
                    break
    return 0
