"""Fault injection: ``deck build`` killed with SIGKILL at random moments.

Each trial edits the tiny sample deck (a new generation number in every question), starts a
build and kills it after a random delay. Whatever the moment, ``build/`` and ``deck.lock``
must then hold one generation, all of it: the previous outputs or the new ones, never a mix.
(A build killed while publishing leaves a journal that the next run rolls forward before
anything else; the check runs that recovery first, as any next command would.) At the end
one more build must succeed and leave nothing of the interrupted ones behind.

``FAULT_TRIALS`` sets the number of trials (default 20; nightly runs may raise it).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.fsutil import recover

TINY = Path(__file__).parent / "samples" / "tiny"
OUTPUTS = ("tiny.apkg", "tiny-cards.pdf", "tiny-cheatsheet.pdf")
TRIALS = int(os.environ.get("FAULT_TRIALS", "20"))
GENERATION = re.compile(r"generation (\d+)")


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "--root", str(root), "build"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def set_generation(root: Path, generation: int) -> None:
    for path in sorted((root / "cards").rglob("*.md")):
        text = re.sub(r"\?( generation \d+)?\n", f"? generation {generation}\n",
                      path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")


def generations(root: Path) -> dict[str, set[int]]:
    """The generation numbers each output and the lock show."""
    found: dict[str, set[int]] = {}
    build = root / "build"
    with zipfile.ZipFile(build / "tiny.apkg") as package:
        data = package.read("collection.anki2")
    with tempfile.NamedTemporaryFile(suffix=".anki2") as db_file:
        db_file.write(data)
        db_file.flush()
        with sqlite3.connect(db_file.name) as db:
            fields = " ".join(row[0] for row in db.execute("select flds from notes"))
    found["tiny.apkg"] = {int(g) for g in GENERATION.findall(fields)}
    for name in OUTPUTS[1:]:
        reader = PdfReader(io.BytesIO((build / name).read_bytes()))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        found[name] = {int(g) for g in GENERATION.findall(text)}
    lock = json.loads((root / "deck.lock").read_text(encoding="utf-8"))
    found["deck.lock"] = {int(g) for c in lock["cards"] for g in GENERATION.findall(c["question"])}
    return found


def leftovers(root: Path, pids: list[int]) -> list[str]:
    names = [p.name for p in (root / "build").iterdir()
             if p.name.startswith((".staging-", ".publish-")) or p.name.endswith(".tmp")]
    names += [p.name for p in root.iterdir() if p.name.endswith(".tmp")]
    names += [p.name for pid in pids
              for p in Path(tempfile.gettempdir()).glob(f"deck-typst-{pid}-*")]
    return names


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_build_leaves_previous_or_new_outputs_never_a_mix(tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(TINY, root)
    set_generation(root, 0)
    started = time.perf_counter()
    first = start_build(root)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    duration = time.perf_counter() - started
    rng = random.Random(12)
    pids: list[int] = []
    current = 0  # the generation build/ holds
    outcomes = {"previous": 0, "new": 0}
    for trial in range(1, TRIALS + 1):
        set_generation(root, trial)
        build = start_build(root)
        pids.append(build.pid)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        build.send_signal(signal.SIGKILL)
        build.communicate(timeout=60)
        recover(root / "build", other_dirs=(root,))  # what the next run does first
        shown = generations(root)
        assert all(len(g) == 1 for g in shown.values()), (trial, shown)
        values = {next(iter(g)) for g in shown.values()}
        assert len(values) == 1, f"trial {trial}: outputs of different builds: {shown}"
        (value,) = values
        assert value in (current, trial), (trial, current, shown)
        outcomes["new" if value == trial else "previous"] += 1
        current = value
    final = start_build(root)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()
    assert {next(iter(g)) for g in generations(root).values()} == {TRIALS}
    assert leftovers(root, pids) == []
    assert "Traceback" not in err.decode()
    print(f"{TRIALS} kills: {outcomes}")
