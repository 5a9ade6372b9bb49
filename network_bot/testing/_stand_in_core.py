"""Small building blocks of the Slack stand-in: errors, call records, faults and rate limits.

Kept apart from the server so each piece can be read (and reasoned about) on its own.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Encoding = Literal["json", "form", "query", "raw"]
ParamsFilter = Callable[[dict[str, Any]], bool]


class ApiError(Exception):
    """A Slack Web API refusal: answered as ``{"ok": false, "error": ...}`` (HTTP 200 by default).

    Workspace operations raise it so the HTTP layer, the driver and tests share one vocabulary.
    """

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        messages: list[str] | None = None,
        block_kit: bool = False,
    ) -> None:
        super().__init__(error if not messages else f"{error}: {'; '.join(messages)}")
        self.error = error
        self.status = status
        self.messages = list(messages or [])
        self.block_kit = block_kit
        """True when Block Kit validation refused the content (recorded as a violation)."""

    def body(self) -> dict[str, Any]:
        """The JSON body Slack sends for this error; ``invalid_blocks`` also lists ``errors``
        without the ``[ERROR]`` prefix, as Slack does."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.error == "invalid_blocks" and self.messages:
            body["errors"] = [m.removeprefix("[ERROR] ") for m in self.messages]
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body


@dataclass(frozen=True, kw_only=True)
class Violation:
    """Content Slack would have refused: where it was sent, Slack's error and its messages."""

    where: str
    error: str
    messages: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: {self.error} {'; '.join(self.messages)}".strip()


@dataclass(kw_only=True)
class RecordedCall:
    """One request the stand-in answered, as tests want to assert on it.

    ``status`` is the HTTP status sent, or 0 when an injected fault dropped the connection.
    ``params`` never holds the token, so records are safe to print.
    """

    method: str
    params: dict[str, Any]
    encoding: Encoding
    status: int
    response: dict[str, Any] | None
    started: float
    finished: float
    injected: bool = False
    team_id: str | None = None  # whose token it came with (an org-wide token: the team acted in)

    @property
    def ok(self) -> bool:
        """Whether Slack would have called this a success."""
        return self.status == 200 and bool(self.response and self.response.get("ok"))


@dataclass(kw_only=True)
class Fault:
    """One injected misbehaviour; see ``SlackStandIn.inject``."""

    method: str
    times: int | None = 1
    status: int | None = None
    retry_after: int | None = None
    error: str | None = None
    delay: float | None = None
    drop: bool = False
    when: ParamsFilter | None = None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method != method or self.times == 0:
            return False
        return self.when is None or bool(self.when(params))

    def consume(self) -> None:
        if self.times is not None:
            self.times -= 1


@dataclass
class FaultQueue:
    """Injected faults, consumed first-in first-out per matching request."""

    faults: list[Fault] = field(default_factory=list)

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, params):
                fault.consume()
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()


class SlidingWindow:
    """Accepted calls within the last window; refuses once the budget is spent.

    A rate of ``r`` calls/second allows ``floor(r)`` calls in any 1-second window; rates below
    one allow a single call per ``1/r`` seconds, so slow tiers can be modelled too.
    """

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0:
            raise ValueError("a rate limit must be positive")
        self.budget = max(1, math.floor(per_second))
        self.window = 1.0 if per_second >= 1 else 1.0 / per_second
        self._clock = clock
        self._accepted: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._accepted and now - self._accepted[0] >= self.window:
            self._accepted.popleft()

    def retry_after(self) -> int | None:
        """Seconds to wait (Slack's whole-second ``Retry-After``), or None if a call fits now."""
        now = self._clock()
        self._trim(now)
        if len(self._accepted) < self.budget:
            return None
        wait = self._accepted[0] + self.window - now
        return max(1, math.ceil(wait))

    def accept(self) -> None:
        self._accepted.append(self._clock())


class RateLimiter:
    """Per-method workspace budgets plus Slack's per-channel ``chat.postMessage`` limit."""

    POST_MESSAGE = "chat.postMessage"

    def __init__(
        self, rate_limits: Mapping[str, float] | None, channel_post_rate: float | None
    ) -> None:
        self._methods: dict[str, SlidingWindow] = {
            method: SlidingWindow(rate) for method, rate in (rate_limits or {}).items()
        }
        self._channel_rate = channel_post_rate
        self._channels: dict[str, SlidingWindow] = {}

    def set_method(self, method: str, per_second: float | None) -> None:
        if per_second is None:
            self._methods.pop(method, None)
        else:
            self._methods[method] = SlidingWindow(per_second)

    def set_channel_rate(self, per_second: float | None) -> None:
        self._channel_rate = per_second
        self._channels.clear()

    def _windows(self, method: str, channel: str | None) -> list[SlidingWindow]:
        windows = [self._methods[method]] if method in self._methods else []
        if method == self.POST_MESSAGE and channel and self._channel_rate is not None:
            if channel not in self._channels:
                self._channels[channel] = SlidingWindow(self._channel_rate)
            windows.append(self._channels[channel])
        return windows

    def admit(self, method: str, *, channel: str | None = None) -> int | None:
        """Count the call and return None, or return Retry-After seconds without counting it."""
        windows = self._windows(method, channel)
        waits = [w for w in (window.retry_after() for window in windows) if w is not None]
        if waits:
            return max(waits)
        for window in windows:
            window.accept()
        return None
