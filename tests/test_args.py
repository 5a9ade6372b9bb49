"""Reading slash command text: options, quotes, Slack's escaped mentions, bad quoting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from network_bot import args


def test_options_words_and_quotes() -> None:
    parsed = args.parse('join org:"Free Press Unlimited" country:nl lang:en')
    assert parsed.words == ("join",)
    assert parsed.options == {"org": "Free Press Unlimited", "country": "nl", "lang": "en"}


def test_curly_quotes_from_phones() -> None:
    parsed = args.parse("join org:\u201cMedia Defence\u201d country:KE")
    assert parsed.options["org"] == "Media Defence"


def test_escaped_mentions_and_bare_ids() -> None:
    parsed = args.parse("role <@U0123ABCD|amina k> coordinator <#C0456EFGH|alerts> W0123456789")
    assert parsed.users == ("U0123ABCD", "W0123456789")
    assert parsed.channels == ("C0456EFGH",)
    assert parsed.words == ("role", "coordinator")


def test_unclosed_quote_is_explained() -> None:
    with pytest.raises(args.ArgError, match="quotation mark is not closed"):
        args.parse('join org:"Free Press')


def test_repeated_option_is_refused() -> None:
    with pytest.raises(args.ArgError, match="given twice"):
        args.parse("country:KE country:PK")


def test_urls_are_words_not_options() -> None:
    assert args.parse("https://example.org/a:b").words == ("https://example.org/a:b",)


@given(st.text(max_size=300))
def test_any_text_parses_or_explains(text: str) -> None:
    try:
        parsed = args.parse(text)
    except args.ArgError as error:
        assert str(error)
    else:
        assert isinstance(parsed.words, tuple)
