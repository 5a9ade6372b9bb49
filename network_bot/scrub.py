"""Taking a victim's names out of text, by matching rather than by exact string.

A redaction must remove "Khan had received threats" and "AHMED KHAN" as surely as "Ahmed
Khan". Text is compared folded (:func:`network_bot.names.fold`: letter case, accents and spacing
do not count), and every word that begins or ends with a part of a name of three letters or
more is replaced: "Khan's", "the Khans", "al-Khan", "Khán" and an Arabic name with a clitic
prefix all go, while a word that merely contains the letters ("journalist" for "Ali") stays.
Neighbouring replaced words become one ``[redacted]``, so the text does not say how many names
there were. A link or URL that names the victim goes whole.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Any

import regex

from network_bot.names import fold, name_parts

MARK = "[redacted]"
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_MARKS_RUN = regex.compile(r"\[redacted\](?:\s+\[redacted\])+")
# Slack's link markup as the bot writes it (kit.link): <url|label> or <url>.
_LINK = regex.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
_DROP = object()


class Scrubber:
    """What one redaction removes: the parts of the victims' names, whole texts (the restricted
    notes), and, to decide which other rows are about the case, its IDs and full names."""

    def __init__(
        self, *, names: Sequence[str], texts: Sequence[str] = (), ids: Sequence[str] = ()
    ) -> None:
        self.parts = name_parts(" ".join(names))
        self._texts = sorted({t.strip() for t in texts if len(t.strip()) >= 3}, key=len)[::-1]
        self._ids = [i for i in ids if i]
        self._full = [fold(n) for n in names if len(fold(n)) >= 3]

    # ------------------------------------------------------------------ plain text

    def names_in(self, word: str) -> bool:
        folded = fold(word)
        return any(folded.startswith(p) or folded.endswith(p) for p in self.parts)

    def text(self, value: str) -> str:
        """``value`` without the names and the whole texts; unchanged when it has none."""
        if not value:
            return value
        for whole in self._texts:
            value = value.replace(whole, MARK)
        value = _LINK.sub(self._link, value)
        value = _WORD.sub(lambda m: MARK if self.names_in(m.group(0)) else m.group(0), value)
        return _MARKS_RUN.sub(MARK, value)

    def _link(self, match: regex.Match[str]) -> str:
        if not self.url_names(match.group(1)):
            return match.group(0)
        label = match.group(2)
        return self.text(label) if label else MARK

    def url_names(self, url: str) -> bool:
        """Does the URL (percent-decoded) name the victim?"""
        decoded = urllib.parse.unquote(url)
        return any(self.names_in(w) for w in _WORD.findall(decoded))

    def url(self, value: str) -> str:
        """A URL that names the victim becomes empty; any other stays as it is."""
        return "" if value and self.url_names(value) else value

    def urls(self, values: Iterable[str]) -> list[str]:
        return [v for v in values if not self.url_names(v)]

    # ------------------------------------------------------------------ stored messages

    def payload(self, stored: str) -> str:
        """A message body as the outbox stores it (JSON): every string scrubbed, and every
        element whose ``url`` names the victim removed (a block left without elements too)."""
        data = json.loads(stored)
        cleaned = self._walk(data)
        if cleaned is _DROP:
            cleaned = {"text": MARK}
        return json.dumps(cleaned, separators=(",", ":"))

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            kept = [self._walk(v) for v in value]
            return [v for v in kept if v is not _DROP]
        if isinstance(value, dict):
            url = value.get("url")
            if isinstance(url, str) and self.url_names(url):
                return _DROP
            walked = {k: self._walk(v) for k, v in value.items()}
            walked = {k: v for k, v in walked.items() if v is not _DROP}  # e.g. an accessory
            if (
                isinstance(value.get("elements"), list)
                and value["elements"]
                and not walked["elements"]
            ):
                return _DROP
            return walked
        return value

    # ------------------------------------------------------------------ is a row about it?

    def concerns(self, value: str) -> bool:
        """Does text not tied to the case name it: one of its IDs or a victim's full name?"""
        if not value:
            return False
        if any(i in value for i in self._ids):
            return True
        folded = fold(value)
        return any(name in folded for name in self._full)

    def concerns_payload(self, stored: str) -> bool:
        if any(i in stored for i in self._ids):
            return True
        if "\\u" not in stored:  # plain ASCII JSON: the text is as written
            return self.concerns(stored)
        return self.concerns(" ".join(_strings(json.loads(stored))))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
