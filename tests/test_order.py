"""The study order, checked with the real Anki scheduler on fresh collections.

A package cannot change a learner's options, so every test here keeps Anki's default deck
options ("Deck" gather order, 20 new cards a day) and only reads what the scheduler serves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.anki import build_apkg
from generator.cloze import cloze_parent
from generator.config import Config, load_config
from generator.lint import lint_deck, read_deck, resolve_card
from generator.model import LEVELS, BuiltCard, SnippetResult, Verification
from generator.order import anki_subdeck, card_level, study_key
from generator.parse import parse_card
from generator.render import render_cards

anki_collection = pytest.importorskip("anki.collection", reason="the anki package is not installed")
Collection = anki_collection.Collection
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest
ImportAnkiPackageOptions = anki_collection.ImportAnkiPackageOptions

ROOT = Path(__file__).parent.parent
T0 = 1_763_750_000
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"))

DECK_TOML = """\
[deck]
name = "Order Deck"
deck_id = 1700000000101
note_type_id = 1700000000102
default_subdeck = "Zeta basics"
study_order = ["Zeta basics", "Middle", "Alpha advanced"]

[output]
stem = "order"
"""

CARD = """\
---
id: {id}
deck: {deck}
{level}no_snippet: order test
---
# Question {id}?

## Principle
P.

## Reason
R.

## Example
E.

## Pitfall
F.
"""

# (path, subdeck, level): paths and subdeck names are chosen so that neither the file order
# nor the alphabetical order of the subdecks is the study order.
CARDS = [
    ("cards/a/a1.md", "Alpha advanced", "basic"),
    ("cards/a/a2.md", "Alpha advanced", "advanced"),
    ("cards/b/b1.md", "Middle", "advanced"),
    ("cards/b/b2.md", "Middle", None),  # the default: intermediate
    ("cards/b/b3.md", "Middle::Nested", "basic"),
    ("cards/c/c1.md", "Zeta basics", "advanced"),
    ("cards/c/c2.md", "Zeta basics", "intermediate"),
    ("cards/c/c3.md", "Zeta basics", "basic"),
]
EXPECTED = ["c3", "c2", "c1", "b2", "b1", "b3", "a1", "a2"]


def _import(col: object, path: Path) -> None:
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    col.import_anki_package(request)  # type: ignore[attr-defined]


def served_ids(col: object, deck: str, *, limit: int = 1000) -> list[str]:
    """The Id field of the cards Anki's scheduler serves from ``deck``, in order."""
    col.decks.select(col.decks.id_for_name(deck))  # type: ignore[attr-defined]
    queued = col.sched.get_queued_cards(fetch_limit=limit)  # type: ignore[attr-defined]
    return [col.get_note(q.card.note_id)["Id"] for q in queued.cards]  # type: ignore[attr-defined]


def _raise_new_limit(col: object, deck: str, per_day: int) -> None:
    """Let more new cards through today; the order options stay Anki's defaults."""
    conf = col.decks.config_dict_for_deck_id(col.decks.id_for_name(deck))  # type: ignore[attr-defined]
    conf["new"]["perDay"] = per_day
    conf["rev"]["perDay"] = max(per_day, conf["rev"]["perDay"])  # it caps new cards too
    col.decks.update_config(conf)  # type: ignore[attr-defined]


def _write_deck(root: Path) -> None:
    (root / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    for path, deck, level in CARDS:
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(CARD.format(id=Path(path).stem + "-card", deck=deck,
                                    level=f"level: {level}\n" if level else ""),
                        encoding="utf-8")


def _built(root: Path) -> tuple[Config, list[BuiltCard]]:
    """The deck's cards as verification hands them on (snippet runs made up, all passed)."""
    config = load_config(root)
    raw, findings = read_deck(root)
    deck, lint_findings = lint_deck(raw, config)
    assert not [f for f in findings + lint_findings if f.severity == "error"]
    built = []
    for card in deck.cards:
        # the snippet's own code: cloze marks are located in it
        results = [SnippetResult(ref, (root / ref.source_path).read_text(encoding="utf-8"),
                                 Verification(
            card.id, ref.source_path, device, "passed", "1\n", "", 0.0, VERSIONS, "h"),
            device) for ref in card.snippets for device in card.requires]
        built.append(BuiltCard(card, card.deck, tuple(results)))
    return config, built


def test_new_cards_arrive_in_study_order_then_level(tmp_path: Path, col: object) -> None:
    _write_deck(tmp_path)
    config, built = _built(tmp_path)
    path, _ = build_apkg(built, config, now=T0)
    _import(col, path)
    names = sorted(d.name for d in col.decks.all_names_and_ids())  # type: ignore[attr-defined]
    assert names == ["Default", "Order Deck", "Order Deck::01 Zeta basics",
                     "Order Deck::02 Middle", "Order Deck::02 Middle::Nested",
                     "Order Deck::03 Alpha advanced"]
    assert served_ids(col, "Order Deck") == [f"{x}-card" for x in EXPECTED]
    # without a study order the subdecks keep their names and come alphabetically
    plain = DECK_TOML.replace('study_order = ["Zeta basics", "Middle", "Alpha advanced"]\n', "")
    (tmp_path / "deck.toml").write_text(plain.replace("1700000000101", "1700000000201")
                                        .replace("1700000000102", "1700000000202")
                                        .replace('"Order Deck"', '"Plain Deck"'), encoding="utf-8")
    (tmp_path / "deck.lock").unlink()
    config, built = _built(tmp_path)
    path, _ = build_apkg(built, config, now=T0)
    (tmp_path / "other").mkdir()
    other = Collection(str(tmp_path / "other" / "collection.anki2"))
    try:
        _import(other, path)
        served = served_ids(other, "Plain Deck")
    finally:
        other.close()
    assert served == [
        f"{x}-card" for x in ["a1", "a2", "b2", "b1", "b3", "c3", "c2", "c1"]]


def test_flagship_deck_serves_fundamentals_and_prep_first(tmp_path: Path, col: object) -> None:
    config, built = _built(ROOT)
    path, _ = build_apkg(built, config, now=T0, lock_path=tmp_path / "deck.lock",
                         out_path=tmp_path / "deck.apkg")
    _import(col, path)
    # each card, then its cloze notes (fill in the code) right after it
    cloze = {b.card.id: sorted(n.card_id for n in render_cards([b], config) if n.cloze)
             for b in built}
    expected = [note for b in sorted(built, key=lambda b: study_key(b.card, b.subdeck, config))
                for note in (b.card.id, *cloze[b.card.id])]
    assert sum(len(keys) for keys in cloze.values()) >= 25
    first_day = served_ids(col, config.name)
    assert first_day == expected[:20]  # Anki's default: 20 new cards a day
    first = [b for b in built if b.card.id == first_day[0]][0]
    assert first.subdeck == config.study_order[0] == "Fundamentals"
    assert card_level(first.card, config) == "basic"
    assert "prep-framework-98c086e8" in first_day[:10]
    _raise_new_limit(col, config.name, 1000)
    everything = served_ids(col, config.name)
    assert everything == expected
    decks = [anki_subdeck(b.subdeck, config) for b in sorted(
        built, key=lambda b: study_key(b.card, b.subdeck, config))]
    assert decks == sorted(decks)  # numbered subdecks: the deck list is the study order
    by_id = {b.card.id: b for b in built}
    served_decks = [by_id[cloze_parent(i)].subdeck for i in everything]
    assert list(dict.fromkeys(served_decks)) == list(config.study_order)
    for deck in config.study_order:
        levels = [LEVELS.index(card_level(by_id[cloze_parent(i)].card, config))
                  for i in everything if by_id[cloze_parent(i)].subdeck == deck]
        assert levels == sorted(levels), deck


def test_study_order_names_subdecks_with_a_number() -> None:
    config = load_config(ROOT)
    assert anki_subdeck("Fundamentals", config) == "01 Fundamentals"
    last = config.study_order[-1]
    assert anki_subdeck(last, config) == f"{len(config.study_order):02d} {last}"
    assert anki_subdeck("Training::Loops", config) == "02 Training::Loops"


def test_level_is_parsed_and_defaults() -> None:
    config = load_config(ROOT)
    text = CARD.format(id="x-card", deck="Training", level="level: advanced\n")
    assert card_level(parse_card(text, "cards/x/x.md"), config) == "advanced"
    text = CARD.format(id="x-card", deck="Training", level="")
    assert card_level(parse_card(text, "cards/x/x.md"), config) == config.default_level
    raw = parse_card(text, "cards/x/x.md")
    assert resolve_card(raw, default_subdeck="D", default_level="basic").level == "basic"


def test_reimport_keeps_existing_cards_in_their_old_subdecks(tmp_path: Path, col: object) -> None:
    """What docs/anki.md tells learners who imported a deck before it had a study order."""
    _write_deck(tmp_path)
    plain = DECK_TOML.replace('study_order = ["Zeta basics", "Middle", "Alpha advanced"]\n', "")
    (tmp_path / "deck.toml").write_text(plain, encoding="utf-8")
    config, built = _built(tmp_path)
    path, _ = build_apkg(built, config, now=T0)
    _import(col, path)
    (tmp_path / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    config, built = _built(tmp_path)
    path, _ = build_apkg(built, config, now=T0 + 60)
    _import(col, path)
    (nid,) = col.find_notes("Id:c3-card")  # type: ignore[attr-defined]
    card = col.get_note(nid).cards()[0]  # type: ignore[attr-defined]
    assert col.decks.name(card.did) == "Order Deck::Zeta basics"  # type: ignore[attr-defined]
    assert col.find_cards('"deck:Order Deck::01 Zeta basics"') == []  # type: ignore[attr-defined]
