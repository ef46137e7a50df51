"""generator.anki end to end: build .apkg files and import them into real Anki collections.

Uses the real Anki backend (the ``anki`` package from PyPI) and its modern importer, the
one Anki desktop runs: notes are matched by GUID and updated only when newer.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

import genanki
import pytest
from helpers import checked_card

import generator.render as render_module
from generator.anki import build_apkg, subdeck_id
from generator.config import Config, load_config
from generator.errors import BuildError
from generator.lint import read_deck, resolve_card
from generator.lock import LOCK_NAME, Plan, format_plan, read_lock
from generator.model import BuiltCard, SnippetResult, Verification

anki_collection = pytest.importorskip("anki.collection", reason="the anki package is not installed")
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest
ImportAnkiPackageOptions = anki_collection.ImportAnkiPackageOptions

SAMPLE = Path(__file__).parent / "samples" / "anki"
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"), ("scikit-learn", "1.5.2"))
T0 = 1_763_750_000
BN = "cards/training/batchnorm-modes.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the sample deck, free to edit."""
    shutil.copytree(SAMPLE, tmp_path / "deck")
    return tmp_path / "deck"


def verified(root: Path, *, status: str = "passed",
             unverified_gpu: bool = False) -> tuple[Config, list[BuiltCard]]:
    """What verification hands the build: every card with synthetic, passed results."""
    config = load_config(root)
    deck, findings = read_deck(root)
    assert not [f for f in findings if f.severity == "error"], findings
    built = []
    for raw in deck.cards:
        card = resolve_card(raw, default_subdeck=config.default_subdeck)
        results = []
        for ref in card.snippets:
            code = (root / ref.source_path).read_text(encoding="utf-8")
            for device in card.requires:
                v = None if unverified_gpu and device == "cuda" else Verification(
                    card.id or "", ref.source_path, device, status, f"ran on {device}\n", "",
                    0.1, VERSIONS, "h", "NVIDIA H100" if device == "cuda" else None)
                results.append(SnippetResult(ref, code, v, device))
        built.append(BuiltCard(card, card.deck or config.default_subdeck, tuple(results)))
    return config, built


def build(root: Path, now: int, *, allow_notetype_change: bool = False) -> tuple[Path, Plan]:
    config, built = verified(root)
    return build_apkg(built, config, now=now, allow_notetype_change=allow_notetype_change)


def import_apkg(col: object, path: Path, **options: bool) -> object:
    request = ImportAnkiPackageRequest(package_path=str(path),
                                       options=ImportAnkiPackageOptions(**options))
    return col.import_anki_package(request).log  # type: ignore[attr-defined]


def note_for(col: object, card_id: str) -> object:
    (nid,) = col.find_notes(f"Id:{card_id}")  # type: ignore[attr-defined]
    return col.get_note(nid)  # type: ignore[attr-defined]


def prep_note_types(col: object) -> list[str]:
    return sorted(m["name"] for m in col.models.all() if m["name"].startswith("PREP"))  # type: ignore[attr-defined]


# --- a fresh import ---------------------------------------------------------------------------


def test_every_card_imports_and_renders_through_anki(root: Path, col: object) -> None:
    path, plan = build(root, T0)
    assert path == root / "build" / "sample-deck.apkg"
    assert len(plan.added) == 3
    log = import_apkg(col, path)
    assert len(log.new) == 3  # type: ignore[attr-defined]
    assert col.note_count() == 3  # type: ignore[attr-defined]
    lock = read_lock(root / LOCK_NAME)
    assert lock is not None
    for entry in lock.cards:
        note = note_for(col, entry.card_id)
        assert note.guid == entry.guid == genanki.guid_for(entry.card_id)  # type: ignore[attr-defined]
        (card,) = note.cards()  # type: ignore[attr-defined]
        question, answer = card.question(), card.answer()
        body = answer.split("</style>", 1)[1]  # Anki puts the note type's CSS first
        assert "{{" not in question and "{{" not in answer
        for section in ("Principle", "Reason", "Example", "Pitfall"):
            assert f"<h2>{section}</h2>" in answer
        assert col.decks.name(card.did) == entry.deck  # type: ignore[attr-defined]
        if "bias-variance" in entry.card_id:
            assert "<h2>Code</h2>" not in body and "prep-provenance" not in body
        else:
            assert '<div class="highlight tex2jax_ignore"><pre>' in answer
            assert "<h2>Output</h2>" in answer and "ran on cpu" in answer
            assert "verified with Python 3.11.7, torch 2.13.0, scikit-learn 1.5.2 on cpu" in answer
    attention = note_for(col, "attention-scaling-0a1b2c3d").cards()[0]  # type: ignore[attr-defined]
    assert r"\(1/\sqrt{d_k}\)" in attention.question()
    # the only script is the note type's own (the math fitter, once through {{FrontSide}});
    # a <script> written in the card reaches Anki as text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>",
                         attention.answer().split("</style>", 1)[1], re.S | re.I)
    assert len(scripts) == 1 and "prepFitMath" in scripts[0]
    assert "&lt;script&gt;" in attention.answer()
    assert "on cuda (NVIDIA H100)" in attention.answer()
    assert sorted(note_for(col, "attention-scaling-0a1b2c3d").tags) == [  # type: ignore[attr-defined]
        "SD::level::intermediate", "SD::requires::cuda", "SD::topic::attention"]
    # no study order: new cards come by subdeck name, then level, then file (test_order.py)
    by_due = sorted((col.get_card(c) for c in col.find_cards("")), key=lambda c: c.due)  # type: ignore[attr-defined]
    assert [c.note()["Id"] for c in by_due] == [
        "attention-scaling-0a1b2c3d", "bias-variance-9f8e7d6c", "batchnorm-modes-5c1e7a2b"]


def test_note_type_and_decks_have_the_fixed_ids(root: Path, col: object) -> None:
    path, _ = build(root, T0)
    import_apkg(col, path)
    config = load_config(root)
    model = col.models.get(config.note_type_id)  # type: ignore[attr-defined]
    assert model is not None and model["name"] == "PREP (Sample Deck)"
    assert [f["name"] for f in model["flds"]] == list(render_module.FIELD_NAMES)
    names = {d.name for d in col.decks.all_names_and_ids()}  # type: ignore[attr-defined]
    assert {"Sample Deck", "Sample Deck::Training", "Sample Deck::Architectures::Transformers",
            "Sample Deck::Fundamentals"} <= names
    # The package carries the fixed ids; Anki itself matches decks by *name* and gives them
    # ids of its own, so a re-import finds the same decks (checked in the update test).
    with zipfile.ZipFile(path) as z:
        (tmp := root / "col.sqlite").write_bytes(z.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(tmp)) as db:
        (decks_json,) = db.execute("SELECT decks FROM col").fetchone()
    ids = {d["name"]: int(d["id"]) for d in json.loads(decks_json).values()}
    assert ids["Sample Deck"] == config.deck_id
    assert ids["Sample Deck::Training"] == subdeck_id(config, "Sample Deck::Training") < 2**53


# --- 1. reproducible ---------------------------------------------------------------------------


def test_rebuilding_unchanged_sources_is_byte_identical(root: Path) -> None:
    path, _ = build(root, T0)
    first = path.read_bytes()
    time.sleep(1.1)  # a wall-clock leak would show up as a different second
    _, plan = build(root, T0 + 86_400)
    assert path.read_bytes() == first
    assert len(plan.unchanged) == 3 and not plan.added and not plan.updated
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {time.gmtime(T0)[:6]}


# --- 2. updates keep the learner's history -----------------------------------------------------


def test_edited_card_updates_and_keeps_review_history(root: Path, col: object) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    note = note_for(col, "batchnorm-modes-5c1e7a2b")
    card = note.cards()[0]  # type: ignore[attr-defined]
    card.start_timer()
    col.sched.answerCard(card, 4)  # type: ignore[attr-defined]
    reviewed = col.get_card(card.id)  # type: ignore[attr-defined]
    assert reviewed.reps == 1 and reviewed.ivl > 0

    source = root / BN
    source.write_text(source.read_text(encoding="utf-8").replace(
        "updates running averages", "updates running averages (momentum 0.1)"), encoding="utf-8")
    v2, plan = build(root, T0 + 3600)
    assert [e.card_id for e in plan.updated] == ["batchnorm-modes-5c1e7a2b"]
    log = import_apkg(col, v2)

    assert len(log.updated) == 1 and len(log.new) == 0  # type: ignore[attr-defined]
    assert col.note_count() == 3  # type: ignore[attr-defined]
    assert len(col.decks.all_names_and_ids()) == 6  # type: ignore[attr-defined]  # no new decks
    after = col.get_card(card.id)  # type: ignore[attr-defined]
    assert "momentum 0.1" in after.note()["Principle"]
    assert (after.reps, after.ivl, after.type, after.due) == (
        reviewed.reps, reviewed.ivl, reviewed.type, reviewed.due)


def test_a_package_with_one_time_for_all_notes_would_not_update(root: Path, col: object) -> None:
    """Why the lock exists: an edited note that is not newer is skipped by Anki."""
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    source = root / BN
    source.write_text(source.read_text(encoding="utf-8").replace("eval mode", "EVAL"),
                      encoding="utf-8")
    config, built = verified(root)
    from generator.anki import write_apkg
    from generator.lock import update_lock
    from generator.render import render_cards

    rendered = render_cards(built, config)
    lock, _ = update_lock(rendered, config, read_lock(root / LOCK_NAME), now=T0)
    stale = type(lock)(lock.deck_id, lock.note_type,
                       tuple(type(e)(**{**e.__dict__, "mod": T0}) for e in lock.cards))
    write_apkg(rendered, config, stale, root / "same-time.apkg")
    log = import_apkg(col, root / "same-time.apkg")
    assert len(log.updated) == 0  # type: ignore[attr-defined]
    assert "EVAL" not in note_for(col, "batchnorm-modes-5c1e7a2b")["Principle"]  # type: ignore[index]


# --- 3. note type changes ------------------------------------------------------------------------


def test_note_type_schema_change_stops_the_build(root: Path, col: object,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    before, lock_before = v1.read_bytes(), (root / LOCK_NAME).read_text(encoding="utf-8")
    source = root / BN
    source.write_text(source.read_text(encoding="utf-8").replace("eval mode", "EVAL"),
                      encoding="utf-8")
    monkeypatch.setattr(render_module, "TEMPLATE_NAME", "PREP v2")

    with pytest.raises(BuildError, match="Merge note types") as err:
        build(root, T0 + 60)
    assert "--allow-notetype-change" in str(err.value)
    assert v1.read_bytes() == before  # nothing written
    assert (root / LOCK_NAME).read_text(encoding="utf-8") == lock_before

    # What the check protects learners from: with the change forced through, Anki adds a
    # second note type and skips every existing note, edited or not.
    v2, plan = build(root, T0 + 60, allow_notetype_change=True)
    assert plan.note_type == "schema"
    log = import_apkg(col, v2)
    assert len(log.conflicting) == 3 and len(log.updated) == 0  # type: ignore[attr-defined]
    assert prep_note_types(col) == ["PREP (Sample Deck)", "PREP (Sample Deck)+"]
    assert col.note_count() == 3  # type: ignore[attr-defined]
    assert "EVAL" not in note_for(col, "batchnorm-modes-5c1e7a2b")["Principle"]  # type: ignore[index]


def test_css_change_updates_the_note_type_in_place(root: Path, col: object,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    original = render_module.note_type_spec

    def restyled(config: Config) -> render_module.NoteTypeSpec:
        spec = original(config)
        return render_module.NoteTypeSpec(**{**spec.__dict__, "css": spec.css + ".x{}\n"})

    for module in ("generator.render", "generator.lock", "generator.anki"):
        monkeypatch.setattr(f"{module}.note_type_spec", restyled)
    v2, plan = build(root, T0 + 60)
    assert plan.note_type == "updated" and len(plan.unchanged) == 3
    import_apkg(col, v2)
    assert prep_note_types(col) == ["PREP (Sample Deck)"]
    model = col.models.get(load_config(root).note_type_id)  # type: ignore[attr-defined]
    assert model["css"].endswith(".x{}\n")


# --- 4. deleted cards ----------------------------------------------------------------------------


def test_deleted_card_is_reported_and_stays_in_collections(root: Path, col: object) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    (root / BN).unlink()
    (root / "snippets/training/batchnorm_modes.py").unlink()
    v2, plan = build(root, T0 + 60)
    assert [e.card_id for e in plan.orphaned] == ["batchnorm-modes-5c1e7a2b"]
    report = format_plan(plan)
    assert "orphaned  batchnorm-modes-5c1e7a2b  cards/training/batchnorm-modes.md" in report
    assert "cannot delete" in report
    lock = read_lock(root / LOCK_NAME)
    assert lock is not None and lock.get("batchnorm-modes-5c1e7a2b") is None
    import_apkg(col, v2)
    assert col.note_count() == 3  # type: ignore[attr-defined]  # Anki import never deletes


# --- refusing to write ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["failed", "unverified"])
def test_unverified_or_failed_snippets_write_nothing(root: Path, kind: str) -> None:
    v1, _ = build(root, T0)
    before = v1.read_bytes()
    if kind == "failed":
        config, built = verified(root, status="failed")
    else:
        config, built = verified(root, unverified_gpu=True)
    with pytest.raises(BuildError) as err:
        build_apkg(built, config, now=T0 + 60)
    assert "cards/architectures/attention-scaling.md:5:" in str(err.value)
    assert v1.read_bytes() == before


def test_unverified_gpu_ships_only_when_allowed_and_says_so(root: Path, col: object) -> None:
    config, built = verified(root, unverified_gpu=True)
    path, _ = build_apkg(built, config, now=T0, allow_unverified_gpu=True)
    import_apkg(col, path)
    answer = note_for(col, "attention-scaling-0a1b2c3d").cards()[0].answer()  # type: ignore[attr-defined]
    assert "not verified on a GPU" in answer
    assert "SD::status::unverified-gpu" in note_for(col, "attention-scaling-0a1b2c3d").tags  # type: ignore[attr-defined]
    deck = col.decks.by_name(config.name)  # type: ignore[attr-defined]
    assert '1 GPU card is marked "not verified on a GPU"' in deck["desc"]


def test_deck_description_makes_no_gpu_caveat_when_all_ran(root: Path, col: object) -> None:
    path, _ = build(root, T0)
    import_apkg(col, path)
    config = load_config(root)
    desc = col.decks.by_name(config.name)["desc"]  # type: ignore[attr-defined]
    assert "not verified" not in desc and "Version 1.0.0" in desc


def test_failed_write_keeps_the_old_package(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v1, _ = build(root, T0)
    before = v1.read_bytes()
    (root / BN).write_text((root / BN).read_text(encoding="utf-8") + "\nMore.\n",
                           encoding="utf-8")

    def broken(self: object, file: str, timestamp: float | None = None) -> None:
        Path(file).write_bytes(b"half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(genanki.Package, "write_to_file", broken)
    with pytest.raises(OSError, match="disk full"):
        build(root, T0 + 60)
    assert v1.read_bytes() == before
    assert sorted(p.name for p in v1.parent.iterdir()) == [v1.name]


# --- scale -----------------------------------------------------------------------------------------


SYNTHETIC = """\
---
id: synthetic-{i:04d}
deck: Part {part}
tags: [synthetic]
snippet: syn/s{i:04d}.py
---
# Synthetic question {i} with $x_{{{i}}}$ and `code`?

## Principle
Principle {i}: **bold** and $\\alpha = {i}$.

## Reason
Reason {i}.

## Example
```python
print({i})
```

## Pitfall
Pitfall {i}: <b>not a tag</b>.
"""


def test_a_thousand_cards_import(tmp_path: Path, col: object) -> None:
    config = load_config(SAMPLE)
    built = []
    for i in range(1000):
        card = checked_card(SYNTHETIC.format(i=i, part=i % 7), f"cards/syn/s{i:04d}.md")
        ref = card.snippets[0]
        v = Verification(card.id or "", ref.source_path, "cpu", "passed", f"{i}\n", "", 0.0,
                         VERSIONS, "h")
        built.append(BuiltCard(card, card.deck or "", (
            SnippetResult(ref, f"x = {i}\nprint(x)\n", v, "cpu"),)))
    start = time.perf_counter()
    path, plan = build_apkg(built, config, now=T0, lock_path=tmp_path / "deck.lock",
                            out_path=tmp_path / "big.apkg")
    log = import_apkg(col, path)
    elapsed = time.perf_counter() - start
    assert len(plan.added) == 1000 and len(log.new) == 1000  # type: ignore[attr-defined]
    assert col.note_count() == 1000 and col.card_count() == 1000  # type: ignore[attr-defined]
    for card_id in ("synthetic-0000", "synthetic-0500", "synthetic-0999"):
        card = note_for(col, card_id).cards()[0]  # type: ignore[attr-defined]
        answer = card.answer()
        assert "{{" not in answer and "<b>not a tag" not in answer
        number = int(card_id[-4:])
        assert f"Principle {number}: <strong>bold</strong>" in answer
        assert rf"\(\alpha = {number}\)" in answer and 'class="highlight' in answer
    assert len(col.find_notes('"deck:Sample Deck::Part 3"')) == 143  # type: ignore[attr-defined]
    assert elapsed < 20, f"building and importing 1,000 cards took {elapsed:.1f} s"


# --- figures: content-addressed media ---------------------------------------------------------

FIG_SVG = ('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           'width="100pt" height="60pt" viewBox="0 0 100 60"><path d="M 0 0 L 100 60"/></svg>\n')


def with_figure(built: list[BuiltCard], card_id: str, svg: str) -> list[BuiltCard]:
    """``built`` with a figure ``curve.svg`` drawn by every run of ``card_id``'s snippets."""
    from dataclasses import replace

    from generator.verify.figures import make_figure

    fig = make_figure("curve.svg", svg)
    return [b if b.card.id != card_id else replace(b, snippets=tuple(
        replace(s, verification=replace(s.verification, figures=(fig,)))
        for s in b.snippets if s.verification is not None)) for b in built]


def test_figures_ship_as_media_and_a_changed_figure_updates_its_note(
        root: Path, col: object) -> None:
    from generator.verify.figures import make_figure

    card_id = "batchnorm-modes-5c1e7a2b"
    config, built = verified(root)
    path, plan = build_apkg(with_figure(built, card_id, FIG_SVG), config, now=T0)
    name = make_figure("curve.svg", FIG_SVG).media_name
    assert name.startswith("curve-") and len(name) == len("curve-") + 12 + len(".svg")
    with zipfile.ZipFile(path) as z:
        media = json.loads(z.read("media"))
        assert list(media.values()) == [name]
        assert z.read(next(iter(media))) == FIG_SVG.encode()
    first = path.read_bytes()
    path2, _ = build_apkg(with_figure(built, card_id, FIG_SVG), config, now=T0 + 86_400)
    assert path2.read_bytes() == first  # byte-identical with a figure

    log = import_apkg(col, path)
    assert len(log.new) == 3  # type: ignore[attr-defined]
    note = note_for(col, card_id)
    assert f'<img src="{name}"' in note["Output"]  # type: ignore[index]
    media_dir = Path(col.media.dir())  # type: ignore[attr-defined]
    assert (media_dir / name).read_text(encoding="utf-8") == FIG_SVG
    check = col.media.check()  # type: ignore[attr-defined]
    assert not check.missing and not check.unused
    assert name in note.cards()[0].answer()  # type: ignore[attr-defined]

    changed = FIG_SVG.replace("L 100 60", "L 50 60")
    new_name = make_figure("curve.svg", changed).media_name
    path3, plan = build_apkg(with_figure(built, card_id, changed), config, now=T0 + 3600)
    assert [e.card_id for e in plan.updated] == [card_id] and not plan.added
    log = import_apkg(col, path3)
    assert len(log.updated) == 1 and not log.new  # type: ignore[attr-defined]
    assert f'<img src="{new_name}"' in note_for(col, card_id)["Output"]  # type: ignore[index]
    assert (media_dir / new_name).read_text(encoding="utf-8") == changed
