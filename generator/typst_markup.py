"""Markdown (the shared markdown-it tokens) -> Typst markup, with escaping and math.

Every user string reaches Typst through one of two doors: ``escape_markup`` (text in markup
mode: every ASCII punctuation character is backslash-escaped, so ``#``, ``$``, ``*``, ``_``,
``//``, ``=`` at a line start, ``...``, ``--`` and quotes all print as typed) or
``string_literal`` (a Typst ``"..."`` string, used for code). Nothing else is pasted into the
Typst source unescaped, except math converted by ``tex2typst`` after ``safe_math`` has
checked that it cannot leave its ``$...$``.

Math is collected in a ``MathTable``: a card refers to formula *i* as ``#fm.at(i)``, and the
document defines ``fm`` once. ``generator.pdf`` compiles the table alone first; a formula
Typst rejects is printed as its TeX source in monospace, with a build warning.
"""

from __future__ import annotations

import builtins
import keyword
import re
import string
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import lru_cache

import tex2typst
from markdown_it.token import Token as MdToken
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Token, _TokenType
from pygments.util import ClassNotFound

from generator.markdown import md_parser, parse_markdown
from generator.model import Location

ZWSP = "\u200b"
# A run of non-space characters longer than this gets a zero-width space every
# ``_CHUNK`` characters: Typst never breaks inside a word, so a long identifier or URL
# would otherwise run off the card.
_LONG_RUN = 24
_CHUNK = 20
_LONG_WORD = re.compile(rf"\S{{{_LONG_RUN + 1},}}")

# The fonts bundled in the typst wheel (Libertinus Serif, New Computer Modern,
# DejaVu Sans Mono) have no emoji. Typst would draw an empty box and the PDF's text layer
# would lose the character, so an emoji prints as its Unicode name instead: ``[rocket]``.
# Emoji: U+1F000 to U+1FAFF (pictographs, faces, flags, ...), and the BMP characters whose default presentation is
# emoji (Unicode's Emoji_Presentation); other symbols (check marks, stars, arrows, zodiac)
# are in DejaVu Sans Mono and print as themselves.
_EMOJI_PLANE = range(0x1F000, 0x1FB00)
_BMP_EMOJI: frozenset[int] = frozenset(
    cp
    for lo, hi in (
        (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
        (0x25FD, 0x25FE), (0x2614, 0x2615), (0x267F, 0x267F), (0x2693, 0x2693),
        (0x26A1, 0x26A1), (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5),
        (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA), (0x26F2, 0x26F3),
        (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705),
        (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
        (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0),
        (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
    )
    for cp in range(lo, hi + 1)
)
_EMOJI_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")  # ZWJ, variation selectors, keycap
_SKIN_TONES = range(0x1F3FB, 0x1F400)


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return cp in _EMOJI_PLANE or cp in _BMP_EMOJI


def emoji_name(ch: str) -> str:
    """``[rocket]`` for ``🚀``: the printed stand-in for a character no bundled font has."""
    name = unicodedata.name(ch, f"U+{ord(ch):04X}").lower()
    return f"[{name}]"


def replace_emoji(text: str) -> str:
    """Emoji -> ``[name]``; joiners, variation selectors and skin tones are dropped."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ch in _EMOJI_JOINERS or ord(ch) in _SKIN_TONES:
            continue
        out.append(emoji_name(ch) if _is_emoji(ch) else ch)
    return "".join(out)


def break_long_words(text: str) -> str:
    """Insert a zero-width space every ``_CHUNK`` characters of an over-long word."""
    if len(text) <= _LONG_RUN:
        return text

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        return ZWSP.join(word[i : i + _CHUNK] for i in range(0, len(word), _CHUNK))

    return _LONG_WORD.sub(split, text)


_MARKUP_SPECIAL = re.compile(f"([{re.escape(string.punctuation)}])")
_STRING_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_markup(text: str) -> str:
    """Text for Typst markup mode: prints exactly as given (modulo emoji and long words)."""
    text = break_long_words(replace_emoji(text)).replace("\t", " ")
    return _MARKUP_SPECIAL.sub(r"\\\1", text)


def string_literal(text: str) -> str:
    """A Typst string literal (code mode) holding ``text`` exactly."""

    def esc(m: re.Match[str]) -> str:
        ch = m.group(0)
        return _STRING_ESCAPES.get(ch) or f"\\u{{{ord(ch):x}}}"

    return '"' + _STRING_SPECIAL.sub(esc, text) + '"'


def code_text(code: str) -> str:
    """Code as printed: emoji named, over-long tokens breakable, tabs as four spaces."""
    return break_long_words(replace_emoji(code.expandtabs(4)))


def raw(code: str, *, block: bool = False) -> str:
    """A ``#raw(...)`` call: inline code, verified output, code in an unknown language."""
    return f"#raw({string_literal(code_text(code))}{', block: true' if block else ''})"


# --- code highlighting ---------------------------------------------------------------------
# Code -> styled text. Every style is dark and tells its role by weight or slant too, so code
# stays readable printed in grayscale (Typst functions hk/hc/hs/hn/hf in templates/common.typ).
# Python, the deck's language, goes through one regular expression that marks the roles
# Pygments' Python lexer marks (keywords, strings, comments, numbers, def/class names,
# builtins, decorators): Pygments costs ~4 ms per snippet and Typst's own highlighter ~30 ms,
# most of the time budget of a 1,000-card deck. Other languages are lexed by Pygments.
_PY_TOKEN = re.compile(
    r"""(?P<hc>\#[^\n]*)
    |(?P<hs>[rRbBuUfF]{0,2}(?:\"\"\"(?:[^\\]|\\.)*?\"\"\"|\'\'\'(?:[^\\]|\\.)*?\'\'\'
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))
    |(?P<hf>@[A-Za-z_][\w.]*)
    |(?P<hn>(?<![\w.])(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?j?
        |\.\d[\d_]*(?:[eE][+-]?\d+)?j?))
    |(?P<id>[A-Za-z_]\w*)""",
    re.VERBOSE | re.DOTALL,
)
_PY_KEYWORDS = frozenset(keyword.kwlist)
_PY_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_") and n[0].islower())
_PYGMENTS_STYLE: tuple[tuple[_TokenType, str], ...] = (
    (Token.Comment, "hc"),
    (Token.Keyword, "hk"),
    (Token.Operator.Word, "hk"),
    (Token.Literal.String, "hs"),
    (Token.Literal.Number, "hn"),
    (Token.Name.Function, "hf"),
    (Token.Name.Class, "hf"),
    (Token.Name.Decorator, "hf"),
    (Token.Name.Builtin, "hf"),
)
_BREAK_AFTER = frozenset(".,([{=+-*/:")


def python_spans(code: str) -> list[tuple[str, str]]:
    """``(style, text)`` spans covering ``code``; style ``""`` is plain."""
    spans: list[tuple[str, str]] = []
    pos = 0
    after_def = False
    for m in _PY_TOKEN.finditer(code):
        if m.start() > pos:
            spans.append(("", code[pos : m.start()]))
        kind = m.lastgroup or ""
        text = m.group(0)
        if kind == "id":
            if text in _PY_KEYWORDS:
                kind = "hk"
            elif after_def or text in _PY_BUILTINS:
                kind = "hf"
            else:
                kind = ""
            after_def = text in ("def", "class")
        else:
            after_def = False
        spans.append((kind, text))
        pos = m.end()
    if pos < len(code):
        spans.append(("", code[pos:]))
    return spans


@lru_cache(maxsize=32)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _pygments_style(tok: _TokenType) -> str:
    for parent, style in _PYGMENTS_STYLE:
        if tok in parent:
            return style
    return ""


# Characters of code that fit every code box of both PDFs at 7 pt without measuring: the
# narrowest, a cheat-sheet column, holds about 64.
CODE_FITS = 60


def highlight(code: str, lang: str | None) -> str:
    """A code block as ``#codeblock(hl[...])``, coloured when the language is known.

    Over-long runs of non-space characters get zero-width break opportunities after
    punctuation (and inside very long tokens), so a long call never runs off the card.
    """
    code = replace_emoji(code.expandtabs(4))
    name = (lang or "").lower()
    if name in ("python", "py", "python3", "py3"):
        spans = python_spans(code)
    elif name and (lexer := _lexer(name)) is not None:
        spans = [(_pygments_style(tok), value) for tok, value in lexer.get_tokens(code)]
    else:
        return "#codeblock(" + raw(code, block=True)[1:] + ")"
    lines: list[list[tuple[str, str]]] = [[]]  # per line: (style, text) runs
    run = 0  # non-space characters since the last space
    for style, value in spans:
        if len(value) > _LONG_RUN and not value.isspace():
            value = break_long_words(value)
        last_space = max(value.rfind(" "), value.rfind("\n"))
        if last_space >= 0:
            run = len(value) - last_space - 1
        else:
            run += len(value)
            if run > _CHUNK and value[-1] in _BREAK_AFTER:
                value += ZWSP
                run = 0
        for k, piece in enumerate(value.split("\n")):
            if k:
                lines.append([])
            if piece and lines[-1] and lines[-1][-1][0] == style:
                lines[-1][-1] = (style, lines[-1][-1][1] + piece)
            elif piece:
                lines[-1].append((style, piece))
    line_markup = ["".join(_span(st, t) for st, t in line) or _span("", ZWSP) for line in lines]
    texts = ["".join(t for _, t in line).replace(ZWSP, "") for line in lines]
    if all(len(text) <= CODE_FITS for text in texts):
        return "#codeblock(hl[" + _span("", "\n").join(line_markup) + "])"
    # codelines (templates/common.typ) sets a long line a little tighter when that makes it
    # fit, so a line of up to 72 characters never wraps on a card; a longer one wraps with a
    # hanging indent and a continuation mark. Runs of short lines go as one group (-1), which
    # Typst neither measures nor splits: measuring every line costs time and memory.
    items: list[str] = []
    group: list[str] = []
    for text, markup in zip(texts, line_markup, strict=True):
        if len(text) <= CODE_FITS:
            group.append(markup)
            continue
        if group:
            items.append(f"(-1, 0, [{_span('', chr(10)).join(group)}])")
            group = []
        indent = len(text) - len(text.lstrip(" "))
        items.append(f"({len(text)}, {indent}, [{markup}])")
    if group:
        items.append(f"(-1, 0, [{_span('', chr(10)).join(group)}])")
    return "#codeblock(hl(codelines((" + "".join(i + ", " for i in items) + "))))"


def _span(style: str, text: str) -> str:
    # In markup, ``#"..."`` inserts a string as text: spaces and newlines kept, nothing parsed.
    return f"#{style}({string_literal(text)})" if style else f"#{string_literal(text)}"


# --- math ----------------------------------------------------------------------------------


_TYPST_BOOL = re.compile(r"#(?:true|false)(?![\w.(\[{])")


def safe_math(typ: str) -> bool:
    """True when converted math cannot escape its ``$...$``.

    Scans like Typst's math lexer: strings ``"..."`` with backslash escapes; outside them a
    ``$`` would close the formula, ``#`` would start code, ``//`` or ``/*`` a comment, and a
    trailing backslash would escape the closing ``$``. The one code allowed is a literal
    ``#true`` or ``#false`` (tex2typst writes ``\\operatorname*`` as ``op(..., limits: #true)``).
    """
    i, n = 0, len(typ)
    while i < n:
        ch = typ[i]
        if ch == '"':
            i += 1
            while i < n and typ[i] != '"':
                i += 2 if typ[i] == "\\" else 1
            if i >= n:
                return False
        elif ch == "\\":
            if i + 1 >= n or typ[i + 1] in "u\n":
                return False
            i += 1
        elif ch == "#" and (boolean := _TYPST_BOOL.match(typ, i)):
            i = boolean.end()
            continue
        elif ch in "$#" or typ.startswith(("//", "/*"), i):
            return False
        i += 1
    return True


# TeX that tex2typst 0.1.7 passes through as unknown names (Typst then fails on them):
# manual delimiter sizes (Typst sizes delimiters itself) and the amsmath norm/abs bars.
# The name inside ``\operatorname{...}`` becomes a Typst string, where TeX spacing commands
# (``arg\,max``) would print as typed: they become plain spaces.
_TEX_REWRITES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])\s*"), ""),
    (re.compile(r"\\(?:lVert|rVert|Vert)(?![A-Za-z])"), r"\\| "),
    (re.compile(r"\\(?:lvert|rvert|vert)(?![A-Za-z])"), "| "),
    (re.compile(r"(\\operatorname\*?\s*\{)([^{}]*)\}"),
     lambda m: m.group(1) + re.sub(r"\\[,:; !]|~", " ", m.group(2)) + "}"),
)


def normalise_tex(tex: str) -> str:
    """Rewrite the TeX tex2typst does not know into TeX it does (see ``_TEX_REWRITES``)."""
    for pattern, replacement in _TEX_REWRITES:
        tex = pattern.sub(replacement, tex)
    return tex.strip()


# Symbol names tex2typst 0.1.7 emits that the Typst in the typst wheel no longer knows
# (Typst 0.14 renamed the circled operators ``*.circle`` to ``*.o``, and ``alef`` to
# ``aleph``). Found by converting every TeX command in tex2typst's table and compiling the
# result; tests/test_typst_markup.py compiles them and the common ML commands again.
_TYPST_RENAMES: dict[str, str] = {
    "dot.circle": "dot.o",  # \odot
    "minus.circle": "minus.o",  # \ominus
    "times.circle": "times.o",  # \otimes
    "alef": "aleph",  # \aleph
}
# Revision of the conversion (tex2typst's output plus the renames above): the on-disk cache of
# conversions is keyed by it, so a change here never meets conversions cached before it.
CONVERSION_ID = f"{tex2typst.__version__}-r2"  # r2: renames, operatorname
_TYPST_STRING_OR_NAME = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]+)*')


def _rename_symbols(typ: str) -> str:
    """Apply ``_TYPST_RENAMES`` to the names in converted math (strings left alone)."""
    return _TYPST_STRING_OR_NAME.sub(lambda m: _TYPST_RENAMES.get(m.group(), m.group()), typ)


def formula_hint(tex: str, typst_message: str) -> str:
    """What to do about a formula Typst rejected, when the TeX shows it ('' otherwise)."""
    m = re.fullmatch(r"unknown variable: ([A-Za-z]+)", typst_message.strip())
    if m and re.search(rf"\\{m.group(1)}(?![A-Za-z])", tex):
        return (f"; \\{m.group(1)} is not a LaTeX math command: write "
                f"\\operatorname{{{m.group(1)}}} (or \\text{{{m.group(1)}}})")
    return ""


def tex_to_typst(tex: str) -> str | None:
    """TeX math -> Typst math with ``tex2typst``; ``None`` when it cannot be converted safely."""
    try:
        out = tex2typst.tex2typst(normalise_tex(tex), frac_to_slash=False)
    except (ValueError, RuntimeError):  # errors of the JavaScript engine inside tex2typst
        return None
    if not isinstance(out, str):
        return None
    out = _rename_symbols(" ".join(out.split()))
    if not out or not safe_math(out):
        return None
    return out


@dataclass(frozen=True)
class Formula:
    """One distinct formula: its TeX, whether it is a display formula, and its conversion."""

    tex: str
    display: bool
    typst: str | None  # None: printed as TeX source
    location: Location  # where it first appears


@dataclass
class MathTable:
    """The document's formulas, in order of first appearance; cards refer to them by index.

    With an ``executor``, conversions run there while the caller goes on rendering (the
    tex2typst wheel releases the GIL); ``resolve()`` waits for them. Without one, each
    formula is converted when first seen.
    """

    formulas: list[Formula] = field(default_factory=list)
    # normalised TeX -> conversion (None: not convertible); ``pdf`` keeps it on disk between
    # builds, since tex2typst (a JavaScript engine inside) takes 1 to 9 ms per formula.
    cache: dict[str, str | None] = field(default_factory=dict)
    executor: Executor | None = None
    _index: dict[tuple[str, bool], int] = field(default_factory=dict)
    _norms: list[str] = field(default_factory=list)
    _pending: dict[str, Future[str | None]] = field(default_factory=dict)

    def ref(self, tex: str, display: bool, location: Location) -> str:
        """Markup that prints the formula (``#fm.at(i)``), adding it on first use."""
        key = (tex.strip(), display)
        if key not in self._index:
            norm = normalise_tex(key[0])
            if norm not in self.cache and norm not in self._pending:
                if self.executor is not None:
                    self._pending[norm] = self.executor.submit(tex_to_typst, norm)
                else:
                    self.cache[norm] = tex_to_typst(norm)
            self._index[key] = len(self.formulas)
            self._norms.append(norm)
            self.formulas.append(Formula(key[0], display, self.cache.get(norm), location))
        return f"#fm.at({self._index[key]})"

    def resolve(self) -> None:
        """Wait for the conversions still running; every formula then has its result."""
        if not self._pending:
            return
        for norm, future in self._pending.items():
            self.cache[norm] = future.result()
        self._pending.clear()
        self.formulas = [Formula(f.tex, f.display, self.cache[norm], f.location)
                         for f, norm in zip(self.formulas, self._norms, strict=True)]

    def reject(self, index: int) -> None:
        """Print formula ``index`` as TeX source (Typst rejected its conversion)."""
        f = self.formulas[index]
        self.formulas[index] = Formula(f.tex, f.display, None, f.location)

    def entry(self, index: int) -> str:
        """Typst code for one formula (an element of the ``fm`` array)."""
        f = self.formulas[index]
        if f.typst is None:
            return f"raw({string_literal(f.tex)}, block: {'true' if f.display else 'false'})"
        return f"$ {f.typst} $" if f.display else f"${f.typst}$"

    def definition(self) -> str:
        """``#let fm = (...)``: one formula per line (``pdf`` maps Typst errors to lines)."""
        self.resolve()
        lines = ["#let fm = ("]
        lines += [f"  {self.entry(i)}," for i in range(len(self.formulas))]
        lines.append(")")
        return "\n".join(lines)


# --- Markdown tokens -> markup --------------------------------------------------------------

Warn = Callable[[str], None]


@dataclass
class _Ctx:
    math: MathTable
    path: str
    first_line: int  # the file line of the Markdown's first line


def _content(markup: str) -> str:
    return f"[{markup}]"


def _inline(children: Sequence[MdToken], ctx: _Ctx, line: int) -> str:
    out: list[str] = []
    closers = {"strong_open": "#strong[", "em_open": "#emph[", "s_open": "#strike["}
    link_urls: list[str] = []
    for tok in children:
        t = tok.type
        if t == "text":
            out.append(escape_markup(tok.content))
        elif t == "softbreak":
            out.append(" ")
        elif t == "hardbreak":
            out.append("#linebreak()")
        elif t == "code_inline":
            out.append(raw(tok.content))
        elif t == "math_inline":
            out.append(ctx.math.ref(tok.content, False, Location(ctx.path, line)))
        elif t == "math_inline_double":
            out.append(ctx.math.ref(tok.content, True, Location(ctx.path, line)))
        elif t in closers:
            out.append(closers[t])
        elif t in ("strong_close", "em_close", "s_close"):
            out.append("]")
        elif t == "link_open":
            link_urls.append(str(tok.attrs.get("href", "")))
        elif t == "link_close":
            url = link_urls.pop() if link_urls else ""
            if url:  # print readers cannot click: show where the link goes
                out.append(" #text(size: 0.85em)[" + escape_markup(f"({url})") + "]")
        elif t == "image":
            alt = "".join(c.content for c in (tok.children or []))
            out.append(escape_markup(f"[image: {alt or tok.attrs.get('src', '')}]"))
        elif t in ("html_inline",):  # cannot happen (html disabled), but never pass it through
            out.append(escape_markup(tok.content))
        else:
            out.append(escape_markup(tok.content))
    return "".join(out)


def _find_close(tokens: Sequence[MdToken], i: int) -> int:
    """Index of the token closing the block opened at ``tokens[i]``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _blocks(tokens: Sequence[MdToken], ctx: _Ctx) -> str:
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = ctx.first_line + (tok.map[0] if tok.map else 0)
        t = tok.type
        if t == "paragraph_open":
            inline = tokens[i + 1]
            parts.append(_inline(inline.children or [], ctx, line))
            i += 3
            continue
        if t == "inline":  # tight list items hold inline tokens without paragraphs
            parts.append(_inline(tok.children or [], ctx, line))
        elif t == "heading_open":
            inline = tokens[i + 1]
            parts.append("#subhead[" + _inline(inline.children or [], ctx, line) + "]")
            i += 3
            continue
        elif t in ("bullet_list_open", "ordered_list_open"):
            end = _find_close(tokens, i)
            items: list[str] = []
            j = i + 1
            while j < end:
                item_end = _find_close(tokens, j)
                items.append(_content(_blocks(tokens[j + 1 : item_end], ctx)))
                j = item_end + 1
            if t == "bullet_list_open":
                parts.append(f"#list(tight: true, {', '.join(items)})")
            else:
                start = int(tok.attrs.get("start", 1) or 1)
                parts.append(f"#enum(tight: true, start: {start}, {', '.join(items)})")
            i = end + 1
            continue
        elif t == "blockquote_open":
            end = _find_close(tokens, i)
            parts.append("#quoteblock[" + _blocks(tokens[i + 1 : end], ctx) + "]")
            i = end + 1
            continue
        elif t in ("fence", "code_block"):
            info = tok.info.strip().split()[0] if tok.info.strip() else ""
            lang = re.sub(r"[^A-Za-z0-9+#_-]", "", info) or None
            parts.append(highlight(tok.content.rstrip("\n"), lang))
        elif t == "math_block":
            parts.append(ctx.math.ref(tok.content, True, Location(ctx.path, line)))
        elif t == "hr":
            parts.append("#line(length: 100%, stroke: 0.4pt + luma(150))")
        elif t == "table_open":
            end = _find_close(tokens, i)
            parts.append(_table(tokens[i + 1 : end], ctx, line))
            i = end + 1
            continue
        i += 1
    return "\n\n".join(p for p in parts if p)


def _table(tokens: Sequence[MdToken], ctx: _Ctx, line: int) -> str:
    cells: list[str] = []
    columns = 0
    row_len = 0
    for k, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row_len = 0
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[k + 1]
            body = _inline(inline.children or [], ctx, line)
            cells.append(f"[#strong[{body}]]" if tok.type == "th_open" else f"[{body}]")
            row_len += 1
        elif tok.type == "tr_close":
            columns = max(columns, row_len)
    return f"#table(columns: {max(columns, 1)}, {', '.join(cells)})"


@lru_cache(maxsize=8192)
def parsed(text: str) -> tuple[MdToken, ...]:
    """``parse_markdown`` once per text: the renderer and the height estimate both walk it.
    The tokens are shared: read them, never change them."""
    return tuple(parse_markdown(text))


def markdown_to_typst(text: str, math: MathTable, location: Location) -> str:
    """Markup for one Markdown field (``location``: the field's first line in its file)."""
    ctx = _Ctx(math, location.path, location.line or 1)
    return _blocks(parsed(text), ctx)


def inline_to_typst(text: str, math: MathTable, location: Location) -> str:
    """Markup for a one-line field such as the question (no paragraph around it)."""
    ctx = _Ctx(math, location.path, location.line or 1)
    tokens = md_parser().parseInline(text)
    return " ".join(_inline(tok.children or [], ctx, ctx.first_line) for tok in tokens)
