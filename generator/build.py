"""``deck build``: the stages in order.

config -> cards -> lint -> verify -> render -> lock -> outputs (staged, then moved into build/).
Every output is written into a staging folder first and moved into ``build/`` only when all of
them succeeded, so a failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.config import Config, load_config
from generator.errors import BuildError
from generator.lint import lint_deck, read_deck, sort_findings
from generator.model import BuiltCard, Deck, Location

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


def check_ledger_current(built: list[BuiltCard], config: Config) -> None:
    """``--locked``: a GPU ledger record for an older version of a snippet is a stale ledger.

    (A cuda card with no record at all ships marked "not verified on a GPU" only under the
    deck's explicit opt-out; a record that no longer matches means someone changed verified
    code without re-verifying it, which a release must not hide.)
    """
    from generator.verify.records import LEDGER_PATH, ledger_key, load_ledger

    ledger = load_ledger(config.root)
    stale = [
        f"{s.ref.location}: {LEDGER_PATH} verified an older version of {s.ref.source_path} "
        f"(card '{b.card.id}'); run 'deck verify -m cuda' on a GPU machine and commit "
        f"{LEDGER_PATH}"
        for b in built for s in b.snippets
        if s.verification is None and b.card.id
        and ledger_key(b.card.id, s.ref.source_path) in ledger
    ]
    if stale:
        raise BuildError(f"{len(stale)} GPU record(s) are out of date", problems=tuple(
            BuildError(line) for line in stale))


def build(root: Path, args: argparse.Namespace) -> int:
    """Run every stage; 0 when all outputs were written. User mistakes raise ``DeckError``."""
    started = time.perf_counter()
    checked = check_stage(root)
    if checked is None:
        return 1
    config, deck = checked
    version = getattr(args, "version", None)
    if version:
        config = dataclasses.replace(config, version=version.removeprefix("v"))
    allow_gpu = bool(getattr(args, "allow_unverified_gpu", False)) or config.ship_unverified_gpu
    locked = bool(getattr(args, "locked", False))
    print(f"checked {len(deck.cards)} cards", file=sys.stderr)

    from generator.verify import verify_deck

    built = verify_deck(config, deck, no_cache=bool(getattr(args, "no_cache", False)),
                        allow_unverified_gpu=allow_gpu, portability=locked)
    if locked:
        check_ledger_current(built, config)
    unverified_gpu = [b for b in built for s in b.snippets if s.verification is None]
    for b in unverified_gpu:
        print(f"{b.card.location}: warning: card '{b.card.id}' ships marked 'not verified on a "
              "GPU' (run 'deck verify -m cuda' on a GPU machine, then commit verified/)",
              file=sys.stderr)

    from generator.anki import prepare_package, write_apkg
    from generator.lock import LOCK_NAME, format_plan, write_lock
    from generator.pdf import write_pdfs

    lock_path = root / LOCK_NAME
    prepared = prepare_package(
        built, config, lock_path, now=int(time.time()), allow_unverified_gpu=allow_gpu,
        allow_notetype_change=bool(getattr(args, "allow_notetype_change", False)))
    lock, plan = prepared.lock, prepared.plan
    if locked and lock != prepared.old_lock:
        raise BuildError(
            f"{LOCK_NAME} is out of date with the sources ({plan.summary()}); run 'make deck' "
            f"(or 'deck build') locally and commit {LOCK_NAME}. --locked never rewrites it.",
            Location(LOCK_NAME, 0))

    config.build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=config.build_dir))
    try:
        write_apkg(prepared.rendered, config, lock, staging / config.apkg_name,
                   allow_unverified_gpu=allow_gpu)
        report = write_pdfs(built, config, staging, cache_dir=config.build_dir / ".cache")
        for name in (config.apkg_name, config.cards_pdf_name, config.cheatsheet_pdf_name):
            os.chmod(staging / name, 0o644)  # temp files are created 0600; these get published
            os.replace(staging / name, config.build_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not locked:
        write_lock(lock, lock_path)

    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(format_plan(plan), file=sys.stderr)
    for name in (config.apkg_name, config.cards_pdf_name, config.cheatsheet_pdf_name):
        print(f"wrote build/{name}")
    print(f"deck build: {len(built)} cards, version {config.version}, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
