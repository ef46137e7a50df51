"""Frozen dataclasses passed between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SECTION_NAMES: tuple[str, ...] = ("Principle", "Reason", "Example", "Pitfall")
DEVICES: tuple[str, ...] = ("cpu", "cuda")
LEVELS: tuple[str, ...] = ("basic", "intermediate", "advanced")  # the order new cards arrive in
DEFAULT_TIMEOUT = 60.0  # seconds a snippet may run when its card gives no 'timeout'
MAX_TIMEOUT = 3600.0
Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; ``line`` counts from 1 (0 means the whole file)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Field:
    """One front-matter entry as written, with where its key stands."""

    key: str
    value: object
    location: Location
    item_lines: tuple[int, ...] = ()  # for a list value: the line of each item

    def __hash__(self) -> int:
        # YAML values may be lists or dicts; hash their repr so a Card can key a dict.
        return hash((self.key, repr(self.value), self.location, self.item_lines))


@dataclass(frozen=True)
class Section:
    """A ``## Name`` section of a card's back: raw Markdown body."""

    name: str
    body: str
    location: Location  # the heading's line
    body_line: int  # first line of the body


@dataclass(frozen=True)
class SnippetRef:
    """A link from a card to a snippet, as written (relative to ``snippets/``)."""

    path: str
    location: Location

    @property
    def source_path(self) -> str:
        """The path relative to the deck root, e.g. ``snippets/training/bn.py``."""
        return f"snippets/{self.path}"


@dataclass(frozen=True)
class ClozeMark:
    """One ``cloze:`` item as written: code of a linked snippet to blank on a cloze card.

    ``code`` is matched exactly against the snippet's text; ``occurrence`` (from 1) picks one
    when it appears more than once; ``hint`` replaces Anki's ``[...]`` in the hole.
    Values are as written (``lint`` judges them).
    """

    code: object
    location: Location
    hint: object = None
    occurrence: object = None
    unknown_keys: tuple[str, ...] = ()


class _CardFile:
    """What a card knows from its file's path and sections, as read or as checked."""

    path: str
    sections: tuple[Section, ...]

    @property
    def location(self) -> Location:
        return Location(self.path, 1)

    @property
    def topic(self) -> str:
        """The card's folder under ``cards/`` (``training`` for ``cards/training/x.md``)."""
        parts = self.path.split("/")
        return parts[1] if len(parts) > 2 else ""

    def section(self, name: str) -> Section | None:
        for s in self.sections:
            if s.name == name:
                return s
        return None


@dataclass(frozen=True)
class RawCard(_CardFile):
    """One parsed card file: what the file says. Values are as written; ``lint`` judges them
    and turns a card without errors into a ``Card``."""

    path: str  # relative to the deck root, POSIX separators
    id: str | None
    question: str | None
    question_location: Location | None
    sections: tuple[Section, ...]
    front_matter: tuple[Field, ...]
    front_matter_text: str
    snippets: tuple[SnippetRef, ...] = ()
    deck: str | None = None
    tags: tuple[str, ...] = ()
    level: str | None = None  # basic | intermediate | advanced; None: [deck] default_level
    requires: tuple[str, ...] = ("cpu",)
    timeout: float | None = None
    no_snippet: str | None = None
    cloze: tuple[ClozeMark, ...] = ()
    extra_h1: tuple[Location, ...] = ()  # further level-1 headings (an error)
    stray_text: Location | None = None  # text between front matter and question
    lost_text: Location | None = None  # text between the question and the first section
    open_fence: Location | None = None  # a code fence that is never closed
    control_chars: tuple[tuple[Location, str], ...] = ()  # first one of each body line
    has_bom: bool = False

    def field(self, key: str) -> Field | None:
        for f in self.front_matter:
            if f.key == key:
                return f
        return None

    def key_location(self, key: str) -> Location:
        f = self.field(key)
        return f.location if f else self.location



@dataclass(frozen=True)
class Card(_CardFile):
    """A card that lint checked: every value valid, every default resolved.

    ``sections`` are the four PREP sections in order; ``deck`` is the subdeck (the card's own
    or the deck's default); ``timeout`` is in seconds; ``level`` is the card's own or
    ``[deck] default_level``.
    """

    path: str  # relative to the deck root, POSIX separators
    id: str
    question: str
    question_location: Location
    sections: tuple[Section, ...]
    front_matter_text: str  # hashed into deck.lock's source_hash
    snippets: tuple[SnippetRef, ...]
    deck: str
    tags: tuple[str, ...]
    requires: tuple[str, ...]  # the devices each snippet runs on
    timeout: float
    no_snippet: str | None = None
    level: str = "intermediate"  # basic | intermediate | advanced (the card's or the default)
    cloze: tuple[ClozeMark, ...] = ()  # checked: each matches its snippets' code



@dataclass(frozen=True)
class Finding:
    """One lint result."""

    severity: Severity
    location: Location
    message: str

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{self.message}"


@dataclass(frozen=True)
class RawDeck:
    """Every card file of a deck that parsed, sorted by path, with the snippet files on disk."""

    root: str
    cards: tuple[RawCard, ...]
    snippet_files: tuple[str, ...]  # relative to the root: snippets/x/y.py


@dataclass(frozen=True)
class Deck:
    """The cards that passed lint, sorted by path, with the snippet files found on disk."""

    root: str
    cards: tuple[Card, ...]
    snippet_files: tuple[str, ...]  # relative to the root: snippets/x/y.py


@dataclass(frozen=True)
class Figure:
    """An SVG figure a snippet saved into its working folder during a passing run."""

    name: str  # the file name the snippet wrote: roc.svg
    sha256: str  # of ``svg`` as UTF-8
    svg: str

    @property
    def media_name(self) -> str:
        """The content-addressed file name in a package: ``roc-<12 hex>.svg``."""
        stem = self.name.rsplit(".", 1)[0]
        return f"{stem}-{self.sha256[:12]}.svg"


@dataclass(frozen=True)
class Verification:
    """The record of one run of one snippet for one card on one device."""

    card_id: str
    snippet: str  # relative to the deck root: snippets/x/y.py
    device: str  # "cpu" | "cuda"
    status: str  # "passed" | "failed" | "skipped"
    stdout: str
    stderr: str
    duration: float
    versions: tuple[tuple[str, str], ...]  # (("python", "3.11.7"), ("torch", ...), ...)
    content_hash: str
    gpu_name: str | None = None
    message: str = ""  # why it failed or was skipped
    figures: tuple[Figure, ...] = ()  # SVGs saved by a passing run, sorted by name

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class SnippetResult:
    """What a renderer shows for one linked snippet."""

    ref: SnippetRef
    code: str
    verification: Verification | None  # None: not verified (only shipped when allowed)
    device: str = "cpu"


@dataclass(frozen=True)
class BuiltCard:
    """A card ready for the renderers: the card and its snippets with verified output."""

    card: Card
    subdeck: str
    snippets: tuple[SnippetResult, ...] = field(default_factory=tuple)
