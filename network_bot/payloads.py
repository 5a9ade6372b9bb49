"""What Slack sends, as pydantic models: a payload that does not fit is refused before any handler.

Only the fields the bot reads are declared; everything else Slack adds is kept but ignored
(``enterprise``, ``is_enterprise_install``, ``authorizations``, ``response_urls`` …).

Slack escapes ``&``, ``<`` and ``>`` in what people type as ``&amp;``, ``&lt;``, ``&gt;``
(Formatting message text, "Escaping text"; slash commands send their text that way). Those three
entities are undone here, once, for command text and typed values, so the rest of the bot holds
what the person typed; ``kit.escape`` escapes again only when it is rendered as mrkdwn. Real
markup such as a mention ``<@U0123ABCD|name>`` arrives with literal ``<``/``>`` and is left as it
is for the argument parser.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from network_bot.blocks.kit import unescape
from network_bot.slack_ids import CHANNEL_ID, TEAM_ID, USER_ID

MAX_COMMAND_TEXT = 4000


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class SlashCommandPayload(_Payload):
    command: str = Field(pattern=r"^/[a-z0-9_-]{1,31}$")
    text: str = Field(default="", max_length=MAX_COMMAND_TEXT)
    user_id: str = Field(pattern=USER_ID.pattern)
    user_name: str = ""
    team_id: str = Field(pattern=TEAM_ID.pattern)
    channel_id: str = Field(pattern=CHANNEL_ID.pattern)
    channel_name: str = ""
    response_url: str = ""
    trigger_id: str = ""

    @field_validator("text")
    @classmethod
    def _typed(cls, text: str) -> str:
        return unescape(text)


class PayloadUser(_Payload):
    id: str = Field(pattern=USER_ID.pattern)
    username: str = ""
    name: str = ""
    team_id: str | None = None


class PayloadTeam(_Payload):
    id: str = Field(pattern=TEAM_ID.pattern)
    domain: str = ""


class PayloadChannel(_Payload):
    id: str = Field(pattern=CHANNEL_ID.pattern)
    name: str = ""


class BlockAction(_Payload):
    action_id: str = Field(min_length=1, max_length=255)
    block_id: str = ""
    type: str = ""
    value: str | None = Field(default=None, max_length=2000)
    selected_option: dict[str, Any] | None = None
    action_ts: str = ""


# Elements whose state holds text the person typed (View state, per element type).
TYPED_VALUE_ELEMENTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
)


class ViewState(_Payload):
    values: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _typed(
        cls, values: dict[str, dict[str, dict[str, Any]]]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """Typed values with Slack's entities undone; options, dates and picks are left alone
        (their values are the ones the bot sent)."""
        return {
            block_id: {
                action_id: (
                    {**state, "value": unescape(state["value"])}
                    if state.get("type") in TYPED_VALUE_ELEMENTS
                    and isinstance(state.get("value"), str)
                    else state
                )
                for action_id, state in elements.items()
            }
            for block_id, elements in values.items()
        }


class PayloadView(_Payload):
    id: str = ""
    type: Literal["modal", "home"]
    callback_id: str = ""
    private_metadata: str = Field(default="", max_length=3000)
    hash: str = ""
    state: ViewState = Field(default_factory=ViewState)
    blocks: list[dict[str, Any]] = Field(default_factory=list)
    root_view_id: str | None = None


class BlockActionsPayload(_Payload):
    type: Literal["block_actions"]
    user: PayloadUser
    team: PayloadTeam | None = None
    trigger_id: str = ""
    response_url: str | None = None
    actions: list[BlockAction] = Field(min_length=1, max_length=1)
    channel: PayloadChannel | None = None
    message: dict[str, Any] | None = None
    view: PayloadView | None = None
    container: dict[str, Any] = Field(default_factory=dict)


class ViewSubmissionPayload(_Payload):
    type: Literal["view_submission", "view_closed"]
    user: PayloadUser
    team: PayloadTeam | None = None
    view: PayloadView
    trigger_id: str = ""


class BlockSuggestionPayload(_Payload):
    type: Literal["block_suggestion"]
    user: PayloadUser
    team: PayloadTeam | None = None
    action_id: str = Field(min_length=1, max_length=255)
    block_id: str = ""
    value: str = Field(default="", max_length=200)
    view: PayloadView | None = None

    @field_validator("value")
    @classmethod
    def _typed(cls, value: str) -> str:
        return unescape(value)


class EventCallbackPayload(_Payload):
    type: Literal["event_callback"]
    team_id: str = Field(pattern=TEAM_ID.pattern)
    event_id: str = Field(min_length=1, max_length=64)
    event_time: int = 0
    event: dict[str, Any]


Incoming = (
    SlashCommandPayload
    | BlockActionsPayload
    | ViewSubmissionPayload
    | BlockSuggestionPayload
    | EventCallbackPayload
)


class UnknownPayload(Exception):
    """A signed request whose kind the bot does not handle (shortcuts, dialogs, ...)."""


def kind_of(body: Any) -> str | None:
    """Which payload model a body is for: a slash command is the one kind Slack sends without a
    ``type`` (its form has ``command``); a closed modal is read as its submission is."""
    if not isinstance(body, dict):
        return None
    if "command" in body:
        return "slash_command"
    kind = body.get("type")
    if kind == "view_closed":
        return "view_submission"
    return kind if isinstance(kind, str) and kind in KINDS else None


KINDS = frozenset(
    {"slash_command", "block_actions", "view_submission", "block_suggestion", "event_callback"}
)

# pydantic picks the model by the body's kind (a discriminated union), so a body is validated
# against its own model only and its errors name that model's fields.
_INCOMING: TypeAdapter[Incoming] = TypeAdapter(
    Annotated[
        Annotated[SlashCommandPayload, Tag("slash_command")]
        | Annotated[BlockActionsPayload, Tag("block_actions")]
        | Annotated[ViewSubmissionPayload, Tag("view_submission")]
        | Annotated[BlockSuggestionPayload, Tag("block_suggestion")]
        | Annotated[EventCallbackPayload, Tag("event_callback")],
        Discriminator(kind_of),
    ]
)


def parse(body: dict[str, Any]) -> Incoming:
    """Classify and validate a request body; raises ``ValidationError`` or ``UnknownPayload``."""
    if kind_of(body) is None:
        kind = body.get("type")
        raise UnknownPayload(str(kind)[:40] if kind else "no type")
    return _INCOMING.validate_python(body)


def problems(error: ValidationError) -> str:
    """Which fields were wrong, for the log: locations only, never the values."""
    return ", ".join(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors()[:5])


def user_team_of(payload: Incoming) -> str | None:
    """The workspace of the person who clicked or submitted (differs from the request's for a
    Slack Connect guest). The rest of who-and-where (``user_id``, ``team_id``,
    ``enterprise_id``, ``actor_team_id``) is read from bolt's context, which bolt fills from
    the same payload for every kind of request."""
    if isinstance(payload, SlashCommandPayload | EventCallbackPayload):
        return None
    return payload.user.team_id
