"""One exception base, one subclass per phase. ``str(err)`` is ``path:line: message``."""

from __future__ import annotations

from generator.model import Location


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
