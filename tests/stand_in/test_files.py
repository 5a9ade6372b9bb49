"""File uploads in the stand-in, the three steps of slack_sdk's files_upload_v2."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    GENERAL,
    error_of,
)


async def test_file_upload_v2(slack: SlackStandIn, client: AsyncWebClient) -> None:
    content = b"case_id,country\nNI-2026-0042,KE\n"
    done = await client.files_upload_v2(
        channel=GENERAL,
        content=content,
        filename="cases.csv",
        title="Export",
        initial_comment="Here is the export",
    )
    assert done["file"]["name"] == "cases.csv" and done["file"]["title"] == "Export"
    [stored] = slack.files(GENERAL)
    assert stored["content"] == content and stored["channel"] == GENERAL
    assert slack.files("C0PARTNER") == []
    [shared] = slack.messages(GENERAL)
    assert shared["text"] == "Here is the export" and shared["files"][0]["id"] == stored["id"]
    methods = [c.method for c in slack.calls]
    assert methods == ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]
    refused = await error_of(
        client.files_upload_v2(channel="C0OUTSIDE", content=b"x", filename="x.txt")
    )
    assert refused.response["error"] == "not_in_channel"
