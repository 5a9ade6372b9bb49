"""A stand-in for Slack: a real HTTP server that answers the Web API for one workspace.

The bot's own ``AsyncWebClient(base_url=stand_in.api_url)`` talks to it unchanged, so tests,
benchmarks and the playground exercise the bot's real Slack calls (encodings, tokens, retries,
rate limits, trigger and response_url lifetimes) without a real Slack and without mocks.

    async with SlackStandIn() as slack:
        slack.add_user("U0ALICE01", "alice")
        slack.add_channel("C0GENERAL", "general")
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
        await client.chat_postMessage(channel="C0GENERAL", text="hi")
        assert slack.messages("C0GENERAL")[0]["text"] == "hi"
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web

from network_bot.testing._stand_in_core import (
    ApiError,
    Encoding,
    Fault,
    FaultQueue,
    ParamsFilter,
    RateLimiter,
    RecordedCall,
    Violation,
)
from network_bot.testing._stand_in_methods import WebApi
from network_bot.testing._stand_in_socket import SocketHub
from network_bot.testing._stand_in_surfaces import Refusal, check_ack
from network_bot.testing._stand_in_wire import JSON, decode_api_request, decode_hook_body
from network_bot.testing._stand_in_workspace import Json, Workspace

__all__ = [
    "FILE_UPLOAD",
    "RESPONSE_URL",
    "ApiError",
    "Fault",
    "RecordedCall",
    "Refusal",
    "SlackStandIn",
    "Violation",
]

log = logging.getLogger(__name__)

RESPONSE_URL = "response_url"
"""Pseudo-method under which response_url posts are recorded (and faults injected)."""
FILE_UPLOAD = "file_upload"
"""Pseudo-method for the byte uploads to the URL ``files.getUploadURLExternal`` handed out."""
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
_KNOWN_STATUSES = frozenset(int(status) for status in HTTPStatus)


@dataclass(frozen=True, kw_only=True)
class _Answer:
    response: web.StreamResponse
    status: int
    body: Json | None


def _json_answer(status: int, body: Json, headers: Mapping[str, str] | None = None) -> _Answer:
    return _Answer(
        response=web.json_response(body, status=status, headers=headers), status=status, body=body
    )


def _text_answer(status: int, text: str) -> _Answer:
    body = {"ok": status == 200, **({} if status == 200 else {"error": text})}
    return _Answer(response=web.Response(status=status, text=text), status=status, body=body)


class SlackStandIn(Workspace):
    """One Slack workspace served over loopback HTTP; its state is readable as plain dicts."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-stand-in-token",
        app_token: str = "xapp-1-stand-in",
        team_id: str = "T0NETWORK",
        team_name: str = "Network",
        bot_user_id: str = "UNETBOT",
        app_id: str = "A0NETWORK",
        rate_limits: Mapping[str, float] | None = None,
        channel_post_rate: float | None = None,
        trigger_ttl: float = 3.0,
        response_url_ttl: float = 30 * 60.0,
        response_url_uses: int = 5,
    ) -> None:
        super().__init__(
            team_id=team_id,
            team_name=team_name,
            bot_user_id=bot_user_id,
            app_id=app_id,
            trigger_ttl=trigger_ttl,
            response_url_ttl=response_url_ttl,
            response_url_uses=response_url_uses,
        )
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[RecordedCall] = []
        self.violations: list[Violation] = []
        """Everything refused for breaking Block Kit rules (API calls, response_url posts, acks),
        oldest first: a strict test run expects none (see ``Harness``)."""
        self._faults = FaultQueue()
        self._limiter = RateLimiter(rate_limits, channel_post_rate)
        self._sockets = SocketHub(app_id=app_id)
        self._api = WebApi(self, upload_url=self._upload_url, socket_url=self._socket_url)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> SlackStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on an ephemeral loopback port."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/actions/{team}/{token:.+}", self._handle_response_url)
        app.router.add_post("/upload/v1/{token}", self._handle_upload)
        app.router.add_get("/socket", self._sockets.handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.25)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Hang up Socket Mode clients and stop serving."""
        if self._runner is None:
            return
        await self._sockets.drop()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` once started."""
        if self._port is None:
            raise RuntimeError("the Slack stand-in is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL, with the trailing slash slack_sdk expects."""
        return f"{self.base_url}/api/"

    def _upload_url(self, token: str) -> str:
        return f"{self.base_url}/upload/v1/{token}"

    def _socket_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/socket?ticket={self._sockets.issue_ticket()}"

    # --- what tests control -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == method]

    def clear_calls(self) -> None:
        self.calls.clear()

    def record_violation(self, where: str, refusal: Refusal) -> None:
        """Note content Slack would have refused (the driver and Socket Mode report acks here)."""
        self.violations.append(
            Violation(where=where, error=refusal.error, messages=tuple(refusal.messages))
        )

    def check_ack(
        self, kind: str, body: dict[str, Any] | None, *, view: dict[str, Any] | None = None
    ) -> Refusal | None:
        """Validate an ack the bot returned for a ``kind`` of request; a refusal is recorded."""
        refused = check_ack(kind, body, view=view)
        if refused is not None:
            self.record_violation(f"ack to {kind}", refused)
        return refused

    def inject(
        self,
        method: str,
        *,
        times: int | None = 1,
        status: int | None = None,
        retry_after: int | None = None,
        error: str | None = None,
        delay: float | None = None,
        drop: bool = False,
        when: ParamsFilter | None = None,
    ) -> Fault:
        """Make the next ``times`` matching calls misbehave (``times=None``: until cleared).

        ``retry_after`` answers 429 with that ``Retry-After``; ``status`` answers that status
        with an HTML page (or ``error`` as JSON); ``error`` alone answers 200 ``ok: false``;
        ``delay`` waits first (then answers normally unless something else is set); ``drop``
        closes the connection without an answer. ``when`` filters on the decoded parameters.
        Also works for the pseudo-methods ``response_url`` and ``file_upload``.
        """
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for every call")
        known = self._api.methods | {RESPONSE_URL, FILE_UPLOAD}
        if method not in known:
            raise ValueError(f"the stand-in does not answer {method!r}")
        fault = Fault(
            method=method,
            times=times,
            status=status,
            retry_after=retry_after,
            error=error,
            delay=delay,
            drop=drop,
            when=when,
        )
        self._faults.add(fault)
        return fault

    def clear_faults(self) -> None:
        self._faults.clear()

    def set_rate_limit(self, method: str, per_second: float | None) -> None:
        """Cap a method workspace-wide (sliding one-second window), or lift the cap."""
        self._limiter.set_method(method, per_second)

    def set_channel_post_rate(self, per_second: float | None) -> None:
        """Cap ``chat.postMessage`` per channel, as Slack does at about one a second."""
        self._limiter.set_channel_rate(per_second)

    def new_response_url(
        self, *, channel_id: str, user_id: str, message_ts: str | None = None
    ) -> str:
        """A response_url like the one Slack puts in a command or a message's button click."""
        token = self.issue_response_url(
            channel_id=channel_id, user_id=user_id, message_ts=message_ts
        )
        return f"{self.base_url}/actions/{self.team_id}/{token}"

    # --- Socket Mode ------------------------------------------------------------------------

    @property
    def socket_connections(self) -> int:
        return self._sockets.count

    @property
    def socket_messages(self) -> list[dict[str, Any]]:
        """Everything Socket Mode clients sent (their acks), oldest first."""
        return list(self._sockets.received)

    async def wait_for_socket(self, timeout: float = 5.0) -> None:
        """Until a Socket Mode client is connected; ``TimeoutError`` otherwise."""
        await self._sockets.wait(timeout)

    async def socket_send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        timeout: float = 5.0,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any] | None:
        """Deliver an envelope and return the ack's payload ({} if empty, None if no ack).

        The ack's payload is held to Slack's rules for that kind of request, as over HTTP.
        """
        answer = await self._sockets.send(
            envelope_type,
            payload,
            timeout=timeout,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        if answer is not None:
            kind = (
                "slash_command" if envelope_type == "slash_commands" else str(payload.get("type"))
            )
            view = payload.get("view") if isinstance(payload.get("view"), dict) else None
            self.check_ack(kind, answer, view=view)
        return answer

    async def drop_sockets(self, *, reason: str | None = None) -> None:
        """Close every Socket Mode connection (``reason``: send Slack's disconnect notice first)."""
        await self._sockets.drop(reason=reason)

    # --- HTTP -------------------------------------------------------------------------------

    def _record(
        self,
        method: str,
        params: Json,
        encoding: Encoding,
        started: float,
        answer: _Answer,
        *,
        injected: bool = False,
    ) -> web.StreamResponse:
        self.calls.append(
            RecordedCall(
                method=method,
                params=params,
                encoding=encoding,
                status=answer.status,
                response=answer.body,
                started=started,
                finished=time.monotonic(),
                injected=injected,
            )
        )
        return answer.response

    def _authenticate(self, method: str, token: str | None) -> None:
        if not token:
            raise ApiError("not_authed")
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token == expected:
            return
        if token in (self.app_token, self.bot_token):
            raise ApiError("not_allowed_token_type")
        raise ApiError("invalid_auth")

    async def _fault(self, request: web.Request, fault: Fault) -> _Answer | None:
        """The injected answer, or None when the fault was only a delay."""
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            if request.transport is not None:
                request.transport.abort()
            return _Answer(response=web.Response(), status=0, body=None)
        if fault.retry_after is not None:
            body = {"ok": False, "error": fault.error or "ratelimited"}
            return _json_answer(fault.status or 429, body, {"Retry-After": str(fault.retry_after)})
        if fault.status is not None and fault.error is None:
            phrase = HTTPStatus(fault.status).phrase if fault.status in _KNOWN_STATUSES else "Error"
            page = f"<html><body><h1>{fault.status} {phrase}</h1></body></html>"
            return _Answer(
                response=web.Response(status=fault.status, text=page, content_type="text/html"),
                status=fault.status,
                body=None,
            )
        if fault.error is not None:
            return _json_answer(fault.status or 200, {"ok": False, "error": fault.error})
        return None

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        started = time.monotonic()
        handler = self._api.handler(method)
        if handler is None:
            answer = _json_answer(404, {"ok": False, "error": "unknown_method"})
            query = {k: v for k, v in request.query.items() if k != "token"}
            return self._record(method, query, "query", started, answer)
        try:
            decoded = await decode_api_request(request)
        except ApiError as error:
            encoding: Encoding = "json" if request.content_type == JSON else "form"
            return self._record(
                method, {}, encoding, started, _json_answer(error.status, error.body())
            )
        params = decoded.params
        fault = self._faults.take(method, params)
        if fault is not None:
            injected = await self._fault(request, fault)
            if injected is not None:
                return self._record(
                    method, params, decoded.encoding, started, injected, injected=True
                )
        try:
            self._authenticate(method, decoded.token)
            channel = None
            if method == "chat.postMessage":
                channel = self.conversation_key(str(params.get("channel") or ""))
            retry_after = self._limiter.admit(method, channel=channel)
            if retry_after is not None:
                answer = _json_answer(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
                )
            else:
                answer = _json_answer(200, handler(params))
        except ApiError as error:
            if error.block_kit:
                self.violations.append(
                    Violation(where=method, error=error.error, messages=tuple(error.messages))
                )
            answer = _json_answer(error.status, error.body())
        except Exception:  # a stand-in bug: answer like Slack's outage page, loudly
            log.exception("stand-in failed to answer %s", method)
            answer = _json_answer(500, {"ok": False, "error": "internal_error"})
        return self._record(method, params, decoded.encoding, started, answer)

    async def _handle_response_url(self, request: web.Request) -> web.StreamResponse:
        """A post to a response_url; errors are plain text (``used_url``), as Slack sends."""
        started = time.monotonic()
        try:
            body, encoding = await decode_hook_body(request)
        except ApiError as error:
            return self._record(
                RESPONSE_URL, {}, "json", started, _text_answer(error.status, error.error)
            )
        fault = self._faults.take(RESPONSE_URL, body)
        if fault is not None:
            injected = await self._fault(request, fault)
            if injected is not None:
                return self._record(RESPONSE_URL, body, encoding, started, injected, injected=True)
        try:
            self.use_response_url(request.match_info["token"], body)
            answer = _json_answer(200, {"ok": True})
        except ApiError as error:
            if error.block_kit:
                self.violations.append(
                    Violation(where=RESPONSE_URL, error=error.error, messages=tuple(error.messages))
                )
            answer = _text_answer(error.status, error.error)
        return self._record(RESPONSE_URL, body, encoding, started, answer)

    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        """The file upload URL: raw bytes in, ``OK - <length>`` out (text/plain, like Slack)."""
        started = time.monotonic()
        content = await request.read()
        params: Json = {"length": len(content)}
        fault = self._faults.take(FILE_UPLOAD, params)
        if fault is not None:
            injected = await self._fault(request, fault)
            if injected is not None:
                return self._record(FILE_UPLOAD, params, "raw", started, injected, injected=True)
        try:
            params["file_id"] = self.store_upload(request.match_info["token"], content)
            answer = _text_answer(200, f"OK - {len(content)}")
        except ApiError as error:
            answer = _text_answer(error.status, error.error)
        return self._record(FILE_UPLOAD, params, "raw", started, answer)
