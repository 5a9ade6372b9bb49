"""Socket Mode in the stand-in, with slack_sdk's own Socket Mode client."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.driver import (
    build_slash_command_body,
)
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
)


async def test_socket_mode_round_trip_with_slack_sdk_client(slack: SlackStandIn) -> None:
    received: list[SocketModeRequest] = []

    async def listener(sm: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        answer = None
        if request.type == "slash_commands":
            answer = {"text": f"pong {request.payload['text']}"}
        await sm.send_socket_mode_response(SocketModeResponse(request.envelope_id, answer))

    web_client = AsyncWebClient(base_url=slack.api_url, retry_handlers=[])
    socket = SocketModeClient(app_token=slack.app_token, web_client=web_client, ping_interval=1)
    socket.socket_mode_request_listeners.append(listener)
    try:
        await socket.connect()  # type: ignore[no-untyped-call]
        await slack.wait_for_socket(5)
        assert slack.socket_connections == 1
        body = build_slash_command_body(
            stand_in=slack, user_id=ALICE, command="/network", text="help"
        )
        ack = await slack.socket_send("slash_commands", body)
        assert ack == {"text": "pong help"}
        assert received[0].accepts_response_payload is True
        assert received[0].payload["user_name"] == "alice"
        event = await slack.socket_send("events_api", {"type": "event_callback"})
        assert event == {}
        assert received[1].accepts_response_payload is False

        await slack.drop_sockets()
        assert slack.socket_connections == 0
        await slack.wait_for_socket(10)  # the client reconnects with a fresh URL
        again = await slack.socket_send("slash_commands", body)
        assert again == {"text": "pong help"}
        assert len(slack.calls_to("apps.connections.open")) == 2
    finally:
        await socket.close()  # type: ignore[no-untyped-call]


async def test_socket_hello_and_single_use_tickets(slack: SlackStandIn) -> None:
    client = AsyncWebClient(token=slack.app_token, base_url=slack.api_url, retry_handlers=[])
    url = (await client.apps_connections_open(app_token=slack.app_token))["url"]
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            hello = await ws.receive_json(timeout=5)
            assert hello["type"] == "hello"
            assert hello["num_connections"] == 1
            assert hello["connection_info"]["app_id"] == slack.app_id
            assert "debug_info" in hello
            no_ack = await slack.socket_send("interactive", {"type": "block_actions"}, timeout=0.2)
            assert no_ack is None
            envelope = await ws.receive_json(timeout=5)
            assert envelope["type"] == "interactive" and envelope["accepts_response_payload"]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
        assert refused.value.status == 401
