"""What one verification is: a ``SnippetJob`` (card, snippet, device), its seed, its timeout and
the content hash that decides whether an earlier result may be reused.

Nothing here imports torch: versions come from package metadata.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import platform
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Protocol

from generator.model import DEFAULT_TIMEOUT, DEVICES, Deck, SnippetRef

MIN_TIMEOUT, MAX_TIMEOUT = 1.0, 3600.0
LIBRARIES = ("torch", "scikit-learn", "numpy", "scipy")
CONSTRAINTS = "constraints.txt"
# The runner's own code: a change to any of these re-runs every snippet.
RUNNER_FILES = ("worker.py", "protocol.py", "supervisor.py", "figures.py", "matplotlibrc")


def normalise_version(name: str, version: str) -> str:
    """The version as keys and cards show it: Python without its patch level, libraries without
    a local build tag (``2.13.0+cpu`` and ``2.13.0+cu126`` are both ``2.13.0``)."""
    if name == "python":
        return ".".join(version.split(".")[:2])
    return version.split("+")[0]


@lru_cache(maxsize=1)
def library_versions() -> tuple[tuple[str, str], ...]:
    """Python and library versions, normalised, sorted by name (read without importing torch)."""
    found = [("python", normalise_version("python", platform.python_version()))]
    for name in LIBRARIES:
        try:
            found.append((name, normalise_version(name, metadata.version(name))))
        except metadata.PackageNotFoundError:
            found.append((name, "absent"))
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def runner_hash() -> str:
    """sha256 of the runner's source files (computed, never a hand-bumped number)."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in RUNNER_FILES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return digest.hexdigest()


def constraints_hash(root: Path) -> str:
    """sha256 of the deck's pinned dependency set (``constraints.txt``), or "" without one."""
    try:
        return hashlib.sha256((root / CONSTRAINTS).read_bytes()).hexdigest()
    except OSError:
        return ""


def effective_timeout(value: float | None) -> float:
    """The timeout the runner enforces: a finite number of seconds in 1..3600.

    ``deck check`` rejects anything else; this keeps the runner safe whatever arrives.
    """
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        return DEFAULT_TIMEOUT
    return min(max(float(value), MIN_TIMEOUT), MAX_TIMEOUT)


def snippet_seed(card_id: str, snippet: str, device: str) -> int:
    """The seed for ``random``, ``numpy`` and ``torch``: from the snippet's identity alone,
    so results do not depend on run order or on ``-k`` selection."""
    digest = hashlib.sha256(f"{card_id}\0{snippet}\0{device}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _local_modules(source: bytes, folder: Path) -> Iterator[Path]:
    """Files in ``folder`` (the snippet's ``sys.path[0]``) that ``source`` imports."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    for name in names:
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            base = folder.joinpath(*parts[:depth])
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    yield candidate


def snippet_files(root: Path, snippet: str) -> tuple[tuple[str, str], ...]:
    """(path, sha256) of the snippet and of every module it imports from its folder under
    ``snippets/``, transitively; sorted. Raises ``OSError`` when the snippet is unreadable."""
    start = root / snippet
    snippets_dir = (root / "snippets").resolve()
    found: dict[str, str] = {}
    queue = [start]
    while queue:
        path = queue.pop()
        rel = path.relative_to(root).as_posix()
        if rel in found:
            continue
        data = path.read_bytes()
        found[rel] = hashlib.sha256(data).hexdigest()
        for module in _local_modules(data, start.parent):
            resolved = module.resolve()
            if resolved.is_relative_to(snippets_dir) and module.relative_to(root).as_posix() \
                    not in found:
                queue.append(module)
    return tuple(sorted(found.items()))


def content_hash(card_id: str, device: str, timeout: float,
                 files: Iterable[tuple[str, str]], versions: Iterable[tuple[str, str]],
                 constraints: str, runner: str) -> str:
    """sha256 of everything that decides a snippet's outcome, and nothing else: a card's
    prose, tags or subdeck are not in it."""
    payload = {
        "card": card_id, "device": device, "timeout": timeout, "files": list(files),
        "versions": dict(versions), "constraints": constraints, "runner": runner,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class SnippetCard(Protocol):
    """What a job needs of a card: a checked ``Card`` or, in the pytest plugin, a ``RawCard``."""

    @property
    def path(self) -> str: ...
    @property
    def id(self) -> str | None: ...
    @property
    def snippets(self) -> tuple[SnippetRef, ...]: ...
    @property
    def requires(self) -> tuple[str, ...]: ...
    @property
    def timeout(self) -> float | None: ...


def card_key(card: SnippetCard) -> str:
    return card.id or card.path


def card_devices(card: SnippetCard) -> tuple[str, ...]:
    return tuple(d for d in DEVICES if d in card.requires)


def item_name(card: SnippetCard, ref: SnippetRef) -> str:
    """The item's name without the device: the snippet's file name, or its path under
    ``snippets/`` when the card links two files of the same name."""
    name = PurePosixPath(ref.path).name
    if sum(PurePosixPath(r.path).name == name for r in card.snippets) > 1:
        return ref.path
    return name


@dataclass(frozen=True)
class SnippetJob:
    """One snippet of one card on one device."""

    root: Path
    card: SnippetCard
    ref: SnippetRef
    device: str

    @property
    def card_id(self) -> str:
        return card_key(self.card)

    @property
    def display(self) -> str:
        return self.ref.source_path

    @property
    def path(self) -> Path:
        return self.root / self.ref.source_path

    @property
    def nodeid(self) -> str:
        return f"{self.card.path}::{item_name(self.card, self.ref)}[{self.device}]"

    @property
    def timeout(self) -> float:
        return effective_timeout(self.card.timeout)

    @property
    def seed(self) -> int:
        return snippet_seed(self.card_id, self.display, self.device)

    @property
    def record_name(self) -> str:
        flat = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.ref.path)
        return f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', self.card_id)}--{flat}--{self.device}.json"

    def content_hash(self) -> str:
        """Raises ``OSError`` when the snippet cannot be read."""
        return content_hash(self.card_id, self.device, self.timeout,
                            snippet_files(self.root, self.display), library_versions(),
                            constraints_hash(self.root), runner_hash())


def jobs_for(root: Path, deck: Deck) -> Iterator[SnippetJob]:
    for card in deck.cards:
        for ref in card.snippets:
            for device in card_devices(card):
                yield SnippetJob(root, card, ref, device)
