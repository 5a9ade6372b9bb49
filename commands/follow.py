"""``/follow`` and ``/unfollow``: hear about every step in a case, or in a country."""

from __future__ import annotations

from network_bot import args
from network_bot.blocks import kit
from network_bot.blocks.cases import country_label
from network_bot.calls import ActionCall, CommandCall
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.registry import Action, Example, Registry, Reply, SlashCommand, Subcommand
from network_bot.services.cases import CASE_ID, normalise_id
from network_bot.services.following import FollowError

USAGE = say(
    "Write `/follow NI-2026-0042` for a case, `/follow country:PK` for a country, or "
    "`/follow` alone to see what you follow. `/unfollow` works the same way."
)


def _targets(text: str) -> tuple[list[str], list[str]]:
    parsed = args.parse(text)
    unknown = set(parsed.options) - {"country"}
    if unknown or parsed.users or parsed.channels:
        raise args.ArgError(say("I only understand case IDs and `country:`."))
    case_ids = [normalise_id(w) for w in parsed.words]
    if any(not CASE_ID.match(c) for c in case_ids):
        raise args.ArgError(say("Case IDs look like NI-2026-0042."))
    countries = [parsed.options["country"]] if "country" in parsed.options else []
    return case_ids, countries


def _refused(call: CommandCall, error: Refusal) -> Reply:
    return kit.notice(
        call.lang.gettext("{why} {usage}", why=kit.escape(error.text(call.lang)), usage=USAGE)
    )


async def follow_command(call: CommandCall) -> Reply:
    if not call.args:
        return await listing(call)
    lang = call.lang
    try:
        case_ids, countries = _targets(call.args)
        said = []
        for public_id in case_ids:
            record, new = await call.bot.following.follow_case(call.member, public_id)
            name = f"*{lang.isolate(record.public_id)}*"
            said.append(name if new else lang.gettext("{name} (already)", name=name))
        for code in countries:
            country, new = await call.bot.following.follow_country(call.member, code)
            name = country_label(country, lang)
            said.append(name if new else lang.gettext("{name} (already)", name=name))
    except (args.ArgError, FollowError) as error:
        return _refused(call, error)
    return kit.notice(
        lang.gettext(
            "You follow {what}. Each new step comes to you as a DM (several close together "
            "arrive as one).",
            what=", ".join(said),
        )
    )


async def unfollow_command(call: CommandCall) -> Reply:
    lang = call.lang
    if not call.args:
        return kit.notice(lang.render(USAGE))
    try:
        case_ids, countries = _targets(call.args)
        stopped: list[str] = []
        not_followed: list[str] = []
        for public_id in case_ids:
            found, gone = await call.bot.following.unfollow_case(call.member, public_id)
            (stopped if gone else not_followed).append(f"*{lang.isolate(found)}*")
        for code in countries:
            country, gone = await call.bot.following.unfollow_country(call.member, code)
            (stopped if gone else not_followed).append(country_label(country, lang))
    except (args.ArgError, FollowError) as error:
        return _refused(call, error)
    said = []
    if stopped:
        said.append(lang.gettext("You no longer follow {what}.", what=", ".join(stopped)))
    if not_followed:
        what = ", ".join(not_followed)
        said.append(
            lang.gettext("You were not following {what}, so nothing changed there.", what=what)
            if stopped
            else lang.gettext("You were not following {what}, so nothing changed.", what=what)
        )
    return kit.notice(" ".join(said))


async def listing(call: CommandCall) -> Reply:
    lang = call.lang
    followed = await call.bot.following.followed(call.member, limit=40)
    if not followed.cases and not followed.countries:
        return kit.notice(lang.gettext("You don't follow anything yet. {usage}", usage=USAGE))
    lines = [
        f"• *{lang.isolate(c.public_id)}* {kit.escape(lang.term(c.violation))}, "
        f"{country_label(c.country, lang)}: _{kit.escape(lang.term(c.justice_stage))}_"
        for c in followed.cases
    ]
    if followed.total_cases > len(followed.cases):
        lines.append(
            lang.ngettext(
                "…and {n} more case (see the Home tab)",
                "…and {n} more cases (see the Home tab)",
                followed.total_cases - len(followed.cases),
            )
        )
    blocks = kit.line_sections(
        "*" + lang.gettext("Cases you follow") + "*", lines or ["_" + lang.gettext("none") + "_"]
    )
    if followed.countries:
        blocks.append(
            kit.section(
                "*"
                + lang.gettext("Countries you follow")
                + "*\n"
                + ", ".join(country_label(c, lang) for c in followed.countries)
            )
        )
    return kit.message(blocks, text=lang.gettext("What you follow"))


async def follow_clicked(call: ActionCall) -> None:
    record, new = await call.bot.following.follow_case(call.member, call.value)
    said = (
        call.lang.gettext("You now follow *{id}*. `/unfollow {id}` stops it.", id=record.public_id)
        if new
        else call.lang.gettext(
            "You already follow *{id}*. `/unfollow {id}` stops it.", id=record.public_id
        )
    )
    await call.tell(kit.notice(said))


async def stop_clicked(call: ActionCall) -> None:
    """The "Stop following" button on a notification: ``case:ID`` or ``country:XX``."""
    kind, _, target = call.value.partition(":")
    if kind == "case":
        found, _gone = await call.bot.following.unfollow_case(call.member, target)
        name = f"*{call.lang.isolate(found)}*"
    elif kind == "country":
        code, _gone = await call.bot.following.unfollow_country(call.member, target)
        name = country_label(code, call.lang)
    else:
        raise FollowError(say("That button is not valid."))
    await call.tell(kit.notice(call.lang.gettext("You no longer follow {name}.", name=name)))


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/follow",
            summary=say("Follow a case or a country: every step comes to you as a DM."),
            usage_hint="[NI-2026-0042] [country:XX]",
            subcommands={"": Subcommand(handler=follow_command)},
            examples=(
                Example(text="/follow NI-2026-0042", does=say("follow a case")),
                Example(text="/follow country:PH", does=say("follow every case in a country")),
                Example(text="/follow", does=say("what you follow")),
            ),
        )
    )
    registry.command(
        SlashCommand(
            name="/unfollow",
            summary=say("Stop following a case or a country."),
            usage_hint="NI-2026-0042 | country:XX",
            subcommands={"": Subcommand(handler=unfollow_command)},
            examples=(Example(text="/unfollow NI-2026-0042", does=say("stop following a case")),),
        )
    )
    registry.action(Action(action_id="case.follow", handler=follow_clicked))
    registry.action(Action(action_id="follow.stop", handler=stop_clicked))
