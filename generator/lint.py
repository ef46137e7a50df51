"""Checks over parsed cards: ``RawCard`` -> ``Card`` plus findings.

Every check returns findings; nothing stops at the first one. A card with no error becomes a
``Card``, with every default resolved, so no later stage patches around missing values.
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from generator.cloze import lint_cloze
from generator.config import Config, suggest
from generator.errors import CardError, escaped, is_control, shown
from generator.model import (
    DEFAULT_TIMEOUT,
    DEVICES,
    LEVELS,
    MAX_TIMEOUT,
    SECTION_NAMES,
    Card,
    Deck,
    Finding,
    Location,
    RawCard,
    RawDeck,
)
from generator.parse import read_card
from generator.tags import check_tags

KNOWN_KEYS: tuple[str, ...] = (
    "id", "deck", "level", "tags", "snippet", "no_snippet", "requires", "timeout", "cloze",
)
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{2,63}")
TAG_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:.-]*")

# What ``deck new`` writes (generator/cli.py builds its templates from these). A card or
# snippet that still holds this placeholder text is an error: it would otherwise pass every
# check and ship, since the placeholder snippet runs and asserts something true.
SCAFFOLD_QUESTION = "TODO: the question, as the learner will see it?"
SCAFFOLD_SECTIONS: dict[str, str] = {
    "Principle": "TODO: the core idea, in one or two sentences.",
    "Reason": "TODO: why it works, or what problem it solves.",
    "Example": "TODO: a concrete case; the linked snippet proves it and its output is shown "
               "on the card.",
    "Pitfall": "TODO: what goes wrong when it is misused, or a common misconception.",
}
SCAFFOLD_SNIPPET_CODE = """\
import torch

x = torch.ones(3)
assert x.sum().item() == 3.0
print(x)
"""


def read_deck(root: Path) -> tuple[RawDeck, list[Finding]]:
    """Parse every ``cards/**/*.md``; parse errors come back as findings, not exceptions."""
    findings: list[Finding] = []
    cards: list[RawCard] = []
    card_dir = root / "cards"
    for path in _files(card_dir):
        rel = path.relative_to(root).as_posix()
        if path.suffix != ".md":
            if path.suffix.lower() == ".md":
                findings.append(_error(Location(rel, 1), "card file extension "
                                       f"{shown(path.suffix)} "
                                       "is not read; rename the file to end in '.md'"))
            continue
        try:
            cards.append(read_card(root, path))
        except CardError as err:
            findings.append(Finding("error", err.location or Location(rel), err.message))
    snippets = tuple(
        p.relative_to(root).as_posix()
        for p in _files(root / "snippets")
        if p.suffix == ".py" and "__pycache__" not in p.parts
    )
    return RawDeck(root=str(root), cards=tuple(cards), snippet_files=snippets), findings


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted (none when it is not a folder)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def lint_deck(raw: RawDeck, config: Config) -> tuple[Deck, list[Finding]]:
    """The checked deck (the cards without errors) and every problem in it."""
    root = Path(raw.root)
    findings: list[Finding] = []
    cards: list[Card] = []
    for raw_card in raw.cards:
        card, card_findings = lint_card(raw_card, config, root)
        findings.extend(card_findings)
        if card is not None:
            cards.append(card)
    duplicates = list(_duplicate_ids(raw))
    findings.extend(duplicates)
    findings.extend(_orphan_snippets(raw))
    findings.extend(_study_order(raw, config))
    findings.extend(_snippet_line_widths(raw, config, root))
    bad_ids = {f.location.path for f in duplicates}
    deck = Deck(root=raw.root, cards=tuple(c for c in cards if c.path not in bad_ids),
                snippet_files=raw.snippet_files)
    return deck, findings


def subdeck_of(raw: RawCard, default_subdeck: str) -> str:
    """The subdeck a card goes into: its own ``deck:`` or the deck's default (the one place
    that decides it)."""
    return raw.deck if raw.deck and raw.deck.strip() else default_subdeck


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By file and line; findings on one line keep the order the checks produced them."""
    return sorted(findings, key=lambda f: (f.location.path, f.location.line))


def lint_card(raw: RawCard, config: Config, root: Path) -> tuple[Card | None, list[Finding]]:
    """All problems with one card, and the checked card when none of them is an error."""
    findings = [*_front_matter(raw), *_level(raw), *check_tags(raw, config), *_body(raw, config),
                *_scaffold(raw), *_snippets(raw, config, root),
                *_cloze(raw, config, root)]
    if any(f.severity == "error" for f in findings):
        return None, findings
    return resolve_card(raw, default_subdeck=config.default_subdeck,
                        default_level=config.default_level), findings


def resolve_card(raw: RawCard, *, default_subdeck: str,
                 default_level: str = "intermediate") -> Card:
    """The ``Card`` of a raw card that lint passed: defaults resolved, sections in order."""
    if raw.id is None or raw.question is None or raw.question_location is None:
        raise CardError("card has no id or no question (run 'deck check')", raw.location)
    sections = tuple(s for name in SECTION_NAMES for s in raw.sections if s.name == name)
    return Card(
        path=raw.path,
        id=raw.id,
        question=raw.question,
        question_location=raw.question_location,
        sections=sections,
        front_matter_text=raw.front_matter_text,
        snippets=raw.snippets,
        deck=subdeck_of(raw, default_subdeck),
        tags=raw.tags,
        requires=raw.requires,
        timeout=raw.timeout if raw.timeout is not None else DEFAULT_TIMEOUT,
        no_snippet=raw.no_snippet,
        level=raw.level if raw.level in LEVELS else default_level,
        cloze=raw.cloze,
    )


def _error(location: Location, message: str) -> Finding:
    return Finding("error", location, message)


def _warning(location: Location, message: str) -> Finding:
    return Finding("warning", location, message)


def _front_matter(card: RawCard) -> Iterator[Finding]:
    if card.has_bom:
        yield _warning(card.location, "file starts with a UTF-8 byte-order mark; save it without one")
    for f in card.front_matter:
        if f.key not in KNOWN_KEYS:
            yield _error(f.location, f"unknown front-matter key {shown(f.key)}"
                         f"{suggest(f.key, KNOWN_KEYS)}")
    id_field = card.field("id")
    if id_field is None:
        yield _error(card.location, "missing 'id' in front matter; add a stable id such as "
                     "'id: my-card-1a2b3c4d' (deck new makes one)")
    elif not isinstance(id_field.value, str) or not ID_PATTERN.fullmatch(id_field.value):
        yield _error(id_field.location, f"malformed id {shown(id_field.value)}: use 3-64 lowercase "
                     "letters, digits and '-', starting with a letter or digit")
    for key in ("deck", "no_snippet"):
        text_field = card.field(key)
        if text_field is None:
            continue
        value = text_field.value
        if not isinstance(value, str) or not value.strip():
            yield _error(text_field.location, f"'{key}' must be a non-empty text, not "
                         f"{shown(value)}")
        elif any(map(is_control, value)):
            yield _error(text_field.location, f"'{key}' holds a control character: "
                         f"{shown(value)}; delete it")
    deck_field = card.field("deck")
    if card.deck is not None and deck_field is not None and card.deck.strip():
        if "\n" in card.deck or "\t" in card.deck:
            yield _error(deck_field.location, f"subdeck {shown(card.deck)} must be one line "
                         "without tabs, e.g. 'deck: Training::Optimisers'")
        elif any(not part.strip() for part in card.deck.split("::")):
            yield _error(deck_field.location,
                         f"subdeck {shown(card.deck)} has an empty part between '::'")
    tags = card.field("tags")
    if tags is not None:
        if not isinstance(tags.value, list):
            yield _error(tags.location, "'tags' must be a list, e.g. 'tags: [pytorch, training]'")
        else:
            for item, line in zip(tags.value, tags.item_lines):
                if not isinstance(item, str) or not TAG_PATTERN.fullmatch(item):
                    yield _error(Location(card.path, line), f"invalid tag {shown(item)}: use "
                                 "letters, "
                                 "digits, '_', '-', '.', '::' and no spaces")
    req = card.field("requires")
    if req is not None:
        values = req.value if isinstance(req.value, list) else [req.value]
        if not values:
            yield _error(req.location, "'requires' is empty; use cpu, cuda or [cpu, cuda]")
        for value in values:
            if value not in DEVICES:
                yield _error(req.location, f"unknown device {shown(value)} in 'requires'"
                             f"{suggest(str(value), DEVICES)}; use cpu, cuda or [cpu, cuda]")
        if len(values) != len(set(map(str, values))):
            yield _error(req.location, "'requires' lists a device twice")
        if card.field("snippet") is None:
            yield _error(req.location, "'requires' without 'snippet': there is no code to run")
    timeout = card.field("timeout")
    if timeout is not None and not _valid_timeout(timeout.value):
        hint = ""
        if isinstance(timeout.value, str) and _is_float(timeout.value):
            hint = " (YAML read it as text; write a plain number such as 120)"
        yield _error(timeout.location, f"'timeout' must be a number of seconds from 1 to "
                     f"{MAX_TIMEOUT:g}, not {shown(timeout.value)}{hint}")


def _valid_timeout(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and 1 <= value <= MAX_TIMEOUT


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _body(card: RawCard, config: Config) -> Iterator[Finding]:
    if card.stray_text is not None:
        yield _error(card.stray_text, "text before the question; the body must start with "
                     "'# <question>'")
    if card.lost_text is not None:
        yield _error(card.lost_text, "text between the question and the first section would "
                     "not be shown; the question is the '# ' line alone: move this text into "
                     "a section or into that line")
    if card.open_fence is not None:
        yield _error(card.open_fence, "code fence is never closed; add a closing fence line "
                     "(``` or ~~~) after the code")
    for location, ch in card.control_chars:
        yield _error(location, f"control character {shown(ch)} in the card text; delete it "
                     "(terminals and Anki would act on it)")
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
            name = escaped(section.name, 80)
            yield _error(section.location, f"unknown section '## {name}'{hint}; a card "
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
    if missing and card.open_fence is None:  # an open fence swallows the sections after it
        names = ", ".join(f"'## {n}'" for n in missing)
        yield _error(card.question_location or card.location,
                     f"missing section{'s' if len(missing) > 1 else ''} {names}")
    expected = [n for n in SECTION_NAMES if n in seen]
    if order != expected:
        first_wrong = next(n for n, e in zip(order, expected) if n != e)
        yield _error(seen[first_wrong], "sections are out of order; use Principle, Reason, "
                     "Example, Pitfall")


def _scaffold(card: RawCard) -> Iterator[Finding]:
    """Placeholder text of ``deck new`` left in the question or a section."""
    if card.question_location is not None and (card.question or "").strip() == SCAFFOLD_QUESTION:
        yield _error(card.question_location, "the question is still the placeholder that "
                     "'deck new' wrote; replace it with the question the learner will see")
    placeholders = set(SCAFFOLD_SECTIONS.values())
    for section in card.sections:
        for offset, line in enumerate(section.body.split("\n")):
            if line.strip() in placeholders:
                yield _error(Location(card.path, section.body_line + offset),
                             f"section '## {section.name}' still holds the placeholder that "
                             "'deck new' wrote; replace this line with the card's own text")


def _code_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _is_scaffold_snippet(text: str) -> int:
    """The line where ``deck new``'s placeholder code starts, or 0 if ``text`` is not it."""
    if _code_lines(text) != _code_lines(SCAFFOLD_SNIPPET_CODE):
        return 0
    return next(i for i, line in enumerate(text.splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#"))


def _snippets(card: RawCard, config: Config, root: Path) -> Iterator[Finding]:
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
            yield _error(field.location, f"'snippet' entries must be paths, not "
                         f"{shown(bad[0])}")
    elif not isinstance(field.value, str):
        yield _error(field.location, f"'snippet' must be a path under snippets/ or a list of "
                     f"them, not {shown(field.value)}")
    seen: set[str] = set()
    snippet_root = (root / "snippets").resolve()
    for ref in card.snippets:
        if ref.path in seen:
            yield _error(ref.location, f"snippet {shown(ref.path)} is linked twice")
            continue
        seen.add(ref.path)
        pure = PurePosixPath(ref.path)
        if any(map(is_control, ref.path)) or "\n" in ref.path or "\t" in ref.path:
            yield _error(ref.location, f"snippet path {shown(ref.path)} holds a control "
                         "character; delete it")
            continue
        if pure.is_absolute() or re.match(r"^[A-Za-z]:[\\/]", ref.path):
            yield _error(ref.location, f"snippet path {shown(ref.path)} is absolute; give it "
                         "relative "
                         "to snippets/")
            continue
        if ".." in pure.parts or "\\" in ref.path:
            yield _error(ref.location, f"snippet path {shown(ref.path)} leaves snippets/; give "
                         "a path "
                         "inside snippets/ without '..'")
            continue
        if pure.parts and pure.parts[0] == "snippets":
            yield _error(ref.location, f"snippet path {shown(ref.path)} starts with "
                         "'snippets/'; paths "
                         f"are relative to snippets/ (write '{PurePosixPath(*pure.parts[1:])}')")
            continue
        if not pure.parts or str(pure) != ref.path:
            yield _error(ref.location, f"snippet path {shown(ref.path)} is not in plain form; "
                         f"write {shown(str(pure))}")
            continue
        if pure.suffix != ".py":
            yield _error(ref.location, f"snippet {shown(ref.path)} is not a .py file")
            continue
        path = root / "snippets" / pure
        if not path.is_file():
            yield _error(ref.location, f"snippet {shown(ref.source_path)} does not exist")
            continue
        if not os.path.realpath(path).startswith(str(snippet_root) + os.sep):
            yield _error(ref.location, f"snippet {shown(ref.source_path)} is a symlink that leads "
                         "outside snippets/; copy the file in instead")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            yield _error(ref.location, f"snippet {shown(ref.source_path)} is not valid UTF-8")
            continue
        lines = text.count("\n") + 1
        scaffold_line = _is_scaffold_snippet(text)
        if scaffold_line:
            yield _error(Location(ref.source_path, scaffold_line),
                         "this snippet is still the placeholder that 'deck new' wrote; "
                         f"replace it with code that asserts the claim of {card.path}")
        if lines > config.max_snippet_lines:
            yield _warning(ref.location, f"snippet {shown(ref.source_path)} has {lines} lines; the "
                           f"limit is {config.max_snippet_lines} (it must be readable on a phone)")


def _cloze(card: RawCard, config: Config, root: Path) -> Iterator[Finding]:
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


def _duplicate_ids(deck: RawDeck) -> Iterator[Finding]:
    by_id: dict[str, list[RawCard]] = defaultdict(list)
    for card in deck.cards:
        if card.id:
            by_id[card.id].append(card)
    for card_id, cards in by_id.items():
        if len(cards) > 1:
            first = cards[0].key_location("id")
            for other in cards[1:]:
                yield _error(other.key_location("id"), f"duplicate id {shown(card_id)} (also in "
                             f"{first}); every card needs its own id")


def _orphan_snippets(deck: RawDeck) -> Iterator[Finding]:
    linked = {ref.source_path for card in deck.cards for ref in card.snippets}
    for snippet in deck.snippet_files:
        if snippet not in linked:
            yield _warning(Location(snippet, 1), "orphan snippet: no card links it (link it with "
                           "'snippet:' or delete it)")


def _level(card: RawCard) -> Iterator[Finding]:
    f = card.field("level")
    if f is not None and f.value not in LEVELS:
        hint = suggest(str(f.value), LEVELS)
        if not hint and str(f.value).lower() in ("p1", "p2", "p3"):
            hint = f" (did you mean '{LEVELS[int(str(f.value)[1]) - 1]}'?)"
        yield _error(f.location, f"unknown level {f.value!r}{hint}; use "
                     f"{', '.join(LEVELS[:-1])} or {LEVELS[-1]}")


def _study_order(deck: RawDeck, config: Config) -> Iterator[Finding]:
    """With ``[deck] study_order``, every card's subdeck must be listed there."""
    if not config.study_order:
        return
    used: set[str] = set()
    for card in deck.cards:
        subdeck = subdeck_of(card, config.default_subdeck).split("::")[0].strip()
        used.add(subdeck)
        if subdeck not in config.study_order:
            where = card.key_location("deck") if card.deck else card.location
            yield _error(where, f"subdeck '{subdeck}' is not in [deck] study_order in deck.toml"
                         f"{suggest(subdeck, config.study_order)}; add it there or fix the name")
    for name in config.study_order:
        if name not in used:
            yield _warning(Location("deck.toml", 0), f"[deck] study_order lists '{name}', but "
                           "no card is in that subdeck")


def _snippet_line_widths(deck: RawDeck, config: Config, root: Path) -> Iterator[Finding]:
    limit = config.max_snippet_line_chars
    for snippet in deck.snippet_files:
        try:
            text = (root / snippet).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported where a card links it
        for number, line in enumerate(text.splitlines(), start=1):
            if len(line) > limit:
                yield _warning(Location(snippet, number), f"line is {len(line)} characters; "
                               f"the limit is {limit} (longer lines wrap on phones and paper)")
