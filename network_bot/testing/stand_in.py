"""A stand-in for Slack: a real HTTP server that answers the Web API for its workspaces.

The bot's own ``AsyncWebClient(base_url=stand_in.api_url)`` talks to it unchanged, so tests,
benchmarks and the playground exercise the bot's real Slack calls (encodings, tokens, retries,
rate limits, trigger and response_url lifetimes) without a real Slack and without mocks.

    async with SlackStandIn() as slack:
        slack.add_user("U0ALICE01", "alice")
        slack.add_channel("C0GENERAL", "general")
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
        await client.chat_postMessage(channel="C0GENERAL", text="hi")
        assert slack.messages("C0GENERAL")[0]["text"] == "hi"

The stand-in is itself the first workspace (``T0NETWORK``); ``add_team`` serves more, each with
its own people, channels, bot token and rate limits, and ``configure_oauth`` lets the bot be
installed into them through Slack's OAuth v2 flow (``/oauth/v2/authorize``, ``oauth.v2.access``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from network_bot.testing._stand_in_answers import Answer, fault_answer, json_answer, text_answer
from network_bot.testing._stand_in_core import (
    ApiError,
    Encoding,
    Fault,
    FaultQueue,
    ParamsFilter,
    RecordedCall,
    Violation,
)
from network_bot.testing._stand_in_many import ManyTeams
from network_bot.testing._stand_in_oauth import OAuthApp
from network_bot.testing._stand_in_socket import SocketHub
from network_bot.testing._stand_in_surfaces import Refusal, check_ack
from network_bot.testing._stand_in_team import Team
from network_bot.testing._stand_in_teams import TeamDirectory
from network_bot.testing._stand_in_tokens import Kind
from network_bot.testing._stand_in_wire import JSON, decode_api_request, decode_hook_body
from network_bot.testing._stand_in_workspace import Json

__all__ = [
    "FILE_UPLOAD",
    "RESPONSE_URL",
    "ApiError",
    "Fault",
    "OAuthApp",
    "RecordedCall",
    "Refusal",
    "SlackStandIn",
    "Team",
    "Violation",
]

log = logging.getLogger(__name__)

RESPONSE_URL = "response_url"
"""Pseudo-method under which response_url posts are recorded (and faults injected)."""
FILE_UPLOAD = "file_upload"
"""Pseudo-method for the byte uploads to the URL ``files.getUploadURLExternal`` handed out."""
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
OAUTH_ACCESS = "oauth.v2.access"  # authenticated by the app's client ID and secret, no token
SECRET_PARAMS = frozenset({"client_secret", "code", "refresh_token"})  # never recorded


class SlackStandIn(ManyTeams, Team):
    """Slack served over loopback HTTP: this workspace and any added; state as plain dicts."""

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
            server_url=lambda: self.base_url,
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
        self._sockets = SocketHub(app_id=app_id)
        self._trigger_ttl = trigger_ttl
        self._response_url_ttl = response_url_ttl
        self._response_url_uses = response_url_uses
        self._teams = TeamDirectory(
            home=self,
            app_id=app_id,
            rate_limits=rate_limits,
            channel_post_rate=channel_post_rate,
            upload_url=self._upload_url,
            socket_url=self._socket_url,
        )
        self._teams.grant_bot(self, bot_token)
        self._teams.grant_app(app_token)
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
        app.router.add_post("/upload/v1/{team}/{token}", self._handle_upload)
        app.router.add_get("/oauth/v2/authorize", self._handle_authorize)
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

    def _upload_url(self, team_id: str, token: str) -> str:
        return f"{self.base_url}/upload/v1/{team_id}/{token}"

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

    def _note(self, where: str, error: ApiError) -> None:
        if error.block_kit:
            self.violations.append(
                Violation(where=where, error=error.error, messages=tuple(error.messages))
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
        known = self._teams.api(self).methods | {RESPONSE_URL, FILE_UPLOAD, OAUTH_ACCESS}
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

    def set_rate_limit(
        self, method: str, per_second: float | None, *, team_id: str | None = None
    ) -> None:
        """Cap a method workspace-wide (sliding one-second window), or lift the cap; in one
        team, or in each team (``team_id=None``), as Slack's limits are per workspace."""
        for limiter in self._teams.limiters(team_id):
            limiter.set_method(method, per_second)

    def set_channel_post_rate(
        self, per_second: float | None, *, team_id: str | None = None
    ) -> None:
        """Cap ``chat.postMessage`` per channel, as Slack does at about one a second."""
        for limiter in self._teams.limiters(team_id):
            limiter.set_channel_rate(per_second)

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
        answer: Answer,
        *,
        injected: bool = False,
        team_id: str | None = None,
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
                team_id=team_id,
            )
        )
        return answer.response

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        started = time.monotonic()
        handler = self._teams.api(self).handler(method)
        if handler is None and method != OAUTH_ACCESS:
            answer = json_answer(404, {"ok": False, "error": "unknown_method"})
            query = {k: v for k, v in request.query.items() if k != "token"}
            return self._record(method, query, "query", started, answer)
        try:
            decoded = await decode_api_request(request)
        except ApiError as error:
            encoding: Encoding = "json" if request.content_type == JSON else "form"
            return self._record(
                method, {}, encoding, started, json_answer(error.status, error.body())
            )
        params = decoded.params
        fault = self._faults.take(method, params)
        if fault is not None:
            injected = await fault_answer(request, fault)
            if injected is not None:
                return self._record(
                    method, params, decoded.encoding, started, injected, injected=True
                )
        team: Team | None = None
        try:
            if method == OAUTH_ACCESS:
                body = self._teams.oauth.access(params, request.headers.get("Authorization"))
                self._teams.after_install()
                recorded = {k: v for k, v in params.items() if k not in SECRET_PARAMS}
                return self._record(
                    method, recorded, decoded.encoding, started, json_answer(200, body)
                )
            wanted: Kind = "app" if method in APP_TOKEN_METHODS else "bot"
            grant, team = self._teams.authenticate(decoded.token, wanted=wanted, params=params)
            api = self._teams.api(team)
            channel = None
            if method == "chat.postMessage":
                channel = team.conversation_key(str(params.get("channel") or ""))
            retry_after = self._teams.limiter(team).admit(method, channel=channel)
            if retry_after is not None:
                answer = json_answer(
                    429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
                )
            elif method == "auth.test":
                answer = json_answer(200, self._teams.auth_test(grant, team))
            else:
                found = api.handler(method)
                assert found is not None
                answer = json_answer(200, found(params))
        except ApiError as error:
            self._note(method, error)
            answer = json_answer(error.status, error.body())
        except Exception:  # a stand-in bug: answer like Slack's outage page, loudly
            log.exception("stand-in failed to answer %s", method)
            answer = json_answer(500, {"ok": False, "error": "internal_error"})
        if method == OAUTH_ACCESS:
            params = {k: v for k, v in params.items() if k not in SECRET_PARAMS}
        return self._record(
            method,
            params,
            decoded.encoding,
            started,
            answer,
            team_id=None if team is None else team.team_id,
        )

    async def _handle_response_url(self, request: web.Request) -> web.StreamResponse:
        """A post to a response_url; errors are plain text (``used_url``), as Slack sends."""
        started = time.monotonic()
        try:
            body, encoding = await decode_hook_body(request)
        except ApiError as error:
            return self._record(
                RESPONSE_URL, {}, "json", started, text_answer(error.status, error.error)
            )
        fault = self._faults.take(RESPONSE_URL, body)
        if fault is not None:
            injected = await fault_answer(request, fault)
            if injected is not None:
                return self._record(RESPONSE_URL, body, encoding, started, injected, injected=True)
        try:
            team = self._teams.teams.get(request.match_info["team"])
            if team is None:
                raise ApiError("invalid_url", status=404)
            team.use_response_url(request.match_info["token"], body)
            answer = json_answer(200, {"ok": True})
        except ApiError as error:
            self._note(RESPONSE_URL, error)
            answer = text_answer(error.status, error.error)
        return self._record(RESPONSE_URL, body, encoding, started, answer)

    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        """The file upload URL: raw bytes in, ``OK - <length>`` out (text/plain, like Slack)."""
        started = time.monotonic()
        content = await request.read()
        params: Json = {"length": len(content)}
        fault = self._faults.take(FILE_UPLOAD, params)
        if fault is not None:
            injected = await fault_answer(request, fault)
            if injected is not None:
                return self._record(FILE_UPLOAD, params, "raw", started, injected, injected=True)
        try:
            team = self._teams.teams.get(request.match_info["team"])
            if team is None:
                raise ApiError("invalid_upload_url", status=404)
            params["file_id"] = team.store_upload(request.match_info["token"], content)
            answer = text_answer(200, f"OK - {len(content)}")
        except ApiError as error:
            answer = text_answer(error.status, error.error)
        return self._record(FILE_UPLOAD, params, "raw", started, answer)
