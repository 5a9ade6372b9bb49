"""Pacing: how fast the bot lets itself call Slack, workspace-wide and per channel.

Slack allows about one message per second per channel plus a workspace budget. Each limiter
books calls on a schedule spaced exactly ``1 / rate`` apart (the generic cell rate algorithm),
so a slightly late wake-up from ``asyncio.sleep`` is made up by the next call instead of lost,
and the achieved rate is the configured one, not a few per cent under it. A call that wakes far
too late (a stalled event loop) pushes the next one back instead, so no window of one second
sees more than ``rate`` + 1 calls and running slightly under Slack's budget keeps 429s rare.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

LATE_TOLERANCE = 0.25  # of an interval: ordinary timer lateness is still made up


class Pacer:
    def __init__(self, *, rate: float, burst: float = 1.0) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = rate
        self.burst = burst
        self._next = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for this call's slot; callers are served in the order they asked."""
        async with self._lock:
            now = time.monotonic()
            slot = max(self._next, now - (self.burst - 1) / self.rate)
            self._next = slot + 1 / self.rate
            if slot > now:
                await asyncio.sleep(slot - now)
            # Woken much later than booked (the event loop was busy): the next call keeps
            # most of a full interval after this one, so a stall never sends a close pair.
            sent = time.monotonic()
            self._next = max(self._next, sent + (1 - LATE_TOLERANCE) / self.rate)


class PerKeyPacers:
    """One bucket per channel, forgetting the least recently used past ``capacity``."""

    def __init__(self, *, rate: float, capacity: int = 20_000) -> None:
        self._rate = rate
        self._capacity = capacity
        self._pacers: OrderedDict[str, Pacer] = OrderedDict()

    def pacer(self, key: str) -> Pacer:
        found = self._pacers.pop(key, None) or Pacer(rate=self._rate)
        self._pacers[key] = found
        while len(self._pacers) > self._capacity:
            self._pacers.popitem(last=False)
        return found


class Pauses:
    """``Retry-After`` per method: a 429 on one method does not hold up the others."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def pause(self, method: str, seconds: float) -> None:
        until = time.monotonic() + seconds
        self._until[method] = max(self._until.get(method, 0.0), until)

    async def wait(self, method: str) -> None:
        remaining = self._until.get(method, 0.0) - time.monotonic()
        if remaining > 0:
            await asyncio.sleep(remaining)
