"""Built cards -> HTML for Anki: the note type's fields, templates and CSS.

One Jinja environment (``get_env``) with StrictUndefined and autoescape renders every field;
card text goes through the shared Markdown parser (raw HTML disabled, so a ``<script>`` in a
card is shown as text), code through Pygments with CSS classes, and math is handed to Anki's
built-in MathJax as ``\\(...\\)`` / ``\\[...\\]``.

The note type's own templates (``anki_front.html``, ``anki_back.html``, ``anki_style.css``)
are Jinja files too, but they contain Anki's ``{{Field}}`` syntax, so they are rendered by a
second environment whose delimiters are ``[[ ]]``, ``[% %]`` and ``[# #]``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from pygments import format as pygments_format
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, TextLexer, get_lexer_by_name
from pygments.token import Text as TextToken
from pygments.util import ClassNotFound

from generator.cloze import ClozeSpot, resolve_marks
from generator.config import Config
from generator.errors import BuildError
from generator.markdown import md_parser, parse_markdown
from generator.model import SECTION_NAMES, BuiltCard, Figure
from generator.order import anki_subdeck
from generator.tags import note_tags

# The note type. Field order is part of Anki's schema: changing it (or a name) makes Anki
# treat the package's note type as a different one (see docs/anki.md).
FIELD_NAMES: tuple[str, ...] = (
    "Question", *SECTION_NAMES, "Code", "Output", "Provenance", "Id",
)
TEMPLATE_NAME = "PREP"
# The cloze note type (one note per ``cloze:`` mark): the same rules apply to its schema.
CLOZE_FIELD_NAMES: tuple[str, ...] = ("Text", "Context", "Output", "Provenance", "Id")
CLOZE_TEMPLATE_NAME = "Cloze"
LIGHT_STYLE = "default"
NIGHT_STYLE = "github-dark"
_NIGHT_SCOPES = (".nightMode", ".night_mode")
_VERSION_NAMES = {"python": "Python", "sklearn": "scikit-learn"}


@dataclass(frozen=True)
class NoteTypeSpec:
    """Everything Anki stores about the note type, as plain data (no genanki here)."""

    name: str
    fields: tuple[str, ...]
    template_name: str
    front: str  # Anki's qfmt
    back: str  # Anki's afmt
    css: str
    cloze: bool = False  # Anki's cloze note type: one card per {{c1::...}} in the Text field


@dataclass(frozen=True)
class RenderedCard:
    """One card as an Anki note: HTML fields in note-type order, deck and tags."""

    built: BuiltCard
    card_id: str
    deck: str  # the full Anki deck name: "<deck name>::<subdeck>"
    tags: tuple[str, ...]  # sorted, automatic ones included
    fields: tuple[tuple[str, str], ...]  # (field name, HTML), in its note type's field order
    cloze: ClozeSpot | None = None  # set for a cloze note: the mark it blanks

    def field(self, name: str) -> str:
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)

    @property
    def location(self) -> str:
        return str(self.built.card.location)


# --- Markdown and code ----------------------------------------------------------------------


class _AnkiRenderer(RendererHTML):
    """markdown-it's HTML renderer with math for Anki's MathJax and Pygments for fences.

    markdown-it-py collects every public method whose name is a token type as a render rule.
    """

    def math_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        return f"\\({_escape(tokens[idx].content)}\\)"

    def math_inline_double(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                           env: EnvType) -> str:
        return f"\\[{_escape(tokens[idx].content)}\\]"

    def math_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
        return f'<div class="math-display">\\[{_escape(tokens[idx].content.strip())}\\]</div>\n'

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        token = tokens[idx]
        lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else "text"
        return str(highlight_code(token.content, lang))

    def code_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                   env: EnvType) -> str:
        return str(highlight_code(tokens[idx].content, "text"))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


@lru_cache(maxsize=1)
def _renderer() -> _AnkiRenderer:
    return _AnkiRenderer(md_parser())


# Anki rewrites some markup inside field *content*: ``[sound:x]`` becomes a player and
# ``[latex]``/``[$]`` become generated images. Card text must show them literally, so their
# opening bracket is written as an entity. ``{{`` cannot reach Anki's template engine from a
# field, but it is escaped too so that a rendered card never shows a bare ``{{``.
_ANKI_MARKUP = re.compile(r"\[(?=sound:|latex\]|/latex\]|\$\$?\]|/\$\$?\])")


def _defuse(html_text: str) -> str:
    return _ANKI_MARKUP.sub("&#91;", html_text).replace("{{", "&#123;&#123;")


def markdown_to_html(text: str) -> Markup:
    """Block Markdown (a PREP section) -> HTML; raw HTML in ``text`` comes out escaped."""
    md = md_parser()
    return Markup(_defuse(_renderer().render(parse_markdown(text), md.options, {})))


def inline_markdown_to_html(text: str) -> Markup:
    """One line of Markdown (the question) -> HTML without a surrounding ``<p>``."""
    md = md_parser()
    return Markup(_defuse(_renderer().render(md.parseInline(text), md.options, {})))


_TAG = re.compile(r"<[^>]*>")


# Pygments ships no type stubs: its classes are Any to mypy (types-Pygments would make it generic).
class _WrappedLinesFormatter(HtmlFormatter):  # type: ignore[misc, type-arg, unused-ignore]
    """Pygments HTML with each source line in its own ``<span class="cl">``.

    The note type's CSS wraps long lines on narrow screens: a line's continuation rows are
    indented past the line's own indentation (``--ind``, in characters) and marked with a
    continuation sign, so nothing is hidden in a sideways-scrolling box on a phone.
    Pygments closes every token span at the end of a line, so each line is balanced HTML.
    """

    def wrap(self, source: Iterable[tuple[int, str]]) -> Any:
        return super().wrap(self._wrap_lines(source))

    @staticmethod
    def _wrap_lines(source: Iterable[tuple[int, str]]) -> Iterable[tuple[int, str]]:
        for kind, line in source:
            if kind != 1:
                yield kind, line
                continue
            body = line.rstrip("\n")
            text = html.unescape(_TAG.sub("", body))
            indent = len(text) - len(text.lstrip(" "))
            yield kind, f'<span class="cl" style="--ind:{indent}">{body}</span>' + line[len(body):]


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter[str]:
    # ``tex2jax_ignore``: Anki's MathJax must not read ``\(`` in a regex as math.
    return _WrappedLinesFormatter(cssclass="highlight tex2jax_ignore", wrapcode=True)


def highlight_code(code: str, lang: str = "python") -> Markup:
    """Code -> Pygments HTML with CSS classes (colours come from the note type's CSS)."""
    try:
        lexer = PythonLexer() if lang in ("python", "py") else get_lexer_by_name(lang)
    except ClassNotFound:
        lexer = TextLexer()
    return Markup(_defuse(pygments_highlight(code.rstrip() + "\n", lexer, _formatter())))


def pygments_css(style: str, scopes: Iterable[str] = ("",),
                 reset_from: str | None = None) -> str:
    """Pygments rules for ``.highlight`` (background and tokens), under every scope.

    Only the token and background rules: the global ``pre`` and line-number rules of
    ``get_style_defs`` would leak out of the scope. ``reset_from``: another style whose token
    classes this one lacks get neutral rules, so no light colour survives in night mode.
    """
    selectors = [f"{scope} .highlight".strip() for scope in scopes]
    formatter = HtmlFormatter(style=style)
    rules = [*formatter.get_background_style_defs(selectors),
             *formatter.get_token_style_defs(selectors)]
    if reset_from is not None:
        have = set(_TOKEN_CLASS.findall("\n".join(rules)))
        other = HtmlFormatter(style=reset_from).get_token_style_defs(".highlight")
        missing = sorted(set(_TOKEN_CLASS.findall("\n".join(other))) - have)
        rules += [", ".join(f"{sel} .{cls}" for sel in selectors)
                  + " { color: inherit; background-color: transparent; font-weight: inherit;"
                  " font-style: inherit }" for cls in missing]
    return "\n".join(rules)


_TOKEN_CLASS = re.compile(r"\.highlight \.([\w-]+) \{")


# --- Jinja ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def get_env() -> Environment:
    """The environment for field content: StrictUndefined, autoescape, markdown/highlight."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["markdown"] = markdown_to_html
    env.filters["inline_markdown"] = inline_markdown_to_html
    env.filters["highlight"] = highlight_code
    return env


@lru_cache(maxsize=1)
def get_note_type_env() -> Environment:
    """The environment for Anki's own templates and CSS: ``[[ ]]`` so ``{{Field}}`` stays."""
    return Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
    )


def note_type_spec(config: Config) -> NoteTypeSpec:
    """The PREP note type: fields, the one card template (front/back) and the CSS."""
    env = get_note_type_env()
    css = env.get_template("anki_style.css").render(
        light_style=LIGHT_STYLE,
        night_style=NIGHT_STYLE,
        pygments_light=Markup(pygments_css(LIGHT_STYLE)),
        pygments_night=Markup(pygments_css(NIGHT_STYLE, _NIGHT_SCOPES, reset_from=LIGHT_STYLE)),
    )
    return NoteTypeSpec(
        name=f"PREP ({config.name})",
        fields=FIELD_NAMES,
        template_name=TEMPLATE_NAME,
        front=env.get_template("anki_front.html").render().strip() + "\n",
        back=env.get_template("anki_back.html").render(sections=SECTION_NAMES).strip() + "\n",
        css=css.strip() + "\n",
    )


def cloze_note_type_spec(config: Config) -> NoteTypeSpec:
    """The cloze note type: PREP's CSS (phone layout, night mode) plus the hole's style."""
    env = get_note_type_env()
    css = note_type_spec(config).css + "\n" + env.get_template("anki_cloze.css").render().strip()
    return NoteTypeSpec(
        name=f"PREP cloze ({config.name})",
        fields=CLOZE_FIELD_NAMES,
        template_name=CLOZE_TEMPLATE_NAME,
        front=env.get_template("anki_cloze_front.html").render().strip() + "\n",
        back=env.get_template("anki_cloze_back.html").render().strip() + "\n",
        css=css.strip() + "\n",
        cloze=True,
    )


def spec_for(card: RenderedCard, config: Config) -> NoteTypeSpec:
    """The note type of a rendered note."""
    return cloze_note_type_spec(config) if card.cloze is not None else note_type_spec(config)


# --- Cards ----------------------------------------------------------------------------------


def check_verified(built_cards: Iterable[BuiltCard], *, allow_unverified_gpu: bool = False) -> None:
    """Raise ``BuildError`` naming every card whose snippets are unverified, failed or stale.

    Every (snippet, device) the card asks for must have a passed verification of that very
    snippet, card and device; a missing one on ``cuda`` is accepted only when
    ``allow_unverified_gpu`` (the card then says "not verified on a GPU").
    """
    problems: list[str] = []
    for built in built_cards:
        card = built.card
        seen = {(s.ref.path, s.device) for s in built.snippets}
        for ref in card.snippets:
            for device in card.requires:
                if (ref.path, device) not in seen:
                    problems.append(f"{ref.location}: {ref.path} has no verification on {device}")
        for result in built.snippets:
            where = f"{result.ref.location}: {result.ref.path} on {result.device}"
            v = result.verification
            if v is None:
                if not (allow_unverified_gpu and result.device == "cuda"):
                    problems.append(f"{where} is not verified")
            elif not v.passed:
                reason = f": {v.message}" if v.message else ""
                problems.append(f"{where} {v.status}{reason}")
            elif (v.card_id, v.snippet, v.device) != (card.id, result.ref.source_path,
                                                       result.device):
                problems.append(f"{where} is stale: its verification is for card {v.card_id}, "
                                f"{v.snippet} on {v.device}")
    if problems:
        raise BuildError(
            "refusing to write a package with unverified snippets; run `deck verify` "
            "and fix these:\n" + "\n".join(f"  {p}" for p in problems)
        )


def deck_name(built: BuiltCard, config: Config) -> str:
    """The card's full Anki deck name, ``<deck name>::<subdeck>`` (numbered by study order)."""
    sub = built.subdeck.strip()
    if sub == config.name or sub.startswith(config.name + "::"):
        return sub
    return f"{config.name}::{anki_subdeck(sub, config)}" if sub else config.name


def _versions(pairs: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{_VERSION_NAMES.get(name, name)} {version}" for name, version in pairs)


_DEVICE_NAME = re.compile(r"\bDEVICE\b")


def card_figures(built: BuiltCard) -> list[tuple[str, Figure]]:
    """(snippet path, figure) for every figure the card shows, in snippet order: figures of
    passed runs only, each content-addressed file once (a cpu and a cuda run may draw the
    same)."""
    found: dict[str, tuple[str, Figure]] = {}
    for result in built.snippets:
        v = result.verification
        if v is not None and v.passed:
            for figure in v.figures:
                found.setdefault(figure.media_name, (result.ref.source_path, figure))
    return list(found.values())


def _snippet_context(built: BuiltCard) -> dict[str, Any]:
    snippets: dict[str, dict[str, Any]] = {}
    outputs: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for result in built.snippets:
        v = result.verification
        snippet = snippets.setdefault(result.ref.source_path, {
            "path": result.ref.source_path,
            "code": result.code,
            "uses_device": bool(_DEVICE_NAME.search(result.code)),
            "devices": [],
            "unverified_gpu": False,
            "checked_on_cpu": False,
        })
        snippet["devices"].append(result.device)
        if v is None:
            snippet["unverified_gpu"] = True
        elif result.device == "cpu":
            snippet["checked_on_cpu"] = True
        if v is not None and v.stdout.strip():
            outputs.append({
                "label": f"{result.ref.source_path} on {result.device}",
                "stdout": v.stdout.rstrip("\n"),
            })
        lines.append({
            "path": result.ref.source_path,
            "verified": v is not None,
            "versions": _versions(v.versions) if v is not None else "",
            "device": result.device,
            "gpu_name": v.gpu_name if v is not None else None,
        })
    return {
        "snippets": list(snippets.values()),
        "outputs": outputs,
        "figures": [{"src": figure.media_name, "alt": f"{figure.name}, drawn by {path}"}
                    for path, figure in card_figures(built)],
        "labelled": len(outputs) > 1,
        "lines": lines,
    }


def render_card(built: BuiltCard, config: Config) -> RenderedCard:
    """HTML for every field of the card's note, its full deck name and its tags."""
    card = built.card
    env = get_env()
    ctx = _snippet_context(built)
    fields: dict[str, str] = {"Question": str(inline_markdown_to_html(card.question))}
    for name in SECTION_NAMES:
        section = card.section(name)
        if section is None:
            raise BuildError(f"card has no '## {name}' section (run `deck check`)",
                             card.location)
        fields[name] = str(markdown_to_html(section.body)).strip()
    if built.snippets:
        fields["Code"] = env.get_template("anki_code.html.j2").render(ctx).strip()
        fields["Output"] = env.get_template("anki_output.html.j2").render(ctx).strip()
        fields["Provenance"] = env.get_template("anki_provenance.html.j2").render(ctx).strip()
    else:
        fields["Code"] = fields["Output"] = fields["Provenance"] = ""
    fields["Id"] = _escape(card.id)
    return RenderedCard(
        built=built,
        card_id=card.id,
        deck=deck_name(built, config),
        tags=note_tags(built, config),
        fields=tuple((name, fields[name]) for name in FIELD_NAMES),
    )


def write_media(rendered: Sequence[RenderedCard], folder: Path) -> list[str]:
    """Write every figure the notes show into ``folder`` under its content-addressed name;
    the paths, sorted (the package's media list, so the same notes give the same zip)."""
    paths: dict[str, Path] = {}
    for card in rendered:
        for _, figure in card_figures(card.built):
            if figure.media_name not in paths:
                paths[figure.media_name] = folder / figure.media_name
                paths[figure.media_name].write_text(figure.svg, encoding="utf-8", newline="")
    return [str(paths[name]) for name in sorted(paths)]
# Stand-ins for Anki's cloze markers while Pygments formats the code (private-use characters:
# never in a snippet, never escaped). They travel as tokens of their own, so every token span
# is closed before the hole opens and the hole holds whole spans: Anki can cut it out cleanly.
_HOLE_OPEN, _HOLE_CLOSE = "\ue000", "\ue001"
_HTML_TEXT = re.compile(r"(<[^>]*>)")


def _cloze_safe(html_text: str) -> str:
    """Hide ``:``, ``{`` and ``}`` of the text (not of the tags) from Anki's cloze parser:
    ``x[::2]`` or ``{"a": {}}`` inside a hole would otherwise start a hint or close it."""
    parts = _HTML_TEXT.split(html_text)
    for i in range(0, len(parts), 2):
        parts[i] = (parts[i].replace(":", "&#58;").replace("{", "&#123;")
                    .replace("}", "&#125;"))
    return "".join(parts)


def cloze_code_html(code: str, start: int, end: int, hint: str | None = None) -> Markup:
    """Highlighted code (as ``highlight_code``) with ``code[start:end]`` as Anki's cloze 1."""
    source = code.rstrip() + "\n"
    tokens = list(PythonLexer().get_tokens(source))
    # Pygments drops leading blank lines: shift the hole with them.
    shift = len(source) - len(source.lstrip("\n"))
    first, last = start - shift, end - shift
    if "".join(v for _, v in tokens)[first:last] != code[start:end] or first >= last:
        raise BuildError(f"cannot place the cloze hole on {code[start:end]!r}")
    marked: list[tuple[Any, str]] = []
    pos = 0
    for ttype, value in tokens:
        cut = pos
        for at, marker in ((first, _HOLE_OPEN), (last, _HOLE_CLOSE)):
            if pos <= at < pos + len(value):
                if at > cut:
                    marked.append((ttype, value[cut - pos:at - pos]))
                marked.append((TextToken, marker))
                cut = at
        if cut < pos + len(value):
            marked.append((ttype, value[cut - pos:]))
        pos += len(value)
    html_text = _cloze_safe(_defuse(pygments_format(marked, _formatter())))
    hint_text = "::" + _cloze_safe(_escape(hint)) if hint else ""
    return Markup(html_text.replace(_HOLE_OPEN, "{{c1::").replace(_HOLE_CLOSE, hint_text + "}}"))


def render_cloze_notes(built: BuiltCard, parent: RenderedCard,
                       config: Config) -> list[RenderedCard]:
    """One cloze note per ``cloze:`` mark of the card: in its deck, with its tags plus
    ``<prefix>::cloze``.

    The code is the verified code (``built.snippets``), so the answer is exactly what ran.
    """
    card = built.card
    if not card.cloze:
        return []
    codes: dict[str, str] = {}
    for result in built.snippets:
        codes.setdefault(result.ref.path, result.code)
    spots, problems = resolve_marks(card, codes)
    if problems:
        raise BuildError("cloze marks do not match the verified code (run `deck check`): "
                         + "; ".join(str(p) for p in problems), card.location)
    env = get_env()
    notes = []
    for spot in spots:
        results = tuple(r for r in built.snippets if r.ref.path == spot.snippet.path)
        ctx = _snippet_context(BuiltCard(card, built.subdeck, results))
        code = codes[spot.snippet.path]
        fields = {
            "Text": env.get_template("anki_cloze_text.html.j2").render(
                path=spot.snippet.source_path,
                code=cloze_code_html(code, spot.start, spot.end, spot.hint)).strip(),
            "Context": parent.field("Question"),
            "Output": env.get_template("anki_output.html.j2").render(ctx).strip(),
            "Provenance": env.get_template("anki_provenance.html.j2").render(ctx).strip(),
            "Id": _escape(spot.key),
        }
        notes.append(RenderedCard(
            built=built, card_id=spot.key, deck=parent.deck,
            tags=tuple(sorted({*parent.tags, f"{config.tag_prefix}::cloze"})),
            fields=tuple((name, fields[name]) for name in CLOZE_FIELD_NAMES), cloze=spot))
    return notes


def render_cards(built_cards: Iterable[BuiltCard], config: Config) -> list[RenderedCard]:
    """Every note of the package, sorted by id: each card's PREP note, then its cloze notes."""
    notes = []
    for built in built_cards:
        parent = render_card(built, config)
        notes += [parent, *render_cloze_notes(built, parent, config)]
    return sorted(notes, key=lambda r: r.card_id)
