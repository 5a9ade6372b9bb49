"""``network-bot`` speaks the network's language (``NETWORK_BOT_LANGUAGE``): what each command
prints, and every refusal, comes from the catalogue. Real runs of the command line on a real
SQLite file; argparse's own help stays English."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from network_bot import bidi
from network_bot.cli import main
from network_bot.i18n import Catalogue
from network_bot.testing.reading import ENGLISH
from network_bot.testing.seeding import MEMBER, add_case, add_member, open_db

CATALOGUE = Catalogue()


async def make_db(path: Path, cases: int) -> None:
    db = await open_db(path)
    try:
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            for _ in range(cases):
                await add_case(tx, summary="A radio journalist was detained.")
    finally:
        await db.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite3"
    asyncio.run(make_db(path, 3))
    return path


def prose(text: str) -> str:
    """What the command said, without paths, setting names, options and codes."""
    text = bidi.strip_controls(text)
    text = re.sub(r"\S*/\S*|NETWORK_BOT_\w+|--[\w-]+|\b\d{4}_\w+", " ", text)
    return text


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    said = capsys.readouterr()
    return code, said.out, said.err


def test_check_and_prune_in_french(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWORK_BOT_LANGUAGE", "fr")
    fr = CATALOGUE.get("fr")
    code, out, _ = run(["check", "--db", str(db_path)], capsys)
    assert code == 0
    assert "intégrité\u00a0: ok" in out and "clés étrangères\u00a0: ok" in out
    assert "cas\u00a0: 3" in out and "résultat\u00a0: ok" in out
    assert not ENGLISH.search(prose(out)), out

    code, out, _ = run(["prune", "--dry-run", "--db", str(db_path)], capsys)
    assert code == 0
    assert out.splitlines()[0] == fr.gettext(
        "deliveries: would delete {count} ({rule}; {variable})",
        count=0,
        rule=fr.ngettext("older than {n} day", "older than {n} days", 90),
        variable="NETWORK_BOT_KEEP_DELIVERIES_DAYS",
    )
    assert "plus de 90\u00a0jours" in out or "plus de 90 jours" in out
    assert not ENGLISH.search(prose(out)), out

    code, _, err = run(["export", "--since", "yesterday", "--db", str(db_path)], capsys)
    assert code == 2
    assert "une date AAAA-MM-JJ était attendue" in err, err
    code, _, err = run(["backup", str(db_path), "--db", str(db_path)], capsys)
    assert code == 2 and "ne peut pas remplacer la base de données" in err, err


def test_a_run_in_arabic(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NETWORK_BOT_LANGUAGE", "ar")
    ar = CATALOGUE.get("ar")
    copy = tmp_path / "copy.sqlite3"
    code, out, _ = run(["backup", str(copy), "--db", str(db_path)], capsys)
    assert code == 0 and copy.is_file()
    assert bidi.strip_controls(out).startswith("كُتبت النسخة الاحتياطية: ")
    assert "3 حالات" in out, "three cases, in the Arabic plural for 3 to 10"
    assert bidi.isolate(str(copy)) in out, "the path kept whole in right-to-left text"

    code, out, _ = run(["check", "--db", str(db_path)], capsys)
    assert code == 0
    for line in ("السلامة: سليمة", "المفاتيح الأجنبية: سليمة", "النتيجة: سليمة"):
        assert line in out
    assert re.search("[\u0600-\u06ff]", out) and not ENGLISH.search(prose(out)), out

    code, _, err = run(["workspaces", "approve", "nonsense", "--db", str(db_path)], capsys)
    assert code == 2
    assert bidi.strip_controls(err).startswith("network-bot workspaces: المتوقع معرّف فريق")
    missing = tmp_path / "none.sqlite3"
    code, _, err = run(["check", "--db", str(missing)], capsys)
    assert code == 1 or code == 2
    code, _, err = run(["prune", "--db", str(missing)], capsys)
    assert code == 2
    assert bidi.strip_controls(err).strip() == "network-bot prune: " + bidi.strip_controls(
        ar.gettext(
            "there is no database at {path} (set NETWORK_BOT_DB or pass --db)", path=str(missing)
        )
    )


def test_a_language_the_bot_does_not_speak_falls_back_to_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWORK_BOT_LANGUAGE", "xx")  # well formed, but no catalogue for it
    code, out, _ = run(["check", "--db", str(tmp_path / "none.sqlite3")], capsys)
    assert code == 1 and "there is no database here" in out and "result: " not in out
    monkeypatch.setenv("NETWORK_BOT_LANGUAGE", "french")  # malformed: the settings refuse it
    code, _, err = run(["check"], capsys)
    assert code == 2 and err.startswith("network-bot: cannot start: NETWORK_BOT_LANGUAGE"), err
    assert "Traceback" not in err


def test_an_import_s_summary_and_its_skipped_rows_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWORK_BOT_LANGUAGE", "fr")
    messy = Path(__file__).parent / "fixtures" / "imports" / "cpj_messy.csv"
    db = tmp_path / "bot.sqlite3"
    code, out, _ = run(["import", "--format", "cpj", str(messy), "--db", str(db)], capsys)
    assert code == 0
    assert (
        "importées 14, mises à jour 0, ignorées 5 (inchangées 0)\u00a0: voici les chiffres" in out
    )
    skipped = out.split("Lignes ignorées\u00a0:\n", 1)[1].splitlines()
    assert skipped[0].startswith("  ligne 9\u00a0: Date\u00a0: pas de date (le fichier indique")
    assert "  ligne 12\u00a0: Country_killed\u00a0: aucun pays indiqué" in skipped
    assert any("3 champs alors que l\u2019en-tête en a 18" in line for line in skipped)
    assert not ENGLISH.search(prose("\n".join(skipped)).replace("Israel and the Occupied", ""))
