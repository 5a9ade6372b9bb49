"""``/cases``: search the record, with filters, ten at a time."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from network_bot import args
from network_bot.blocks import cases as render
from network_bot.blocks import kit
from network_bot.calls import ActionCall, Call, CommandCall
from network_bot.data import countries
from network_bot.registry import Action, Example, Registry, Reply, SlashCommand
from network_bot.services.cases import CaseError
from network_bot.validators import CountryCode
from network_bot.vocabulary import Status, Violation

PER_PAGE = 10
MAX_WORDS = 12
USAGE = (
    "Try `/cases journalist country:PK status:verified type:killing since:2024-01-01 "
    "page:2`, or `/cases mine` for your own reports."
)
OPTIONS = ("country", "status", "type", "since", "page")


class CasesQuery(BaseModel):
    """What a search asks for. Also the value of the Next/Previous buttons, re-checked on click."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = Field(default=(), max_length=MAX_WORDS)
    country: CountryCode | None = None
    status: Status | None = None
    type: Violation | None = None
    since: date | None = None
    mine: bool = False
    page: int = Field(default=1, ge=1, le=1000)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = Status.parse(value)
            if found is None:
                raise ValueError(
                    "Status should be one of reported, under_review, verified, "
                    "rejected or duplicate"
                )
            return found
        return value

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = Violation.parse(value)
            if found is None:
                raise ValueError(
                    "Type should be a violation such as killing, abduction, "
                    "detention, threats or online-harassment"
                )
            return found
        return value

    @field_validator("words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w[:40] for w in value)

    def title(self) -> str:
        kind = (
            f"{self.status.label} cases"
            if self.status
            else ("Your reports" if self.mine else "Verified cases")
        )
        parts = [kind]
        if self.words:
            parts.append(f"matching “{' '.join(self.words)}”")
        if self.type:
            parts.append(f"of {self.type.label}")
        if self.country:
            found = countries.by_code(self.country)
            parts.append(f"in {found.name if found else self.country}")
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        return " ".join(parts)

    def button_value(self, page: int) -> str | None:
        value = self.model_copy(update={"page": page}).model_dump_json(exclude_defaults=True)
        return value if len(value) <= kit.BUTTON_VALUE else None


def parse_query(text: str) -> CasesQuery:
    parsed = args.parse(text)
    unknown = set(parsed.options) - set(OPTIONS)
    if unknown:
        raise args.ArgError(f"I don't know the filter `{sorted(unknown)[0]}:`.")
    words = [w for w in parsed.words if w.lower() != "mine"]
    data: dict[str, Any] = {
        **parsed.options,
        "words": tuple(words),
        "mine": len(words) != len(parsed.words),
    }
    try:
        return CasesQuery.model_validate(data)
    except ValidationError as error:
        raise args.ArgError(args.explain(error)) from None


async def run_query(call: Call, query: CasesQuery) -> Reply:
    today = call.bot.clock.now().date()
    if query.since and query.since > today:
        return kit.notice(f"`since:` can't be in the future. {USAGE}")
    try:
        page = await call.bot.cases.search(
            call.member,
            words=query.words,
            country=query.country,
            statuses=(query.status,) if query.status else (),
            violation=query.type,
            since=query.since,
            mine=query.mine,
            page=query.page,
            per_page=PER_PAGE,
        )
    except CaseError as error:
        return kit.notice(str(error))
    return render.search_results(
        page.cases,
        today=today,
        title=query.title(),
        page=query.page,
        next_value=query.button_value(query.page + 1) if page.has_next else None,
        prev_value=query.button_value(query.page - 1) if query.page > 1 else None,
    )


async def cases_command(call: CommandCall) -> Reply:
    try:
        query = parse_query(call.text)
    except args.ArgError as error:
        return kit.notice(f"{kit.escape(str(error))} {USAGE}")
    return await run_query(call, query)


async def page_clicked(call: ActionCall) -> None:
    """Next/Previous: the query comes from the button, the visibility from who clicked it."""
    try:
        query = CasesQuery.model_validate(json.loads(call.value))
    except (ValueError, ValidationError):
        await call.tell(kit.notice(f"That button no longer works. {USAGE}"))
        return
    reply = await run_query(call, query)
    await call.tell({**reply, "replace_original": True})


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/cases",
            summary="Search the case record: words and filters, newest first.",
            usage_hint=(
                "[words] [country:XX] [status:S] [type:T] [since:YYYY-MM-DD] [mine] [page:N]"
            ),
            handler=cases_command,
            examples=(
                Example(text="/cases", does="the latest verified cases"),
                Example(
                    text="/cases radio journalist country:PK", does="words and a country filter"
                ),
                Example(text="/cases type:killing since:2024-01-01", does="killings since 2024"),
                Example(text="/cases mine", does="your own reports, verified or not"),
            ),
        )
    )
    registry.action(Action(action_id="cases.page", handler=page_clicked))
