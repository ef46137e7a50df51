"""Every flagship card in real headless Chromium, as Anki shows it, on a phone and a desktop.

The pages are ``deck preview``'s, which hold exactly the real Anki backend's question and answer
HTML (test_preview.py checks that), typeset by MathJax 3 with Anki's settings. For each card's
back (which shows the front too) at 360 px and 1000 px, light and night: the page does not
scroll sideways, every character of code and output lies inside its box and the screen, every
formula is typeset without MathJax errors and fits its line, and no raw ``\\(`` is left.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright; ``PREP_CHROMIUM``
names another executable. Without one these tests are skipped, and the test run's summary says
how many (tests/conftest.py). One browser and one page are reused for every card; the tests
share one xdist group so that one worker runs them all.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cloze import is_cloze_key
from generator.preview import DESKTOP_WIDTH, PHONE_WIDTH, page_name, preview_cards, write_preview
from generator.render import render_cards
from preview_support import SAMPLES, built_deck

pytestmark = pytest.mark.xdist_group("browser")

# The sandbox needs user namespaces that a root CI container lacks; the network is closed, so
# every background fetch is turned off too.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu",
                 "--disable-dev-shm-usage"]
PHONE = {"width": PHONE_WIDTH, "height": 640}
DESKTOP = {"width": DESKTOP_WIDTH, "height": 800}
# A formula may be scaled down to fit its line, but not until it cannot be read.
MIN_MATH_SCALE = 0.55

CONFIG, BUILT = built_deck()
CARDS = preview_cards(render_cards(BUILT, CONFIG), CONFIG)
# Cloze cards of the sample deck (tests/samples/cloze): a hole in a line too long for a phone,
# a hole with a hint, a hole in a line with braces; both sides.
CLOZE_CONFIG, CLOZE_BUILT = built_deck(SAMPLES / "cloze")
CLOZE_CARDS = [c for c in preview_cards(render_cards(CLOZE_BUILT, CLOZE_CONFIG), CLOZE_CONFIG)
               if is_cloze_key(c.card_id)]


def chromium_path() -> str | None:
    """``PREP_CHROMIUM``, else Debian's chromium, else another Chromium on PATH.

    ``PREP_CHROMIUM=none`` skips the browser tests on purpose."""
    if os.environ.get("PREP_CHROMIUM") == "none":
        return None
    candidates = [os.environ.get("PREP_CHROMIUM", ""), "/usr/bin/chromium",
                  shutil.which("chromium") or "", shutil.which("chromium-browser") or "",
                  shutil.which("google-chrome") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_preview(render_cards(BUILT, CONFIG), CONFIG,
                         tmp_path_factory.mktemp("site") / "preview").parent


@pytest.fixture(scope="session")
def cloze_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_preview(render_cards(CLOZE_BUILT, CLOZE_CONFIG), CLOZE_CONFIG,
                         tmp_path_factory.mktemp("cloze") / "preview").parent


@pytest.fixture(scope="session")
def page() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":  # .ci/run installs it: never skip there
            pytest.fail("no Chromium on a CI machine: .ci/run should have installed it")
        pytest.skip("no Chromium: apt-get install chromium (or set PREP_CHROMIUM)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is a test dependency: run make test")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport=PHONE)
            problems: list[str] = []
            tab.on("pageerror", lambda err: problems.append(f"script error: {err}"))
            # ERR_ABORTED: a load cut short by the next navigation, not a missing file
            tab.on("requestfailed", lambda req: problems.append(f"failed to load {req.url}")
                   if "ERR_ABORTED" not in (req.failure or "") else None)
            tab.on("console", lambda msg: problems.append(f"console error: {msg.text}")
                   if msg.type == "error" else None)
            tab.problems = problems
            yield tab
        finally:
            browser.close()


def expected_formulas(html: str) -> int:
    """How many ``\\(`` and ``\\[`` MathJax must typeset: those outside code and styles."""
    text = re.sub(r"<(pre|code|style|script)\b.*?</\1>", "", html, flags=re.S)
    return text.count("\\(") + text.count("\\[")


# Everything measured in the page. Returns the problems found, in words.
CHECK = """
() => {
  const problems = [];
  const doc = document.documentElement;
  const qa = document.getElementById("qa");
  const width = doc.clientWidth;
  if (doc.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px wide in ${width} px`);
  }
  for (const pre of qa.querySelectorAll("pre")) {
    const box = pre.getBoundingClientRect();
    if (pre.scrollWidth > pre.clientWidth) {
      problems.push(`a code box scrolls: ${pre.scrollWidth} > ${pre.clientWidth} px`);
    }
    const outside = r => r.left < box.left - 0.5 || r.right > box.right + 0.5
                         || r.right > width + 0.5;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      range.selectNodeContents(node);
      // Fast path: every row the text occupies lies inside the box and the screen.
      if (![...range.getClientRects()].some(outside)) continue;
      // Else look at each visible character (spaces at a wrap may hang past the edge).
      for (let i = 0; i < node.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        if (outside(range.getBoundingClientRect())) {
          problems.push(`code hidden: "${node.data.slice(Math.max(0, i - 30), i + 1)}"`);
          break;
        }
      }
    }
  }
  // A wrapped line: its continuation rows start past the hanging indent, and the gutter
  // shows a continuation mark on each of them.
  let wrapped = 0;
  for (const line of qa.querySelectorAll("pre .cl")) {
    const row = parseFloat(getComputedStyle(line).lineHeight);
    const rows = Math.round(line.getBoundingClientRect().height / row);
    if (rows < 2) continue;
    wrapped++;
    const mark = getComputedStyle(line, "::before");
    const indentTo = line.getBoundingClientRect().left + parseFloat(getComputedStyle(line).paddingLeft);
    const range = document.createRange();
    range.selectNodeContents(line);
    const top = line.getBoundingClientRect().top;
    const later = [...range.getClientRects()].filter(r => r.top > top + row / 2 && r.width > 0);
    if (!mark.content.includes("\u21aa") || parseFloat(mark.height) < (rows - 1) * row - 1) {
      problems.push(`a wrapped line has no continuation mark: "${line.textContent.slice(0, 40)}"`);
    } else if (later.some(r => r.left < indentTo - 1)) {
      problems.push(`a wrapped line has no hanging indent: "${line.textContent.slice(0, 40)}"`);
    }
  }
  if (doc.dataset.mathjax !== "done") problems.push(`MathJax: ${doc.dataset.mathjax}`);
  for (const e of window.prepMathErrors) problems.push(`MathJax error: ${e}`);
  if (qa.querySelector("mjx-merror")) problems.push("a formula shows a MathJax error");
  const skip = "pre, code, style, script, mjx-container, .tex2jax_ignore";
  const texts = document.createTreeWalker(qa, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.parentElement.closest(skip) && /\\\\[()\\[\\]]/.test(node.data)) {
      problems.push(`raw math delimiter left: "${node.data.trim().slice(0, 60)}"`);
    }
  }
  let minScale = 1;
  const formulas = qa.querySelectorAll("mjx-container");
  for (const math of formulas) {
    let block = math.parentElement;
    while (getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const outer = block.getBoundingClientRect();
    const r = math.firstElementChild.getBoundingClientRect();
    if (r.left < outer.left - 1 || r.right > outer.right + 1 || r.right > width + 1) {
      problems.push(`a formula is cut or widens its line: "${math.textContent.slice(0, 40)}"`);
    }
    const own = parseFloat(getComputedStyle(math).fontSize);
    const around = parseFloat(getComputedStyle(math.parentElement).fontSize);
    minScale = Math.min(minScale, own / around);
  }
  return {problems, formulas: formulas.length, minScale, wrapped};
}
"""

SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
NIGHT = """(on) => {
  for (const name of ["nightMode", "night_mode"]) document.body.classList.toggle(name, on);
  return getComputedStyle(document.body).backgroundColor;
}"""


def check_views(page: Any, url: str, html: str) -> tuple[list[str], dict[str, int]]:
    """Every problem of one card side at 360 and 1000 px, light and night."""
    page.problems.clear()
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.mathjax", timeout=30_000)
    failures: list[str] = []
    wrapped: dict[str, int] = {}
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for night in (False, True):
            background = page.evaluate(NIGHT, night)
            page.evaluate(SETTLE)
            result = page.evaluate(CHECK)
            view = f"{viewport['width']} px {'night' if night else 'light'}"
            assert background == ("rgb(30, 30, 30)" if night else "rgb(255, 255, 255)"), view
            failures += [f"{view}: {p}" for p in result["problems"] + page.problems]
            if result["formulas"] != expected_formulas(html):
                failures.append(f"{view}: {result['formulas']} formulas typeset, "
                                f"{expected_formulas(html)} in the card")
            wrapped[view] = result["wrapped"]
            if result["minScale"] < MIN_MATH_SCALE:
                failures.append(f"{view}: a formula is shrunk to {result['minScale']:.2f}")
            page.problems.clear()
    return failures, wrapped


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.card_id)
def test_card_fits_phone_and_desktop_in_light_and_night(card: Any, page: Any, site: Path) -> None:
    failures, wrapped = check_views(page, (site / page_name(card.card_id, "back")).as_uri(),
                                    card.back)
    assert not failures, "\n".join(failures)
    longest = max((len(line) for s in card_code(card) for line in s.splitlines()), default=0)
    if longest > 60:  # more than a phone's row: the wrapping was exercised and checked
        assert wrapped["360 px light"] > 0, wrapped


def card_code(card: Any) -> list[str]:
    built = next(b for b in BUILT if card.card_id.split("+cloze-")[0] == b.card.id)
    return [s.code for s in built.snippets]


HOLE = """(night) => {
  const holes = [...document.querySelectorAll("#qa .cloze")];
  const box = holes.length ? holes[0].closest("pre").getBoundingClientRect() : null;
  return holes.map(h => {
    const r = h.getBoundingClientRect();
    const style = getComputedStyle(h);
    return {text: h.textContent, color: style.color, background: style.backgroundColor,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.width > 0};
  });
}"""


@pytest.mark.parametrize("card", [c for c in CARDS if is_cloze_key(c.card_id)],
                         ids=lambda c: c.card_id)
def test_flagship_cloze_front_fits_phone_and_desktop_in_light_and_night(
        card: Any, page: Any, site: Path) -> None:
    """The backs are checked with every card above; a cloze front holds the code too."""
    failures, _ = check_views(page, (site / page_name(card.card_id, "front")).as_uri(),
                              card.front)
    assert not failures, "\n".join(failures)
    page.set_viewport_size(PHONE)
    for night in (False, True):
        page.evaluate(NIGHT, night)
        (hole,) = page.evaluate(HOLE, night)
        assert hole["inside"] and hole["text"].startswith("["), hole


@pytest.mark.parametrize("side", ["front", "back"])
@pytest.mark.parametrize("card", CLOZE_CARDS, ids=lambda c: c.card_id)
def test_cloze_card_fits_phone_and_desktop_in_light_and_night(card: Any, side: str, page: Any,
                                                              cloze_site: Path) -> None:
    html = card.front if side == "front" else card.back
    url = (cloze_site / page_name(card.card_id, side)).as_uri()
    failures, _ = check_views(page, url, html)
    assert not failures, "\n".join(failures)
    # The hole (front) or the filled-in code (back) is one visible span inside the code box,
    # coloured apart from the code around it in light and in night mode.
    page.set_viewport_size(PHONE)
    for night, color in ((False, "rgb(5, 80, 174)"), (True, "rgb(121, 192, 255)")):
        page.evaluate(NIGHT, night)
        (hole,) = page.evaluate(HOLE, night)
        assert hole["inside"] and hole["color"] == color, hole
        if side == "front":
            assert hole["text"] in ("[...]", "[biased batch variance]",
                                    "[print: $, <, {{ and }}]"), hole


# An inline formula MathJax typesets narrower than the browser lays out its MathML copy for
# screen readers (the copy is as wide as that layout): moved along the line one narrow letter
# at a time, some copy lands at a line end at 360 px.
LINE_END_FORMULAS = (r"\operatorname{softmax}(QK^\top/\sqrt{d_k})V",
                     r"\hat y = \sigma(w^\top x + b)")
ASSISTIVE = """
() => {
  const width = document.documentElement.clientWidth;
  let atLineEnd = 0;
  for (const copy of document.querySelectorAll("#qa mjx-assistive-mml")) {
    const box = copy.parentElement.getBoundingClientRect();
    // Where the copy would end if it were as wide as its MathML layout.
    if (box.left + copy.scrollWidth > width && box.right <= width) atLineEnd++;
  }
  return {atLineEnd, copies: document.querySelectorAll("#qa mjx-assistive-mml").length,
          scrollWidth: document.documentElement.scrollWidth, width};
}
"""


def test_a_formula_at_a_line_end_keeps_the_phone_page_still(
        page: Any, tmp_path: Path) -> None:
    """MathJax's hidden screen-reader copy of a formula at the end of a line must not widen
    the page (it did by 1 to 40 px at 360 px, so the whole card scrolled sideways)."""
    root = tmp_path / "deck"
    (root / "cards" / "m").mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent / "samples" / "tiny" / "deck.toml",
                    root / "deck.toml")
    lines = "\n\n".join(f"Step {k}: {'i' * k} then ${tex}$ ends."
                          for tex in LINE_END_FORMULAS for k in range(60))
    (root / "cards" / "m" / "line-end.md").write_text(
        "---\nid: math-at-line-end\nno_snippet: a browser test card\n---\n"
        f"# Where does each formula fall?\n\n## Principle\n{lines}\n\n## Reason\nA reason.\n\n"
        "## Example\nAn example.\n\n## Pitfall\nA pitfall.\n", encoding="utf-8")
    config, built = built_deck(root)
    rendered = render_cards(built, config)
    site = write_preview(rendered, config, tmp_path / "preview").parent
    card = preview_cards(rendered, config)[0]
    page.problems.clear()
    page.set_viewport_size(PHONE)
    page.goto((site / page_name(card.card_id, "back")).as_uri())
    page.wait_for_function("document.documentElement.dataset.mathjax", timeout=30_000)
    page.evaluate(SETTLE)
    found = page.evaluate(ASSISTIVE)
    # The sample does what it is for: screen-reader copies exist (MathJax made them, and
    # nothing removed them), and some would reach past the edge of the screen.
    assert found["copies"] == 2 * 60, found
    assert found["atLineEnd"] > 0, found
    result = page.evaluate(CHECK)
    assert not result["problems"] + page.problems, result["problems"] + page.problems
    assert found["scrollWidth"] == found["width"], found


def test_the_answer_shows_the_principle_on_the_first_phone_screen(page: Any, site: Path) -> None:
    """The key answer is graded from the first screen, even on a client that does not
    scroll the back to the answer: question and Principle end within 640 px of the top."""
    page.set_viewport_size(PHONE)
    too_long = []
    for card in [c for c in CARDS if not is_cloze_key(c.card_id)]:  # cloze cards: no Principle
        page.goto((site / page_name(card.card_id, "back")).as_uri())
        page.wait_for_function("document.documentElement.dataset.mathjax", timeout=30_000)
        first, bottom = page.evaluate("""() => [
            document.querySelector(".prep-back > .prep-section").className,
            document.querySelector(".prep-principle").getBoundingClientRect().bottom
                + window.scrollY]""")
        assert first == "prep-section prep-principle", card.card_id
        if bottom > PHONE["height"]:
            too_long.append(f"{card.card_id}: the Principle ends {bottom:.0f} px down")
    assert not too_long, too_long


def test_the_index_searches_and_switches(page: Any, site: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto((site / "index.html").as_uri())
    visible = "() => [...document.querySelectorAll('#list li')].filter(li => !li.hidden).length"
    assert page.evaluate(visible) == len(CARDS)
    target = next(c for c in CARDS if "attention" in c.card_id)
    page.fill("#search", target.card_id)
    assert page.evaluate(visible) == 1
    page.click(f"a[data-card='{target.card_id}']")
    page.click("button[data-value='night']")
    page.click("button[data-value='desktop']")
    frame = page.locator("#frame")
    assert frame.get_attribute("src") == f"cards/{target.card_id}.back.html?night"
    inner = page.frame_locator("#frame")
    inner.locator("#qa").wait_for()
    assert inner.locator("html").evaluate("e => e.clientWidth") == DESKTOP_WIDTH
    assert "nightMode" in (inner.locator("body").get_attribute("class") or "")
    page.click("button[data-value='phone']")
    page.click("button[data-value='front']")
    assert frame.get_attribute("src") == f"cards/{target.card_id}.front.html?night"
    inner.locator("#qa .prep-front").wait_for()
    assert inner.locator("html").evaluate("e => e.clientWidth") == PHONE_WIDTH
    assert "night" in page.evaluate("location.hash")
    page.fill("#search", "no card has this text")
    assert page.evaluate(visible) == 0
    assert not page.problems, page.problems


# --- figures: legible on a 360 px phone, light and night --------------------------------------

FIGURE_CARDS = ("cards/evaluation/p3-pr-auc-vs-roc-auc.md",
                "cards/optimisation/warmup-cosine-schedule.md",
                "cards/normalisation/p3-label-smoothing.md")
FIGURE_CODE = """
import matplotlib.pyplot as plt
fig, (a, b) = plt.subplots(1, 2, sharey=True)
a.plot([0, 0.2, 1], [0, 0.8, 1], label="ROC"); a.legend()
b.plot([0, 1], [1, 0.1], color="C1"); b.set(title="precision-recall", xlabel="recall")
fig.savefig("figure.svg")
"""
INK = """async (night) => {
  const img = document.querySelector("#qa .prep-figure img");
  await img.decode();
  const box = img.getBoundingClientRect();
  return {natural: img.naturalWidth, width: box.width, height: box.height,
          page: document.documentElement.clientWidth,
          scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          filter: getComputedStyle(img).filter};
}"""


@pytest.fixture(scope="module")
def figure_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The preview with a matplotlib figure (drawn as the worker draws) on three cards."""
    import subprocess
    import sys
    from dataclasses import replace

    from generator.verify import figures

    work = tmp_path_factory.mktemp("draw")
    subprocess.run([sys.executable, "-c", FIGURE_CODE], cwd=work, check=True, timeout=120,
                   env={**os.environ, **figures.ENVIRONMENT})
    fig = figures.make_figure("figure.svg", (work / "figure.svg").read_text(encoding="utf-8"))
    built = [b if b.card.path not in FIGURE_CARDS else replace(b, snippets=tuple(
        replace(s, verification=replace(s.verification, figures=(fig,)))
        if s.verification is not None else s for s in b.snippets)) for b in BUILT]
    ids = [b.card.id for b in built if b.card.path in FIGURE_CARDS]
    assert len(ids) == len(FIGURE_CARDS)
    out = tmp_path_factory.mktemp("figsite") / "preview"
    return write_preview(render_cards(built, CONFIG), CONFIG, out).parent, ids


def test_figures_fit_a_phone_and_stay_visible_at_night(page: Any, figure_site: Any) -> None:
    import io

    from PIL import Image

    site, ids = figure_site
    page.set_viewport_size(PHONE)
    for card_id in ids:
        page.problems.clear()
        page.goto((site / page_name(card_id, "back")).as_uri())
        for night in (False, True):
            page.evaluate(NIGHT, night)
            page.evaluate(SETTLE)
            got = page.evaluate(INK, night)
            view = f"{card_id} at 360 px {'night' if night else 'light'}"
            assert got["natural"] > 0 and not got["scrolls"], view
            assert 0.8 * (got["page"] - 40) <= got["width"] <= got["page"], (view, got)
            assert ("invert" in got["filter"]) == night, (view, got["filter"])
            shot = Image.open(io.BytesIO(page.locator("#qa .prep-figure img").screenshot()))
            hist = shot.convert("L").histogram()  # pixels per luminance 0..255
            ink = sum(hist[151:] if night else hist[:100]) / sum(hist)
            glare = sum(hist[236:]) / sum(hist)
            assert ink > 0.01, (view, ink)  # axes, lines and labels show against the card
            assert not night or glare < 0.05, (view, glare)  # no white box on a dark card
        assert not page.problems, page.problems
