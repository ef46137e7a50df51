"""Checks over parsed cards. Every check returns findings; nothing stops at the first one."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from generator.cloze import lint_cloze
from generator.config import Config, suggest
from generator.errors import CardError
from generator.model import DEVICES, SECTION_NAMES, Card, Deck, Finding, Location
from generator.parse import read_card

KNOWN_KEYS: tuple[str, ...] = (
    "id", "deck", "tags", "snippet", "no_snippet", "requires", "timeout", "cloze",
)
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{2,63}")
TAG_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:.-]*")


def read_deck(root: Path) -> tuple[Deck, list[Finding]]:
    """Parse every ``cards/**/*.md``; parse errors come back as findings, not exceptions."""
    findings: list[Finding] = []
    cards: list[Card] = []
    card_dir = root / "cards"
    for path in sorted(card_dir.rglob("*.md")) if card_dir.is_dir() else []:
        try:
            cards.append(read_card(root, path))
        except CardError as err:
            findings.append(Finding("error", err.location or Location(path.as_posix()), err.message))
    snippet_dir = root / "snippets"
    snippets = tuple(
        p.relative_to(root).as_posix()
        for p in sorted(snippet_dir.rglob("*.py"))
        if "__pycache__" not in p.parts
    ) if snippet_dir.is_dir() else ()
    return Deck(root=str(root), cards=tuple(cards), snippet_files=snippets), findings


def lint_deck(deck: Deck, config: Config) -> list[Finding]:
    """Every problem in the deck, sorted by file and line."""
    root = Path(deck.root)
    findings: list[Finding] = []
    for card in deck.cards:
        findings.extend(lint_card(card, config, root))
    findings.extend(_duplicate_ids(deck))
    findings.extend(_orphan_snippets(deck))
    return findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By file and line; findings on one line keep the order the checks produced them."""
    return sorted(findings, key=lambda f: (f.location.path, f.location.line))


def lint_card(card: Card, config: Config, root: Path) -> Iterator[Finding]:
    """All problems with one card."""
    yield from _front_matter(card)
    yield from _body(card, config)
    yield from _snippets(card, config, root)
    yield from _cloze(card, config, root)


def _error(location: Location, message: str) -> Finding:
    return Finding("error", location, message)


def _warning(location: Location, message: str) -> Finding:
    return Finding("warning", location, message)


def _front_matter(card: Card) -> Iterator[Finding]:
    if card.has_bom:
        yield _warning(card.location, "file starts with a UTF-8 byte-order mark; save it without one")
    for f in card.front_matter:
        if f.key not in KNOWN_KEYS:
            yield _error(f.location, f"unknown front-matter key '{f.key}'{suggest(f.key, KNOWN_KEYS)}")
    id_field = card.field("id")
    if id_field is None:
        yield _error(card.location, "missing 'id' in front matter; add a stable id such as "
                     "'id: my-card-1a2b3c4d' (deck new makes one)")
    elif not isinstance(id_field.value, str) or not ID_PATTERN.fullmatch(id_field.value):
        yield _error(id_field.location, f"malformed id {id_field.value!r}: use 3-64 lowercase "
                     "letters, digits and '-', starting with a letter or digit")
    for key in ("deck", "no_snippet"):
        f = card.field(key)
        if f is not None and (not isinstance(f.value, str) or not f.value.strip()):
            yield _error(f.location, f"'{key}' must be a non-empty text, not {f.value!r}")
    deck_field = card.field("deck")
    if card.deck is not None and any(not part.strip() for part in card.deck.split("::")):
        yield _error(deck_field.location if deck_field else card.location,
                     f"subdeck {card.deck!r} has an empty part between '::'")
    tags = card.field("tags")
    if tags is not None:
        if not isinstance(tags.value, list):
            yield _error(tags.location, "'tags' must be a list, e.g. 'tags: [pytorch, training]'")
        else:
            for item, line in zip(tags.value, tags.item_lines):
                if not isinstance(item, str) or not TAG_PATTERN.fullmatch(item):
                    yield _error(Location(card.path, line), f"invalid tag {item!r}: use letters, "
                                 "digits, '_', '-', '.', '::' and no spaces")
    req = card.field("requires")
    if req is not None:
        values = req.value if isinstance(req.value, list) else [req.value]
        if not values:
            yield _error(req.location, "'requires' is empty; use cpu, cuda or [cpu, cuda]")
        for value in values:
            if value not in DEVICES:
                yield _error(req.location, f"unknown device {value!r} in 'requires'"
                             f"{suggest(str(value), DEVICES)}; use cpu, cuda or [cpu, cuda]")
        if len(values) != len(set(map(str, values))):
            yield _error(req.location, "'requires' lists a device twice")
        if card.field("snippet") is None:
            yield _error(req.location, "'requires' without 'snippet': there is no code to run")
    timeout = card.field("timeout")
    if timeout is not None and (card.timeout is None or card.timeout <= 0):
        yield _error(timeout.location, "'timeout' must be a positive number of seconds, not "
                     f"{timeout.value!r}")


def _body(card: Card, config: Config) -> Iterator[Finding]:
    if card.stray_text is not None:
        yield _error(card.stray_text, "text before the question; the body must start with "
                     "'# <question>'")
    if card.question_location is None:
        yield _error(card.location, "missing question: add a level-1 heading '# <question>' "
                     "after the front matter")
    elif not (card.question or "").strip():
        yield _error(card.question_location, "the question heading is empty")
    elif len(card.question or "") > config.max_question_chars:
        yield _warning(card.question_location, f"question is {len(card.question or '')} "
                       f"characters; the limit is {config.max_question_chars}")
    for loc in card.extra_h1:
        yield _error(loc, "a card has one question: only one level-1 heading '# ...' is allowed "
                     "(use '###' for sub-headings)")
    seen: dict[str, Location] = {}
    order: list[str] = []
    misspelt: set[str] = set()
    for section in card.sections:
        if section.name not in SECTION_NAMES:
            hint = suggest(section.name, SECTION_NAMES)
            misspelt.update(n for n in SECTION_NAMES if hint == f" (did you mean '{n}'?)")
            yield _error(section.location, f"unknown section '## {section.name}'{hint}; a card "
                         "has exactly ## Principle, ## Reason, ## Example, ## Pitfall (use '###' "
                         "inside them)")
            continue
        if section.name in seen:
            yield _error(section.location, f"duplicate section '## {section.name}' (first on "
                         f"line {seen[section.name].line})")
            continue
        seen[section.name] = section.location
        order.append(section.name)
        if not section.body.strip():
            yield _error(section.location, f"section '## {section.name}' is empty")
        elif len(section.body) > config.max_section_chars:
            yield _warning(section.location, f"section '## {section.name}' is "
                           f"{len(section.body)} characters; the limit is {config.max_section_chars}")
    missing = [n for n in SECTION_NAMES if n not in seen and n not in misspelt]
    if missing:
        names = ", ".join(f"'## {n}'" for n in missing)
        yield _error(card.question_location or card.location,
                     f"missing section{'s' if len(missing) > 1 else ''} {names}")
    expected = [n for n in SECTION_NAMES if n in seen]
    if order != expected:
        first_wrong = next(n for n, e in zip(order, expected) if n != e)
        yield _error(seen[first_wrong], "sections are out of order; use Principle, Reason, "
                     "Example, Pitfall")


def _snippets(card: Card, config: Config, root: Path) -> Iterator[Finding]:
    field = card.field("snippet")
    if field is None:
        if card.field("no_snippet") is None:
            yield _error(card.location, "card has no snippet: link one with 'snippet: <path under "
                         "snippets/>' or say why with 'no_snippet: <reason>'")
        return
    if card.field("no_snippet") is not None:
        yield _error(card.key_location("no_snippet"), "'no_snippet' and 'snippet' both given; "
                     "keep one")
    if isinstance(field.value, list):
        if not field.value:
            yield _error(field.location, "'snippet' is an empty list")
        bad = [v for v in field.value if not isinstance(v, str)]
        if bad:
            yield _error(field.location, f"'snippet' entries must be paths, not {bad[0]!r}")
    elif not isinstance(field.value, str):
        yield _error(field.location, f"'snippet' must be a path under snippets/ or a list of "
                     f"them, not {field.value!r}")
    seen: set[str] = set()
    snippet_root = (root / "snippets").resolve()
    for ref in card.snippets:
        if ref.path in seen:
            yield _error(ref.location, f"snippet '{ref.path}' is linked twice")
            continue
        seen.add(ref.path)
        pure = PurePosixPath(ref.path)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:[\\/]", ref.path):
            yield _error(ref.location, f"snippet path '{ref.path}' is absolute; give it relative "
                         "to snippets/")
            continue
        if ".." in pure.parts or "\\" in ref.path:
            yield _error(ref.location, f"snippet path '{ref.path}' leaves snippets/; give a path "
                         "inside snippets/ without '..'")
            continue
        if pure.parts and pure.parts[0] == "snippets":
            yield _error(ref.location, f"snippet path '{ref.path}' starts with 'snippets/'; paths "
                         f"are relative to snippets/ (write '{PurePosixPath(*pure.parts[1:])}')")
            continue
        if pure.suffix != ".py":
            yield _error(ref.location, f"snippet '{ref.path}' is not a .py file")
            continue
        path = root / "snippets" / pure
        if not path.is_file():
            yield _error(ref.location, f"snippet 'snippets/{ref.path}' does not exist")
            continue
        if not os.path.realpath(path).startswith(str(snippet_root) + os.sep):
            yield _error(ref.location, f"snippet 'snippets/{ref.path}' is a symlink that leads "
                         "outside snippets/; copy the file in instead")
            continue
        try:
            lines = path.read_text(encoding="utf-8").count("\n") + 1
        except UnicodeDecodeError:
            yield _error(ref.location, f"snippet 'snippets/{ref.path}' is not valid UTF-8")
            continue
        if lines > config.max_snippet_lines:
            yield _warning(ref.location, f"snippet 'snippets/{ref.path}' has {lines} lines; the "
                           f"limit is {config.max_snippet_lines} (it must be readable on a phone)")


def _cloze(card: Card, config: Config, root: Path) -> Iterator[Finding]:
    codes: dict[str, str] = {}
    if card.field("cloze") is not None:
        for ref in card.snippets:
            path = root / ref.source_path
            try:
                if path.is_file():
                    codes[ref.path] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError, ValueError):
                pass  # _snippets reports it
    yield from lint_cloze(card, codes, has_note_type=config.cloze_note_type_id is not None)


def _duplicate_ids(deck: Deck) -> Iterator[Finding]:
    by_id: dict[str, list[Card]] = defaultdict(list)
    for card in deck.cards:
        if card.id:
            by_id[card.id].append(card)
    for card_id, cards in by_id.items():
        if len(cards) > 1:
            first = cards[0].key_location("id")
            for other in cards[1:]:
                yield _error(other.key_location("id"), f"duplicate id '{card_id}' (also in "
                             f"{first}); every card needs its own id")


def _orphan_snippets(deck: Deck) -> Iterator[Finding]:
    linked = {ref.source_path for card in deck.cards for ref in card.snippets}
    for snippet in deck.snippet_files:
        if snippet not in linked:
            yield _warning(Location(snippet, 1), "orphan snippet: no card links it (link it with "
                           "'snippet:' or delete it)")
