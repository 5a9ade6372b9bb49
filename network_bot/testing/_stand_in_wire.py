"""How Slack reads a Web API request: query string, form or JSON body, and where the token is.

slack_sdk mixes all three (``users.info`` is a GET, ``conversations.open`` a POST with the
parameters in the query string, ``chat.postMessage`` JSON), and Slack is strict about the
details: JSON bodies need a bearer token header, other content types are refused.
"""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from network_bot.testing._stand_in_core import ApiError, Encoding

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# Parameters that carry JSON even when the request is form-encoded.
JSON_FIELDS = frozenset(
    {
        "attachments",
        "blocks",
        "files",
        "metadata",
        "option_groups",
        "options",
        "outputs",
        "unfurls",
        "user_auth_blocks",
        "view",
    }
)


@dataclass(frozen=True, kw_only=True)
class DecodedRequest:
    """A request's parameters (token removed), how they came, and the token if any."""

    params: dict[str, Any]
    encoding: Encoding
    token: str | None


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    """Turn form-encoded JSON strings (``blocks=[...]``) into the objects they stand for."""
    decoded = dict(params)
    for name in JSON_FIELDS & decoded.keys():
        value = decoded[name]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            # a bad value stays a string: the method then answers as Slack does for it
            with contextlib.suppress(json.JSONDecodeError):
                decoded[name] = json.loads(value)
    return decoded


def parse_form(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError("invalid_form_data") from None
    return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))


def parse_json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError("invalid_json") from None
    if not isinstance(body, dict):
        raise ApiError("invalid_json")
    return body


async def decode_api_request(request: web.Request) -> DecodedRequest:
    """Read a Web API request the way Slack does, or raise the error Slack would answer."""
    query: dict[str, Any] = dict(request.query)
    header_token = _bearer(request.headers.get("Authorization"))
    if request.method in ("GET", "HEAD"):
        token = header_token or query.pop("token", None)
        query.pop("token", None)
        return DecodedRequest(params=decode_json_fields(query), encoding="query", token=token)

    raw = await request.read()
    has_type = "Content-Type" in request.headers
    encoding: Encoding
    if not has_type and not raw:
        body: dict[str, Any] = {}
        encoding = "query"
    elif request.content_type == JSON:
        body = parse_json_object(raw)
        if header_token is None:
            raise ApiError("not_authed")  # Slack ignores a token inside a JSON body
        body.pop("token", None)
        encoding = "json"
    elif request.content_type == FORM:
        body = parse_form(raw)
        encoding = "form" if body else "query"
    else:
        raise ApiError("invalid_form_data")
    params = {**query, **body}
    token = header_token
    if encoding != "json":
        token = token or params.get("token")
    params.pop("token", None)
    return DecodedRequest(params=decode_json_fields(params), encoding=encoding, token=token)


async def decode_hook_body(request: web.Request) -> tuple[dict[str, Any], Encoding]:
    """A response_url post: JSON, or a form with the JSON in ``payload``."""
    raw = await request.read()
    if request.content_type == FORM:
        form = parse_form(raw)
        if "payload" not in form:
            raise ApiError("invalid_payload", status=400)
        try:
            return parse_json_object(str(form["payload"]).encode()), "form"
        except ApiError:
            raise ApiError("invalid_payload", status=400) from None
    try:
        return parse_json_object(raw), "json"
    except ApiError:
        raise ApiError("invalid_payload", status=400) from None
