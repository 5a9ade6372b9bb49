"""``/network workspaces`` (admins): which workspaces are the network, with Approve / Remove.

The buttons name a workspace in their value; the clicker's role is checked by the route and
again by the service, and the workspace is looked up afresh, so a tampered value can name only
a workspace that exists, and only an admin's click changes anything. Each change is audited.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from network_bot import args
from network_bot.blocks import kit
from network_bot.blocks.workspaces import APPROVE, REMOVE, workspaces_message
from network_bot.calls import ActionCall, CommandCall
from network_bot.i18n import Messages, say
from network_bot.registry import Action, Registry, Reply
from network_bot.roles import Role
from network_bot.services.workspaces import Change, WorkspaceError
from network_bot.slack_ids import TEAM_ID

USAGE = say("Write it like `/network workspaces` or `/network workspaces page:2`.")
ONE_WORKSPACE = say(
    "This network runs in one workspace (a single bot token), so there are no other "
    "workspaces to approve."
)


class ListArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=1000)


async def _listing(call: CommandCall | ActionCall, *, page: int, replace: bool) -> Reply:
    service = call.bot.workspaces
    rows = await service.list(call.member)
    counts = await service.member_counts(call.member)
    return workspaces_message(
        rows, members=counts, home=service.home, lang=call.lang, page=page, replace=replace
    )


async def list_workspaces(call: CommandCall) -> Reply:
    lang = call.lang
    if not call.bot.settings.oauth:
        return kit.notice(lang.render(ONE_WORKSPACE))
    parsed: args.Parsed = call.args
    if parsed.words or parsed.users or parsed.channels:
        return kit.notice(lang.render(USAGE))
    try:
        wanted = ListArgs.model_validate(parsed.options)
    except ValidationError as error:
        return kit.notice(
            lang.gettext(
                "{why} {usage}",
                why=kit.escape(args.explain(error, lang)),
                usage=lang.render(USAGE),
            )
        )
    return await _listing(call, page=wanted.page, replace=False)


def _said(verb: str, change: Change, lang: Messages) -> str:
    label = kit.escape(change.workspace.label)
    if verb == "approve":
        return lang.ngettext(
            "*{workspace}* is now part of the network; {n} member has their access back. "
            "The approval is in the audit log.",
            "*{workspace}* is now part of the network; {n} members have their access back. "
            "The approval is in the audit log.",
            change.members,
            workspace=label,
        )
    cancelled = lang.ngettext(
        "{n} pending message cancelled", "{n} pending messages cancelled", change.cancelled
    )
    lost = lang.ngettext(
        "{n} member lost access (kept on the roster)",
        "{n} members lost access (kept on the roster)",
        change.members,
    )
    return lang.gettext(
        "*{workspace}* is removed: {cancelled} and {lost}. It is in the audit log.",
        workspace=label,
        cancelled=cancelled,
        lost=lost,
    )


async def _decide(call: ActionCall, verb: str) -> None:
    lang = call.lang
    workspace_id = call.value.strip().upper()
    if not TEAM_ID.match(workspace_id) or not call.bot.settings.oauth:
        await call.tell(
            kit.notice(lang.gettext("That button no longer works. See `/network workspaces`."))
        )
        return
    service = call.bot.workspaces
    by = call.member.user_id
    try:
        if verb == "approve":
            change = await service.approve(actor=call.member, by=by, workspace_id=workspace_id)
        else:
            change = await service.remove(actor=call.member, by=by, workspace_id=workspace_id)
    except WorkspaceError as error:
        await call.tell(kit.notice(kit.escape(error.text(lang))))
        return
    await call.tell(kit.notice(_said(verb, change, lang)), channel_id=call.channel_id)
    if call.response_url:
        await call.tell(await _listing(call, page=1, replace=True))


async def approve_clicked(call: ActionCall) -> None:
    await _decide(call, "approve")


async def remove_clicked(call: ActionCall) -> None:
    await _decide(call, "remove")


def register(registry: Registry) -> None:
    registry.action(Action(action_id=APPROVE, handler=approve_clicked, role=Role.ADMIN))
    registry.action(Action(action_id=REMOVE, handler=remove_clicked, role=Role.ADMIN))
