"""Decks as the renderers get them, with synthetic verification records (no snippet runs).

Used by the preview and browser tests. The flagship deck's cuda snippets stay unverified, as
they ship until a GPU has run them; every CPU run "printed" ``stdout``.
"""

from __future__ import annotations

from pathlib import Path

from generator.config import Config, load_config
from generator.lint import lint_deck, read_deck
from generator.model import BuiltCard, SnippetResult, Verification

ROOT = Path(__file__).parent.parent
SAMPLES = Path(__file__).parent / "samples"
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"), ("scikit-learn", "1.5.2"))
# A line that cannot wrap at a space: printed output must wrap anyway.
LONG_OUTPUT = "loss 0.25\n" + "tensor([" + ",".join(["0.1234"] * 24) + "])\n"


def built_deck(root: Path = ROOT, *, stdout: str = LONG_OUTPUT,
               unverified_gpu: bool = True) -> tuple[Config, list[BuiltCard]]:
    config = load_config(root)
    raw, parse_findings = read_deck(root)
    deck, findings = lint_deck(raw, config)
    assert not [f for f in parse_findings + findings if f.severity == "error"], findings
    built = []
    for card in deck.cards:
        results = []
        for ref in card.snippets:
            code = (root / ref.source_path).read_text(encoding="utf-8")
            for device in card.requires:
                v = None if unverified_gpu and device == "cuda" else Verification(
                    card.id, ref.source_path, device, "passed", stdout, "", 0.1,
                    VERSIONS, "h", "NVIDIA H100" if device == "cuda" else None)
                results.append(SnippetResult(ref, code, v, device))
        built.append(BuiltCard(card, card.deck, tuple(results)))
    return config, built
