"""generator.verify.portability: ``deck verify --portability`` (``pytest --portability``).

Each cpu snippet runs again on an imitated older CPU (OpenBLAS Prescott kernels, ATen's
default kernels, one thread); a snippet whose output differs fails with the differing lines.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import add_card

from generator.verify import run_pytest
from generator.verify.portability import check_imitation

SAMPLES = Path(__file__).parent / "samples" / "verify"
SUM = "import torch\ntorch.manual_seed(0)\nx = torch.randn(100000)\n"


def test_the_imitated_cpu_takes_effect_here() -> None:
    assert check_imitation() == []


def test_cpu_dependent_output_fails_with_the_differing_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy,torch")
    root = tmp_path / "deck"
    shutil.copytree(SAMPLES / "basic", root)
    add_card(root, "roundoff", SUM + "print(x.sum().item())\n")
    add_card(root, "rounded", SUM + "print(round(x.sum().item(), 1))\n")
    first = run_pytest(root, ["-q", "--portability", "cards/t"])
    outcomes = {e.nodeid: (e.outcome, e.message) for e in first.items}
    assert outcomes["cards/t/rounded.md::rounded.py[cpu]"] == ("passed", "")
    outcome, message = outcomes["cards/t/roundoff.md::roundoff.py[cpu]"]
    lines = message.splitlines()
    assert outcome == "failed"
    assert lines[0] == ("cards/t/roundoff.md:3: snippet snippets/t/roundoff.py prints "
                        "CPU-dependent output")
    assert lines[1:4] == ["--- this CPU", "+++ another CPU", "@@ -1 +1 @@"]
    assert lines[4].startswith("-") and lines[5].startswith("+") and lines[4][1:] != lines[5][1:]
    assert lines[6].startswith("to fix it: round the value")
    assert (root / "build" / "verify" / "portable--rounded--t_rounded.py--cpu.json").is_file()
    # Checked once: a second run reuses both results.
    again = run_pytest(root, ["-q", "--portability", "cards/t/rounded.md"])
    assert [(e.outcome, e.message) for e in again.items] == [("cached", "")]


def test_locked_build_stage_refuses_cpu_dependent_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.config import load_config
    from generator.errors import SnippetError
    from generator.lint import read_deck
    from generator.verify import verify_deck

    monkeypatch.setenv("DECK_WORKER_PRELOAD", "numpy,torch")
    root = tmp_path / "deck"
    shutil.copytree(SAMPLES / "basic", root)
    add_card(root, "roundoff", SUM + "print(x.sum().item())\n")
    config = load_config(root)
    deck, _ = read_deck(root)
    verify_deck(config, deck, allow_unverified_gpu=True)  # passes on this CPU alone
    with pytest.raises(SnippetError) as err:
        verify_deck(config, deck, allow_unverified_gpu=True, portability=True)
    lines = str(err.value).splitlines()
    assert lines[1] == ("cards/t/roundoff.md:3: snippet snippets/t/roundoff.py prints "
                        "CPU-dependent output")
    assert lines[2:5] == ["--- this CPU", "+++ another CPU", "@@ -1 +1 @@"]
