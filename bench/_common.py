"""What every benchmark starts the same way: child processes (the bot serving HTTP, or one
command in a fresh interpreter reporting its peak memory), percentiles, process figures.

Run a bench as ``python bench/NAME.py`` from the repository root: Python puts ``bench/`` first
on the import path, so ``from _common import …`` needs nothing more.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil

from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess, free_port
from network_bot.testing.stand_in import SlackStandIn

__all__ = [
    "ROOT",
    "ChildRun",
    "cpu_seconds",
    "free_port",
    "percentile",
    "rss_mb",
    "run_child",
    "running_bot",
    "start_child",
    "stop_child",
    "summary_ms",
    "wait_for_http",
]

ROOT = Path(__file__).resolve().parents[1]

# Prepended to a child's code: at exit (sys.exit included) it prints its peak resident memory.
_PEAK_AT_EXIT = """
import atexit as _atexit, resource as _resource

def _report_peak():
    peak_kb = _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except OSError:
        pass
    print(f"PEAK_KB {peak_kb}", flush=True)

_atexit.register(_report_peak)
"""


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"p50 {percentile(ms, 50):7.2f} ms  p99 {percentile(ms, 99):7.2f} ms  "
        f"mean {statistics.fmean(ms):7.2f} ms  max {max(ms):7.2f} ms"
    )


@dataclass(frozen=True)
class ChildRun:
    """One command run in a fresh interpreter: wall-clock seconds (start-up included), what it
    printed, and its peak resident memory."""

    seconds: float
    lines: list[str]
    peak_mb: float

    def line(self, prefix: str) -> str:
        """The first line the child printed that starts with ``prefix``."""
        return next(line for line in self.lines if line.startswith(prefix))


def run_child(code: str, *args: str, what: str, env: Mapping[str, str] | None = None) -> ChildRun:
    """Run ``python -c code args`` from the repository root, logging only warnings; a failure
    raises with the end of its stderr."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_AT_EXIT + code, *args],
        env={**os.environ, "NETWORK_BOT_LOG_LEVEL": "WARNING", **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr[-2000:]}")
    lines = done.stdout.splitlines()
    peak_kb = next(int(w.split()[1]) for w in lines if w.startswith("PEAK_KB"))
    return ChildRun(seconds=seconds, lines=lines, peak_mb=peak_kb / 1024)


@asynccontextmanager
async def running_bot(
    slack: SlackStandIn,
    db_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
) -> AsyncIterator[tuple[BotProcess, SlackDriver]]:
    """The bot in its own process (``network-bot run --mode http``) against ``slack``, healthy,
    and a driver signing requests to it as Slack would; both stopped after."""
    bot = BotProcess(stand_in=slack, db_path=db_path, env=env, log_path=log_path)
    await bot.start()
    driver = SlackDriver(endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack)
    try:
        yield bot, driver
    finally:
        await driver.close()
        await bot.stop()


def start_child(args: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """A long-running child (a server), from the repository root, its stderr kept."""
    return subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def wait_for_http(url: str, child: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if child.poll() is not None:
                err = child.stderr.read().decode() if child.stderr else ""
                raise RuntimeError(f"child exited early: {err[-2000:]}")
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(url)


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / (1024 * 1024)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used: unlike latency, what other load on the
    machine does not inflate."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def stop_child(child: subprocess.Popen[bytes]) -> None:
    child.terminate()
    try:
        child.wait(timeout=15)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
