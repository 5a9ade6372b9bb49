"""How long a delivery (or a chart) waits before its next try, and what a 429 asks for.

Shaped as slack_sdk's ``http_retry`` interval calculators and jitters (its own interfaces,
which its retry handlers take), but not its ``BackoffRetryIntervalCalculator``: that one has no
ceiling (with the worker's one-second factor, the tenth try would wait over eight minutes and
later ones hours), and its jitter adds up to one second, which spreads deliveries that failed
together (a 5xx storm) over one second whatever their interval. Here the interval is capped,
then "equal jitter" keeps a random half of it (the AWS article slack_sdk's docstring cites).

``Retry-After`` is read here and nowhere else: the worker pauses the method for it and requeues
the delivery after it (slack_sdk's own handler reads it only for direct calls, which keep it).
"""

from __future__ import annotations

import random
from typing import Any

from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter

BACKOFF_CAP = 300.0  # seconds: no retry waits longer than five minutes


class EqualJitter(Jitter):
    """Half the interval fixed, the other half random: retries that failed together spread out,
    and none comes back sooner than half its interval."""

    def recalculate(self, duration: float) -> float:
        return duration * random.uniform(0.5, 1.0)


class CappedBackoff(RetryIntervalCalculator):
    """``backoff_factor * 2 ** current_attempt`` seconds, at most ``cap``, then the jitter.
    ``current_attempt`` is zero-origin, as in slack_sdk: 0 before the first retry."""

    def __init__(
        self, *, backoff_factor: float, cap: float | None = BACKOFF_CAP, jitter: Jitter | None
    ) -> None:
        self.backoff_factor = backoff_factor
        self.cap = cap
        self.jitter = jitter

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        interval = self.backoff_factor * 2 ** max(0, current_attempt)
        if self.cap is not None:
            interval = min(self.cap, interval)
        return interval if self.jitter is None else self.jitter.recalculate(interval)


def retry_after(headers: Any) -> float:
    """Seconds from a 429's ``Retry-After`` header (at least one; one when unreadable). Header
    names are matched without case, and a header given as a list (slack_sdk's sync client)
    counts by its first value."""
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
        if isinstance(value, list):
            value = value[0] if value else None
    try:
        return max(1.0, float(value)) if value is not None else 1.0
    except ValueError:
        return 1.0
