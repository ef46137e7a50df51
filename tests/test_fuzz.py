"""Whole-deck fuzzing: generated and mutated deck trees never crash the generator.

Hypothesis builds deck trees from a valid one by mutation: card files (front matter, headings,
fences, control characters, YAML dates, aliases), snippet links and files, ``deck.toml``,
``deck.lock``, a verification cache record and the GPU ledger. ``deck check``, ``deck stats``
and ``deck plan`` must then exit 0 or 1 and print only located, bounded, escaped lines; a
deck that passes ``check`` must render (Anki fields and the PDFs' Typst sources) or fail
with a ``DeckError``.

Profiles (tests/conftest.py): ``default`` stays fast for ``make test``;
``HYPOTHESIS_PROFILE=nightly`` runs many more examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

from helpers import synthetic_built
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.config import load_config
from generator.errors import DeckError
from generator.lint import lint_deck, read_deck

CARD = """\
---
id: fuzz-card-{n}
deck: Fuzz::Part
tags: [fuzz, t{n}]
snippet: t/a.py
---
# What does fuzz card {n} ask?

## Principle
A principle with `code` and $x^2$.

## Reason
A reason.

## Example
```python
x = 1
```

## Pitfall
A pitfall.
"""

TOML = """\
[deck]
name = "Fuzz deck"
version = "1.0.0"
deck_id = 2000000201
note_type_id = 2000000202
default_subdeck = "Fuzz"

[output]
stem = "fuzz"

[lint]
max_question_chars = 200
"""

LOCK = {
    "format": 1, "deck_id": 2000000201,
    "note_type": {"id": 2000000202, "name": "PREP", "schema": "s", "fingerprint": "f",
                  "mod": 1763750000},
    "cards": [{"id": "fuzz-card-0", "guid": "g", "mod": 1763750000, "source_hash": "h",
               "note_hash": "h", "path": "cards/t/c0.md", "deck": "Fuzz deck::Fuzz::Part",
               "question": "Q?"}],
}

# Lines a hurried author, a bad merge or a broken editor might leave in a card.
CARD_LINES = [
    "---", "...", "# Another question?", "## Principle", "## Reason", "## Example", "## Pitfall",
    "## Exampel", "### Sub", "```", "```python", "~~~", "    ```", "id: fuzz-card-0",
    "id: Bad_ID!", "snippet: t/a.py", "snippet: ./t/a.py", "snippet: ../x.py",
    "snippet: /etc/passwd", "snippet: [t/a.py, t/a.py]", "snippet: t/missing.py",
    "no_snippet: no code", "requires: cuda", "requires: [cpu, cpu]", "requires: cdua",
    "timeout: 1e308", "timeout: .nan", "timeout: .inf", "timeout: 0", "timeout: 7",
    "deck: 2024-13-45", "deck: 2024-01-01", 'deck: "a\\nb"', 'deck: "x\\e[31m"', "deck: a::::b",
    "tags: [a b, ok]", "tags: oops", "a: &a [x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]", "c: [*b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*d]", "key: {nested: [1, 2]}", "\tindent: tab", "snipet: t/a.py", "- list",
    "text \x1b[2J clear", "nul \x00 byte", "bell \x07", "del \x7f", "\u202e reversed", "中文 text",
    "$$", "x" * 300, "<script>alert(1)</script>", "#import \"/etc/passwd\"", "@{x}",
]

BODY_LINES = [
    "$x_1^2 + \\frac{a}{b}$", "$$\\sum_i x_i$$", "**bold** _it_ `code`", "| a | b |", "|---|---|",
    "- item", "1. item", "> quote", "[link](http://x)", "![img](x.png)", "<b>html</b>", "&amp;",
    "中文 日本語 한국어", "emoji 🙂", "\\", "#not a heading", "    indented code", "$ unclosed",
    "[latex]x[/latex]", "{{c1::cloze}}", "* * *", "#set page(width: 1pt)", "= heading",
]

TOML_LINES = [
    "[deck.sub]", "deck.name = 1", "[output.extra]", "x = 1", "stem = \"" + "s" * 300 + "\"",
    "[pdf]", "paper = \"a5\"", "cards_per_page = 6", "[lint]", "max_snippet_lines = -1",
    "[[deck]]", "name = \"dup\"", "unknown = true", "= broken", "[build]",
    "ship_unverified_gpu = \"yes\"", "\ufeff",
]

text_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
line = st.one_of(st.sampled_from(CARD_LINES), text_line,
                 st.builds(lambda t: "## " + t, text_line), st.builds(lambda t: "# " + t, text_line))


@st.composite
def mutated_lines(draw: st.DrawFn, base: list[str], pool: st.SearchStrategy[str]) -> list[str]:
    lines = list(base)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "swap"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "insert" or not lines:
            lines.insert(i, draw(pool))
        elif op == "delete":
            del lines[i]
        elif op == "replace":
            lines[i] = draw(pool)
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return lines


@st.composite
def deck_trees(draw: st.DrawFn) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for n in range(draw(st.integers(1, 3))):
        lines = CARD.format(n=n).split("\n")
        if draw(st.booleans()):
            lines = draw(mutated_lines(lines, line))
        else:  # section text only (Markdown, formulas, any Unicode): the card should render
            for _ in range(draw(st.integers(1, 4))):
                lines.insert(draw(st.integers(9, len(lines) - 1)), draw(st.one_of(
                    text_line, st.sampled_from(BODY_LINES))))
        text = "\n".join(lines)
        encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "latin-1", "crlf"]))
        if encoding == "crlf":
            data = text.replace("\n", "\r\n").encode("utf-8")
        else:
            data = text.encode(encoding, errors="replace")
        name = draw(st.sampled_from([f"c{n}.md", f"c{n}.MD", f"sub/c{n}.md"]))
        files[f"cards/t/{name}"] = data
    files["snippets/t/a.py"] = draw(st.sampled_from(
        [b"assert True\n", b"print('caf\xe9')\n", b"x = 1\n" * 50, b""]))
    if draw(st.booleans()):
        files["snippets/t/orphan.py"] = b"assert 1\n"
    toml_lines = TOML.split("\n")
    if draw(st.integers(0, 2)) == 0:
        toml_lines = draw(mutated_lines(toml_lines, st.one_of(st.sampled_from(TOML_LINES),
                                                              text_line)))
    toml = "\n".join(toml_lines)
    files["deck.toml"] = toml.encode("utf-8", errors="replace")
    lock = draw(st.sampled_from(["none", "valid", "dup", "ms", "list", "garbage", "latin"]))
    if lock != "none":
        data = json.loads(json.dumps(LOCK))
        if lock == "dup":
            data["cards"].append(dict(data["cards"][0], mod=1))
        elif lock == "ms":
            data["cards"][0]["mod"] = 1763750000000
        text = {"list": "[]", "garbage": draw(text_line)}.get(lock, json.dumps(data, indent=2))
        files["deck.lock"] = text.encode("latin-1" if lock == "latin" else "utf-8",
                                         errors="replace")
    files["build/verify/record.json"] = draw(st.sampled_from([b"[]", b"{", b'{"status": 1}']))
    files["verified/cuda.json"] = draw(st.sampled_from([b"[]", b"{}", b'{"k": [1]}', b"\xff"]))
    return files


LOCATED = re.compile(r"^(error: |warning: |note: )?[^\s:][^:]*(:\d+)?: \S")
SUMMARY = re.compile(r"^\d+ cards: \d+ error\(s\), \d+ warning\(s\)$")


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *argv])
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, out: str, err: str, what: str) -> None:
    assert code in (0, 1), (what, code, err)
    assert "Traceback" not in err and "internal error" not in err, (what, err)
    assert len(out) + len(err) < 100_000, (what, len(out), len(err))
    for text in (out, err):
        bad = [ch for ch in text if ch != "\n" and not ch.isprintable() and ch != " "]
        assert not bad, (what, bad[:3], text[:500])
    if code == 1:
        for message in err.splitlines():
            assert LOCATED.match(message) or SUMMARY.match(message), (what, message)


def render(root: Path) -> None:
    """The render stage on the checked cards, with synthetic passed verifications."""
    from generator.pdf import render_sources
    from generator.render import render_cards

    config = load_config(root)
    raw, parse_findings = read_deck(root)
    deck, findings = lint_deck(raw, config)
    if any(f.severity == "error" for f in parse_findings + findings) or not deck.cards:
        return
    built = synthetic_built(deck, root)
    try:
        render_cards(built, config)
        render_sources(built, config)
    except DeckError:
        pass


@given(deck_trees())
def test_generated_decks_give_located_errors_only(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="deck-fuzz-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for command in (["check"], ["stats"], ["plan"]):
            assert_clean(*run(root, *command), what=command[0])
        try:
            load_config(root)
        except DeckError:
            return
        render(root)
