"""The project stands on its own: its own docs, licence, schema copy and a command line that
explains itself."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from network_bot.cli_parser import build_parser

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = ".." + "/shared"  # spelled apart so this file does not mention it either
SKIPPED = {".venv", ".venv-ci", ".git", "__pycache__", ".mypy_cache", ".ruff_cache"}


def project_files() -> list[Path]:
    """The tracked files (every file outside build and tool folders when git is not there)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout.decode()
        return [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [
            p
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIPPED & set(p.relative_to(ROOT).parts)
        ]


def test_no_file_points_outside_the_project() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if path.is_file() and OUTSIDE in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


def test_the_docs_a_newcomer_needs_are_in_the_project() -> None:
    for name in ("domain.md", "architecture.md", "operating.md"):
        text = (ROOT / "docs" / name).read_text()
        assert len(text) > 2000, name
    domain = (ROOT / "docs" / "domain.md").read_text()
    assert "People are at risk" in domain and "complete impunity" in domain
    for name in ("README.md", "SECURITY.md"):
        assert "docs/domain.md" in (ROOT / name).read_text()


def test_the_manifest_schema_is_vendored_with_its_licence() -> None:
    here = ROOT / "slack"
    assert (here / "manifest.schema.1.0.0.json").stat().st_size > 10_000
    assert "MIT License" in (here / "LICENSE.manifest-schema").read_text()


def test_licence_is_an_spdx_string_and_the_build_backend_supports_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    # PEP 639 license expressions arrived in setuptools 77.
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_version_flag() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "network_bot", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"network-bot {metadata.version('network-bot')}"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_option_has_help_and_says_its_default() -> None:
    parser = build_parser()
    commands = _subcommands(parser)
    assert {"run", "playground", "migrate", "export", "backup", "restore", "check", "prune"} <= set(
        commands
    )
    for name, sub in commands.items():
        text = sub.format_help()
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.dest} has no help"
            if action.default not in (None, False) and action.option_strings:
                shown = f"(default: {action.default})"
                assert shown in " ".join(text.split()), f"{name} {action.dest}"
            elif action.option_strings and "--db" in action.option_strings:
                assert "NETWORK_BOT_DB" in text or "temporary" in text, name


def test_top_level_help_reads_as_plain_text() -> None:
    text = build_parser().format_help()
    for markup in ("``", "**", ":func:", ":class:"):
        assert markup not in text
    assert "{run,playground" not in text, "commands are listed one per line, not as a set"
    assert "playground" in text and "--version" in text
