"""``/follow`` and ``/unfollow``: hear about every step in a case, or in a country."""

from __future__ import annotations

from network_bot import args
from network_bot.blocks import kit
from network_bot.blocks.cases import country_label
from network_bot.calls import ActionCall, CommandCall
from network_bot.registry import Action, Example, Registry, Reply, SlashCommand, Subcommand
from network_bot.services.cases import CASE_ID
from network_bot.services.following import FollowError

USAGE = (
    "Write `/follow NI-2026-0042` for a case, `/follow country:PK` for a country, or "
    "`/follow` alone to see what you follow. `/unfollow` works the same way."
)


def _targets(text: str) -> tuple[list[str], list[str]]:
    parsed = args.parse(text)
    unknown = set(parsed.options) - {"country"}
    if unknown or parsed.users or parsed.channels:
        raise args.ArgError("I only understand case IDs and `country:`.")
    case_ids = [w.upper() for w in parsed.words]
    if any(not CASE_ID.match(c) for c in case_ids):
        raise args.ArgError("Case IDs look like NI-2026-0042.")
    countries = [parsed.options["country"]] if "country" in parsed.options else []
    return case_ids, countries


async def follow_command(call: CommandCall) -> Reply:
    if not call.args:
        return await listing(call)
    try:
        case_ids, countries = _targets(call.args)
        said = []
        for public_id in case_ids:
            record, new = await call.bot.following.follow_case(call.member, public_id)
            said.append(f"*{record.public_id}*" + ("" if new else " (already)"))
        for code in countries:
            country, new = await call.bot.following.follow_country(call.member, code)
            said.append(country_label(country) + ("" if new else " (already)"))
    except (args.ArgError, FollowError) as error:
        return kit.notice(f"{kit.escape(str(error))} {USAGE}")
    return kit.notice(
        f"You follow {', '.join(said)}. Each new step comes to you as a DM "
        "(several close together arrive as one)."
    )


async def unfollow_command(call: CommandCall) -> Reply:
    if not call.args:
        return kit.notice(USAGE)
    try:
        case_ids, countries = _targets(call.args)
        said = []
        for public_id in case_ids:
            name, gone = await call.bot.following.unfollow_case(call.member, public_id)
            said.append(f"*{name}*" + ("" if gone else " (you were not following it)"))
        for code in countries:
            country, gone = await call.bot.following.unfollow_country(call.member, code)
            said.append(country_label(country) + ("" if gone else " (you were not following it)"))
    except (args.ArgError, FollowError) as error:
        return kit.notice(f"{kit.escape(str(error))} {USAGE}")
    return kit.notice(f"Stopped following {', '.join(said)}.")


async def listing(call: CommandCall) -> Reply:
    followed = await call.bot.following.followed(call.member, limit=40)
    if not followed.cases and not followed.countries:
        return kit.notice(f"You don't follow anything yet. {USAGE}")
    lines = [
        f"• *{c.public_id}* {kit.escape(c.violation.label)}, {country_label(c.country)}: "
        f"_{kit.escape(c.justice_stage.label)}_"
        for c in followed.cases
    ]
    if followed.total_cases > len(followed.cases):
        lines.append(f"…and {followed.total_cases - len(followed.cases)} more (see the Home tab)")
    blocks = [kit.section("*Cases you follow*\n" + ("\n".join(lines) or "_none_"))]
    if followed.countries:
        blocks.append(
            kit.section(
                "*Countries you follow*\n" + ", ".join(country_label(c) for c in followed.countries)
            )
        )
    return kit.message(blocks, text="What you follow")


async def follow_clicked(call: ActionCall) -> None:
    try:
        record, new = await call.bot.following.follow_case(call.member, call.value)
    except FollowError as error:
        await call.tell(kit.notice(str(error)))
        return
    await call.tell(
        kit.notice(
            f"You {'now follow' if new else 'already follow'} "
            f"*{record.public_id}*. `/unfollow {record.public_id}` stops it."
        )
    )


async def stop_clicked(call: ActionCall) -> None:
    """The "Stop following" button on a notification: ``case:ID`` or ``country:XX``."""
    kind, _, target = call.value.partition(":")
    try:
        if kind == "case":
            name, _gone = await call.bot.following.unfollow_case(call.member, target)
        elif kind == "country":
            code, _gone = await call.bot.following.unfollow_country(call.member, target)
            name = country_label(code)
        else:
            raise FollowError("That button is not valid.")
    except FollowError as error:
        await call.tell(kit.notice(str(error)))
        return
    await call.tell(kit.notice(f"You no longer follow {name}."))


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/follow",
            summary="Follow a case or a country: every step comes to you as a DM.",
            usage_hint="[NI-2026-0042] [country:XX]",
            subcommands={"": Subcommand(handler=follow_command)},
            examples=(
                Example(text="/follow NI-2026-0042", does="follow a case"),
                Example(text="/follow country:PH", does="follow every case in a country"),
                Example(text="/follow", does="what you follow"),
            ),
        )
    )
    registry.command(
        SlashCommand(
            name="/unfollow",
            summary="Stop following a case or a country.",
            usage_hint="NI-2026-0042 | country:XX",
            subcommands={"": Subcommand(handler=unfollow_command)},
            examples=(Example(text="/unfollow NI-2026-0042", does="stop following a case"),),
        )
    )
    registry.action(Action(action_id="case.follow", handler=follow_clicked))
    registry.action(Action(action_id="follow.stop", handler=stop_clicked))
