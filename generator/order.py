"""The study order: which new card a learner meets first, in Anki and on paper.

With its default options Anki gathers new cards deck by deck, in the order of the deck list,
which is alphabetical (the "Deck" gather order), and inside a deck by position (a new card's
``due``), then shows them in the order gathered. A package cannot change a learner's options,
so the order is carried by what a package does control:

* the subdecks' names: with ``[deck] study_order`` each top-level subdeck is numbered in that
  order (``Deep Learning Interview Prep::01 Fundamentals``), so the alphabetical deck list is
  the study order;
* each new card's position: subdeck in study order, then level (basic first), then file path.

tests/test_order.py checks both with the real Anki scheduler on a fresh collection.
"""

from __future__ import annotations

from generator.config import Config
from generator.model import LEVELS, Card, RawCard


def card_level(card: Card | RawCard, config: Config) -> str:
    """The card's level: its own, or ``[deck] default_level`` (a ``Card`` has it resolved)."""
    return card.level if card.level in LEVELS else config.default_level


def subdeck_rank(subdeck: str, config: Config) -> int:
    """The position of the subdeck's top-level part in ``study_order`` (unlisted: last)."""
    top = subdeck.split("::")[0].strip()
    try:
        return config.study_order.index(top)
    except ValueError:
        return len(config.study_order)


def study_key(card: Card, subdeck: str, config: Config
              ) -> tuple[int, tuple[str, ...], int, str]:
    """Sort key of a card in the study order: the subdeck's place, then the deck tree order
    Anki walks (a parent deck before its children), then the level, then the file."""
    parts = tuple(part.strip().casefold() for part in subdeck.split("::"))
    rank = subdeck_rank(subdeck, config)
    return (rank, parts[1:] if rank < len(config.study_order) else parts,
            LEVELS.index(card_level(card, config)), card.path)


def anki_subdeck(subdeck: str, config: Config) -> str:
    """The subdeck's name in Anki: numbered when the deck has a study order."""
    if not config.study_order:
        return subdeck
    top, *rest = subdeck.split("::")
    top = top.strip()
    if top not in config.study_order:
        return subdeck
    width = max(2, len(str(len(config.study_order))))
    number = str(config.study_order.index(top) + 1).zfill(width)
    return "::".join([f"{number} {top}", *rest])

