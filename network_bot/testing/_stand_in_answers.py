"""How the stand-in answers over HTTP: JSON or text bodies, and injected faults."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus

from aiohttp import web

from network_bot.testing._stand_in_core import Fault
from network_bot.testing._stand_in_workspace import Json

_KNOWN_STATUSES = frozenset(int(status) for status in HTTPStatus)


@dataclass(frozen=True, kw_only=True)
class Answer:
    response: web.StreamResponse
    status: int
    body: Json | None


def json_answer(status: int, body: Json, headers: Mapping[str, str] | None = None) -> Answer:
    return Answer(
        response=web.json_response(body, status=status, headers=headers), status=status, body=body
    )


def text_answer(status: int, text: str) -> Answer:
    body = {"ok": status == 200, **({} if status == 200 else {"error": text})}
    return Answer(response=web.Response(status=status, text=text), status=status, body=body)


async def fault_answer(request: web.Request, fault: Fault) -> Answer | None:
    """The injected answer, or None when the fault was only a delay."""
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        if request.transport is not None:
            request.transport.abort()
        return Answer(response=web.Response(), status=0, body=None)
    if fault.retry_after is not None:
        body = {"ok": False, "error": fault.error or "ratelimited"}
        return json_answer(fault.status or 429, body, {"Retry-After": str(fault.retry_after)})
    if fault.status is not None and fault.error is None:
        phrase = HTTPStatus(fault.status).phrase if fault.status in _KNOWN_STATUSES else "Error"
        page = f"<html><body><h1>{fault.status} {phrase}</h1></body></html>"
        return Answer(
            response=web.Response(status=fault.status, text=page, content_type="text/html"),
            status=fault.status,
            body=None,
        )
    if fault.error is not None:
        return json_answer(fault.status or 200, {"ok": False, "error": fault.error})
    return None
