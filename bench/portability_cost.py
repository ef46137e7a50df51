"""Benchmark: what ``deck verify --portability`` costs next to a cold ``deck verify``.

Copies the flagship deck (deck.toml, cards/, snippets/, verified/) into fresh temporary
folders, so that every run starts from the state it names, and measures side by side, in one
run:

  (a) ``deck verify -m cpu``, cold (empty build/verify/)
  (b) then ``deck verify --portability -m cpu`` in the same folder: the native results are
      cached, so this is the portability check alone (each snippet once more, imitated CPU)
  (c) ``deck verify --portability -m cpu``, cold: both runs of every snippet
  (d) (c) again, warm: a result already checked on the imitated CPU is not checked again

The goal (issue 11): (b) costs at most one more cold verify, (b) <= (a).

    .venv/bin/python bench/portability_cost.py               # the flagship deck
    .venv/bin/python bench/portability_cost.py --cards 40    # its first 40 cards only
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = Path(sys.executable).with_name("deck")


def copy_deck(dest: Path, cards: int | None) -> Path:
    dest.mkdir(parents=True)
    for name in ("deck.toml", "snippets", "verified"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    files = sorted((ROOT / "cards").rglob("*.md"))
    for path in files[:cards] if cards else files:
        target = dest / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return dest


def timed(root: Path, *args: str) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([str(DECK), "--root", str(root), "verify", "-q", "-m", "cpu", *args],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=None, help="only the first N cards")
    args = parser.parse_args()
    rows: list[tuple[str, float, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        one = copy_deck(Path(tmp) / "one", args.cards)
        two = copy_deck(Path(tmp) / "two", args.cards)
        rows.append(("(a) `deck verify -m cpu`, cold", *timed(one)))
        rows.append(("(b) then `--portability` (native runs cached)",
                     *timed(one, "--portability")))
        rows.append(("(c) `deck verify --portability -m cpu`, cold", *timed(two, "--portability")))
        rows.append(("(d) (c) again, warm", *timed(two, "--portability")))
        n = len(list((one / "cards").rglob("*.md")))
    print(f"cards: {n}; load average {os.getloadavg()[0]:.1f}")
    print("| run | wall s | CPU s | exit |")
    print("|---|---:|---:|---:|")
    for label, wall, cpu, rc in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {rc} |")
    a, b = rows[0], rows[1]
    print(f"\n(b)/(a): wall {b[1] / a[1]:.2f}x, CPU {b[2] / a[2]:.2f}x (goal: at most 1.0x)")


if __name__ == "__main__":
    main()
