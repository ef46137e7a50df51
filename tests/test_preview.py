"""generator.preview: the static site, and that its pages hold exactly Anki's card HTML.

The browser checks of these pages are in test_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import generator.preview as preview
from generator.errors import BuildError
from generator.preview import fill_template, page_name, preview_cards, write_preview
from generator.render import render_cards
from preview_support import built_deck


def test_fill_template_fields_sections_and_front_side() -> None:
    template = "{{FrontSide}}|{{A}}|{{#B}}b={{B}}{{/B}}|{{^B}}no b{{/B}}|{{#A}}{{#C}}x{{/C}}{{/A}}"
    assert fill_template(template, {"A": "a", "B": "", "C": "c"}, front_side="F") \
        == "F|a||no b|x"
    assert fill_template(template, {"A": "a", "B": " <br> ", "C": ""}) == "|a||no b|"
    with pytest.raises(BuildError, match="unknown field"):
        fill_template("{{Nope}}", {"A": "a"})


@pytest.fixture(scope="module")
def cards() -> list[preview.PreviewCard]:
    config, built = built_deck()
    return preview_cards(render_cards(built, config), config)


def test_every_flagship_card_is_exactly_what_anki_renders(cards: list[preview.PreviewCard],
                                                         tmp_path: Path) -> None:
    """Import the package into the real Anki backend: question() and answer() are the pages'."""
    collection = pytest.importorskip("anki.collection", reason="the anki package is not installed")
    from generator.anki import build_apkg

    config, built = built_deck()
    apkg, _ = build_apkg(built, config, now=1_763_750_000, lock_path=tmp_path / "deck.lock",
                         out_path=tmp_path / "deck.apkg", allow_unverified_gpu=True)
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(collection.ImportAnkiPackageRequest(
            package_path=str(apkg), options=collection.ImportAnkiPackageOptions()))
        by_id = {c.card_id: c for c in cards}
        seen = set()
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            (card,) = note.cards()
            ours = by_id[note["Id"]]
            assert card.question() == ours.front, note["Id"]
            assert card.answer() == ours.back, note["Id"]
            seen.add(note["Id"])
        assert seen == set(by_id)
    finally:
        col.close()


def test_the_site_has_every_card_and_fetches_nothing(cards: list[preview.PreviewCard],
                                                     tmp_path: Path) -> None:
    config, built = built_deck()
    index = write_preview(render_cards(built, config), config, tmp_path / "preview")
    site = index.parent
    text = index.read_text(encoding="utf-8")
    # one page pair per card, and one per cloze mark
    assert len(cards) == len(built) + sum(len(b.card.cloze) for b in built) > 50
    for card in cards:
        assert f'data-card="{card.card_id}"' in text
        for side, html in (("front", card.front), ("back", card.back)):
            page = (site / page_name(card.card_id, side)).read_text(encoding="utf-8")
            assert html in page
            assert '<body class="card card1">' in page
    for page in [index, *site.glob("cards/*.html")]:
        content = page.read_text(encoding="utf-8")
        # no CDN, no web font, nothing from the network: only files beside the pages
        assert not re.search(r"(src|href)=\"(https?:)?//", content), page
    assert (site / "mathjax" / "tex-chtml-full.js").is_file()
    assert any((site / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    for ext in ("noerrors", "mathtools", "mhchem"):
        assert (site / "mathjax" / "input" / "tex" / "extensions" / f"{ext}.js").is_file()
    assert {p.name for p in tmp_path.iterdir()} == {"preview"}  # no staging left behind


def test_a_failed_preview_keeps_the_previous_one(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config, built = built_deck()
    rendered = render_cards(built[:3], config)
    write_preview(rendered, config, tmp_path / "preview")
    before = sorted(p.name for p in (tmp_path / "preview" / "cards").iterdir())

    def broken(target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(preview, "_copy_mathjax", broken)
    with pytest.raises(OSError):
        write_preview(render_cards(built, config), config, tmp_path / "preview")
    assert sorted(p.name for p in (tmp_path / "preview" / "cards").iterdir()) == before
    assert {p.name for p in tmp_path.iterdir()} == {"preview"}


def test_cli_preview_is_a_command() -> None:
    from generator.cli import make_parser

    args = make_parser().parse_args(["preview", "--no-cache"])
    assert args.func.__name__ == "cmd_preview" and args.no_cache

