"""The ``deck`` command: argument parsing only; the work is in the stage modules.

Heavy modules (torch, the PDF engine, genanki) are imported inside the subcommands that need
them, so ``deck check`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import DeckError, shown

if TYPE_CHECKING:
    from generator.verify import RunSummary, VerifyOptions

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def cmd_check(args: argparse.Namespace) -> int:
    """Parse and lint every card; print every problem; exit 1 on errors."""
    from generator.config import load_config
    from generator.lint import lint_deck, read_deck, sort_findings
    from generator.tags import unknown_tags

    root = _root(args)
    config = load_config(root)
    raw, parse_findings = read_deck(root)
    _, lint_findings = lint_deck(raw, config)
    findings = sort_findings(parse_findings + lint_findings)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if args.json:
        json.dump({
            "cards": len(raw.cards),
            "errors": len(errors),
            "warnings": len(warnings),
            "findings": [
                {"path": f.location.path, "line": f.location.line, "severity": f.severity,
                 "message": f.message}
                for f in findings
            ],
        }, sys.stdout, indent=2)
        print()
    else:
        for f in findings:
            print(f)
        unknown = unknown_tags(raw.cards, config)
        if unknown:
            print(f"{len(unknown)} tag(s) outside [tags.topics] in deck.toml (add each as a topic "
                  "or as an alias of one):", file=sys.stderr)
            for line in unknown:
                print(line, file=sys.stderr)
        print(f"{len(raw.cards)} cards: {len(errors)} error(s), {len(warnings)} warning(s)",
              file=sys.stderr)
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """Cards per subdeck, snippets, cpu/cuda counts, cards without code, cards per level."""
    from generator.config import load_config
    from generator.lint import read_deck, subdeck_of
    from generator.model import LEVELS
    from generator.order import card_level

    root = _root(args)
    config = load_config(root)
    deck, _ = read_deck(root)
    per_deck = Counter(subdeck_of(card, config.default_subdeck) for card in deck.cards)
    with_code = [c for c in deck.cards if c.snippets]
    levels = {level: sum(card_level(c, config) == level for c in deck.cards) for level in LEVELS}
    stats = {
        "cards": len(deck.cards),
        "subdecks": dict(sorted(per_deck.items())),
        "snippets": len(deck.snippet_files),
        "cards_with_snippet": len(with_code),
        "cards_without_snippet": len(deck.cards) - len(with_code),
        "cpu": sum("cpu" in c.requires for c in with_code),
        "cuda": sum("cuda" in c.requires for c in with_code),
        "levels": levels,
        "cloze_marks": sum(len(c.cloze) for c in deck.cards),
    }
    if args.json:
        json.dump(stats, sys.stdout, indent=2)
        print()
        return EXIT_OK
    share = 100 * len(with_code) / len(deck.cards) if deck.cards else 0.0
    print(f"{stats['cards']} cards in {len(per_deck)} subdecks")
    for name, count in sorted(per_deck.items()):
        print(f"  {count:4d}  {name}")
    print(f"{stats['snippets']} snippet files")
    print(f"{stats['cards_with_snippet']} cards with a snippet ({share:.0f}%), "
          f"{stats['cards_without_snippet']} without")
    print(f"{stats['cpu']} cards run on cpu, {stats['cuda']} on cuda")
    print(", ".join(f"{count} {level}" for level, count in levels.items()))
    print(f"{stats['cloze_marks']} cloze marks (fill-in-the-code cards) on "
          f"{sum(1 for c in deck.cards if c.cloze)} cards")
    return EXIT_OK


def _card_template() -> str:
    """What ``deck new`` writes into the card: placeholders that ``deck check`` rejects."""
    from generator.lint import SCAFFOLD_SECTIONS

    sections = "\n".join(f"## {name}\n{text}\n" for name, text in SCAFFOLD_SECTIONS.items())
    return ("---\nid: {id}\ndeck: {deck}\nlevel: {level}\ntags: [{tags}]\nsnippet: {snippet}\n"
            "requires: cpu\n---\n# {question}\n\n" + sections)


SNIPPET_HEADER = "# Proves the claim of cards/{topic}/{slug}.md: assert it, don't just print it.\n"


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold ``cards/<topic>/<slug>.md`` and ``snippets/<topic>/<slug>.py``."""
    import re

    from generator.config import load_config
    from generator.lint import ID_PATTERN, SCAFFOLD_QUESTION, SCAFFOLD_SNIPPET_CODE
    from generator.tags import topic_of

    root = _root(args)
    config = load_config(root)
    match = re.fullmatch(r"([a-z0-9][a-z0-9_-]*)/([a-z0-9][a-z0-9_-]*)", args.name)
    if not match:
        raise DeckError(f"'{args.name}' is not <topic>/<slug>: use lowercase letters, digits, "
                        "'-' and '_', e.g. 'training/batchnorm-modes'")
    topic, slug = match.groups()
    card_path = root / "cards" / topic / f"{slug}.md"
    snippet_rel = f"{topic}/{slug.replace('-', '_')}.py"
    snippet_path = root / "snippets" / snippet_rel
    for path in (card_path, snippet_path):
        if path.exists():
            raise DeckError(f"{path.relative_to(root)} already exists; pick another slug")
    card_id = f"{slug.replace('_', '-')[:55]}-{secrets.token_hex(4)}"
    assert ID_PATTERN.fullmatch(card_id)
    card_path.parent.mkdir(parents=True, exist_ok=True)
    snippet_path.parent.mkdir(parents=True, exist_ok=True)
    tag = topic_of(topic, config)
    known = not config.topics or tag in {name for name, _ in config.topics}
    card_path.write_text(_card_template().format(
        id=card_id, deck=args.deck or config.default_subdeck, level=config.default_level,
        tags=tag if known else "", snippet=snippet_rel, question=SCAFFOLD_QUESTION),
        encoding="utf-8")
    snippet_path.write_text(SNIPPET_HEADER.format(topic=topic, slug=slug)
                            + SCAFFOLD_SNIPPET_CODE, encoding="utf-8")
    print(f"created {card_path.relative_to(root)} (id {card_id})")
    print(f"created {snippet_path.relative_to(root)}")
    print("replace their placeholders ('deck check' lists each one until you do)")
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    """What a learner's next import will add, update and leave orphaned, from deck.lock."""
    from generator.config import load_config
    from generator.lint import lint_deck, read_deck
    from generator.lock import LOCK_NAME, format_plan, plan_from_sources, read_lock

    root = _root(args)
    if args.locked:
        from generator.build import check_locked

        return check_locked(root, allow_unverified_gpu=args.allow_unverified_gpu)
    config = load_config(root)
    if args.since is not None or args.markdown:
        from generator.release import diff_locks, notes_since

        since = args.since or None
        version = (args.version or config.version).removeprefix("v")
        if args.markdown:
            print(notes_since(root, since, deck_name=config.name, version=version), end="")
        else:
            from generator.release import lock_at_revision

            current = read_lock(root / LOCK_NAME)
            if current is None:
                raise DeckError(f"no {LOCK_NAME} yet: run 'make deck' and commit it")
            old = lock_at_revision(root, since) if since else None
            print(format_plan(diff_locks(old, current), verbose=args.verbose))
        return EXIT_OK
    raw, parse_findings = read_deck(root)
    deck, lint_findings = lint_deck(raw, config)
    if any(f.severity == "error" for f in parse_findings + lint_findings):
        print("warning: some cards have errors and are left out; run `deck check` (the plan "
              "may be incomplete)", file=sys.stderr)
    codes: dict[str, str] = {}
    for card in deck.cards:
        for ref in card.snippets:
            try:
                codes[ref.path] = (root / ref.source_path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass  # `deck check` reports it
    # cards lint left out (errors): neither they nor their cloze notes are orphaned
    unchecked = {c.id for c in raw.cards if c.id is not None} - {c.id for c in deck.cards}
    plan = plan_from_sources(deck.cards, codes, config, read_lock(root / LOCK_NAME),
                             unchecked_ids=unchecked)
    if args.json:
        json.dump({"note_type": plan.note_type, "cloze_note_type": plan.cloze_note_type, **{
            group: [{"id": e.card_id, "kind": e.kind, "path": e.path, "question": e.question}
                    for e in getattr(plan, group)]
            for group in ("added", "updated", "orphaned", "unchanged")}}, sys.stdout, indent=2)
        print()
    else:
        print(format_plan(plan, verbose=args.verbose))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Check, verify and build every output into build/."""
    from generator.build import build

    return build(_root(args), args)


def cmd_preview(args: argparse.Namespace) -> int:
    """Check and verify like ``build``, then write every card as Anki shows it: build/preview/."""
    from generator.build import check_stage
    from generator.preview import write_preview
    from generator.render import check_verified, render_cards
    from generator.verify import verify_deck

    root = _root(args)
    checked = check_stage(root)
    if checked is None:
        return EXIT_PROBLEMS
    config, deck = checked
    allow_gpu = bool(args.allow_unverified_gpu) or config.ship_unverified_gpu
    built = verify_deck(config, deck, no_cache=bool(args.no_cache),
                        allow_unverified_gpu=allow_gpu)
    check_verified(built, allow_unverified_gpu=allow_gpu)
    index = write_preview(render_cards(built, config), config)
    try:
        shown = index.relative_to(Path.cwd())
    except ValueError:
        shown = index
    print(f"wrote {shown} ({len(built)} cards): open it in a browser")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Run every snippet under pytest (cached results are reused) and summarise."""
    from generator.config import load_config
    from generator.publish import recover
    from generator.verify import VerifyOptions

    root = _root(args)
    load_config(root)
    for line in recover(root / "build", other_dirs=(root,)):
        print(f"note: {line}", file=sys.stderr)
    options = VerifyOptions(paths=tuple(args.paths or ["cards"]), markexpr=args.m,
                            keyword=args.k, numprocesses=args.n, no_cache=args.no_cache,
                            require_cuda=args.require_cuda, portability=args.portability)
    return verify_command(root, options, quiet=args.quiet)


def verify_command(root: Path, options: VerifyOptions, *, quiet: bool = False) -> int:
    """``deck verify``: run the plugin over ``cards/`` with a progress bar and a summary.

    Returns pytest's exit status (0 all passed or cached, 1 some failed, 5 none collected).
    """
    from rich.console import Console

    from generator.verify import cached_summary

    console = Console(stderr=True)
    started = time.monotonic()
    summary = cached_summary(root, options)
    if summary is None:
        # Unless -k or --require-cuda sent us here, something is known to need running.
        eager = options.keyword is None and not options.require_cuda
        summary = _run_with_progress(root, options, console, quiet, eager)
    elapsed = time.monotonic() - started
    if summary.exitstatus == 5 or (summary.exitstatus == 0 and not summary.items):
        console.print("deck verify: no snippets selected")
        return 0
    if summary.exitstatus not in (0, 1) and not summary.items:
        console.print(summary.output.rstrip(), markup=False, highlight=False)
        return summary.exitstatus
    _print_summary(summary, elapsed, console)
    return summary.exitstatus


def _run_with_progress(root: Path, options: VerifyOptions, console: Any,
                       quiet: bool, eager: bool) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from generator.verify import run_pytest

    progress = Progress(TextColumn("verifying"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"),
                        console=console, transient=True, disable=quiet)
    task = progress.add_task("", total=None)

    def on_event(event: dict[str, Any]) -> None:
        if event["event"] == "collected":
            progress.update(task, total=event["count"])
        elif event["event"] == "item":
            progress.update(task, advance=1, description=event["nodeid"].split("::")[-1])
            if event["outcome"] == "failed":
                progress.console.print(event["message"], markup=False, highlight=False,
                                       soft_wrap=True)
                progress.console.print()

    with progress:
        return run_pytest(root, ["-q", *options.pytest_args()], on_event=on_event,
                          eager=eager)


def _print_summary(summary: RunSummary, elapsed: float, console: Any) -> None:
    from rich.table import Table

    counts = {o: summary.count(o) for o in ("passed", "failed", "skipped", "cached")}
    # A table's title wraps at the table's own width, so the headline is a line of its own.
    console.print(f"deck verify: {len(summary.items)} snippet runs in {elapsed:.1f} s",
                  soft_wrap=True)
    table = Table()
    for outcome in counts:
        table.add_column(outcome, justify="right")
    table.add_row(*(str(n) for n in counts.values()))
    console.print(table)
    ran = sorted((e for e in summary.items if e.outcome in ("passed", "failed")),
                 key=lambda e: -e.duration)[:5]
    if ran:
        console.print("slowest:")
        for e in ran:
            console.print(f"  {e.duration:6.2f} s  {e.nodeid}", markup=False, highlight=False,
                          soft_wrap=True)
    skipped = [e for e in summary.items if e.outcome == "skipped"]
    if skipped:
        reasons = sorted({e.message for e in skipped})
        console.print(f"skipped {len(skipped)}: " + "; ".join(reasons), markup=False)



def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deck",
        description="Build verified PREP flashcards (Anki package and printable PDFs) from "
                    "Markdown cards and Python snippets.",
    )
    parser.add_argument("--root", default=".", help="the deck's root folder (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("check", help="parse and lint every card (no code is run)",
                       description="Parse and lint every card without running any code. "
                                   "Prints each problem as path:line: message; exit 1 on errors.")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="scaffold a card and its snippet with a fresh id",
                       description="Create cards/<topic>/<slug>.md and snippets/<topic>/<slug>.py.")
    p.add_argument("name", metavar="TOPIC/SLUG", help="e.g. training/batchnorm-modes")
    p.add_argument("--deck", help="subdeck (default: default_subdeck from deck.toml)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("stats", help="cards per subdeck, snippets, cpu/cuda counts",
                       description="Count cards per subdeck, snippets, cpu/cuda cards and cards "
                                   "without code.")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("build", help="check, verify and build every output into build/",
                       description="Check the deck, verify the snippets and write the outputs "
                                   "into build/.")
    p.add_argument("--allow-notetype-change", action="store_true",
                   help="build even though the Anki note type's fields or templates changed "
                        "(learners must then tick \"Merge note types\" on import)")
    p.add_argument("--no-cache", action="store_true",
                   help="re-run every snippet, even those with a passing record in build/verify/")
    p.add_argument("--allow-unverified-gpu", action="store_true",
                   help="ship cuda cards without a GPU record in verified/cuda.json, marked "
                        "'not verified on a GPU' (deck.toml: [build] ship_unverified_gpu)")
    p.add_argument("--locked", action="store_true",
                   help="fail instead of updating deck.lock when it is out of date with the "
                        "sources (for release builds)")
    p.add_argument("--version", metavar="VERSION",
                   help="the deck version shown in Anki and on the PDFs (default: deck.toml)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("preview", help="write build/preview/: every card as Anki shows it",
                       description="Check and verify the deck, then write build/preview/, a "
                                   "static site (open index.html, also from file://) showing "
                                   "every card with the note type's own HTML and CSS and MathJax "
                                   "3, at phone or desktop width, light or night, with a search "
                                   "box.")
    p.add_argument("--no-cache", action="store_true",
                   help="re-run every snippet, even those with a passing record in build/verify/")
    p.add_argument("--allow-unverified-gpu", action="store_true",
                   help="show cuda cards without a GPU record, marked 'not verified on a GPU' "
                        "(deck.toml: [build] ship_unverified_gpu)")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("verify", help="run every snippet under pytest, with a summary",
                       description="Run each card's snippets (one pytest item per snippet and "
                                   "device) in an isolated worker. Passing results are cached in "
                                   "build/verify/; passed cuda runs are recorded in "
                                   "verified/cuda.json (commit it).")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="cards or folders to verify (default: cards)")
    p.add_argument("-m", metavar="MARKEXPR", help="pytest marker expression: cpu or cuda")
    p.add_argument("-k", metavar="EXPR", help="pytest -k expression (card or snippet names)")
    p.add_argument("-n", metavar="NUM", help="pytest-xdist workers (a number or 'auto')")
    p.add_argument("--no-cache", action="store_true",
                   help="run snippets even when build/verify/ has a passing record")
    p.add_argument("--require-cuda", action="store_true",
                   help="fail cuda snippets when CUDA is not available instead of skipping")
    p.add_argument("--portability", action="store_true",
                   help="also run each cpu snippet on an imitated older CPU (one thread, no "
                        "AVX) and fail those whose output differs")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("plan", help="what learners' next import adds, updates, orphans",
                       description="Compare the cards (and their cloze marks) with deck.lock "
                                   "(the last release) and print what a learner's next import "
                                   "will add, update and leave orphaned or retired. Runs no "
                                   "code, except with --locked.")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="list unchanged cards too")
    p.add_argument("--since", metavar="REV",
                   help="instead, compare deck.lock at REV (a tag such as v1.0.0) with the "
                        "current deck.lock: what a release changed ('' = first release)")
    p.add_argument("--markdown", action="store_true",
                   help="print release notes in Markdown (with --since)")
    p.add_argument("--version", metavar="VERSION", help="version for the release notes' title")
    p.add_argument("--locked", action="store_true",
                   help="instead, check that deck.lock is exactly what 'deck build' would "
                        "write (verifies through the cache, writes nothing); name every "
                        "stale card and what changed")
    p.add_argument("--allow-unverified-gpu", action="store_true",
                   help="with --locked: as 'deck build --allow-unverified-gpu'")
    p.set_defaults(func=cmd_plan)
    return parser


ERROR_LOG = "build/deck-error.log"


def _log_internal_error(root: Path) -> str:
    """Write the current exception's traceback to ``build/deck-error.log``; return where."""
    import traceback

    details = traceback.format_exc()
    for path in (root / ERROR_LOG, Path(tempfile.gettempdir()) / "deck-error.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(details, encoding="utf-8")
        except OSError:
            continue
        return ERROR_LOG if path == root / ERROR_LOG else str(path)
    return "(no writable place for the log)"


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    root = Path(args.root).absolute()
    try:
        return int(args.func(args))
    except DeckError as err:
        for line in err.report():
            print(line, file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as err:
        # The file system refused (read-only, full, a file where a folder should be): name
        # the path and the cause, which are the user's to fix.
        from generator.fsutil import describe_os_error

        if type(err).__name__ == "TemplateNotFound":  # jinja2's is an OSError with no path
            print(f"error: cannot read the generator's own template {shown(str(err), 200)}: "
                  "reinstall it, or make generator/templates/ readable", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"error: {describe_os_error(err, root)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except SystemExit:
        raise
    # The last line of defence: no traceback on screen. BaseException too: a panic inside a
    # Rust extension (typst, tex2typst, anki) reaches Python as pyo3's PanicException, which
    # derives from BaseException so that ``except Exception`` does not catch it.
    except BaseException as err:  # noqa: BLE001
        where = _log_internal_error(root)
        print(f"internal error: {shown(err, 200)}; please report; details in {where}",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
