"""One exception base, one subclass per phase. ``str(err)`` is ``path:line: message``."""

from __future__ import annotations

import reprlib
import unicodedata

from generator.model import Location

_REPR = reprlib.Repr()  # Python 3.11's Repr takes no keyword arguments
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple = 3, 4, 6, 6
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 40
SHOWN_CHARS = 80


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """An untrusted value, quoted for a message: bounded in size, control characters escaped.

    ``reprlib`` stops at a few items and levels, so even a value that YAML aliases made huge is
    never fully rendered; a string that is still too long is cut with ``...``.
    """
    text = _REPR.repr(value)
    text = "".join(
        ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text
    )
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escaped(text: str, limit: int = 200) -> str:
    """Text for a terminal line without quotes: control characters escaped, length bounded."""
    out = "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)
    return out if len(out) <= limit else out[: limit - 3] + "..."


def is_control(ch: str) -> bool:
    """A character a terminal may act on (C0 and C1 controls, DEL), except tab and newline."""
    return ch not in "\t\n" and unicodedata.category(ch) == "Cc"


class DeckError(Exception):
    """Base for every error a user can cause; the CLI prints it without a traceback."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        *,
        problems: tuple[DeckError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.problems = problems  # several errors reported together, each with its location

    def report(self) -> list[str]:
        """The lines to show a user: each problem as ``path:line: message``."""
        if self.problems:
            return [line for p in self.problems for line in p.report()]
        return [str(self) if self.location is not None else f"error: {self.message}"]

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class ConfigError(DeckError):
    """``deck.toml`` is missing, malformed or has invalid values."""


class CardError(DeckError):
    """A card file cannot be parsed."""


class SnippetError(DeckError):
    """A snippet failed, timed out or has no valid verification."""


class BuildError(DeckError):
    """An output cannot be built (unverified cards, lock conflicts, engine failures)."""
