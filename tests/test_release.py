from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.lock import Lock, LockEntry, NoteTypeLock, lock_to_text
from generator.release import (
    diff_locks,
    lock_at_revision,
    moved_cards,
    notes_since,
    release_notes,
)


def entry(card_id: str, question: str, *, source: str = "s1", mod: int = 100) -> LockEntry:
    return LockEntry(card_id=card_id, guid=f"g-{card_id}", mod=mod, source_hash=source,
                     note_hash=f"n-{source}", path=f"cards/t/{card_id}.md",
                     deck="Deck::Training", question=question)


NOTE_TYPE = NoteTypeLock(id=2, name="PREP", schema="schema-1", fingerprint="fp-1", mod=50)
V1 = Lock(deck_id=1, note_type=NOTE_TYPE, cards=(  # sorted by id, as lock files are
    entry("edited", "Edited?"), entry("gone", "Gone?"), entry("kept", "Kept?")))
V2 = Lock(deck_id=1, note_type=NOTE_TYPE, cards=(
    entry("edited", "Edited now?", source="s2", mod=200), entry("kept", "Kept?"),
    entry("new-one", "New $x^2$?", mod=200)))


def test_diff_finds_added_updated_retired() -> None:
    plan = diff_locks(V1, V2)
    assert [e.card_id for e in plan.added] == ["new-one"]
    assert [e.card_id for e in plan.updated] == ["edited"]
    assert [e.card_id for e in plan.unchanged] == ["kept"]
    assert [e.card_id for e in plan.orphaned] == ["gone"]
    assert plan.note_type == "unchanged"


def test_notes_list_each_group_with_question_and_subdeck() -> None:
    notes = release_notes(diff_locks(V1, V2), deck_name="Deck", version="1.1.0", since="v1.0.0")
    assert notes.startswith("## Deck 1.1.0\n\n1 card(s) added, 1 updated, 1 retired since v1.0.0.")
    assert "### Added\n\n- **Training**: New $x^2$? (`new-one`)" in notes
    assert "### Updated\n\n- **Training**: Edited now? (`edited`)" in notes
    assert "### Retired\n\n- **Training**: Gone? (`gone`)" in notes
    assert "Kept?" not in notes
    assert "Merge note types" not in notes


def test_note_type_schema_change_tells_learners_to_merge() -> None:
    v2 = dataclasses.replace(V2, note_type=dataclasses.replace(NOTE_TYPE, schema="schema-2"))
    notes = release_notes(diff_locks(V1, v2), deck_name="Deck", version="2.0.0", since="v1.1.0")
    assert "Tick \"Merge note types\"" in notes
    css_only = dataclasses.replace(V2, note_type=dataclasses.replace(NOTE_TYPE, fingerprint="fp-2"))
    assert diff_locks(V1, css_only).note_type == "updated"
    css_notes = release_notes(diff_locks(V1, css_only), deck_name="Deck", version="2",
                              since="v1")
    assert "Merge note types" not in css_notes
    assert "Anki updates it in place" in css_notes
    assert "card layout" not in release_notes(diff_locks(V1, V2), deck_name="Deck",
                                              version="2", since="v1")


def test_first_release_adds_everything() -> None:
    plan = diff_locks(None, V2)
    assert len(plan.added) == 3 and plan.note_type == "new"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root,
                   check=True, capture_output=True)


def test_notes_since_a_tag_read_the_lock_from_git(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "deck.lock").write_text(lock_to_text(V1))
    git(tmp_path, "add", "deck.lock")
    git(tmp_path, "commit", "-qm", "v1")
    git(tmp_path, "tag", "v1.0.0")
    (tmp_path / "deck.lock").write_text(lock_to_text(V2))
    assert lock_at_revision(tmp_path, "v1.0.0") == V1
    notes = notes_since(tmp_path, "v1.0.0", deck_name="Deck", version="1.1.0")
    assert "1 card(s) added, 1 updated, 1 retired since v1.0.0." in notes
    with pytest.raises(BuildError, match="unknown revision 'v9'"):
        lock_at_revision(tmp_path, "v9")


def test_a_new_cloze_note_type_needs_nothing_ticked() -> None:
    cloze_type = NoteTypeLock(id=3, name="PREP cloze", schema="c-1", fingerprint="cf-1", mod=200)
    cloze = LockEntry(card_id="kept+cloze-0a1b2c3d", guid="g", mod=200, source_hash="c",
                      note_hash="n", path="cards/t/kept.md", deck="Deck::Training",
                      question="Fill in `x - m`: Kept?", kind="cloze")
    v3 = dataclasses.replace(V2, cards=tuple(sorted((*V2.cards, cloze), key=lambda e: e.card_id)),
                             cloze_note_type=cloze_type)
    plan = diff_locks(V2, v3)
    assert (plan.note_type, plan.cloze_note_type) == ("unchanged", "new")
    notes = release_notes(plan, deck_name="Deck", version="1.2.0", since="v1.1.0")
    assert "fill-in-the-code cards" in notes and "there is nothing to tick" in notes
    assert "Merge note types" not in notes
    assert "- **Training**: Fill in `x - m`: Kept? (`kept+cloze-0a1b2c3d`)" in notes
    # a later change of the cloze note type's fields is a schema change like PREP's
    v4 = dataclasses.replace(v3, cloze_note_type=dataclasses.replace(cloze_type, schema="c-2"))
    assert "Tick \"Merge note types\"" in release_notes(diff_locks(v3, v4), deck_name="Deck",
                                                        version="2.0.0", since="v1.2.0")
    # and the lock file keeps both
    from generator.lock import lock_from_text

    assert lock_from_text(lock_to_text(v3)) == v3


def test_cards_moved_to_another_subdeck_are_explained() -> None:
    numbered = dataclasses.replace(V2, cards=tuple(
        dataclasses.replace(e, deck="Deck::02 Training") if e.card_id == "kept" else e
        for e in V2.cards))
    moved = moved_cards(V1, numbered)
    assert [e.card_id for e in moved] == ["kept"]
    notes = release_notes(diff_locks(V1, numbered), deck_name="Deck", version="2", since="v1",
                          moved=moved)
    assert "1 card(s) moved to another subdeck** (for example *02 Training*)" in notes
    assert "Change Deck" in notes
    assert "moved to another subdeck" not in release_notes(diff_locks(V1, V2), deck_name="Deck",
                                                           version="2", since="v1")
    assert moved_cards(None, V2) == ()
