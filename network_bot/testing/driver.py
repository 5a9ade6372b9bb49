"""Plays Slack's part towards the bot's HTTP endpoint: signed requests, shaped as Slack sends them.

Slash commands are form fields, interactions a ``payload`` form field holding JSON, events a JSON
body; each is signed ``v0:{timestamp}:{body}`` with HMAC-SHA256 by slack_sdk's own
``SignatureVerifier``. Trigger ids and response URLs come from the stand-in, so whatever the bot
does with them afterwards is checked there, and modal submissions move the stand-in's view
stack as Slack would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from multidict import CIMultiDict

from network_bot.testing._driver_payloads import (
    VERIFICATION_TOKEN,
    SlackPayloads,
    build_slash_command_body,
)
from network_bot.testing._driver_state import input_block_ids
from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_team import Team

__all__ = [
    "VERIFICATION_TOKEN",
    "DriverResponse",
    "SlackDriver",
    "SlackPayloads",
    "SlackRequestSigner",
    "build_interaction_body",
    "build_slash_command_body",
]

Json = dict[str, Any]
FORM = "application/x-www-form-urlencoded"
ACK_DEADLINE = 3.0
"""Seconds Slack waits for an ack before showing the person an error."""


class SlackRequestSigner:
    """Slack's request signature, so the bot's verification is exercised for real."""

    def __init__(self, signing_secret: str) -> None:
        self._secret = signing_secret.encode()

    def headers(self, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
        """``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}`` over the raw bytes, as Slack signs
        (bytes, so tests can also sign bodies that are not UTF-8)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(self._secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
        return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + digest.hexdigest()}


@dataclass(frozen=True, kw_only=True)
class DriverResponse:
    """The bot's answer to one request.

    ``slack_error`` says what Slack would have shown instead of acting on the answer: a non-200
    status, an ack slower than 3 s, or a modal answer Slack would refuse (e.g. an invalid view).
    """

    status: int
    headers: Mapping[str, str]
    text: str
    json: Json | None
    elapsed: float
    slack_error: str | None = None


def build_interaction_body(payload: Mapping[str, Any]) -> bytes:
    """An interaction as Slack posts it: ``payload=<json>``, form-encoded."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def _parse(text: str) -> Json | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _ack_error(status: int, elapsed: float) -> str | None:
    if status != 200:
        return f"http_{status}"
    if elapsed > ACK_DEADLINE:
        return "operation_timeout"
    return None


class SlackDriver:
    """Sends the bot what Slack would, signed, and applies Slack's side of the answers."""

    def __init__(
        self,
        *,
        endpoint: str,
        signing_secret: str,
        stand_in: Team,
        team_id: str = "T0NETWORK",
        api_app_id: str = "A0NETWORK",
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.stand_in = stand_in
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.signer = SlackRequestSigner(signing_secret)
        self.payloads = SlackPayloads(stand_in=stand_in, team_id=team_id, api_app_id=api_app_id)
        self._session = session
        self._owns_session = session is None

    async def __aenter__(self) -> SlackDriver:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if the driver made it."""
        if self._session is not None and self._owns_session:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:  # made lazily so the driver can be built outside a loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=200),
                timeout=aiohttp.ClientTimeout(total=30),
            )
        return self._session

    async def post(
        self,
        body: bytes,
        *,
        content_type: str = FORM,
        headers: Mapping[str, str] | None = None,
        sign: bool = True,
        timestamp: int | None = None,
    ) -> DriverResponse:
        """Post raw bytes (signed unless ``sign=False``): for hostile and malformed requests."""
        sent = {"Content-Type": content_type}
        if sign:
            sent.update(self.signer.headers(body, timestamp=timestamp))
        sent.update(headers or {})
        started = time.perf_counter()
        async with self._http().post(self.endpoint, data=body, headers=sent) as response:
            text = await response.text()
        elapsed = time.perf_counter() - started
        return DriverResponse(
            status=response.status,
            headers=CIMultiDict(response.headers),
            text=text,
            json=_parse(text),
            elapsed=elapsed,
            slack_error=_ack_error(response.status, elapsed),
        )

    async def interact(self, payload: Mapping[str, Any]) -> DriverResponse:
        """Post any interaction payload as Slack does; the ack is held to Slack's rules."""
        response = await self.post(build_interaction_body(payload))
        view = payload.get("view")
        return self._checked(
            str(payload.get("type")), response, view=view if isinstance(view, dict) else None
        )

    def _checked(
        self, kind: str, response: DriverResponse, *, view: Json | None = None
    ) -> DriverResponse:
        """What Slack would make of the ack: an invalid body is an error the person sees."""
        if response.status != 200 or response.slack_error is not None:
            return response
        if response.text.strip() and response.json is None:
            if kind in ("slash_command", "view_submission", "block_suggestion"):
                return dataclasses.replace(response, slack_error="invalid_response: not JSON")
            return response
        refused = self.stand_in.check_ack(kind, response.json, view=view)
        if refused is None:
            return response
        detail = "; ".join(refused.messages)
        return dataclasses.replace(response, slack_error=f"{refused.error}: {detail}".strip(": "))

    async def command(
        self,
        user_id: str,
        command: str,
        text: str = "",
        *,
        channel_id: str = "C0GENERAL",
        channel_name: str | None = None,
    ) -> DriverResponse:
        """Someone runs ``command text`` in ``channel_id``."""
        fields = build_slash_command_body(
            stand_in=self.stand_in,
            user_id=user_id,
            command=command,
            text=text,
            channel_id=channel_id,
            channel_name=channel_name,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
        )
        return self._checked("slash_command", await self.post(urlencode(fields).encode()))

    async def block_action(
        self,
        user_id: str,
        action_id: str,
        *,
        value: str | None = None,
        block_id: str | None = None,
        channel_id: str | None = None,
        message: Json | None = None,
        view: Json | None = None,
        selected_option: Json | str | None = None,
        action_type: str | None = None,
        extra_action_fields: Mapping[str, Any] | None = None,
    ) -> DriverResponse:
        """Someone clicks a button or picks from a menu, in ``message``/``channel_id`` or ``view``.

        The element is looked up by ``action_id`` in the message's or view's blocks to fill in
        its block_id, type, text and value as Slack would; pass them to override.
        """
        payload = self.payloads.block_actions(
            user_id,
            action_id,
            value=value,
            block_id=block_id,
            channel_id=channel_id,
            message=message,
            view=view,
            selected_option=selected_option,
            action_type=action_type,
            extra_action_fields=extra_action_fields,
        )
        return await self.interact(payload)

    async def submit_view(
        self, user_id: str, view: Json, values: Mapping[str, Any] | None = None
    ) -> DriverResponse:
        """Someone fills in ``values`` (by block_id) and presses the modal's submit button.

        Then the stand-in's modal stack changes as Slack's would: closed on an empty answer,
        cleared, updated or pushed on ``response_action``, kept open on ``errors``.
        """
        payload = self.payloads.view_submission(user_id, view, values or {})
        response = await self.interact(payload)
        if response.slack_error is not None:  # Slack shows an error; the modal stays as it was
            return response
        problem = self._after_submission(user_id, payload["view"], response)
        return response if problem is None else dataclasses.replace(response, slack_error=problem)

    def _after_submission(self, user_id: str, view: Json, response: DriverResponse) -> str | None:
        """Apply the answer to the view stack; what Slack would show if it cannot."""
        if response.text.strip() and response.json is None:
            return "invalid_response: the ack is neither empty nor JSON"
        answer = response.json or {}
        action = answer.get("response_action")
        try:
            if action is None:
                self.stand_in.close_view(user_id)
            elif action == "clear":
                self.stand_in.clear_views(user_id)
            elif action == "update":
                self.stand_in.replace_view(str(view["id"]), answer.get("view"))
            elif action == "push":
                self.stand_in.push_view(user_id, answer.get("view"))
            elif action == "errors":
                return self._check_errors(view, answer.get("errors"))
            else:
                return f"invalid_response_action: {action!r}"
        except ApiError as error:
            return str(error)
        return None

    @staticmethod
    def _check_errors(view: Json, errors: Any) -> str | None:
        """Slack only shows errors keyed by an input block of the submitted view."""
        if not isinstance(errors, dict) or not errors:
            return "invalid_errors: errors must be a non-empty object"
        unknown = sorted(set(errors) - input_block_ids(view.get("blocks") or []))
        if unknown:
            return f"invalid_errors: no input blocks {unknown} in the view"
        return None

    async def view_closed(
        self, user_id: str, view: Json, *, is_cleared: bool = False
    ) -> DriverResponse:
        """Someone closes the modal with its close button (the stand-in closes it first)."""
        payload = self.payloads.view_closed(user_id, view, is_cleared=is_cleared)
        if is_cleared:
            self.stand_in.clear_views(user_id)
        else:
            self.stand_in.close_view(user_id)
        return await self.interact(payload)

    async def block_suggestion(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        view: Json | None = None,
        block_id: str | None = None,
    ) -> DriverResponse:
        """Someone types ``value`` into an external select: the bot answers with options."""
        payload = self.payloads.block_suggestion(
            user_id, action_id, value, view=view, block_id=block_id
        )
        return await self.interact(payload)

    async def event(
        self,
        event: Json,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        team_id: str | None = None,
    ) -> DriverResponse:
        """Deliver an Events API event; ``retry_num`` makes it one of Slack's retries."""
        body = self.payloads.event_callback(event, event_id=event_id, team_id=team_id)
        headers: dict[str, str] = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None or retry_num is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return await self.post(
            json.dumps(body).encode(), content_type="application/json", headers=headers
        )

    async def url_verification(self, challenge: str = "stand-in-challenge") -> DriverResponse:
        """The handshake Slack sends when the Request URL is saved."""
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return await self.post(json.dumps(body).encode(), content_type="application/json")
