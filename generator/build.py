"""``deck build``: the stages in order.

config -> cards -> lint -> verify -> render -> lock -> outputs (staged, then published).
Every output is written into a staging folder and the new ``deck.lock`` beside the old one;
only when all of them succeeded are they published (``publish.publish``): the three outputs
through one atomic rename of ``build/.current``, the lock rolled forward from a journal. So a
failed or killed build leaves the previous outputs untouched, or the new ones complete; the
next build first completes or removes whatever an interrupted one left.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config, load_config
from generator.errors import BuildError
from generator.fsutil import describe_os_error, ensure_dir, stage_beside, staging_dir
from generator.lint import lint_deck, read_deck, sort_findings
from generator.model import BuiltCard, Deck, Location
from generator.publish import publish, recover

if TYPE_CHECKING:
    from generator.anki import PreparedPackage

log = logging.getLogger(__name__)


def check_stage(root: Path) -> tuple[Config, Deck] | None:
    """Parse and lint; print every finding; ``None`` when there are errors."""
    config = load_config(root)
    raw, parse_findings = read_deck(root)
    deck, lint_findings = lint_deck(raw, config)
    findings = sort_findings(parse_findings + lint_findings)
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
        if s.verification is None
        and ledger_key(b.card.id, s.ref.source_path) in ledger
    ]
    if stale:
        raise BuildError(f"{len(stale)} GPU record(s) are out of date", problems=tuple(
            BuildError(line) for line in stale))


def check_lock_current(prepared: PreparedPackage) -> None:
    """``--locked``: the committed lock must be exactly what this build would write.

    Raises ``BuildError`` naming every stale card (``cards/x.md:1: ...``) with what changed:
    the output lines before and after, the provenance, the note's other fields, the note type.
    """
    from generator.lock import LOCK_NAME, lock_differences

    problems = lock_differences(prepared.old_lock, prepared.lock)
    if problems:
        header = BuildError(
            f"{LOCK_NAME} is out of date with the sources ({prepared.plan.summary()}); if the "
            "changes below are intended, run 'make deck' (or 'deck build') and commit "
            f"{LOCK_NAME}; --locked never rewrites it", Location(LOCK_NAME, 0))
        raise BuildError(header.message, header.location, problems=(header, *problems))


def check_locked(root: Path, *, allow_unverified_gpu: bool = False) -> int:
    """``deck plan --locked``: would ``deck build --locked`` accept the committed lock?

    Verifies through the cache (``make test`` runs it after the snippets were verified, so
    nothing runs twice), checks the GPU ledger, renders the notes and compares the lock.
    Writes nothing, and skips the PDFs and the portability check (``deck verify
    --portability`` does that one).
    """
    checked = check_stage(root)
    if checked is None:
        return 1
    config, deck = checked
    ensure_dir(config.build_dir)

    from generator.anki import prepare_package
    from generator.lock import LOCK_NAME
    from generator.verify import verify_deck

    allow_gpu = allow_unverified_gpu or config.ship_unverified_gpu
    built = verify_deck(config, deck, allow_unverified_gpu=allow_gpu)
    check_ledger_current(built, config)
    prepared = prepare_package(built, config, root / LOCK_NAME, now=int(time.time()),
                               allow_unverified_gpu=allow_gpu)
    check_lock_current(prepared)
    print(f"{LOCK_NAME} is up to date: a locked build of these {len(built)} cards writes it "
          "unchanged", file=sys.stderr)
    return 0


def build(root: Path, args: argparse.Namespace) -> int:
    """Run every stage; 0 when all outputs were written. User mistakes raise ``DeckError``."""
    started = time.perf_counter()
    for line in recover(root / "build", other_dirs=(root,)):
        print(f"note: {line}", file=sys.stderr)
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
    ensure_dir(config.build_dir)  # before verifying: 'build' may be a file

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
    from generator.lock import LOCK_NAME, format_plan, lock_to_text
    from generator.pdf import write_pdfs

    lock_path = root / LOCK_NAME
    prepared = prepare_package(
        built, config, lock_path, now=int(time.time()), allow_unverified_gpu=allow_gpu,
        allow_notetype_change=bool(getattr(args, "allow_notetype_change", False)))
    lock, plan = prepared.lock, prepared.plan
    if locked:
        check_lock_current(prepared)

    try:
        with staging_dir(config.build_dir) as staging:
            write_apkg(prepared.rendered, config, lock, staging / config.apkg_name,
                       allow_unverified_gpu=allow_gpu)
            report = write_pdfs(built, config, staging, cache_dir=config.build_dir / ".cache")
            names = (config.apkg_name, config.cards_pdf_name, config.cheatsheet_pdf_name)
            staged_lock = None
            if not locked:  # staged beside deck.lock: a rename never crosses file systems
                staged_lock = (stage_beside(lock_path, lock_to_text(lock).encode("utf-8")),
                               lock_path)
            publish(staging, config.build_dir, names, lock=staged_lock)
    except OSError as err:
        raise BuildError(f"cannot write the outputs: {describe_os_error(err, root)}; free some "
                         "space or make build/ writable, then build again (build/ and "
                         f"{LOCK_NAME} were not changed)") from None

    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(format_plan(plan), file=sys.stderr)
    for name in (config.apkg_name, config.cards_pdf_name, config.cheatsheet_pdf_name):
        print(f"wrote build/{name}")
    cloze = sum(1 for note in prepared.rendered if note.cloze is not None)
    print(f"deck build: {len(built)} cards (+{cloze} cloze), version {config.version}, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
