"""Socket Mode as Slack runs it: single-use websocket URLs, a hello, envelopes and acks.

The bot's real ``slack_sdk`` Socket Mode client connects here; tests push envelopes with
``send`` and get back the payload of the client's ack, which is what Slack would show.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import uuid
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

log = logging.getLogger(__name__)

ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})
_Ack = asyncio.Future[dict[str, Any] | None]  # None: the connection went away first


class SocketHub:
    """Open Socket Mode connections and the envelopes waiting for their ack."""

    def __init__(self, *, app_id: str) -> None:
        self._app_id = app_id
        self._tickets: set[str] = set()
        self._connections: list[web.WebSocketResponse] = []
        self._pending: dict[str, tuple[web.WebSocketResponse, _Ack]] = {}
        self._connected = asyncio.Event()
        self.received: list[dict[str, Any]] = []

    @property
    def count(self) -> int:
        return sum(1 for ws in self._connections if not ws.closed)

    def issue_ticket(self) -> str:
        """A ticket for one websocket connection, as ``apps.connections.open`` hands out."""
        ticket = secrets.token_urlsafe(16)
        self._tickets.add(ticket)
        return ticket

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": self.count,
            "debug_info": {
                "host": "applink-stand-in",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self._app_id},
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The websocket endpoint; an unknown or reused ticket is refused like Slack does."""
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid_ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True, timeout=2.0)
        await ws.prepare(request)
        self._connections.append(ws)
        try:
            await ws.send_json(self._hello())
            self._connected.set()
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._on_text(ws, str(message.data))
        finally:
            self._forget(ws)
        return ws

    def _on_text(self, ws: web.WebSocketResponse, data: str) -> None:
        try:
            message = json.loads(data)
        except json.JSONDecodeError:
            log.warning("stand-in socket: a message that is not JSON")
            return
        if not isinstance(message, dict):
            return
        self.received.append(message)
        waiting = self._pending.get(str(message.get("envelope_id")))
        if waiting is not None and waiting[0] is ws and not waiting[1].done():
            waiting[1].set_result(message)

    def _forget(self, ws: web.WebSocketResponse) -> None:
        if ws in self._connections:
            self._connections.remove(ws)
        for owner, ack in list(self._pending.values()):
            if owner is ws and not ack.done():
                ack.set_result(None)
        if not self.count:
            self._connected.clear()

    async def wait(self, timeout: float) -> None:
        """Until a client is connected (and greeted); ``TimeoutError`` otherwise."""
        async with asyncio.timeout(timeout):
            while not self.count:
                self._connected.clear()
                await self._connected.wait()

    async def send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        timeout: float,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any] | None:
        """Send an envelope to the newest connection; the ack's payload, or None without an ack."""
        if envelope_type not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {envelope_type!r}")
        await self.wait(timeout)
        ws = next(ws for ws in reversed(self._connections) if not ws.closed)
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
        }
        if envelope_type == "events_api":
            envelope.update({"retry_attempt": retry_attempt, "retry_reason": retry_reason})
        ack: _Ack = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = (ws, ack)
        try:
            await ws.send_json(envelope)
            async with asyncio.timeout(timeout):
                message = await ack
        except (TimeoutError, ConnectionError):
            return None
        finally:
            self._pending.pop(envelope_id, None)
        if message is None:
            return None
        answer = message.get("payload")
        return answer if isinstance(answer, dict) else {}

    async def drop(self, *, reason: str | None = None) -> None:
        """Close every connection; with ``reason``, first send Slack's ``disconnect`` message."""
        connections, self._connections = list(self._connections), []
        self._connected.clear()
        for ws, ack in list(self._pending.values()):
            if ws in connections and not ack.done():
                ack.set_result(None)
        for ws in connections:
            if reason is not None and not ws.closed:
                disconnect = {
                    "type": "disconnect",
                    "reason": reason,
                    "debug_info": {"host": "applink-stand-in"},
                }
                await ws.send_json(disconnect)
            await ws.close(code=WSCloseCode.GOING_AWAY)
