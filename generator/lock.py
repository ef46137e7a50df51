"""``deck.lock``: what the last package held, so that the next one updates learners' notes.

Anki updates a note on re-import only when the package's note is *newer* (its ``mod`` time)
than the one in the collection. A package stamped with one build time for every note would
either never update (an old time) or rewrite every note on every release (a new one). The lock
records, for each card, its GUID, two hashes and a modification time:

* ``source_hash``: the card's Markdown (front matter, question, sections) and its snippets'
  code. ``deck plan`` compares this one: it needs no verification and no torch.
* ``note_hash``: exactly what goes into the Anki note (every field's HTML, tags, deck). It
  also changes when only a snippet's verified output or the library versions change.

A card whose hashes are unchanged keeps its time; otherwise it gets ``max(now, old + 1)``, so
it is always newer than what a learner has. The note type's ``schema`` hash (field names and
order, template names) and ``fingerprint`` (fields, templates and CSS) are recorded too: Anki
cannot update notes whose note type changed schema unless the learner ticks "merge note
types", so such a change stops the build (see ``docs/anki.md``).

The file is JSON with sorted cards and a fixed key order, one value per line: it is committed
and its diffs read well. A release-notes tool can diff two locks (cards added, updated by
``mod``, retired) with their questions.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.cloze import ClozeSpot, cloze_parent, is_cloze_key, resolve_marks
from generator.config import Config
from generator.errors import BuildError, escaped, shown
from generator.fsutil import write_atomic
from generator.model import Card, Location
from generator.render import NoteTypeSpec, RenderedCard, cloze_note_type_spec, note_type_spec

LOCK_NAME = "deck.lock"
LOCK_FORMAT = 1


@dataclass(frozen=True)
class LockEntry:
    """One card as the last package held it."""

    card_id: str
    guid: str
    mod: int  # seconds since the epoch; the note's modification time in the package
    source_hash: str
    note_hash: str
    path: str  # the card file, for people reading the lock
    deck: str  # the full Anki deck name
    question: str  # the question as written (Markdown), for release notes
    kind: str = "prep"  # "prep" (a card's note) or "cloze" (one of its cloze marks)
    # What the learner reads, so that a stale lock can say what changed (empty in a lock
    # written before they were recorded): a short digest per note field and of the tags,
    # the verified output's lines and the provenance as plain text.
    fields: tuple[tuple[str, str], ...] = ()
    output: tuple[str, ...] = ()
    provenance: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteTypeLock:
    """The note type as the last package held it."""

    id: int
    name: str
    schema: str  # hash of what Anki compares to decide "same note type": field and template names
    fingerprint: str  # hash of fields, templates and CSS: any visible change
    mod: int


@dataclass(frozen=True)
class Lock:
    """The whole lock file. ``cards`` is sorted by card id."""

    deck_id: int
    note_type: NoteTypeLock
    cards: tuple[LockEntry, ...] = ()  # PREP and cloze notes, sorted by id
    cloze_note_type: NoteTypeLock | None = None  # once the deck has cloze notes

    def get(self, card_id: str) -> LockEntry | None:
        return self._index.get(card_id)

    @cached_property
    def _index(self) -> dict[str, LockEntry]:
        return {entry.card_id: entry for entry in self.cards}

    @property
    def timestamp(self) -> int:
        """The package's time: the newest note or note-type change (never the wall clock)."""
        types = [self.note_type, *([self.cloze_note_type] if self.cloze_note_type else [])]
        return max([*(t.mod for t in types), *(e.mod for e in self.cards)])


@dataclass(frozen=True)
class Plan:
    """What a learner's next import will do, card by card."""

    added: tuple[LockEntry, ...] = ()
    updated: tuple[LockEntry, ...] = ()
    unchanged: tuple[LockEntry, ...] = ()
    orphaned: tuple[LockEntry, ...] = ()  # in the lock, gone from the sources
    note_type: str = "unchanged"  # "new" | "unchanged" | "updated" | "schema"
    cloze_note_type: str = "none"  # the same, or "none" while the deck has no cloze notes
    notes: tuple[str, ...] = field(default=())  # remarks for the reader

    def summary(self) -> str:
        return (f"{len(self.added)} to add, {len(self.updated)} to update, "
                f"{len(self.unchanged)} unchanged, {len(self.orphaned)} orphaned; "
                f"note type {self.note_type}"
                + (f", cloze note type {self.cloze_note_type}"
                   if self.cloze_note_type != "none" else ""))


# --- identity and hashes --------------------------------------------------------------------

_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


def note_guid(card_id: str) -> str:
    """The Anki note GUID of a card: from its ``id`` alone, never from its text or path.

    The same algorithm as ``genanki.guid_for(card_id)`` (first 8 bytes of SHA-256, in
    Anki's base91), written out here so that a genanki upgrade can never change a GUID.
    """
    value = int.from_bytes(hashlib.sha256(card_id.encode("utf-8")).digest()[:8], "big")
    digits = []
    while value:
        value, digit = divmod(value, len(_BASE91))
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def _sha256(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_hash(card: Card, codes: Mapping[str, str]) -> str:
    """Hash of a card's text and its snippets' code (``codes``: ``ref.path`` -> code).

    Uses the parsed card (front matter text, question, section bodies), so a renamed or moved
    file with the same text hashes the same. Used by both ``deck plan`` and the build.
    """
    return _sha256({
        "front_matter": _normalise(card.front_matter_text),
        "question": card.question,
        "sections": [[s.name, _normalise(s.body)] for s in card.sections],
        "snippets": [[ref.path, _normalise(codes.get(ref.path, ""))] for ref in card.snippets],
    })


def note_hash(rendered: RenderedCard) -> str:
    """Hash of the note as Anki stores it: fields, tags and deck."""
    return _sha256({"fields": [list(f) for f in rendered.fields], "tags": list(rendered.tags),
                    "deck": rendered.deck})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _plain_lines(html_text: str) -> tuple[str, ...]:
    text = html.unescape(re.sub(r"<[^>]+>", "\n", html_text))
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def note_details(rendered: RenderedCard) -> dict[str, Any]:
    """What a lock entry records of the note besides its hash: field digests, the verified
    output's lines and the provenance's lines (see ``LockEntry``)."""
    fields = [*((name, _digest(value)) for name, value in rendered.fields),
              ("Tags", _digest(" ".join(rendered.tags)))]
    output = tuple(line for result in rendered.built.snippets
                   if result.verification is not None
                   for line in _normalise(result.verification.stdout).splitlines())
    return {"fields": tuple(fields), "output": output,
            "provenance": _plain_lines(rendered.field("Provenance"))}


def note_type_hashes(spec: NoteTypeSpec) -> tuple[str, str]:
    """``(schema, fingerprint)`` of the note type.

    ``schema`` covers what makes Anki treat an imported note type as a different one (field
    names and order, template names and count); ``fingerprint`` covers everything shown.
    """
    schema = _sha256({"fields": list(spec.fields), "templates": [spec.template_name]})
    fingerprint = _sha256({"name": spec.name, "fields": list(spec.fields),
                           "templates": [[spec.template_name, spec.front, spec.back]],
                           "css": spec.css})
    return schema, fingerprint


def cloze_source_hash(card: Card, spot: ClozeSpot, code: str) -> str:
    """Hash of what a cloze note shows: the mark, the card's question and the snippet."""
    return _sha256({
        "cloze": [spot.code, spot.hint, spot.occurrence],
        "question": card.question,
        "snippet": [spot.snippet.path, _normalise(code)],
    })


def cloze_question(card: Card, spot: ClozeSpot) -> str:
    """How a cloze note is named in plans and release notes."""
    return f"Fill in `{spot.code}`: {card.question or ''}"


def built_source_hash(rendered: RenderedCard) -> str:
    codes: dict[str, str] = {}
    for result in rendered.built.snippets:
        codes.setdefault(result.ref.path, result.code)
    if rendered.cloze is not None:
        return cloze_source_hash(rendered.built.card, rendered.cloze,
                                 codes[rendered.cloze.snippet.path])
    return source_hash(rendered.built.card, codes)


# --- updating -------------------------------------------------------------------------------

NOTETYPE_CHANGE_HELP = (
    "the {name} note type's fields or templates changed since the last release ({what}). "
    "Anki will not update existing notes from this package: on import it creates a second "
    "note type and skips every note it already has, unless the learner ticks \"Merge note "
    "types\" in the import dialog (which forces a full sync). Undo the change, or, if it is "
    "intended, rebuild with --allow-notetype-change and tell learners in the release notes "
    "to tick \"Merge note types\" when importing."
)


def _bumped(now: int, old: int | None) -> int:
    return now if old is None else max(now, old + 1)


def update_note_type(config: Config, previous: NoteTypeLock | None, *, now: int,
                     allow_notetype_change: bool, cloze: bool = False) -> tuple[NoteTypeLock, str]:
    """The note type's lock entry for this build, and what changed (see ``Plan.note_type``).

    ``cloze``: the cloze note type (``cloze_note_type_id``) instead of the PREP one.
    """
    spec = cloze_note_type_spec(config) if cloze else note_type_spec(config)
    type_id = config.cloze_note_type_id if cloze else config.note_type_id
    key = "cloze_note_type_id" if cloze else "note_type_id"
    if type_id is None:
        raise BuildError(f"cloze notes need '{key} = <a fixed number>' in [deck] of deck.toml",
                         Location("deck.toml", 0))
    schema, fingerprint = note_type_hashes(spec)
    if previous is None:
        return NoteTypeLock(type_id, spec.name, schema, fingerprint, now), "new"
    change = "unchanged"
    what = []
    if previous.id != type_id:
        what.append(f"{key} {previous.id} -> {type_id} in deck.toml")
    if previous.schema != schema:
        what.append("field or template names")
    if what:
        if not allow_notetype_change:
            raise BuildError(NOTETYPE_CHANGE_HELP.format(
                name="cloze" if cloze else "PREP", what=", ".join(what)), Location(LOCK_NAME, 0))
        change = "schema"
    elif previous.fingerprint != fingerprint or previous.name != spec.name:
        change = "updated"  # same schema: Anki updates templates and CSS in place if newer
    mod = previous.mod if change == "unchanged" else _bumped(now, previous.mod)
    return NoteTypeLock(type_id, spec.name, schema, fingerprint, mod), change


def update_lock(rendered: Sequence[RenderedCard], config: Config, lock: Lock | None, *,
                now: int, allow_notetype_change: bool = False) -> tuple[Lock, Plan]:
    """The lock for a package of ``rendered`` cards, and the plan of what its import does.

    Unchanged cards keep their time; new and edited ones get ``max(now, previous + 1)``.
    Cards in ``lock`` but not in ``rendered`` are *orphaned*: they leave the lock, and the
    build reports them (an Anki import cannot delete notes). Raises ``BuildError`` when the
    note type's schema changed, unless ``allow_notetype_change``.
    """
    now = int(now)
    if lock is not None and lock.deck_id != config.deck_id:
        raise BuildError(
            f"deck_id in deck.toml ({config.deck_id}) differs from {LOCK_NAME} "
            f"({lock.deck_id}); deck ids are fixed forever, so restore the old one",
            Location("deck.toml", 0),
        )
    note_type, note_type_change = update_note_type(
        config, lock.note_type if lock else None, now=now,
        allow_notetype_change=allow_notetype_change)
    # The cloze note type is recorded from the first build with cloze notes on; a build
    # without any keeps the old record (the note type stays in learners' collections).
    cloze_type = lock.cloze_note_type if lock else None
    cloze_change = "none" if cloze_type is None else "unchanged"
    if any(card.cloze is not None for card in rendered):
        cloze_type, cloze_change = update_note_type(
            config, cloze_type, now=now, allow_notetype_change=allow_notetype_change, cloze=True)
    seen: dict[str, RenderedCard] = {}
    for card in rendered:
        if card.card_id in seen:
            raise BuildError(f"duplicate card id '{card.card_id}' (also in "
                             f"{seen[card.card_id].built.card.path})", card.built.card.location)
        seen[card.card_id] = card
    added: list[LockEntry] = []
    updated: list[LockEntry] = []
    unchanged: list[LockEntry] = []
    entries: list[LockEntry] = []
    for card_id in sorted(seen):
        card = seen[card_id]
        old = lock.get(card_id) if lock else None
        s_hash, n_hash = built_source_hash(card), note_hash(card)
        entry = LockEntry(
            card_id=card_id, guid=note_guid(card_id), mod=0, source_hash=s_hash,
            note_hash=n_hash, path=card.built.card.path, deck=card.deck,
            question=(cloze_question(card.built.card, card.cloze) if card.cloze is not None
                      else card.built.card.question),
            kind="prep" if card.cloze is None else "cloze", **note_details(card),
        )
        if old is None:
            entry = replace(entry, mod=_bumped(now, None))
            added.append(entry)
        elif classify_entry(old, entry) == "updated":
            entry = replace(entry, mod=_bumped(now, old.mod))
            updated.append(entry)
        else:
            entry = replace(entry, mod=old.mod)
            unchanged.append(entry)
        entries.append(entry)
    orphaned = tuple(e for e in (lock.cards if lock else ()) if e.card_id not in seen)
    new_lock = Lock(deck_id=config.deck_id, note_type=note_type, cards=tuple(entries),
                    cloze_note_type=cloze_type)
    plan = Plan(tuple(added), tuple(updated), tuple(unchanged), orphaned, note_type_change,
                cloze_note_type=cloze_change)
    return new_lock, plan


def plan_from_sources(cards: Iterable[Card], codes: Mapping[str, str], config: Config,
                      lock: Lock | None, *, unchecked_ids: Iterable[str] = ()) -> Plan:
    """``deck plan``: compare the sources with the lock, without verifying anything.

    ``codes`` maps a snippet path relative to ``snippets/`` to its code. Only ``source_hash``
    is compared, so a change of verified output alone shows up at build time, not here.
    ``unchecked_ids``: cards left out because lint found errors in them; they are not orphaned.
    """
    note_type = _type_change(note_type_spec(config), config.note_type_id,
                             lock.note_type if lock else None)
    added: list[LockEntry] = []
    updated: list[LockEntry] = []
    unchanged: list[LockEntry] = []
    ids: set[str] = set(unchecked_ids)
    for card in sorted(cards, key=lambda c: c.id):
        ids.add(card.id)
        s_hash = source_hash(card, {ref.path: codes.get(ref.path, "") for ref in card.snippets})
        old = lock.get(card.id) if lock else None
        entry = LockEntry(card.id, note_guid(card.id), old.mod if old else 0, s_hash,
                          old.note_hash if old else "", card.path,
                          old.deck if old else card.deck, card.question)
        entries = [entry]
        spots, _ = resolve_marks(card, {ref.path: codes[ref.path] for ref in card.snippets
                                        if ref.path in codes})
        for spot in spots:
            old_cloze = lock.get(spot.key) if lock else None
            entries.append(LockEntry(
                spot.key, note_guid(spot.key), old_cloze.mod if old_cloze else 0,
                cloze_source_hash(card, spot, codes[spot.snippet.path]),
                old_cloze.note_hash if old_cloze else "", card.path, entry.deck,
                cloze_question(card, spot), "cloze"))
        for entry in entries:
            ids.add(entry.card_id)
            old = lock.get(entry.card_id) if lock else None
            change = classify_entry(old, entry, sources_only=True)
            {"added": added, "updated": updated, "unchanged": unchanged}[change].append(entry)
    # A card lint left out keeps its cloze notes too: they are not retired.
    unchecked = set(unchecked_ids)
    orphaned = tuple(e for e in (lock.cards if lock else ()) if e.card_id not in ids
                     and cloze_parent(e.card_id) not in unchecked)
    old_cloze_type = lock.cloze_note_type if lock else None
    if any(e.kind == "cloze" for e in added + updated + unchanged):
        cloze_note_type = _type_change(cloze_note_type_spec(config),
                                       config.cloze_note_type_id or 0, old_cloze_type)
    else:
        cloze_note_type = "none" if old_cloze_type is None else "unchanged"
    return Plan(tuple(added), tuple(updated), tuple(unchanged), orphaned, note_type,
                cloze_note_type=cloze_note_type)


def _type_change(spec: NoteTypeSpec, type_id: int, old: NoteTypeLock | None) -> str:
    schema, fingerprint = note_type_hashes(spec)
    if old is None:
        return "new"
    if old.schema != schema or old.id != type_id:
        return "schema"
    if old.fingerprint != fingerprint or old.name != spec.name:
        return "updated"
    return "unchanged"


# --- the one classifier of lock differences (plan, build, --locked, release notes) ----------


def classify_entry(old: LockEntry | None, new: LockEntry, *, sources_only: bool = False,
                   with_mod: bool = False) -> str:
    """``"added"``, ``"updated"`` or ``"unchanged"``: what a learner's import does with ``new``.

    ``sources_only``: compare the source hash alone (``deck plan``: nothing was verified).
    ``with_mod``: a newer time alone is an update too (two released locks).
    """
    if old is None:
        return "added"
    same = old.source_hash == new.source_hash and (
        sources_only or old.note_hash == new.note_hash) and (not with_mod or old.mod == new.mod)
    return "unchanged" if same else "updated"


def _lines_diff(label: str, before: Sequence[str], after: Sequence[str]) -> list[str]:
    diff = list(difflib.unified_diff(list(before), list(after), lineterm="", n=0))[2:]
    return [f"  {label}:", *(f"    {line[0]} {escaped(line[1:], 200)}" for line in diff
                             if not line.startswith("@@"))]


def entry_changes(old: LockEntry, new: LockEntry) -> list[str]:
    """What differs between two lock entries of one card, for people (empty: nothing)."""
    out: list[str] = []
    if not old.fields and new.fields:  # a lock from before the details were recorded
        out.append("  the lock records no details for this card (written by an older "
                   "generator); 'make deck' adds them")
        if (old.source_hash, old.note_hash) != (new.source_hash, new.note_hash):
            out.append("  and its note changed: compare the card with its last release")
        return out
    if old.output != new.output:
        out += _lines_diff("output", old.output, new.output)
    if old.provenance != new.provenance:
        out += _lines_diff("provenance", old.provenance, new.provenance)
    before, after = dict(old.fields), dict(new.fields)
    changed = [name for name in after
               if name not in ("Output", "Provenance") and before.get(name) != after[name]]
    if changed:
        out.append("  note fields changed: " + ", ".join(changed))
    if old.source_hash != new.source_hash:
        out.append("  the card's Markdown or its snippets' code changed")
    if old.deck != new.deck:
        out.append(f"  deck: {escaped(old.deck)} -> {escaped(new.deck)}")
    for name in ("guid", "mod", "path", "question"):
        if getattr(old, name) != getattr(new, name) and not (name == "mod" and out):
            out.append(f"  {name}: {escaped(str(getattr(old, name)), 120)} -> "
                       f"{escaped(str(getattr(new, name)), 120)}")
    if not out and old.note_hash != new.note_hash:
        out.append("  the note's hash changed")
    return out


def lock_differences(old: Lock | None, new: Lock) -> list[BuildError]:
    """Every difference between the committed lock and the one a build would write, one
    located problem per card (``cards/x.md:1: card 'x' is stale in deck.lock``) followed by
    what changed. Empty when a locked build may go ahead."""
    if old is None:
        return [BuildError(f"there is no {LOCK_NAME}; run 'make deck' and commit it",
                           Location(LOCK_NAME, 0))]
    problems: list[BuildError] = []
    if old.deck_id != new.deck_id:
        problems.append(BuildError(f"deck_id {old.deck_id} -> {new.deck_id}",
                                   Location(LOCK_NAME, 0)))
    if old.note_type != new.note_type:
        what = [name for name in ("id", "name", "schema", "fingerprint", "mod")
                if getattr(old.note_type, name) != getattr(new.note_type, name)]
        problems.append(BuildError(
            "the note type changed (" + ", ".join(what) + "): its fields, templates or CSS "
            "differ from the lock", Location(LOCK_NAME, 0)))
    if old.cloze_note_type != new.cloze_note_type:
        problems.append(BuildError(
            "the cloze note type changed: its fields, templates or CSS differ from the lock",
            Location(LOCK_NAME, 0)))
    undetailed = 0
    for entry in new.cards:
        before = old.get(entry.card_id)
        if before is not None and not before.fields and before == replace(
                entry, fields=(), output=(), provenance=()):
            undetailed += 1  # only the details are missing: one line for all such cards
        elif before is None:
            problems.append(BuildError(f"card {shown(entry.card_id)} is not in {LOCK_NAME} "
                                       "(a new card)", Location(entry.path, 1)))
        elif before != entry:
            changes = "\n".join(entry_changes(before, entry))
            problems.append(BuildError(f"card {shown(entry.card_id)} is stale in {LOCK_NAME}:"
                                       f"\n{changes}", Location(entry.path, 1)))
    if undetailed:
        problems.append(BuildError(
            f"{undetailed} card(s) are otherwise up to date, but {LOCK_NAME} was written by an "
            "older generator and records no details for them (output, provenance, field "
            f"digests); run 'make deck' once and commit {LOCK_NAME}", Location(LOCK_NAME, 0)))
    ids = {e.card_id for e in new.cards}
    problems += [BuildError(f"card {shown(e.card_id)} is in {LOCK_NAME} but gone from the "
                            "sources", Location(e.path, 1))
                 for e in old.cards if e.card_id not in ids]
    return problems


def _entry_text(e: LockEntry) -> str:
    # Lock entries come from a file anyone may have edited: print them escaped.
    return f"{escaped(e.card_id, 80)}  {escaped(e.path, 120)}  {escaped(e.question)}"


def format_plan(plan: Plan, *, verbose: bool = False) -> str:
    """What a learner's next import does, for people: counts, then the cards by name."""
    lines = [plan.summary()]
    groups = [("add", plan.added), ("update", plan.updated)]
    if verbose:
        groups.append(("unchanged", plan.unchanged))
    for label, entries in groups:
        lines += [f"  {label:9} {_entry_text(e)}" for e in entries]
    cards = [e for e in plan.orphaned if e.kind != "cloze"]
    retired = [e for e in plan.orphaned if e.kind == "cloze"]
    for e in cards:
        lines.append(f"  orphaned  {_entry_text(e)}")
    for e in retired:
        lines.append(f"  retired   {_entry_text(e)}")
    if cards:
        lines.append(
            f"{len(cards)} card(s) are gone from the sources but stay in learners' "
            "collections: an Anki import cannot delete notes. Tell learners in the release "
            "notes to delete them (Browse, search the question), or restore the cards.")
    if retired:
        lines.append(
            f"{len(retired)} cloze note(s) are retired: their mark was removed or its code "
            "changed. They stay in learners' collections (an import cannot delete notes); "
            "the release notes tell learners how to delete them.")
    if "schema" in (plan.note_type, plan.cloze_note_type):
        lines.append("the note type's fields or templates changed: learners must tick "
                     "\"Merge note types\" when importing, or no note is updated")
    return "\n".join(lines)


# --- the file -------------------------------------------------------------------------------


def lock_to_text(lock: Lock) -> str:
    """The lock as stable, sorted JSON (what ``write_lock`` writes)."""
    def note_type(nt: NoteTypeLock) -> dict[str, Any]:
        return {"id": nt.id, "name": nt.name, "schema": nt.schema,
                "fingerprint": nt.fingerprint, "mod": nt.mod}

    data: dict[str, Any] = {
        "format": LOCK_FORMAT,
        "deck_id": lock.deck_id,
        "note_type": note_type(lock.note_type),
    }
    if lock.cloze_note_type is not None:
        data["cloze_note_type"] = note_type(lock.cloze_note_type)
    data["cards"] = [
        {"id": e.card_id, "guid": e.guid, "mod": e.mod, "source_hash": e.source_hash,
         "note_hash": e.note_hash, "path": e.path, "deck": e.deck, "question": e.question,
         **({"kind": e.kind} if e.kind != "prep" else {}),
         **({"fields": dict(e.fields), "output": list(e.output),
             "provenance": list(e.provenance)} if e.fields else {})}
        for e in sorted(lock.cards, key=lambda e: e.card_id)
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


MAX_MOD = 2**32 - 1  # Anki stores note times as 32-bit seconds: up to the year 2106


def _entry_lines(text: str, card_id: str) -> list[int]:
    """The lines where an entry with ``card_id`` starts (json gives no positions)."""
    needle = f'"id": {json.dumps(card_id, ensure_ascii=False)}'
    lines, start = [], 0
    while (found := text.find(needle, start)) >= 0:
        lines.append(text.count("\n", 0, found) + 1)
        start = found + 1
    return lines


def _check_mod(mod: int, what: str, path: str, line: int) -> None:
    if not 0 <= mod <= MAX_MOD:
        hint = " (in milliseconds?)" if mod > 10**11 else ""
        raise BuildError(f"{what} has mod {shown(mod)}, not a time in seconds between 1970 and "
                         f"2106{hint}; restore {path} from git", Location(path, line))


def lock_from_text(text: str, path: str = LOCK_NAME) -> Lock:
    """Parse a lock; ``BuildError`` with the file name (and line) when it is malformed."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise BuildError(f"malformed lock file: not a JSON object; restore {path} from git",
                             Location(path, 1))
        if data.get("format") != LOCK_FORMAT:
            raise BuildError(f"unsupported lock format {shown(data.get('format'))} (expected "
                             f"{LOCK_FORMAT})", Location(path, 0))
        deck_id = int(data["deck_id"])

        def note_type_of(nt: dict[str, Any], what: str) -> NoteTypeLock:
            note_type = NoteTypeLock(int(nt["id"]), str(nt["name"]), str(nt["schema"]),
                                     str(nt["fingerprint"]), int(nt["mod"]))
            _check_mod(note_type.mod, what, path, 0)
            return note_type

        note_type = note_type_of(data["note_type"], "the note type")
        cloze_data = data.get("cloze_note_type")
        cloze_type = (note_type_of(cloze_data, "the cloze note type")
                      if cloze_data is not None else None)
        cards = tuple(
            LockEntry(card_id=str(c["id"]), guid=str(c["guid"]), mod=int(c["mod"]),
                      source_hash=str(c["source_hash"]), note_hash=str(c["note_hash"]),
                      path=str(c["path"]), deck=str(c["deck"]), question=str(c["question"]),
                      kind=str(c.get("kind", "prep")),
                      fields=tuple((str(k), str(v)) for k, v in c.get("fields", {}).items()),
                      output=tuple(str(line) for line in c.get("output", ())),
                      provenance=tuple(str(line) for line in c.get("provenance", ())))
            for c in data["cards"]
        )
        if any(e.kind not in ("prep", "cloze") or (e.kind == "cloze") != is_cloze_key(e.card_id)
               for e in cards):
            raise ValueError("a note's kind does not match its id")
    except json.JSONDecodeError as err:
        raise BuildError(f"not valid JSON: {err.msg}; resolve the merge or restore {path} from "
                         "git", Location(path, err.lineno)) from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
        raise BuildError(f"malformed lock file ({shown(err)}); restore it from git",
                         Location(path, 0)) from None
    seen: set[str] = set()
    for entry in cards:
        lines = _entry_lines(text, entry.card_id)
        if entry.card_id in seen:
            # A bad merge: two entries for one card. Keeping either could lower its mod, so
            # learners' Anki would skip the update.
            raise BuildError(
                f"card {shown(entry.card_id)} is listed twice (first on line "
                f"{lines[0] if lines else 0}), as after a bad merge; keep the entry with the "
                "larger 'mod' and delete the other",
                Location(path, lines[1] if len(lines) > 1 else 0))
        seen.add(entry.card_id)
        _check_mod(entry.mod, f"card {shown(entry.card_id)}", path, lines[0] if lines else 0)
    return Lock(deck_id, note_type, tuple(sorted(cards, key=lambda e: e.card_id)), cloze_type)


def read_lock(path: Path) -> Lock | None:
    """The lock at ``path``, or ``None`` when there is none yet (the first release)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise BuildError(f"cannot read {path.name}: {err.strerror or err}; restore it from git",
                         Location(path.name, 0)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BuildError(f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
                         f"{err.start}); restore {path.name} from git",
                         Location(path.name, data[: err.start].count(b"\n") + 1)) from None
    return lock_from_text(text, path.name)


def write_lock(lock: Lock, path: Path) -> None:
    """Write the lock atomically (temp file in the same folder, then ``os.replace``)."""
    write_atomic(path, lock_to_text(lock).encode("utf-8"))
