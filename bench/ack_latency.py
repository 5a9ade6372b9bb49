"""Ack latency of ``/network help`` under 50 concurrent requests, next to a bare bolt app.

Both apps run as their own processes in HTTP mode against the Slack stand-in, and are fired
2,000 signed slash commands from this process. Also prints the bot's idle resident memory and
the CPU time each app spent per request (which other load on a shared machine does not inflate,
as it does the latencies).

    python bench/ack_latency.py [--requests 2000] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from _common import (
    cpu_seconds,
    free_port,
    percentile,
    rss_mb,
    start_child,
    stop_child,
    summary_ms,
    wait_for_http,
)

from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import bot_command, bot_environment
from network_bot.testing.stand_in import SlackStandIn

USER = "U0BENCH001"


async def fire(
    driver: SlackDriver, *, requests: int, concurrency: int, text: str = "help"
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def worker() -> None:
        nonlocal errors
        while not queue.empty():
            queue.get_nowait()
            started = time.perf_counter()
            response = await driver.command(USER, "/network", text, channel_id="C0GENERAL")
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


async def measure(
    name: str,
    args: list[str],
    env: dict[str, str],
    port: int,
    stand_in: SlackStandIn,
    requests: int,
    concurrency: int,
    health: str,
    text: str,
) -> tuple[list[float], float, float]:
    child = start_child(args, env)
    try:
        await wait_for_http(f"http://127.0.0.1:{port}{health}", child)
        idle = rss_mb(child.pid)
        driver = SlackDriver(
            endpoint=f"http://127.0.0.1:{port}/slack/events",
            signing_secret=SIGNING_SECRET,
            stand_in=stand_in,
        )
        try:
            await fire(driver, requests=50, concurrency=10, text=text)  # warm-up
            cpu_before = cpu_seconds(child.pid)
            latencies, errors = await fire(
                driver, requests=requests, concurrency=concurrency, text=text
            )
            cpu_ms = (cpu_seconds(child.pid) - cpu_before) / requests * 1000
        finally:
            await driver.close()
        after = rss_mb(child.pid)
    finally:
        stop_child(child)
    print(f"{name:<26} {summary_ms(latencies)}  errors {errors}  CPU/request {cpu_ms:.2f} ms")
    return latencies, idle, after


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--text",
        default="help",
        help="what follows /network (help, me, language, ...); the bare app acks any of them",
    )
    options = parser.parse_args()
    async with SlackStandIn() as stand_in:
        stand_in.add_user(USER, "bench", real_name="Bench Member")
        stand_in.add_channel("C0GENERAL", "general")
        with tempfile.TemporaryDirectory() as tmp:
            env = bot_environment(stand_in, Path(tmp) / "bench.sqlite3")
            print(
                f"{options.requests} signed /network {options.text} requests, "
                f"{options.concurrency} concurrent, HTTP mode, each app in its own process\n"
            )
            bot_port, bare_port = free_port(), free_port()
            bot, idle, after = await measure(
                "network-bot",
                bot_command(bot_port),
                env,
                bot_port,
                stand_in,
                options.requests,
                options.concurrency,
                "/healthz",
                options.text,
            )
            bare, bare_idle, _ = await measure(
                "bare bolt AsyncApp",
                ["bench/bare_bolt_app.py", str(bare_port)],
                env,
                bare_port,
                stand_in,
                options.requests,
                options.concurrency,
                "/slack/events",
                options.text,
            )
    ratio = percentile(bot, 99) / percentile(bare, 99)
    print()
    print(f"p99 ratio network-bot / bare bolt: {ratio:.2f}x   (target: p99 < 50 ms, ratio <= 1.5x)")
    print(
        f"network-bot resident memory: idle {idle:.1f} MB, after the load {after:.1f} MB "
        f"(target: idle < 100 MB); bare bolt app idle {bare_idle:.1f} MB"
    )


if __name__ == "__main__":
    asyncio.run(main())
