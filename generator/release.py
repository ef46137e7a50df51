"""Release notes from the deck itself: compare ``deck.lock`` at an earlier revision with now."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from generator.errors import BuildError
from generator.lock import (
    LOCK_NAME,
    Lock,
    LockEntry,
    NoteTypeLock,
    Plan,
    classify_entry,
    lock_from_text,
)
from generator.model import Location


def lock_at_revision(root: Path, revision: str) -> Lock | None:
    """``deck.lock`` as committed at ``revision`` (a tag or commit); ``None`` if it had none."""
    try:
        subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
                       cwd=root, check=True, capture_output=True)
    except FileNotFoundError:
        raise BuildError("git is not installed; release notes need the repository history") from None
    except subprocess.CalledProcessError:
        raise BuildError(f"unknown revision '{revision}': give a tag or commit of this "
                         "repository (git tag --list 'v*')") from None
    shown = subprocess.run(["git", "show", f"{revision}:{LOCK_NAME}"], cwd=root, check=False,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        return None  # the deck had no lock yet at that revision: every card is new
    return lock_from_text(shown.stdout, f"{revision}:{LOCK_NAME}")


def diff_locks(old: Lock | None, new: Lock) -> Plan:
    """What changed between two released locks, as a ``Plan`` (orphaned = retired)."""
    if old is None:
        return Plan(added=new.cards, note_type="new",
                    cloze_note_type="none" if new.cloze_note_type is None else "new")
    added: list[LockEntry] = []
    updated: list[LockEntry] = []
    unchanged: list[LockEntry] = []
    for entry in new.cards:
        change = classify_entry(old.get(entry.card_id), entry, with_mod=True)
        {"added": added, "updated": updated, "unchanged": unchanged}[change].append(entry)
    new_ids = {e.card_id for e in new.cards}
    retired = tuple(e for e in old.cards if e.card_id not in new_ids)
    return Plan(tuple(added), tuple(updated), tuple(unchanged), retired,
                _type_change(old.note_type, new.note_type),
                cloze_note_type=_type_change(old.cloze_note_type, new.cloze_note_type))


def _type_change(old: NoteTypeLock | None, new: NoteTypeLock | None) -> str:
    if new is None:
        return "none"
    if old is None:
        return "new"
    if old.schema != new.schema or old.id != new.id:
        return "schema"
    if old.fingerprint != new.fingerprint:
        return "updated"
    return "unchanged"


def moved_cards(old: Lock | None, new: Lock) -> tuple[LockEntry, ...]:
    """Cards whose subdeck changed between two locks (renamed or numbered subdecks too)."""
    if old is None:
        return ()
    return tuple(e for e in new.cards
                 if (before := old.get(e.card_id)) is not None and before.deck != e.deck)


def _subdeck(entry: LockEntry) -> str:
    return entry.deck.split("::", 1)[1] if "::" in entry.deck else entry.deck


def _line(entry: LockEntry) -> str:
    return f"- **{_subdeck(entry)}**: {entry.question} (`{entry.card_id}`)"


def release_notes(plan: Plan, *, deck_name: str, version: str, since: str | None,
                  moved: Sequence[LockEntry] = ()) -> str:
    """Markdown for a release page: cards added, updated, retired, and how to import.
    ``moved``: cards now in another subdeck (``moved_cards``)."""
    title = f"## {deck_name} {version}".rstrip()
    scope = f"since {since}" if since else "in this first release"
    counts = (f"{len(plan.added)} card(s) added, {len(plan.updated)} updated, "
              f"{len(plan.orphaned)} retired {scope}.")
    out = [title, "", counts, ""]
    if "schema" in (plan.note_type, plan.cloze_note_type):
        out += [
            ("> **Tick \"Merge note types\" when you import this package.** The card layout's "
            "fields or templates changed; without that box Anki creates a second note type "
            "and updates none of your existing cards. Your review history is kept either way."),
            "",
        ]
    elif "updated" in (plan.note_type, plan.cloze_note_type):
        out += [
            ("The card layout (templates and styling) changed: Anki updates it in place when "
            "you import this package. There is nothing to tick."),
            "",
        ]
    if plan.cloze_note_type == "new" and plan.note_type != "new":
        out += [
            ("New: **fill-in-the-code cards** (a second note type, \"PREP cloze\"). Each "
             "asks you to write one expression of a card's verified code; the answer is the "
             "code that ran. Anki adds the new note type on import by itself: there is nothing "
             "to tick. To study without them, suspend them (Browse, search `tag:*::cloze`)."),
            "",
        ]
    if moved:
        out += [
            (f"> **{len(moved)} card(s) moved to another subdeck** (for example "
             f"*{_subdeck(moved[0])}*). An Anki import never moves cards you already have: "
             "they stay in their old subdeck, and only new cards go to the new one. To tidy up, "
             "open Browse, select the old subdeck's cards and use Change Deck; your review "
             "history stays with them."),
            "",
        ]
    for heading, entries in (("Added", plan.added), ("Updated", plan.updated),
                             ("Retired", plan.orphaned)):
        if not entries:
            continue
        out += [f"### {heading}", ""]
        out += [_line(e) for e in sorted(entries, key=lambda e: (e.deck, e.question))]
        out.append("")
    if plan.orphaned:
        out += [
            ("Retired cards stay in your collection, because an Anki import never deletes "
             "notes. To remove one, open Browse, search for its question (a fill-in-the-code "
             "card: for `Id:` and its id), and delete the note."),
            "",
        ]
    out += [
        "### Updating",
        "",
        ("Import the new `.apkg` over the old one (File > Import). Edited cards are updated "
        "in place and keep their review history; nothing is duplicated."),
    ]
    return "\n".join(out) + "\n"


def notes_since(root: Path, since: str | None, *, deck_name: str, version: str) -> str:
    """``deck plan --since REV --markdown``: release notes from the lock at ``since`` to now."""
    from generator.lock import read_lock

    current = read_lock(root / LOCK_NAME)
    if current is None:
        raise BuildError(f"no {LOCK_NAME} yet: run 'make deck' and commit {LOCK_NAME}",
                         Location(LOCK_NAME, 0))
    old = lock_at_revision(root, since) if since else None
    return release_notes(diff_locks(old, current), deck_name=deck_name, version=version,
                         since=since, moved=moved_cards(old, current))
