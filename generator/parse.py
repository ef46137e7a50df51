"""Card file text -> ``RawCard`` (what the file says), with a ``Location`` on everything.

Parsing is lenient about *values* (``lint`` judges them, so that every problem in a file is
reported in one run) and strict about *structure*: a file whose front matter cannot be read
raises ``CardError``, and nothing else ever escapes ``parse_card``. ``lint`` turns a
``RawCard`` into a checked ``Card``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.errors import CardError, is_control, shown
from generator.model import ClozeMark, Field, Location, RawCard, Section, SnippetRef

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


def read_card(root: Path, path: Path) -> RawCard:
    """Read and parse the card at ``path`` (a file under ``root``)."""
    rel = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CardError(f"cannot read card file: {err.strerror or err}",
                        Location(rel, 0)) from None
    return parse_card(data, rel)


def decode_text(data: bytes, path: str) -> tuple[str, bool]:
    """Decode UTF-8 (BOM tolerated), normalise line endings; say whether there was a BOM."""
    has_bom = data.startswith(b"\xef\xbb\xbf")
    if has_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CardError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save the file as UTF-8",
            Location(path, line),
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), has_bom


def parse_card(source: str | bytes, path: str) -> RawCard:
    """Parse one card. ``path`` is relative to the deck root (``cards/topic/x.md``)."""
    if isinstance(source, bytes):
        text, has_bom = decode_text(source, path)
    else:
        has_bom = source.startswith("\ufeff")
        text = source.lstrip("\ufeff") if has_bom else source
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not text.strip():
        raise CardError(
            "empty card file; start it with front matter ('---', 'id: ...', '---')",
            Location(path, 1),
        )
    if lines[0].rstrip() != "---":
        raise CardError(
            "missing front matter: the file must start with a line '---', then YAML "
            "(at least 'id: ...'), then a line '---'",
            Location(path, 1),
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise CardError(
            "front matter is not closed: add a line '---' after the YAML", Location(path, 1)
        )
    fm_text = "\n".join(lines[1:end])
    fields = _parse_front_matter(fm_text, path)
    body = _parse_body(lines, end + 1, path)
    control_chars = _control_chars(lines, end + 1, path)
    return _assemble(path, fields, fm_text, body, has_bom, control_chars)


def _control_chars(lines: list[str], start: int, path: str) -> tuple[tuple[Location, str], ...]:
    """The first control character of each body line that has one (a terminal would run it)."""
    found: list[tuple[Location, str]] = []
    for index in range(start, len(lines)):
        ch = next((c for c in lines[index] if is_control(c)), None)
        if ch is not None:
            found.append((Location(path, index + 1), ch))
    return tuple(found)


def _yaml_line(mark: yaml.Mark | None) -> int:
    # Front matter starts on the file's line 2; PyYAML counts lines from 0.
    return (mark.line + 2) if mark is not None else 1


MAX_YAML_VALUES = 10_000  # values a front matter may expand to through YAML aliases


def _expanded_size(node: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    """How many values ``node`` stands for once every alias is expanded (memoised by node)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in active:  # a recursive alias: infinitely many
        return MAX_YAML_VALUES + 1
    active.add(id(node))
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _expanded_size(item, sizes, active)
            if total > MAX_YAML_VALUES:
                break
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            total += _expanded_size(key, sizes, active) + _expanded_size(value, sizes, active)
            if total > MAX_YAML_VALUES:
                break
    active.discard(id(node))
    sizes[id(node)] = total
    return total


def _yaml_error(err: yaml.YAMLError, path: str) -> CardError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    context, context_mark = getattr(err, "context", None), getattr(err, "context_mark", None)
    if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
        problem = f"{problem} ({context} on line {_yaml_line(context_mark)})"
    hint = ""
    if "\t" in problem or "'\\t'" in problem:
        hint = "; YAML does not allow tabs for indentation, use spaces"
    return CardError(
        f"invalid YAML in front matter: {problem}{hint}", Location(path, _yaml_line(mark))
    )


def _parse_front_matter(fm_text: str, path: str) -> tuple[Field, ...]:
    if not fm_text.strip():
        return ()
    try:
        loader = yaml.SafeLoader(fm_text)
    except yaml.reader.ReaderError as err:
        raise _reader_error(err, fm_text, path) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return ()
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise CardError(
                f"front matter must be a mapping of keys to values (key: value), not {kind}",
                Location(path, _yaml_line(node.start_mark)),
            )
        if _expanded_size(node, {}, set()) > MAX_YAML_VALUES:
            raise CardError(
                f"front matter expands to more than {MAX_YAML_VALUES} values through YAML "
                "aliases ('*name'); write the values out instead",
                Location(path, 2),
            )
        fields: list[Field] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = _yaml_line(key_node.start_mark)
            plain = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != plain:
                raise CardError(
                    "front-matter keys must be plain names such as 'id' or 'tags'",
                    Location(path, line),
                )
            key = str(key_node.value)
            if key in seen:
                raise CardError(
                    f"duplicate front-matter key {shown(key)} (first given on line {seen[key]})",
                    Location(path, line),
                )
            seen[key] = line
            try:
                value = loader.construct_object(value_node, deep=True)
            except (ValueError, OverflowError) as err:
                # PyYAML builds dates and timestamps with ``datetime``, which rejects
                # impossible ones (2024-13-45) with a ValueError of its own.
                raise CardError(
                    f"invalid value for {shown(key)}: {shown(value_node.value)} looks like a "
                    f"date but is not one ({err}); put it in quotes if it is text",
                    Location(path, _yaml_line(value_node.start_mark)),
                ) from None
            item_lines: tuple[int, ...] = ()
            if isinstance(value_node, yaml.SequenceNode):
                item_lines = tuple(_yaml_line(item.start_mark) for item in value_node.value)
            fields.append(Field(key, value, Location(path, line), item_lines))
        return tuple(fields)
    except yaml.reader.ReaderError as err:
        raise _reader_error(err, fm_text, path) from None
    except yaml.YAMLError as err:
        raise _yaml_error(err, path) from None
    except RecursionError:
        raise CardError("front matter is nested too deeply", Location(path, 2)) from None
    finally:
        loader.dispose()


def _reader_error(err: yaml.reader.ReaderError, fm_text: str, path: str) -> CardError:
    # A ReaderError has a character offset, not a line.
    line = fm_text[: max(err.position, 0)].count("\n") + 2
    return CardError(
        f"front matter holds the control character {shown(chr(err.character))}, which YAML "
        "does not allow; delete it",
        Location(path, line),
    )


class _Body:
    def __init__(self) -> None:
        self.question: str | None = None
        self.question_line: int | None = None
        self.extra_h1: list[int] = []
        self.stray_line: int | None = None
        self.lost_line: int | None = None  # text after the question, before any section
        self.fence_line: int | None = None  # an unclosed fence
        self.sections: list[tuple[str, int, list[tuple[int, str]]]] = []

    def note_outside(self, number: int) -> None:
        """A line of text outside every section: before the question, or after it."""
        if self.question_line is None:
            self.stray_line = self.stray_line or number
        else:
            self.lost_line = self.lost_line or number


def _parse_body(lines: list[str], start: int, path: str) -> _Body:
    body = _Body()
    fence: str | None = None
    current: list[tuple[int, str]] | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        number = index + 1
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(
                fence_match.group(1)
            ) >= len(fence) and not line.strip()[len(fence_match.group(1)):].strip():
                fence = None
            if current is not None:
                current.append((number, line))
            else:
                body.note_outside(number)
            continue
        if fence_match:
            fence = fence_match.group(1)
            body.fence_line = number
        heading = None if fence_match else _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), (heading.group(2) or "").strip()
            if level == 1:
                if body.question_line is None and not body.sections:
                    body.question, body.question_line = title, number
                else:
                    body.extra_h1.append(number)
                continue
            current = []
            body.sections.append((title, number, current))
            continue
        if current is not None:
            current.append((number, line))
        elif line.strip():
            body.note_outside(number)
    if fence is None:
        body.fence_line = None
    return body


def _section(path: str, name: str, line: int, content: list[tuple[int, str]]) -> Section:
    while content and not content[0][1].strip():
        content = content[1:]
    while content and not content[-1][1].strip():
        content = content[:-1]
    text = "\n".join(text for _, text in content)
    body_line = content[0][0] if content else line
    return Section(name, text, Location(path, line), body_line)


def _cloze_marks(cloze_field: Field | None, path: str) -> tuple[ClozeMark, ...]:
    """``cloze:`` items, each with its own line; ``lint`` judges the values."""
    if cloze_field is None or not isinstance(cloze_field.value, list):
        return ()
    marks = []
    for item, line in zip(cloze_field.value, cloze_field.item_lines):
        where = Location(path, line)
        if isinstance(item, dict):
            extra = tuple(sorted(str(k) for k in item if k not in ("code", "hint", "occurrence")))
            marks.append(ClozeMark(item.get("code"), where, item.get("hint"),
                                   item.get("occurrence"), extra))
        else:
            marks.append(ClozeMark(item, where))
    return tuple(marks)


def _assemble(
    path: str, fields: tuple[Field, ...], fm_text: str, body: _Body, has_bom: bool,
    control_chars: tuple[tuple[Location, str], ...],
) -> RawCard:
    values = {f.key: f for f in fields}

    def text(key: str) -> str | None:
        f = values.get(key)
        return f.value if f is not None and isinstance(f.value, str) else None

    snippets: list[SnippetRef] = []
    snippet_field = values.get("snippet")
    if snippet_field is not None:
        value = snippet_field.value
        if isinstance(value, str):
            snippets.append(SnippetRef(value, snippet_field.location))
        elif isinstance(value, list):
            for item, line in zip(value, snippet_field.item_lines):
                if isinstance(item, str):
                    snippets.append(SnippetRef(item, Location(path, line)))

    requires: tuple[str, ...] = ("cpu",)
    req = values.get("requires")
    if req is not None:
        if isinstance(req.value, str):
            requires = (req.value,)
        elif isinstance(req.value, list) and all(isinstance(v, str) for v in req.value):
            requires = tuple(req.value)

    tags: tuple[str, ...] = ()
    tag_field = values.get("tags")
    if tag_field is not None and isinstance(tag_field.value, list):
        tags = tuple(str(t) for t in tag_field.value if isinstance(t, (str, int, float)))

    timeout: float | None = None
    t = values.get("timeout")
    if t is not None and isinstance(t.value, (int, float)) and not isinstance(t.value, bool):
        timeout = float(t.value)

    return RawCard(
        path=path,
        cloze=_cloze_marks(values.get("cloze"), path),
        id=text("id"),
        question=body.question,
        question_location=Location(path, body.question_line) if body.question_line else None,
        sections=tuple(_section(path, n, ln, c) for n, ln, c in body.sections),
        front_matter=fields,
        front_matter_text=fm_text,
        snippets=tuple(snippets),
        deck=text("deck"),
        tags=tags,
        level=text("level"),
        requires=requires,
        timeout=timeout,
        no_snippet=text("no_snippet"),
        extra_h1=tuple(Location(path, n) for n in body.extra_h1),
        stray_text=Location(path, body.stray_line) if body.stray_line else None,
        lost_text=Location(path, body.lost_line) if body.lost_line else None,
        open_fence=Location(path, body.fence_line) if body.fence_line else None,
        control_chars=control_chars,
        has_bom=has_bom,
    )
