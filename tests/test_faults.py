"""Fault injection: ``deck build`` killed with SIGKILL at random moments.

Each trial edits the tiny sample deck (a new generation number in every question), starts a
build and kills it after a random delay. Whatever the moment, ``build/`` must then show one
generation, all of it, **right after the kill**, before any recovery: every output path
resolves, to the previous outputs or the new ones, never a mix. ``deck.lock`` may lag behind
the outputs by one step (it cannot share their rename; a journal says so): in two trials of three
the test runs that recovery, as any next command would, and checks the lock then; in the third
the next trial's build does it. At the end one more build must succeed and leave nothing of
the interrupted ones behind.

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

from generator.publish import recover

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


def wait_for_publishing(build_dir: Path, build: subprocess.Popen[bytes]) -> None:
    """Return as soon as ``build`` has renamed its staging folder into a generation."""
    name = f".gen-{build.pid}-"
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        if any(entry.name.startswith(name) for entry in os.scandir(build_dir)):
            return


def generations(root: Path) -> dict[str, set[int]]:
    """The generation numbers each output shows (read through build/'s links)."""
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
    return found


def lock_generation(root: Path) -> set[int]:
    lock = json.loads((root / "deck.lock").read_text(encoding="utf-8"))
    return {int(g) for c in lock["cards"] for g in GENERATION.findall(c["question"])}


def leftovers(root: Path, pids: list[int]) -> list[str]:
    """Anything in build/ besides the outputs' links, ``.current`` and the live generation;
    temporary files beside deck.lock; work folders of the killed builds."""
    build = root / "build"
    live = os.readlink(build / ".current")
    names = sorted(p.name for p in build.iterdir()
                   if p.name not in (*OUTPUTS, ".current", live))
    names += [p.name for p in root.iterdir() if p.name.endswith(".tmp")]
    names += [p.name for pid in pids
              for p in Path(tempfile.gettempdir()).glob(f"deck-*-{pid}-*")]
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
    outcomes = {"previous": 0, "new": 0, "killed while publishing": 0}
    deadline = time.monotonic() + 240  # bounded: a slow machine runs fewer trials, never hangs
    for trial in range(1, TRIALS + 1):
        assert time.monotonic() < deadline, f"only {trial - 1} trials in time"
        set_generation(root, trial)
        build = start_build(root)
        pids.append(build.pid)
        if trial % 3 == 1:  # anywhere in the build
            time.sleep(rng.uniform(0.0, duration * 1.1))
        elif trial % 3 == 2:  # near its end
            time.sleep(rng.uniform(0.7 * duration, duration * 1.1))
        else:  # while it publishes: a window of about a millisecond, found by watching
            wait_for_publishing(root / "build", build)
            time.sleep(rng.uniform(0.0, 0.0015))
        build.send_signal(signal.SIGKILL)
        build.communicate(timeout=60)
        shown = generations(root)  # right after the kill: nothing has recovered anything
        assert all(len(g) == 1 for g in shown.values()), (trial, shown)
        values = {next(iter(g)) for g in shown.values()}
        assert len(values) == 1, f"trial {trial}: outputs of different builds: {shown}"
        (value,) = values
        assert value in (current, trial), (trial, current, shown)
        outcomes["new" if value == trial else "previous"] += 1
        current = value
        if any((root / "build").glob(".publish-*.json")):
            outcomes["killed while publishing"] += 1
        if trial % 3 != 0:  # what the next command does first; else the next build does it
            recover(root / "build", other_dirs=(root,))
            assert generations(root) == shown
            assert lock_generation(root) == {value}, (trial, value)
    final = start_build(root)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()
    assert {next(iter(g)) for g in generations(root).values()} == {TRIALS}
    assert lock_generation(root) == {TRIALS}
    assert leftovers(root, pids) == []
    assert "Traceback" not in err.decode()
    print(f"{TRIALS} kills: {outcomes}")


def test_two_builds_at_once_both_succeed_and_leave_one_generation(tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(TINY, root)
    set_generation(root, 0)
    first = start_build(root)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    set_generation(root, 1)
    builds = [start_build(root) for _ in range(3)]
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
    assert generations(root) == {name: {1} for name in OUTPUTS}
    assert lock_generation(root) == {1}
    assert leftovers(root, [b.pid for b in builds]) == []
