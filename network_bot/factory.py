"""The one factory: settings in, a fully wired :class:`Bot` out (with bolt's ``AsyncApp``, the
only thing called "app"). Tests build as many as they like."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from network_bot import logs, roster_events, workspace_events
from network_bot.admission import AdmitWorkspace
from network_bot.background import Background
from network_bot.bot import Bot
from network_bot.channels import ChannelDirectory
from network_bot.clock import Clock, SystemClock
from network_bot.delivery.charts import ChartUploader
from network_bot.delivery.expander import AudienceExpander
from network_bot.delivery.worker import DeliveryWorker
from network_bot.i18n import SOURCE_LANGUAGE, Catalogue, CatalogueError
from network_bot.logs import describe_exception
from network_bot.middleware import HandleEventsOnce, IdentifyMember, ReadPayload
from network_bot.network_team import NetworkTeam
from network_bot.oauth.clients import WorkspaceClients, WorkspaceTokens
from network_bot.oauth.flow import oauth_parts
from network_bot.registry import Registry, load_commands
from network_bot.routes import wire
from network_bot.scheduler import Scheduler
from network_bot.services.alerts import EXPANSION, Alerts
from network_bot.services.anniversaries import Anniversaries
from network_bot.services.calendar import Calendar
from network_bot.services.campaign import Campaign
from network_bot.services.cases import Cases
from network_bot.services.charting import Charts
from network_bot.services.expansion import Expansion
from network_bot.services.exporting import Exports
from network_bot.services.following import Following
from network_bot.services.home import Home
from network_bot.services.redaction import Redactions
from network_bot.services.roster import Roster
from network_bot.services.timeline import Timeline
from network_bot.services.workspaces import Workspaces
from network_bot.settings import Settings, SettingsError
from network_bot.store import retention, updates
from network_bot.store.campaign import CHARTS
from network_bot.store.db import Database
from network_bot.store.outbox import OUTBOX


def slack_client(settings: Settings, *, retries: bool = True) -> AsyncWebClient:
    """A Web API client for ``SLACK_API_URL``; slack_sdk's retry handlers for direct calls.

    With OAuth it carries no token: bolt puts each request's token on its own copy, and work
    outside requests asks ``WorkspaceClients`` for the workspace's.
    """
    if settings.slack_bot_token is None and not settings.oauth:
        raise SettingsError("SLACK_BOT_TOKEN: required to talk to Slack (expected 'xoxb-...')")
    handlers = (
        [
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ]
        if retries
        else []
    )
    token = settings.slack_bot_token
    return AsyncWebClient(
        token=None if token is None else token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
        retry_handlers=handlers,
        logger=logging.getLogger("network_bot.slack_sdk"),
    )


def build_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
) -> Bot:
    """Build the bot, its bolt ``AsyncApp`` and its services from settings; nothing starts yet."""
    clock = clock or SystemClock()
    logger = logging.getLogger("network_bot")
    logs.quiet_slack_loggers(settings.log_level)
    try:
        catalogue = Catalogue(default=settings.language)
    except CatalogueError as error:
        raise SettingsError(f"NETWORK_BOT_LANGUAGE: {error}") from None
    registry = Registry()
    roster_events.register(registry)
    workspace_events.register(registry)
    load_commands(registry, settings.commands)
    db = Database(settings.db, busy_timeout_ms=settings.db_busy_ms)
    slack = slack_client(settings)
    sender = slack_client(settings, retries=False)
    oauth = oauth_parts(settings, db=db, clock=clock, client=slack) if settings.oauth else None
    tokens = oauth.tokens if oauth else _one_token(settings)
    direct = WorkspaceClients(tokens=tokens, template=slack)
    approvals = Workspaces(
        db=db,
        clock=clock,
        home=settings.home_team if settings.oauth else None,
        catalogue=catalogue,
    )
    following = Following(db=db, clock=clock)
    campaign = Campaign(db=db, clock=clock)
    charts = Charts(
        db=db,
        clock=clock,
        campaign_channel=settings.campaign_channel,
        language=catalogue.default.language,
    )
    bot = Bot(
        settings=settings,
        clock=clock,
        catalogue=catalogue,
        db=db,
        slack=slack,
        background=Background(logger=logging.getLogger("network_bot.background")),
        registry=registry,
        roster=Roster(
            db=db,
            clock=clock,
            profile_ttl=timedelta(hours=settings.profile_ttl_hours),
            language_of=catalogue.resolve,
            fallback_language=SOURCE_LANGUAGE,
            messages_for=catalogue.get,
        ),
        cases=Cases(
            db=db,
            clock=clock,
            prefix=settings.case_prefix,
            review_channel=settings.review_channel,
            catalogue=catalogue,
        ),
        alerts=Alerts(db=db, clock=clock, catalogue=catalogue),
        following=following,
        timeline=Timeline(
            db=db,
            clock=clock,
            review_channel=settings.review_channel,
            batch_window=timedelta(minutes=settings.batch_minutes),
            catalogue=catalogue,
        ),
        home=Home(db=db, clock=clock, following=following),
        calendar=Calendar(
            db=db,
            clock=clock,
            campaign_channel=settings.campaign_channel,
            review_channel=settings.review_channel,
            post_hour=settings.campaign_hour,
            campaign=campaign,
            charts=charts,
            catalogue=catalogue,
        ),
        campaign=campaign,
        charts=charts,
        redactions=Redactions(db=db, clock=clock),
        exports=Exports(db=db, clock=clock),
        anniversaries=Anniversaries(db=db, clock=clock),
        channels=ChannelDirectory(clients=direct, network=approvals.network_teams),
        network_team=NetworkTeam(
            configured=settings.home_team if settings.oauth else settings.team_id,
            client=slack,
            network=approvals.network_teams if settings.oauth else None,
        ),
        workspaces=approvals,
        clients=direct,
        oauth_store=oauth.store if oauth else None,
        logger=logger,
    )
    if oauth:
        oauth.store.on_installed = bot.workspaces.installed
    # Approving or removing a workspace (here or from the command line) changes its members'
    # access in the database, not through the roster: what it remembers is read again.
    bot.workspaces.on_change(bot.roster.forget_all)
    bot.web_clients += [slack, sender]
    delivery = DeliveryWorker(
        db=db,
        clients=WorkspaceClients(tokens=tokens, template=sender),
        clock=clock,
        # Its own directory on the sender's clients: asked afresh before every channel post,
        # with 429s and outages handled by the worker's pauses, never slack_sdk's retries.
        channels=ChannelDirectory(
            clients=WorkspaceClients(tokens=tokens, template=sender),
            network=approvals.network_teams,
        ),
        admitted=bot.workspaces.is_approved,
        network=bot.workspaces.lanes,
        workspace_rate=settings.workspace_rate,
        channel_rate=settings.channel_rate,
        max_attempts=settings.max_attempts,
        concurrency=settings.delivery_concurrency,
        backoff=settings.retry_backoff,
        logger=logging.getLogger("network_bot.delivery"),
    )
    delivery.on_finished(bot.alerts.delivery_finished)
    db.on_commit(OUTBOX, delivery.wake)
    delivery.add_guard(bot.alerts.still_wanted)
    uploader = ChartUploader(
        db=db,
        clock=clock,
        clients=direct,
        admitted=bot.workspaces.is_approved,
        charts=charts,
        channels=bot.channels,
        catalogue=catalogue,
        logger=logging.getLogger("network_bot.charts"),
    )
    db.on_commit(CHARTS, uploader.wake)
    expander = AudienceExpander(
        expansion=Expansion(db=db, clock=clock, alerts=bot.alerts),
        logger=logging.getLogger("network_bot.expansion"),
    )
    db.on_commit(EXPANSION, expander.wake)
    scheduler = _scheduler(bot)
    db.on_commit(updates.FOLLOWERS_OWED, scheduler.wake)
    bot.workers += [expander, delivery, uploader, scheduler]
    # bolt takes an AsyncAuthorize instance for ``authorize`` (its hint says a function).
    many: dict[str, Any] = (
        {
            "oauth_settings": oauth.settings,
            "authorize": oauth.authorize,
            "installation_store_bot_only": True,
        }
        if oauth
        else {}
    )
    app = AsyncApp(
        client=slack,
        # The HTTP endpoint verifies each request's signature before it reaches bolt (the
        # replay guard records only verified ones: network_bot/web.py); Socket Mode needs none.
        # So bolt does not verify it a second time, and needs no secret.
        signing_secret="",
        request_verification_enabled=False,
        process_before_response=True,
        logger=logging.getLogger("network_bot.bolt"),
        name="network-bot",
        **many,
    )
    for middleware in (ReadPayload, AdmitWorkspace, HandleEventsOnce, IdentifyMember):
        app.use(middleware(bot=bot))
    app.error(_log_listener_error)
    wire(app, bot)
    bot.app = app
    return bot


def _one_token(settings: Settings) -> WorkspaceTokens:
    """One workspace: every key is the configured token's."""
    assert settings.slack_bot_token is not None
    return WorkspaceTokens(fixed=settings.slack_bot_token.get_secret_value(), home=settings.team_id)


def _scheduler(bot: Bot) -> Scheduler:
    """The periodic jobs; each queues what it sends under a dedupe key, so none posts twice."""
    scheduler = Scheduler(logger=logging.getLogger("network_bot.scheduler"))

    scheduler.every(
        2.0, "alert-status", bot.alerts.refresh_statuses, has_work=lambda: bot.alerts.has_changes
    )
    scheduler.every(300.0, "alert-digests", bot.alerts.send_digests)
    # Look for due batches several times per window (at least every 20 s, at most every 1 s).
    flush_every = max(1.0, min(20.0, bot.settings.batch_minutes * 60 / 6))
    # Woken when followers are owed an update, so a first update goes out at once.
    scheduler.every(
        flush_every, "update-notifications", bot.timeline.flush_notifications, on_wake=True
    )
    scheduler.every(300.0, "campaign-calendar", bot.calendar.run)
    if bot.clients.tokens.many:
        scheduler.every(600.0, "token-rotation", bot.clients.tokens.rotate_due)

    keep = retention.RetentionPolicy.from_settings(bot.settings)
    pruned_on: list[date] = []

    async def prune_daily() -> None:
        """Once a day (and at start-up): what the retention settings no longer keep goes."""
        today = bot.clock.now().date()
        if pruned_on and pruned_on[-1] == today:
            return
        report = await retention.prune(bot.db, keep=keep, now=bot.clock.now())
        pruned_on[:] = [today]
        if report.total:
            bot.logger.info("retention: pruned %s", report.model_dump(exclude={"dry_run"}))

    scheduler.every(3600.0, "retention", prune_daily)
    return scheduler


async def _log_listener_error(
    error: Exception, request: AsyncBoltRequest, response: BoltResponse | None
) -> Any:
    logging.getLogger("network_bot.bolt").warning("request failed: %s", describe_exception(error))
    if response is not None:
        response.status = 500
        response.body = ""
    return response
