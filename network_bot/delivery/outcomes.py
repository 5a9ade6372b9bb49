"""What becomes of a claimed delivery: sent, retried later, failed, cancelled or dropped, and, after
a crash or a call whose outcome is unknown, whether Slack shows it already.

Every way back to the queue re-checks that the delivery is still wanted (its guards, still claimed),
so a recalled alert's delivery is never re-queued; a 429 pauses that method in that workspace only;
a refused token pauses that workspace only and is read again from its install next time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import aiohttp
from slack_sdk.errors import SlackApiError

from network_bot.clock import Clock
from network_bot.delivery.calls import METADATA_EVENT
from network_bot.delivery.errors import AUTH, PERMANENT
from network_bot.delivery.lanes import Lanes
from network_bot.delivery.lookups import Guard, find_posted, unwanted
from network_bot.delivery.retry import CappedBackoff, retry_after
from network_bot.logs import describe_exception
from network_bot.oauth.clients import WorkspaceClients, WorkspaceUnavailable
from network_bot.store import outbox
from network_bot.store.db import Database
from network_bot.store.outbox import Delivery, Operation, State

AUTH_PAUSE = 60.0


class RowOutcomes:
    """The delivery worker's bookkeeping of outcomes (its state is set by the worker)."""

    _db: Database
    _clock: Clock
    _clients: WorkspaceClients
    _lanes: Lanes
    _log: logging.Logger
    _observers: list[Callable[[Delivery], Awaitable[None]]]
    _guards: list[Guard]
    _max_attempts: int
    _backoff: CappedBackoff
    _wake: asyncio.Event

    async def _unwanted(self, delivery: Delivery) -> str | None:
        """Why this claimed delivery must not go out any more, or None."""
        return await unwanted(self._db.read, delivery, self._guards)

    async def _drop(self, delivery: Delivery, reason: str, *, unsure: bool = False) -> None:
        """Cancel a claimed delivery. ``unsure``: its call timed out or lost its connection, so
        Slack may have posted it all the same; look (after as long again) and, if it did,
        record it as sent so that observers hear of it (a recalled alert's becomes a recall
        note)."""
        self._log.info("delivery %d not sent: %s", delivery.id, reason)
        async with self._db.transaction() as tx:
            await outbox.cancel_claimed(tx, delivery_id=delivery.id, note=reason)
        if unsure:
            await asyncio.sleep(float(self._clients.timeout))
            found = await self._posted(delivery)
            if found is not None:
                await self._landed(delivery, found)
                return
        await self._finished(delivery.id)

    # ------------------------------------------------------------------ outcomes

    async def _failed_call(self, delivery: Delivery, method: str, error: SlackApiError) -> None:
        status = error.response.status_code
        code = str(error.response.get("error") or f"http_{status}")
        lane = delivery.workspace_id
        if status == 429 or code == "ratelimited":
            wait = retry_after(error.response.headers)
            self._lanes.pauses.pause(Lanes.method(lane, method), wait)
            self._log.info("delivery %d: %s throttled for %.0f s", delivery.id, method, wait)
            await self._retry_later(delivery, "ratelimited", counts=False, delay=wait)
        elif code in AUTH:
            if lane not in self._lanes.auth_failed:
                self._log.error("Slack refused the token of %s (%s); paused", lane or "home", code)
            self._lanes.auth_failed.add(lane)
            self._clients.tokens.forget(lane)  # a rotated or new install's token is read again
            self._lanes.pauses.pause(Lanes.method(lane, method), AUTH_PAUSE)
            await self._retry_later(delivery, code, counts=False, delay=AUTH_PAUSE)
        elif status >= 500 or (
            code not in PERMANENT and code.startswith(("http_5", "internal", "fatal", "service"))
        ):
            await self._retry_later(delivery, code)
        elif code in PERMANENT:
            await self._fail(delivery, code)
        else:
            await self._retry_later(delivery, code)

    async def _retry_later(
        self,
        delivery: Delivery,
        error: str,
        *,
        counts: bool = True,
        delay: float | None = None,
        unsure: bool = False,
    ) -> None:
        unwanted = await self._unwanted(delivery)
        if unwanted is not None:
            await self._drop(delivery, unwanted, unsure=unsure)
            return
        if counts and delivery.attempts >= self._max_attempts:
            await self._fail(delivery, f"gave up after {delivery.attempts} attempts: {error}")
            return
        if delay is None:
            delay = self._backoff.calculate_sleep_duration(delivery.attempts - 1)
        async with self._db.transaction() as tx:
            queued = await outbox.reschedule(
                tx,
                delivery_id=delivery.id,
                at=self._clock.now() + timedelta(seconds=delay),
                error=error,
                counts_as_attempt=counts,
            )
        if not queued:  # cancelled between the check and now: it stays cancelled
            await self._finished(delivery.id)
            return
        self._wake_after(delay)

    def _wake_after(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        loop.call_later(delay, self._wake.set)

    async def _release(self, delivery: Delivery) -> None:
        async with self._db.transaction() as tx:
            await outbox.reschedule(
                tx,
                delivery_id=delivery.id,
                at=self._clock.now(),
                error="released at shutdown",
                counts_as_attempt=False,
            )

    async def _fail(self, delivery: Delivery, error: str) -> None:
        async with self._db.transaction() as tx:
            await outbox.mark_failed(
                tx, delivery_id=delivery.id, error=error, now=self._clock.now()
            )
        self._log.info("delivery %d failed: %s", delivery.id, error)
        await self._finished(delivery.id)

    async def _cancel(self, delivery: Delivery, note: str) -> None:
        async with self._db.transaction() as tx:
            await outbox.cancel_claimed(tx, delivery_id=delivery.id, note=note)
        await self._finished(delivery.id)

    async def _finished(self, delivery_id: int) -> None:
        if not self._observers:
            return
        final = await outbox.get(self._db.read, delivery_id)
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
        for delivery in stranded:
            found = await self._posted(delivery)
            if found is not None:
                await self._landed(delivery, found)
                continue
            unwanted = await self._unwanted(delivery)
            if unwanted is not None:
                await self._drop(delivery, unwanted)
                continue
            async with self._db.transaction() as tx:
                await outbox.reschedule(
                    tx,
                    delivery_id=delivery.id,
                    at=self._clock.now(),
                    error="re-sent after a restart",
                    counts_as_attempt=False,
                )
        if stranded:
            self._log.info("re-checked %d delivery(ies) interrupted by a restart", len(stranded))

    async def _posted(self, delivery: Delivery) -> tuple[str, str] | None:
        """Where Slack shows this post (by its metadata), when the bot could not tell."""
        if delivery.operation is not Operation.POST:
            return None
        try:
            client = await self._clients.client(delivery.workspace_id)
            return await find_posted(client, delivery, event_type=METADATA_EVENT)
        except (
            SlackApiError,
            WorkspaceUnavailable,
            aiohttp.ClientError,
            TimeoutError,
            OSError,
        ) as error:
            self._log.warning(
                "could not re-check delivery %d: %s", delivery.id, type(error).__name__
            )
            return None

    async def _landed(self, delivery: Delivery, found: tuple[str, str]) -> None:
        async with self._db.transaction() as tx:
            await outbox.mark_sent(
                tx, delivery_id=delivery.id, channel_id=found[0], ts=found[1], now=self._clock.now()
            )
        await self._finished(delivery.id)  # e.g. a recalled alert's becomes a recall note
