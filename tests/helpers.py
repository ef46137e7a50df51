"""Factories shared by the tests."""

from __future__ import annotations

from generator.lint import resolve_card
from generator.model import Card
from generator.parse import parse_card


def checked_card(source: str | bytes, path: str, *, default_subdeck: str = "Default") -> Card:
    """Parse a card's text and resolve it as lint does for a card without errors."""
    return resolve_card(parse_card(source, path), default_subdeck=default_subdeck)
