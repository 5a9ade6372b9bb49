"""Left-to-right pieces inside right-to-left text, and bidi controls out of what people type.

In Arabic text a case ID such as ``NI-2026-0042``, a command such as ``/network help`` or a link
is a left-to-right run whose neutral characters (``-``, ``/``, ``:``) the Unicode Bidirectional
Algorithm would otherwise attach to the Arabic around them, so they show up on the wrong side.
Unicode's isolates (UAX #9: FSI/LRI ... PDI) keep each run in one piece. Slack reads mrkdwn
markers (``*bold*``, ```code```) at word edges, so the isolate goes inside a marked run and
around a code span, never between a marker and the word it marks; and what a person copies out
of a code span stays free of invisible characters.
"""

from __future__ import annotations

import re
import unicodedata

FSI = "\u2068"  # first strong isolate: the direction of its first strong character
LRI = "\u2066"  # left-to-right isolate
PDI = "\u2069"  # pop directional isolate
# Every bidi control (marks, embeddings, overrides, isolates): none belongs in a command.
CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_MARKERS = "*_~"
_CODE_SPAN = re.compile(r"`[^`\n]+`")


def has_ltr(text: str) -> bool:
    """Whether ``text`` holds a strong left-to-right character (a Latin letter, say)."""
    return any(unicodedata.bidirectional(ch) == "L" for ch in text)


def isolate(text: str) -> str:
    """``text`` in a first-strong isolate if it has left-to-right letters; markers stay outside."""
    if not text or not has_ltr(text) or text.startswith(FSI):
        return text
    if len(text) > 2 and text[0] in _MARKERS and text[-1] == text[0]:
        return f"{text[0]}{FSI}{text[1:-1]}{PDI}{text[0]}"
    return f"{FSI}{text}{PDI}"


def isolate_code_spans(text: str | tuple[str, ...]) -> str | tuple[str, ...]:
    """Every ```code``` span (commands, IDs) in a left-to-right isolate, around the backticks."""
    if isinstance(text, tuple):
        return tuple(str(isolate_code_spans(form)) for form in text)
    return _CODE_SPAN.sub(lambda m: f"{LRI}{m[0]}{PDI}", text)


def clean_code_spans(text: str) -> str:
    """No isolates inside a code span (a value filled into ```/case {id}```), so it copies clean."""
    return _CODE_SPAN.sub(lambda m: m[0].replace(FSI, "").replace(PDI, ""), text)


def strip_controls(text: str) -> str:
    """What a person typed without bidi controls, e.g. copied along with right-to-left text."""
    return text.translate(CONTROLS)
