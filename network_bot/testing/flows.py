"""What a person does through the real endpoint, step by step: report a case, send an alert,
post an update, let the follower digest go out. Each step asserts it got where it should."""

from __future__ import annotations

import json
from typing import Any

from network_bot.clock import ManualClock
from network_bot.store import alerts
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text

GOOD = {  # a complete report form, as a member fills it in
    "victim_names": "Arshad Mahmood",
    "profession": "journalist",
    "violation": "killing",
    "incident_date": "2026-11-20",
    "country": "PK",
    "place": "Karachi",
    "perpetrator": "unknown",
    "urgency": "routine",
    "summary": "Radio journalist shot dead outside his home after reporting on land grabs.",
    "restricted_notes": "Family asks that the brother's phone number 0300-1234567 is never shared.",
    "sources": "https://example.org/news/1\nhttps://example.org/news/2",
}

ALERT = {  # a complete alert form, as a coordinator fills it in
    "headline": "Free Aung now",
    "body": "Our colleague was detained for reporting on the protests. Ask for his release.",
    "action_kind": "sign_letter",
    "action_text": "Add your organisation to the joint letter",
    "link": "https://example.org/letter",
    "urgency": "high",
    "audience": ["all"],
}


async def open_report(h: Harness, user: str, text: str = "") -> dict[str, Any]:
    """``/report`` as ``user``: the modal Slack opened."""
    response = await h.command(user, f"/report {text}".strip())
    assert response.status == 200
    await h.settle()
    views = h.slack.views_for(h.user_id(user))
    assert views, "the report modal did not open"
    return views[-1]


async def report(h: Harness, user: str, **changes: Any) -> str:
    """Report a case (``GOOD`` with ``changes``) as ``user``; its public ID."""
    view = await open_report(h, user)
    values = {**GOOD, **changes}
    response = await h.drive.submit_view(h.user_id(user), view, values)
    assert response.json is not None and response.json.get("response_action") == "update", (
        response.json
    )
    await h.settle()
    text = block_text(response.json["view"])
    found = [w.strip("*.,") for w in text.split() if w.strip("*.,").startswith("NI-")]
    assert found, text
    return found[0]


async def compose(h: Harness, user: str = "chidi", text: str = "") -> dict[str, Any]:
    """``/alert`` as ``user``: the compose modal."""
    response = await h.command(user, f"/alert {text}".strip())
    assert response.status == 200, response.text
    await h.settle()
    views = h.slack.views_for(h.user_id(user))
    assert views, ephemeral_text(response.json)
    return views[-1]


async def preview(h: Harness, values: dict[str, Any], user: str = "chidi") -> dict[str, Any]:
    """Compose and submit an alert: the bot's answer (the confirmation, or the form's errors)."""
    view = await compose(h, user)
    response = await h.drive.submit_view(h.user_id(user), view, values)
    assert response.json is not None, response.text
    return response.json


async def send(h: Harness, values: dict[str, Any], user: str = "chidi") -> str:
    """Compose, preview and confirm an alert; its public ID. The preview is pushed on top of
    the form, and sending closes both; the sender's DM from the bot shows the alert at once."""
    answer = await preview(h, values, user)
    assert answer.get("response_action") == "push", answer
    confirm = h.slack.views_for(h.user_id(user))[-1]
    assert confirm["callback_id"] == "alert.confirm"
    alert_id = json.loads(confirm["private_metadata"])["alert"]
    done = await h.drive.submit_view(h.user_id(user), confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    assert not h.slack.views_for(h.user_id(user)), "form and preview close together"
    await h.settle()
    sent = await alerts.get(h.running.db.read, alert_id)
    assert sent is not None and sent.state.value == "sent"
    status = [m for m in h.slack.dm(h.user_id(user)) if sent.public_id in m["text"]]
    assert status, "the sender's DM shows it at once"
    return sent.public_id


async def recall_form(h: Harness, line: str, user: str = "chidi") -> dict[str, Any]:
    """``/alert recall ID`` as ``user``: the form that asks first, and why."""
    response = await h.command(user, line)
    assert response.status == 200 and not response.text.strip(), ephemeral_text(response.json)
    await h.settle()
    form = h.slack.views_for(h.user_id(user))[-1]
    assert form["callback_id"] == "alert.recall.submit"
    return form


async def submit_update(h: Harness, user: str, public_id: str, **values: Any) -> dict[str, Any]:
    """``/case ID update`` as ``user`` and submit the form; the bot's answer."""
    response = await h.command(user, f"/case {public_id} update")
    assert response.status == 200
    await h.settle()
    view = h.slack.views_for(h.user_id(user))[-1]
    assert view["callback_id"] == "case.update.submit"
    answer = await h.drive.submit_view(
        h.user_id(user),
        view,
        {"happened_on": "2026-11-24", "body": "Police opened an investigation.", **values},
    )
    assert answer.json is not None, answer.text
    return answer.json


async def flush(h: Harness, clock: ManualClock) -> None:
    """Let the batching window pass and the followers' digests go out."""
    clock.advance(minutes=4)
    await h.running.timeline.flush_notifications()
    await h.settle()
