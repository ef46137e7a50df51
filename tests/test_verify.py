"""generator.verify: content hashes, seeds, the record store, verify_deck, deck verify.

The GPU ledger tests build their cuda record by hand: it is a TEST FIXTURE, written only into a
temporary copy of a sample deck, never into the repository's verified/ folder.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import BODY, add_card

from generator import verify
from generator.config import load_config
from generator.errors import SnippetError
from generator.lint import read_deck
from generator.model import Verification
from generator.parse import parse_card
from generator.verify import (
    LEDGER_PATH,
    RecordStore,
    SnippetJob,
    VerifyOptions,
    cached_summary,
    from_json,
    load_ledger,
    load_verifications,
    snippet_seed,
    to_json,
    verify_deck,
)
from generator.verify.jobs import effective_timeout, library_versions, snippet_files

SAMPLES = Path(__file__).parent / "samples" / "verify"
VERSIONS = (("numpy", "2.4.6"), ("python", "3.11"), ("scikit-learn", "1.9.1"),
            ("scipy", "1.17.1"), ("torch", "2.13.0"))


@pytest.fixture
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy")
    root = tmp_path / "deck"
    shutil.copytree(SAMPLES / "basic", root)
    return root


def passed(job: SnippetJob, content: str, stdout: str = "out\n") -> Verification:
    return Verification(card_id=job.card_id, snippet=job.display, device=job.device,
                        status="passed", stdout=stdout, stderr="", duration=0.0,
                        versions=VERSIONS, content_hash=content,
                        gpu_name="TEST FIXTURE, not a real GPU")


def _job(root: Path, path: str = "cards/training/both.md", device: str = "cuda") -> SnippetJob:
    deck, _ = read_deck(root)
    card = next(c for c in deck.cards if c.path == path)
    return SnippetJob(root, card, card.snippets[0], device)


def _built(root: Path, **kwargs: bool) -> dict[str, list[str | None]]:
    """verify_deck's shipped output, by card id."""
    parsed, _ = read_deck(root)
    return {b.card.id or "": [s.verification.stdout if s.verification else None
                              for s in b.snippets]
            for b in verify_deck(load_config(root), parsed, **kwargs)}


# --------------------------------------------------------------------------- hashes and seeds


def _hash(root: Path, card_text: str, path: str = "cards/t/a.md") -> str:
    card = parse_card(card_text, path)
    return SnippetJob(root, card, card.snippets[0], "cpu").content_hash()


def test_content_hash_follows_code_not_prose(tmp_path: Path) -> None:
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    snippet = tmp_path / "snippets" / "t" / "x.py"
    snippet.write_text("from helper import f\nprint(f())\n")
    helper = tmp_path / "snippets" / "t" / "helper.py"
    helper.write_text("from deeper import g\ndef f():\n    return g()\n")
    (tmp_path / "snippets" / "t" / "deeper.py").write_text("def g():\n    return 1\n")
    card = f"---\nid: a-card\nsnippet: t/x.py\n---\n{BODY}"
    base = _hash(tmp_path, card)
    # prose, tags and subdeck do not decide what a snippet prints
    assert _hash(tmp_path, card.replace("## Reason\nr", "## Reason\nmore words")) == base
    assert _hash(tmp_path, card.replace("---\n#", "tags: [x]\ndeck: Other\n---\n#")) == base
    changed = {
        _hash(tmp_path, card.replace("id: a-card", "id: b-card")),
        _hash(tmp_path, card.replace("---\n#", "timeout: 5\n---\n#")),
    }
    (tmp_path / "snippets" / "t" / "deeper.py").write_text("def g():\n    return 2\n")
    changed.add(_hash(tmp_path, card))  # a module imported by a module it imports
    (tmp_path / "constraints.txt").write_text("torch==2.13.0\n")
    changed.add(_hash(tmp_path, card))  # the pinned dependency set
    snippet.write_text("from helper import f\nprint(f(), 1)\n")
    changed.add(_hash(tmp_path, card))
    assert len(changed | {base}) == 6
    assert snippet_files(tmp_path, "snippets/t/x.py") == tuple(sorted(
        (f"snippets/t/{n}.py", verify.jobs.hashlib.sha256(
            (tmp_path / "snippets" / "t" / f"{n}.py").read_bytes()).hexdigest())
        for n in ("deeper", "helper", "x")))


def test_content_hash_includes_the_runner_code(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    (tmp_path / "snippets" / "t" / "x.py").write_text("print(1)\n")
    card = f"---\nid: a-card\nsnippet: t/x.py\n---\n{BODY}"
    base = _hash(tmp_path, card)
    monkeypatch.setattr(verify.jobs, "runner_hash", lambda: "another runner")
    assert _hash(tmp_path, card) != base


def test_versions_normalised_like_the_key() -> None:
    versions = dict(library_versions())
    assert versions.keys() == {"python", "torch", "scikit-learn", "numpy", "scipy"}
    assert versions["python"].count(".") == 1
    assert all("+" not in v for v in versions.values())


@pytest.mark.parametrize(("value", "expected"), [
    (None, 60.0), (math.inf, 60.0), (math.nan, 60.0), (-1.0, 60.0), (0.0, 60.0),
    (1e308, 3600.0), (0.01, 1.0), (5.0, 5.0)])
def test_any_timeout_becomes_a_finite_one(value: float | None, expected: float) -> None:
    assert effective_timeout(value) == expected


def test_seed_depends_only_on_the_snippet_identity() -> None:
    seed = snippet_seed("card", "snippets/a.py", "cpu")
    assert seed == snippet_seed("card", "snippets/a.py", "cpu")
    assert 0 <= seed < 2**32
    assert len({seed, snippet_seed("card2", "snippets/a.py", "cpu"),
                snippet_seed("card", "snippets/b.py", "cpu"),
                snippet_seed("card", "snippets/a.py", "cuda")}) == 4


def test_library_versions_read_without_importing_torch() -> None:
    code = ("import sys; from generator.verify import library_versions; "
            "v = dict(library_versions()); print(sorted(v), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['numpy', 'python', 'scikit-learn', 'scipy', 'torch'] False"


# --------------------------------------------------------------------------- the record store


def test_record_round_trip_written_atomically(deck: Path) -> None:
    job = _job(deck, "cards/training/batchnorm.md", "cpu")
    v = passed(job, "abc")
    RecordStore(deck).put(job, v)
    assert [p.name for p in (deck / "build" / "verify").iterdir()] == [
        "batchnorm-modes--training_batchnorm_modes.py--cpu.json"]
    assert RecordStore.load(deck).cache[job.record_name] == v
    assert from_json(to_json(v)) == v


@pytest.mark.parametrize("bad", [
    "[]", "[1, 2]", "{}", '"text"', "{not json", '{"card_id": 1}'])
def test_malformed_cache_record_is_rerun_not_trusted(deck: Path, bad: str) -> None:
    job = _job(deck, "cards/training/batchnorm.md", "cpu")
    path = deck / "build" / "verify" / job.record_name
    path.parent.mkdir(parents=True)
    path.write_text(bad)
    assert RecordStore.load(deck).cache == {}
    assert _built(deck, allow_unverified_gpu=True)["batchnorm-modes"] == ["mean: [2. 3.]\n"]


def test_cache_record_with_wrong_types_is_rerun(deck: Path) -> None:
    job = _job(deck, "cards/training/batchnorm.md", "cpu")
    data = to_json(passed(job, job.content_hash(), stdout="forged\n"))
    data["stdout"] = ["forged"]
    path = deck / "build" / "verify" / job.record_name
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data))
    assert _built(deck, allow_unverified_gpu=True)["batchnorm-modes"] == ["mean: [2. 3.]\n"]


def test_ledger_holds_what_the_card_shows_and_no_durations(deck: Path) -> None:
    store = RecordStore(deck)
    job = _job(deck)
    store.record_in_ledger(passed(job, "old"))
    store.record_in_ledger(passed(job, "new"))  # replaces, does not accumulate
    store.record_in_ledger(passed(_job(deck, "cards/gpu/kernel.md"), "k"))
    text = (deck / LEDGER_PATH).read_text()
    data = json.loads(text)
    assert list(data["records"]) == ["both-devices::snippets/training/both_devices.py",
                                     "gpu-kernel::snippets/gpu/kernel.py"]
    entry = data["records"]["both-devices::snippets/training/both_devices.py"]
    assert sorted(entry) == ["card_id", "content_hash", "device", "gpu_name", "snippet",
                             "status", "stdout", "versions"]
    assert entry["content_hash"] == "new"
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert load_ledger(deck)["gpu-kernel::snippets/gpu/kernel.py"].content_hash == "k"
    with pytest.raises(ValueError):
        store.record_in_ledger(passed(_job(deck, device="cpu"), "x"))


@pytest.mark.parametrize(("text", "why"), [
    ("[]", 'must be a JSON object with a "records" object'),
    ("{not json", "is not valid UTF-8 JSON"),
    ('{"records": {"a::b": []}}', "record 'a::b' is malformed: a record must be a JSON object"),
    ('{"records": {"a::b": {"card_id": "a"}}}',
     "record 'a::b' is malformed: field 'snippet' must be a string"),
])
def test_malformed_ledger_is_a_located_error(deck: Path, text: str, why: str) -> None:
    (deck / "verified").mkdir()
    (deck / LEDGER_PATH).write_text(text)
    with pytest.raises(SnippetError) as err:
        load_ledger(deck)
    message = str(err.value)
    assert message.startswith(f"{LEDGER_PATH}: {why}")
    assert f"git checkout {LEDGER_PATH}" in message


# --------------------------------------------------------------------------- verify_deck


def test_verify_deck_returns_cards_with_verified_output(deck: Path) -> None:
    config = load_config(deck)
    parsed, _ = read_deck(deck)
    built = verify_deck(config, parsed, allow_unverified_gpu=True)
    by_path = {b.card.path: b for b in built}
    bn = by_path["cards/training/batchnorm.md"]
    assert bn.subdeck == "Training"
    (result,) = bn.snippets
    assert result.device == "cpu" and result.verification is not None
    assert result.verification.stdout == "mean: [2. 3.]\n"
    assert result.code.startswith("import numpy as np")
    both = by_path["cards/training/both.md"]
    assert [(r.device, r.verification is not None) for r in both.snippets] == [
        ("cpu", True), ("cuda", False)]
    assert set(load_verifications(config)) == {
        ("batchnorm-modes", "snippets/training/batchnorm_modes.py", "cpu"),
        ("both-devices", "snippets/training/both_devices.py", "cpu")}


def test_verify_deck_refuses_cuda_card_without_ledger_record(deck: Path) -> None:
    config = load_config(deck)
    parsed, _ = read_deck(deck)
    with pytest.raises(SnippetError) as err:
        verify_deck(config, parsed)
    message = str(err.value)
    assert "cards/gpu/kernel.md:3: snippet snippets/gpu/kernel.py (cuda) has no GPU " \
           "verification" in message
    assert "cards/training/both.md:3: snippet snippets/training/both_devices.py (cuda)" in message
    assert "deck verify -m cuda" in message and LEDGER_PATH in message
    assert "--allow-unverified-gpu" in message


def test_verify_deck_accepts_ledger_record_for_exactly_this_content(deck: Path) -> None:
    config = load_config(deck)
    parsed, _ = read_deck(deck)
    for path in ("cards/training/both.md", "cards/gpu/kernel.md"):
        job = _job(deck, path)
        RecordStore(deck).record_in_ledger(  # TEST FIXTURE
            passed(job, job.content_hash(), stdout="3.0\n"))
    built = verify_deck(config, parsed)
    kernel = next(b for b in built if b.card.path == "cards/gpu/kernel.md")
    assert kernel.snippets[0].verification is not None
    assert kernel.snippets[0].verification.stdout == "3.0\n"

    snippet = deck / "snippets" / "gpu" / "kernel.py"
    snippet.write_text(snippet.read_text() + "# edited\n")
    with pytest.raises(SnippetError, match="kernel.py \\(cuda\\) has no GPU verification"):
        verify_deck(config, parsed)


def test_tag_or_prose_change_on_a_gpu_card_keeps_its_ledger_record(deck: Path) -> None:
    job = _job(deck, "cards/gpu/kernel.md")
    RecordStore(deck).record_in_ledger(  # TEST FIXTURE
        passed(job, job.content_hash(), stdout="3.0\n"))
    card = deck / "cards" / "gpu" / "kernel.md"
    card.write_text(card.read_text().replace("requires: cuda\n",
                                             "requires: cuda\ntags: [kernels]\ndeck: GPU\n")
                    .replace("# A question?", "# A reworded question?"))
    ledger_before = (deck / LEDGER_PATH).read_text()
    assert _built(deck, allow_unverified_gpu=True)["gpu-kernel"] == ["3.0\n"]
    assert (deck / LEDGER_PATH).read_text() == ledger_before


def test_helper_module_change_reruns_its_snippet(deck: Path) -> None:
    add_card(deck, "uses-helper", "from helper import answer\nprint(answer())\n")
    helper = deck / "snippets" / "t" / "helper.py"
    helper.write_text("def answer():\n    return 41\n")
    assert _built(deck, allow_unverified_gpu=True)["uses-helper"] == ["41\n"]
    helper.write_text("def answer():\n    return 42\n")
    assert _built(deck, allow_unverified_gpu=True)["uses-helper"] == ["42\n"]


def test_verify_deck_lists_failed_snippet_with_its_card_line(deck: Path) -> None:
    add_card(deck, "wrong", "assert 1 + 1 == 3\n")
    config = load_config(deck)
    parsed, _ = read_deck(deck)
    with pytest.raises(SnippetError) as err:
        verify_deck(config, parsed, allow_unverified_gpu=True)
    assert "cards/t/wrong.md:3: snippet snippets/t/wrong.py failed on cpu: AssertionError: " \
           "assert (1 + 1) == 3" in str(err.value)


def test_verify_deck_runs_nothing_when_everything_is_cached(
        deck: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(deck)
    parsed, _ = read_deck(deck)
    first = verify_deck(config, parsed, allow_unverified_gpu=True)

    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("pytest ran although everything was cached")

    monkeypatch.setattr(verify, "run_pytest", no_run)
    assert verify_deck(config, parsed, allow_unverified_gpu=True) == first


# --------------------------------------------------------------------------- deck verify


def deck_verify(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = ("import sys\nfrom generator.cli import main\nrc = main(sys.argv[1:])\n"
            "print('torch imported:', 'torch' in sys.modules)\nsys.exit(rc)")
    return subprocess.run([sys.executable, "-c", code, "--root", str(root), "verify", "-q",
                           *args], capture_output=True, text=True, check=False)


def test_deck_verify_summary_failures_and_exit_status(deck: Path) -> None:
    add_card(deck, "wrong", "x = 2\nassert x == 3\n")
    first = deck_verify(deck)
    assert first.returncode == 1
    assert "cards/t/wrong.md:3: snippet snippets/t/wrong.py failed" in first.stderr
    assert 'File "snippets/t/wrong.py", line 2' in first.stderr
    for word in ("passed", "failed", "skipped", "cached", "slowest"):
        assert word in first.stderr
    assert "CUDA not available" in first.stderr


def test_cached_deck_verify_imports_no_torch_and_skips_pytest(deck: Path) -> None:
    assert deck_verify(deck, "-m", "cpu").returncode == 0
    assert cached_summary(deck, VerifyOptions(markexpr="cpu")) is not None
    again = deck_verify(deck)
    assert again.returncode == 0, again.stderr
    assert "torch imported: False" in again.stdout
    assert "cached" in again.stderr
    assert cached_summary(deck, VerifyOptions(no_cache=True)) is None
