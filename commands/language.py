"""``/network language [code]``: which language the bot writes to a member in."""

from __future__ import annotations

from network_bot import args
from network_bot.blocks import kit
from network_bot.calls import CommandCall
from network_bot.registry import Reply


async def language(call: CommandCall) -> Reply:
    """The choices, each in its own language, or the choice made (said in the new language)."""
    parsed: args.Parsed = call.args
    catalogue = call.bot.catalogue
    if parsed.users or parsed.channels or parsed.options or len(parsed.words) != 1:
        return kit.notice(language_choices(call))
    code = catalogue.resolve(parsed.first)
    if code is None:
        return kit.notice(
            call.lang.gettext("I don't speak `{code}` yet.", code=kit.escape(parsed.first[:20]))
            + "\n"
            + language_choices(call)
        )
    updated = await call.bot.roster.choose_language(call.member, code)
    chosen = catalogue.get(updated.language)
    return kit.notice(
        chosen.gettext(
            "From now on I write to you in {language}. `/network me` shows it.",
            language=chosen.name,
        )
    )


def language_choices(call: CommandCall) -> str:
    """Each language named in itself, with its command, so anyone can find theirs."""
    lines = [
        f"• {m.name}: {call.lang.isolate(f'`/network language {m.language}`')}"
        for m in call.bot.catalogue.choices()
    ]
    current = call.bot.catalogue.get(call.member.language)
    return (
        call.lang.gettext("You read the bot in {language}.", language=current.name)
        + "\n"
        + "\n".join(lines)
    )
