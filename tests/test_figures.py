"""Figures a snippet draws: collected after a passing run, kept in the record, shown in the PDF.

The Anki side (media in the package, a changed figure updating its note) is in test_anki.py,
the phone and night-mode checks in test_browser.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ContentStream

from generator.model import BuiltCard, Figure, Verification
from generator.parse import parse_card
from generator.pdf import write_pdfs
from generator.verify import figures, portability
from generator.verify.figures import MAX_FIGURE_BYTES, MAX_FIGURES, FigureError, collect
from generator.verify.jobs import SnippetJob
from generator.verify.records import RecordError, from_json, to_json
from generator.verify.supervisor import Supervisor

SVG = ('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
       'width="100pt" height="60pt" viewBox="0 0 100 60"><path d="M 0 0 L 100 60"/></svg>\n')
PLOT = """
import matplotlib.pyplot as plt
plt.plot([0, 1, 2], [0, 1, 4], label="y = x^2")
plt.title("a title"); plt.legend()
plt.savefig("curve.svg")
print("drew it")
"""


def draw_svg(folder: Path, code: str = PLOT) -> str:
    """An SVG drawn by matplotlib as the worker sets it up (its environment and rc file)."""
    env = {**os.environ, **figures.ENVIRONMENT}
    subprocess.run([sys.executable, "-c", code], env=env, cwd=folder, capture_output=True,
                   check=True, timeout=120)
    return (folder / "curve.svg").read_text(encoding="utf-8")


def record(figs: tuple[Figure, ...] = (), status: str = "passed") -> Verification:
    return Verification("c-1", "snippets/c.py", "cpu", status, "out\n", "", 0.1,
                        (("python", "3.11"),), "hash", figures=figs)


# --- collecting ---------------------------------------------------------------------------


def test_collect_takes_top_level_svgs_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.svg").write_text(SVG)
    (tmp_path / "a-1.svg").write_text(SVG)
    (tmp_path / "model.pt").write_bytes(b"\0")  # other files a snippet writes are ignored
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.svg").write_text(SVG)
    found = collect(tmp_path)
    assert [f.name for f in found] == ["a-1.svg", "b.svg"]
    assert found[0].svg == SVG and found[0].media_name == f"a-1-{found[0].sha256[:12]}.svg"
    assert collect(tmp_path / "missing") == ()


@pytest.mark.parametrize(("setup", "message"), [
    (lambda d: [(d / f"f{i}.svg").write_text(SVG) for i in range(MAX_FIGURES + 1)],
     f"a card shows at most {MAX_FIGURES}"),
    (lambda d: (d / "big.svg").write_text(SVG + " " * MAX_FIGURE_BYTES), "at most 524288"),
    (lambda d: (d / "plot.png").write_bytes(b"\x89PNG"), "SVG figures only"),
    (lambda d: (d / "bad name.svg").write_text(SVG), "name it with letters"),
    (lambda d: (d / "text.svg").write_text("hello"), "is not an SVG file"),
    (lambda d: (d / "bin.svg").write_bytes(b"\xff<svg"), "is not UTF-8"),
    (lambda d: (d / "link.svg").symlink_to("/etc/passwd"), "not a link"),
])
def test_collect_refuses_what_cannot_ship(tmp_path: Path, setup: object, message: str) -> None:
    setup(tmp_path)  # type: ignore[operator]
    with pytest.raises(FigureError, match=message):
        collect(tmp_path)


def test_records_keep_figures_and_reject_tampered_ones() -> None:
    fig = figures.make_figure("roc.svg", SVG)
    data = json.loads(json.dumps(to_json(record((fig,)))))
    assert from_json(data).figures == (fig,)
    assert from_json(to_json(record((fig,)), ledger=True), ledger=True).figures == (fig,)
    tampered = json.loads(json.dumps(data))
    tampered["figures"][0]["svg"] = SVG.replace("100 60", "1 6")
    with pytest.raises(RecordError, match="does not match its sha256"):
        from_json(tampered)
    failed = dict(data, status="failed")
    with pytest.raises(RecordError, match="only a passed run"):
        from_json(failed)
    old = {k: v for k, v in data.items() if k != "figures"}  # a record from before figures
    assert from_json(old).figures == ()


def test_portability_compares_figures() -> None:
    a = figures.make_figure("roc.svg", SVG)
    b = figures.make_figure("roc.svg", SVG.replace("100 60", "100 61"))
    assert portability.compare(record((a,)), record((a,))) is None
    message = portability.compare(record((a,)), record((b,)))
    assert message is not None and "draws CPU-dependent figures: roc.svg" in message


# --- the real worker ------------------------------------------------------------------------


def _job(root: Path, name: str, code: str) -> SnippetJob:
    (root / "snippets").mkdir(exist_ok=True)
    (root / "snippets" / f"{name}.py").write_text(code)
    card = parse_card(f"---\nid: {name}\nsnippet: {name}.py\n---\n# Q?\n", f"cards/{name}.md")
    return SnippetJob(root, card, card.snippets[0], "cpu")


def test_worker_collects_byte_identical_figures_from_passing_runs_only(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path, env_overrides={"DECK_WORKER_PRELOAD": "matplotlib.pyplot"})
    try:
        first = supervisor.run(_job(tmp_path, "plot", PLOT), "h")
        again = supervisor.run(_job(tmp_path, "plot", PLOT), "h")
        failing = supervisor.run(_job(tmp_path, "fails", PLOT + "assert False\n"), "h")
        png = supervisor.run(_job(tmp_path, "png", PLOT.replace("curve.svg", "c.png")), "h")
    finally:
        supervisor.close()
    assert first.passed and first.stdout == "drew it\n", first.message
    (fig,) = first.figures
    assert fig.name == "curve.svg" and again.figures == first.figures  # byte-identical
    svg = fig.svg
    assert "<dc:date>1970-01-01T00:00:00+00:00</dc:date>" in svg  # SOURCE_DATE_EPOCH, no now
    assert str(tmp_path) not in svg and "/tmp" not in svg  # no paths
    assert 'fill="#ffffff"' not in svg  # transparent: no white box on a dark card
    assert "<text" not in svg  # text as paths: no font needed to show it
    assert failing.status == "failed" and failing.figures == ()
    assert png.status == "failed" and "SVG figures only" in png.message
    assert draw_svg(tmp_path) == svg  # the same drawing outside the worker: same bytes


# --- the PDF -------------------------------------------------------------------------------


def _painted(pdf: Path) -> list[int]:
    """Path-construction operators (``l``, ``c``) on each page: a figure is vector paths."""
    reader = pypdf.PdfReader(pdf)
    counts = []
    for page in reader.pages:
        ops = Counter(op for _, op in ContentStream(page.get_contents(), reader).operations)
        counts.append(ops[b"l"] + ops[b"c"])
    return counts


def test_pdf_draws_the_figure_on_the_back(tmp_path: Path) -> None:
    from test_pdf import make_config, sample_cards

    fig = figures.make_figure("curve.svg", draw_svg(tmp_path))
    cards = sample_cards()
    i = next(i for i, c in enumerate(cards) if c.snippets)
    s = cards[i].snippets[0]
    assert s.verification is not None
    with_figure = list(cards)
    with_figure[i] = BuiltCard(cards[i].card, cards[i].subdeck, (
        replace(s, verification=replace(s.verification, figures=(fig,))),
        *cards[i].snippets[1:]))
    plain = write_pdfs(cards, make_config(), tmp_path / "plain")
    drawn = write_pdfs(with_figure, make_config(), tmp_path / "drawn")
    before, after = _painted(plain.cards_pdf), _painted(drawn.cards_pdf)
    assert len(before) == len(after)
    added = [a - b for a, b in zip(after, before, strict=True)]
    assert max(added) > 100 and sorted(added)[-2] == 0  # on one page: the card's back
    assert not any(p.images for p in pypdf.PdfReader(drawn.cards_pdf).pages)  # vector, no bitmap
    again = write_pdfs(with_figure, make_config(), tmp_path / "again")
    assert again.cards_pdf.read_bytes() == drawn.cards_pdf.read_bytes()
