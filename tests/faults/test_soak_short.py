"""The soak benchmark in its short form: 30 seconds of mixed traffic and a broadcast against
the bot in its own process. It exits non-zero on any failed request, lost or doubled message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_thirty_seconds_of_mixed_traffic() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "bench/soak.py",
            "--seconds",
            "30",
            "--members",
            "300",
            "--interval",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "lost 0, doubled 0" in result.stdout
    assert "errors 0" in result.stdout
