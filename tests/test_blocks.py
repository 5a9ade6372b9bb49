"""Block Kit builders: escaping and Slack's size limits, enforced in one place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from network_bot.blocks import kit


def test_escape_neutralises_pings_and_links() -> None:
    for hostile in ("<!channel>", "<!everyone>", "<@U0123ABCD>", "<https://evil.example|bank>"):
        shown = kit.escape(hostile)
        assert "<" not in shown and ">" not in shown
    assert kit.escape("a & b") == "a &amp; b"


@given(st.text(max_size=5000))
def test_safe_text_never_contains_markup_brackets(text: str) -> None:
    out = kit.safe(text, 3000)
    assert "<" not in out and ">" not in out
    assert len(out) <= 3000


def test_link_cannot_break_out() -> None:
    out = kit.link("https://example.org/x|<!channel>", "label|<!here>")
    assert out.count("<") == 1 and out.count(">") == 1
    assert "!channel" in out  # shown as text inside the URL, not as markup


def test_message_is_capped_at_50_blocks() -> None:
    body = kit.message([kit.section(str(i)) for i in range(80)], text="many")
    assert len(body["blocks"]) == 50
    assert "(+31)" in body["blocks"][-1]["elements"][0]["text"]


def test_modal_limits() -> None:
    view = kit.modal(
        title="A very long title that Slack would refuse",
        blocks=[],
        callback_id="x",
        submit="Submit",
        close="Cancel",
    )
    assert len(view["title"]["text"]) <= 24
    try:
        kit.modal(
            title="t",
            blocks=[],
            callback_id="x",
            submit=None,
            close="Close",
            private_metadata="x" * 3001,
        )
    except ValueError as error:
        assert "private_metadata" in str(error)
    else:
        raise AssertionError("over-long private_metadata was accepted")


def test_header_and_button_text_are_cut() -> None:
    assert len(kit.header("h" * 400)["text"]["text"]) == 150
    assert len(kit.button("b" * 100, action_id="a")["text"]["text"]) == 75
