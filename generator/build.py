"""``deck build``: the stages in order (config -> cards -> lint -> verify -> render -> outputs)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from generator.config import Config, load_config
from generator.lint import lint_deck, read_deck, sort_findings
from generator.model import Deck

log = logging.getLogger(__name__)


def check_stage(root: Path) -> tuple[Config, Deck] | None:
    """Parse and lint; print every finding; ``None`` when there are errors."""
    config = load_config(root)
    deck, findings = read_deck(root)
    findings = sort_findings(findings + lint_deck(deck, config))
    for finding in findings:
        print(finding, file=sys.stderr)
    if any(f.severity == "error" for f in findings):
        print("deck build: stopped; fix the errors above (nothing in build/ was changed)",
              file=sys.stderr)
        return None
    return config, deck


def build(root: Path, args: argparse.Namespace) -> int:
    """Run every stage; 0 when all outputs were written, 1 otherwise."""
    checked = check_stage(root)
    if checked is None:
        return 1
    config, deck = checked
    print(f"checked {len(deck.cards)} cards")
    missing = [config.apkg_name, config.cards_pdf_name, config.cheatsheet_pdf_name]
    print("not built yet (renderers pending): " + ", ".join(f"build/{m}" for m in missing))
    return 0
