from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_deck(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(samples / "good"), "check")
    assert code == 0
    assert out == ""
    assert "3 cards: 0 error(s), 0 warning(s)" in err


def test_check_reports_problems_and_exits_1(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(samples / "bad" / "deck.toml", samples / "bad" / "crlf" / "deck.toml")
    try:
        code, out, err = run(capsys, "--root", str(samples / "bad" / "crlf"), "check")
    finally:
        (samples / "bad" / "crlf" / "deck.toml").unlink()
    assert code == 1
    assert out.splitlines() == (samples / "bad" / "crlf" / "expected.txt").read_text().splitlines()
    assert "Traceback" not in err


def test_check_json(tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(samples / "bad" / "orphan-snippet", tmp_path / "deck")
    shutil.copy(samples / "bad" / "deck.toml", tmp_path / "deck" / "deck.toml")
    code, out, _ = run(capsys, "--root", str(tmp_path / "deck"), "check", "--json")
    data = json.loads(out)
    assert code == 0  # a warning only
    assert data["errors"] == 0 and data["warnings"] == 1
    assert data["findings"][0] == {
        "path": "snippets/t/unused.py", "line": 1, "severity": "warning",
        "message": "orphan snippet: no card links it (link it with 'snippet:' or delete it)"}
    code, _, _ = run(capsys, "--root", str(tmp_path / "deck"), "check", "--strict")
    assert code == 1


def test_bad_config_is_reported_without_traceback(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(samples / "bad-config" / "unknown-table"), "check")
    assert code == 1
    assert err.strip() == "deck.toml:9: unknown table [lnit] (did you mean 'lint'?); known tables: [deck], [output], [pdf], [build], [lint]"


def test_stats_counts(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(samples / "good"), "stats", "--json")
    assert code == 0
    assert json.loads(out) == {
        "cards": 3, "subdecks": {"Basics": 1, "GPU": 1, "Judgement": 1}, "snippets": 2,
        "cards_with_snippet": 2, "cards_without_snippet": 1, "cpu": 2, "cuda": 1}


def test_new_scaffolds_a_card_that_checks(tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(samples / "good", tmp_path / "deck")
    root = str(tmp_path / "deck")
    code, out, _ = run(capsys, "--root", root, "new", "training/batch-norm")
    assert code == 0
    card = (tmp_path / "deck" / "cards" / "training" / "batch-norm.md").read_text()
    assert "snippet: training/batch_norm.py" in card
    assert (tmp_path / "deck" / "snippets" / "training" / "batch_norm.py").is_file()
    ids = [line for line in card.splitlines() if line.startswith("id: batch-norm-")]
    assert len(ids) == 1 and len(ids[0]) == len("id: batch-norm-") + 8
    code, _, _ = run(capsys, "--root", root, "check")
    assert code == 0
    code, _, err = run(capsys, "--root", root, "new", "training/batch-norm")
    assert code == 1 and "already exists" in err
    code, _, err = run(capsys, "--root", root, "new", "Bad Name")
    assert code == 1 and "is not <topic>/<slug>" in err


@pytest.mark.parametrize("deck", ["good", "cloze"])
def test_check_never_imports_torch(samples: Path, deck: str) -> None:
    code = (
        "import sys; from generator.cli import main; "
        f"rc = main(['--root', {str(samples / deck)!r}, 'check']); "
        "heavy = sorted(m for m in ('torch', 'sklearn', 'typst', 'genanki', 'numpy', 'pygments', "
        "'jinja2') if m in sys.modules); "
        "print(heavy); sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_everywhere() -> None:
    for argv in ([], ["check"], ["new"], ["stats"], ["build"], ["verify"], ["plan"]):
        result = subprocess.run([sys.executable, "-m", "generator.cli", *argv, "--help"],
                                capture_output=True, text=True)
        assert result.returncode == 0, (argv, result.stderr)
        assert "usage: deck" in result.stdout


def test_the_flagship_deck_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(ROOT), "check", "--strict")
    assert out == "", out
    assert code == 0
