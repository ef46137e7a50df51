"""The printable PDFs, read back with pypdf (and one page looked at as PNG by hand)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from generator import pdf as pdfmod
from generator.config import Config
from generator.errors import BuildError
from generator.model import BuiltCard, SnippetResult, Verification
from generator.parse import parse_card
from helpers import checked_card
from generator.pdf import PdfReport, key_lines, pack_rows, short_text, write_pdfs
from generator.typst_markup import ZWSP

SAMPLE = Path(__file__).parent / "samples" / "pdf"
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"), ("numpy", "2.1.0"))


def make_config(**changes: object) -> Config:
    config = Config(root=SAMPLE, name="Test Deck", description="", version="1.2.3",
                    deck_id=1, note_type_id=2, default_subdeck="Default", stem="test")
    return replace(config, **changes)  # type: ignore[arg-type]


def verification(card_id: str, stdout: str, device: str = "cpu") -> Verification:
    return Verification(card_id, "snippets/x.py", device, "passed", stdout, "", 0.1, VERSIONS,
                        "hash")


def sample_cards() -> list[BuiltCard]:
    """The cards under tests/samples/pdf, with synthetic verifications."""
    built = []
    for path in sorted((SAMPLE / "cards").rglob("*.md")):
        card = checked_card(path.read_bytes(), path.relative_to(SAMPLE).as_posix())
        snippets = tuple(
            SnippetResult(ref, (SAMPLE / ref.source_path).read_text(),
                          verification(card.id or "", "running_mean: tensor([0.1, 0.2])\n"))
            for ref in card.snippets)
        built.append(BuiltCard(card, card.deck or "Default", snippets))
    return built


def synthetic(i: int, *, pitfall: str | None = None, subdeck: str = "Synthetic",
              snippet: SnippetResult | None = None, example: str = "An example.") -> BuiltCard:
    text = (f"---\nid: syn-{i:03d}\nno_snippet: test\n---\n# Question Q{i:03d} here?\n\n"
            f"## Principle\nPrinciple P{i:03d}. Second sentence.\n\n## Reason\nBecause.\n\n"
            f"## Example\n{example}\n\n## Pitfall\n{pitfall or f'Pitfall F{i:03d} here.'}\n")
    card = checked_card(text, f"cards/syn/card-{i:03d}.md")
    return BuiltCard(card, subdeck, (snippet,) if snippet else ())


def page_texts(path: Path) -> list[str]:
    return [p.extract_text().replace(ZWSP, "") for p in pypdf.PdfReader(path).pages]


def order(text: str, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(prefix + r"(\d{3})", text)]


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> PdfReport:
    out = tmp_path_factory.mktemp("build")
    return write_pdfs(sample_cards(), make_config(), out)


# --- layout ------------------------------------------------------------------------------


def test_pack_rows_double_cells_backfill() -> None:
    rows = pack_rows([1, 2, 1, 1, 1])
    assert [[(c.index, c.span) for c in r] for r in rows] == [
        [(0, 1), (2, 1)], [(1, 2)], [(3, 1), (4, 1)]]


@pytest.mark.parametrize(("duplex", "per_page", "n", "back_order"), [
    ("long", 4, 10, [1, 0, 3, 2]),
    ("short", 4, 10, [2, 3, 0, 1]),
    ("long", 8, 11, [1, 0, 3, 2, 5, 4, 7, 6]),
])
def test_fronts_in_order_backs_mirrored(tmp_path: Path, duplex: str, per_page: int, n: int,
                                        back_order: list[int]) -> None:
    cards = [synthetic(i) for i in range(n)]
    report = write_pdfs(cards, make_config(duplex=duplex, cards_per_page=per_page), tmp_path)
    pages = page_texts(report.cards_pdf)
    sheets = -(-n // per_page)
    assert len(pages) == report.card_pages == 2 * sheets
    for s in range(sheets):
        ids = list(range(s * per_page, min(n, (s + 1) * per_page)))
        assert order(pages[2 * s], "Q") == ids
        expected_back = [s * per_page + k for k in back_order if s * per_page + k < n]
        assert order(pages[2 * s + 1], "F") == expected_back
    # a front names its subdeck and number, never its id (ids often give the answer away)
    assert "Test Deck · v1.2.3" in pages[0] and "Synthetic" in pages[0]
    assert "No. 1\n" in pages[0] and "syn-0" not in pages[0]
    assert f"No. {n}\n" in pages[-2] and "syn-0" not in pages[-2]
    assert "No. 1 · Synthetic syn-000" in pages[1]


def test_letter_paper(tmp_path: Path) -> None:
    report = write_pdfs([synthetic(0)], make_config(paper="letter"), tmp_path)
    box = pypdf.PdfReader(report.cards_pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


# --- content ------------------------------------------------------------------------------


def test_cheat_sheet_has_every_question_and_a_toc(sample_build: PdfReport) -> None:
    text = "\n".join(page_texts(sample_build.cheatsheet_pdf))
    for built in sample_cards():
        assert (built.card.id or "") in text
    assert "What does BatchNorm do differently in train() and eval() mode?" in text
    assert "Contents" in text and "Regularisation & Normalisation" in text
    assert "v1.2.3" in text
    assert "assert torch.allclose" in text  # the snippet's key line


def test_formula_card_has_no_tex_left(tmp_path: Path) -> None:
    formula_card = [b for b in sample_cards() if b.card.id == "formulas-0a1b2c3d"]
    report = write_pdfs(formula_card, make_config(), tmp_path)
    front, back = page_texts(report.cards_pdf)
    assert "How do softmax" in front and "Gradient descent steps against" in back
    cheat = page_texts(report.cheatsheet_pdf)[0].split("Fundamentals", 2)[-1]
    for text in (front, back, cheat):
        assert "$" not in text
        assert not re.search(r"\\[A-Za-z]+", text), text
    assert "←" in back and "∇" in back and "√" in back and "𝔼" in back
    assert not report.warnings


def test_special_characters_render_exactly(sample_build: PdfReport) -> None:
    pages = page_texts(sample_build.cards_pdf)
    assert "Does # $ * _ ` < > @ = - + / \\ [ ] print as typed?" in pages[0]
    back = next(p for p in pages if "Typst specials" in p)
    flat = back.replace("\n", "")
    for piece in ['# $ * _ ` < > @ = - + / \\ [ ]', "\"double\" 'single' quotes, ... -- ---",
                  "~ // /* */ https://example.com 1. a,", "the emoji [rocket]",
                  "Pneumonoultramicroscopicsilicovolcanoconiosis_and_then_some_more_characters_to_be_sure.",
                  "#let x = $y$ // not a comment", "(https://example.com/a_b)"]:
        assert piece in flat, piece


def test_snippet_output_and_provenance(sample_build: PdfReport) -> None:
    back = next(p for p in page_texts(sample_build.cards_pdf) if "Batch statistics" in p)
    assert "print(\"running_mean:\", bn.running_mean)" in back
    assert "running_mean: tensor([0.1, 0.2])" in back
    assert "verified on cpu: Python 3.11.7, torch 2.13.0, numpy 2.1.0" in back


def test_unverified_gpu_card_and_long_output(tmp_path: Path) -> None:
    ref = sample_cards()[-1].snippets[0].ref
    gpu = SnippetResult(ref, "print('hi')\n", None, device="cuda")
    long_out = "".join(f"line {k}\n" for k in range(40))
    chatty = SnippetResult(ref, "print('x')\n", verification("syn-001", long_out))
    report = write_pdfs([synthetic(0, snippet=gpu), synthetic(1, snippet=chatty)],
                        make_config(), tmp_path)
    back = page_texts(report.cards_pdf)[1]
    assert "NOT VERIFIED ON A GPU cuda: not run" in back  # the mark, in the footer only
    assert back.count("NOT VERIFIED") == 1
    assert "No GPU has run this code yet, so it has no cuda output here." in back
    cheat = " ".join(page_texts(report.cheatsheet_pdf)).replace("\n", " ")
    assert "Question Q000 here? NOT VERIFIED ON A GPU" in cheat
    assert cheat.count("NOT VERIFIED") == 1
    assert "line 11" in back and "line 12" not in back
    assert "28 more lines of output not printed" in back


def test_overflowing_back_takes_a_double_cell(tmp_path: Path) -> None:
    long_pitfall = " ".join(f"Sentence {k} of a pitfall that goes on and on." for k in range(120))
    huge_pitfall = " ".join(f"Sentence {k} of a pitfall that goes on and on." for k in range(500))
    cards = [synthetic(0), synthetic(1, pitfall=long_pitfall), synthetic(2),
             synthetic(3, pitfall=huge_pitfall)]
    report = write_pdfs(cards, make_config(), tmp_path)
    assert [o.card_id for o in report.overflows] == ["syn-001", "syn-003"]
    assert report.overflows[0].rule == "double cell (a whole row)"
    assert "shrunk to about" in report.overflows[1].rule
    assert report.warnings[0].startswith("cards/syn/card-001.md:1: warning: back of card "
                                         "'syn-001' does not fit one card")
    pages = [" ".join(p.split()) for p in page_texts(report.cards_pdf)]
    # rows: [0, 2], [1 double], then page 2: [3 double]
    assert len(pages) == 4
    assert order(pages[0], "Q") == [0, 2, 1]
    assert order(pages[1], "F") == [2, 0] and "Sentence 119 of a pitfall" in pages[1]
    assert "Sentence 499 of a pitfall" in pages[3]  # shrunk, never cut


def test_bad_formula_is_printed_as_tex_with_a_warning(tmp_path: Path) -> None:
    card = synthetic(0, example="Broken $\\frac{$ and unknown $\\foo{x}$ and fine $x^2$.")
    report = write_pdfs([card], make_config(), tmp_path)
    assert len(report.warnings) == 2
    assert all(w.startswith("cards/syn/card-000.md:14: warning: ") for w in report.warnings)
    back = page_texts(report.cards_pdf)[1]
    assert "\\frac{" in back and "\\foo{x}" in back


# --- files ----------------------------------------------------------------------------------


def test_byte_identical_rebuild(sample_build: PdfReport, tmp_path: Path) -> None:
    again = write_pdfs(sample_cards(), make_config(), tmp_path)
    assert again.cards_pdf.read_bytes() == sample_build.cards_pdf.read_bytes()
    assert again.cheatsheet_pdf.read_bytes() == sample_build.cheatsheet_pdf.read_bytes()
    assert b"CreationDate" not in again.cards_pdf.read_bytes()


def test_failed_build_keeps_old_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_pdfs([synthetic(0)], make_config(), tmp_path)
    before = first.cards_pdf.read_bytes(), first.cheatsheet_pdf.read_bytes()
    real = pdfmod._compile

    def failing(src: str, root: Path, what: str) -> bytes:
        if what == "cheat sheet":
            raise BuildError("boom")
        return real(src, root, what)

    monkeypatch.setattr(pdfmod, "_compile", failing)
    with pytest.raises(BuildError):
        write_pdfs([synthetic(0), synthetic(1)], make_config(), tmp_path)
    assert (first.cards_pdf.read_bytes(), first.cheatsheet_pdf.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-cards.pdf", "test-cheatsheet.pdf"]


# --- cheat-sheet helpers ---------------------------------------------------------------------


def test_short_text_cuts_at_a_sentence() -> None:
    long = "First sentence is here. " * 4 + "Then `a. B` code. " + "More words here. " * 20
    # the ". " inside `a. B` is not a sentence end
    assert short_text(long, limit=120) == "First sentence is here. " * 4 + "Then `a. B` code."
    assert short_text(long, limit=30) == "First sentence is here."
    assert short_text("One very long first sentence. Then more.", limit=10) == (
        "One very long first sentence.")
    assert short_text("Short.\n\nSecond paragraph.") == "Short."


def test_key_lines() -> None:
    code = "import torch\n\nx = 1\nassert x == 1\ny = 2  # key\n"
    assert key_lines(code) == ["y = 2  # key"]
    assert key_lines("import a\nx = 1\nassert x\n") == ["assert x"]
    assert key_lines("import a\n# c\nx = 1\ny = 2\n") == ["x = 1", "y = 2"]


def test_every_formula_of_the_deck_typesets() -> None:
    """The flagship deck's formulas must typeset, never fall back to TeX source."""
    from generator.markdown import parse_markdown
    from generator.typst_markup import MathTable

    root = Path(__file__).parent.parent
    table = MathTable()
    for path in sorted((root / "cards").rglob("*.md")):
        card = parse_card(path.read_bytes(), path.relative_to(root).as_posix())
        fields = [(card.question or "", card.question_location)] + [
            (s.body, s.location) for s in card.sections]
        for text, loc in fields:
            for tok in parse_markdown(text):
                for t in [tok, *(tok.children or [])]:
                    if t.type.startswith("math"):
                        table.ref(t.content, t.type != "math_inline", loc or card.location)
    warnings = pdfmod._check_formulas(table, SAMPLE)
    assert warnings == []


def test_estimate_is_an_upper_bound() -> None:
    """Backs are only measured when the estimate says they might not fit: it must never
    come out below the measured height, whatever the content."""
    ref = sample_cards()[-1].snippets[0].ref
    wide_output = "\n".join("tensor([" + ", ".join(["0.1234"] * 20) + "])" for _ in range(5))
    long_code = "\n".join("x = torch.nn.functional.cross_entropy(logits_for_every_example, "
                          "targets, reduction='none')" for _ in range(6))
    examples = [
        "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG WITH MMMM AND WWWW. " * 6,
        "MMMMMMMMMM WWWWWWWWWW " * 20,
        "\n".join(f"- item {k}" for k in range(14)),
        "\n".join(f"- item {k}\n  - sub {k} with `code` and $x^2$" for k in range(6)),
        "\n\n".join([r"$$\frac{\frac{a}{b}}{\frac{c}{\sqrt{d}}} + \sum_{i=1}^{n} x_i$$"] * 4),
        "\n\n".join(f"### Heading {k}\n\nText {k}." for k in range(6)),
        "```python\n" + "\n".join(f"y{k} = f(x)  # comment" for k in range(10)) + "\n```",
        "\n\n".join(f"> quoted paragraph {k} " * 3 for k in range(4)),
    ]
    cards = [synthetic(k, example=e) for k, e in enumerate(examples)]
    cards.append(synthetic(50, snippet=SnippetResult(ref, long_code,
                                                     verification("z", wide_output))))
    cards += sample_cards()
    for per_page in (4, 8):
        geo = pdfmod.geometry(make_config(cards_per_page=per_page))
        table = pdfmod.MathTable()
        marks = [pdfmod._card_markup(b, table, k) for k, b in enumerate(cards)]
        common = {"title": "t", "author": "a", "version": "1", "g": geo,
                  "formulas": pdfmod.Typ(table.definition()), "deck_foot": pdfmod.Typ("x")}
        measured = pdfmod._measure(marks, common, SAMPLE)
        for built, m in zip(cards, measured, strict=True):
            estimate = pdfmod.estimate_back_mm(built, geo)
            assert m["room"] == pytest.approx(geo.body_mm, abs=0.01)  # Python and Typst agree
            assert m["h1"] <= 0.9 * estimate, (built.card.id, per_page, m["h1"], estimate)


def test_cheat_sheet_entries_stay_whole_and_subdecks_are_escaped(tmp_path: Path) -> None:
    subdecks = ["Sub #deck $x$ [y] = z", "Plain"]
    cards = [synthetic(i, subdeck=subdecks[i % 2],
                       pitfall=f"Pitfall F{i:03d}. " + "Words " * (i % 40)) for i in range(90)]
    report = write_pdfs(cards, make_config(), tmp_path)
    pages = [" ".join(p.split()) for p in page_texts(report.cheatsheet_pdf)]
    assert len(pages) >= 2
    assert "Sub #deck $x$ [y] = z" in pages[0]
    for i in range(90):
        # an entry is one unbreakable block: its question and its id share a page
        where = [k for k, p in enumerate(pages) if f"Question Q{i:03d} here?" in p]
        assert len(where) == 1 and f"syn-{i:03d}" in pages[where[0]]


def test_templates_refuse_unescaped_strings() -> None:
    template = pdfmod.get_env().from_string("{{ a }}|{{ b | lit }}|{{ c | typ }}")
    assert template.render(a="#x $y$", b='q"', c=pdfmod.Typ("#strong[z]")) == \
        '\\#x \\$y\\$|"q\\""|#strong[z]'
    with pytest.raises(TypeError):
        template.render(a="", b="", c="#raw text")


def test_a_snippet_run_on_two_devices_prints_its_code_once() -> None:
    from generator.model import Location, SnippetRef
    from generator.pdf import _snippet_groups, _snippet_markup

    ref = SnippetRef("gpu/x.py", Location("cards/gpu/x.md", 4))
    cpu = SnippetResult(ref, "assert DEVICE\nprint('ran')\n", None, "cpu")
    cuda = SnippetResult(ref, cpu.code, None, "cuda")
    groups = _snippet_groups((cpu, cuda))
    assert len(groups) == 1
    markup = _snippet_markup(groups[0])
    assert markup.count("ran") == 1  # the code, once
    assert "no cpu output" in markup and "no cuda output" in markup  # one per device
    assert 'DEVICE\\: \\"cpu\\" and \\"cuda\\"' in markup  # the global is explained


def test_text_the_pdf_fonts_cannot_show_is_a_located_warning() -> None:
    plain = synthetic(1)
    cjk = synthetic(2, example="Attention in Chinese: 注意力.")
    assert pdfmod.missing_glyphs(plain) is None
    warning = pdfmod.missing_glyphs(cjk)
    assert warning == (
        "cards/syn/card-002.md:14: warning: the PDF fonts have no glyph for '注' (cjk unified "
        "ideograph-6ce8): it prints as an empty box in the PDFs (the .apkg shows it); write it "
        "in Latin script or accept the boxes")


# --- print safety --------------------------------------------------------------------------

MONO = "DejaVuSansMono"


def text_sizes(path: Path) -> dict[str, float]:
    """The smallest printed size (pt) of each font in a PDF, read back with pypdf."""
    smallest: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip() or not isinstance(font, dict):
            return
        name = str(font.get("/BaseFont", "")).split("+")[-1]
        printed = size * abs(tm[3]) * abs(cm[3])
        smallest[name] = min(smallest.get(name, printed), printed)

    for page in pypdf.PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return smallest


def gpu_and_double_cards() -> list[BuiltCard]:
    """The sample cards plus a GPU card not run on a GPU and a back too long for one cell."""
    ref = sample_cards()[-1].snippets[0].ref
    gpu = SnippetResult(ref, "x = 1  # a comment\nprint(x)\n", None, device="cuda")
    long_pitfall = " ".join(f"Sentence {k} of a pitfall that goes on." for k in range(140))
    return sample_cards() + [synthetic(0, snippet=gpu), synthetic(1, pitfall=long_pitfall)]


def test_code_prints_at_7_pt_or_more(tmp_path: Path) -> None:
    report = write_pdfs(gpu_and_double_cards(), make_config(), tmp_path)
    for pdf in (report.cards_pdf, report.cheatsheet_pdf):
        sizes = text_sizes(pdf)
        mono = {name: size for name, size in sizes.items() if name.startswith(MONO)}
        assert mono, sizes  # code was found
        assert min(mono.values()) >= 7.0 - 1e-6, (pdf.name, mono)


def ink_distance_mm(pdf: Path, dpi: int = 100) -> list[float | None]:
    """Per page, rendered by pdftoppm: how close ink comes to the sheet's edge (None: blank)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{tmp}/p"], check=True)
        distances: list[float | None] = []
        for page in sorted(Path(tmp).glob("p*.pgm")):
            header = page.read_bytes().split(maxsplit=4)
            w, h, pixels = int(header[1]), int(header[2]), header[4]
            pixels = pixels[len(pixels) - w * h:]
            ink = bytes(0 if b < 245 else 255 for b in range(256))
            rows = [pixels[y * w:(y + 1) * w].translate(ink) for y in range(h)]
            inked = [y for y in range(h) if 0 in rows[y]]
            if not inked:
                distances.append(None)
                continue
            d = min(inked[0], h - 1 - inked[-1])
            for y in inked:
                d = min(d, rows[y].find(0), w - 1 - rows[y].rfind(0))
            distances.append(d * 25.4 / dpi)
        return distances


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="pdftoppm (poppler-utils) is not installed; .ci/run installs it")
@pytest.mark.parametrize(("paper", "per_page"), [("a4", 4), ("letter", 8)])
def test_nothing_is_printed_within_5_mm_of_the_edge(tmp_path: Path, paper: str,
                                                    per_page: int) -> None:
    report = write_pdfs(gpu_and_double_cards(), make_config(paper=paper, cards_per_page=per_page),
                        tmp_path)
    for pdf in (report.cards_pdf, report.cheatsheet_pdf):
        distances = [d for d in ink_distance_mm(pdf) if d is not None]
        assert distances and min(distances) >= 5.0, (pdf.name, distances)


def test_a_long_footer_stays_on_one_line(tmp_path: Path) -> None:
    ref = sample_cards()[-1].snippets[0].ref
    runs = tuple(SnippetResult(ref, "print(1)\n", Verification(
        "syn-000", "snippets/x.py", device, "passed", "1\n", "", 0.1,
        (("python", f"3.11.{k}"), ("torch", "2.13.0+cu128"), ("numpy", "2.1.0")), "h",
        "NVIDIA H100 80GB HBM3 with a very long marketing name" if device == "cuda" else None),
        device) for k, device in enumerate(("cpu", "cuda")))
    card = synthetic(0, snippet=runs[0])
    card = replace(card, snippets=runs)
    report = write_pdfs([card], make_config(), tmp_path)
    back = page_texts(report.cards_pdf)[1]
    footer = ("GPU verified on cpu: Python 3.11.0, torch 2.13.0, numpy 2.1.0 · verified on cuda "
              "(NVIDIA H100 80GB HBM3 with a very long marketing name): Python 3.11.1, torch "
              "2.13.0, numpy 2.1.0")
    assert footer in back.split("\n")  # one line, the local version label "+cu128" dropped
    assert "Test Deck" not in back  # the deck's name is on the fronts, not beside the footer


def test_code_lines_of_72_characters_fit_and_longer_ones_wrap_marked(tmp_path: Path) -> None:
    ref = sample_cards()[-1].snippets[0].ref
    fits = "x = torch.nn.functional.cross_entropy(logits, targets)  # exactly 72 chr"
    wraps = "    y = some_function(argument_one, argument_two, argument_three, and_more, four)"
    assert len(fits) == 72 and len(wraps) > 72
    code = f"{fits}\n\ndef f():\n{wraps}\n    return y\n"
    card = synthetic(0, snippet=SnippetResult(ref, code, verification("syn-000", "ok\n")))
    report = write_pdfs([card], make_config(), tmp_path)
    lines = page_texts(report.cards_pdf)[1].split("\n")
    assert fits in lines  # one printed line, at 7 pt
    start = next(i for i, line in enumerate(lines) if line.startswith("    y = some_function("))
    assert lines[start + 1] == "and_more, four)"  # wrapped once...
    assert [line.strip() for line in lines].count("↪") == 1  # ...and its continued row marked
    assert "return y" in lines[start + 2]


def test_typst_losing_its_work_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """Another process removing the (shared, temporary) Typst folder mid-build makes real
    Typst raise a bare FileNotFoundError; the build says what happened instead."""
    gone = tmp_path / "deck-typst-gone"
    with pytest.raises(BuildError, match=r"Typst could not use its work folder .*deck-typst-gone "
                                         r"\(No such file or directory\): something removed it "
                                         r"during the build; build again"):
        pdfmod._compile("= card", gone, "cards PDF")
