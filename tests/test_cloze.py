"""Cloze cards from verified code: marks, lint, rendering, lock and the real Anki backend.

The sample deck tests/samples/cloze is tests/samples/anki with ``cloze:`` marks on two cards
(four marks: a plain one, one with a hint, one on a line with ``{{``/``}}``/``<``/``$``, one on
``x[::2]``) and a ``cloze_note_type_id``.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path

import pytest
from test_anki import import_apkg, verified

from generator.anki import build_apkg
from generator.cloze import cloze_key, resolve_marks
from generator.config import Config, load_config
from generator.errors import BuildError
from generator.lint import lint_deck, read_deck
from generator.lock import LOCK_NAME, format_plan, note_guid, plan_from_sources, read_lock
from generator.model import BuiltCard
from generator.parse import parse_card
from generator.preview import preview_cards
from generator.release import diff_locks, release_notes
from generator.render import cloze_code_html, render_cards

anki_collection = pytest.importorskip("anki.collection", reason="the anki package is not installed")

SAMPLES = Path(__file__).parent / "samples"
T0 = 1_763_750_000
BN = "cards/training/batchnorm-modes.md"
BN_ID = "batchnorm-modes-5c1e7a2b"
BN_MARKS = ("(x - mu) / torch.sqrt(var + bn.eps)", "x.var(0, unbiased=False)", "x[::2]")
ATT_ID = "attention-scaling-0a1b2c3d"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES / "cloze", tmp_path / "deck")
    return tmp_path / "deck"


def build(root: Path, now: int) -> tuple[Path, object]:
    config, built = verified(root)
    return build_apkg(built, config, now=now)


def note(col: object, key: str) -> object:
    (nid,) = col.find_notes(f'"Id:{key}"')  # type: ignore[attr-defined]
    return col.get_note(nid)  # type: ignore[attr-defined]


def visible_text(side: str) -> str:
    """What a learner reads: no CSS, no scripts, no attributes (``data-cloze`` holds the
    answer for Anki's click-to-reveal, unseen), entities decoded."""
    body = side.split("</style>", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]*>", "", body))


def code_of(side: str) -> str:
    """The text of the code block (the ``<pre>`` of the cloze field)."""
    (pre,) = re.findall(r'<div class="prep-cloze-code">.*?<pre>(.*?)</pre>', side, re.DOTALL)
    return html.unescape(re.sub(r"<[^>]*>", "", pre)).rstrip("\n")


def filled_in(back: str) -> str:
    """The text of the back's cloze span (it holds whole highlighting spans)."""
    opening = '<span class="cloze" data-ordinal="1">'
    assert back.count(opening) == 1
    rest = back.split(opening, 1)[1]
    depth, pos = 1, 0
    for tag in re.finditer(r"<(/?)span\b[^>]*>", rest):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            pos = tag.start()
            break
    return html.unescape(re.sub(r"<[^>]*>", "", rest[:pos]))


# --- Anki import ------------------------------------------------------------------------------


def test_cloze_cards_show_the_hole_on_the_front_and_the_code_that_ran_on_the_back(
        root: Path, col: object) -> None:
    path, plan = build(root, T0)
    assert plan.note_type == "new" and plan.cloze_note_type == "new"  # type: ignore[attr-defined]
    log = import_apkg(col, path)
    assert len(log.new) == 3 + 5  # type: ignore[attr-defined]
    config = load_config(root)
    model = col.models.get(config.cloze_note_type_id)  # type: ignore[attr-defined]
    assert model["type"] == 1 and model["name"] == "PREP cloze (Sample Deck)"  # a cloze type
    assert ".prep pre .cl::before" in model["css"]  # PREP's phone layout, shared
    codes = {
        BN_ID: (root / "snippets/training/batchnorm_modes.py").read_text(encoding="utf-8"),
        ATT_ID: (root / "snippets/architectures/attention_scaling.py").read_text(
            encoding="utf-8"),
    }
    marks = {BN_ID: BN_MARKS, ATT_ID: ("scores / d_k ** 0.5",
                                       'f"${price} <not a tag> {{literal braces}}"')}
    for card_id, codes_marked in marks.items():
        parent = note(col, card_id)
        parent_card = parent.cards()[0]  # type: ignore[attr-defined]
        for code in codes_marked:
            key = cloze_key(card_id, code)
            cloze = note(col, key)
            assert cloze.guid == note_guid(key)  # type: ignore[attr-defined]
            (card,) = cloze.cards()  # type: ignore[attr-defined]
            front, back = card.question(), card.answer()
            for side in (front, back):  # no template or cloze syntax left over
                assert not re.search(r"\{\{(c\d+::|[#^/]?[A-Z]\w*\}\}|cloze:)",
                                     visible_text(side))
            # The front: the question as context, the code around the hole, not the code.
            shown = code_of(front)
            hint = ("[biased batch variance]" if "unbiased" in code
                    else "[print: $, <, {{ and }}]" if "price" in code else "[...]")
            assert shown.count(hint) == 1
            assert shown == codes[card_id].rstrip().replace(code, hint, 1)
            assert code not in visible_text(front)
            assert "Fill in the code" in front
            # The back: exactly the code that ran, the hole marked, and its verified output.
            assert code_of(back) == codes[card_id].rstrip()
            assert filled_in(back) == code
            assert "ran on cpu" in back and "<h2>Output</h2>" in back
            # Same subdeck and tags as the card, plus "cloze".
            assert card.did == parent_card.did
            assert sorted(cloze.tags) == sorted([*parent.tags, f"{config.tag_prefix}::cloze"])  # type: ignore[attr-defined]


def test_a_new_cloze_note_type_imports_without_merging(tmp_path: Path, col: object) -> None:
    """A deck gains cloze marks: the package brings a second note type. Anki adds it on a
    plain import (no "Merge note types"), adds the cloze notes, and leaves the PREP notes."""
    root = tmp_path / "deck"
    shutil.copytree(SAMPLES / "anki", root)
    config, built = verified(root)
    v1, _ = build_apkg(built, config, now=T0)
    import_apkg(col, v1)
    for name in ("deck.toml", BN, "cards/architectures/attention-scaling.md",
                 "snippets/training/batchnorm_modes.py"):
        shutil.copyfile(SAMPLES / "cloze" / name, root / name)
    old_lock = read_lock(root / LOCK_NAME)
    v2, plan = build(root, T0 + 60)
    assert plan.note_type == "unchanged" and plan.cloze_note_type == "new"  # type: ignore[attr-defined]
    # both cards' front matter changed (their marks), and one snippet
    assert [e.card_id for e in plan.updated] == [ATT_ID, BN_ID]  # type: ignore[attr-defined]
    assert len(plan.added) == 5  # type: ignore[attr-defined]
    log = import_apkg(col, v2)  # default options: nothing ticked
    assert len(log.new) == 5 and len(log.conflicting) == 0  # type: ignore[attr-defined]
    assert col.note_count() == 8  # type: ignore[attr-defined]
    assert sorted(m["name"] for m in col.models.all() if "Sample" in m["name"]) == [  # type: ignore[attr-defined]
        "PREP (Sample Deck)", "PREP cloze (Sample Deck)"]
    notes = release_notes(diff_locks(old_lock, read_lock(root / LOCK_NAME)),  # type: ignore[arg-type]
                          deck_name="Sample Deck", version="1.1.0", since="v1.0.0")
    assert "fill-in-the-code cards" in notes and "nothing to tick" in notes
    assert "Merge note types" not in notes


# --- identity and updates ------------------------------------------------------------------------


def test_rebuilds_are_byte_identical_and_keys_stable(root: Path) -> None:
    path, _ = build(root, T0)
    first = path.read_bytes()
    lock = read_lock(root / LOCK_NAME)
    assert lock is not None and lock.cloze_note_type is not None
    cloze = sorted(e.card_id for e in lock.cards if e.kind == "cloze")
    assert cloze == sorted([*(cloze_key(BN_ID, c) for c in BN_MARKS),
                            cloze_key(ATT_ID, "scores / d_k ** 0.5"),
                            cloze_key(ATT_ID, 'f"${price} <not a tag> {{literal braces}}"')])
    assert all(e.guid == note_guid(e.card_id) for e in lock.cards)
    time.sleep(1.1)
    _, plan = build(root, T0 + 86_400)
    assert path.read_bytes() == first
    assert len(plan.unchanged) == 8 and not plan.added and not plan.updated  # type: ignore[attr-defined]


def test_keys_come_from_card_id_and_mark_not_position(root: Path) -> None:
    config = load_config(root)
    deck, _ = read_deck(root)
    card = next(c for c in deck.cards if c.id == BN_ID)
    code = (root / "snippets/training/batchnorm_modes.py").read_text(encoding="utf-8")
    before = {s.code: s.key for s in resolve_marks(card, {"training/batchnorm_modes.py": code})[0]}
    moved = "# a new first line\n\n" + code
    after = {s.code: s.key for s in resolve_marks(card, {"training/batchnorm_modes.py": moved})[0]}
    assert before == after and len(before) == 3
    assert cloze_key(BN_ID, "x") != cloze_key("other-card", "x") != cloze_key(BN_ID, "y")
    assert config.cloze_note_type_id == 1700000000003


def test_editing_the_card_updates_cloze_notes_in_place(root: Path, col: object) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    key = cloze_key(BN_ID, BN_MARKS[0])
    card = note(col, key).cards()[0]  # type: ignore[attr-defined]
    card.start_timer()
    col.sched.answerCard(card, 4)  # type: ignore[attr-defined]
    reviewed = col.get_card(card.id)  # type: ignore[attr-defined]
    source = root / BN
    source.write_text(source.read_text(encoding="utf-8").replace(
        "do differently in", "change between"), encoding="utf-8")
    snippet = root / "snippets/training/batchnorm_modes.py"
    snippet.write_text("# BatchNorm in train mode\n" + snippet.read_text(encoding="utf-8"),
                       encoding="utf-8")
    v2, plan = build(root, T0 + 3600)
    assert sorted(e.card_id for e in plan.updated) == sorted(  # type: ignore[attr-defined]
        [BN_ID, *(cloze_key(BN_ID, c) for c in BN_MARKS)])
    log = import_apkg(col, v2)
    assert len(log.updated) == 4 and len(log.new) == 0  # type: ignore[attr-defined]
    assert col.note_count() == 8  # type: ignore[attr-defined]
    after = col.get_card(card.id)  # type: ignore[attr-defined]
    assert "change between" in after.note()["Context"]
    assert "# BatchNorm in train mode" in code_of(after.answer())
    assert (after.reps, after.ivl, after.due) == (reviewed.reps, reviewed.ivl, reviewed.due)


def test_a_removed_mark_retires_its_note_and_the_plan_says_so(root: Path, col: object) -> None:
    v1, _ = build(root, T0)
    import_apkg(col, v1)
    source = root / BN
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('  - "x[::2]"\n', ""), encoding="utf-8")
    key = cloze_key(BN_ID, "x[::2]")
    # `deck plan`, from the sources alone
    config = load_config(root)
    deck, findings = lint_deck(read_deck(root)[0], config)
    assert not [f for f in findings if f.severity == "error"]
    codes = {ref.path: (root / ref.source_path).read_text(encoding="utf-8")
             for card in deck.cards for ref in card.snippets}
    plan = plan_from_sources(deck.cards, codes, config, read_lock(root / LOCK_NAME))
    assert [e.card_id for e in plan.orphaned] == [key]
    assert [e.card_id for e in plan.updated] == [BN_ID]  # its front matter changed
    report = format_plan(plan)
    assert f"retired   {key}  {BN}  Fill in `x[::2]`:" in report
    assert "1 cloze note(s) are retired" in report
    # the build agrees, and the lock forgets the note
    v2, built_plan = build(root, T0 + 60)
    assert [e.card_id for e in built_plan.orphaned] == [key]  # type: ignore[attr-defined]
    lock = read_lock(root / LOCK_NAME)
    assert lock is not None and lock.get(key) is None
    log = import_apkg(col, v2)
    assert len(log.new) == 0 and col.note_count() == 8  # type: ignore[attr-defined]  # never deleted


def test_cloze_notes_ship_only_through_the_verification_gate(root: Path) -> None:
    v1, _ = build(root, T0)
    before = v1.read_bytes()
    config, built = verified(root, status="failed")
    with pytest.raises(BuildError, match="refusing to write"):
        build_apkg(built, config, now=T0 + 60)
    assert v1.read_bytes() == before


def test_the_build_uses_the_verified_code_not_the_file(root: Path) -> None:
    """A mark that no longer matches the verified code stops the build with its location."""
    config, built = verified(root)
    stale = []
    for b in built:
        snippets = tuple(type(s)(s.ref, s.code.replace("unbiased=False", "correction=0"),
                                 s.verification, s.device) for s in b.snippets)
        stale.append(BuiltCard(b.card, b.subdeck, snippets))
    with pytest.raises(BuildError, match=re.escape("md:9: cloze mark 'x.var(0, unbiased=False)' matches no code")):
        render_cards(stale, config)


# --- the preview equals Anki ------------------------------------------------------------------


def test_preview_pages_are_what_anki_renders_for_cloze_cards(root: Path, col: object) -> None:
    path, _ = build(root, T0)
    import_apkg(col, path)
    config, built = verified(root)
    ours = {c.card_id: c for c in preview_cards(render_cards(built, config), config)}
    assert len(ours) == 8
    for nid in col.find_notes(""):  # type: ignore[attr-defined]
        n = col.get_note(nid)  # type: ignore[attr-defined]
        (card,) = n.cards()
        assert card.question() == ours[n["Id"]].front, n["Id"]
        assert card.answer() == ours[n["Id"]].back, n["Id"]


# --- rendering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code, mark", [
    ("y = x[::2]\n", "x[::2]"),
    ('d = {"a": {"b": 1}}\n', '{"a": {"b": 1}}'),
    ("\n\n  z = a - b  # note: {{x}}\n", "a - b"),
    ("name_suffix = 1\n", "suffix"),
])
def test_the_hole_holds_whole_spans_and_hides_cloze_syntax(code: str, mark: str) -> None:
    start = code.index(mark)
    out = str(cloze_code_html(code, start, start + len(mark), hint="a: {hint}"))
    assert out.count("{{c1::") == 1 and out.count("}}") == 1 and out.count("::") == 2
    inside = out.split("{{c1::")[1].split("::a&#58; &#123;hint&#125;}}")[0]
    assert len(re.findall(r"<span\b", inside)) == inside.count("</span>")
    assert html.unescape(re.sub(r"<[^>]*>", "", inside)) == mark
    plain = out.replace("{{c1::", "").replace("::a&#58; &#123;hint&#125;}}", "")
    assert html.unescape(re.sub(r"<[^>]*>", "", plain)).strip("\n") == code.strip("\n")


# --- lint -------------------------------------------------------------------------------------


def card_with(cloze: str, tmp_path: Path, *, toml_extra: str = "cloze_note_type_id = 3\n"
              ) -> list[str]:
    root = tmp_path / "deck"
    (root / "cards").mkdir(parents=True)
    (root / "snippets").mkdir()
    (root / "deck.toml").write_text(
        '[deck]\nname = "D"\ndeck_id = 1\nnote_type_id = 2\n' + toml_extra
        + '[output]\nstem = "d"\n', encoding="utf-8")
    (root / "snippets/s.py").write_text("a = 1\nb = a + 1\nc = a + 1\n", encoding="utf-8")
    (root / "cards/c.md").write_text(
        f"---\nid: card-1\nsnippet: s.py\ncloze:\n{cloze}---\n# Q?\n\n## Principle\np\n\n"
        "## Reason\nr\n\n## Example\ne\n\n## Pitfall\nf\n", encoding="utf-8")
    config: Config = load_config(root)
    deck, findings = read_deck(root)
    return [str(f) for f in findings + lint_deck(deck, config)[1]]


def test_lint_reports_every_bad_mark_with_its_line(tmp_path: Path) -> None:
    found = card_with('  - ""\n  - "b = a + 2"\n  - "a + 1"\n  - {code: "a + 1", occurrence: 3}\n'
                      '  - {code: "b", hnt: "x"}\n  - "b = a\\n"\n  - 7\n  - " a"\n'
                      '  - {code: "a = 1"}\n  - "a = 1"\n', tmp_path)
    assert found == [
        "cards/c.md:5: empty cloze mark: a blank must ask for some code; write the exact code "
        "to blank",
        "cards/c.md:6: cloze mark 'b = a + 2' matches no code in snippets/s.py; copy the code "
        "exactly (closest line: 'b = a + 1')",
        "cards/c.md:7: cloze mark 'a + 1' matches 2 times (snippets/s.py:2, snippets/s.py:3); "
        "say which with {code: 'a + 1', occurrence: N}",
        "cards/c.md:8: cloze 'occurrence: 3' but 'a + 1' matches only 2 time(s) "
        "(snippets/s.py:2, snippets/s.py:3)",
        "cards/c.md:9: unknown key 'hnt' in a cloze mark (did you mean 'hint'?); a mark is the "
        "code itself or "
        "{code: ..., hint: ..., occurrence: N}",
        "cards/c.md:10: a cloze mark must lie within one line of code; mark one line's "
        "expression",
        "cards/c.md:11: a cloze mark must be the code to blank, as text (quote it), not 7",
        "cards/c.md:12: cloze mark ' a' starts or ends with spaces; remove them",
        "cards/c.md:12: cloze mark ' a' matches 2 times (snippets/s.py:2, snippets/s.py:3); "
        "say which with {code: ' a', occurrence: N}",
        "cards/c.md:14: cloze mark 'a = 1' is given twice (first on line 13)",
    ]


def test_lint_accepts_good_marks_and_needs_the_note_type_id(tmp_path: Path) -> None:
    good = '  - "b = a + 1"\n  - {code: "a + 1", occurrence: 2, hint: "c"}\n'
    assert card_with(good, tmp_path) == []
    shutil.rmtree(tmp_path / "deck")
    assert card_with(good, tmp_path, toml_extra="") == [
        "cards/c.md:4: cloze marks need their own note type id: add 'cloze_note_type_id = "
        "<a fixed number>' to [deck] in deck.toml"]


def test_cloze_on_a_card_without_code_is_an_error() -> None:
    card = parse_card("---\nid: abc\nno_snippet: why\ncloze: [x]\n---\n# Q?\n", "cards/c.md")
    from generator.cloze import lint_cloze

    assert [str(f) for f in lint_cloze(card, {}, has_note_type=True)] == [
        "cards/c.md:4: 'cloze' without 'snippet': there is no code to blank"]


def test_a_card_with_errors_keeps_its_cloze_notes_in_the_plan(root: Path) -> None:
    build(root, T0)
    source = root / BN
    source.write_text(source.read_text(encoding="utf-8").replace("## Pitfall", "## Pitfal"),
                      encoding="utf-8")
    config = load_config(root)
    raw, _ = read_deck(root)
    deck, findings = lint_deck(raw, config)
    assert findings and BN_ID not in {c.id for c in deck.cards}
    codes = {ref.path: (root / ref.source_path).read_text(encoding="utf-8")
             for card in deck.cards for ref in card.snippets}
    lock = read_lock(root / LOCK_NAME)
    left_out = plan_from_sources(deck.cards, codes, config, lock, unchecked_ids=[BN_ID])
    assert left_out.orphaned == ()
    # without saying it was left out, the card and its three cloze notes look gone
    gone = plan_from_sources(deck.cards, codes, config, lock)
    assert sorted(e.card_id for e in gone.orphaned) == sorted(
        [BN_ID, *(cloze_key(BN_ID, c) for c in BN_MARKS)])
