"""Rendered cards + lock -> ``build/<stem>.apkg`` with genanki, byte for byte reproducible.

Anki matches what a package brings against a learner's collection like this:

* notes by GUID (``lock.note_guid``: from the card id alone), and a matched note is updated
  only when the package's note ``mod`` is newer than the collection's. Each note therefore
  carries its own time from ``deck.lock``, not the build time.
* the note type by id (``note_type_id`` in ``deck.toml``); when its fields or templates no
  longer match, Anki adds a second note type and skips the existing notes unless the learner
  ticks "Merge note types" (``lock.update_note_type`` stops the build first). The cloze note
  type (``cloze_note_type_id``) is matched the same way; a package that brings it for the
  first time adds it without asking.
* decks by name; ids are fixed anyway (``deck_id`` for the top deck, derived for subdecks).
* nothing is ever deleted by an import: cards gone from the sources stay in collections.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from generator.config import Config
from generator.errors import BuildError
from generator.fsutil import write_atomic
from generator.lock import (
    LOCK_NAME,
    Lock,
    Plan,
    note_guid,
    note_hash,
    note_type_hashes,
    read_lock,
    update_lock,
    write_lock,
)
from generator.model import BuiltCard
from generator.order import study_key
from generator.render import (
    NoteTypeSpec,
    RenderedCard,
    check_verified,
    cloze_note_type_spec,
    note_type_spec,
    render_cards,
    write_media,
)

log = logging.getLogger(__name__)


class _DatedNote(genanki.Note):  # type: ignore[misc]
    """A genanki note written with its own modification time instead of the package's.

    genanki stamps every note and card with the ``timestamp`` given to ``write_to_file``;
    Anki decides whether to update a note from that ``mod`` column, so each note needs its own.
    """

    def __init__(self, *, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, deck_id: int,
                    id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def build_note_type(spec: NoteTypeSpec, config: Config) -> genanki.Model:
    """The genanki model for a note type (PREP or cloze), with its fixed id from ``deck.toml``."""
    model_id = config.cloze_note_type_id if spec.cloze else config.note_type_id
    if model_id is None:
        raise BuildError("cloze notes need 'cloze_note_type_id' in [deck] of deck.toml")
    return genanki.Model(
        model_id=model_id,
        name=spec.name,
        fields=[{"name": name} for name in spec.fields],
        templates=[{"name": spec.template_name, "qfmt": spec.front, "afmt": spec.back}],
        css=spec.css,
        sort_field_index=0,
        model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK,
    )


def subdeck_id(config: Config, name: str) -> int:
    """A fixed id for a deck below the top one: derived from ``deck_id`` and the full name."""
    if name == config.name:
        return config.deck_id
    digest = hashlib.sha256(f"{config.deck_id}:{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:6], "big")  # below 2**53: safe in JSON


def _deck_names(rendered: Sequence[RenderedCard], config: Config) -> list[str]:
    names = {config.name}
    for card in rendered:
        parts = card.deck.split("::")
        for depth in range(1, len(parts) + 1):
            names.add("::".join(parts[:depth]))
    return sorted(names)


def _check_lock(rendered: Sequence[RenderedCard], config: Config, lock: Lock) -> None:
    """The lock must be the one ``update_lock`` made for exactly these cards."""
    if lock.deck_id != config.deck_id or lock.note_type.id != config.note_type_id:
        raise BuildError("deck.lock does not belong to this deck.toml (deck or note type id)")
    schema, fingerprint = note_type_hashes(note_type_spec(config))
    if (lock.note_type.schema, lock.note_type.fingerprint) != (schema, fingerprint):
        raise BuildError("deck.lock's note type is out of date; run update_lock first")
    if any(c.cloze is not None for c in rendered):
        cloze = lock.cloze_note_type
        schema, fingerprint = note_type_hashes(cloze_note_type_spec(config))
        if cloze is None or (cloze.id, cloze.schema, cloze.fingerprint) != (
                config.cloze_note_type_id, schema, fingerprint):
            raise BuildError("deck.lock's cloze note type is out of date; run update_lock first")
    stale = [c.card_id for c in rendered
             if (entry := lock.get(c.card_id)) is None or entry.note_hash != note_hash(c)]
    if stale:
        raise BuildError("deck.lock is out of date for: " + ", ".join(stale[:10])
                         + ("..." if len(stale) > 10 else "") + "; run update_lock first")


def make_package(rendered: Sequence[RenderedCard], config: Config,
                 lock: Lock) -> genanki.Package:
    """The genanki package: one deck per (sub)deck, one note per card and per cloze mark."""
    model = build_note_type(note_type_spec(config), config)
    cloze_model = (build_note_type(cloze_note_type_spec(config), config)
                   if any(c.cloze is not None for c in rendered) else None)
    # Anki shows the description (HTML) on the deck's overview screen. It must not promise
    # that every example ran when some GPU cards ship unverified.
    unverified = sum(1 for card in rendered if card.cloze is None
                     and any(s.verification is None for s in card.built.snippets))
    description = html.escape(config.description)
    if unverified:
        description += (f"<br><br>{unverified} GPU card{'s' if unverified > 1 else ''} "
                        f"{'are' if unverified > 1 else 'is'} marked \"not verified on a GPU\": "
                        f"no GPU has run {'their' if unverified > 1 else 'its'} code yet.")
    description += f"<br><br>Version {html.escape(config.version)}"
    decks = {
        name: genanki.Deck(subdeck_id(config, name), name,
                           description=description if name == config.name else "")
        for name in _deck_names(rendered, config)
    }
    # A new card's due is its position: Anki serves a deck's new cards in that order.
    in_order = sorted(rendered, key=lambda c: (study_key(c.built.card, c.built.subdeck, config),
                                                c.card_id))
    for due, card in enumerate(in_order):
        entry = lock.get(card.card_id)
        assert entry is not None  # _check_lock
        decks[card.deck].add_note(_DatedNote(
            mod=entry.mod,
            model=model if card.cloze is None else cloze_model,
            fields=[html for _, html in card.fields],
            tags=list(card.tags),
            guid=note_guid(card.card_id),
            due=due,
        ))
    for deck in decks.values():
        deck.add_model(model)
        if cloze_model is not None:
            deck.add_model(cloze_model)
    return genanki.Package([decks[name] for name in sorted(decks)])


def _zip_date(timestamp: int) -> tuple[int, int, int, int, int, int]:
    y, mo, d, h, mi, s = time.gmtime(max(timestamp, 315532800))[:6]
    return (y, mo, d, h, mi, s)


def _normalise_zip(data: bytes, timestamp: int) -> bytes:
    """Rewrite a zip with sorted entries, fixed dates and attributes (byte-identical builds)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist()):
            info = zipfile.ZipInfo(name, date_time=_zip_date(timestamp))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, on every platform
            info.external_attr = 0o644 << 16
            zout.writestr(info, zin.read(name), compresslevel=9)
    return out.getvalue()


def write_apkg(rendered: Sequence[RenderedCard], config: Config, lock: Lock, path: Path, *,
               allow_unverified_gpu: bool = False) -> Path:
    """Write the package to ``path`` atomically; the old file stays if anything fails.

    Refuses (``BuildError``) when any card's snippet is unverified, failed or stale, or when
    ``lock`` is not the one ``update_lock`` returned for these cards. The package's time is
    ``lock.timestamp``, so unchanged sources and lock give a byte-identical file.
    """
    check_verified((card.built for card in rendered), allow_unverified_gpu=allow_unverified_gpu)
    _check_lock(rendered, config, lock)
    package = make_package(rendered, config, lock)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp",
                               dir=path.parent)
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(prefix="deck-media-") as media:
            package.media_files = write_media(rendered, Path(media))
            package.write_to_file(tmp, timestamp=lock.timestamp)
        data = _normalise_zip(Path(tmp).read_bytes(), lock.timestamp)
    finally:
        Path(tmp).unlink(missing_ok=True)
    write_atomic(path, data)
    log.info("wrote %s (%d notes)", path, len(rendered))
    return path


@dataclass(frozen=True)
class PreparedPackage:
    """Everything the Anki stage decides before writing: the notes and the new lock."""

    rendered: tuple[RenderedCard, ...]
    old_lock: Lock | None
    lock: Lock
    plan: Plan


def prepare_package(built_cards: Sequence[BuiltCard], config: Config, lock_path: Path, *,
                    now: int, allow_notetype_change: bool = False,
                    allow_unverified_gpu: bool = False) -> PreparedPackage:
    """Check verification, render the notes and compute the lock; writes nothing.

    Raises ``BuildError`` when any card is unverified or the note type changed.
    """
    check_verified(built_cards, allow_unverified_gpu=allow_unverified_gpu)
    rendered = render_cards(built_cards, config)
    old_lock = read_lock(lock_path)
    lock, plan = update_lock(rendered, config, old_lock, now=now,
                             allow_notetype_change=allow_notetype_change)
    return PreparedPackage(tuple(rendered), old_lock, lock, plan)


def build_apkg(built_cards: Sequence[BuiltCard], config: Config, *, now: int,
               lock_path: Path | None = None, out_path: Path | None = None,
               allow_notetype_change: bool = False,
               allow_unverified_gpu: bool = False) -> tuple[Path, Plan]:
    """The Anki stage alone: prepare, write the package, then the lock.

    Nothing is written when ``prepare_package`` refuses; the lock is written only after the
    package. Returns the package path and the plan (``format_plan`` prints it).
    """
    lock_path = lock_path or config.root / LOCK_NAME
    out_path = out_path or config.build_dir / config.apkg_name
    prepared = prepare_package(built_cards, config, lock_path, now=now,
                               allow_notetype_change=allow_notetype_change,
                               allow_unverified_gpu=allow_unverified_gpu)
    write_apkg(prepared.rendered, config, prepared.lock, out_path,
               allow_unverified_gpu=allow_unverified_gpu)
    write_lock(prepared.lock, lock_path)
    return out_path, prepared.plan
