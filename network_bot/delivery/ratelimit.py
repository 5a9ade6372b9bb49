"""Token buckets: how fast the bot lets itself call Slack, per method family and per channel.

Slack allows about one message per second per channel plus a workspace budget. A bucket refills
at ``rate`` tokens a second and holds at most ``burst``; with a burst of one, no window of one
second ever sees more than ``rate`` + 1 calls, so the bot runs slightly under its budget
(``headroom``) and Slack's 429s stay the exception.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict


class TokenBucket:
    def __init__(self, *, rate: float, burst: float = 1.0) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a token; callers are served in the order they asked."""
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self._tokens) / self.rate)


class PerKeyBuckets:
    """One bucket per channel, forgetting the least recently used past ``capacity``."""

    def __init__(self, *, rate: float, capacity: int = 20_000) -> None:
        self._rate = rate
        self._capacity = capacity
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def bucket(self, key: str) -> TokenBucket:
        found = self._buckets.pop(key, None) or TokenBucket(rate=self._rate)
        self._buckets[key] = found
        while len(self._buckets) > self._capacity:
            self._buckets.popitem(last=False)
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
