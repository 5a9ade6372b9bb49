"""The delivery worker: sends what the outbox holds, within Slack's limits, and never loses it.

Deliveries are claimed (``sending``) in small batches, most urgent first, and sent concurrently
behind the per-channel and workspace pacers. A 429 waits the server's ``Retry-After`` for that
method only and costs no attempt; a 5xx, timeout or dropped connection backs off with jitter up
to the attempt limit (``retry.py``); a permanent error fails the delivery at once; a revoked token
pauses the worker without failing anything. Every post carries its delivery ID in Slack message
metadata, so after a crash the deliveries left ``sending`` are looked up in the conversation
instead of being sent again.

At the moment of sending (after the pacers, right before the call) the worker checks that the
delivery is still claimed and that every guard still wants it (a recalled alert's are not),
and asks Slack afresh whether a channel is shared with another organisation; a check that
cannot decide waits and tries again, it never lets the post through. Every way back to the queue
(a 429, a 5xx, a timeout, a stop) re-checks the same, so a recalled alert's is never re-queued.

Each delivery goes out with its own workspace's token, in that workspace's lane (its pacers, pauses
and share of the concurrency: ``lanes.py``), and only to a workspace the network approved.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError

from network_bot.channels import ChannelDirectory, ChannelUnreadable
from network_bot.clock import Clock
from network_bot.delivery.calls import call_slack
from network_bot.delivery.lanes import Lanes
from network_bot.delivery.lookups import Guard, channel_to_check
from network_bot.delivery.outcomes import AUTH_PAUSE, RowOutcomes
from network_bot.delivery.retry import CappedBackoff, EqualJitter
from network_bot.logs import describe_exception
from network_bot.oauth.clients import WorkspaceClients, WorkspaceUnavailable
from network_bot.store import outbox
from network_bot.store.db import Database, StorageError
from network_bot.store.outbox import Delivery, Operation, State

CHANNEL_INFO = "conversations.info"
METHODS = {
    Operation.POST: "chat.postMessage",
    Operation.UPDATE: "chat.update",
    Operation.DELETE: "chat.delete",
}
HEADROOM = 1.0  # pace at the limit: the window guard (ratelimit.py) rules out 429s

Observer = Callable[[Delivery], Awaitable[None]]
Admission = Callable[[str], Awaitable[bool | None]]  # is this workspace in the network now?
Network = Callable[[], Awaitable[set[str]]]  # the workspaces whose lanes to keep asking
LOOK_AROUND = 5.0  # seconds between looks for deliveries of workspaces outside the network


class DeliveryWorker(RowOutcomes):
    def __init__(
        self,
        *,
        db: Database,
        clients: WorkspaceClients,
        clock: Clock,
        channels: ChannelDirectory,
        admitted: Admission,
        network: Network,
        workspace_rate: float,
        channel_rate: float,
        max_attempts: int,
        concurrency: int,
        logger: logging.Logger,
        backoff: float = 1.0,
        poll_interval: float = 0.5,
    ) -> None:
        self._db = db
        self._clients = clients
        self._clock = clock
        self._channels = channels
        self._admitted = admitted
        self._network = network
        self._lanes = Lanes(
            workspace_rate=workspace_rate,
            channel_rate=channel_rate,
            concurrency=concurrency,
            headroom=HEADROOM,
        )
        self._known: set[str] = {""}  # workspaces with deliveries seen, beside the network's own
        self._looked_at = float("-inf")
        self._max_attempts = max_attempts
        self._concurrency = concurrency
        self._log = logger
        self._poll = poll_interval
        self._backoff = CappedBackoff(backoff_factor=backoff, jitter=EqualJitter())
        self._wake = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._started_calls: set[int] = set()
        self._observers: list[Observer] = []
        self._guards: list[Guard] = []
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    # ------------------------------------------------------------------ the Worker protocol

    def on_finished(self, observer: Observer) -> None:
        """Call ``observer`` once a delivery is finished: sent, failed or cancelled."""
        self._observers.append(observer)

    def add_guard(self, guard: Guard) -> None:
        """Ask ``guard`` about each delivery right before it is sent and before it is re-queued."""
        self._guards.append(guard)

    def pause(self, seconds: float, *, workspace: str = "") -> None:
        """Send nothing to ``workspace`` for ``seconds`` (Slack said its token was revoked)."""
        for method in (*METHODS.values(), CHANNEL_INFO):
            self._lanes.pauses.pause(Lanes.method(workspace, method), seconds)

    def wake(self) -> None:
        self._lanes.wake()
        self._wake.set()

    async def start(self) -> None:
        if self._loop_task is not None:
            return
        self._stopping = False
        await self._recover()
        self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="delivery")

    async def stop(self, *, grace: float) -> None:
        """Take no new deliveries; let sends in progress finish; give back those not started."""
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
                self._log.warning("delivery could not claim deliveries: %s", type(error).__name__)
                claimed = 0
            if claimed == 0:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)
                except TimeoutError:
                    self._lanes.wake()

    async def _claim(self) -> int:
        """Claim due deliveries lane by lane, each up to its free share, most urgent first: the
        network's workspaces, and now and then any other with deliveries waiting (for a workspace
        that left, which the admission check then cancels)."""
        now = time.monotonic()
        if now - self._looked_at > LOOK_AROUND:
            self._looked_at = now
            self._known |= await outbox.due_workspaces(self._db.read, now=self._clock.now())
        lanes = self._lanes.candidates(self._known | await self._network())
        if not lanes:
            return 0
        async with self._db.transaction() as tx:
            deliveries = await self._lanes.claim(tx, lanes, now=self._clock.now())
        for delivery in deliveries:
            self._lanes.take(delivery.workspace_id)
            task = asyncio.get_running_loop().create_task(
                self._deliver(delivery), name=f"deliver.{delivery.id}"
            )
            self._in_flight[delivery.id] = task
            task.add_done_callback(
                functools.partial(self._done, delivery.id, delivery.workspace_id)
            )
        return len(deliveries)

    def _done(self, delivery_id: int, workspace: str, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(delivery_id, None)
        self._started_calls.discard(delivery_id)
        self._lanes.give(workspace)
        self._wake.set()

    # ------------------------------------------------------------------ one delivery

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            await self._attempt(delivery)
        except asyncio.CancelledError:
            if delivery.id not in self._started_calls:
                await self._release(delivery)  # never reached Slack: send it next time
            raise
        except StorageError as error:
            self._log.error("delivery %d: storage %s", delivery.id, type(error).__name__)
        except Exception as error:
            self._log.error("delivery %d failed: %s", delivery.id, describe_exception(error))
            await self._retry_later(delivery, "internal error")

    async def _attempt(self, delivery: Delivery) -> None:
        method, lane = METHODS[delivery.operation], delivery.workspace_id
        admitted = await self._admitted(lane)
        if not admitted:  # nothing reaches a workspace the network has not approved
            if admitted is None:
                await self._retry_later(delivery, "workspace standing unknown", counts=False)
            else:
                self._log.warning("delivery %d cancelled: %s is not approved", delivery.id, lane)
                await self._cancel(delivery, "workspace not part of the network")
            return
        edited = None
        if delivery.operation is not Operation.POST:
            edited = await self._edited(delivery)
            if edited is None:
                return
        try:
            client = await self._clients.client(lane)
        except WorkspaceUnavailable as error:
            self._log.warning("delivery %d waits: %s", delivery.id, error)
            await self._retry_later(
                delivery, "workspace_unavailable", counts=False, delay=AUTH_PAUSE
            )
            return
        await self._lanes.pauses.wait(Lanes.method(lane, method))
        # The channel's pace first: a post queued behind others in one channel must not
        # hold a workspace slot that a DM elsewhere could use.
        channel_key = edited.channel_id if edited else delivery.target_id
        failure: Exception | None = None
        async with (
            self._lanes.channel(lane, channel_key or delivery.target_id).slot(),
            self._lanes.pacer(lane, method).slot(),
        ):
            if not await self._may_go(delivery, edited):
                return
            self._started_calls.add(delivery.id)
            try:
                answer = await call_slack(client, delivery, edited)
            except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as error:
                failure = error
        if isinstance(failure, SlackApiError):
            await self._failed_call(delivery, method, failure)
            return
        if failure is not None:
            await self._retry_later(delivery, type(failure).__name__, unsure=True)
            return
        self._lanes.auth_failed.discard(lane)
        channel = str(answer.get("channel") or (edited.channel_id if edited else "") or "")
        ts = str(answer.get("ts") or (edited.ts if edited else "") or "")
        async with self._db.transaction() as tx:
            await outbox.mark_sent(
                tx,
                delivery_id=delivery.id,
                channel_id=channel or None,
                ts=ts or None,
                now=self._clock.now(),
            )
        await self._finished(delivery.id)

    async def _edited(self, delivery: Delivery) -> Delivery | None:
        """The delivered message an update/delete changes; None when handled without Slack."""
        target = await outbox.get(self._db.read, delivery.edits_id) if delivery.edits_id else None
        if target is None:
            await self._cancel(delivery, "the message to change does not exist")
            return None
        if target.state is State.SENT:
            return target
        if target.state is State.PENDING:
            async with self._db.transaction() as tx:
                if delivery.operation is Operation.UPDATE:
                    changed = await outbox.replace_payload_if_pending(
                        tx, delivery_id=target.id, payload=delivery.payload
                    )
                else:
                    changed = await outbox.cancel_if_pending(
                        tx, delivery_id=target.id, note="deleted before it was sent"
                    )
                if changed:
                    await outbox.mark_sent(
                        tx, delivery_id=delivery.id, channel_id=None, ts=None, now=self._clock.now()
                    )
            if changed:
                await self._finished(delivery.id)
                if delivery.operation is Operation.DELETE:
                    await self._finished(target.id)
                return None
            await self._retry_later(delivery, "the message was being sent", counts=False)
            return None
        if target.state is State.SENDING:
            await self._retry_later(delivery, "the message is being sent", counts=False, delay=1.0)
            return None
        await self._cancel(delivery, f"the message to change is {target.state.value}")
        return None

    async def _may_go(self, delivery: Delivery, edited: Delivery | None) -> bool:
        """The last word before the call: a channel shared with another organisation only if a
        coordinator chose it (asked of Slack now, not remembered), and only one still wanted."""
        channel = channel_to_check(delivery, edited)
        if channel is not None:
            await self._lanes.pauses.wait(Lanes.method(delivery.workspace_id, CHANNEL_INFO))
            try:
                info = await self._channels.lookup(channel, workspace_id=delivery.workspace_id)
            except SlackApiError as error:
                await self._failed_call(delivery, CHANNEL_INFO, error)
                return False
            except ChannelUnreadable:
                await self._retry_later(delivery, "channel_info_unreadable")
                return False
            except (aiohttp.ClientError, TimeoutError, OSError, WorkspaceUnavailable) as error:
                await self._retry_later(delivery, f"{CHANNEL_INFO} {type(error).__name__}")
                return False
            if info.is_ext_shared:
                self._log.warning(
                    "delivery %d refused: %s is shared with another organisation",
                    delivery.id,
                    channel,
                )
                await self._fail(delivery, "shared_channel_refused")
                return False
        unwanted = await self._unwanted(delivery)
        if unwanted is not None:
            await self._drop(delivery, unwanted)
            return False
        return True
