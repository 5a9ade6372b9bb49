"""Socket Mode: the same bot, reached over the stand-in's websocket instead of HTTP."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from network_bot.testing.driver import build_slash_command_body
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text


async def test_slash_command_over_socket_mode(harness: Harness) -> None:
    bot = harness.running
    token = bot.settings.slack_app_token
    assert token is not None
    handler = AsyncSocketModeHandler(bot.app, token.get_secret_value())
    await handler.connect_async()
    try:
        await harness.slack.wait_for_socket(5)
        payload = build_slash_command_body(
            stand_in=harness.slack,
            user_id="U0ALICE01",
            command="/network",
            text="help",
            channel_id="C0GENERAL",
        )
        ack = await harness.slack.socket_send("slash_commands", payload)
        assert ack is not None
        assert "/network" in ephemeral_text(ack)
        # reconnect after the server drops the connection
        await harness.slack.drop_sockets()
        await harness.slack.wait_for_socket(10)
        again = await harness.slack.socket_send("slash_commands", payload)
        assert again is not None and "/network" in ephemeral_text(again)
    finally:
        await handler.close_async()
