"""generator.verify: content hashes, seeds, records, the GPU ledger, verify_deck, deck verify.

The GPU ledger tests build their cuda record by hand: it is a TEST FIXTURE, written only into a
temporary copy of a sample deck, never into the repository's verified/ folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import verify
from generator.config import load_config
from generator.errors import SnippetError
from generator.lint import read_deck
from generator.model import Verification
from generator.parse import parse_card
from generator.verify import (
    LEDGER_PATH,
    SnippetJob,
    VerifyOptions,
    cached_summary,
    content_hash,
    from_json,
    load_ledger,
    load_verifications,
    read_record,
    record_in_ledger,
    snippet_seed,
    to_json,
    verify_deck,
    write_record,
)

SAMPLES = Path(__file__).parent / "samples" / "verify"
BODY = "# Q?\n\n## Principle\np\n\n## Reason\nr\n\n## Example\ne\n\n## Pitfall\np\n"
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0+cpu"), ("scikit-learn", "1.9.1"),
            ("numpy", "2.4.6"))


@pytest.fixture
def deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy")
    root = tmp_path / "deck"
    shutil.copytree(SAMPLES / "basic", root)
    return root


def add_card(root: Path, name: str, code: str, requires: str = "cpu") -> None:
    (root / "cards" / "t").mkdir(parents=True, exist_ok=True)
    (root / "snippets" / "t").mkdir(parents=True, exist_ok=True)
    (root / "cards" / "t" / f"{name}.md").write_text(
        f"---\nid: {name}\nsnippet: t/{name}.py\nrequires: {requires}\n---\n{BODY}")
    (root / "snippets" / "t" / f"{name}.py").write_text(code)


def passed(job: SnippetJob, content: str, stdout: str = "out\n") -> Verification:
    return Verification(card_id=job.card_id, snippet=job.display, device=job.device,
                        status="passed", stdout=stdout, stderr="", duration=0.01,
                        versions=tuple(sorted(VERSIONS)), content_hash=content,
                        gpu_name="TEST FIXTURE, not a real GPU")


# --------------------------------------------------------------------------- hashes and seeds


def test_content_hash_changes_with_everything_that_decides_the_outcome() -> None:
    card = parse_card(f"---\nid: a-card\nsnippet: x.py\n---\n{BODY}", "cards/t/a.md")
    other = parse_card(f"---\nid: a-card\nsnippet: x.py\ntimeout: 5\n---\n{BODY}", "cards/t/a.md")
    base = content_hash(card, b"print(1)\n", "cpu", VERSIONS)
    assert base == content_hash(card, b"print(1)\n", "cpu", VERSIONS)
    newer_torch = tuple((n, "2.14.0" if n == "torch" else v) for n, v in VERSIONS)
    assert len({
        base,
        content_hash(card, b"print(2)\n", "cpu", VERSIONS),
        content_hash(other, b"print(1)\n", "cpu", VERSIONS),
        content_hash(card, b"print(1)\n", "cuda", VERSIONS),
        content_hash(card, b"print(1)\n", "cpu", newer_torch),
    }) == 5


def test_content_hash_same_on_cpu_and_gpu_builds_of_a_version() -> None:
    card = parse_card(f"---\nid: a-card\nsnippet: x.py\n---\n{BODY}", "cards/t/a.md")
    gpu_machine = (("python", "3.11.9"), ("torch", "2.13.0+cu126"), ("scikit-learn", "1.9.1"),
                   ("numpy", "2.4.6"))
    assert content_hash(card, b"x", "cuda", VERSIONS) == content_hash(card, b"x", "cuda",
                                                                        gpu_machine)


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
    assert out.strip() == "['numpy', 'python', 'scikit-learn', 'torch'] False"


# --------------------------------------------------------------------------- records and ledger


def _job(root: Path, path: str = "cards/training/both.md", device: str = "cuda") -> SnippetJob:
    deck, _ = read_deck(root)
    card = next(c for c in deck.cards if c.path == path)
    return SnippetJob(root, card, card.snippets[0], device)


def test_record_round_trip_written_atomically(deck: Path) -> None:
    job = _job(deck, "cards/training/batchnorm.md", "cpu")
    v = passed(job, "abc")
    write_record(job, v)
    assert read_record(verify.record_path(job)) == v
    assert [p.name for p in (deck / "build" / "verify").iterdir()] == [
        "batchnorm-modes--training_batchnorm_modes.py--cpu.json"]
    assert from_json(to_json(v)) == v


def test_ledger_holds_one_sorted_record_per_card_snippet(deck: Path) -> None:
    job = _job(deck)
    record_in_ledger(deck, passed(job, "old"))
    record_in_ledger(deck, passed(job, "new"))  # replaces, does not accumulate
    kernel = _job(deck, "cards/gpu/kernel.md")
    record_in_ledger(deck, passed(kernel, "k"))
    text = (deck / LEDGER_PATH).read_text()
    data = json.loads(text)
    assert list(data["records"]) == ["both-devices::snippets/training/both_devices.py",
                                     "gpu-kernel::snippets/gpu/kernel.py"]
    assert data["records"]["both-devices::snippets/training/both_devices.py"][
        "content_hash"] == "new"
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert load_ledger(deck)["gpu-kernel::snippets/gpu/kernel.py"].content_hash == "k"
    with pytest.raises(ValueError):
        record_in_ledger(deck, passed(_job(deck, device="cpu"), "x"))


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
        record_in_ledger(deck, passed(job, job.content_hash(), stdout="3.0\n"))  # TEST FIXTURE
    built = verify_deck(config, parsed)
    kernel = next(b for b in built if b.card.path == "cards/gpu/kernel.md")
    assert kernel.snippets[0].verification is not None
    assert kernel.snippets[0].verification.stdout == "3.0\n"

    snippet = deck / "snippets" / "gpu" / "kernel.py"
    snippet.write_text(snippet.read_text() + "# edited\n")
    with pytest.raises(SnippetError, match="kernel.py \\(cuda\\) has no GPU verification"):
        verify_deck(config, parsed)


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
