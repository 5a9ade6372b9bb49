"""The pacer never lets a window's worth of calls be in flight or answered within one second, so
arrivals at Slack cannot bunch into a 429, however late the calls are sent after booking."""

from __future__ import annotations

import asyncio
import time

from network_bot.delivery.ratelimit import WINDOW, Pacer
from network_bot.testing._stand_in_core import SlidingWindow

LIMIT = 10


async def test_a_stall_between_booking_and_sending_never_bunches_arrivals() -> None:
    pacer = Pacer(rate=LIMIT, limit=LIMIT)
    slack = SlidingWindow(LIMIT)  # the stand-in's own rule: floor(rate) per second
    refused = 0

    async def call(n: int) -> None:
        nonlocal refused
        async with pacer.slot():
            if n % 7 == 0:
                await asyncio.sleep(0.12)  # the loop stalled after booking, before sending
            if slack.retry_after() is not None:
                refused += 1
            else:
                slack.accept()
            await asyncio.sleep(0.005)  # the round trip

    started = time.monotonic()
    await asyncio.gather(*(call(n) for n in range(35)))
    elapsed = time.monotonic() - started
    assert refused == 0
    assert elapsed < 35 / LIMIT + 1.0, "still close to the limit"


async def test_calls_in_flight_hold_the_next_one() -> None:
    pacer = Pacer(rate=1000, limit=3)
    for _ in range(3):
        await pacer.acquire()  # three calls, none answered yet
    fourth = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0.05)
    assert not fourth.done(), "three in flight: the window is full"
    pacer.release()
    await asyncio.sleep(0.05)
    assert not fourth.done(), "answered just now: it counts for a window"
    await asyncio.wait_for(fourth, timeout=WINDOW + 0.5)


async def test_a_pacer_without_a_limit_only_keeps_its_schedule() -> None:
    pacer = Pacer(rate=50)
    started = time.monotonic()
    for _ in range(10):
        async with pacer.slot():
            pass
    assert time.monotonic() - started < 0.5
