"""``deck preview``: every card as Anki shows it, as a static site in ``build/preview/``.

Each card side is its own page holding exactly what Anki's backend renders for it (the note
type's CSS in a ``<style>``, then the template filled with the note's fields; the tests compare
the two), inside the body Anki desktop gives a card (``class="card card1"``, plus
``nightMode night_mode`` at night), typeset by MathJax 3 with Anki's settings. MathJax comes
from the ``django-static-mathjax`` package (a copy of MathJax 3.2.2), copied next to the pages:
nothing is fetched when a page is viewed, and the site opens from ``file://``.

``index.html`` lists the cards with a search box and shows the chosen one in a frame that is
360 px (a phone) or 1000 px (a desktop) wide, light or night, front or back.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from generator.config import Config
from generator.errors import BuildError
from generator.render import NoteTypeSpec, RenderedCard, get_env, spec_for, write_media

log = logging.getLogger(__name__)

PREVIEW_DIR = "preview"
PHONE_WIDTH, DESKTOP_WIDTH = 360, 1000

# What the pages load from MathJax's es5 folder: the component Anki loads, the TeX extensions
# it names, the CommonHTML fonts, and what the component may load on demand (menu, a11y).
_MATHJAX_PARTS = ("tex-chtml-full.js", "input/tex/extensions", "output/chtml/fonts/woff-v2",
                  "ui", "a11y")

# Anki's template syntax, as much of it as the PREP note type uses.
_SECTION = re.compile(r"\{\{([#^])([^{}]+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
_FIELD = re.compile(r"\{\{([^{}#^/]+)\}\}")
# A cloze in a field ({{c1::answer}} or {{c1::answer::hint}}); render.cloze_code_html hides
# every other "::" and "}}" of the text behind entities.
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def _encode_attribute(text: str) -> str:
    """Anki's escaping of a cloze's answer into ``data-cloze`` (Rust's htmlescape crate's
    ``encode_attribute``): five named entities, other non-alphanumerics below 256 in hex."""
    named = {'"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;"}
    out = []
    for c in text:
        if c in named:
            out.append(named[c])
        elif ord(c) < 256 and (ord(c) > 127 or not (c.isascii() and c.isalnum())):
            out.append(f"&#x{ord(c):02X};")
        else:
            out.append(c)
    return "".join(out)


def _fill_cloze(text: str, *, answer: bool) -> str:
    """``{{cloze:Field}}`` for a note with one cloze (c1), on the question or answer side."""
    def hole(match: re.Match[str]) -> str:
        ordinal, content, hint = match.group(1), match.group(2), match.group(3)
        if answer:
            return f'<span class="cloze" data-ordinal="{ordinal}">{content}</span>'
        return (f'<span class="cloze" data-cloze="{_encode_attribute(content)}" '
                f'data-ordinal="{ordinal}">[{hint or "..."}]</span>')
    return _CLOZE.sub(hole, text)


@dataclass(frozen=True)
class PreviewCard:
    """One card's two sides, as Anki's backend renders them (CSS first)."""

    card_id: str
    deck: str
    question: str  # the card's question, Markdown source (for the list and the search)
    tags: tuple[str, ...]
    front: str
    back: str


def mathjax_dir() -> Path:
    """MathJax 3's ``es5`` folder inside the installed ``django-static-mathjax`` package."""
    spec = importlib.util.find_spec("mathjax")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        es5 = Path(folder) / "static" / "mathjax" / "es5"
        if (es5 / "tex-chtml-full.js").is_file():
            return es5
    raise BuildError("MathJax 3 is not installed (the django-static-mathjax package); run "
                     "`make .venv/.stamp` to install the project's dependencies")


def _is_empty(value: str) -> bool:
    # Anki treats a field holding only whitespace (or <br>s) as empty for {{#Field}}.
    return not re.sub(r"<br\s*/?>|\s", "", value)


def fill_template(template: str, fields: Mapping[str, str], *, front_side: str = "",
                  answer: bool = False) -> str:
    """Anki's card template rendering for what the note types use: ``{{Field}}``,
    ``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``, ``{{FrontSide}}`` and
    ``{{cloze:Field}}`` (``answer``: the back's side of it)."""
    values = {**fields, "FrontSide": front_side}

    def section(match: re.Match[str]) -> str:
        kind, name, body = match.group(1), match.group(2).strip(), match.group(3)
        if name not in values:
            raise BuildError(f"note type template names an unknown field {{{{{kind}{name}}}}}")
        shown = not _is_empty(values[name])
        return body if shown == (kind == "#") else ""

    def field(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name.startswith("cloze:") and name[len("cloze:"):] in values:
            return _fill_cloze(values[name[len("cloze:"):]], answer=answer)
        if name not in values:
            raise BuildError(f"note type template names an unknown field {{{{{name}}}}}")
        return values[name]

    previous = None
    while previous != template:  # innermost sections first, for nested ones
        previous, template = template, _SECTION.sub(section, template)
    return _FIELD.sub(field, template)


def card_sides(card: RenderedCard, spec: NoteTypeSpec) -> tuple[str, str]:
    """The front and back HTML exactly as Anki's ``card.question()``/``card.answer()``."""
    fields = dict(card.fields)
    front = fill_template(spec.front, fields)
    back = fill_template(spec.back, fields, front_side=front, answer=True)
    style = f"<style>{spec.css}</style>"
    return style + front, style + back


def preview_cards(rendered: Sequence[RenderedCard], config: Config) -> list[PreviewCard]:
    """Every card's sides, in deck order (deck name, then file path)."""
    cards = []
    for card in sorted(rendered, key=lambda c: (c.deck, c.built.card.path, c.card_id)):
        front, back = card_sides(card, spec_for(card, config))
        question = card.built.card.question
        if card.cloze is not None:
            question = f"Fill in `{card.cloze.code}`: {question}"
        cards.append(PreviewCard(card.card_id, card.deck, question, card.tags, front, back))
    return cards


def page_name(card_id: str, side: str) -> str:
    """The page of one side (``front`` or ``back``), relative to ``build/preview/``."""
    return f"cards/{card_id}.{side}.html"


def _copy_mathjax(target: Path) -> None:
    source = mathjax_dir()
    for part in _MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / part, target / part)


def _write_site(cards: Sequence[PreviewCard], config: Config, site: Path,
                rendered: Sequence[RenderedCard] = ()) -> None:
    env = get_env()
    card_page = env.get_template("preview/card.html.j2")
    (site / "cards").mkdir(parents=True)
    write_media(rendered, site / "cards")  # the figures, beside the pages that show them
    for card in cards:
        for side, html in (("front", card.front), ("back", card.back)):
            page = card_page.render(title=f"{card.card_id} ({side})", html=Markup(html))
            (site / page_name(card.card_id, side)).write_text(page, encoding="utf-8")
    index = env.get_template("preview/index.html.j2").render(
        deck=config.name, version=config.version, cards=cards,
        phone=PHONE_WIDTH, desktop=DESKTOP_WIDTH)
    (site / "index.html").write_text(index, encoding="utf-8")
    _copy_mathjax(site / "mathjax")


def write_preview(rendered: Sequence[RenderedCard], config: Config,
                  out_dir: Path | None = None) -> Path:
    """Write the site to ``out_dir`` (default ``build/preview``) and return its index page.

    The site is built in a staging folder beside ``out_dir`` and swapped in at the end, so a
    failure leaves the previous preview as it was.
    """
    out_dir = out_dir or config.build_dir / PREVIEW_DIR
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        _write_site(preview_cards(rendered, config), config, staging / "site", rendered)
        old = staging / "old"
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging / "site", out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("wrote %s (%d cards)", out_dir, len(rendered))
    return out_dir / "index.html"
