"""The bad-input corpus: each folder under samples/bad is a deck tree with one class of mistake
and an ``expected.txt`` holding the exact ``path:line: message`` lines lint must report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import load_config
from generator.lint import lint_deck, read_deck, sort_findings
from generator.model import Finding

BAD = Path(__file__).parent / "samples" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def findings_for(root: Path) -> list[Finding]:
    config = load_config(BAD)
    raw, parse_findings = read_deck(root)
    return sort_findings(parse_findings + lint_deck(raw, config)[1])


def test_the_corpus_covers_every_class_of_mistake() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_reports_exactly_the_expected_lines(case: str) -> None:
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case}: expected.txt must name at least one problem"
    assert [str(f) for f in findings_for(BAD / case)] == expected


def test_every_problem_in_a_deck_is_reported_in_one_run(tmp_path: Path) -> None:
    # Put every broken card of the corpus into one deck: nothing stops at the first problem.
    total = []
    for case in CASES:
        if case in ("orphan-snippet", "unknown-key", "duplicate-ids"):
            continue  # their findings depend on the other files of their own tree
        for path in (BAD / case).rglob("*"):
            if path.is_file() and path.name != "expected.txt" and "cards" in path.parts:
                target = tmp_path / "cards" / case / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                text = path.read_bytes().replace(b"sample-card-", f"{case}-".encode())
                target.write_bytes(text)
                total.append(case)
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    (tmp_path / "snippets" / "t" / "ok.py").write_text("assert True\n")
    found = findings_for(tmp_path)
    cases_with_findings = {f.location.path.split("/")[1] for f in found if f.location.path.startswith("cards/")}
    assert cases_with_findings == set(total)


def test_symlink_out_of_snippets_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cards" / "t").mkdir(parents=True)
    (tmp_path / "snippets" / "t").mkdir(parents=True)
    outside = tmp_path / "secret.py"
    outside.write_text("assert True\n")
    os.symlink(outside, tmp_path / "snippets" / "t" / "link.py")
    card = (BAD / "duplicate-ids" / "cards" / "t" / "a.md").read_text().replace("t/ok.py", "t/link.py")
    (tmp_path / "cards" / "t" / "card.md").write_text(card)
    assert [str(f) for f in findings_for(tmp_path)] == [
        "cards/t/card.md:3: snippet 'snippets/t/link.py' is a symlink that leads outside "
        "snippets/; copy the file in instead"
    ]


def test_one_megabyte_card_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "cards" / "t").mkdir(parents=True)
    card = (BAD / "front-matter-only" / "cards" / "t" / "card.md").read_text()
    card += "# A question?\n\n## Principle\nP.\n\n## Reason\n" + "long text " * 100_000
    card += "\n\n## Example\nE.\n\n## Pitfall\nF.\n"
    (tmp_path / "cards" / "t" / "card.md").write_text(card)
    assert [str(f) for f in findings_for(tmp_path)] == [
        "cards/t/card.md:10: warning: section '## Reason' is 1000000 characters; the limit is 600"
    ]


def test_a_valid_deck_has_no_findings(samples: Path) -> None:
    config = load_config(samples / "good")
    raw, parse_findings = read_deck(samples / "good")
    assert parse_findings == []
    deck, findings = lint_deck(raw, config)
    assert findings == []
    assert len(deck.cards) == 3 == len(raw.cards)
    # Lint resolves every default: the subdeck and the timeout are never missing downstream.
    assert all(card.deck and card.timeout > 0 for card in deck.cards)
