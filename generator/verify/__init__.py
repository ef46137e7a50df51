"""The verify stage: every snippet run in its own process, every result honest.

Modules, in the order data flows:

- ``jobs``: a ``SnippetJob`` (card, snippet, device), its seed, timeout and content hash.
- ``records``: the ``RecordStore``: the cache under ``build/verify/`` and the GPU ledger
  ``verified/cuda.json``, loaded once and validated.
- ``protocol``: the typed messages between supervisor and worker.
- ``supervisor``: owns one worker; turns a job into a ``Verification``.
- ``worker``: the zygote and the process forked for each snippet.
- ``plugin``: the pytest adapter (one item per snippet and device).
- here: ``run_pytest`` (a pytest run in a child process, its events streamed back with each
  item's ``Verification``), ``cached_summary`` and ``verify_deck``, the build's stage.

Nothing here imports torch: a fully cached run never pays for it.
"""

from __future__ import annotations

import dataclasses
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import SnippetError
from generator.model import BuiltCard, SnippetResult, Verification
from generator.verify.jobs import (
    SnippetJob,
    card_devices,
    item_name,
    jobs_for,
    library_versions,
    snippet_seed,
)
from generator.verify.records import (
    LEDGER_PATH,
    PORTABLE,
    RECORD_DIR,
    RecordError,
    RecordStore,
    from_json,
    ledger_key,
    load_ledger,
    to_json,
)

if TYPE_CHECKING:
    from generator.config import Config
    from generator.model import Deck

__all__ = [
    "LEDGER_PATH",
    "RECORD_DIR",
    "ItemEvent",
    "RecordStore",
    "RunSummary",
    "SnippetJob",
    "VerifyOptions",
    "cached_summary",
    "card_devices",
    "cuda_possible",
    "from_json",
    "item_name",
    "ledger_key",
    "library_versions",
    "load_ledger",
    "load_verifications",
    "run_pytest",
    "snippet_seed",
    "to_json",
    "verify_deck",
]

VERIFY_HINT = ("run 'deck verify -m cuda' on a machine with a CUDA GPU, then commit "
               f"{LEDGER_PATH}; or build with --allow-unverified-gpu to ship it marked "
               "'not verified on a GPU'")


PORTABILITY_FAILURES = ("prints CPU-dependent output", "fails on another CPU")


def cuda_possible() -> bool:
    """False when CUDA certainly cannot work here, decided without importing torch."""
    from importlib import metadata

    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        return False
    if torch_version.endswith("+cpu") or sys.platform == "darwin":
        return False
    return not (sys.platform == "linux" and not glob.glob("/dev/nvidia[0-9]*"))


def load_verifications(config: Config) -> dict[tuple[str, str, str], Verification]:
    """Every record of the cache and the ledger, keyed by (card id, snippet path, device)."""
    return RecordStore.load(config.root).all_records()


# --------------------------------------------------------------------------- pytest runs


@dataclass
class ItemEvent:
    """One finished item, as the plugin reports it to ``run_pytest``."""

    nodeid: str
    outcome: str  # passed | failed | skipped | cached
    duration: float
    message: str = ""
    verification: Verification | None = None


@dataclass
class RunSummary:
    exitstatus: int = 0
    collected: int = 0
    items: list[ItemEvent] = field(default_factory=list)
    output: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.items if e.outcome == outcome)

    def verifications(self) -> dict[str, Verification]:
        return {e.nodeid: e.verification for e in self.items if e.verification is not None}


def _item_event(event: dict[str, Any]) -> ItemEvent:
    verification = None
    if event.get("verification") is not None:
        try:
            verification = from_json(event["verification"])
        except RecordError:
            verification = None
    return ItemEvent(str(event["nodeid"]), str(event["outcome"]), float(event["duration"]),
                     str(event.get("message", "")), verification)


def run_pytest(root: Path, args: Iterable[str], *,
               on_event: Callable[[dict[str, Any]], None] | None = None,
               eager: bool = False) -> RunSummary:
    """Run ``python -m pytest`` at the deck root in a child process; stream its events.

    ``eager``: the caller knows some snippet must run, so the worker starts (and imports
    torch) while pytest itself starts, instead of after collection.
    """
    read_fd, write_fd = os.pipe()
    # Load only the plugins a deck run needs: autoloading every installed plugin (hypothesis
    # alone) costs more than checking a whole cached deck.
    plugins = ["-p", "generator.verify.plugin"]
    if importlib.util.find_spec("xdist") is not None:  # for -n, here or in the deck's addopts
        plugins += ["-p", "xdist.plugin"]
    command = [sys.executable, "-m", "pytest", f"--rootdir={root}", "-p", "no:cacheprovider",
               *plugins, f"--deck-events-fd={write_fd}", *args]
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    if eager:
        env["DECK_WORKER_EAGER"] = "1"
    summary = RunSummary()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, cwd=root, stdout=output, stderr=subprocess.STDOUT,
                                pass_fds=(write_fd,), env=env)
        os.close(write_fd)
        with os.fdopen(read_fd, "r", encoding="utf-8") as events:
            for line in events:
                event = json.loads(line)
                if event["event"] == "collected":
                    summary.collected = event["count"]
                elif event["event"] == "item":
                    summary.items.append(_item_event(event))
                if on_event is not None:
                    on_event(event)
        summary.exitstatus = proc.wait()
        output.seek(0)
        summary.output = output.read().decode("utf-8", "replace")
    return summary


# --------------------------------------------------------------------------- deck verify


@dataclass(frozen=True)
class VerifyOptions:
    """What ``deck verify`` passes through to pytest."""

    paths: tuple[str, ...] = ("cards",)
    markexpr: str | None = None
    keyword: str | None = None
    numprocesses: str | None = None
    no_cache: bool = False
    require_cuda: bool = False
    portability: bool = False

    def pytest_args(self) -> list[str]:
        args: list[str] = []
        for flag, value in (("-m", self.markexpr), ("-k", self.keyword),
                            ("-n", self.numprocesses)):
            if value is not None:
                args += [flag, value]
        args += ["--no-cache"] * self.no_cache + ["--require-cuda"] * self.require_cuda
        args += ["--portability"] * self.portability
        return args + list(self.paths)


class _MarkerMatcher:
    """``-m`` semantics for a snippet item: its only marker is its device."""

    def __init__(self, device: str) -> None:
        self.device = device

    def __call__(self, name: str, /, **kwargs: str | int | bool | None) -> bool:
        return name == self.device


def cached_summary(root: Path, options: VerifyOptions) -> RunSummary | None:
    """The run's outcome without starting pytest, when every selected item is already
    verified (cached) or a cuda item that would be skipped; ``None`` when pytest must run.

    This is what makes a warm ``deck verify`` cost a card parse and a hash per snippet.
    ``-k`` and ``--require-cuda`` always go through pytest, which owns their semantics.
    """
    from generator.errors import CardError, DeckError
    from generator.parse import read_card

    if options.no_cache or options.keyword is not None or options.require_cuda:
        return None
    markexpr = None
    if options.markexpr:
        from _pytest.mark.expression import Expression  # pytest's own -m grammar

        try:
            markexpr = Expression.compile(options.markexpr)
        except SyntaxError:  # pytest reports it
            return None
    prefixes = []
    for path in options.paths:
        full = (root / path).resolve()
        if not full.exists() or not full.is_relative_to(root):
            return None
        prefixes.append(full.relative_to(root).as_posix() if full != root else "")
    try:
        store = RecordStore.load(root)
    except DeckError:
        return None  # pytest reports it
    card_dir = root / "cards"
    summary = RunSummary()
    # Card by card, so that a cold run gives up at its first uncached snippet.
    for card_path in sorted(card_dir.rglob("*.md")) if card_dir.is_dir() else ():
        rel = card_path.relative_to(root).as_posix()
        if not any(p in ("", rel) or rel.startswith(p + "/") for p in prefixes):
            continue
        try:
            card = read_card(root, card_path)
        except CardError:
            return None  # pytest reports an unparsable card as a failing item
        for ref in card.snippets:
            for device in card_devices(card):
                if markexpr is not None and not markexpr.evaluate(_MarkerMatcher(device)):
                    continue
                job = SnippetJob(root, card, ref, device)
                if device == "cuda" and not cuda_possible():
                    summary.items.append(ItemEvent(job.nodeid, "skipped", 0.0,
                                                   "CUDA not available"))
                    continue
                try:
                    found = store.cached(job, job.content_hash())
                except OSError:
                    return None
                if found is None or (options.portability and device == "cpu" and not (
                        (other := store.cached(job, found.content_hash, kind=PORTABLE))
                        and other.stdout == found.stdout)):
                    return None
                summary.items.append(ItemEvent(job.nodeid, "cached", found.duration, "",
                                               found))
    summary.collected = len(summary.items)
    summary.exitstatus = 0 if summary.items else 5
    return summary


# --------------------------------------------------------------------------- the build stage


def verify_deck(config: Config, deck: Deck, *, no_cache: bool = False,
                allow_unverified_gpu: bool = False, portability: bool = False,
                pytest_args: Iterable[str] = ()) -> list[BuiltCard]:
    """Verify every snippet of ``deck`` (running only what the cache lacks) and return the
    cards with their verified output.

    Each result comes from the record store (a passed record for exactly this content) or from
    the run itself (its pytest events). Raises ``SnippetError`` listing every card that cannot
    ship: a failed snippet, one that was not run, or a ``cuda`` snippet without a record for
    exactly its content (unless ``allow_unverified_gpu``: it comes back with
    ``verification=None``). ``portability``: a cpu snippet must also print the same on an
    imitated older CPU (``deck verify --portability``).
    """
    root = config.root
    store = RecordStore.load(root)
    jobs = list(jobs_for(root, deck))
    hashes: dict[SnippetJob, str] = {}
    missing: list[str] = []
    for job in jobs:
        try:
            hashes[job] = job.content_hash()
        except OSError:
            missing.append(f"{job.ref.location}: snippet {job.display} cannot be read; "
                           "run 'deck check'")
    if missing:
        raise SnippetError("\n".join(missing))
    found: dict[SnippetJob, Verification] = {}
    for job in jobs:
        hit = None if no_cache else store.cached(job, hashes[job])
        if hit is not None and portability and job.device == "cpu":
            other = store.cached(job, hashes[job], kind=PORTABLE)
            hit = hit if other is not None and other.stdout == hit.stdout else None
        if hit is not None:
            found[job] = hit
    runnable = [j for j in jobs if j not in found and (j.device == "cpu" or cuda_possible())]
    if runnable:
        extra = ["--no-cache"] * no_cache + ["--portability"] * portability
        summary = run_pytest(root, ["-q", *extra, *pytest_args,
                                    *sorted({j.nodeid for j in runnable})], eager=True)
        if summary.exitstatus not in (0, 1) and not summary.items:
            raise SnippetError(f"pytest could not run the snippets (exit status "
                               f"{summary.exitstatus}):\n{summary.output[-3000:]}")
        events = {e.nodeid: e for e in summary.items}
        for job in runnable:
            event = events.get(job.nodeid)
            v = event.verification if event is not None else None
            if event is None or v is None or v.status == "skipped" or (
                    v.card_id, v.snippet, v.device, v.content_hash) != (
                    job.card_id, job.display, job.device, hashes[job]):
                continue
            if event.outcome == "failed" and v.passed:  # passed, then failed a later check
                reason = event.message.split(f"{job.display} ", 1)[-1]
                v = dataclasses.replace(v, status="failed", message=reason)
            found[job] = v
    return _built_cards(config, deck, found, allow_unverified_gpu)


def _built_cards(config: Config, deck: Deck, found: dict[SnippetJob, Verification],
                 allow_unverified_gpu: bool) -> list[BuiltCard]:
    root = config.root
    problems: list[str] = []
    fixes: dict[str, str] = {}
    built: list[BuiltCard] = []
    for card in deck.cards:
        results: list[SnippetResult] = []
        for ref in card.snippets:
            code = (root / ref.source_path).read_text(encoding="utf-8")
            for device in card_devices(card):
                job = SnippetJob(root, card, ref, device)
                v = found.get(job)
                if v is not None and v.passed:
                    results.append(SnippetResult(ref, code, v, device))
                elif v is not None and v.message.startswith(PORTABILITY_FAILURES):
                    problems.append(f"{ref.location}: snippet {job.display} {v.message}")
                elif v is not None:
                    reason = v.message.split("\n")[0] or v.status
                    problems.append(f"{ref.location}: snippet {job.display} failed on {device}: "
                                    f"{reason}")
                    fixes["failed"] = ("failed snippets: 'deck verify PATH-OF-CARD' shows the "
                                       "traceback; fix the snippet or the card's claim")
                elif device == "cuda":
                    if allow_unverified_gpu:
                        results.append(SnippetResult(ref, code, None, device))
                        continue
                    problems.append(f"{ref.location}: snippet {job.display} (cuda) has no GPU "
                                    "verification for its current content")
                    fixes["cuda"] = f"cuda snippets: {VERIFY_HINT}"
                else:
                    problems.append(f"{ref.location}: snippet {job.display} ({device}) was not "
                                    "run (deselected by the pytest options?)")
                    fixes["run"] = "snippets not run: run 'deck verify'"
        built.append(BuiltCard(card, card.deck or config.default_subdeck, tuple(results)))
    if problems:
        raise SnippetError(f"{len(problems)} snippet(s) cannot ship:\n" + "\n".join(problems)
                           + "\nto fix them:\n" + "\n".join(f"  {fixes[k]}" for k in sorted(fixes)))
    return built
