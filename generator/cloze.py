"""Cloze marks: which code of a card's snippets a cloze note blanks, and the note's identity.

A card lists code to recall under ``cloze:`` in its front matter (docs/card-format.md). Each
mark becomes one Anki note of the cloze note type, holding the verified code with that code
blanked. This module only locates marks and names notes; it imports nothing heavy, because
``deck check`` lints marks with it. Rendering is in ``render.py``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.errors import escaped, shown
from generator.model import Card, ClozeMark, Finding, Location, RawCard, SnippetRef

MARK_KEYS: tuple[str, ...] = ("code", "hint", "occurrence")
KEY_SEPARATOR = "+cloze-"


@dataclass(frozen=True)
class ClozeSpot:
    """A checked mark: the exact code to blank and where it stands in which snippet."""

    card_id: str
    code: str
    hint: str | None
    occurrence: int | None  # as written; None when the code occurs once
    snippet: SnippetRef
    start: int  # offset of the code in the snippet's text
    line: int  # its line in the snippet, from 1
    location: Location  # the mark's line in the card

    @property
    def key(self) -> str:
        return cloze_key(self.card_id, self.code, self.occurrence)

    @property
    def end(self) -> int:
        return self.start + len(self.code)


def cloze_key(card_id: str, code: str, occurrence: int | None = None) -> str:
    """The cloze note's own id: from the card id and the mark, never from its position.

    ``<card id>+cloze-<8 hex digits>`` (safe in file names and URLs). Editing the card, or the
    snippet around the marked code, keeps the key: the note updates in place. Changing the
    marked code itself makes a new note (and retires the old one).
    """
    identity = code if occurrence is None else f"{code}\n{occurrence}"
    digest = hashlib.sha256(f"{card_id}\n{identity}".encode()).hexdigest()[:8]
    return f"{card_id}{KEY_SEPARATOR}{digest}"


def is_cloze_key(key: str) -> bool:
    return KEY_SEPARATOR in key


def cloze_parent(key: str) -> str:
    """The card id of a cloze note's key (a card's own id is its own parent)."""
    return key.split(KEY_SEPARATOR, 1)[0]


def _occurrences(text: str, code: str) -> list[int]:
    found, start = [], text.find(code)
    while start >= 0:
        found.append(start)
        start = text.find(code, start + 1)
    return found


def _closest_line(code: str, texts: list[tuple[SnippetRef, str]]) -> str:
    squeezed = "".join(code.split())
    if any(squeezed in "".join(text.split()) for _, text in texts):
        return " (it matches if spaces are ignored: copy the spaces too)"
    lines = [line.strip() for _, text in texts for line in text.splitlines() if line.strip()]
    close = difflib.get_close_matches(code, lines, n=1, cutoff=0.6)
    return f" (closest line: '{escaped(close[0], 80)}')" if close else ""


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, MARK_KEYS, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_mark(mark: ClozeMark, card: Card | RawCard,
                texts: list[tuple[SnippetRef, str]]) -> tuple[ClozeSpot | None, list[Finding]]:
    """The spot a mark blanks, or the problems with it (all of them)."""
    where = mark.location
    problems = [Finding("error", where, f"unknown key {shown(key)} in a cloze mark{_suggest(key)}; "
                        "a mark is the code itself or {code: ..., hint: ..., occurrence: N}")
                for key in mark.unknown_keys]
    code = mark.code
    if not isinstance(code, str):
        what = "no 'code'" if code is None else shown(code)
        problems.append(Finding("error", where, f"a cloze mark must be the code to blank, as "
                                f"text (quote it), not {what}"))
        return None, problems
    if not code.strip():
        problems.append(Finding("error", where, "empty cloze mark: a blank must ask for some "
                                "code; write the exact code to blank"))
        return None, problems
    if "\n" in code:
        problems.append(Finding("error", where, "a cloze mark must lie within one line of code; "
                                "mark one line's expression"))
        return None, problems
    text = escaped(code, 80)
    if code != code.strip():
        problems.append(Finding("error", where, f"cloze mark {shown(code)} starts or ends with "
                                "spaces; remove them"))
    hint = mark.hint
    if hint is not None and (not isinstance(hint, str) or not hint.strip() or "\n" in hint):
        problems.append(Finding("error", where, f"a cloze 'hint' must be one line of text, not "
                                f"{shown(hint)}"))
    occurrence = mark.occurrence
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(
            occurrence, bool) or occurrence < 1):
        problems.append(Finding("error", where, f"a cloze 'occurrence' must be a number from "
                                f"1, not {shown(occurrence)}"))
        occurrence = None
    found = [(ref, text, start) for ref, text in texts for start in _occurrences(text, code)]
    if not found:
        names = ", ".join(ref.source_path for ref, _ in texts)
        problems.append(Finding("error", where, f"cloze mark '{text}' matches no code in "
                                f"{names}; copy the code exactly{_closest_line(code, texts)}"))
        return None, problems
    places = ", ".join(f"{ref.source_path}:{text.count(chr(10), 0, start) + 1}"
                       for ref, text, start in found)
    if occurrence is None and len(found) > 1:
        problems.append(Finding("error", where, f"cloze mark '{text}' matches {len(found)} times "
                                f"({places}); say which with {{code: '{text}', occurrence: N}}"))
        return None, problems
    if occurrence is not None and occurrence > len(found):
        problems.append(Finding("error", where, f"cloze 'occurrence: {occurrence}' but '{text}' "
                                f"matches only {len(found)} time(s) ({places})"))
        return None, problems
    if problems:
        return None, problems
    ref, text, start = found[(occurrence or 1) - 1]
    spot = ClozeSpot(card.id or "", code, hint.strip() if isinstance(hint, str) else None,
                     occurrence, ref, start, text.count("\n", 0, start) + 1, where)
    return spot, []


def resolve_marks(card: Card | RawCard, codes: Mapping[str, str]) -> tuple[list[ClozeSpot], list[Finding]]:
    """Every mark of ``card`` located in its snippets' code (``codes``: ``ref.path`` -> text).

    Marks on a snippet missing from ``codes`` are not judged (lint reports the snippet).
    """
    texts = [(ref, codes[ref.path]) for ref in card.snippets if ref.path in codes]
    if len(texts) < len(card.snippets):
        return [], []
    spots: list[ClozeSpot] = []
    findings: list[Finding] = []
    seen: dict[str, Location] = {}
    for mark in card.cloze:
        spot, problems = _check_mark(mark, card, texts)
        findings += problems
        if spot is None:
            continue
        if spot.key in seen:
            findings.append(Finding("error", spot.location, f"cloze mark '{escaped(spot.code, 80)}' is given "
                                    f"twice (first on line {seen[spot.key].line})"))
            continue
        seen[spot.key] = spot.location
        spots.append(spot)
    return spots, findings


def lint_cloze(card: RawCard, codes: Mapping[str, str], *, has_note_type: bool) -> Iterator[Finding]:
    """``deck check``'s findings for a card's ``cloze:`` list."""
    field = card.field("cloze")
    if field is None:
        return
    if not isinstance(field.value, list) or not field.value:
        yield Finding("error", field.location, "'cloze' must be a non-empty list of code to "
                      "blank, e.g. cloze: [\"x - x.max(-1, keepdim=True)\"]")
        return
    if card.field("snippet") is None:
        yield Finding("error", field.location, "'cloze' without 'snippet': there is no code "
                      "to blank")
        return
    if not has_note_type:
        yield Finding("error", field.location, "cloze marks need their own note type id: add "
                      "'cloze_note_type_id = <a fixed number>' to [deck] in deck.toml")
    yield from resolve_marks(card, codes)[1]
