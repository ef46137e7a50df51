"""Hostile snippets cannot reach another snippet, the deck or the outputs.

``tests/samples/verify/hostile`` holds pairs of cards that run in this order: a hostile snippet
(``x_hostile``), then a victim (``y_victim``). One run of the whole sample (a module-scoped
fixture, torch preloaded as in a real deck, two snippets at a time, so that each victim runs
beside its hostile snippet); each case is asserted by its own test: the hostile
snippet's own outcome, and the victim's output, exactly, as recorded in ``build/verify/``, as
reported by the run, and as ``verify_deck`` ships it.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import SnippetError
from generator.lint import read_deck
from generator.model import Verification
from generator.verify import RunSummary, run_pytest, verify_deck

SAMPLE = Path(__file__).parent / "samples" / "verify" / "hostile"
EXPECTED: dict[str, str] = json.loads((SAMPLE / "expected_victims.json").read_text())


@dataclasses.dataclass(frozen=True)
class HostileRun:
    root: Path
    summary: RunSummary
    records: dict[str, dict[str, object]]  # build/verify/ after the run, by card id
    shipped: dict[str, str]  # card id -> the output verify_deck ships
    build_error: str  # verify_deck over the whole deck: the cards it refuses
    planted: bool  # the daemon's file appeared after the run


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    root = tmp_path_factory.mktemp("hostile") / "deck"
    shutil.copytree(SAMPLE, root)
    (root / "expected_victims.json").unlink()
    mp = pytest.MonkeyPatch()
    mp.setenv("DECK_TEST_SECRET_TOKEN", "do-not-leak")
    mp.setenv("DECK_WORKER_MEMORY_MB", "4096")
    mp.setenv("DECK_WORKER_PARALLEL", "2")  # each victim runs beside its hostile snippet
    mp.delenv("DECK_WORKER_PRELOAD", raising=False)
    try:
        summary = run_pytest(root, ["-q", "cards"])
        time.sleep(2.5)  # longer than the daemon waits before it writes
        planted = (root / "cards" / "planted.md").exists()
        records: dict[str, dict[str, object]] = {}
        for path in (root / "build" / "verify").glob("*.json"):
            data = json.loads(path.read_text())
            records[str(data["card_id"])] = data
        config = load_config(root)
        deck, _ = read_deck(root)
        with pytest.raises(SnippetError) as refused:
            verify_deck(config, deck)
        victims = dataclasses.replace(deck, cards=tuple(
            c for c in deck.cards if c.id and "-victim-" in c.id))
        shipped = {b.card.id or "": b.snippets[0].verification.stdout
                   for b in verify_deck(config, victims)
                   if b.snippets[0].verification is not None}
    finally:
        mp.undo()
    return HostileRun(root, summary, records, shipped, str(refused.value), planted)


def result(run: HostileRun, card_id: str) -> tuple[str, str, Verification | None]:
    (item,) = [e for e in run.summary.items if e.verification is not None
               and e.verification.card_id == card_id]
    return item.outcome, item.message, item.verification


@pytest.mark.parametrize("card_id", sorted(EXPECTED))
def test_victim_output_recorded_and_shipped_exactly(hostile: HostileRun, card_id: str) -> None:
    outcome, message, verification = result(hostile, card_id)
    assert (outcome, message) == ("passed", "")
    assert verification is not None and verification.stdout == EXPECTED[card_id]
    assert hostile.shipped[card_id] == EXPECTED[card_id]
    # The cache on disk: j's hostile snippet deletes build/, records written before it go.
    if card_id >= "j":
        assert hostile.records[card_id]["stdout"] == EXPECTED[card_id]


def test_session_ran_every_item_once(hostile: HostileRun) -> None:
    assert len(hostile.summary.items) == 2 * len(EXPECTED)
    assert hostile.summary.exitstatus == 1


def test_build_refuses_exactly_the_failing_hostile_cards(hostile: HostileRun) -> None:
    refused = [line.split(": snippet ")[1].split(" ")[0]
               for line in hostile.build_error.splitlines() if ": snippet " in line]
    assert refused == [f"snippets/hostile/{name}.py" for name in (
        "a_hostile_timeout_inf", "j_hostile_writes_deck", "l_hostile_syntax",
        "m_hostile_kill_zygote", "n_hostile_os_exit", "o_hostile_big_output")]
    assert "was not run" not in hostile.build_error


def test_infinite_timeout_still_fails_its_own_assert(hostile: HostileRun) -> None:
    outcome, message, _ = result(hostile, "a-hostile-timeout-inf")
    assert outcome == "failed"
    assert "AssertionError: assert (2 + 2) == 5" in message


@pytest.mark.parametrize(("card_id", "stdout"), [
    ("b-hostile-tensor-add", "patched\n"), ("c-hostile-math-sqrt", "patched\n"),
    ("d-hostile-sys-modules", "replaced\n"), ("f-hostile-rlimit", "unlimited\n"),
    ("g-hostile-del-torch", "deleted\n"), ("h-hostile-json-dumps", "patched\n"),
    ("i-hostile-daemon", "spawned\n"), ("k-hostile-environment", "clean\n"),
])
def test_patching_its_own_process_passes_itself(hostile: HostileRun, card_id: str,
                                                  stdout: str) -> None:
    outcome, _, verification = result(hostile, card_id)
    assert outcome == "passed" and verification is not None and verification.stdout == stdout


def test_daemon_thread_output_stays_with_its_snippet(hostile: HostileRun) -> None:
    outcome, _, verification = result(hostile, "e-hostile-thread")
    assert outcome == "passed" and verification is not None
    assert set(verification.stdout.splitlines()) == {"SPAM"}


def test_setsid_daemon_does_not_outlive_its_snippet(hostile: HostileRun) -> None:
    assert not hostile.planted


def test_writing_the_deck_fails_naming_the_file(hostile: HostileRun) -> None:
    outcome, message, _ = result(hostile, "j-hostile-writes-deck")
    assert outcome == "failed"
    assert ("changed the deck's own files: snippets/scratch.txt; a snippet must not write "
            "outside its working folder") in message


def test_syntax_error_shows_path_line_and_the_line(hostile: HostileRun) -> None:
    outcome, message, _ = result(hostile, "l-hostile-syntax")
    assert outcome == "failed"
    assert message.splitlines()[:3] == [
        ("cards/hostile/l_x_hostile_syntax.md:3: snippet snippets/hostile/l_hostile_syntax.py "
         "failed"),
        "snippets/hostile/l_hostile_syntax.py:1: SyntaxError: '(' was never closed",
        "  x = (1,",
    ]


def test_killed_zygote_fails_only_the_current_item(hostile: HostileRun) -> None:
    outcome, message, _ = result(hostile, "m-hostile-kill-zygote")
    assert outcome == "failed"
    assert "the snippet worker was killed by SIGKILL while this snippet ran" in message


def test_exit_after_a_killed_zygote_reads_as_an_exit(hostile: HostileRun) -> None:
    outcome, message, _ = result(hostile, "n-hostile-os-exit")
    assert (outcome, message.splitlines()[1]) == ("failed", "ended the process with os._exit(3)")


def test_huge_output_fails_with_its_size(hostile: HostileRun) -> None:
    outcome, message, verification = result(hostile, "o-hostile-big-output")
    assert outcome == "failed" and verification is not None
    assert message.splitlines()[1] == ("printed 100000000 bytes; a card shows at most 65536 "
                                       "(print less, or raise [verify] max_output in deck.toml)")
    assert len(verification.stdout) == 65536
