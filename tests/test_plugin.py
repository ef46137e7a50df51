"""The pytest plugin: collection, markers, skips, failure output, isolation, cache, xdist.

Most tests copy ``tests/samples/verify/basic`` (numpy-only snippets) into a pytester folder and
run pytest on it with ``DECK_WORKER_PRELOAD=numpy``, so that the worker starts in a fraction of
a second. The isolation cases need torch; they share one run of ``tests/samples/verify/isolation``
(a module-scoped fixture), and each case is asserted by its own test function.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import verify
from generator.verify import supervisor
from generator.verify import RunSummary, run_pytest

SAMPLES = Path(__file__).parent / "samples" / "verify"


@pytest.fixture
def deck(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The basic sample deck, copied into pytester's folder."""
    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy")
    shutil.copytree(SAMPLES / "basic", pytester.path, dirs_exist_ok=True)
    return pytester.path


def add_card(root: Path, name: str, snippet: str, code: str, extra: str = "") -> None:
    """A card ``cards/t/<name>.md`` linking ``snippets/t/<snippet>`` (its link on line 3)."""
    (root / "cards" / "t").mkdir(parents=True, exist_ok=True)
    (root / "snippets" / "t").mkdir(parents=True, exist_ok=True)
    (root / "cards" / "t" / f"{name}.md").write_text(
        f"---\nid: {name}\nsnippet: t/{snippet}\n{extra}---\n# Q?\n\n## Principle\np\n\n"
        "## Reason\nr\n\n## Example\ne\n\n## Pitfall\np\n")
    (root / "snippets" / "t" / snippet).write_text(code)


def record(root: Path, card_id: str, device: str = "cpu") -> dict[str, object]:
    (path,) = (root / "build" / "verify").glob(f"{card_id}--*--{device}.json")
    data: dict[str, object] = json.loads(path.read_text())
    return data


# --------------------------------------------------------------------------- collection


def test_collects_one_item_per_snippet_and_device_besides_tests(
        deck: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    assert ids == [
        "tests/check_sample.py::test_ordinary_test_still_collected",
        "cards/gpu/kernel.md::kernel.py[cuda]",
        "cards/training/batchnorm.md::batchnorm_modes.py[cpu]",
        "cards/training/both.md::both_devices.py[cpu]",
        "cards/training/both.md::both_devices.py[cuda]",
    ]


def test_plugin_found_by_plain_python_m_pytest(deck: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--collect-only", "-q", "cards")
    result.stdout.fnmatch_lines(["cards/training/batchnorm.md::batchnorm_modes.py[[]cpu[]]"])


def test_markers_registered_and_select_devices(deck: Path, pytester: pytest.Pytester) -> None:
    markers = pytester.runpytest("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.cpu:*", "@pytest.mark.cuda:*"])
    cpu = pytester.runpytest("--collect-only", "-q", "--strict-markers", "-m", "cpu", "cards")
    assert [ln for ln in cpu.outlines if "::" in ln] == [
        "cards/training/batchnorm.md::batchnorm_modes.py[cpu]",
        "cards/training/both.md::both_devices.py[cpu]",
    ]
    cuda = pytester.runpytest("--collect-only", "-q", "-m", "cuda", "cards")
    assert [ln for ln in cuda.outlines if "::" in ln] == [
        "cards/gpu/kernel.md::kernel.py[cuda]",
        "cards/training/both.md::both_devices.py[cuda]",
    ]


def test_unparsable_card_is_a_failing_item_not_a_collection_error(
        deck: Path, pytester: pytest.Pytester) -> None:
    (deck / "cards" / "training" / "broken.md").write_text("---\nid: [unclosed\n---\n# Q?\n")
    result = pytester.runpytest("-m", "cpu", "cards")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["cards/training/broken.md:*: invalid YAML in front matter*"])


def test_item_outside_a_deck_root_is_not_collected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".md", **{"cards/readme": "# just Markdown\n"})
    result = pytester.runpytest("--collect-only", "-q")
    assert "::" not in result.stdout.str()


# --------------------------------------------------------------------------- devices


def test_cuda_item_skipped_without_cuda(deck: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-m", "cuda", "-rs", "cards")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["SKIPPED*CUDA not available"])


def test_require_cuda_fails_instead_of_skipping(deck: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-m", "cuda", "--require-cuda", "cards/gpu")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["cards/gpu/kernel.md:3: snippet snippets/gpu/kernel.py failed",
                                 "CUDA not available (--require-cuda)"])


def test_both_devices_run_with_device_global(deck: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-m", "cpu", "cards/training/both.md")
    result.assert_outcomes(passed=1)
    assert record(deck, "both-devices")["stdout"] == "running on cpu\n"


def test_passed_cuda_run_goes_into_the_ledger(deck: Path, pytester: pytest.Pytester,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """SIMULATED GPU: CUDA availability is patched in this process, and the snippet only
    prints DEVICE; the ledger is written into pytester's folder, never into verified/."""
    monkeypatch.setattr(verify, "cuda_possible", lambda: True)
    monkeypatch.setenv("DECK_WORKER_SIMULATED_GPU", "TEST FIXTURE, not a real GPU")
    pytester.runpytest("-m", "cuda", "cards/training/both.md").assert_outcomes(passed=1)
    ledger = json.loads((deck / "verified" / "cuda.json").read_text())
    (key,) = ledger["records"]
    assert key == "both-devices::snippets/training/both_devices.py"
    entry = ledger["records"][key]
    assert (entry["device"], entry["status"], entry["stdout"]) == (
        "cuda", "passed", "running on cuda\n")
    assert entry["content_hash"] == record(deck, "both-devices", "cuda")["content_hash"]
    assert dict(entry["versions"]).keys() == {"python", "torch", "scikit-learn", "numpy", "scipy"}
    assert "duration" not in entry and "+" not in entry["versions"]["torch"]


# --------------------------------------------------------------------------- failure output


def test_failure_points_at_card_line_and_snippet_frames(
        deck: Path, pytester: pytest.Pytester) -> None:
    add_card(deck, "fails", "fails.py",
             "def double(x):\n    return 2 * x\n\nassert double(1) == 3\n")
    result = pytester.runpytest("cards/t")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines([
        "cards/t/fails.md:3: snippet snippets/t/fails.py failed",
        "Traceback (most recent call last):",
        '  File "snippets/t/fails.py", line 4, in <module>',
        "    assert double(1) == 3",
        "AssertionError: assert 2 == 3",
        " +  where 2 = <function double at *>(1)",
    ])
    assert "generator/" not in out and "worker.py" not in out


def test_failure_in_a_function_shows_only_snippet_frames(
        deck: Path, pytester: pytest.Pytester) -> None:
    add_card(deck, "deep", "deep.py",
             "import json\n\ndef load():\n    return json.loads('{')\n\nload()\n")
    result = pytester.runpytest("cards/t")
    result.stdout.fnmatch_lines([
        "cards/t/deep.md:3: snippet snippets/t/deep.py failed",
        '  File "snippets/t/deep.py", line 6, in <module>',
        '  File "snippets/t/deep.py", line 4, in load',
        "json.decoder.JSONDecodeError: *",
    ])
    assert "json/decoder.py" not in result.stdout.str()


# --------------------------------------------------------------------------- cache


def test_cache_hits_and_misses(deck: Path, pytester: pytest.Pytester) -> None:
    args = ("-m", "cpu", "cards/training/batchnorm.md")
    pytester.runpytest(*args).assert_outcomes(passed=1)
    first = record(deck, "batchnorm-modes")
    assert first["status"] == "passed" and first["stdout"] == "mean: [2. 3.]\n"
    assert pytester.runpytest(*args).parseoutcomes() == {"cached": 1}
    assert pytester.runpytest(*args, "--no-cache").parseoutcomes() == {"passed": 1}

    snippet = deck / "snippets" / "training" / "batchnorm_modes.py"
    snippet.write_text(snippet.read_text() + "print('changed')\n")
    assert pytester.runpytest(*args).parseoutcomes() == {"passed": 1}
    assert record(deck, "batchnorm-modes")["stdout"] == "mean: [2. 3.]\nchanged\n"
    assert pytester.runpytest(*args).parseoutcomes() == {"cached": 1}

    card = deck / "cards" / "training" / "batchnorm.md"
    card.write_text(card.read_text().replace("deck: Training", "deck: Other"))
    assert pytester.runpytest(*args).parseoutcomes() == {"cached": 1}  # prose, not code
    card.write_text(card.read_text().replace("---\n#", "timeout: 30\n---\n#"))
    assert pytester.runpytest(*args).parseoutcomes() == {"passed": 1}


def test_failed_result_is_never_a_cache_hit(deck: Path, pytester: pytest.Pytester) -> None:
    add_card(deck, "flaky", "flaky.py", "assert False\n")
    pytester.runpytest("cards/t").assert_outcomes(failed=1)
    pytester.runpytest("cards/t").assert_outcomes(failed=1)
    assert record(deck, "flaky")["status"] == "failed"


def test_fully_cached_run_starts_no_worker(deck: Path, pytester: pytest.Pytester,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.runpytest("-m", "cpu", "cards").assert_outcomes(passed=2)

    def no_worker(self: object) -> None:
        raise AssertionError("a cached run started the worker")

    monkeypatch.setattr(supervisor.Supervisor, "start", no_worker)
    outcomes = pytester.runpytest("-m", "cpu", "cards").parseoutcomes()
    assert outcomes["cached"] == 2 and "passed" not in outcomes


# --------------------------------------------------------------------------- xdist


def test_xdist_runs_every_item_once(deck: Path, pytester: pytest.Pytester) -> None:
    for i in range(4):
        add_card(deck, f"card{i}", f"s{i}.py", f"print({i} * 2)\n")
    result = pytester.runpytest_subprocess("-n", "2", "-m", "cpu", "cards")
    result.assert_outcomes(passed=6)
    assert [record(deck, f"card{i}")["stdout"] for i in range(4)] == ["0\n", "2\n", "4\n", "6\n"]
    again = pytester.runpytest_subprocess("-n", "2", "-m", "cpu", "cards")
    assert again.parseoutcomes()["cached"] == 6


# --------------------------------------------------------------------------- isolation


@dataclass(frozen=True)
class IsolationRun:
    full: RunSummary  # every isolation card, in file-name order
    alone: RunSummary  # two victims alone, without the poison before them
    first: dict[str, dict[str, str]]  # build/verify/ records after the full run
    second: dict[str, dict[str, str]]  # ... after the second run


def _records(root: Path) -> dict[str, dict[str, str]]:
    return {p.name: json.loads(p.read_text()) for p in (root / "build" / "verify").glob("*")}


@pytest.fixture(scope="module")
def isolation(tmp_path_factory: pytest.TempPathFactory) -> IsolationRun:
    """One run of the isolation sample (torch preloaded, as in a real deck), then a second
    run of two victims alone."""
    root = tmp_path_factory.mktemp("isolation")
    shutil.copytree(SAMPLES / "isolation", root, dirs_exist_ok=True)
    mp = pytest.MonkeyPatch()
    mp.setenv("DECK_WORKER_MEMORY_MB", "256")
    mp.delenv("DECK_WORKER_PRELOAD", raising=False)
    try:
        full = run_pytest(root, ["-q", "cards"])
        first = _records(root)
        alone = run_pytest(root, ["-q", "--no-cache", "-k", "victim_seed or victim_torch",
                                  "cards"])
        second = _records(root)
    finally:
        mp.undo()
    return IsolationRun(full, alone, first, second)


def outcome(run: IsolationRun, card: str) -> tuple[str, str]:
    (item,) = [e for e in run.full.items if e.nodeid.startswith(f"cards/iso/{card}.md::")]
    return item.outcome, item.message


def stdout_of(records: dict[str, dict[str, str]], card_id: str) -> str:
    (data,) = [v for k, v in records.items() if k.startswith(f"{card_id}--")]
    return data["stdout"]


def test_isolation_session_ends_normally(isolation: IsolationRun) -> None:
    run = isolation.full
    assert run.exitstatus == 1  # some snippets failed; the session itself finished
    assert len(run.items) == 14


def test_poisoner_passes_and_globals_are_fresh(isolation: IsolationRun) -> None:
    assert outcome(isolation, "a_poison")[0] == "passed"
    assert outcome(isolation, "b_globals") == ("passed", "")


def test_working_directory_is_fresh(isolation: IsolationRun) -> None:
    assert outcome(isolation, "b_cwd") == ("passed", "")


def test_torch_and_numpy_state_restored(isolation: IsolationRun) -> None:
    assert outcome(isolation, "b_torch") == ("passed", "")
    # The same printout (default print options and thread count) with and without the poison.
    assert stdout_of(isolation.first, "victim-torch") == \
        stdout_of(isolation.second, "victim-torch")


def test_interpreter_state_restored(isolation: IsolationRun) -> None:
    assert outcome(isolation, "b_process") == ("passed", "")


def test_seeded_output_identical_across_runs_and_selection(isolation: IsolationRun) -> None:
    assert [(e.nodeid, e.outcome) for e in isolation.alone.items] == [
        ("cards/iso/b_seed.md::victim_seed.py[cpu]", "passed"),
        ("cards/iso/b_torch.md::victim_torch.py[cpu]", "passed"),
        ("cards/iso/z_after_crashes.md::victim_torch.py[cpu]", "passed")]  # re-run, not cached
    full = stdout_of(isolation.first, "victim-seed")
    assert re.fullmatch(r"0\.\d+ 0\.\d+ 0\.\d+\n\{.*\}\n", full)
    assert full == stdout_of(isolation.second, "victim-seed")


def test_sys_exit_fails_itself(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "c_sys_exit")
    assert status == "failed"
    assert message.startswith("cards/iso/c_sys_exit.md:3: snippet snippets/iso/sys_exit.py "
                              "failed\ncalled sys.exit(3)")


def test_os_exit_fails_itself(isolation: IsolationRun) -> None:
    assert outcome(isolation, "d_os_exit") == (
        "failed", ("cards/iso/d_os_exit.md:3: snippet snippets/iso/os_exit.py failed\n"
                   "ended the process with os._exit(7)"))


def test_keyboard_interrupt_fails_itself(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "e_keyboard")
    assert status == "failed" and "raised KeyboardInterrupt" in message


def test_hang_times_out_with_its_line(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "f_hang")
    assert status == "failed"
    assert "timed out after 1 s" in message
    assert re.search(r'File "snippets/iso/hang.py", line [12] in <module>', message)


def test_segfault_fails_itself_with_its_line(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "g_segfault")
    assert status == "failed"
    assert "segmentation fault" in message
    assert 'File "snippets/iso/segfault.py", line 2' in message


def test_runaway_allocation_fails_itself(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "h_memory")
    assert status == "failed" and "ran out of memory" in message


def test_killed_worker_fails_only_that_snippet(isolation: IsolationRun) -> None:
    status, message = outcome(isolation, "i_killed")
    assert status == "failed" and "SIGKILL" in message
    # The snippet after every crash still runs, in a fresh worker, and passes.
    assert outcome(isolation, "z_after_crashes") == ("passed", "")
