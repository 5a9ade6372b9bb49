"""What an import did, said at the end: counts, every skipped row with its line and reason,
the values recorded as "other", and what a correction left as a coordinator had changed it.

Skipped rows are kept in a spooled temporary file rather than a list, so a file of a million
bad rows costs disk, not memory.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import IO

LISTED_VALUES = 40  # distinct values per column listed as mapped to "other"


@dataclass(kw_only=True)
class Tally:
    """Values that no table row matched, per column and value, and the decisions taken."""

    others: dict[str, Counter[str]] = field(default_factory=dict)
    decisions: Counter[str] = field(default_factory=Counter)

    def other(self, column: str, value: str, *, recorded_as: str = "other") -> None:
        key = f"{column} -> {recorded_as}"
        found = self.others.setdefault(key, Counter())
        if value in found or len(found) < LISTED_VALUES * 10:
            found[value[:80]] += 1
        else:
            found["(other values)"] += 1

    def decided(self, decision: str) -> None:
        self.decisions[decision] += 1


class ImportSummary:
    def __init__(self, *, file_name: str, dry_run: bool) -> None:
        self.file_name = file_name
        self.dry_run = dry_run
        self.rows = 0
        self.imported = 0
        self.updated = 0
        self.unchanged = 0
        self.skipped = 0
        self.kept: list[str] = []
        self.tally = Tally()
        self.stopped: str | None = None
        self.resumed: str | None = None
        self.elapsed = 0.0
        # Closed by close(): the summary outlives any one block that could hold it open.
        self._skips: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=1 << 20, mode="w+", encoding="utf-8"
        )

    def skip(self, line: int, reason: str) -> None:
        self.skipped += 1
        self._skips.write(f"  line {line:,}: {reason}\n")

    def keep(self, line: int, public_id: str, what: str) -> None:
        if len(self.kept) < 1000:
            self.kept.append(f"  line {line:,} ({public_id}): {what}")

    def close(self) -> None:
        self._skips.close()

    def lines(self) -> list[str]:
        """The summary, last lines last: the counts, then every skipped row."""
        out: list[str] = []
        if self.resumed:
            out.append(self.resumed)
        for column, values in sorted(self.tally.others.items()):
            listed = ", ".join(
                f'"{value}" ({count})' for value, count in values.most_common(LISTED_VALUES)
            )
            more = len(values) - LISTED_VALUES
            out.append(f"{column}: {listed}" + (f" and {more} more" if more > 0 else ""))
        for decision, count in sorted(self.tally.decisions.items()):
            out.append(f"{decision}: {count:,} row{'s' if count != 1 else ''}")
        if self.kept:
            out.append("Kept as a coordinator changed them since the last import:")
            out.extend(self.kept)
        if self.stopped:
            out.append(f"STOPPED: {self.stopped}")
        verb = "would be" if self.dry_run else "were"
        rate = f", {self.rows / self.elapsed:,.0f} rows/s" if self.elapsed > 0 else ""
        out.append(
            f"{self.file_name}: {self.rows:,} rows read in {self.elapsed:.1f} s{rate}"
            + (" (dry run: nothing was written)" if self.dry_run else "")
        )
        out.append(
            f"imported {self.imported:,}, updated {self.updated:,}, skipped {self.skipped:,} "
            f"(unchanged {self.unchanged:,}): these {verb} the counts"
        )
        if self.skipped:
            out.append("Skipped rows:")
            self._skips.seek(0)
            out.extend(line.rstrip("\n") for line in self._skips)
        return out
