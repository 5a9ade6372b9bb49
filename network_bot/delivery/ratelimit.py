"""Pacing: how fast the bot lets itself call Slack, workspace-wide and per channel.

Slack allows about one message per second per channel plus a workspace budget. Each limiter
books calls on a schedule spaced exactly ``1 / rate`` apart (the generic cell rate algorithm),
so a slightly late wake-up from ``asyncio.sleep`` is made up by the next call instead of lost,
and the achieved rate is the configured one, not a few per cent under it. A call that wakes far
too late (a stalled event loop) pushes the next one back instead.

Slack counts calls in a sliding window, as they arrive. A pacer that knows the limit it serves
(``limit``) therefore also holds a call back while a full window's worth of calls are either in
flight or finished within the last window: a call arrives before it finishes, so counting each
until its answer came back keeps any window of arrivals within the limit even when the event
loop stalls between booking a call and sending it (the catch-up after a stall, or many lanes'
calls finishing at once, would otherwise bunch enough calls into one second to be answered
429). Calls are paced with ``async with pacer.slot():`` around the call itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator

LATE_TOLERANCE = 0.25  # of an interval: ordinary timer lateness is still made up
WINDOW = 1.0  # Slack's window, in seconds


class Pacer:
    def __init__(self, *, rate: float, burst: float = 1.0, limit: float | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = rate
        self.burst = burst
        self._next = time.monotonic()
        self._lock = asyncio.Lock()
        self._cap = max(1, math.floor(limit * WINDOW)) if limit else 0
        self._recent: deque[float] = deque()  # when calls finished, within the last window
        self._in_flight = 0
        self._finished = asyncio.Event()

    async def acquire(self) -> None:
        """Wait for this call's slot; callers are served in the order they asked. With a
        ``limit``, :meth:`release` must follow once the call is answered (see :meth:`slot`)."""
        async with self._lock:
            now = time.monotonic()
            slot = max(self._next, now - (self.burst - 1) / self.rate)
            self._next = slot + 1 / self.rate
            if slot > now:
                await asyncio.sleep(slot - now)
            if self._cap:
                await self._window_room()
                self._in_flight += 1
            # Woken much later than booked (the event loop was busy): the next call keeps
            # most of a full interval after this one, so a stall never sends a close pair.
            sent = time.monotonic()
            self._next = max(self._next, sent + (1 - LATE_TOLERANCE) / self.rate)

    async def _window_room(self) -> None:
        """Until fewer than the limit's worth are in flight or finished within the window."""
        while True:
            now = time.monotonic()
            while self._recent and self._recent[0] <= now - WINDOW:
                self._recent.popleft()
            if len(self._recent) + self._in_flight < self._cap:
                return
            self._finished.clear()
            wait = self._recent[0] + WINDOW - now if self._recent else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._finished.wait(), timeout=wait)

    def release(self) -> None:
        """The call's answer came back (or it failed): it counts from now, for one window."""
        if self._cap and self._in_flight > 0:
            self._in_flight -= 1
            self._recent.append(time.monotonic())
            self._finished.set()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Pace one call: ``async with pacer.slot(): await client.chat_postMessage(...)``."""
        await self.acquire()
        try:
            yield
        finally:
            self.release()


class PerKeyPacers:
    """One bucket per channel, forgetting the least recently used past ``capacity``."""

    def __init__(self, *, rate: float, capacity: int = 20_000, limit: float | None = None) -> None:
        self._rate = rate
        self._limit = limit
        self._capacity = capacity
        self._pacers: OrderedDict[str, Pacer] = OrderedDict()

    def pacer(self, key: str) -> Pacer:
        found = self._pacers.pop(key, None) or Pacer(rate=self._rate, limit=self._limit)
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
