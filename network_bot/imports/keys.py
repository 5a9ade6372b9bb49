"""Stable keys for rows: what names a row in its source, and how often that came before.

Two rows of a file may name the same thing (two unidentified media workers killed in one
country): the n-th such row gets the n-th key, the same each time the file is imported. Counting
needs every identity seen so far, which would grow with the file; the counts live in a
throw-away SQLite file instead, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path


def stable_key(identity: str, occurrence: int) -> str:
    return hashlib.sha256(f"{identity}#{occurrence}".encode()).hexdigest()


class Occurrences:
    """``with Occurrences() as seen: seen.count(identities)``."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="network-bot-import-")
        self._conn = sqlite3.connect(Path(self._folder.name) / "seen.sqlite3")
        self._conn.execute("PRAGMA journal_mode = OFF")
        self._conn.execute("PRAGMA synchronous = OFF")
        self._conn.execute("CREATE TABLE seen (h BLOB PRIMARY KEY, n INTEGER) WITHOUT ROWID")

    def __enter__(self) -> Occurrences:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
        self._folder.cleanup()

    def count(self, identities: Sequence[str]) -> list[int]:
        """For each identity, in order, how many times it came before (in earlier calls too)."""
        hashes = [hashlib.sha256(i.encode()).digest()[:16] for i in identities]
        unique = list(set(hashes))
        seen: dict[bytes, int] = {}
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" for _ in part)
            seen.update(self._conn.execute(f"SELECT h, n FROM seen WHERE h IN ({marks})", part))
        found = []
        for h in hashes:
            n = seen.get(h, 0)
            found.append(n)
            seen[h] = n + 1
        self._conn.executemany(
            "INSERT INTO seen (h, n) VALUES (?, ?) ON CONFLICT (h) DO UPDATE SET n = excluded.n",
            [(h, seen[h]) for h in unique],
        )
        return found
