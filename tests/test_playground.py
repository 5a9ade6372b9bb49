"""The playground console and the bare ``network-bot`` command, as a newcomer runs them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
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
    assert "waits for your approval" in before, "dana's DM"
    listing = shown.split("> as @dana /network workspaces")[1].split("> press 1")[0]
    assert "[1] Approve" in listing
    assert "is now part of the network" in shown
    after = shown.split("> as @pedro /network me")[2]
    assert "Your entry in the network's roster" in after and "Andes Press Network" in after
    assert "Slack would refuse" not in shown
