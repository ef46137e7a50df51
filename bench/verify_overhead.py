"""Benchmark: what verifying snippets costs, against the floor and against one process each.

Builds a throw-away deck of N small torch / scikit-learn snippets (default 60) in a temporary
folder, then measures side by side, in one run:

  (a) exec'ing every body in one process that imported torch once, no isolation: the floor
  (b) one ``python snippet.py`` process per snippet
  (c) ``deck verify`` cold (empty build/verify/)
  (d) ``deck verify`` warm (everything cached); also checks that it never imports torch
  (e) ``deck verify -n 2`` cold
  (f) the flagship deck (this repository's cards/ and snippets/, CPU snippets): every snippet
      exec'd in one process, its own floor
  (g) the flagship deck: ``deck verify -m cpu`` cold, a process per snippet

and prints a Markdown table (paste it into docs/performance.md). Every snippet runs in its own
process forked from the worker's zygote, so (c) - (a) is the price of that isolation.

    .venv/bin/python bench/verify_overhead.py            # the full run
    .venv/bin/python bench/verify_overhead.py --b-sample 10   # (b) on 10 snippets, scaled up
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TEMPLATES = [
    """
    import torch
    layer = torch.nn.Linear(4, 3)
    x = torch.randn(8, 4)
    loss = layer(x).pow(2).mean()
    loss.backward()
    assert layer.weight.grad.shape == (3, 4)
    print("loss", round(loss.item(), {k}))
    """,
    """
    import torch
    bn = torch.nn.BatchNorm1d(3)
    x = torch.randn(16, 3) * {i} + 1
    y = bn(x)
    assert torch.allclose(y.mean(0), torch.zeros(3), atol=1e-5)
    bn.eval()
    print(bn.running_mean)
    """,
    """
    import torch
    logits = torch.randn(5, {n})
    p = logits.softmax(dim=1)
    assert torch.allclose(p.sum(1), torch.ones(5))
    print(p.argmax(1))
    """,
    """
    import torch
    conv = torch.nn.Conv2d(3, 8, kernel_size=3, padding=1)
    out = conv(torch.randn(2, 3, 16, 16))
    assert out.shape == (2, 8, 16, 16)
    print(out.shape)
    """,
    """
    import torch
    import torch.nn.functional as F
    logits = torch.randn(6, {n})
    target = torch.randint(0, {n}, (6,))
    manual = -logits.log_softmax(1)[torch.arange(6), target].mean()
    assert torch.allclose(F.cross_entropy(logits, target), manual)
    print(round(manual.item(), 4))
    """,
    """
    import torch
    w = torch.nn.Parameter(torch.tensor([{i}.0]))
    opt = torch.optim.SGD([w], lr=0.1)
    before = (w ** 2).item()
    (w ** 2).sum().backward()
    opt.step()
    assert (w ** 2).item() < before
    print(w.item())
    """,
    """
    import torch
    drop = torch.nn.Dropout(0.5)
    x = torch.ones(100)
    drop.eval()
    assert torch.equal(drop(x), x)
    drop.train()
    print(int((drop(x) == 0).sum()))
    """,
    """
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    X, y = make_classification(n_samples=200, n_features=5, random_state={i})
    model = LogisticRegression().fit(X, y)
    assert model.score(X, y) > 0.7
    print(round(model.score(X, y), 3))
    """,
    """
    import numpy as np
    from sklearn.preprocessing import StandardScaler
    X = np.random.rand(50, 3) * {n}
    Z = StandardScaler().fit_transform(X)
    assert np.allclose(Z.mean(0), 0)
    print(Z.std(0).round(3))
    """,
    """
    import numpy as np
    from sklearn.metrics import roc_auc_score
    y = np.array([0, 0, 1, 1] * {n})
    s = np.linspace(0, 1, len(y))
    auc = roc_auc_score(y, s)
    assert 0 <= auc <= 1
    print(round(auc, 3))
    """,
    """
    import numpy as np
    from sklearn.model_selection import KFold
    folds = list(KFold(n_splits=5).split(np.arange({n} * 10)))
    assert len(folds) == 5
    print([len(test) for _, test in folds])
    """,
    """
    import numpy as np
    from sklearn.decomposition import PCA
    X = np.random.rand(40, 6)
    pca = PCA(n_components=2).fit(X)
    assert pca.explained_variance_ratio_.sum() <= 1
    print(pca.explained_variance_ratio_.round(3))
    """,
]

CARD = """---
id: bench-{i:03d}
snippet: bench/s{i:03d}.py
---
# Benchmark card {i}?

## Principle
p

## Reason
r

## Example
e

## Pitfall
p
"""

DECK_TOML = """[deck]
name = "Benchmark"
deck_id = 5555555555
note_type_id = 6666666666

[output]
stem = "bench"
"""


def build_corpus(root: Path, count: int) -> list[Path]:
    (root / "cards" / "bench").mkdir(parents=True)
    (root / "snippets" / "bench").mkdir(parents=True)
    (root / "deck.toml").write_text(DECK_TOML)
    paths = []
    for i in range(count):
        body = textwrap.dedent(TEMPLATES[i % len(TEMPLATES)]).format(i=i + 1, n=i % 5 + 2,
                                                                       k=i % 4 + 2)
        path = root / "snippets" / "bench" / f"s{i:03d}.py"
        path.write_text(body.lstrip())
        (root / "cards" / "bench" / f"c{i:03d}.md").write_text(CARD.format(i=i))
        paths.append(path)
    return paths


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}  # command kind -> fastest CPU time seen


def timed(command: list[str], cwd: Path, kind: str = "") -> tuple[float, str]:
    """Wall time of one command; its CPU time (every descendant process, all of which are
    waited for) is kept in ``CPU[kind]``."""
    cpu = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if kind:
        CPU[kind] = min(CPU.get(kind, float("inf")), _children_cpu() - cpu)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout + proc.stderr


FLOOR = """
import os, sys, tempfile
import torch
os.chdir(tempfile.mkdtemp())
for path in sys.argv[1:]:
    code = compile(open(path).read(), path, "exec")
    sys.path.insert(0, os.path.dirname(path))
    exec(code, {"__name__": "__main__", "DEVICE": "cpu", "__file__": path})
    sys.path.pop(0)
"""


def flagship_copy(dest: Path) -> list[Path]:
    """This repository's deck, copied; the CPU snippets its cards link, in card order."""
    repo = Path(__file__).resolve().parent.parent
    for name in ("cards", "snippets"):
        shutil.copytree(repo / name, dest / name)
    for name in ("deck.toml", "constraints.txt"):
        shutil.copy(repo / name, dest / name)
    sys.path.insert(0, str(repo))
    from generator.lint import read_deck

    deck, _ = read_deck(dest)
    return [dest / ref.source_path for card in deck.cards if "cpu" in card.requires
            for ref in card.snippets]

DECK_VERIFY = """
import sys
from generator.cli import main
rc = main(sys.argv[1:])
print("torch imported:", "torch" in sys.modules)
sys.exit(rc)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snippets", type=int, default=60)
    parser.add_argument("--b-sample", type=int, default=0,
                        help="measure (b) on this many snippets and scale up (0: all)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of (a), (c), (d), (e); the table shows the fastest")
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder")
    parser.add_argument("--no-flagship", action="store_true", help="skip (f) and (g)")
    parser.add_argument("--quick", action="store_true", help="skip (b) and (e)")
    args = parser.parse_args()
    python = sys.executable
    n = args.snippets
    tmp = Path(tempfile.mkdtemp(prefix="deck-bench-"))
    root = tmp / "deck"
    paths = build_corpus(root, n)
    rows: list[tuple[str, float, str]] = []
    snippets: list[Path] = []
    try:
        # (a), (c) and (d) interleaved, run after run, so that the machine's load hits all alike.
        deck_verify = [python, "-c", DECK_VERIFY, "--root", str(root), "verify", "-q"]
        a = c = d = e = float("inf")
        imported = False
        for _ in range(args.repeat):
            a = min(a, timed([python, "-c", FLOOR, *map(str, paths)], cwd=root, kind="a")[0])
            shutil.rmtree(root / "build", ignore_errors=True)
            c = min(c, timed(deck_verify, cwd=root, kind="c")[0])
            seconds, out = timed(deck_verify, cwd=root, kind="d")
            d = min(d, seconds)
            imported |= "torch imported: False" not in out
        rows.append(("(a) one process, torch imported once, no isolation (floor)", a, ""))
        sample = paths[: args.b_sample] if args.b_sample else paths
        if not args.quick:
            b, _ = timed([python, "-c",
                          ("import subprocess, sys\n"
                           "for p in sys.argv[1:]:\n"
                           "    subprocess.run([sys.executable, p], check=True)\n"),
                          *map(str, sample)], cwd=root, kind="b")
            b_note = f"measured on {len(sample)}, scaled to {n}" if len(sample) < n else ""
            rows.append(("(b) one `python snippet.py` process each", b * n / len(sample),
                         b_note))
        rows.append(("(c) `deck verify`, cold", c,
                     f"{(c - a) / n * 1000:+.0f} ms per snippet over (a)"))
        rows.append(("(d) `deck verify`, warm (all cached)", d,
                     "TORCH WAS IMPORTED" if imported else "torch never imported"))
        if not args.quick:
            for _ in range(args.repeat):
                shutil.rmtree(root / "build", ignore_errors=True)
                e = min(e, timed([*deck_verify, "-n", "2"], cwd=root, kind="e")[0])
            rows.append(("(e) `deck verify -n 2`, cold", e,
                         f"{(e - a) / n * 1000:+.0f} ms per snippet over (a)"))
        if not args.no_flagship:
            flagship = tmp / "flagship"
            snippets = flagship_copy(flagship)
            f = g = float("inf")
            for _ in range(args.repeat):
                f = min(f, timed([python, "-c", FLOOR, *map(str, snippets)], cwd=flagship,
                                 kind="f")[0])
                shutil.rmtree(flagship / "build", ignore_errors=True)
                g = min(g, timed([python, "-c", DECK_VERIFY, "--root", str(flagship), "verify",
                                  "-q", "-m", "cpu"], cwd=flagship, kind="g")[0])
            rows.append((f"(f) flagship deck ({len(snippets)} CPU snippets), one process "
                         "(its floor)", f, ""))
            rows.append(("(g) flagship deck, `deck verify -m cpu`, cold", g,
                         f"{g / f:.2f}x its floor (f)"))
    finally:
        if args.keep:
            print(f"corpus kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()[0]
    scale = {"b": n / len(sample)}
    CPU.setdefault("b", 0.0)
    print(f"{n} snippets, {os.cpu_count()} cores, load average {load:.1f} at the end; "
          f"fastest of {args.repeat} runs, interleaved (b: one run)\n")
    print("| run | wall s | per snippet | CPU s | CPU over its floor per snippet | note |")
    print("|---|---:|---:|---:|---:|---|")
    for name, seconds, note in rows:
        kind = name[1]
        cpu = CPU[kind] * scale.get(kind, 1.0)
        count = n if kind in "abcde" else len(snippets)
        base = {"c": "a", "e": "a", "g": "f"}.get(kind)
        over = f"{(cpu - CPU[base]) / count * 1000:+.0f} ms" if base else ""
        print(f"| {name} | {seconds:.2f} | {seconds / count * 1000:.0f} ms | {cpu:.2f} | {over} "
              f"| {note} |")

if __name__ == "__main__":
    main()
