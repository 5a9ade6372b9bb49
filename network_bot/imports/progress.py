"""Progress on a terminal (rows per second, how much of the file is left); nothing when the
output is piped or redirected, so logs and scripts get the summary alone."""

from __future__ import annotations

import os
from typing import Never, TextIO

from tqdm import tqdm


class Progress:
    def __init__(self, *, total_bytes: int, out: TextIO, label: str) -> None:
        self._bar: tqdm[Never] | None = None
        if out.isatty():
            columns, lines = _size(out)
            self._bar = tqdm(
                ncols=columns,
                nrows=lines,
                total=total_bytes,
                file=out,
                unit="B",
                unit_scale=True,
                desc=label,
                mininterval=0.25,
                leave=False,
                bar_format="{desc}: {percentage:3.0f}% of the file{postfix}, {remaining} left",
                postfix="starting",
            )

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def update(self, *, offset: int, rows: int) -> None:
        bar = self._bar
        if bar is None:
            return
        elapsed = bar.format_dict.get("elapsed", 0.0) or 0.0
        rate = rows / elapsed if elapsed > 0 else 0.0
        bar.set_postfix_str(f"{rows:,} rows at {rate:,.0f} rows/s", refresh=False)
        bar.n = offset  # a batch at a time: few enough to redraw each one
        bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _size(out: TextIO) -> tuple[int, int]:
    """The terminal's columns and lines. One that reports none (0 by 0, as a terminal opened
    by a program often does) gets 100 by 24: tqdm draws nothing on a screen 0 lines high."""
    try:
        size = os.get_terminal_size(out.fileno())
    except (OSError, ValueError):
        return 100, 24
    return size.columns or 100, size.lines or 24
