"""Markdown -> Typst markup: escaping, math conversion, block structure."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pypdf
import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Location
from generator.typst_markup import (
    ZWSP,
    MathTable,
    break_long_words,
    escape_markup,
    highlight,
    inline_to_typst,
    markdown_to_typst,
    normalise_tex,
    replace_emoji,
    safe_math,
    string_literal,
    tex_to_typst,
)

LOC = Location("cards/x.md", 10)
SPECIALS = "# $ * _ ` < > @ = - + / \\ [ ] \" ' ~ ... -- --- // /* */ https://x.org 1. a {b} ;"


def typeset_text(markup: str, math: MathTable | None = None) -> str:
    """Compile markup on a wide page and read the text back."""
    prefix = ("#set page(width: 40cm, height: auto, margin: 1cm)\n"
              "#let subhead(b) = strong(b)\n#let quoteblock(b) = b\n#let codeblock(b) = b\n"
              "#let hl(b) = b\n#let hn(s) = s\n#let hc(s) = s\n"
              "#let codelines(lines) = lines.map(l => l.at(2)).join(linebreak())\n")
    if math is not None:
        prefix += math.definition() + "\n"
    pdf = typst.compile((prefix + markup).encode(), ignore_system_fonts=True)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join(p.extract_text() for p in reader.pages).replace(ZWSP, "")


@pytest.mark.parametrize("text", [
    SPECIALS,
    "= heading? no",
    "- not a list",
    "+ not an enum",
    "/ not: a term",
    "\\u{41} stays",
    "trailing backslash \\",
    "<label> @ref #let x = 1",
])
def test_escape_markup_prints_exactly(text: str) -> None:
    assert typeset_text(escape_markup(text)).strip() == text


def test_string_literal_round_trips() -> None:
    text = 'a "q" \\ b\n\tc'
    assert typst.compile(
        f"#let s = {string_literal(text)}\n#assert(s.len() == {len(text.encode())})".encode(),
        ignore_system_fonts=True,
    )


def test_emoji_print_as_names() -> None:
    assert replace_emoji("ok 🚀✅ done") == "ok [rocket][white heavy check mark] done"
    assert replace_emoji("thumbs 👍🏽\ufe0f") == "thumbs [thumbs up sign]"
    assert replace_emoji("plain é ü → ∑ ✓ ★ 𠀀") == "plain é ü → ∑ ✓ ★ 𠀀"


def test_long_words_get_break_opportunities() -> None:
    word = "x" * 50
    broken = break_long_words(f"a {word} b")
    assert broken.replace(ZWSP, "") == f"a {word} b"
    assert broken.count(ZWSP) == 2
    assert break_long_words("short words only") == "short words only"


@pytest.mark.parametrize("tex", [
    r"\frac{a}{b}", r"\sqrt{x}", r"\sum_{i=1}^n x_i", r"\hat x", r"\mathbb{E}[X]",
    r"\text{softmax}(z)_i", r"\sigma", r"\epsilon", r"\nabla_w L", r"w \leftarrow w - \eta g",
    r"\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}",
])
def test_flagship_formulas_typeset(tex: str) -> None:
    math = MathTable()
    ref = math.ref(tex, False, LOC)
    assert math.formulas[0].typst is not None, tex
    text = typeset_text(ref, math)
    assert "$" not in text and "\\" not in text and "frac" not in text


def test_unconvertible_formula_falls_back_to_tex() -> None:
    assert tex_to_typst(r"\frac{") is None
    math = MathTable()
    ref = math.ref(r"\frac{", False, LOC)
    assert math.entry(0).startswith("raw(")
    assert r"\frac{" in typeset_text(ref, math)


@pytest.mark.parametrize(("typ", "ok"), [
    ("a + b", True),
    ('"text with $ and #"', True),
    ('"a "quote" b"', True),  # lexes as string, ident, string: Typst rejects it, but safely
    ("a $ #read(x)", False),
    ('"unterminated', False),
    ("a // comment", False),
    ("x \\", False),
    ('op("arg max", limits: #true)_x f', True),
    ("#true.x", False),
    ("#trueish", False),
    ("#false(1)", False),
])
def test_safe_math(typ: str, ok: bool) -> None:
    assert safe_math(typ) is ok


def test_markdown_blocks() -> None:
    md = (
        "Para with **bold**, *em*, ~~gone~~ and `co$de`.\n\n"
        "- one\n- two\n\n3. three\n4. four\n\n"
        "```python\nx = 1  # $not math$\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "> quoted\n\n### Sub\n\n$$x^2$$\n"
    )
    math = MathTable()
    markup = markdown_to_typst(md, math, LOC)
    assert "#strong[bold]" in markup and "#emph[em]" in markup and "#strike[gone]" in markup
    assert "#list(tight: true" in markup and "#enum(tight: true, start: 3" in markup
    assert '#codeblock(hl[#"x = "#hn("1")#"  "#hc("# $not math$")])' in markup
    assert "#table(columns: 2" in markup and "#quoteblock[" in markup
    assert [f.tex for f in math.formulas] == ["x^2"] and math.formulas[0].display
    text = typeset_text(markup, math)
    for piece in ("Para with bold, em, gone and co$de.", "one", "four", "x = 1  # $not math$",
                  "quoted", "Sub"):
        assert piece in text


def test_formula_locations_and_dedup() -> None:
    math = MathTable()
    markdown_to_typst("line one\n\nthen $a$ and $a$ and $$b$$", math, Location("c.md", 20))
    assert [(f.tex, f.display, f.location.line) for f in math.formulas] == [
        ("a", False, 22), ("b", True, 22)]


def test_inline_question_never_becomes_a_list() -> None:
    math = MathTable()
    markup = inline_to_typst("1. Why does - this # work?", math, LOC)
    assert typeset_text(markup).strip() == "1. Why does - this # work?"


@pytest.mark.parametrize(("tex", "norm"), [
    (r"f\Big(x\Big)", "f(x)"),
    (r"\bigl[ x \bigr]", "[ x ]"),
    (r"\lVert g\rVert", r"\|  g\|"),
    (r"\lvert x\rvert", "|  x|"),
    (r"\Vertical", r"\Vertical"),
])
def test_normalise_tex(tex: str, norm: str) -> None:
    assert normalise_tex(tex) == norm
    assert tex_to_typst(tex) is not None or tex == r"\Vertical"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=string.printable.strip() + " éßλ→∑", min_size=1, max_size=40))
def test_escape_markup_prints_any_text_exactly(text: str) -> None:
    expected = " ".join(text.split())
    if not expected:
        return
    assert " ".join(typeset_text(escape_markup(text)).split()) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab1 \n*_`#$[]()<>!\\-+=>|~:/.\"'{}@", max_size=60))
def test_any_markdown_compiles(md: str) -> None:
    """Whatever a card says, the generated Typst compiles (bad formulas fall back to TeX)."""
    from generator.pdf import _check_formulas

    math = MathTable()
    markup = markdown_to_typst(md, math, LOC)
    _check_formulas(math, Path("."))
    typeset_text(markup, math)


def test_only_long_code_lines_are_laid_out_one_by_one() -> None:
    short = "def f(x):\n\n    return x\n"
    assert highlight(short, "python").startswith("#codeblock(hl[")  # as it is: fast
    long_line = "    y = " + "+".join(["value"] * 12)  # 79 characters
    markup = highlight(f"def f():\n{long_line}\n    return y\n", "python")
    assert markup.startswith("#codeblock(hl(codelines(((-1, 0, [")  # the short lines: a group
    assert "), (79, 4, [" in markup  # the long one with its length and indent, to be measured
    text = typeset_text("#let hk(s) = s\n#let hf(s) = s\n" + markup)
    assert "def f():" in text and "return y" in text and "value+value" in text


# LaTeX that machine-learning cards use. Each one typesets in real Typst, except what is not
# LaTeX at all, which prints as its TeX source with a warning that says what to write.
ML_FORMULAS = [
    r"a \odot b", r"a \oplus b", r"a \otimes b", r"a \ominus b", r"\nabla_\theta L",
    r"\partial L / \partial w", r"\mathbb{E}[X]", r"W^\top x", r"\lVert x \rVert_2",
    r"\|x\|", r"\operatorname{softmax}(z)", r"\mathcal{L}", r"\hat{y}", r"\tilde{x}",
    r"\bar{x}", r"x \sim p", r"p \propto q", r"a \approx b", r"a \leq b", r"a \geq b",
    r"a \ll b", r"a \gg b", r"x \in S", r"\sum_{i=1}^n x_i", r"\prod_i p_i", r"\log p",
    r"\exp(x)", r"\arg\max_x f(x)", r"\operatorname*{arg\,max}_x f", r"\aleph_0",
    r"\bigodot_i x_i", r"\bigoplus_i V_i", r"\bigotimes_i V_i",
]
# The glyph each circled operator must print as (the symbol renames in typst_markup).
GLYPHS = {r"a \odot b": "⊙", r"a \otimes b": "⊗", r"a \ominus b": "⊖", r"\aleph_0": "ℵ"}


@pytest.mark.parametrize("tex", ML_FORMULAS)
def test_ml_formulas_typeset_in_real_typst(tex: str, tmp_path: Path) -> None:
    from generator.pdf import _check_formulas

    math = MathTable()
    ref = math.ref(tex, False, LOC)
    assert math.formulas[0].typst is not None, tex
    assert _check_formulas(math, tmp_path) == [], tex
    assert math.formulas[0].typst is not None, tex
    text = typeset_text(ref, math)
    assert "\\" not in text and "circle" not in text, (tex, text)
    if tex in GLYPHS:
        assert GLYPHS[tex] in text, (tex, text)


def test_a_made_up_command_is_reported_with_what_to_write(tmp_path: Path) -> None:
    from generator.pdf import _check_formulas

    math = MathTable()
    ref = math.ref(r"\softmax(z)_i", False, LOC)
    warnings = _check_formulas(math, tmp_path)
    assert warnings == [
        "cards/x.md:10: warning: Typst cannot typeset formula (unknown variable: softmax), "
        "printed as TeX source: '\\\\softmax(z)_i'; \\softmax is not a LaTeX math command: "
        "write \\operatorname{softmax} (or \\text{softmax})"], warnings
    assert r"\softmax(z)_i" in typeset_text(ref, math)


def test_symbol_renames_leave_strings_alone() -> None:
    assert tex_to_typst(r"\text{dot.circle} \odot x") == '"dot.circle" dot.o x'
