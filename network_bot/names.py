"""Names as matching sees them: letter case, accents and spacing do not make a name different.

Used wherever the bot must recognise a person's name in text it did not write: refusing a
summary that names a victim whose name is withheld, and matching likely duplicates (never on a
withheld or redacted name).
"""

from __future__ import annotations

import functools
import re
import unicodedata

MIN_PART = 3
_PART = re.compile(r"[^\W\d_]+", re.UNICODE)  # a run of letters, in any script


def fold(text: str) -> str:
    """Case-folded, accents removed, whitespace collapsed: "ÁHMED  Khan" -> "ahmed khan".

    A letter keeps only the letters of its decomposition, so marks that decompose into
    punctuation (Ŀ is L and a middle dot) do not split a name into pieces.
    """
    if text.isascii():  # the common case, ~100x faster: ASCII letters fold to themselves
        return " ".join(text.lower().split())
    return " ".join("".join(_fold_letter(c) for c in text.casefold()).split())


@functools.lru_cache(maxsize=4096)  # redaction folds whole tables, a character at a time
def _fold_letter(char: str) -> str:
    if unicodedata.combining(char):
        return ""  # an accent written apart from its letter (decomposed text, NFD)
    if not char.isalpha():
        return char
    letters = "".join(d for d in unicodedata.normalize("NFKD", char) if d.isalpha())
    return letters or char


def name_parts(names: str) -> list[str]:
    """The folded parts of a name of three letters or more, longest first, no repeats."""
    parts = {p for p in _PART.findall(fold(names)) if len(p) >= MIN_PART}
    return sorted(parts, key=lambda p: (-len(p), p))


def named_parts(text: str, names: str) -> list[str]:
    """Which parts of ``names`` occur in ``text`` as whole words (folded on both sides)."""
    words = set(_PART.findall(fold(text)))
    return [part for part in name_parts(names) if part in words]
