"""Time and peak memory of ``write_pdfs``: this repository's deck and synthetic decks of
100 and 1,000 cards.

Each build runs in a fresh subprocess, which reports its own CPU time and peak RSS
(``getrusage(RUSAGE_SELF)`` at its end: the parent's ``RUSAGE_CHILDREN`` would give the
maximum over every child so far, not this run's). ``--write`` puts the table into the
``## PDF`` section of docs/performance.md (other sections are left as they are).

    .venv/bin/python bench/pdf_scale.py --write
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import Config
from generator.model import BuiltCard, SnippetRef, SnippetResult, Verification
from generator.parse import parse_card
from generator.pdf import write_pdfs

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
SIZES = (100, 1000)
FLAGSHIP = -1  # --child -1: this repository's own deck
SUBDECKS = ("Fundamentals", "Training", "Optimisation", "Normalisation", "Architectures",
            "Evaluation")
FORMULAS = (
    r"\hat x_{%d} = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}",
    r"\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{%d} e^{z_j}}",
    r"w \leftarrow w - \eta \nabla_w L + %d \lambda \|w\|_2^2",
    r"\mathbb{E}[L] = \frac{1}{n} \sum_{i=1}^{n} \ell(y_i, \hat y_i) + %d",
)
CODE = '''import torch

torch.manual_seed({i})
x = torch.randn(8, 3, requires_grad=True)
w = torch.nn.Parameter(torch.ones(3) * {i})
loss = ((x @ w) ** 2).mean()  # a scalar loss
loss.backward()
assert x.grad is not None and x.grad.shape == (8, 3)
grads = {{"x": x.grad.norm().item(), "w": w.grad.norm().item()}}
for name, value in sorted(grads.items()):
    print(f"{{name}}: {{value:.4f}}")
'''


def synthetic_deck(n: int) -> list[BuiltCard]:
    """``n`` cards like the flagship's: four sections, one formula, a 12-line snippet."""
    built = []
    for i in range(n):
        formula = FORMULAS[i % len(FORMULAS)] % i
        text = (
            f"---\nid: synthetic-{i:05d}\ndeck: {SUBDECKS[i % len(SUBDECKS)]}\n"
            f"snippet: synth/card_{i:05d}.py\n---\n"
            f"# What does step {i} of the `optimizer` do to the **weights**?\n\n"
            "## Principle\nThe optimiser moves each weight against its gradient, scaled by the "
            "learning rate; momentum adds a running average of past gradients.\n\n"
            "## Reason\nThe gradient points uphill, so a small step against it lowers the loss "
            "as long as the step is small compared with the curvature.\n\n"
            f"## Example\nThe update is\n$${formula}$$\nand the snippet checks the shapes.\n\n"
            "## Pitfall\nForgetting `optimizer.zero_grad()` accumulates gradients across "
            "steps, so each update is the sum of all previous ones.\n"
        )
        card = parse_card(text, f"cards/synth/card-{i:05d}.md")
        ref = SnippetRef(f"synth/card_{i:05d}.py", card.location)
        stdout = f"w: {i * 0.5:.4f}\nx: {i * 0.25:.4f}\n"
        verification = Verification(
            card.id or "", ref.source_path, "cpu", "passed", stdout, "", 0.05,
            (("python", "3.11.7"), ("torch", "2.13.0")), f"{i:064x}")
        snippet = SnippetResult(ref, CODE.format(i=i), verification)
        built.append(BuiltCard(card, SUBDECKS[i % len(SUBDECKS)], (snippet,)))
    return built


def flagship_deck() -> tuple[Config, list[BuiltCard]]:
    """This repository's own cards, with the verified outputs ``build/`` or the ledger hold
    (a placeholder where a snippet has not been verified here yet)."""
    from generator.config import load_config
    from generator.lint import read_deck
    from generator.verify import load_verifications

    config = load_config(ROOT)
    deck, _ = read_deck(ROOT)
    records = load_verifications(config)
    built = []
    for card in deck.cards:
        snippets = []
        for ref in card.snippets:
            device = card.requires[0] if card.requires else "cpu"
            v = records.get((card.id or "", ref.source_path, device)) or Verification(
                card.id or "", ref.source_path, device, "passed", "(not verified here)\n", "",
                0.0, (("python", platform.python_version()),), "")
            code = (ROOT / ref.source_path).read_text(encoding="utf-8")
            snippets.append(SnippetResult(ref, code, v, device))
        built.append(BuiltCard(card, card.deck or config.default_subdeck, tuple(snippets)))
    return config, built


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread, Typst's included
    return usage.ru_utime + usage.ru_stime


def child(n: int, cache_dir: str) -> None:
    """Build both PDFs for ``n`` cards and print the timings as JSON."""
    if n == FLAGSHIP:
        config, cards = flagship_deck()
    else:
        config = Config(root=ROOT, name="Synthetic Deck", description="", version="1.0.0",
                        deck_id=1, note_type_id=2, default_subdeck="Default", stem="synthetic")
        cards = synthetic_deck(n)
    with tempfile.TemporaryDirectory() as out:
        started, cpu = time.perf_counter(), _cpu()
        report = write_pdfs(cards, config, Path(out), cache_dir=Path(cache_dir))
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        sizes = (report.cards_pdf.stat().st_size, report.cheatsheet_pdf.stat().st_size)
    print(json.dumps({
        "cards": len(cards), "deck": "flagship" if n == FLAGSHIP else "synthetic",
        "seconds": seconds, "cpu": cpu, "card_pages": report.card_pages,
        "cheat_pages": report.cheatsheet_pages, "bytes": sizes,
        "overflows": len(report.overflows), "warnings": len(report.warnings),
        "self_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _run_child(n: int, cache: str) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--cache", cache],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = time.perf_counter() - started
    return data


def run_sizes(sizes: tuple[int, ...], repeat: int) -> list[dict[str, Any]]:
    """Per deck: cold builds (an empty formula cache each), then rebuilds that find it
    filled; of ``repeat`` runs of each, the fastest is kept (the machine is shared)."""
    rows = []
    for n in [FLAGSHIP, *sorted(sizes)]:
        with tempfile.TemporaryDirectory() as warm:
            runs: dict[str, list[dict[str, Any]]] = {"cold": [], "rebuild": []}
            for k in range(repeat):
                with tempfile.TemporaryDirectory() as empty:
                    runs["cold"].append(_run_child(n, empty))
                if k == 0:
                    _run_child(n, warm)  # fills the cache the rebuilds read
                runs["rebuild"].append(_run_child(n, warm))
            for build, results in runs.items():
                best = min(results, key=lambda r: float(r["seconds"]))
                best["build"] = build
                best["runs"] = len(results)
                rows.append(best)
                print(f"{best['cards']:>5} {best['deck']} cards, {build}: write_pdfs "
                      + ", ".join(f"{r['seconds']:.2f}" for r in results)
                      + f" s (best CPU {best['cpu']:.2f} s), peak {best['self_peak_mib']:.0f} MiB",
                      file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        ("| deck | cards | build | both PDFs | CPU time | per card | process | peak memory | "
         "pages (cards + cheat sheet) | cards.pdf | cheatsheet.pdf |"),
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n, secs = int(r["cards"]), float(r["seconds"])
        lines.append(
            f"| {r['deck']} | {n:,} | {r['build']} | {secs:.2f} s | {r['cpu']:.2f} s | "
            f"{1000 * secs / n:.1f} ms | {r['wall']:.2f} s | {r['self_peak_mib']:.0f} MiB | "
            f"{r['card_pages']} + {r['cheat_pages']} | {r['bytes'][0] / 1e6:.1f} MB | "
            f"{r['bytes'][1] / 1e6:.2f} MB |"
        )
    return "\n".join(lines)


def section(rows: list[dict[str, Any]], note: str = "") -> str:
    return (
        "## PDF\n\n"
        "Both printable PDFs (cards, 4 per A4 page, and the 3-column cheat sheet) built by "
        "`generator.pdf.write_pdfs` with Typst, for this repository's deck (*flagship*, with "
        "the verified outputs on record) and for synthetic decks, where every card has four "
        "sections, one distinct display formula, a 12-line Python snippet and two lines of "
        "verified output. Each build runs in a fresh process, three times; the table keeps the "
        "fastest run, since the machine is shared. *cold*: an empty formula cache "
        "(every formula goes through tex2typst); *rebuild*: a second process that finds the "
        "TeX -> Typst conversions in `build/.cache`, as `make deck` does after the first "
        "build. *both PDFs*: wall time of `write_pdfs`; *CPU time*: user + system time of "
        "the process during it (all threads); *process*: the subprocess from start to exit, "
        "imports and the synthetic deck included; *peak memory*: the process's maximum RSS.\n\n"
        f"Measured on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. {note}\n\n"
        "Command: `.venv/bin/python bench/pdf_scale.py --write`\n\n"
        f"{table(rows)}\n\n"
        "Goal: both PDFs for 1,000 cards in under 15 s and 1 GB, the flagship deck's in under "
        "3 s; the time per card must not grow with the deck.\n\n"
        f"{verdict(rows)}\n"
    )


def verdict(rows: list[dict[str, Any]]) -> str:
    """The goals, checked against this run's figures (cold builds)."""
    cold = {(r["deck"], r["cards"]): r for r in rows if r["build"] == "cold"}
    synth = sorted((n, r) for (deck, n), r in cold.items() if deck == "synthetic")
    lines = []
    if synth:
        n, big = synth[-1]
        ok = big["seconds"] < 15 and big["self_peak_mib"] < 1024
        lines.append(f"- {n:,} cards, cold: {big['seconds']:.1f} s wall ({big['cpu']:.1f} s CPU), "
                     f"{big['self_peak_mib']:.0f} MiB: {'met' if ok else 'NOT met'} in this run.")
    flag = [r for (deck, _), r in cold.items() if deck == "flagship"]
    if flag:
        f = flag[0]
        lines.append(f"- flagship deck ({f['cards']} cards), cold: {f['seconds']:.1f} s wall "
                     f"({f['cpu']:.1f} s CPU): {'met' if f['seconds'] < 3 else 'NOT met'} in "
                     "this run.")
    if len(synth) >= 2:
        per = ", ".join(f"{1000 * r['cpu'] / n:.1f} ms ({n:,} cards)" for n, r in synth)
        (n0, r0), (n1, r1) = synth[0], synth[-1]
        linear = r1["cpu"] / n1 <= 1.25 * r0["cpu"] / n0
        lines.append(f"- CPU time per card: {per}: "
                     + ("linear in the number of cards." if linear
                        else "GROWS FASTER than the number of cards."))
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace (or append) the ``## PDF`` section of docs/performance.md."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    pattern = re.compile(r"^## PDF\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(old):
        new = pattern.sub(lambda _: text + "\n", old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    DOC.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--note", default="", help="a sentence added to the section")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build; the fastest is kept")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.cache)
        return
    rows = run_sizes(tuple(args.sizes), max(1, args.repeat))
    print(table(rows))
    if args.write:
        write_section(section(rows, args.note))


if __name__ == "__main__":
    main()
