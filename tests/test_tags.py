"""Tag vocabulary, levels, study-order names and snippet line width: what lint says."""

from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.lint import lint_deck, read_deck, sort_findings
from generator.tags import suggest_topic, unknown_tags

DECK_TOML = """\
[deck]
name = "Tag Deck"
deck_id = 1700000000301
note_type_id = 1700000000302
default_subdeck = "Fundamentals"
study_order = ["Fundamentals", "Training"]

[output]
stem = "tags"

[tags.topics]
activation-functions = ["activations", "relu"]
transformers = ["transformer"]
optimisers = ["sgd"]
vision = []
self-supervised = []
"""

CARD = """\
---
id: {id}
{extra}no_snippet: test
---
# Q?

## Principle
P.

## Reason
R.

## Example
E.

## Pitfall
F.
"""


def _findings(root: Path) -> list[str]:
    config = load_config(root)
    raw, parsed = read_deck(root)
    _, found = lint_deck(raw, config)
    return [str(f) for f in sort_findings(parsed + found)]


def _card(root: Path, name: str, extra: str) -> None:
    path = root / "cards" / "t" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CARD.format(id=f"{name}-card", extra=extra), encoding="utf-8")


def test_tags_levels_and_subdecks_are_checked(tmp_path: Path) -> None:
    (tmp_path / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    _card(tmp_path, "a", "level: basic\ntags:\n  - activation-functions\n  - activations\n"
          "  - vision-transformer\n  - self-supervised-learning\n  - quantum\n")
    _card(tmp_path, "b", "deck: Trainig\nlevel: p2\n")
    _card(tmp_path, "c", "deck: Training::Loops\nlevel: Advanced\n")
    snippet = tmp_path / "snippets" / "t" / "wide.py"
    snippet.parent.mkdir(parents=True)
    snippet.write_text("x = 1\ny = '" + "a" * 70 + "'\n", encoding="utf-8")
    assert _findings(tmp_path) == [
        "cards/t/a.md:6: warning: tag 'activations' is an alias: write 'activation-functions' "
        "(it is emitted as that topic)",
        "cards/t/a.md:7: warning: tag 'vision-transformer' is not in the tag vocabulary (did you "
        "mean 'transformers'? use a topic from [tags.topics] in deck.toml, or add it there as a topic "
        "or as an alias of one)",
        "cards/t/a.md:8: warning: tag 'self-supervised-learning' is not in the tag vocabulary "
        "(did you mean 'self-supervised'? use a topic from [tags.topics] in deck.toml, or add it "
        "there as a topic or as an alias of one)",
        "cards/t/a.md:9: warning: tag 'quantum' is not in the tag vocabulary (use a topic from "
        "[tags.topics] in deck.toml, or add it there as a topic or as an alias of one)",
        "cards/t/b.md:3: subdeck 'Trainig' is not in [deck] study_order in deck.toml (did you "
        "mean 'Training'?); add it there or fix the name",
        "cards/t/b.md:4: unknown level 'p2' (did you mean 'intermediate'?); use basic, "
        "intermediate or advanced",
        "cards/t/c.md:4: unknown level 'Advanced' (did you mean 'advanced'?); use basic, "
        "intermediate or advanced",
        "snippets/t/wide.py:1: warning: orphan snippet: no card links it (link it with "
        "'snippet:' or delete it)",
        "snippets/t/wide.py:2: warning: line is 76 characters; the limit is 72 (longer lines "
        "wrap on phones and paper)",
    ]


def test_suggestions_for_the_flat_tags_of_new_cards() -> None:
    config = load_config(Path(__file__).parent.parent)
    assert suggest_topic("activation", config) == "activation-functions"
    assert suggest_topic("transformer", config) == "transformers"
    assert suggest_topic("optimizer", config) == "optimisers"
    assert suggest_topic("vision-transformers", config) == "transformers"
    assert suggest_topic("contrastive-learning", config) == "self-supervised"
    assert suggest_topic("weight-initialisation", config) == "initialisation"
    assert suggest_topic("layer-normalization", config) == "normalisation"
    assert suggest_topic("diffusion-models", config) == "generative"


def test_unknown_tags_are_summarised_for_mapping(tmp_path: Path) -> None:
    (tmp_path / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    for name in ("a", "b"):
        _card(tmp_path, name, "tags: [relu, vision-transformers, quantum, quantum]\n")
    _card(tmp_path, "c", "tags: [quantum]\n")
    config = load_config(tmp_path)
    deck, _ = read_deck(tmp_path)
    assert unknown_tags(deck.cards, config) == [
        "  quantum (3 cards): a new topic, or an alias of one?",
        "  vision-transformers (2 cards): alias of 'transformers'?",
    ]
