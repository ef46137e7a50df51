"""pytest plugin: one test item per (card snippet, device); a thin adapter.

Registered through the ``pytest11`` entry point, so plain ``pytest`` collects
``cards/**/*.md`` of a deck root (a folder with ``deck.toml``) next to ``tests/``. Items are
``cards/<topic>/<card>.md::<snippet>.py[cpu]``, marked ``cpu`` or ``cuda``. Each pytest process
owns one ``Supervisor``, started only when some selected item has no passing record. Every
item's ``Verification`` travels in its report (``user_properties``) to ``run_pytest``.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from generator.errors import CardError, DeckError
from generator.model import SnippetRef, Verification

if TYPE_CHECKING:
    from generator.verify.jobs import SnippetCard, SnippetJob
    from generator.verify.records import RecordStore
    from generator.verify.supervisor import Supervisor

_SESSION = pytest.StashKey["DeckSession"]()
VERIFICATION = "deck_verification"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("deck", "deck snippet verification")
    group.addoption("--require-cuda", action="store_true", default=False,
                    help="fail cuda snippets when CUDA is not available (for GPU CI) instead of "
                         "skipping them")
    group.addoption("--no-cache", action="store_true", default=False, dest="deck_no_cache",
                    help="run every selected snippet even when build/verify/ has a passing "
                         "record for its exact content")
    group.addoption("--portability", action="store_true", default=False,
                    help="run each cpu snippet a second time on an imitated older CPU (one "
                         "thread, no AVX) and fail it when its output differs")
    group.addoption("--deck-events-fd", type=int, default=None, help=argparse.SUPPRESS)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cpu: a card snippet run on the CPU")
    config.addinivalue_line("markers", "cuda: a card snippet run on a CUDA GPU")
    config.stash[_SESSION] = DeckSession(config)
    xdist_controller = bool(config.getoption("numprocesses", None)) and not hasattr(
        config, "workerinput")
    if os.environ.get("DECK_WORKER_EAGER") == "1" and not xdist_controller \
            and _deck_root(config) is not None:
        # ``deck verify`` / ``verify_deck`` already know that something must run: import
        # torch in the worker while pytest starts up and collects.
        config.stash[_SESSION].supervisor().start()
    fd = config.getoption("deck_events_fd", None)
    if fd is not None and not hasattr(config, "workerinput"):  # xdist controller or no xdist
        config.pluginmanager.register(EventWriter(fd), "deck-events")


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()


def _deck_root(config: pytest.Config) -> Path | None:
    root = config.rootpath
    return root if (root / "deck.toml").is_file() else None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".md":
        return None
    root = _deck_root(parent.config)
    if root is None:
        return None
    try:
        rel = file_path.relative_to(root)
    except ValueError:
        return None
    if rel.parts[0] != "cards":
        return None
    return CardFile.from_parent(parent, path=file_path)


def pytest_collection_finish(session: pytest.Session) -> None:
    # Start the worker now, so that torch imports while pytest reports collection; but only
    # when something will really run, so that a fully cached run never imports torch.
    deck = session.config.stash[_SESSION]
    expected = [(str(item.job.path), item.job.display) for item in session.items
                if isinstance(item, SnippetItem) and item.needs_worker()]
    if expected:
        deck.supervisor().expect(expected)
        deck.supervisor().start()  # nothing when already started (DECK_WORKER_EAGER)
        deck.expected = expected


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    if isinstance(item, SnippetItem):
        item.next_item = nextitem  # may start beside this one (Supervisor.run's ``then``)


def pytest_report_teststatus(report: pytest.TestReport,
                             config: pytest.Config) -> tuple[str, str, str] | None:
    if report.when == "call" and report.passed and ("deck", "cached") in report.user_properties:
        return "cached", "c", "CACHED"
    return None


class DeckSession:
    """Per pytest process: the options, the record store and the lazily started worker."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.no_cache = bool(config.getoption("deck_no_cache", False))
        self.require_cuda = bool(config.getoption("require_cuda", False))
        self.portability = bool(config.getoption("portability", False))
        self._supervisor: Supervisor | None = None
        self._portable: Supervisor | None = None
        self._imitation: list[str] | None = None
        self._store: RecordStore | None = None
        self.expected: list[tuple[str, str]] = []  # (path, display) of the snippets to run

    def store(self) -> RecordStore:
        if self._store is None:
            from generator.verify.records import RecordStore

            self._store = RecordStore.load(self.config.rootpath)
        return self._store

    def supervisor(self) -> Supervisor:
        if self._supervisor is None:
            from generator.config import load_config
            from generator.verify.supervisor import DEFAULT_MAX_OUTPUT, Supervisor

            try:
                max_output = load_config(self.config.rootpath).max_output
            except (DeckError, AttributeError):
                max_output = DEFAULT_MAX_OUTPUT
            self._supervisor = Supervisor(self.config.rootpath, max_output=max_output)
        return self._supervisor

    def portable_supervisor(self) -> Supervisor:
        """The worker that imitates another CPU; fails the item when the imitation does not
        take effect here."""
        from generator.verify.portability import PORTABLE_ENV, check_imitation
        from generator.verify.supervisor import Supervisor

        if self._imitation is None:
            self._imitation = check_imitation()
        if self._imitation:
            raise SnippetFailure("cannot imitate another CPU here: " + "; ".join(self._imitation))
        if self._portable is None:
            main = self.supervisor()
            self._portable = Supervisor(self.config.rootpath, max_output=main.max_output,
                                        env_overrides=PORTABLE_ENV)
            self._portable.expect(self.expected)
        return self._portable

    @property
    def started(self) -> bool:
        return self._supervisor is not None

    def close(self) -> None:
        for supervisor in (self._supervisor, self._portable):
            if supervisor is not None:
                supervisor.close()
        self._supervisor = self._portable = None


class CardFile(pytest.File):
    """A card: one item per linked snippet and device."""

    def collect(self) -> Iterator[pytest.Item]:
        from generator.parse import read_card
        from generator.verify.jobs import card_devices, item_name

        try:
            card = read_card(self.config.rootpath, self.path)
        except CardError as err:
            yield CardErrorItem.from_parent(self, name="card", error=str(err))
            return
        for ref in card.snippets:
            for device in card_devices(card):
                yield SnippetItem.from_parent(self, name=f"{item_name(card, ref)}[{device}]",
                                              card=card, ref=ref, device=device)


class SnippetFailure(Exception):
    """A snippet's own failure; ``repr_failure`` prints its text, not the plugin's frames."""


class DeckItem(pytest.Item):
    """A ``SnippetFailure`` prints its own text only (the card's ``path:line`` and the
    snippet's frames), never the plugin's traceback."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, (SnippetFailure, DeckError)):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class CardErrorItem(DeckItem):
    """Stands for a card that cannot be parsed, so that collection goes on."""

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        for device in ("cpu", "cuda"):  # a broken card fails whichever device is selected
            self.add_marker(device)

    def runtest(self) -> None:
        raise SnippetFailure(self.error)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class SnippetItem(DeckItem):
    """One snippet of one card on one device."""

    def __init__(self, *, card: SnippetCard, ref: SnippetRef, device: str,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.card, self.ref, self.device = card, ref, device
        self.add_marker(device)
        self._content: str | None = None
        self.next_item: pytest.Item | None = None

    @property
    def job(self) -> SnippetJob:
        from generator.verify.jobs import SnippetJob

        return SnippetJob(self.config.rootpath, self.card, self.ref, self.device)

    def content(self) -> str:
        if self._content is None:
            self._content = self.job.content_hash()
        return self._content

    def needs_worker(self) -> bool:
        from generator.verify import cuda_possible

        deck = self.config.stash[_SESSION]
        if self.device == "cuda" and not cuda_possible():
            return False
        try:
            return deck.no_cache or deck.store().cached(self.job, self.content()) is None
        except (OSError, DeckError):
            return False

    def runtest(self) -> None:
        from generator.verify import cuda_possible
        from generator.verify.records import to_json

        deck = self.config.stash[_SESSION]
        job = self.job
        head = f"{self.ref.location}: snippet {job.display}"
        if self.device == "cuda" and not cuda_possible():
            self._no_cuda(deck.require_cuda, head)
        try:
            content = self.content()
        except OSError as err:
            raise SnippetFailure(f"{head} cannot be read: {err.strerror}") from None
        found = None if deck.no_cache else deck.store().cached(job, content)
        if found is None:
            found = deck.supervisor().run(job, content, then=self._next_job(deck))
            if found.status == "skipped":
                self._no_cuda(deck.require_cuda, head)
            deck.store().put(job, found)
        else:
            self.user_properties.append(("deck", "cached"))
        self.user_properties.append(("deck_duration", found.duration))
        self.user_properties.append((VERIFICATION, to_json(found)))
        if found.stdout:
            self.add_report_section("call", "stdout", found.stdout)
        if found.stderr:
            self.add_report_section("call", "stderr", found.stderr)
        if not found.passed:
            summary, _, trace = found.message.partition("\n")
            detail = trace if summary and summary in trace else found.message
            raise SnippetFailure(f"{head} failed\n{detail}")
        if deck.portability and self.device == "cpu":
            self._check_portable(deck, job, content, found, head)

    def _next_job(self, deck: DeckSession) -> SnippetJob | None:
        """The next item's job when it may run beside this one: both on the CPU, the next
        not cached, and no second run (``--portability``) between them."""
        following = self.next_item
        if deck.portability or self.device != "cpu" or not isinstance(following, SnippetItem) \
                or following.device != "cpu" or not following.needs_worker():
            return None
        return following.job

    def _check_portable(self, deck: DeckSession, job: SnippetJob, content: str,
                        main: Verification, head: str) -> None:
        from generator.verify.portability import compare
        from generator.verify.records import PORTABLE

        other = None if deck.no_cache else deck.store().cached(job, content, kind=PORTABLE)
        if other is None:
            other = deck.portable_supervisor().run(job, content)
            deck.store().put(job, other, kind=PORTABLE)
        problem = compare(main, other)
        if problem is not None:
            raise SnippetFailure(f"{head} {problem}")

    @staticmethod
    def _no_cuda(require_cuda: bool, head: str) -> None:
        if require_cuda:
            raise SnippetFailure(f"{head} failed\nCUDA not available (--require-cuda)")
        pytest.skip("CUDA not available")

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.ref.location.line - 1, f"{self.card.path}::{self.name}"


class EventWriter:
    """Streams one JSON line per finished item (with its ``Verification``) to ``run_pytest``."""

    def __init__(self, fd: int) -> None:
        self.stream = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def _send(self, **event: Any) -> None:
        self.stream.write(json.dumps(event) + "\n")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._send(event="collected", count=len(session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self._send(event="collected", count=len(ids))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.failed or report.skipped):
            return
        props = dict(report.user_properties)
        outcome = "cached" if props.get("deck") == "cached" and report.passed else report.outcome
        message = ""
        if report.failed:
            message = report.longreprtext
        elif report.skipped and isinstance(report.longrepr, tuple):
            message = str(report.longrepr[2]).removeprefix("Skipped: ")
        self._send(event="item", nodeid=report.nodeid, outcome=outcome,
                   duration=float(str(props.get("deck_duration", report.duration))),
                   message=message, verification=props.get(VERIFICATION))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self._send(event="finished", exitstatus=int(exitstatus))
        self.stream.close()
