"""HTTP mode: ``POST /slack/events`` for everything Slack sends, ``GET /healthz`` for operators.

The endpoint checks size, content type and the request signature (slack_sdk's
``SignatureVerifier``) before anything reads the body, refuses a signature it has already seen
(a replay, remembered in the database across restarts), and only then hands the request to
bolt.

The signature is verified here, once, and not by bolt (its ``RequestVerification`` middleware is
off: ``request_verification_enabled=False`` in the factory). The route cannot do without its own
check: the replay guard must record only signatures that are valid (else anyone could fill the
table with made-up ones, or have a real request refused by sending its signature first with
another body), and a request must be refused before bolt parses, authorizes or looks anything
up for it. A second check in bolt would verify the same bytes against the same secret again.
Socket Mode requests never pass here and need no signature (the websocket is authenticated).
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from network_bot.bot import Bot
from network_bot.logs import describe_exception
from network_bot.replays import ReplayGuard
from network_bot.settings import SettingsError

log = logging.getLogger("network_bot.web")

MAX_BODY_BYTES = 1024 * 1024
ACCEPTED_TYPES = frozenset({"application/x-www-form-urlencoded", "application/json"})

BOT_KEY = web.AppKey("bot", Bot)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_endpoint(bot: Bot) -> web.Application:
    """The aiohttp application serving Slack's requests (and the health check and install
    pages); its start-up and clean-up start and stop the bot."""
    secret = bot.settings.slack_signing_secret
    if secret is None:
        raise SettingsError(
            "SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information > Signing Secret)"
        )
    verifier = SignatureVerifier(secret.get_secret_value())
    replays = ReplayGuard(db=bot.db)
    endpoint = web.Application(client_max_size=MAX_BODY_BYTES)
    endpoint[BOT_KEY] = bot

    async def slack_events(request: web.Request) -> web.StreamResponse:
        if request.content_type not in ACCEPTED_TYPES:
            log.info("refused a request with content type %s", request.content_type[:60])
            return _plain(415, "unsupported content type")
        raw = await request.read()
        if _is_ssl_check(request.content_type, raw):
            return _plain(200, "")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not timestamp or not signature:
            log.info("refused a request without signature headers")
            return _plain(401, "missing signature")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Slack signs UTF-8 text; bytes that are not cannot carry a valid signature.
            log.info("refused a request whose body is not UTF-8")
            return _plain(401, "invalid signature")
        try:
            valid = verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except ValueError:  # a timestamp that is not a number
            valid = False
        if not valid:
            log.info("refused a request with a bad or stale signature")
            return _plain(401, "invalid signature")
        try:
            bolt_request = AsyncBoltRequest(
                body=body, query=request.query_string, headers=dict(request.headers)
            )
        except (ValueError, TypeError, AttributeError) as error:  # e.g. JSON that is a number
            log.info("refused a signed request whose body does not parse: %s", type(error).__name__)
            return _plain(400, "malformed body")
        if not isinstance(bolt_request.body, dict):
            return _plain(400, "malformed body")
        first = await replays.first_time(signature=signature, timestamp=timestamp)
        if not first:
            log.warning("refused a replayed request signature")
            return _plain(401, "replayed request")
        try:
            bolt_response = await bot.app.async_dispatch(bolt_request)
        except Exception as error:  # the last line of defence: log, answer, keep serving
            log.error("a signed request could not be handled: %s", describe_exception(error))
            return _plain(400, "malformed payload")
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        db = await bot.db.health()
        body = {
            "ok": bool(db.get("ok")) and bot.started,
            "started": bot.started,
            "db": db,
            "background_tasks": bot.background.pending,
        }
        return web.Response(
            status=200 if body["ok"] else 503,
            text=json.dumps(body),
            content_type="application/json",
        )

    async def start(_: web.Application) -> None:
        await bot.start()

    async def stop(_: web.Application) -> None:
        await bot.stop()

    endpoint.router.add_post("/slack/events", slack_events)
    endpoint.router.add_get("/healthz", healthz)
    _oauth_routes(endpoint, bot)
    endpoint.on_startup.append(start)
    endpoint.on_cleanup.append(stop)
    return endpoint


def _oauth_routes(endpoint: web.Application, bot: Bot) -> None:
    """With OAuth settings: bolt's install page and redirect, as its own aiohttp adapter does."""
    flow = bot.app.oauth_flow
    if flow is None:
        return

    def handled_by(step: Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            bolt_request = AsyncBoltRequest(
                body="", query=request.query_string, headers=dict(request.headers)
            )
            try:
                answer = await step(bolt_request)
            except Exception as error:  # never a traceback: say what to do instead
                log.error("an install step failed: %s", describe_exception(error))
                return _plain(500, "The install could not be completed. Please start again.")
            return await to_aiohttp_response(answer)

        return handle

    install = handled_by(flow.handle_installation)
    redirect = handled_by(flow.handle_callback)
    endpoint.router.add_get(flow.install_path, install)
    endpoint.router.add_get(flow.redirect_uri_path, redirect)


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text)


def _is_ssl_check(content_type: str, raw: bytes) -> bool:
    """Slack's certificate check of a slash command's Request URL (Implementing slash commands,
    "ssl_check"): a form with ``ssl_check=1`` and a token, sent without signature headers. It gets
    a plain 200 and is otherwise ignored: nothing in it is acted on."""
    if content_type != "application/x-www-form-urlencoded" or len(raw) > 2048:
        return False
    if b"ssl_check" not in raw:
        return False  # most requests: no need to parse the form to know
    fields = urllib.parse.parse_qs(raw.decode("utf-8", "replace"))
    return fields.get("ssl_check") == ["1"]
