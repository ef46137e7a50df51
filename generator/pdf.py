"""Printable PDFs: duplex flashcards to cut out, and a 3-column cheat sheet.

Stages: cards -> Typst markup (``typst_markup``) -> formulas checked -> backs measured ->
cards packed onto sheets (fronts, then mirrored backs) -> Jinja writes the ``.typ`` sources
-> Typst compiles them -> both files replace the old ones only when both compiled.

Typst runs with its bundled fonts only and ``#set document(date: none)``: the same cards give
the same bytes on any machine. See docs/printing.md for the layout and the overflow rule.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import typst

from generator.config import Config
from generator.errors import BuildError, shown
from generator.fsutil import work_dir, write_atomic
from generator.model import BuiltCard, Figure, Location, SnippetResult
from generator.order import study_key
from generator.typst_markup import (
    CONVERSION_ID,
    MathTable,
    escape_markup,
    formula_hint,
    highlight,
    inline_to_typst,
    markdown_to_typst,
    parsed,
    raw,
    string_literal,
)

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
MAX_OUTPUT_LINES = 12  # verified output printed on a card; the rest is counted, not shown
MAX_OUTPUT_LINE_CHARS = 400
CHEAT_TEXT_CHARS = 260  # principle / pitfall on the cheat sheet: first paragraph, cut at a sentence
CHEAT_KEY_LINES = 3
LONG_QUESTION = 300  # characters of markup; only longer questions are measured (and shrunk)
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
# Many printers cannot print within about 5 mm of the sheet's edge: nothing is printed there
# (a card's padding is at least EDGE_MM; cut lines stop that far from the edge).
EDGE_MM = 5.5
CODE_PT = 7.0  # code and verified output, in both PDFs; smaller is hard to read on paper
TYPST_PAPER = {"a4": "a4", "letter": "us-letter"}
VERSION_NAMES = {"python": "Python"}


@dataclass(frozen=True)
class Overflow:
    """A card whose back does not fit one cell, and what the build did about it."""

    card_id: str
    location: Location
    needed_mm: float  # the back's height at single-cell width
    room_mm: float  # the height a cell has for it
    rule: str  # "double cell (a whole row)", maybe with ", shrunk to about 87%"

    def __str__(self) -> str:
        return (f"{self.location}: warning: back of card '{self.card_id}' does not fit one card "
                f"({self.needed_mm:.0f} mm of text, {self.room_mm:.0f} mm of room): printed on "
                f"a {self.rule}")


@dataclass(frozen=True)
class PdfReport:
    """What ``write_pdfs`` wrote and what it had to warn about."""

    cards_pdf: Path
    cheatsheet_pdf: Path
    cards: int
    card_pages: int
    cheatsheet_pages: int
    overflows: tuple[Overflow, ...]
    warnings: tuple[str, ...]  # ``path:line: warning: ...`` lines (overflows included)
    seconds: float


@dataclass(frozen=True)
class TypstSources:
    """The Typst source of each PDF, with what the layout found on the way."""

    cards: str
    cheatsheet: str
    overflows: tuple[Overflow, ...]
    warnings: tuple[str, ...]
    card_pages: int


@dataclass(frozen=True)
class Geometry:
    """A sheet of cards: the page, the grid of cells and the type sizes."""

    page_w: float
    page_h: float
    cols: int
    rows: int
    pad: float
    question_pt: float
    body_pt: float
    small_pt: float
    line_mm: float = 2.6  # the small-print line at the top and at the bottom of a card
    gap_mm: float = 1.2  # between those lines and the card's body
    code_pt: float = CODE_PT

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def body_mm(self) -> float:
        """The height a card's back has for its body (card-parts.typ: ``body-h``)."""
        return self.page_h / self.rows - 2 * self.pad - 2 * self.line_mm - 2 * self.gap_mm


def geometry(config: Config) -> Geometry:
    """The grid for ``[pdf] paper`` and ``cards_per_page`` (4: A6 cards on A4; 8: 2 x 4)."""
    w, h = PAPER_MM[config.paper]
    if config.cards_per_page == 8:
        return Geometry(w, h, 2, 4, EDGE_MM, 10.0, 7.0, 4.6)
    return Geometry(w, h, 2, 2, EDGE_MM, 13.0, 7.8, 5.0)


# --- Jinja -------------------------------------------------------------------------------


class Typ(str):
    """A fragment of Typst source that is already escaped (the renderer's output)."""


def _finalize(value: Any) -> str:
    # The autoescape of this environment: a plain string printed into a template is user
    # text and is escaped for markup mode; only ``Typ`` fragments pass through as they are.
    if isinstance(value, Typ):
        return str(value)
    if isinstance(value, bool):
        raise TypeError("print booleans with the 'typbool' filter")
    if isinstance(value, (int, float)):
        return repr(value)
    return escape_markup(str(value))


def _trusted(value: Any) -> Typ:
    # ``| typ`` prints renderer output as it is; a plain string there would be user text
    # reaching Typst unescaped, so it is refused.
    if not isinstance(value, Typ):
        raise TypeError(f"'typ' filter on a plain {type(value).__name__}: escape it instead")
    return value


@lru_cache(maxsize=1)
def get_env() -> jinja2.Environment:
    """The Jinja environment for the ``.typ`` templates (strict, escaping by default)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # HTML escaping is wrong for Typst; ``_finalize`` escapes instead
        finalize=_finalize,
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
    )
    env.filters["lit"] = lambda s: Typ(string_literal(str(s)))
    env.filters["typ"] = _trusted
    env.filters["typbool"] = lambda b: Typ("true" if b else "false")
    return env


# --- cards -> markup ---------------------------------------------------------------------


@dataclass(frozen=True)
class _CardMarkup:
    id: str
    deck: str
    location: Location
    question: Typ  # Typst markup, escaped
    back: Typ
    provenance: Typ
    number: int  # the card's place in the study order, printed instead of its id on the front
    gpu: str  # "": no GPU code; "verified" or "unverified" (on a GPU)


def _trim_output(stdout: str) -> tuple[str, str]:
    """The output as printed and a note saying what was left out (``''`` when nothing)."""
    lines = stdout.rstrip("\n").split("\n")
    shown = lines[:MAX_OUTPUT_LINES]
    cut_chars = any(len(line) > MAX_OUTPUT_LINE_CHARS for line in shown)
    shown = [line[:MAX_OUTPUT_LINE_CHARS] + ("…" if len(line) > MAX_OUTPUT_LINE_CHARS else "")
             for line in shown]
    notes = []
    if len(lines) > MAX_OUTPUT_LINES:
        more = len(lines) - MAX_OUTPUT_LINES
        notes.append(f"{more} more line{'s' if more != 1 else ''} of output not printed")
    if cut_chars:
        notes.append("long lines cut at …")
    return "\n".join(shown), "; ".join(notes)


def _versions(result: SnippetResult) -> str:
    v = result.verification
    if v is None:
        return ""
    # A local version label ("2.13.0+cpu") names the machine's build, not the version.
    keep = [f"{VERSION_NAMES.get(name, name)} {ver.split('+')[0]}" for name, ver in v.versions
            if name in ("python", "torch", "numpy")]
    return ", ".join(keep)


def gpu_status(snippets: Sequence[SnippetResult]) -> str:
    """``""`` for a card without GPU code, else ``"verified"`` or ``"unverified"``."""
    gpu = [s for s in snippets if s.device == "cuda"]
    if not gpu:
        return ""
    return "verified" if all(s.verification is not None for s in gpu) else "unverified"


def _provenance(snippets: Sequence[SnippetResult]) -> str:
    """The small print under a back: where the output comes from (the GPU mark is apart).
    Devices verified with the same versions share them: "verified on cpu and cuda (H100): ..."."""
    if not snippets:
        return escape_markup("no code on this card")
    verified: dict[str, list[str]] = {}  # versions -> devices
    others: list[str] = []
    for s in snippets:
        v = s.verification
        if v is None:
            others.append(f"{s.device}: not run")
        elif not v.passed:
            others.append(f"{s.device}: verification {v.status}")
        else:
            device = s.device + (f" ({v.gpu_name})" if v.gpu_name else "")
            devices = verified.setdefault(_versions(s), [])
            if device not in devices:
                devices.append(device)
    parts = [f"verified on {' and '.join(devices)}" + (f": {versions}" if versions else "")
             for versions, devices in verified.items()]
    return escape_markup(" · ".join(dict.fromkeys(parts + others)))


def _snippet_groups(snippets: Sequence[SnippetResult]) -> list[list[SnippetResult]]:
    """One group per linked file: a snippet run on cpu and cuda prints its code once."""
    groups: dict[str, list[SnippetResult]] = {}
    for s in snippets:
        groups.setdefault(s.ref.path, []).append(s)
    return list(groups.values())


FIGURE_MM = 58.0  # a figure's printed width: legible on an A6 back, as big on a double cell


def _figures(results: Sequence[SnippetResult]) -> list[Figure]:
    """The figures of passed runs, each content-addressed file once."""
    found: dict[str, Figure] = {}
    for s in results:
        if s.verification is not None and s.verification.passed:
            for figure in s.verification.figures:
                found.setdefault(figure.media_name, figure)
    return list(found.values())


def _figure_markup(figure: Figure) -> str:
    """The figure, with its file name as the image's alternative text (tagged PDF)."""
    return (f"#snippet-figure({string_literal(figure.svg)}, {FIGURE_MM:g}mm, "
            f"{string_literal('figure ' + figure.media_name)})")


_SVG_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"')


def figure_aspect(figure: Figure) -> float:
    """Height over width of an SVG (matplotlib's ``width="..pt" height="..pt"``)."""
    m = _SVG_SIZE.search(figure.svg[:4096])
    if m is None or float(m.group(1)) <= 0:
        return 1.0
    return float(m.group(2)) / float(m.group(1))


def _snippet_markup(results: Sequence[SnippetResult]) -> str:
    code = highlight(results[0].code.rstrip("\n"), "python")
    out = "\n\n".join(_output_markup(s) for s in results)
    figs = "\n\n".join(_figure_markup(f) for f in _figures(results))
    label = results[0].ref.path
    if re.search(r"\bDEVICE\b", results[0].code):
        devices = " and ".join(f'"{s.device}"' for s in results)
        label += f" · DEVICE: {devices}, one run each"
    figs_arg = f", figs: [{figs}]" if figs else ""
    return f"#snippet([{escape_markup(label)}], [{code}], [{out}]{figs_arg})"


def _output_markup(s: SnippetResult) -> str:
    if s.verification is None:
        # The words of the Anki card's note (render.py), so both say the same.
        why = ("No GPU has run this code yet" if s.device == "cuda"
               else f"This code has not run on {s.device}")
        out = "#text(size: 0.8em, fill: luma(60))[" + escape_markup(
            f"{why}, so it has no {s.device} output here.") + "]"
    else:
        v = s.verification
        status = "" if v.passed else "#marker[" + escape_markup(f"verification {v.status}") + "] "
        if v.stdout.strip():
            shown, note = _trim_output(v.stdout)
            label = escape_markup(f"Output ({v.device})" + (f", {note}" if note else ""))
            out = (status + f"#text(size: 0.8em, fill: luma(60))[{label}]\n"
                   f"#outblock({raw(shown, block=True)[1:]})")
        else:
            out = status + "#text(size: 0.8em, fill: luma(60))[" + escape_markup(
                f"(prints nothing; checked by its asserts on {v.device})") + "]"
    return out


def _card_markup(built: BuiltCard, formulas: MathTable, number: int) -> _CardMarkup:
    card = built.card
    card_id = card.id
    qloc = card.question_location
    question = inline_to_typst(card.question, formulas, qloc)
    parts: list[str] = []
    for section in card.sections:
        body = markdown_to_typst(section.body, formulas, Location(card.path, section.body_line))
        parts.append(f"#sec({string_literal(section.name)})[{body}]")
    parts += [_snippet_markup(group) for group in _snippet_groups(built.snippets)]
    return _CardMarkup(card_id, built.subdeck, card.location, Typ(question),
                       Typ("\n".join(parts)), Typ(_provenance(built.snippets)), number,
                       gpu_status(built.snippets))


# --- formulas ----------------------------------------------------------------------------

_DIAG_LINE = re.compile(r"┌─ [^\n]*?:(\d+):(\d+)")


def _compiler_kwargs() -> dict[str, Any]:
    # Bundled fonts only (Libertinus Serif, New Computer Modern (Math), DejaVu Sans Mono).
    return {"font_paths": [], "ignore_system_fonts": True}


def _check_formulas(formulas: MathTable, root: Path) -> list[str]:
    """Compile the formulas alone; each one Typst rejects is printed as TeX. Warnings out."""
    warnings: list[str] = []
    for f in formulas.formulas:
        if f.typst is None:
            warnings.append(f"{f.location}: warning: cannot convert formula to Typst math, "
                            f"printed as TeX source: {shown(f.tex)}")
    for _ in range(len(formulas.formulas) + 1):
        prefix = "#set page(width: 12cm, height: auto, margin: 2mm)\n"
        src = prefix + formulas.definition() + "\n#for f in fm { f; linebreak() }\n"
        try:
            typst.compile(src.encode(), root=str(root), **_compiler_kwargs())
            return warnings
        except OSError as err:
            raise BuildError(_lost_root(root, err)) from None
        except typst.TypstError as err:
            m = _DIAG_LINE.search(getattr(err, "diagnostic", "") or "")
            index = int(m.group(1)) - 3 if m else -1  # line 1: page, line 2: "#let fm = ("
            if not 0 <= index < len(formulas.formulas) or formulas.formulas[index].typst is None:
                raise BuildError(f"Typst rejected the formula table: {err}") from None
            f = formulas.formulas[index]
            warnings.append(f"{f.location}: warning: Typst cannot typeset formula "
                            f"({err.message}), printed as TeX source: {shown(f.tex)}"
                            f"{formula_hint(f.tex, err.message)}")
            formulas.reject(index)
    raise BuildError("formula check did not converge")


# --- layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    index: int  # into the card list
    span: int  # 1 or 2 (a double cell: a whole row)


def pack_rows(spans: Sequence[int], cols: int = 2) -> list[list[_Cell]]:
    """Cards -> rows of cells, in order; a double card takes a whole row, and the next single
    card fills a row a double card left half empty."""
    rows: list[list[_Cell]] = []
    open_row: int | None = None
    for i, span in enumerate(spans):
        if span >= cols:
            rows.append([_Cell(i, cols)])
        elif open_row is not None:
            rows[open_row].append(_Cell(i, 1))
            if len(rows[open_row]) == cols:
                open_row = None
        else:
            rows.append([_Cell(i, 1)])
            open_row = len(rows) - 1 if cols > 1 else None
    return rows


def sheet_sides(rows: list[list[_Cell]], geo: Geometry, duplex: str
                ) -> list[tuple[list[_Cell | None], list[_Cell | None]]]:
    """Rows -> sheets, each (front cells, back cells) in grid order (row-major).

    Long-edge duplex mirrors each row left-right; short-edge reverses the order of the rows.
    Either way the back of a cell lands behind its front once the sheet is flipped.
    """
    sheets = []
    for start in range(0, max(len(rows), 1), geo.rows):
        page = [list(r) for r in rows[start : start + geo.rows]]
        page += [[] for _ in range(geo.rows - len(page))]
        grid: list[list[_Cell | None]] = []
        for r in page:
            if r and r[0].span == geo.cols:
                grid.append([r[0]])
            else:
                grid.append(list(r) + [None] * (geo.cols - len(r)))
        if duplex == "short":
            back_grid = list(reversed(grid))
        else:
            back_grid = [list(reversed(r)) for r in grid]
        front = [c for r in grid for c in r]
        back = [c for r in back_grid for c in r]
        sheets.append((front, back))
    return sheets


def _double_rows(cells: Sequence[_Cell | None], geo: Geometry) -> list[bool]:
    """For each row of a side (cells in grid order, a double cell once): is it one card?"""
    rows: list[bool] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        double = cell is not None and cell.span == geo.cols
        rows.append(double)
        i += 1 if double else geo.cols
    return rows


# --- cheat sheet -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(`$*_])")


def short_text(md: str, limit: int = CHEAT_TEXT_CHARS) -> str:
    """The first paragraph of a Markdown field, cut at the last sentence end within ``limit``
    characters (after the first sentence if that one is longer); never inside code or math."""
    para = md.strip().split("\n\n")[0].strip()
    if len(para) <= limit:
        return para
    cut: str | None = None
    for m in _SENTENCE_END.finditer(para):
        head = para[: m.start()]
        if head.count("`") % 2 or head.count("$") % 2:
            continue  # inside inline code or math
        if len(head) > limit and cut is not None:
            break
        cut = head
        if len(head) > limit:
            break
    return cut or para


def key_lines(code: str, n: int = CHEAT_KEY_LINES) -> list[str]:
    """A snippet's key lines: those marked ``# key``, else its asserts, else its first lines
    of code (imports and comments skipped)."""
    lines = [line.rstrip() for line in code.splitlines()]
    marked = [line for line in lines if re.search(r"#\s*key\b", line)]
    if marked:
        return marked[:n]
    asserts = [line.strip() for line in lines if line.strip().startswith("assert")]
    if asserts:
        return asserts[:n]
    body = [line for line in lines if line.strip() and not line.lstrip().startswith("#")
            and not re.match(r"\s*(import|from)\s", line)]
    return body[:n]


def _cheat_groups(built_cards: Sequence[BuiltCard], marks: Sequence[_CardMarkup],
                  formulas: MathTable) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for built, mark in zip(built_cards, marks, strict=True):
        card = built.card
        principle = card.section("Principle")
        pitfall = card.section("Pitfall")
        code = "\n".join(line for group in _snippet_groups(built.snippets)
                         for line in key_lines(group[0].code))
        groups.setdefault(built.subdeck, []).append({
            "id": mark.id,
            "number": mark.number,
            "gpu": mark.gpu,
            "question": Typ(mark.question),
            "principle": Typ(markdown_to_typst(
                short_text(principle.body), formulas, Location(card.path, principle.body_line)))
            if principle else Typ(""),
            "pitfall": Typ(markdown_to_typst(
                short_text(pitfall.body), formulas, Location(card.path, pitfall.body_line)))
            if pitfall else None,
            "code": Typ("[" + highlight(code, "python") + "]") if code else None,
        })
    return [{"name": name, "entries": entries} for name, entries in groups.items()]


# --- fitting ------------------------------------------------------------------------------
# Typst measures a back exactly, but measuring costs as much as printing it, so only backs
# that might not fit are measured: an estimate that errs on the high side (wide letters,
# loose lines) clears the rest. tests/test_pdf.py checks that the estimate stays above the
# measured height on varied cards. Tables and TeX environments are always measured.
PT_MM = 25.4 / 72
ESTIMATE_SAFE = 1.0  # a back whose estimate fits this share of the room is not measured
_TALL_MATH = re.compile(r"\\(?:frac|dfrac|sum|prod|int|sqrt|binom|over|begin)|\^\{|_\{")


def estimate_back_mm(built: BuiltCard, geo: Geometry, span: int = 1) -> float:
    """A generous estimate of the height of a card's back (``inf``: measure it)."""
    width = (geo.page_w / geo.cols * span - 2 * geo.pad) / PT_MM  # pt
    size = geo.body_pt
    line = 1.3 * size
    code_line = 1.3 * geo.code_pt
    text_cpl = max(10.0, width / (0.52 * size))
    code_cpl = max(10.0, (width - 8) / (0.61 * geo.code_pt))

    def text_lines(chars: float, cpl: float) -> int:
        return max(1, math.ceil(chars * 1.12 / cpl))

    def code_height(code: str, max_lines: int | None = None) -> float:
        lines = code.rstrip("\n").split("\n")[:max_lines]
        count = sum(max(1, math.ceil(len(line_) / code_cpl)) for line_ in lines)
        return count * code_line + 8 + 0.7 * size

    def inline_chars(tok: Any) -> tuple[float, float]:
        chars, extra = 0.0, 0.0
        for child in tok.children or []:
            text = child.content
            # Capitals and M/W are wider than the average letter the estimate assumes.
            chars += len(text) + 0.45 * sum(ch.isupper() for ch in text) + 0.5 * sum(
                ch in "MWmw@%" for ch in text)
            if child.type.startswith("math_inline"):
                extra += 0.6 * line if _TALL_MATH.search(child.content) else 0.0
                if child.type == "math_inline_double":
                    extra += 2.5 * line
        return chars, extra

    total = 0.0
    for section in built.card.sections:
        tokens = parsed(section.body)
        chars_before = len(section.name) + 3.0  # the run-in label
        depth = 0
        for i, tok in enumerate(tokens):
            if tok.type in ("table_open", "html_block") or (
                tok.type == "math_block" and ("\\begin" in tok.content or "\\\\" in tok.content)
            ):
                return math.inf
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif tok.type == "list_item_open":
                total += 0.4 * size
            elif tok.type == "inline":
                chars, extra = inline_chars(tok)
                cpl = text_cpl * max(0.3, 1 - depth * 0.08)
                heading = tokens[i - 1].type == "heading_open"
                total += text_lines(chars + chars_before, cpl) * line + extra + 0.65 * size
                total += 0.5 * line if heading else 0.0
                chars_before = 0.0
            elif tok.type in ("fence", "code_block"):
                total += code_height(tok.content)
            elif tok.type == "math_block":
                total += (3.0 + 1.2 * len(_TALL_MATH.findall(tok.content))) * line
            elif tok.type == "hr":
                total += line
        total += 0.8 * size
    for group in _snippet_groups(built.snippets):
        total += line + code_height(group[0].code)
    for group in _snippet_groups(built.snippets):
        for figure in _figures(group):
            total += 1.1 * min(FIGURE_MM / PT_MM, width) * figure_aspect(figure) + line
    for snippet in built.snippets:
        v = snippet.verification
        if v is not None and v.stdout.strip():
            total += line + code_height(_trim_output(v.stdout)[0], MAX_OUTPUT_LINES)
        else:
            total += 2 * line
    return total * PT_MM


# --- compile and write -------------------------------------------------------------------


def _lost_root(root: Path, err: OSError) -> str:
    # Typst checks its (empty) project root on every call: an OSError means the folder went.
    cause = re.sub(r" \(os error \d+\)$", "", str(err.strerror or err))  # Rust's suffix
    return (f"Typst could not use its work folder {root} ({cause}): something removed it "
            "during the build; build again")


def _compile(src: str, root: Path, what: str) -> bytes:
    try:
        # No PDF tags: they add nothing to a printout and make the file four times larger
        # (7.4 MB instead of 1.9 MB for 1,000 cards); the Anki deck is the accessible format.
        pdf, warns = typst.compile_with_warnings(src.encode("utf-8"), root=str(root),
                                                 pdf_tags=False, **_compiler_kwargs())
    except typst.TypstError as err:
        raise BuildError(f"Typst failed on the {what}: {getattr(err, 'diagnostic', err)}") \
            from None
    except OSError as err:
        raise BuildError(_lost_root(root, err)) from None
    for w in warns:
        log.info("typst (%s): %s", what, getattr(w, "message", w))
    assert isinstance(pdf, bytes)
    return pdf


def _measure(cells: Sequence[_CardMarkup], common: dict[str, Any], root: Path
             ) -> list[dict[str, float]]:
    src = get_env().get_template("measure.typ").render(cells=cells, **common)
    try:
        out = typst.query(src.encode("utf-8"), "<m>", field="value", format="json",
                          root=str(root), **_compiler_kwargs())
    except (typst.TypstError, RuntimeError) as err:  # query() raises a plain RuntimeError
        raise BuildError(f"Typst failed measuring the cards: {getattr(err, 'diagnostic', err)}") \
            from None
    except OSError as err:
        raise BuildError(_lost_root(root, err)) from None
    values: list[dict[str, float]] = json.loads(out)
    return sorted(values, key=lambda v: v["i"])


# Scripts that none of the bundled fonts (Libertinus Serif, New Computer Modern, DejaVu Sans
# Mono) has glyphs for: Typst prints them as empty boxes and says nothing.
_NO_GLYPHS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH",
              "BOPOMOFO", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "DEVANAGARI", "BENGALI",
              "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM",
              "SINHALA", "ETHIOPIC")


def _lacks_glyph(ch: str) -> bool:
    if 0x1F300 <= ord(ch) <= 0x1FAFF:  # pictographs and emoji
        return True
    return ord(ch) > 0x2000 and unicodedata.name(ch, "").startswith(_NO_GLYPHS)


def missing_glyphs(built: BuiltCard) -> str | None:
    """A warning for the first text of a card that the PDF fonts cannot show, if any."""
    card = built.card
    # (where the text starts, the text, whether its lines map to the card file's lines)
    texts = [(card.question_location, card.question, False)]
    texts += [(Location(card.path, s.body_line), s.body, True) for s in card.sections]
    texts += [(s.ref.location, s.code, False) for s in built.snippets]
    for start, text, by_line in texts:
        for offset, line in enumerate(text.split("\n")):
            ch = next((c for c in line if _lacks_glyph(c)), None)
            if ch is None:
                continue
            where = Location(start.path, start.line + offset) if by_line else start
            return (f"{where}: warning: the PDF fonts have no glyph for {shown(ch)} "
                    f"({unicodedata.name(ch, 'unnamed').lower()}): it prints as an empty box "
                    "in the PDFs (the .apkg shows it); write it in Latin script or accept "
                    "the boxes")
    return None


def render_sources(built_cards: Sequence[BuiltCard], config: Config, *,
                   root: Path | None = None,
                   math_cache: dict[str, str | None] | None = None,
                   on_cheatsheet: Callable[[str], object] | None = None) -> TypstSources:
    """The Typst sources of both PDFs, measuring the backs that may not fit on the way.

    ``on_cheatsheet`` gets the cheat sheet's source as soon as it is ready, before the cards
    are measured and laid out (``write_pdfs`` starts compiling it then)."""
    work = Path(root) if root is not None else TEMPLATES
    geo = geometry(config)
    built_cards = sorted(built_cards, key=lambda b: study_key(b.card, b.subdeck, config))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tex2typst") as converter:
        # Formulas convert in a thread while the cards are rendered (tex2typst frees the GIL).
        formulas = MathTable(cache=math_cache if math_cache is not None else {},
                             executor=converter)
        marks = [_card_markup(b, formulas, n) for n, b in enumerate(built_cards, start=1)]
        cheat_groups = _cheat_groups(built_cards, marks, formulas)
        formulas.resolve()
    warnings = _check_formulas(formulas, work)
    warnings += [w for b in built_cards if (w := missing_glyphs(b)) is not None]
    common = {
        "title": config.name,
        "author": config.name,
        "version": config.version,
        "formulas": Typ(formulas.definition()),
        "g": geo,
        "deck_foot": Typ(escape_markup(f"{config.name} · v{config.version}")),
        "edge_mm": EDGE_MM,
    }
    cheat_src = get_env().get_template("cheatsheet.typ").render(
        groups=cheat_groups, count=len(marks), paper=TYPST_PAPER[config.paper], **common)
    if on_cheatsheet is not None:
        on_cheatsheet(cheat_src)
    room = geo.body_mm
    candidates = [i for i, b in enumerate(built_cards)
                  if estimate_back_mm(b, geo) > ESTIMATE_SAFE * room]
    measured = dict(zip(candidates, _measure([marks[i] for i in candidates], common, work),
                        strict=True)) if candidates else {}
    overflows: list[Overflow] = []
    spans: list[int] = []
    shrink: set[int] = set()
    for i, mark in enumerate(marks):
        m = measured.get(i)
        if m is None or m["h1"] <= m["room"]:
            spans.append(1)
            continue
        spans.append(2)
        rule = "double cell (a whole row)"
        if m["h2"] > m["room"]:
            shrink.add(i)
            rule += f", shrunk to about {max(1, int(100 * m['room'] / m['h2']))}%"
        overflows.append(Overflow(mark.id, mark.location, m["h1"], m["room"], rule))
    sheets = []
    for front, back in sheet_sides(pack_rows(spans, geo.cols), geo, config.duplex):
        def cell(c: _Cell | None) -> dict[str, Any] | None:
            if c is None:
                return None
            mk = marks[c.index]
            return {"id": mk.id, "deck": mk.deck, "number": mk.number, "gpu": mk.gpu,
                    "question": Typ(mk.question),
                    "long": len(mk.question) > LONG_QUESTION,
                    "back": Typ(mk.back), "provenance": Typ(mk.provenance), "span": c.span,
                    "shrink": c.index in shrink}
        sheets.append({"front": [cell(c) for c in front], "back": [cell(c) for c in back],
                       "front_doubles": _double_rows(front, geo),
                       "back_doubles": _double_rows(back, geo)})
    cards_src = get_env().get_template("cards.typ").render(sheets=sheets, **common)
    warnings += [str(o) for o in overflows]
    return TypstSources(cards_src, cheat_src, tuple(overflows), tuple(warnings), 2 * len(sheets))


def write_pdfs(built_cards: Sequence[BuiltCard], config: Config, build_dir: Path, *,
               cache_dir: Path | None = None) -> PdfReport:
    """Write ``<stem>-cards.pdf`` and ``<stem>-cheatsheet.pdf`` into ``build_dir``.

    Both are compiled before either is written; a failure raises ``BuildError`` and leaves
    the previous files untouched. ``cache_dir`` (e.g. ``build/.cache``) keeps TeX -> Typst
    conversions between builds. Overflowing backs and formulas printed as TeX come back as
    warnings (``path:line: warning: ...``); the build prints them.
    """
    started = time.perf_counter()
    cache_path = (Path(cache_dir) / f"tex2typst-{CONVERSION_ID}.json"
                  if cache_dir is not None else None)
    cache = _load_math_cache(cache_path) if cache_path is not None else {}
    size_before = len(cache)
    futures: list[Future[bytes]] = []
    with work_dir() as tmp, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="typst") as pool:
        # An empty project root: the sources read no files, and Typst may read none.
        # The typst wheel releases the GIL while it compiles, so the cheat sheet compiles
        # in a thread while this one measures, lays out and compiles the cards.
        def start_cheatsheet(src: str) -> None:
            futures.append(pool.submit(_compile, src, Path(tmp), "cheat sheet"))

        sources = render_sources(built_cards, config, root=Path(tmp), math_cache=cache,
                                 on_cheatsheet=start_cheatsheet)
        cards_pdf = _compile(sources.cards, Path(tmp), "cards PDF")
        cheat_pdf = futures[0].result()
    cards_path = Path(build_dir) / config.cards_pdf_name
    cheat_path = Path(build_dir) / config.cheatsheet_pdf_name
    write_atomic(cards_path, cards_pdf)
    write_atomic(cheat_path, cheat_pdf)
    if cache_path is not None and len(cache) != size_before:
        _save_math_cache(cache_path, cache)
    return PdfReport(
        cards_pdf=cards_path,
        cheatsheet_pdf=cheat_path,
        cards=len(built_cards),
        card_pages=sources.card_pages,
        cheatsheet_pages=_count_pages(cheat_pdf),
        overflows=sources.overflows,
        warnings=sources.warnings,
        seconds=time.perf_counter() - started,
    )


def _load_math_cache(path: Path) -> dict[str, str | None]:
    """TeX -> Typst conversions from earlier builds (any problem: start empty)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items()
            if isinstance(k, str) and (v is None or isinstance(v, str))}


def _save_math_cache(path: Path, cache: dict[str, str | None]) -> None:
    try:
        data = json.dumps(dict(sorted(cache.items())), ensure_ascii=False, indent=0)
        write_atomic(path, data.encode("utf-8"))
    except OSError as err:  # a cache is a convenience: never fail a build over it
        log.info("cannot write %s: %s", path, err)


def _count_pages(pdf: bytes) -> int:
    # Typst writes one "/Type /Page" object per page (and "/Type /Pages" for the tree).
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
