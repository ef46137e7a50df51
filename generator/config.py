"""``deck.toml`` -> ``Config``. Every key is validated; all problems are reported together."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ConfigError, shown
from generator.model import LEVELS, Location

CONFIG_NAME = "deck.toml"


@dataclass(frozen=True)
class Config:
    """The deck's own settings."""

    root: Path
    name: str
    description: str
    version: str
    deck_id: int
    note_type_id: int
    default_subdeck: str
    stem: str
    study_order: tuple[str, ...] = ()  # top-level subdecks, in the order new cards arrive
    default_level: str = "intermediate"
    tag_prefix: str = "deck"
    # The tag vocabulary: (topic, its aliases); empty when deck.toml declares none.
    topics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    cloze_note_type_id: int | None = None  # the cloze note type; needed once a card marks code
    paper: str = "a4"
    cards_per_page: int = 4
    duplex: str = "long"
    max_question_chars: int = 200
    max_section_chars: int = 1200
    max_snippet_lines: int = 40
    max_snippet_line_chars: int = 72
    ship_unverified_gpu: bool = False
    max_output: int = 64 * 1024  # bytes a snippet may print (a card shows no more)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def aliases(self) -> dict[str, str]:
        """Alias -> topic, from ``[tags.topics]``."""
        return {alias: topic for topic, aliases in self.topics for alias in aliases}

    @property
    def apkg_name(self) -> str:
        return f"{self.stem}.apkg"

    @property
    def cards_pdf_name(self) -> str:
        return f"{self.stem}-cards.pdf"

    @property
    def cheatsheet_pdf_name(self) -> str:
        return f"{self.stem}-cheatsheet.pdf"


def _positive_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


TAG_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def _study_order(v: Any) -> bool:
    return (isinstance(v, list) and bool(v) and all(_text(x) and "::" not in x for x in v)
            and len(set(v)) == len(v))


def default_tag_prefix(name: str) -> str:
    """The initials of the deck's name: ``DLIP`` for "Deep Learning Interview Prep"."""
    return "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", name)).upper() or "deck"


# table -> key -> (required, check, what the value must be)
_SCHEMA: dict[str, dict[str, tuple[bool, Any, str]]] = {
    "deck": {
        "name": (True, _text, "a non-empty string"),
        "description": (False, lambda v: isinstance(v, str), "a string"),
        "version": (False, lambda v: isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)*([-+.\w]*)", v) is not None, "a version string such as \"1.2.0\""),
        "deck_id": (True, lambda v: _positive_int(v) and v < 2**63, "a positive integer (fixed forever)"),
        "note_type_id": (True, lambda v: _positive_int(v) and v < 2**63, "a positive integer (fixed forever)"),
        "default_subdeck": (False, _text, "a non-empty string"),
        "study_order": (False, _study_order, ("a list of top-level subdeck names (no '::'), "
                                              "each once, e.g. [\"Fundamentals\", \"Training\"]")),
        "default_level": (False, lambda v: v in LEVELS, " or ".join(f'"{x}"' for x in LEVELS)),
        "cloze_note_type_id": (False, lambda v: _positive_int(v) and v < 2**63, "a positive integer (fixed forever)"),
    },
    "output": {
        "stem": (True, lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", v) is not None, "a file-name stem (at most 100 letters, digits, '.', '_', '-')"),
    },
    "pdf": {
        "paper": (False, lambda v: v in ("a4", "letter"), '"a4" or "letter"'),
        "cards_per_page": (False, lambda v: v in (4, 8), "4 or 8"),
        "duplex": (False, lambda v: v in ("long", "short"), '"long" or "short"'),
    },
    "build": {
        "ship_unverified_gpu": (False, lambda v: isinstance(v, bool), "true or false"),
    },
    "tags": {
        "prefix": (False, lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", v) is not None, "a word such as \"DLIP\" (letters, digits, '_', '-')"),
        "topics": (False, lambda v: isinstance(v, dict), "a table [tags.topics] of topic = [aliases]"),
    },
    "verify": {
        "max_output": (False, lambda v: _positive_int(v) and v <= 16 << 20,
                       "a number of bytes from 1 to 16777216"),
    },
    "lint": {
        "max_question_chars": (False, _positive_int, "a positive integer"),
        "max_section_chars": (False, _positive_int, "a positive integer"),
        "max_snippet_lines": (False, _positive_int, "a positive integer"),
        "max_snippet_line_chars": (False, _positive_int, "a positive integer"),
    },
}


def _plain(name: str) -> str:
    """A TOML name from the file, escaped and bounded, without quotes."""
    text = shown(name)
    return text[1:-1] if text[:1] in "'\"" else text


def suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for a close match, else ``''``."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_HEADER = re.compile(r"\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?")


def _dotted(name: str) -> str:
    """``a . "b"`` -> ``a.b``: a TOML key path as plain dotted text."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _line_of(lines: list[str], table: str | None, key: str | None) -> int:
    """Best-effort line of ``[table]`` or of ``key`` inside it (tomllib gives no positions).

    Finds a key written inside its table (``key = ...`` or dotted, ``key.sub = ...``), as a
    dotted key at the top (``table.key = ...``) or as a table header of its own
    (``[table.key]``, ``[table.key.sub]``).
    """
    target = ".".join(p for p in (table, key) if p)
    current = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = _HEADER.fullmatch(line)
        if header:
            current = _dotted(header.group(1))
            if current == target or current.startswith(target + "."):
                return number
            continue
        assignment = re.match(r"([^=#]+?)\s*=", line)
        if assignment is None:
            continue
        full = _dotted(".".join(p for p in (current, assignment.group(1)) if p))
        if full == target or full.startswith(target + "."):
            return number
    return 0


def load_config(root: Path) -> Config:
    """Read and validate ``root/deck.toml``; raise ``ConfigError`` listing every problem."""
    path = root / CONFIG_NAME
    rel = CONFIG_NAME
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no {CONFIG_NAME} in {root}; run deck commands from the deck's root folder",
            Location(rel, 0),
        ) from None
    except OSError as err:
        raise ConfigError(f"cannot read {CONFIG_NAME}: {err.strerror or err}",
                          Location(rel, 0)) from None
    except UnicodeDecodeError as err:
        raw = path.read_bytes()
        raise ConfigError(f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at offset "
                          f"{err.start}); save {CONFIG_NAME} as UTF-8",
                          Location(rel, raw[: err.start].count(b"\n") + 1)) from None
    # Editors on Windows may save a byte-order mark, which tomllib rejects as a statement.
    raw_text = raw_text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"\(at line (\d+)", str(err))
        raise ConfigError(
            f"invalid TOML: {str(err).split(' (at line')[0]}",
            Location(rel, int(match.group(1)) if match else 0),
        ) from None
    lines = raw_text.splitlines()
    problems: list[ConfigError] = []
    values: dict[str, Any] = {}
    for table, table_value in data.items():
        if table not in _SCHEMA:
            problems.append(ConfigError(
                f"unknown table [{_plain(table)}]{suggest(table, tuple(_SCHEMA))}; "
                f"known tables: {', '.join('[' + t + ']' for t in _SCHEMA)}",
                Location(rel, _line_of(lines, table, None)),
            ))
            continue
        if not isinstance(table_value, dict):
            problems.append(ConfigError(f"'{_plain(table)}' must be a table [{_plain(table)}]",
                                        Location(rel, _line_of(lines, None, table))))
            continue
        schema = _SCHEMA[table]
        for key, value in table_value.items():
            line = _line_of(lines, table, key)
            if key not in schema:
                problems.append(ConfigError(
                    f"unknown key {shown(key)} in [{table}]{suggest(key, tuple(schema))}",
                    Location(rel, line),
                ))
                continue
            _, check, expected = schema[key]
            if not check(value):
                problems.append(ConfigError(
                    f"[{table}] {key} must be {expected}, not {shown(value)}", Location(rel, line)
                ))
                continue
            values[key] = value
    for table, schema in _SCHEMA.items():
        for key, (required, _, expected) in schema.items():
            if required and key not in data.get(table, {}):
                problems.append(ConfigError(
                    f"missing [{table}] {key}: add '{key} = ...' ({expected})",
                    Location(rel, _line_of(lines, table, None)),
                ))
    topics = _topics(values.get("topics", {}), lines, problems)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise ConfigError(f"{len(problems)} problems in {CONFIG_NAME}", problems=tuple(problems))
    if values["deck_id"] == values["note_type_id"]:
        raise ConfigError(
            "[deck] deck_id and note_type_id must differ",
            Location(rel, _line_of(lines, "deck", "note_type_id")),
        )
    if values.get("cloze_note_type_id") in (values["deck_id"], values["note_type_id"]):
        raise ConfigError(
            "[deck] cloze_note_type_id must differ from deck_id and note_type_id",
            Location(rel, _line_of(lines, "deck", "cloze_note_type_id")),
        )
    return Config(
        root=root,
        name=values["name"],
        description=values.get("description", ""),
        version=values.get("version", "0.0.0"),
        deck_id=values["deck_id"],
        note_type_id=values["note_type_id"],
        default_subdeck=values.get("default_subdeck", "Default"),
        stem=values["stem"],
        cloze_note_type_id=values.get("cloze_note_type_id"),
        study_order=tuple(values.get("study_order", ())),
        tag_prefix=values.get("prefix", default_tag_prefix(values["name"])),
        topics=topics,
        **{k: values[k] for k in ("default_level", "paper", "cards_per_page", "duplex", "max_question_chars", "max_section_chars", "max_snippet_lines", "max_snippet_line_chars", "ship_unverified_gpu", "max_output") if k in values},
    )


def _topics(table: dict[str, Any], lines: list[str],
            problems: list[ConfigError]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[tags.topics]``: every topic and alias a tag name, every name used once."""
    seen: dict[str, str] = {}
    topics: list[tuple[str, tuple[str, ...]]] = []
    for topic, aliases in table.items():
        where = Location(CONFIG_NAME, _line_of(lines, "tags.topics", topic))
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(ConfigError(
                f"[tags.topics] {topic} must be a list of aliases (old or other names that "
                f"mean '{topic}'), e.g. {topic} = [] or {topic} = [\"other-name\"]", where))
            continue
        for name in (topic, *aliases):
            if not TAG_NAME.fullmatch(name):
                problems.append(ConfigError(
                    f"[tags.topics] '{name}' is not a tag name: use lowercase letters, digits "
                    "and '-'", where))
            elif name in seen:
                problems.append(ConfigError(
                    f"[tags.topics] '{name}' is given twice (also under '{seen[name]}')", where))
            else:
                seen[name] = topic
        topics.append((topic, tuple(aliases)))
    return tuple(sorted(topics))
