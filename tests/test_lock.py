"""generator.lock: GUIDs, hashes, modification times, the lock file and the plan."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import genanki
import pytest

import generator.lock as lock_module
import generator.render as render_module
from generator.config import Config, load_config
from generator.errors import BuildError
from generator.lock import (
    Lock,
    format_plan,
    lock_from_text,
    lock_to_text,
    note_guid,
    plan_from_sources,
    read_lock,
    update_lock,
    write_lock,
)
from generator.model import BuiltCard, Card, SnippetResult, Verification
from helpers import checked_card
from generator.render import NoteTypeSpec, RenderedCard, render_cards

ROOT = Path(__file__).parent / "samples" / "anki"
T0 = 1_763_750_000


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT)


CARD = """\
---
id: {id}
deck: Training
snippet: t/{id}.py
---
# Question {id}?

## Principle
{principle}

## Reason
Reason.

## Example
Example.

## Pitfall
Pitfall.
"""


def make(card_id: str, principle: str = "Principle.", code: str = "print(1)\n",
         stdout: str = "1\n") -> BuiltCard:
    card: Card = checked_card(CARD.format(id=card_id, principle=principle),
                              f"cards/t/{card_id}.md")
    ref = card.snippets[0]
    v = Verification(card_id, ref.source_path, "cpu", "passed", stdout, "", 0.1,
                     (("python", "3.11.7"),), "h")
    return BuiltCard(card, "Training", (SnippetResult(ref, code, v, "cpu"),))


def rendered(config: Config, *cards: BuiltCard) -> list[RenderedCard]:
    return render_cards(cards, config)


def test_guid_is_genankis_and_depends_on_id_only() -> None:
    for card_id in ("batchnorm-modes-5c1e7a2b", "a", "x" * 64):
        assert note_guid(card_id) == genanki.guid_for(card_id)
    assert note_guid("a-1") != note_guid("a-2")


def test_first_build_adds_everything(config: Config) -> None:
    lock, plan = update_lock(rendered(config, make("a-1"), make("b-2")), config, None, now=T0)
    assert [e.card_id for e in plan.added] == ["a-1", "b-2"]
    assert plan.note_type == "new"
    assert {e.mod for e in lock.cards} == {T0} and lock.note_type.mod == T0
    assert lock.timestamp == T0
    assert lock.get("a-1") is not None and lock.get("a-1").guid == note_guid("a-1")  # type: ignore[union-attr]


def test_unchanged_cards_keep_their_time(config: Config) -> None:
    cards = rendered(config, make("a-1"), make("b-2"))
    lock1, _ = update_lock(cards, config, None, now=T0)
    lock2, plan = update_lock(cards, config, lock1, now=T0 + 500)
    assert lock2 == lock1
    assert len(plan.unchanged) == 2 and not plan.added and not plan.updated
    assert plan.note_type == "unchanged"


@pytest.mark.parametrize("edit", [
    {"principle": "Edited."},  # the card's text
    {"code": "print(2)\n"},  # the snippet
    {"stdout": "2\n"},  # only the verified output
])
def test_an_edited_card_gets_a_newer_time(config: Config, edit: dict[str, str]) -> None:
    lock1, _ = update_lock(rendered(config, make("a-1"), make("b-2")), config, None, now=T0)
    lock2, plan = update_lock(rendered(config, make("a-1", **edit), make("b-2")), config,
                              lock1, now=T0 + 100)
    assert [e.card_id for e in plan.updated] == ["a-1"]
    assert lock2.get("a-1").mod == T0 + 100  # type: ignore[union-attr]
    assert lock2.get("b-2").mod == T0  # type: ignore[union-attr]


def test_edited_time_is_newer_even_if_the_clock_is_behind(config: Config) -> None:
    lock1, _ = update_lock(rendered(config, make("a-1")), config, None, now=T0)
    lock2, _ = update_lock(rendered(config, make("a-1", principle="X.")), config, lock1,
                           now=T0 - 3600)
    assert lock2.get("a-1").mod == T0 + 1  # type: ignore[union-attr]


def test_deleted_card_is_orphaned_and_leaves_the_lock(config: Config) -> None:
    lock1, _ = update_lock(rendered(config, make("a-1"), make("b-2")), config, None, now=T0)
    lock2, plan = update_lock(rendered(config, make("a-1")), config, lock1, now=T0 + 1)
    assert [e.card_id for e in plan.orphaned] == ["b-2"]
    assert lock2.get("b-2") is None
    text = format_plan(plan)
    assert "orphaned  b-2  cards/t/b-2.md  Question b-2?" in text
    assert "cannot delete" in text


def _patch_spec(monkeypatch: pytest.MonkeyPatch, change: dict[str, object]) -> None:
    original = render_module.note_type_spec

    def spec(config: Config) -> NoteTypeSpec:
        return replace(original(config), **change)  # type: ignore[arg-type]

    monkeypatch.setattr("generator.lock.note_type_spec", spec)


@pytest.mark.parametrize("change", [
    {"fields": ("Question", "Principle", "Reason", "Example", "Pitfall", "Code", "Output",
                "Provenance", "Id", "Extra")},
    {"template_name": "PREP v2"},
])
def test_a_schema_change_stops_the_build(config: Config, monkeypatch: pytest.MonkeyPatch,
                                         change: dict[str, object]) -> None:
    cards = rendered(config, make("a-1"))
    lock1, _ = update_lock(cards, config, None, now=T0)
    _patch_spec(monkeypatch, change)
    with pytest.raises(BuildError) as err:
        update_lock(cards, config, lock1, now=T0 + 10)
    message = str(err.value)
    assert "Merge note types" in message and "--allow-notetype-change" in message
    assert "second note type" in message
    lock2, plan = update_lock(cards, config, lock1, now=T0 + 10, allow_notetype_change=True)
    assert plan.note_type == "schema" and lock2.note_type.mod == T0 + 10
    assert lock2.timestamp == T0 + 10
    assert "Merge note types" in format_plan(plan)


def test_note_type_id_change_stops_the_build(config: Config) -> None:
    cards = rendered(config, make("a-1"))
    lock1, _ = update_lock(cards, config, None, now=T0)
    other = replace(config, note_type_id=config.note_type_id + 1)
    with pytest.raises(BuildError, match="note_type_id"):
        update_lock(cards, other, lock1, now=T0 + 10)


def test_template_or_css_change_updates_the_note_type_in_place(
        config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    cards = rendered(config, make("a-1"))
    lock1, _ = update_lock(cards, config, None, now=T0)
    _patch_spec(monkeypatch, {"css": ".card { color: red }\n"})
    lock2, plan = update_lock(cards, config, lock1, now=T0 + 10)
    assert plan.note_type == "updated"
    assert lock2.note_type.mod == T0 + 10 and lock2.get("a-1").mod == T0  # type: ignore[union-attr]
    assert lock2.timestamp == T0 + 10  # the package time moves, so Anki takes the new CSS


def test_deck_id_change_is_refused(config: Config) -> None:
    lock1, _ = update_lock(rendered(config, make("a-1")), config, None, now=T0)
    with pytest.raises(BuildError, match="deck_id"):
        update_lock(rendered(config, make("a-1")), replace(config, deck_id=5), lock1, now=T0)


def test_duplicate_ids_are_refused(config: Config) -> None:
    with pytest.raises(BuildError, match="duplicate card id 'a-1'"):
        update_lock(rendered(config, make("a-1"), make("a-1")), config, None, now=T0)


def test_lock_text_is_sorted_stable_and_round_trips(config: Config, tmp_path: Path) -> None:
    lock, _ = update_lock(rendered(config, make("b-2"), make("a-1")), config, None, now=T0)
    text = lock_to_text(lock)
    data = json.loads(text)
    assert [c["id"] for c in data["cards"]] == ["a-1", "b-2"]
    assert list(data["cards"][0]) == ["id", "guid", "mod", "source_hash", "note_hash", "path",
                                      "deck", "question", "fields", "output", "provenance"]
    assert data["cards"][0]["question"] == "Question a-1?"
    assert data["cards"][0]["deck"] == "Sample Deck::Training"
    assert data["note_type"]["fingerprint"].startswith("sha256:")
    assert text.endswith("}\n")
    path = tmp_path / "deck.lock"
    write_lock(lock, path)
    assert path.read_text(encoding="utf-8") == text
    assert read_lock(path) == lock
    assert lock_to_text(lock_from_text(text)) == text


def test_missing_lock_is_none_and_bad_lock_is_an_error(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "deck.lock") is None
    (tmp_path / "deck.lock").write_text("{\n  oops\n}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"deck.lock:2: not valid JSON"):
        read_lock(tmp_path / "deck.lock")
    (tmp_path / "deck.lock").write_text('{"format": 1}\n', encoding="utf-8")
    with pytest.raises(BuildError, match="malformed lock file"):
        read_lock(tmp_path / "deck.lock")
    with pytest.raises(BuildError, match="unsupported lock format"):
        lock_from_text('{"format": 99}')


def test_plan_from_sources_agrees_with_the_build(config: Config) -> None:
    a, b = make("a-1"), make("b-2")
    lock, _ = update_lock(rendered(config, a, b), config, None, now=T0)
    codes = {"t/a-1.py": "print(1)\n", "t/b-2.py": "print(1)\n"}
    plan = plan_from_sources([a.card, b.card], codes, config, lock)
    assert len(plan.unchanged) == 2 and plan.note_type == "unchanged"
    edited = make("a-1", principle="Edited.").card
    new = make("c-3").card
    plan = plan_from_sources([edited, new], {**codes, "t/c-3.py": ""}, config, lock)
    assert [e.card_id for e in plan.updated] == ["a-1"]
    assert [e.card_id for e in plan.added] == ["c-3"]
    assert [e.card_id for e in plan.orphaned] == ["b-2"]
    # CRLF in a snippet on disk hashes like the LF text verification read
    plan = plan_from_sources([a.card], {"t/a-1.py": "print(1)\r\n"}, config, lock)
    assert [e.card_id for e in plan.unchanged] == ["a-1"]


def test_plan_without_lock_adds_everything(config: Config) -> None:
    plan = plan_from_sources([make("a-1").card], {}, config, None)
    assert plan.note_type == "new" and [e.card_id for e in plan.added] == ["a-1"]


def test_empty_lock_timestamp() -> None:
    lock = Lock(1, lock_module.NoteTypeLock(2, "n", "s", "f", 0))
    assert lock.timestamp == 0


def test_deck_plan_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from generator.cli import main

    root = tmp_path / "deck"
    shutil.copytree(ROOT, root)
    assert main(["--root", str(root), "plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 to add, 0 to update, 0 unchanged, 0 orphaned; note type new")
    assert "add       bias-variance-9f8e7d6c  cards/fundamentals/bias-variance.md" in out

    config = load_config(root)
    cards = [checked_card((root / p).read_bytes(), p) for p in (
        "cards/fundamentals/bias-variance.md", "cards/training/batchnorm-modes.md")]
    built = [BuiltCard(c, c.deck or config.default_subdeck, tuple(
        SnippetResult(ref, (root / ref.source_path).read_text(encoding="utf-8"),
                      Verification(c.id or "", ref.source_path, "cpu", "passed", "", "", 0.0,
                                   (), "h"), "cpu") for ref in c.snippets)) for c in cards]
    lock, _ = update_lock(render_cards(built, config), config, None, now=T0)
    write_lock(lock, root / "deck.lock")
    edited = root / "cards/training/batchnorm-modes.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert main(["--root", str(root), "plan", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data["added"]] == ["attention-scaling-0a1b2c3d"]
    assert [c["id"] for c in data["updated"]] == ["batchnorm-modes-5c1e7a2b"]
    assert [c["id"] for c in data["unchanged"]] == ["bias-variance-9f8e7d6c"]
    assert data["note_type"] == "unchanged"


def test_the_committed_flagship_lock_matches_the_sources() -> None:
    # `make deck` updates deck.lock; a release builds with --locked and fails on a stale lock.
    # Catch a forgotten commit here, in `make test`, rather than on the release tag.
    from generator.config import load_config
    from generator.lint import lint_deck, read_deck
    from generator.lock import LOCK_NAME, plan_from_sources, read_lock

    root = Path(__file__).parent.parent
    config = load_config(root)
    deck, findings = lint_deck(read_deck(root)[0], config)
    assert not [f for f in findings if f.severity == "error"], findings
    codes = {ref.path: (root / ref.source_path).read_text(encoding="utf-8")
             for card in deck.cards for ref in card.snippets}
    plan = plan_from_sources(deck.cards, codes, config, read_lock(root / LOCK_NAME))
    stale = [e.path for e in (*plan.added, *plan.updated, *plan.orphaned)]
    assert stale == [], f"run 'make deck' and commit {LOCK_NAME}; out of date for: {stale}"
    assert plan.note_type == "unchanged"


def test_lock_records_what_the_learner_reads_and_round_trips(config: Config) -> None:
    lock, _ = update_lock(rendered(config, make("a-1", stdout="0.5\nok\n")), config, None,
                          now=T0)
    entry = lock.get("a-1")
    assert entry is not None
    assert entry.output == ("0.5", "ok")
    assert any("Python 3.11.7" in line for line in entry.provenance)
    assert [name for name, _ in entry.fields][-1] == "Tags"
    assert lock_from_text(lock_to_text(lock)) == lock
    text = lock_to_text(lock)
    assert '      "0.5",\n' in text  # one output line per line of the file: diffs read well


def test_a_lock_without_details_still_loads(config: Config) -> None:
    lock, _ = update_lock(rendered(config, make("a-1")), config, None, now=T0)
    data = json.loads(lock_to_text(lock))
    for card in data["cards"]:
        del card["fields"], card["output"], card["provenance"]
    old = lock_from_text(json.dumps(data))
    assert old.get("a-1").output == ()  # type: ignore[union-attr]
    again, plan = update_lock(rendered(config, make("a-1")), config, old, now=T0 + 9)
    assert len(plan.unchanged) == 1 and again == lock  # same hashes: same time, details added
    from generator.lock import lock_differences

    assert [str(p) for p in lock_differences(old, again)] == [
        "deck.lock: 1 card(s) are otherwise up to date, but deck.lock was written by an older "
        "generator and records no details for them (output, provenance, field digests); run "
        "'make deck' once and commit deck.lock"]


def test_lock_differences_name_each_card_and_what_changed(config: Config) -> None:
    from generator.lock import lock_differences

    old, _ = update_lock(rendered(config, make("a-1", stdout="0.5\n"), make("b-2")), config,
                         None, now=T0)
    assert lock_differences(old, old) == []
    new, _ = update_lock(rendered(config, make("a-1", stdout="0.25\n"), make("c-3")), config,
                         old, now=T0 + 5)
    lines = [line for p in lock_differences(old, new) for line in str(p).splitlines()]
    assert "cards/t/a-1.md:1: card 'a-1' is stale in deck.lock:" in lines
    assert lines[lines.index("  output:") + 1:][:2] == ["    - 0.5", "    + 0.25"]
    assert not any(line.startswith("  note fields changed") for line in lines)  # Output only
    assert "cards/t/c-3.md:1: card 'c-3' is not in deck.lock (a new card)" in lines
    assert "cards/t/b-2.md:1: card 'b-2' is in deck.lock but gone from the sources" in lines
    assert not any("mod:" in line for line in lines)  # a newer time follows from the change


def test_the_one_classifier(config: Config) -> None:
    from generator.lock import classify_entry

    lock, _ = update_lock(rendered(config, make("a-1")), config, None, now=T0)
    e = lock.cards[0]
    assert classify_entry(None, e) == "added"
    assert classify_entry(e, e) == "unchanged"
    assert classify_entry(e, replace(e, note_hash="x")) == "updated"
    assert classify_entry(e, replace(e, note_hash="x"), sources_only=True) == "unchanged"
    assert classify_entry(e, replace(e, mod=e.mod + 1)) == "unchanged"
    assert classify_entry(e, replace(e, mod=e.mod + 1), with_mod=True) == "updated"
