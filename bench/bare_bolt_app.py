"""The baseline: a bare bolt AsyncApp with default settings that acks ``/network`` with nothing."""

from __future__ import annotations

import os
import sys

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

app = AsyncApp(
    client=AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]
    ),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
)


@app.command("/network")
async def ack_empty(ack: AsyncAck) -> None:
    await ack()


if __name__ == "__main__":
    app.start(port=int(sys.argv[1]), path="/slack/events")
