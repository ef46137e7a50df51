"""The bad-input corpus beyond cards: each folder under samples/bad-lock is laid over a copy of
samples/good; ``deck plan`` must print exactly ``expected.txt`` and exit 1, with no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

SAMPLES = Path(__file__).parent / "samples"
BAD_LOCK = SAMPLES / "bad-lock"


def overlay(case: Path, target: Path) -> Path:
    root = target / "deck"
    shutil.copytree(SAMPLES / "good", root)
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            dest = root / path.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return root


@pytest.mark.parametrize("case", sorted(p.name for p in BAD_LOCK.iterdir() if p.is_dir()))
def test_a_bad_lock_is_one_located_line(case: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = overlay(BAD_LOCK / case, tmp_path)
    assert main(["--root", str(root), "plan"]) == 1
    err = capsys.readouterr().err
    expected = (BAD_LOCK / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert err.splitlines() == expected
