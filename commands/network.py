"""``/network``: help, who am I, who is on the roster, and roles."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commands.language import language, language_choices
from commands.workspaces import list_workspaces
from network_bot import args
from network_bot.blocks import kit
from network_bot.blocks.audit import audit_message
from network_bot.blocks.help import HelpPages
from network_bot.blocks.roster import country_label, me_message, members_message
from network_bot.calls import CommandCall
from network_bot.i18n import Text, say
from network_bot.registry import Example, Registry, Reply, Request, SlashCommand, Subcommand
from network_bot.roles import Role
from network_bot.services.cases import CASE_ID, normalise_id
from network_bot.services.roster import RosterError
from network_bot.store.anniversaries import Switch
from network_bot.store.members import AlertPref
from network_bot.validators import CountryCode, Stripped

PER_PAGE = 25
LANG_CODE = say("`lang:` should be a language code such as en, fr, es or ar")


class JoinArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org: Stripped | None = Field(default=None, min_length=2, max_length=120)
    country: CountryCode | None = None
    lang: str | None = None

    @field_validator("lang")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2})?", value.lower()):
            raise ValueError(str(LANG_CODE))  # a catalogue entry: said in the reader's language
        return value.lower() if value else None


class RoleArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str
    role: Role


class MembersArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    page: int = Field(default=1, ge=1, le=10_000)


def read(text: str) -> Request:
    """The subcommand is the first word after shell-style reading; the rest is its arguments."""
    parsed = args.parse(text)
    return Request(verb=parsed.first, args=parsed.rest)


async def me(call: CommandCall) -> Reply:
    names = await call.bot.workspaces.names()
    return me_message(
        call.member,
        language=call.bot.catalogue.get(call.member.language).name,
        alerts=lang_pref(call),
        lang=call.lang,
        workspace=names.get(call.member.workspace_id or ""),
    )


def lang_pref(call: CommandCall) -> str:
    """How the member gets alerts, said in their language."""
    return call.lang.render(PREF_TEXT[call.member.alert_pref])


def _usage(call: CommandCall, why: str, usage: Text) -> Reply:
    return kit.notice(call.lang.gettext("{why} {usage}", why=why, usage=usage))


JOIN_USAGE = say('Write it like `/network join org:"Your organisation" country:KE lang:en`.')


async def join(call: CommandCall) -> Reply:
    parsed: args.Parsed = call.args
    lang = call.lang
    if parsed.words or parsed.users or parsed.channels:
        why = lang.gettext("I only understand `org:`, `country:` and `lang:` here.")
        return _usage(call, why, JOIN_USAGE)
    try:
        wanted = JoinArgs.model_validate(parsed.options)
    except ValidationError as error:
        return _usage(call, kit.escape(args.explain(error, lang)), JOIN_USAGE)
    if wanted.org is None and wanted.country is None and wanted.lang is None:
        return _usage(call, lang.gettext("Tell me your organisation and country."), JOIN_USAGE)
    if call.member.organisation is None and wanted.org is None:
        why = lang.gettext("Please include your organisation the first time.")
        return _usage(call, why, JOIN_USAGE)
    if wanted.lang is not None and call.bot.catalogue.resolve(wanted.lang) is None:
        return kit.notice(
            lang.gettext("I don't speak `{code}` yet.", code=kit.escape(wanted.lang))
            + "\n"
            + language_choices(call)
        )
    updated = await call.bot.roster.update_details(
        call.member, organisation=wanted.org, country=wanted.country, language=None
    )
    if wanted.lang is not None:
        updated = await call.bot.roster.choose_language(updated, wanted.lang)
        lang = call.bot.catalogue.get(updated.language)
    return kit.notice(
        lang.gettext(
            "Thanks! You are on the roster as *{organisation}*, {country}. See it with "
            "`/network me`.",
            organisation=kit.escape(updated.organisation or ""),
            country=country_label(updated.country, lang),
        )
    )


ROLE_USAGE = say("Write it like `/network role @name coordinator`.")


async def change_role(call: CommandCall) -> Reply:
    parsed: args.Parsed = call.args
    lang = call.lang
    unknown = [w for w in parsed.words if w.startswith("@")]
    if unknown and not parsed.users:
        why = lang.gettext(
            "I can't find {who} in this workspace, so nothing changed. Choose them from "
            "Slack's list as you type @, so the name becomes a mention.",
            who=kit.escape(unknown[0][:40]),
        )
        return _usage(call, why, ROLE_USAGE)
    if len(parsed.users) > 1:
        return _usage(call, lang.gettext("Name one person at a time."), ROLE_USAGE)
    if not parsed.users:
        return _usage(call, lang.gettext("Whose role? Mention them with @."), ROLE_USAGE)
    if not parsed.words:
        why = lang.gettext(
            "Which role for {who}: `member`, `coordinator` or `admin`?",
            who=kit.mention(parsed.users[0]),
        )
        return _usage(call, why, ROLE_USAGE)
    if len(parsed.words) > 1 or parsed.options or parsed.channels:
        why = lang.gettext("Name one person and one role, nothing more.")
        return _usage(call, why, ROLE_USAGE)
    try:
        wanted = RoleArgs(user_id=parsed.users[0], role=parsed.words[0].lower())  # type: ignore[arg-type]
    except ValidationError:
        why = lang.gettext(
            "`{word}` is not a role: `member`, `coordinator` or `admin`.",
            word=kit.escape(parsed.words[0][:30]),
        )
        return _usage(call, why, ROLE_USAGE)
    try:
        updated = await call.bot.roster.change_role(
            actor=call.member, target_id=wanted.user_id, role=wanted.role
        )
    except RosterError as error:
        return kit.notice(kit.escape(error.text(lang)))
    return kit.notice(
        lang.gettext(
            "{who} is now *{role}*. They are told in a DM; the change is in the audit log.",
            who=kit.mention(updated.user_id),
            role=updated.role,
        )
    )


MEMBERS_USAGE = say("Write it like `/network members coordinator page:2`.")


async def list_members(call: CommandCall) -> Reply:
    parsed: args.Parsed = call.args
    if len(parsed.words) > 1 or parsed.users or parsed.channels:
        return kit.notice(call.lang.render(MEMBERS_USAGE))
    role_word = parsed.word(0).lower().removesuffix("s") or None
    if role_word is not None and role_word not in {r.value for r in Role}:
        why = call.lang.gettext(
            "`{word}` is not a role: `member`, `coordinator` or `admin`.",
            word=kit.escape(parsed.word(0)[:30]),
        )
        return _usage(call, why, MEMBERS_USAGE)
    try:
        wanted = MembersArgs.model_validate({"role": role_word, **parsed.options})
    except ValidationError as error:
        return _usage(call, kit.escape(args.explain(error, call.lang)), MEMBERS_USAGE)
    rows, total = await call.bot.roster.list(
        call.member, role=wanted.role, limit=PER_PAGE, offset=(wanted.page - 1) * PER_PAGE
    )
    pages = max(1, -(-total // PER_PAGE))
    if wanted.page > pages:
        return kit.notice(
            call.lang.ngettext(
                "There is no page {page}: the list has {n} page.",
                "There is no page {page}: the list has {n} pages.",
                pages,
                page=call.lang.number(wanted.page),
            )
        )
    return members_message(
        rows,
        total=total,
        page=wanted.page,
        per_page=PER_PAGE,
        role_filter=wanted.role.value if wanted.role else None,
        lang=call.lang,
        workspaces=await call.bot.workspaces.names(),
    )


class AuditArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: date | None = None


AUDIT_USAGE = say(
    "Write it like `/network audit`, `/network audit @name`, `/network audit NI-2026-0042` or "
    "`/network audit since:2026-11-01`; add `all` to include every action."
)


async def show_audit(call: CommandCall) -> Reply:
    parsed: args.Parsed = call.args
    lang = call.lang
    words = [w for w in parsed.words if w.lower() != "all"]
    everything = len(words) < len(parsed.words)
    if len(parsed.users) + len(words) > 1 or parsed.channels:
        return _usage(call, lang.gettext("Name at most one person or one case."), AUDIT_USAGE)
    try:
        wanted = AuditArgs.model_validate(parsed.options)
    except ValidationError as error:
        return _usage(call, kit.escape(args.explain(error, lang)), AUDIT_USAGE)
    case_id = normalise_id(words[0]) if words else None
    if case_id is not None and not CASE_ID.match(case_id):
        why = lang.gettext("`{text}` is not a person or a case ID.", text=kit.escape(words[0][:30]))
        return _usage(call, why, AUDIT_USAGE)
    person = parsed.users[0] if parsed.users else None
    since = datetime.combine(wanted.since, time(), UTC) if wanted.since else None
    entries = await call.bot.roster.audit_trail(
        call.member, person=person, target=case_id, since=since, everything=everything
    )
    scope = " ".join(
        part
        for part in (
            lang.gettext("about {who}", who=kit.mention(person)) if person else "",
            lang.gettext("about *{id}*", id=case_id) if case_id else "",
            lang.gettext("since {day}", day=lang.date(wanted.since)) if wanted.since else "",
        )
        if part
    )
    return audit_message(
        entries,
        scope=scope or lang.gettext("(latest)"),
        everything=everything,
        lang=lang,
        workspaces=await call.bot.workspaces.names(),
    )


PREF_TEXT = {
    AlertPref.ALL: say("every alert as a DM as soon as it is sent"),
    AlertPref.DIGEST: say(
        "one digest a day (around 09:00 your time); urgent alerts still come at once"
    ),
    AlertPref.MUTE: say("no alerts, except urgent ones (life at risk)"),
}


ANNIVERSARIES_USAGE = say(
    "Write `/network anniversaries country:PK on` (or `off`) to post the anniversaries of a "
    "country's imported cases; `/network anniversaries` lists the countries switched on."
)


async def anniversaries(call: CommandCall) -> Reply:
    """Which countries' imported cases have their anniversaries posted; switch one."""
    parsed: args.Parsed = call.args
    lang = call.lang
    if not parsed.words and not parsed.options and not parsed.users and not parsed.channels:
        switches = await call.bot.anniversaries.country_switches(call.member)
        if not switches.countries_on:
            why = lang.gettext(
                "No country's imported cases have their anniversaries posted (cases reported "
                "here always do, unless switched off one by one)."
            )
            return _usage(call, why, ANNIVERSARIES_USAGE)
        listed = ", ".join(
            f"{country_label(code, lang)} ({lang.number(switches.imported_on[code])})"
            for code in switches.countries_on
        )
        why = lang.gettext(
            "Anniversaries of imported cases are posted for: {countries}.", countries=listed
        )
        return _usage(call, why, ANNIVERSARIES_USAGE)
    choice = parsed.word(0).lower()
    code = parsed.options.get("country")
    if (
        parsed.users
        or parsed.channels
        or len(parsed.words) != 1
        or set(parsed.options) != {"country"}
        or choice not in ("on", "off")
        or not code
    ):
        return kit.notice(lang.render(ANNIVERSARIES_USAGE))
    answer = await call.bot.anniversaries.switch_country(call.member, str(code), Switch(choice))
    return kit.notice(lang.render(answer))


PREFS_USAGE = say("Write `/network prefs all`, `/network prefs digest` or `/network prefs mute`.")


async def prefs(call: CommandCall) -> Reply:
    parsed: args.Parsed = call.args
    lang = call.lang
    choice = parsed.first
    if not choice:
        current = lang.render(PREF_TEXT[call.member.alert_pref])
        return _usage(call, lang.gettext("You get {what}.", what=current), PREFS_USAGE)
    try:
        wanted = AlertPref(choice)
    except ValueError:
        return kit.notice(lang.render(PREFS_USAGE))
    await call.bot.roster.set_alert_pref(call.member, wanted)
    return kit.notice(lang.gettext("Done: from now on you get {what}.", what=PREF_TEXT[wanted]))


def register(registry: Registry) -> None:
    pages = HelpPages(registry=registry)

    async def help_command(call: CommandCall) -> Reply:
        return pages.page(role=call.member.role, lang=call.lang)

    registry.command(
        SlashCommand(
            name="/network",
            summary=say("Help, your roster entry, the roster, and roles."),
            usage_hint=(
                'help | me | join org:"..." country:XX | prefs [all|digest|mute] | '
                "language [en|fr|es|ar] | members [role] | role @user ROLE | "
                "audit [@user|case] [since:DATE] | anniversaries [country:XX on|off] | workspaces"
            ),
            read=read,
            subcommands={
                "": Subcommand(handler=help_command),
                "help": Subcommand(handler=help_command),
                "me": Subcommand(handler=me),
                "join": Subcommand(handler=join),
                "prefs": Subcommand(handler=prefs),
                "language": Subcommand(handler=language),
                "members": Subcommand(handler=list_members, role=Role.COORDINATOR),
                "role": Subcommand(handler=change_role, role=Role.ADMIN),
                "audit": Subcommand(handler=show_audit, role=Role.ADMIN),
                "anniversaries": Subcommand(handler=anniversaries, role=Role.COORDINATOR),
                "workspaces": Subcommand(handler=list_workspaces, role=Role.ADMIN),
            },
            unknown=say(
                "I don't know `/network {verb}`. Type `/network help` to see every "
                "command with examples."
            ),
            examples=(
                Example(text="/network help", does=say("this list")),
                Example(text="/network me", does=say("what the network knows about you")),
                Example(
                    text='/network join org:"Free Media Desk" country:KE lang:en',
                    does=say("say which organisation and country you work for"),
                ),
                Example(
                    text="/network language fr",
                    does=say("read the bot in French (or en, es, ar; alone: the choices)"),
                ),
                Example(
                    text="/network prefs digest",
                    does=say("alerts once a day (or `all`, or `mute`: urgent ones still come)"),
                ),
                Example(
                    text="/network members coordinator", does=say("who coordinates (coordinators)")
                ),
                Example(text="/network role @amina coordinator", does=say("give a role (admins)")),
                Example(
                    text="/network audit NI-2026-0042 since:2026-11-01",
                    does=say("who read restricted data, changed roles or redacted (admins)"),
                ),
                Example(
                    text="/network anniversaries country:PK on",
                    does=say("post anniversaries of a country's imported cases (coordinators)"),
                ),
                Example(
                    text="/network workspaces",
                    does=say("the member organisations' workspaces: approve or remove (admins)"),
                ),
            ),
        )
    )
