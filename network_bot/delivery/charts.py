"""The chart uploader: draws each queued chart in a worker process and uploads it to Slack.

matplotlib holds the interpreter while it draws (a few hundred milliseconds a chart), so it
runs in a one-process pool: the event loop, and every ack, never waits for it. Uploads use
``files.uploadV2`` (``files.getUploadURLExternal``, the bytes, ``files.completeUploadExternal``)
with the chart's alt text, every word in the reader's language. A job is tried up to
``max_attempts`` times; a retry first looks in the conversation for the file by its unique
name, so a crash after Slack took it does not post it twice. A chart is never posted into a
channel shared with another organisation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import aiohttp
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot import chart_words
from network_bot.channels import ChannelDirectory, ChannelUnreadable
from network_bot.charts import ChartData, ChartSize, ChartWords, render_png
from network_bot.clock import Clock
from network_bot.delivery.errors import AUTH, PERMANENT
from network_bot.delivery.retry import CappedBackoff
from network_bot.delivery.worker import Admission
from network_bot.i18n import Catalogue
from network_bot.logs import describe_exception
from network_bot.oauth.clients import WorkspaceClients, WorkspaceUnavailable
from network_bot.services.charting import Charts, ChartSpec
from network_bot.store import campaign as store
from network_bot.store import members
from network_bot.store.campaign import ChartJob
from network_bot.store.db import Database, StorageError

SIZES = {"slack": ChartSize.SLACK, "social": ChartSize.SOCIAL}


class ChartRenderer:
    """A pool of one worker process for drawing; started on the first chart, not before."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, data: ChartData, words: ChartWords, size: ChartSize) -> bytes:
        if self._pool is None:
            # "spawn": a fresh interpreter, never a fork of a process with running threads.
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, render_png, data, words, size
        )

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


class ChartUploader:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        clients: WorkspaceClients,
        admitted: Admission,
        charts: Charts,
        channels: ChannelDirectory,
        catalogue: Catalogue,
        logger: logging.Logger,
        renderer: ChartRenderer | None = None,
        poll_interval: float = 5.0,
        max_attempts: int = 5,
        backoff: float = 30.0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._clients = clients
        self._admitted = admitted
        self._charts = charts
        self._channels = channels
        self._catalogue = catalogue
        self._log = logger
        self._renderer = renderer or ChartRenderer()
        self._poll = poll_interval
        self._max_attempts = max_attempts
        self._backoff = CappedBackoff(backoff_factor=backoff, cap=None, jitter=None)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._idle = asyncio.Event()
        self._idle.set()

    # ------------------------------------------------------------------ the Worker protocol

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="charts")

    async def stop(self, *, grace: float) -> None:
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout=grace)
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._renderer.close()

    async def is_idle(self) -> bool:
        if self._busy:
            return False
        return await store.due_charts(self._db.read, now=self._clock.now()) == 0

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        while True:
            try:
                worked = await self.upload_due()
            except StorageError as error:
                self._log.warning("charts could not be claimed: %s", type(error).__name__)
                worked = 0
            if not worked:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)

    async def upload_due(self) -> int:
        """Upload every chart that is due; return how many were tried."""
        tried = 0
        while True:
            self._busy = True
            self._idle.clear()
            try:
                async with self._db.transaction() as tx:
                    job = await store.claim_chart(tx, now=self._clock.now())
                if job is None:
                    return tried
                tried += 1
                await self._one(job)
            finally:
                self._busy = False
                self._idle.set()

    async def _one(self, job: ChartJob) -> None:
        try:
            spec = ChartSpec.model_validate(job.spec)
        except ValidationError:
            await self._finish(job, error="unreadable chart job")
            return
        try:
            file_id = await self._upload(job, spec)
        except SlackApiError as error:
            code = str(error.response.get("error") or f"http_{error.response.status_code}")
            final = code in PERMANENT or job.attempts >= self._max_attempts
            if code in AUTH:
                self._log.error("Slack refused the bot token (%s) for a chart", code)
            await self._finish(job, error=code, retry=not final)
            return
        except (aiohttp.ClientError, TimeoutError, OSError, SlackRequestError) as error:
            await self._finish(
                job, error=type(error).__name__, retry=job.attempts < self._max_attempts
            )
            return
        except Exception as error:
            self._log.error("chart %d failed: %s", job.id, describe_exception(error))
            await self._finish(job, error="internal error", retry=job.attempts < self._max_attempts)
            return
        if file_id is None:
            return
        await self._finish(job, file_id=file_id)

    async def _workspace(self, job: ChartJob) -> str | None:
        """Whose token shares the chart: a person's own workspace, else the home one; None
        (and the job finished) for a workspace that is not part of the network."""
        workspace = ""
        if job.target_id.startswith(("U", "W")):
            member = await members.get(self._db.read, job.target_id)
            workspace = (member.workspace_id or "") if member else ""
        admitted = await self._admitted(workspace)
        if admitted is None:
            raise OSError("workspace standing unknown")
        if not admitted:
            await self._finish(job, error="workspace not part of the network")
            return None
        return workspace

    async def _upload(self, job: ChartJob, spec: ChartSpec) -> str | None:
        workspace = await self._workspace(job)
        if workspace is None:
            return None
        try:
            client = await self._clients.client(workspace)
        except WorkspaceUnavailable:
            raise OSError("workspace_unavailable") from None
        channel = await self._conversation(client, job, workspace)
        if channel is None:
            return None
        filename = spec.filename(job.id)
        if job.attempts > 1:
            found = await self._already_there(client, channel, filename)
            if found:
                return found
        # Words in the reader's language (a channel's chart in the network's), drawn as text.
        lang = self._catalogue.get(spec.language)
        data = await self._charts.data(spec)
        words = chart_words.words(data, lang, day=spec.day)
        png = await self._renderer.render(data, words, SIZES[spec.size])
        alt = chart_words.alt_text(data, lang)
        answer = await client.files_upload_v2(
            channel=channel,
            content=png,
            filename=filename,
            title=words.title,
            alt_txt=alt,
            initial_comment=chart_words.comment(spec.kind, lang, alt=alt),
        )
        file = answer.get("file") or {}
        return str(file.get("id") or "uploaded")

    async def _conversation(
        self, client: AsyncWebClient, job: ChartJob, workspace: str
    ) -> str | None:
        """The channel to share into: a user's DM, or a channel not shared outside."""
        if job.target_id.startswith(("U", "W")):
            opened = await client.conversations_open(users=job.target_id)
            return str(opened["channel"]["id"])
        try:
            # Asked now, not remembered: a channel may have been shared since the last chart.
            # Slack's errors reach the caller, which retries or gives up; none lets it through.
            info = await self._channels.lookup(job.target_id, workspace_id=workspace)
        except ChannelUnreadable:
            raise OSError("channel_info_unreadable") from None
        except WorkspaceUnavailable:
            raise OSError("workspace_unavailable") from None
        if info.is_ext_shared:
            self._log.warning("chart %d refused: %s is shared outside", job.id, job.target_id)
            await self._finish(job, error="shared_channel_refused")
            return None
        return job.target_id

    async def _already_there(
        self, client: AsyncWebClient, channel: str, filename: str
    ) -> str | None:
        history = await client.conversations_history(channel=channel, limit=200)
        for message in history.get("messages") or []:
            for file in message.get("files") or []:
                if file.get("name") == filename:
                    return str(file.get("id"))
        return None

    async def _finish(
        self,
        job: ChartJob,
        *,
        file_id: str | None = None,
        error: str | None = None,
        retry: bool = False,
    ) -> None:
        now = self._clock.now()
        wait = self._backoff.calculate_sleep_duration(job.attempts - 1)
        retry_at = now + timedelta(seconds=wait) if retry else None
        async with self._db.transaction() as tx:
            await store.finish_chart(
                tx, job_id=job.id, now=now, file_id=file_id, error=error, retry_at=retry_at
            )
        if error:
            self._log.info("chart %d: %s%s", job.id, error, " (will retry)" if retry else "")
        if retry_at is not None:
            asyncio.get_running_loop().call_later((retry_at - now).total_seconds(), self._wake.set)
