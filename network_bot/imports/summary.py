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

from network_bot.i18n import Messages, Text, english

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
    def __init__(self, *, file_name: str, dry_run: bool, lang: Messages | None = None) -> None:
        self.lang = lang or english()  # the summary's language, the reasons' too
        self.file_name = file_name
        self.dry_run = dry_run
        self.rows = 0
        self.imported = 0
        self.updated = 0
        self.unchanged = 0
        self.skipped = 0
        self.kept: list[tuple[int, str, Text]] = []  # line, case ID, what was kept
        self.tally = Tally()
        self.stopped: Text | None = None
        self.resumed: Text | None = None
        self.elapsed = 0.0
        # Closed by close(): the summary outlives any one block that could hold it open.
        self._skips: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=1 << 20, mode="w+", encoding="utf-8"
        )

    def skip(self, line: int, reason: Text) -> None:
        self.skipped += 1
        # One line per skip, whatever the reason holds (a no-break space stays).
        flat = " ".join(self.lang.render(reason).splitlines())
        self._skips.write(f"{line}\t{flat}\n")

    def keep(self, line: int, public_id: str, what: Text) -> None:
        if len(self.kept) < 1000:
            self.kept.append((line, public_id, what))

    def close(self) -> None:
        self._skips.close()

    def lines(self) -> list[str]:
        """The summary in its language, last lines last: the counts, then every skipped row.
        The file's own values and column names are quoted as they are."""
        lang = self.lang
        out: list[str] = []
        if self.resumed:
            out.append(lang.render(self.resumed))
        for column, values in sorted(self.tally.others.items()):
            listed = ", ".join(
                f'"{value}" ({lang.number(count)})'
                for value, count in values.most_common(LISTED_VALUES)
            )
            more = len(values) - LISTED_VALUES
            if more > 0:
                listed = lang.ngettext(
                    "{listed} and {n} more", "{listed} and {n} more", more, listed=listed
                )
            out.append(f"{column}: {listed}")
        for decision, count in sorted(self.tally.decisions.items()):
            out.append(
                lang.ngettext(
                    "{decision}: {n} row", "{decision}: {n} rows", count, decision=decision
                )
            )
        if self.kept:
            out.append(lang.gettext("Kept as a coordinator changed them since the last import:"))
            out.extend(
                "  " + lang.gettext("line {line} ({id}): {what}", line=line, id=case, what=what)
                for line, case, what in self.kept
            )
        if self.stopped:
            out.append(lang.gettext("STOPPED: {why}", why=lang.render(self.stopped)))
        read = lang.ngettext(
            "{file}: {n} row read in {seconds} s",
            "{file}: {n} rows read in {seconds} s",
            self.rows,
            file=self.file_name,
            seconds=lang.number(round(self.elapsed, 1)),
        )
        if self.elapsed > 0:
            read += ", " + lang.gettext(
                "{rate} rows/s", rate=lang.number(round(self.rows / self.elapsed))
            )
        if self.dry_run:
            read += " " + lang.gettext("(dry run: nothing was written)")
        out.append(read)
        counts = dict(
            imported=self.imported,
            updated=self.updated,
            skipped=self.skipped,
            unchanged=self.unchanged,
        )
        out.append(
            lang.gettext(
                "imported {imported}, updated {updated}, skipped {skipped} (unchanged "
                "{unchanged}): these would be the counts",
                **counts,
            )
            if self.dry_run
            else lang.gettext(
                "imported {imported}, updated {updated}, skipped {skipped} (unchanged "
                "{unchanged}): these were the counts",
                **counts,
            )
        )
        if self.skipped:
            out.append(lang.gettext("Skipped rows:"))
            self._skips.seek(0)
            for written in self._skips:
                line, _, reason = written.rstrip("\n").partition("\t")
                out.append(
                    "  " + lang.gettext("line {line}: {reason}", line=int(line), reason=reason)
                )
        return out
