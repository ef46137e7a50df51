"""``deck build`` end to end on the sample deck: outputs, locked mode, atomicity, reproducibility.

These run real snippets (torch) and real Typst, so they are the slowest tests of the suite.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
OUTPUTS = ("sample.apkg", "sample-cards.pdf", "sample-cheatsheet.pdf")


def deck_cmd(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def sums(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / "build" / name).read_bytes()).hexdigest()
            for name in OUTPUTS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deck") / "deck"
    shutil.copytree(SAMPLES / "good", root)
    result = deck_cmd(root, "build", "--allow-unverified-gpu")
    assert result.returncode == 0, result.stderr
    return root


def test_build_writes_every_output_and_the_lock(built: Path) -> None:
    for name in OUTPUTS:
        assert (built / "build" / name).stat().st_size > 1000
    assert (built / "deck.lock").is_file()


def test_unverified_gpu_card_needs_the_opt_out(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(built, root)
    result = deck_cmd(root, "build")
    assert result.returncode == 1
    assert "cards/gpu/transfer.md:4: snippet snippets/gpu/transfer.py (cuda) has no GPU " \
           "verification" in result.stderr
    assert "deck verify -m cuda" in result.stderr
    assert "Traceback" not in result.stderr


def test_locked_passes_on_a_fresh_lock_and_fails_on_a_stale_one(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(built, root)
    before = sums(root)
    result = deck_cmd(root, "build", "--locked", "--allow-unverified-gpu")
    assert result.returncode == 0, result.stderr
    assert sums(root) == before  # same sources, same lock: byte-identical outputs
    card = root / "cards" / "basics" / "softmax.md"
    card.write_text(card.read_text().replace("Each term is divided", "Every term is divided"))
    lock_before = (root / "deck.lock").read_text()
    result = deck_cmd(root, "build", "--locked", "--allow-unverified-gpu")
    assert result.returncode == 1
    assert "deck.lock: deck.lock is out of date with the sources (0 to add, 1 to update" \
        in result.stderr
    assert "commit deck.lock" in result.stderr
    # the stale card by name and place, and what changed in it
    assert "cards/basics/softmax.md:1: card 'softmax-sums-to-one' is stale in deck.lock" \
        in result.stderr
    assert "note fields changed: Reason" in result.stderr
    assert (root / "deck.lock").read_text() == lock_before
    assert sums(root) == before  # a failed build leaves the previous outputs intact


def test_locked_shows_the_output_and_provenance_before_and_after(built: Path,
                                                                tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(built, root)
    snippet = root / "snippets" / "basics" / "softmax.py"
    snippet.write_text(snippet.read_text().replace("print(p)", "print(p.sum().item() > 0.99)"))
    lock = json.loads((root / "deck.lock").read_text())
    for card in lock["cards"]:
        card["provenance"] = [line.replace("Python 3.11", "Python 3.11.7")
                              for line in card["provenance"]]
    (root / "deck.lock").write_text(json.dumps(lock, indent=2) + "\n")
    for command in (("build", "--locked"), ("plan", "--locked")):
        result = deck_cmd(root, *command, "--allow-unverified-gpu")
        assert result.returncode == 1, result.stderr
        err = result.stderr
        assert "cards/basics/softmax.md:1: card 'softmax-sums-to-one' is stale in deck.lock" \
            in err
        assert "- tensor([0.0900, 0.2447, 0.6652])" in err and "+ True" in err
        assert "provenance:" in err and "Python 3.11.7" in err
        assert "cards/basics/clinical-utility.md" not in err  # no snippet, no provenance
        assert "Traceback" not in err


def test_plan_locked_passes_on_a_fresh_lock_and_writes_nothing(built: Path,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(built, root)
    before = sums(root), (root / "deck.lock").read_bytes()
    result = deck_cmd(root, "plan", "--locked", "--allow-unverified-gpu")
    assert result.returncode == 0, result.stderr
    assert "deck.lock is up to date" in result.stderr
    assert (sums(root), (root / "deck.lock").read_bytes()) == before


def test_a_failing_snippet_stops_the_build_and_keeps_old_outputs(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(built, root)
    before = sums(root)
    snippet = root / "snippets" / "basics" / "softmax.py"
    snippet.write_text(snippet.read_text().replace("p.sum()", "p.sum() + 1"))
    result = deck_cmd(root, "build", "--allow-unverified-gpu")
    assert result.returncode == 1
    assert "cards/basics/softmax.md:4: snippet snippets/basics/softmax.py failed on cpu" \
        in result.stderr
    assert sums(root) == before


def test_two_clean_copies_give_identical_sha256sums(built: Path, tmp_path: Path) -> None:
    # What CI does on a tag: a fresh checkout (sources + committed lock, no build/) builds.
    digests = []
    for name in ("one", "two"):
        root = tmp_path / name
        shutil.copytree(built, root, ignore=shutil.ignore_patterns("build"))
        result = deck_cmd(root, "build", "--locked", "--allow-unverified-gpu", "--version", "2.0.0")
        assert result.returncode == 0, result.stderr
        digests.append(sums(root))
    assert digests[0] == digests[1]
    assert digests[0]["sample.apkg"] != sums(built)["sample.apkg"]  # the version is inside


def test_a_locked_build_on_an_imitated_older_cpu_is_byte_identical(built: Path,
                                                                    tmp_path: Path) -> None:
    # The release promise: two fresh checkouts, one on this CPU and one imitating another
    # (the portability check's settings), both --locked against the committed lock.
    from generator.verify.portability import PORTABLE_ENV

    digests = []
    for name, extra in (("native", {}), ("other-cpu", PORTABLE_ENV)):
        root = tmp_path / name
        shutil.copytree(built, root, ignore=shutil.ignore_patterns("build"))
        result = subprocess.run(
            [sys.executable, "-m", "generator.cli", "--root", str(root), "build", "--locked",
             "--allow-unverified-gpu"],
            capture_output=True, text=True, timeout=300, env={**os.environ, **extra})
        assert result.returncode == 0, result.stderr
        digests.append(sums(root))
    assert digests[0] == digests[1]
    assert digests[0] == sums(built)


def test_locked_fails_on_a_stale_gpu_ledger_record(built: Path, tmp_path: Path) -> None:
    # A GPU record for an *older* version of the cuda snippet: the code changed after the GPU
    # run. (A test fixture written by hand; never commit such a record to verified/.)
    import json

    root = tmp_path / "deck"
    shutil.copytree(built, root)
    record = {"card_id": "device-transfer", "snippet": "snippets/gpu/transfer.py",
              "device": "cuda", "status": "passed", "stdout": "cuda\n", "stderr": "",
              "duration": 0.1, "versions": {"python": "3.11", "torch": "2.13.0"},
              "content_hash": "0" * 64, "gpu_name": "Test GPU", "message": ""}
    (root / "verified").mkdir(exist_ok=True)
    (root / "verified" / "cuda.json").write_text(json.dumps(
        {"records": {"device-transfer::snippets/gpu/transfer.py": record}}))
    result = deck_cmd(root, "build", "--locked", "--allow-unverified-gpu")
    assert result.returncode == 1
    assert ("cards/gpu/transfer.md:4: verified/cuda.json verified an older version of "
            "snippets/gpu/transfer.py (card 'device-transfer')") in result.stderr
    result = deck_cmd(root, "build", "--allow-unverified-gpu")  # not locked: ships it marked
    assert result.returncode == 0, result.stderr
