"""docs/coverage.md accounts for every seed file and names only cards that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.lint import read_deck

ROOT = Path(__file__).parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
COVERAGE = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")


def card_ids() -> set[str]:
    deck, _ = read_deck(ROOT)
    return {c.id for c in deck.cards if c.id}


def test_every_named_card_exists() -> None:
    named = set(re.findall(r"`([a-z0-9][a-z0-9-]+-[0-9a-f]{8})`", COVERAGE))
    assert named, "coverage.md names no card ids"
    assert named - card_ids() == set()


def test_every_card_is_accounted_for() -> None:
    named = set(re.findall(r"`([a-z0-9][a-z0-9-]+-[0-9a-f]{8})`", COVERAGE))
    assert card_ids() - named == set()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed lessons (../shared/seeds) are not beside this checkout")
def test_every_seed_file_has_a_heading() -> None:
    headings = set(re.findall(r"^## (\S+\.txt)$", COVERAGE, flags=re.M))
    assert headings == {p.name for p in SEEDS.glob("*.txt")}
