"""Decks as the renderers get them, with synthetic verification records (no snippet runs).

Used by the preview and browser tests. The flagship deck's cuda snippets stay unverified, as
they ship until a GPU has run them; every CPU run "printed" ``stdout``.
"""

from __future__ import annotations

from pathlib import Path

from helpers import synthetic_built

from generator.config import Config, load_config
from generator.lint import lint_deck, read_deck
from generator.model import BuiltCard

ROOT = Path(__file__).parent.parent
SAMPLES = Path(__file__).parent / "samples"
# A line that cannot wrap at a space: printed output must wrap anyway.
LONG_OUTPUT = "loss 0.25\n" + "tensor([" + ",".join(["0.1234"] * 24) + "])\n"


def built_deck(root: Path = ROOT, *, stdout: str = LONG_OUTPUT,
               unverified_gpu: bool = True) -> tuple[Config, list[BuiltCard]]:
    config = load_config(root)
    raw, parse_findings = read_deck(root)
    deck, findings = lint_deck(raw, config)
    assert not [f for f in parse_findings + findings if f.severity == "error"], findings
    built = synthetic_built(deck, root, stdout=stdout, unverified_gpu=unverified_gpu)
    return config, built
