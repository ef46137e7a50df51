"""Two snippets side by side: one worker runs the next snippet while the current one runs.

Each case is a pair of cards that meet through files in a folder outside the deck (a
rendezvous), so that the test knows for certain whether they ran at the same time; the
verification of each is asserted exactly, as ``run_pytest`` reports it.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from helpers import add_card

from generator.lint import read_deck
from generator.verify import RunSummary, SnippetJob, run_pytest
from generator.verify.supervisor import Supervisor

SAMPLES = Path(__file__).parent / "samples" / "verify"

# The writer: changes a deck file (always, or only the first time), says so, then waits a
# little for the other snippet to have seen it running. The other one, which ends only once
# it saw that, cannot have been checked before the change.
WRITER = """
import os, time
meet = {meet!r}
target = os.path.join({root!r}, "snippets", "t", "scratch.txt")
if {always} or not os.path.exists(target):
    with open(target, "w") as fh:
        fh.write("planted")
open(os.path.join(meet, "writer-started"), "w").close()
deadline = time.monotonic() + 10
while not os.path.exists(os.path.join(meet, "other-saw")) and time.monotonic() < deadline:
    time.sleep(0.01)
print("wrote")
"""
# The other one: notes (outside the deck) whether the writer was running, prints the same
# line either way.
OTHER = """
import os, time
meet = {meet!r}
deadline = time.monotonic() + {wait}
while not os.path.exists(os.path.join(meet, "writer-started")) and time.monotonic() < deadline:
    time.sleep(0.01)
seen = os.path.exists(os.path.join(meet, "writer-started"))
with open(os.path.join(meet, "log"), "a") as fh:  # before the writer may end
    fh.write("met\\n" if seen else "alone\\n")
open(os.path.join(meet, "other-saw"), "w").close()
print("fine")
"""


def make_deck(tmp_path: Path, first: str, second: str) -> Path:
    root = tmp_path / "deck"
    root.mkdir()
    shutil.copy(SAMPLES / "basic" / "deck.toml", root / "deck.toml")
    for name, code in (("a", first), ("b", second)):
        add_card(root, name, textwrap.dedent(code))
    return root


def outcomes(summary: RunSummary) -> dict[str, tuple[str, str, str]]:
    found = {}
    for item in summary.items:
        assert item.verification is not None
        found[item.verification.card_id] = (item.outcome, item.verification.stdout,
                                            item.verification.message)
    return found


@pytest.fixture
def meet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy")
    folder = tmp_path / "meet"
    folder.mkdir()
    return folder


# a waits for b to start: it sees b only if b runs beside it.
WAITER = """
import os, time
started = os.path.join({meet!r}, "b-started")
deadline = time.monotonic() + {wait}
while not os.path.exists(started) and time.monotonic() < deadline:
    time.sleep(0.01)
with open(os.path.join({meet!r}, "log"), "a") as fh:
    fh.write("met\\n" if os.path.exists(started) else "alone\\n")
print("fine")
"""
# b logs that it ran before it says it started (a may end the worker as soon as it has).
STARTER = """
import os
with open(os.path.join({meet!r}, "b-log"), "a") as fh:
    fh.write("ran\\n")
open(os.path.join({meet!r}, "b-started"), "w").close()
print("started")
"""


@pytest.mark.parametrize(("parallel", "expected"), [("2", "met"), ("1", "alone")])
def test_the_next_snippet_runs_beside_the_current_one(tmp_path: Path, meet: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      parallel: str, expected: str) -> None:
    monkeypatch.setenv("DECK_WORKER_PARALLEL", parallel)
    root = make_deck(tmp_path, WAITER.format(meet=str(meet), wait=10 if parallel == "2" else 1),
                     STARTER.format(meet=str(meet)))
    summary = run_pytest(root, ["-q", "cards"])
    assert outcomes(summary) == {"a": ("passed", "fine\n", ""), "b": ("passed", "started\n", "")}
    assert (meet / "log").read_text() == expected + "\n"


@pytest.mark.parametrize("writer_first", [True, False])
def test_a_deck_write_beside_another_snippet_is_blamed_on_the_writer(
        tmp_path: Path, meet: Path, monkeypatch: pytest.MonkeyPatch, writer_first: bool) -> None:
    monkeypatch.setenv("DECK_WORKER_PARALLEL", "2")
    root = tmp_path / "deck"
    writer = WRITER.format(meet=str(meet), root=str(root), always=True)
    other = OTHER.format(meet=str(meet), wait=10)
    ids = ("a", "b") if writer_first else ("b", "a")
    make_deck(tmp_path, *((writer, other) if writer_first else (other, writer)))
    found = outcomes(run_pytest(root, ["-q", "cards"]))
    writer_id, other_id = ids
    assert found[other_id] == ("passed", "fine\n", "")
    assert found[writer_id][0] == "failed"
    assert found[writer_id][2].startswith(
        "changed the deck's own files: snippets/t/scratch.txt; a snippet must not write")
    # They met the first time, then each ran again alone.
    assert (meet / "log").read_text().splitlines()[0] == "met"
    assert len((meet / "log").read_text().splitlines()) == 2


def test_a_deck_write_nobody_repeats_fails_both_naming_the_file(
        tmp_path: Path, meet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECK_WORKER_PARALLEL", "2")
    root = tmp_path / "deck"
    make_deck(tmp_path, WRITER.format(meet=str(meet), root=str(root), always=False),
              OTHER.format(meet=str(meet), wait=10))
    found = outcomes(run_pytest(root, ["-q", "cards"]))
    for me, other in (("a", "b"), ("b", "a")):
        outcome, _, message = found[me]
        assert outcome == "failed"
        assert message.startswith(
            "the deck's own files changed: snippets/t/scratch.txt, while this snippet ran "
            f"beside snippets/t/{other}.py, and neither changed them when run again alone")


def test_a_lost_worker_beside_another_snippet_fails_only_the_one_that_lost_it(
        tmp_path: Path, meet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECK_WORKER_PARALLEL", "2")
    # a kills its zygote once b has started (so b was running beside it).
    killer = WAITER.format(meet=str(meet), wait=10).replace(
        'print("fine")', "import signal\nos.kill(os.getppid(), signal.SIGKILL)")
    root = make_deck(tmp_path, killer, STARTER.format(meet=str(meet)))
    found = outcomes(run_pytest(root, ["-q", "cards"]))
    assert found["b"] == ("passed", "started\n", "")
    assert found["a"][0] == "failed"
    assert "the snippet worker was killed by SIGKILL while this snippet ran" in found["a"][2]
    # Both ran side by side, then each alone: a lost its worker again, b passed.
    assert (meet / "log").read_text().splitlines() == ["met", "met"]
    assert (meet / "b-log").read_text().splitlines() == ["ran", "ran"]


def test_a_snippet_sent_ahead_for_an_item_that_did_not_run_changes_nothing(
        tmp_path: Path, meet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sent ahead beside a, b's item then does not run (pytest stopped, its runtest failed
    # before): c's result is c's, and b, asked for later, is b's own.
    monkeypatch.setenv("DECK_WORKER_PARALLEL", "2")
    # b is still running when c ends: asked for at last, it is waited for, not dropped.
    root = make_deck(tmp_path, 'print("a")\n', 'import time\ntime.sleep(1)\nprint("b")\n')
    add_card(root, "c", 'print("c")\n')
    deck, _ = read_deck(root)
    jobs = {card.id: SnippetJob(root, card, card.snippets[0], "cpu") for card in deck.cards}
    supervisor = Supervisor(root)
    try:
        first = supervisor.run(jobs["a"], "hash", then=jobs["b"])
        third = supervisor.run(jobs["c"], "hash")
        second = supervisor.run(jobs["b"], "hash")
    finally:
        supervisor.close()
    assert [(v.card_id, v.status, v.stdout) for v in (first, third, second)] == [
        ("a", "passed", "a\n"), ("c", "passed", "c\n"), ("b", "passed", "b\n")]


# a starts a double-forked setsid daemon, then waits until b, running beside it, is over (its
# processes are killed then); a's daemon must still be running: it is a's, not b's.
DAEMON_OWNER = """
import os, subprocess, sys, time
meet = {meet!r}
spawn = (
    "import os, sys, time\\n"
    "pid = os.fork()\\n"
    "if pid:\\n"
    "    print(pid)\\n"
    "    sys.exit(0)\\n"
    "os.setsid()\\n"
    "null = os.open(os.devnull, os.O_RDWR)\\n"
    "os.dup2(null, 1)\\n"
    "os.dup2(null, 2)\\n"
    "time.sleep(60)\\n")
daemon = int(subprocess.run([sys.executable, "-c", spawn], capture_output=True,
                            text=True, check=True).stdout)
open(os.path.join(meet, "daemon-pid"), "w").write(str(daemon))
open(os.path.join(meet, "a-ready"), "w").close()

def state(pid):
    try:
        with open(f"/proc/{{pid}}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"

deadline = time.monotonic() + 20
while not os.path.exists(os.path.join(meet, "b-pid")) and time.monotonic() < deadline:
    time.sleep(0.01)
other = int(open(os.path.join(meet, "b-pid")).read())
while state(other) not in ("Z", "X", "gone") and time.monotonic() < deadline:
    time.sleep(0.01)
time.sleep(0.5)  # the zygote killed b's processes before it replied for b
print("kept" if state(daemon) not in ("Z", "X", "gone") else "killed")
"""
NEIGHBOUR = """
import os, time
meet = {meet!r}
deadline = time.monotonic() + 20
while not os.path.exists(os.path.join(meet, "a-ready")) and time.monotonic() < deadline:
    time.sleep(0.01)
open(os.path.join(meet, "b-pid"), "w").write(str(os.getpid()))
print("b")
"""


def test_a_daemon_stays_with_its_own_snippet_while_the_one_beside_it_ends(
        tmp_path: Path, meet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECK_WORKER_PARALLEL", "2")
    root = make_deck(tmp_path, DAEMON_OWNER.format(meet=str(meet)),
                     NEIGHBOUR.format(meet=str(meet)))
    found = outcomes(run_pytest(root, ["-q", "cards"]))
    assert found == {"a": ("passed", "kept\n", ""), "b": ("passed", "b\n", "")}
    daemon = int((meet / "daemon-pid").read_text())
    try:  # and it did not outlive a
        with open(f"/proc/{daemon}/stat") as fh:
            assert fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        pass
