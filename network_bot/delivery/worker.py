"""The delivery worker: sends what the outbox holds, within Slack's limits, and never loses it.

Rows are claimed (``sending``) in small batches, most urgent first, and sent concurrently behind
the per-channel and workspace pacers. A 429 waits the server's ``Retry-After`` for that
method only and costs no attempt; a 5xx, timeout or dropped connection backs off with jitter up
to the attempt limit; a permanent error fails the row at once; a revoked token pauses the worker
without failing anything. Every post carries its row ID in Slack message metadata, so after a
crash the rows left ``sending`` are looked up in the conversation instead of being sent again.

At the moment of sending (after the pacers, right before the call) the worker checks that the
row is still claimed and that every guard still wants it (a recalled alert's copies are not),
and asks Slack afresh whether a channel is shared with another organisation; a check that
cannot decide waits and tries again, it never lets the post through. Every way back to the queue
(a 429, a 5xx, a timeout, a stop) re-checks the same, so a recalled copy is never re-queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.channels import ChannelDirectory, ChannelUnreadable
from network_bot.clock import Clock
from network_bot.delivery.calls import METADATA_EVENT, call_slack
from network_bot.delivery.errors import AUTH, PERMANENT, retry_after
from network_bot.delivery.lookups import Guard, channel_to_check, find_posted, unwanted
from network_bot.delivery.ratelimit import Pacer, Pauses, PerKeyPacers
from network_bot.logs import describe_exception
from network_bot.store import outbox
from network_bot.store.db import Database, StorageError
from network_bot.store.outbox import Delivery, Operation, State

CHANNEL_INFO = "conversations.info"
METHODS = {
    Operation.POST: "chat.postMessage",
    Operation.UPDATE: "chat.update",
    Operation.DELETE: "chat.delete",
}
HEADROOM = 0.98
BACKOFF_CAP = 300.0
AUTH_PAUSE = 60.0

Observer = Callable[[Delivery], Awaitable[None]]


class DeliveryWorker:
    def __init__(
        self,
        *,
        db: Database,
        client: AsyncWebClient,
        clock: Clock,
        channels: ChannelDirectory,
        workspace_rate: float,
        channel_rate: float,
        max_attempts: int,
        concurrency: int,
        logger: logging.Logger,
        backoff: float = 1.0,
        poll_interval: float = 0.5,
    ) -> None:
        self._db = db
        self._client = client
        self._clock = clock
        self._channels = channels
        self._workspace = Pacer(rate=workspace_rate * HEADROOM)
        self._per_channel = PerKeyPacers(rate=channel_rate * HEADROOM)
        self._pauses = Pauses()
        self._max_attempts = max_attempts
        self._concurrency = concurrency
        self._log = logger
        self._poll = poll_interval
        self._backoff = backoff
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._started_calls: set[int] = set()
        self._observers: list[Observer] = []
        self._guards: list[Guard] = []
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._auth_failed = False

    # ------------------------------------------------------------------ the Worker protocol

    def on_delivered(self, observer: Observer) -> None:
        """Call ``observer`` once a row reaches a final state (sent, failed or cancelled)."""
        self._observers.append(observer)

    def add_guard(self, guard: Guard) -> None:
        """Ask ``guard`` about each row right before it is sent and before it is re-queued."""
        self._guards.append(guard)

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (Slack said the bot's token was revoked)."""
        for method in METHODS.values():
            self._pauses.pause(method, seconds)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        if self._loop_task is not None:
            return
        self._stopping = False
        await self._recover()
        self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="delivery")

    async def stop(self, *, grace: float) -> None:
        """Take no new rows; let sends in progress finish; give back rows not yet started."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        tasks = list(self._in_flight.values())
        if tasks:
            _done, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def is_idle(self) -> bool:
        if self._in_flight:
            return False
        return await outbox.due_count(self._db.read, now=self._clock.now()) == 0

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        while not self._stopping:
            try:
                claimed = await self._claim()
            except StorageError as error:
                self._log.warning("delivery could not claim rows: %s", type(error).__name__)
                claimed = 0
            if claimed == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)

    async def _claim(self) -> int:
        free = self._concurrency - len(self._in_flight)
        if free <= 0:
            await self._slots.acquire()  # wait for a send to finish
            self._slots.release()
            return 1
        async with self._db.transaction() as tx:
            rows = await outbox.claim_due(tx, now=self._clock.now(), limit=free)
        for row in rows:
            await self._slots.acquire()
            task = asyncio.get_running_loop().create_task(
                self._deliver(row), name=f"deliver.{row.id}"
            )
            self._in_flight[row.id] = task
            task.add_done_callback(functools.partial(self._done, row.id))
        return len(rows)

    def _done(self, row_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(row_id, None)
        self._started_calls.discard(row_id)
        self._slots.release()

    # ------------------------------------------------------------------ one row

    async def _deliver(self, row: Delivery) -> None:
        try:
            await self._attempt(row)
        except asyncio.CancelledError:
            if row.id not in self._started_calls:
                await self._release(row)  # never reached Slack: send it next time
            raise
        except StorageError as error:
            self._log.error("delivery %d: storage %s", row.id, type(error).__name__)
        except Exception as error:
            self._log.error("delivery %d failed: %s", row.id, describe_exception(error))
            await self._retry_later(row, "internal error")

    async def _attempt(self, row: Delivery) -> None:
        method = METHODS[row.operation]
        edited = None
        if row.operation is not Operation.POST:
            edited = await self._edited(row)
            if edited is None:
                return
        await self._pauses.wait(method)
        # The channel's pace first: a post queued behind others in one channel must not
        # hold a workspace slot that a DM elsewhere could use.
        channel_key = edited.channel_id if edited else row.target_id
        await self._per_channel.pacer(channel_key or row.target_id).acquire()
        await self._workspace.acquire()
        if not await self._may_go(row, edited):
            return
        self._started_calls.add(row.id)
        try:
            answer = await call_slack(self._client, row, edited)
        except SlackApiError as error:
            await self._failed_call(row, method, error)
            return
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            await self._retry_later(row, type(error).__name__, unsure=True)
            return
        self._auth_failed = False
        channel = str(answer.get("channel") or (edited.channel_id if edited else "") or "")
        ts = str(answer.get("ts") or (edited.ts if edited else "") or "")
        async with self._db.transaction() as tx:
            await outbox.mark_sent(
                tx,
                delivery_id=row.id,
                channel_id=channel or None,
                ts=ts or None,
                now=self._clock.now(),
            )
        await self._finished(row.id)

    async def _edited(self, row: Delivery) -> Delivery | None:
        """The delivered message an update/delete changes; None when handled without Slack."""
        target = await outbox.get(self._db.read, row.edits_id) if row.edits_id else None
        if target is None:
            await self._cancel(row, "the message to change does not exist")
            return None
        if target.state is State.SENT:
            return target
        if target.state is State.PENDING:
            async with self._db.transaction() as tx:
                if row.operation is Operation.UPDATE:
                    changed = await outbox.replace_payload_if_pending(
                        tx, delivery_id=target.id, payload=row.payload
                    )
                else:
                    changed = await outbox.cancel_if_pending(
                        tx, delivery_id=target.id, note="deleted before it was sent"
                    )
                if changed:
                    await outbox.mark_sent(
                        tx, delivery_id=row.id, channel_id=None, ts=None, now=self._clock.now()
                    )
            if changed:
                await self._finished(row.id)
                if row.operation is Operation.DELETE:
                    await self._finished(target.id)
                return None
            await self._retry_later(row, "the message was being sent", counts=False)
            return None
        if target.state is State.SENDING:
            await self._retry_later(row, "the message is being sent", counts=False, delay=1.0)
            return None
        await self._cancel(row, f"the message to change is {target.state.value}")
        return None

    async def _may_go(self, row: Delivery, edited: Delivery | None) -> bool:
        """The last word before the call: a channel shared with another organisation only if a
        coordinator chose it (asked of Slack now, not remembered), and only a row still wanted."""
        channel = channel_to_check(row, edited)
        if channel is not None:
            await self._pauses.wait(CHANNEL_INFO)
            try:
                info = await self._channels.lookup(channel)
            except SlackApiError as error:
                await self._failed_call(row, CHANNEL_INFO, error)
                return False
            except ChannelUnreadable:
                await self._retry_later(row, "channel_info_unreadable")
                return False
            except (aiohttp.ClientError, TimeoutError, OSError) as error:
                await self._retry_later(row, f"{CHANNEL_INFO} {type(error).__name__}")
                return False
            if info.is_ext_shared:
                self._log.warning(
                    "delivery %d refused: %s is shared with another organisation", row.id, channel
                )
                await self._fail(row, "shared_channel_refused")
                return False
        unwanted = await self._unwanted(row)
        if unwanted is not None:
            await self._drop(row, unwanted)
            return False
        return True

    async def _unwanted(self, row: Delivery) -> str | None:
        """Why this claimed row must not go out any more, or None."""
        return await unwanted(self._db.read, row, self._guards)

    async def _drop(self, row: Delivery, reason: str, *, unsure: bool = False) -> None:
        """Cancel a claimed row. ``unsure``: its call timed out or lost its connection, so
        Slack may have posted it all the same; look (after as long again) and, if it did,
        record it as sent so that observers withdraw it."""
        self._log.info("delivery %d not sent: %s", row.id, reason)
        async with self._db.transaction() as tx:
            await outbox.cancel_claimed(tx, delivery_id=row.id, note=reason)
        if unsure:
            await asyncio.sleep(float(self._client.timeout))
            found = await self._posted(row)
            if found is not None:
                await self._landed(row, found)
                return
        await self._finished(row.id)

    # ------------------------------------------------------------------ outcomes

    async def _failed_call(self, row: Delivery, method: str, error: SlackApiError) -> None:
        status = error.response.status_code
        code = str(error.response.get("error") or f"http_{status}")
        if status == 429 or code == "ratelimited":
            wait = retry_after(error.response.headers)
            self._pauses.pause(method, wait)
            self._log.info("delivery %d: %s throttled for %.0f s", row.id, method, wait)
            await self._retry_later(row, "ratelimited", counts=False, delay=wait)
        elif code in AUTH:
            if not self._auth_failed:
                self._log.error("Slack refused the bot token (%s); deliveries paused", code)
            self._auth_failed = True
            self._pauses.pause(method, AUTH_PAUSE)
            await self._retry_later(row, code, counts=False, delay=AUTH_PAUSE)
        elif status >= 500 or (
            code not in PERMANENT and code.startswith(("http_5", "internal", "fatal", "service"))
        ):
            await self._retry_later(row, code)
        elif code in PERMANENT:
            await self._fail(row, code)
        else:
            await self._retry_later(row, code)

    async def _retry_later(
        self,
        row: Delivery,
        error: str,
        *,
        counts: bool = True,
        delay: float | None = None,
        unsure: bool = False,
    ) -> None:
        unwanted = await self._unwanted(row)
        if unwanted is not None:
            await self._drop(row, unwanted, unsure=unsure)
            return
        if counts and row.attempts >= self._max_attempts:
            await self._fail(row, f"gave up after {row.attempts} attempts: {error}")
            return
        if delay is None:
            backoff = min(BACKOFF_CAP, self._backoff * 2 ** max(0, row.attempts - 1))
            delay = backoff * random.uniform(0.5, 1.0)
        async with self._db.transaction() as tx:
            queued = await outbox.reschedule(
                tx,
                delivery_id=row.id,
                at=self._clock.now() + timedelta(seconds=delay),
                error=error,
                counts_as_attempt=counts,
            )
        if not queued:  # cancelled between the check and now: it stays cancelled
            await self._finished(row.id)
            return
        self._wake_after(delay)

    def _wake_after(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        loop.call_later(delay, self._wake.set)

    async def _release(self, row: Delivery) -> None:
        async with self._db.transaction() as tx:
            await outbox.reschedule(
                tx,
                delivery_id=row.id,
                at=self._clock.now(),
                error="released at shutdown",
                counts_as_attempt=False,
            )

    async def _fail(self, row: Delivery, error: str) -> None:
        async with self._db.transaction() as tx:
            await outbox.mark_failed(tx, delivery_id=row.id, error=error, now=self._clock.now())
        self._log.info("delivery %d failed: %s", row.id, error)
        await self._finished(row.id)

    async def _cancel(self, row: Delivery, note: str) -> None:
        async with self._db.transaction() as tx:
            await outbox.cancel_claimed(tx, delivery_id=row.id, note=note)
        await self._finished(row.id)

    async def _finished(self, row_id: int) -> None:
        if not self._observers:
            return
        final = await outbox.get(self._db.read, row_id)
        if final is None:
            return
        for observer in self._observers:
            try:
                await observer(final)
            except Exception as error:
                self._log.error("delivery observer failed: %s", describe_exception(error))

    # ------------------------------------------------------------------ after a crash

    async def _recover(self) -> None:
        """Rows left ``sending`` by a crash: find them in Slack before deciding to resend."""
        stranded = await outbox.in_state(self._db.read, State.SENDING)
        for row in stranded:
            found = await self._posted(row)
            if found is not None:
                await self._landed(row, found)
                continue
            unwanted = await self._unwanted(row)
            if unwanted is not None:
                await self._drop(row, unwanted)
                continue
            async with self._db.transaction() as tx:
                await outbox.reschedule(
                    tx,
                    delivery_id=row.id,
                    at=self._clock.now(),
                    error="re-sent after a restart",
                    counts_as_attempt=False,
                )
        if stranded:
            self._log.info("re-checked %d delivery(ies) interrupted by a restart", len(stranded))

    async def _posted(self, row: Delivery) -> tuple[str, str] | None:
        """Where Slack shows this post (by its metadata), when the bot could not tell."""
        if row.operation is not Operation.POST:
            return None
        try:
            return await find_posted(self._client, row, event_type=METADATA_EVENT)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as error:
            self._log.warning("could not re-check delivery %d: %s", row.id, type(error).__name__)
            return None

    async def _landed(self, row: Delivery, found: tuple[str, str]) -> None:
        async with self._db.transaction() as tx:
            await outbox.mark_sent(
                tx, delivery_id=row.id, channel_id=found[0], ts=found[1], now=self._clock.now()
            )
        await self._finished(row.id)  # e.g. a recalled alert's copy is withdrawn
