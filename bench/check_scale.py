"""How long `deck check` takes on a synthetic deck of 200 cards (goal: under 1 s).

Run: .venv/bin/python bench/check_scale.py [--cards 200] [--write]
Times the real CLI in a fresh process (interpreter start-up included), 5 runs, median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARD = """---
id: synthetic-{i:04d}
deck: Synthetic::Part {part}
tags: [synthetic]
snippet: s/snippet_{i:04d}.py
---
# Synthetic question number {i} with `code` and $x^2$?

## Principle
A principle with **bold**, a list:
- one
- two

## Reason
A reason with a formula $$\\frac{{a}}{{b}}$$ and a fence:
```python
# not a heading
x = 1
```

## Example
An example.

## Pitfall
A pitfall.
"""


def make_deck(root: Path, n: int) -> None:
    (root / "cards" / "s").mkdir(parents=True)
    (root / "snippets" / "s").mkdir(parents=True)
    (root / "deck.toml").write_text(
        '[deck]\nname = "Synthetic"\ndeck_id = 11\nnote_type_id = 12\n[output]\nstem = "s"\n')
    for i in range(n):
        (root / "cards" / "s" / f"card_{i:04d}.md").write_text(CARD.format(i=i, part=i % 7))
        (root / "snippets" / "s" / f"snippet_{i:04d}.py").write_text("assert 1 + 1 == 2\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="append the result to docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_deck(root, args.cards)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root), "check"],
                                    capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            assert result.returncode == 0, result.stdout + result.stderr
    median = statistics.median(times)
    line = (f"| `deck check`, {args.cards} cards, fresh process | {median:.2f} s median of 5 "
            f"(min {min(times):.2f}, max {max(times):.2f}) | under 1 s |")
    print(line)


if __name__ == "__main__":
    main()
