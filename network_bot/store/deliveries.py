"""What one outbox row is, and the words for it.

A **delivery** is one outbox row: one call to Slack to make (post a message, edit or delete one
posted before) and what became of it. ``Outgoing`` is a delivery to queue; ``Delivery`` is one
as stored, with its state. A delivery is **finished** once it is sent, failed or cancelled.
Its ``purpose`` says why it is sent (the review card, an alert, a recall note...); ``ref_kind``
and ``ref_id`` say what it belongs to, so that everything queued for one alert, case or update
can be found, counted, stopped or edited together.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from enum import StrEnum
from typing import Any, NotRequired, TypedDict, Unpack

from pydantic import BaseModel, ConfigDict, Field

from network_bot.clock import parse_iso


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Operation(StrEnum):
    POST = "post"
    UPDATE = "update"
    DELETE = "delete"


class TargetKind(StrEnum):
    USER = "user"
    CHANNEL = "channel"


class Purpose(StrEnum):
    """Why a delivery is sent (stored as is, and shown to admins next to a failure)."""

    REVIEW = "review"  # a new report's review card (and its claim by a coordinator)
    URGENT = "urgent"  # the coordinators' DM about an urgent report
    REVIEW_OUTCOME = "review-outcome"  # the reporter's news of the decision, the card's end
    UPDATE_REVIEW = "update-review"  # a proposed update's card, and its closing edit
    UPDATE_OUTCOME = "update-outcome"  # the proposer's news of the decision
    NOTIFICATION = "notification"  # a follower's news of a case's updates
    ALERT = "alert"  # one copy of an alert (a DM or a channel post)
    ALERT_STATUS = "alert-status"  # the coordinator's live status message of an alert
    RECALL = "alert-recall"  # the note a recalled alert's delivered copy becomes
    DIGEST = "digest"  # a member's daily digest of alerts
    CALENDAR = "calendar"  # the anniversaries post
    CAMPAIGN_DIGEST = "campaign-digest"  # the campaign digest before a day of action
    REDACTION = "redaction"  # a delivered message edited to take a name out
    WORKSPACE = "workspace"  # the admins' notice of a workspace waiting for approval
    ROLE_CHANGE = "role-change"  # a member's news that an admin changed their role


# Edits that only take information out of a message: they may reach a channel that was shared
# with another organisation after the message was posted there.
TAKES_INFORMATION_OUT = frozenset({Purpose.REDACTION, Purpose.RECALL})


class RefKind(StrEnum):
    """What ``ref_id`` points at. An alert's copies, its status message and its recall notes are
    three kinds: a recall stops and counts the copies only."""

    CASE = "case"
    UPDATE = "update"  # a proposal's cards and outcome, a follower's news of updates
    ALERT = "alert"  # the alert's copies
    ALERT_STATUS = "alert-status"
    RECALL = "alert-recall"
    DIGEST = "digest"
    CALENDAR = "calendar"
    WORKSPACE = "workspace"
    MEMBER = "member"  # a member's own news (their role changed)


class Queued(TypedDict):
    """What every new message says besides where it goes (:meth:`Outgoing.dm` and the rest)."""

    purpose: Purpose
    payload: dict[str, Any]
    ref_kind: RefKind
    ref_id: NotRequired[int | None]
    dedupe_key: str
    priority: NotRequired[int]


class Outgoing(BaseModel):
    """A delivery to queue. ``dedupe_key`` makes queueing it twice a no-op. Build one with
    :meth:`dm`, :meth:`to_channel` or :meth:`edit_of`."""

    model_config = ConfigDict(frozen=True)

    purpose: Purpose
    target_kind: TargetKind
    target_id: str = Field(pattern=r"^[UWCGD][A-Z0-9]{2,}$")
    payload: dict[str, Any]
    operation: Operation = Operation.POST
    priority: int = 0
    edits_id: int | None = None
    ref_kind: RefKind | None = None
    ref_id: int | None = None
    dedupe_key: str | None = Field(default=None, max_length=200)
    # Whose token sends it. None: the edited message's, else the recipient member's, else ''
    # (the home workspace: configured channels are the secretariat's).
    workspace_id: str | None = None
    # A coordinator chose this channel knowing it may be shared with another organisation, so
    # the sender's shared-channel guard lets the post (and later edits of it) through.
    shared_ok: bool = False

    @classmethod
    def dm(cls, *, user_id: str, **what: Unpack[Queued]) -> Outgoing:
        """A direct message to a member, sent with their own workspace's token."""
        return cls(target_kind=TargetKind.USER, target_id=user_id, **what)

    @classmethod
    def to_channel(
        cls,
        *,
        channel_id: str,
        workspace_id: str | None = None,
        shared_ok: bool = False,
        **what: Unpack[Queued],
    ) -> Outgoing:
        """A post into a channel (the home workspace's unless ``workspace_id`` says whose)."""
        return cls(
            target_kind=TargetKind.CHANNEL,
            target_id=channel_id,
            workspace_id=workspace_id,
            shared_ok=shared_ok,
            **what,
        )

    @classmethod
    def to(cls, kind: TargetKind, target_id: str, **what: Unpack[Queued]) -> Outgoing:
        """A DM or a channel post, where which one is chosen at run time (a review channel
        when one is configured, else each coordinator)."""
        return cls(target_kind=kind, target_id=target_id, **what)

    @classmethod
    def edit_of(
        cls,
        edited: Delivery,
        *,
        purpose: Purpose,
        payload: dict[str, Any],
        ref_kind: RefKind,
        ref_id: int | None,
        dedupe_key: str | None = None,
        priority: int | None = None,
    ) -> Outgoing:
        """A ``chat.update`` of a delivered message (or, while it waits, of what will go out),
        with the edited message's token, as urgent as it unless ``priority`` says."""
        return cls(
            purpose=purpose,
            target_kind=edited.target_kind,
            target_id=edited.target_id,
            operation=Operation.UPDATE,
            edits_id=edited.id,
            payload=payload,
            priority=edited.priority if priority is None else priority,
            ref_kind=ref_kind,
            ref_id=ref_id,
            dedupe_key=dedupe_key,
        )


class Delivery(BaseModel):
    """A delivery as stored: what was queued, and how far it got."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: datetime
    purpose: Purpose
    operation: Operation
    target_kind: TargetKind
    target_id: str
    payload: dict[str, Any]
    priority: int
    state: State
    attempts: int
    next_attempt_at: datetime
    sending_at: datetime | None
    last_error: str | None
    channel_id: str | None
    ts: str | None
    sent_at: datetime | None
    edits_id: int | None
    ref_kind: RefKind | None
    ref_id: int | None
    dedupe_key: str | None
    workspace_id: str = ""  # which workspace's token sends it ('' the home workspace)
    shared_ok: bool = False


def delivery(row: sqlite3.Row) -> Delivery:
    data = dict(row)
    data["payload"] = json.loads(data["payload"])
    for key in ("created_at", "next_attempt_at", "sending_at", "sent_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    return Delivery.model_validate(data)
