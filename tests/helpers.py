"""Factories shared by the tests."""

from __future__ import annotations

from pathlib import Path

from generator.lint import resolve_card
from generator.model import BuiltCard, Card, Deck, SnippetResult, Verification
from generator.parse import parse_card

VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"), ("scikit-learn", "1.5.2"))
BODY = "# Q?\n\n## Principle\np\n\n## Reason\nr\n\n## Example\ne\n\n## Pitfall\np\n"


def add_card(root: Path, name: str, code: str, requires: str = "cpu", extra: str = "") -> None:
    """Card ``cards/t/<name>.md`` (id ``name``) linking ``snippets/t/<name>.py``, holding
    ``code``; ``extra``: more front matter lines."""
    (root / "cards" / "t").mkdir(parents=True, exist_ok=True)
    (root / "snippets" / "t").mkdir(parents=True, exist_ok=True)
    (root / "cards" / "t" / f"{name}.md").write_text(
        f"---\nid: {name}\nsnippet: t/{name}.py\nrequires: {requires}\n{extra}---\n{BODY}")
    (root / "snippets" / "t" / f"{name}.py").write_text(code)


def checked_card(source: str | bytes, path: str, *, default_subdeck: str = "Default") -> Card:
    """Parse a card's text and resolve it as lint does for a card without errors."""
    return resolve_card(parse_card(source, path), default_subdeck=default_subdeck)


def synthetic_built(deck: Deck, root: Path, *, stdout: str = "ok\n",
                    unverified_gpu: bool = False) -> list[BuiltCard]:
    """The checked cards as the renderers get them, every run "passed" and "printed"
    ``stdout`` (no snippet runs); with ``unverified_gpu`` the cuda runs have no record."""
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
    return built
