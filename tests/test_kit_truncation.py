"""kit's cutting and escaping: a cut never splits an entity, a link, a mention or a grapheme, and
lengths are counted the way the stand-in (and the stricter reading of Slack's limits) counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from network_bot.blocks import kit
from network_bot.testing._stand_in_text import markup_problems, slack_length

FAMILY = "👩‍👩‍👧‍👦"  # one grapheme, seven code points, eleven UTF-16 units
FLAG = "🇰🇪"


def test_a_cut_never_splits_an_escaped_entity() -> None:
    text = "a" * 2995 + kit.escape("& more text")
    cut = kit.truncate(text, 3000)
    assert slack_length(cut) <= 3000 and cut.endswith(kit.ELLIPSIS)
    assert markup_problems(cut) == []
    assert cut.removesuffix(kit.ELLIPSIS).endswith(("a", "&amp;"))


def test_a_cut_never_splits_a_link_or_a_mention() -> None:
    link = kit.link("https://example.org/case?a=1&b=2", "the report & its sources")
    text = "x" * 2900 + f" {link} and <@U0ALICE01>"
    cut = kit.truncate(text, 2950)
    assert markup_problems(cut) == [], cut[-80:]
    assert link not in cut and "<https" not in cut
    assert kit.truncate(f"{'y' * 10} <@U0ALICE01> tail", 20).count("<") == 0


def test_a_cut_never_splits_a_grapheme() -> None:
    cut = kit.truncate("ab" + FAMILY * 3, 15)
    assert cut == "ab" + FAMILY + kit.ELLIPSIS
    assert kit.truncate(FLAG * 5, 9) == FLAG * 2 + kit.ELLIPSIS
    assert kit.truncate("e\u0301" * 10, 5) == "e\u0301" * 2 + kit.ELLIPSIS


def test_lengths_are_utf16_units() -> None:
    assert kit.slack_len(FAMILY) == 11
    assert kit.slack_len("📰") == 2 and kit.slack_len("é") == 1
    assert kit.truncate("📰" * 10, 20) == "📰" * 10
    assert kit.slack_len(kit.truncate("📰" * 11, 20)) <= 20


def test_links_escape_ampersands_and_cannot_break_out() -> None:
    made = kit.link("https://x.org/?a=1&b=<2>|3 4", "label | with <tags> & more")
    assert made == "<https://x.org/?a=1&amp;b=%3C2%3E%7C3%204|label ¦ with &lt;tags&gt; &amp; more>"
    assert markup_problems(made) == []


def test_unescape_undoes_slacks_three_entities_once() -> None:
    assert kit.unescape("R&amp;D &lt;b&gt;") == "R&D <b>"
    assert kit.unescape("&amp;lt;") == "&lt;", "one pass only"
    assert kit.unescape("&quot; &#39;") == "&quot; &#39;", "Slack encodes nothing else"
    assert kit.unescape("<@U0ALICE01|alice>") == "<@U0ALICE01|alice>"


def test_line_sections_keep_every_line_and_every_limit() -> None:
    lines = [
        f"• {kit.link('https://example.org/' + 'p' * 280 + str(n), 'source')}" for n in range(10)
    ]
    blocks = kit.line_sections("*Sources*", lines)
    texts = [b["text"]["text"] for b in blocks]
    assert len(blocks) >= 2 and all(slack_length(t) <= 3000 for t in texts)
    assert "\n".join(texts).count("<https://") == 10
    assert all(markup_problems(t) == [] for t in texts)


ATOMS = st.sampled_from(
    ["&", "<", ">", "*", "_", "a", " ", "\n", "é", "📰", FAMILY, FLAG, "<@U0ALICE01>"]
)


@given(st.lists(ATOMS, max_size=400).map("".join), st.integers(min_value=1, max_value=400))
def test_escaped_text_cut_anywhere_still_parses(raw: str, limit: int) -> None:
    escaped = kit.escape(raw)
    cut = kit.truncate(escaped, limit)
    assert slack_length(cut) <= limit
    assert markup_problems(cut) == []
    safe = kit.safe(raw, limit)
    assert slack_length(safe) <= limit and markup_problems(safe) == []
