"""The playground console and the bare ``network-bot`` command, as a newcomer runs them."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from network_bot.playground import run_playground
from network_bot.settings import load_settings

SCRIPT = """\
who
as @alice /network join org:"Kenya Press Freedom Desk" country:KE
as @alice /report Radio journalist shot in Cotabato
Arshad Mahmood
n
journalist

killing
2026-11-20
PH
Cotabato province

urgent

Family contact via the union only.
https://example.org/a
y
y
as @chidi /case NI-2026-0001
as @bob /case NI-2026-0001
as @bob /network role @alice admin
quit
"""


async def test_a_scripted_session(tmp_path: Path) -> None:
    script = tmp_path / "session.txt"
    script.write_text(SCRIPT)
    out = io.StringIO()
    code = await run_playground(
        load_settings(), db=str(tmp_path / "play.sqlite3"), script=script, out=out
    )
    shown = out.getvalue()
    assert code == 0
    assert "@chidi   coordinator" in shown
    assert "Kenya Press Freedom Desk" in shown
    assert "Your report is *NI-2026-0001*" in shown
    coordinator_view = shown.split("> as @chidi /case NI-2026-0001")[1].split("> as @bob")[0]
    assert "Family contact via the union only." in coordinator_view
    assert "anonymous to the network" in coordinator_view
    member_view = shown.split("> as @bob /case NI-2026-0001")[1].split("> as @bob")[0]
    assert "can't find a case" in member_view
    assert "Only admins can do that" in shown
    assert "Slack would refuse" not in shown, "every surface of the session is one Slack accepts"


BAD_ANSWERS = [
    # ---- console lines that are not what it expects
    "hello",
    "as @nobody /report",
    "as @alice",
    "as @alice /nonsense",
    "press 9.9",
    "press x",
    "wait forever",
    "channel #nowhere",
    "dms @nobody",
    # ---- a member reports, with a wrong answer in every field that can take one
    "as @alice /report Radio journalist shot",
    "Arshad Mahmood",  # victims
    "maybe",  # withhold? not y or n
    "n",
    "reporter",  # profession: not a choice
    "JOURNALIST",  # any case
    "female",  # gender: not a choice
    "",
    "murder",  # violation: not a choice
    "killing",
    "tomorrow",  # date it cannot read
    "2026-02-30",  # no such day
    "2026-11-20",
    "Narnia",  # country: not a country
    "Kenya",  # by name
    "Nairobi",  # place
    "",  # perpetrator
    "urgent",  # urgency
    "x" * 2600,  # what happened: longer than the box
    "Shot",  # too short: the bot refuses it
    "Family contact via the union only.",  # notes
    "not a link",  # sources: the bot refuses it
    "y",  # anonymous
    "perhaps",  # submit? not y or n
    "y",
    # the bot refused two fields: only those are asked again
    "Radio journalist shot dead outside his home in Nairobi.",
    "https://example.org/a",
    "y",
    # ---- a second report, by code in lower case
    "as @bob /report",
    "",
    "n",
    "blogger",
    "",
    "threats",
    "today",
    "ke",
    "",
    "",
    "",
    "A blogger was threatened for her posts about land grabs.",
    "",
    "",
    "",
    "y",
    # ---- coordinators act on the review cards: numbers stay put across presses
    "channel #case-review",
    "as @chidi press 5.1",  # I'm reviewing
    "as @farid press 5.2",  # Verify: still 5.2 after chidi's press
    "as @bob press 5.2",  # not his to decide
    "as @bob /follow ni-2026-0001",
    "as @emma /follow country:kenya",
    # ---- an update: the first reaches followers at once, the next waits for the window
    "as @chidi /case NI-2026-0001 update",
    "yesterday",
    "Police opened an investigation.",
    "",
    "convicted full",  # skips steps: the bot asks for the reason
    "",
    "y",
    "Verdict reported before the charges were",
    "y",
    "as @chidi /case NI-2026-0001 update",
    "today",
    "The verdict was appealed.",
    "",
    "",
    "",
    "y",
    "wait 3m",
    # ---- an alert to followers of the case and of its country, and a shared channel
    "as @chidi /alert frobnicate",
    "as @chidi /alert NI-2026-0001",
    "",  # headline
    "",  # what happened
    "letter",  # not a choice
    "sign",
    "",
    "not-a-link",
    "2020-01-01",  # a deadline that has passed
    "",  # urgency
    "2, 3",  # followers of this case and of the chosen countries
    "KE",
    "",
    "#partners-shared, #nowhere",
    "#partners-shared",
    "n",  # shared channels not ticked
    *[""] * 9,  # no translation in Arabic, Spanish or French: they get it as written
    "y",
    "https://example.org/letter",  # the bot refused the link and the deadline
    "-",
    "y",
    "#network-alerts",  # ... then the shared channel
    "y",
    "n",  # Back from the preview: every answer is kept
    "99",  # change which? not a field
    "1",
    "Justice for Arshad Mahmood",
    "y",
    "y",  # send
    "as @bob press 2",  # I'm in, on the alert bob just got
    "as @chidi /alert status AL-2026-0002",
    "as @chidi press 2",  # Recall…: asks first, and why
    "",
    "The family asked us to wait",
    "y",
    # ---- an admin
    "as @dana /network role @nobody member",
    "as @dana /network role @alice coordinator",
    "who",
    "as @dana press 1",  # nothing to press in a DM without buttons
    "home @chidi",
    "quit",
]


async def play(tmp_path: Path, lines: list[str], *, db: Path | None = None) -> str:
    script = tmp_path / "session.txt"
    script.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    code = await run_playground(
        load_settings(), db=str(db or tmp_path / "play.sqlite3"), script=script, out=out
    )
    assert code == 0
    return out.getvalue()


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


async def test_a_script_full_of_bad_answers_runs_to_the_end(tmp_path: Path) -> None:
    shown = await play(tmp_path, BAD_ANSWERS)
    assert "Traceback" not in shown and "could not do that" not in shown
    assert shown.rstrip().endswith("> quit")
    # lists: the closest choices by name or code, any case; dates: the form accepted
    assert "“reporter” is not one of the choices. Did you mean:" in shown
    assert "“Narnia” is not one of the choices" in shown
    assert "I can't read “tomorrow” as a date. Type it as YYYY-MM-DD" in shown
    assert "I can't read “2026-02-30” as a date" in shown
    assert "at most 2,500 characters; that was 2,600" in shown
    assert "Answer y (tick it) or n (leave it empty)." in shown
    assert "tick “Withhold the name from the network”?" in shown
    # the bot refused two answers: only those two fields were asked again
    retry = between(shown, "Send report? [Y/n] (n: Cancel) y\n", "Send report?")
    assert "This is too short (at least 10 characters)" in retry
    assert "Links should be full web addresses starting with https://" in retry
    assert "Profession" not in retry and "Victim name(s)" not in retry
    assert "*NI-2026-0001*  killing · journalist · 🇰🇪 Kenya" in shown
    assert "• https://example.org/a\n" in shown, "a link whose label is itself is shown once"
    assert "https://example.org/a (https://example.org/a)" not in shown
    assert "*NI-2026-0002*  threats / harassment · blogger / online activist · 🇰🇪 Kenya" in shown
    # buttons keep their numbers across another person's press
    assert "> as @farid press 5.2\n--- #case-review (edited) · message 5 ---" in shown
    assert ":white_check_mark: Verified by @farid" in shown
    assert "Message 5 has no button 2 now" in shown
    # the first update reaches followers at once; the next waits for the window
    first = between(shown, "Reason, if this skips a step (optional): Verdict", "> as @chidi")
    assert "--- DM to @bob" in first and "--- DM to @emma" in first
    assert "case updates waiting for the batching window: 2" in shown
    assert "> wait 3m" in shown and "The verdict was appealed." in between(
        shown, "> wait 3m", "> as @chidi /alert frobnicate"
    )
    # every audience can be ticked; channels by #name; Back keeps every answer
    assert "  [ ] 2. Followers of this case\n  [ ] 3. Followers of the chosen countries" in shown
    assert "no channel #nowhere. Channels: #general" in shown
    assert "#partners-shared is shared with another organisation" in shown
    kept = between(shown, "(Back: the modal closed)", "Change which?")
    assert "8. Audience: Followers of this case, Followers of the chosen countries" in kept
    assert "11. Also post in channels: #network-alerts" in kept
    assert "== Justice for Arshad Mahmood ==" in shown
    assert "*3* people get it now as a DM · posted in #network-alerts" in shown
    assert "Pakistan Journalists Forum: 1 person is in" in shown
    # recall asks first, and for the reason everyone reads
    assert "Why it is withdrawn: this one is needed." in shown
    assert "The reason: The family asked us to wait." in shown
    assert "*Withdrawn (copies replaced)*: 4" in shown
    # an admin; who reads the roster as it is now
    assert "I can't find @nobody" in shown
    assert "@alice   coordinator" in between(shown, "> who", "> as @dana press 1")


async def test_the_database_keeps_roles_between_sessions(tmp_path: Path) -> None:
    db = tmp_path / "kept.sqlite3"
    await play(tmp_path, ["as @dana /network role @bob coordinator", "quit"], db=db)
    again = await play(tmp_path, ["who", "quit"], db=db)
    assert "@bob (coordinator)" in again.split("> who")[0], "the intro reads the roster"
    assert "@bob     coordinator" in again.split("> who")[1]


def test_ctrl_c_leaves_at_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NETWORK_BOT_"))}
    child = subprocess.Popen(
        [sys.executable, "-m", "network_bot", "playground"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.PIPE,  # kept open: the console waits for a line that never comes
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:  # the introduction, up to its last line
            if "dms @chidi | channel #case-review" in line:
                break
        time.sleep(1.0)  # the console is now waiting for a line
        child.send_signal(signal.SIGINT)
        child.wait(timeout=15)  # no Enter needed to get out
        assert "Traceback" not in (child.stderr.read() if child.stderr else "")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_bare_command_without_tokens_explains_both_modes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NETWORK_BOT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "network_bot"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for words in (
        "HTTP mode",
        "Socket Mode",
        "Playground",
        "app_manifest.yaml",
        "network-bot playground: a pretend Slack workspace",
    ):
        assert words in result.stdout


PARTNER_SCRIPT = """\
as @pedro /network me
as @dana /network workspaces
press 1
as @pedro /network me
quit
"""


async def test_the_second_workspace_is_approved_and_used(tmp_path: Path) -> None:
    script = tmp_path / "partner.txt"
    script.write_text(PARTNER_SCRIPT)
    out = io.StringIO()
    code = await run_playground(load_settings(), db=None, script=script, out=out)
    shown = out.getvalue()
    assert code == 0
    assert "Andes Press Network (@pedro, @lucia), installed the bot" in shown
    before = shown.split("> as @pedro /network me")[1].split("> as @dana")[0]
    assert "not part of the network yet" in before
    intro = shown.split("\n> ")[0]
    assert "waits for your approval" in intro and "[1.1] Approve" in intro, "dana's DM, at once"
    listing = shown.split("> as @dana /network workspaces")[1].split("> press 1")[0]
    assert "[3.1] Approve" in listing, "press 1: button 1 of the newest message dana sees"
    assert "is now part of the network" in shown
    after = shown.split("> as @pedro /network me")[2]
    assert "Your entry in the network's roster" in after and "Andes Press Network" in after
    assert "Slack would refuse" not in shown


async def test_a_button_with_a_confirmation_asks_before_it_goes(tmp_path: Path) -> None:
    shown = await play(
        tmp_path,
        [
            "as @dana /network workspaces",
            "press 2",  # Remove…: Slack asks first
            "maybe",
            "n",
            "as @pedro /network me",
            "as @dana press 2",
            "y",
            "as @pedro /network me",
            "quit",
        ],
    )
    declined = between(shown, "> press 2", "> as @pedro /network me")
    assert "Remove? [y/n]" in declined or "? [y/n] (n: " in declined
    assert (
        "  ! Answer y (" in declined and "(not confirmed: nothing was sent to the bot)" in declined
    )
    assert "is removed" not in declined
    assert "is removed" in between(shown, "> as @dana press 2", "> as @pedro /network me")
    assert "no longer part of the network" in shown.split("> as @pedro /network me")[2]
    channels = next(line for line in shown.split("\n") if line.startswith("Channels:"))
    assert "#andes-general (in Andes Press Network's workspace)" in channels


async def test_a_form_can_be_closed_at_any_prompt(tmp_path: Path) -> None:
    shown = await play(
        tmp_path,
        ["as @alice /report", "Grace Wanjiru", "!close", "as @alice /network me", "quit"],
    )
    closed = between(shown, "Grace Wanjiru\n", "> as @alice /network me")
    assert "the modal closed" in closed and "Your report is" not in closed
    assert "Your entry in the network's roster" in shown.split("> as @alice /network me")[1]
