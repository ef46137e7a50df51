"""The typed messages between the supervisor, the zygote and a snippet's process.

Every message is a frozen dataclass sent as one JSON line ``{"v": PROTOCOL, "type": ..., ...}``.
``decode`` checks the version, the type name and the type of every field, and raises
``ProtocolError`` for anything else: a malformed message is never half-trusted. A request carries
an ``id`` that its reply must echo, so a reply can never be attached to another snippet.

Bulk output (what a snippet prints) never travels here: it goes through files, read linearly.
This module is part of the runner's code hash (``jobs.runner_hash``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

PROTOCOL = 3
MAX_LINE = 4 << 20  # bytes; a longer message is malformed


class ProtocolError(Exception):
    """A message that is not valid JSON, has another version, type or field types."""


@dataclass(frozen=True)
class Ready:
    """Zygote -> supervisor, once: imports done."""

    pid: int


@dataclass(frozen=True)
class RunRequest:
    """Supervisor -> zygote -> the snippet's process: run one snippet.

    The snippet's stdout and stderr go to the files ``stdout_path`` and ``stderr_path``; its
    working directory, ``HOME`` and ``TMPDIR`` are ``workdir``, a folder it creates.
    """

    id: int
    path: str
    display: str
    device: str
    seed: int
    timeout: float
    stdout_path: str
    stderr_path: str
    workdir: str
    memory_mb: int


@dataclass(frozen=True)
class Failure:
    """Why a snippet failed: one summary line, the snippet's own traceback, its line."""

    summary: str
    traceback: str
    line: int | None


@dataclass(frozen=True)
class RunResult:
    """The snippet's process -> zygote -> supervisor: the outcome of request ``id``.

    ``status`` is ``passed``, ``failed`` or ``skipped``. ``imported``: library modules the
    snippet imported for the first time (the zygote imports them before later forks).
    """

    id: int
    status: str
    duration: float
    failure: Failure | None
    gpu_name: str | None
    imported: tuple[str, ...] = ()


@dataclass(frozen=True)
class Precompile:
    """Supervisor -> zygote, no reply: the snippets about to run (``paths[i]`` shown as
    ``displays[i]``), so that a child only compares bytes. ``code_file``: where the supervisor
    left them compiled (``marshal``: a list of (path, display, source, code)); the zygote loads
    and deletes it, or compiles them itself when it is empty."""

    paths: tuple[str, ...]
    displays: tuple[str, ...]
    code_file: str


@dataclass(frozen=True)
class Shutdown:
    """Supervisor -> zygote: stop."""


Message = Ready | RunRequest | RunResult | Precompile | Shutdown
_TYPES: dict[str, type[Any]] = {
    t.__name__: t for t in (Ready, RunRequest, RunResult, Precompile, Shutdown)}
STATUSES = ("passed", "failed", "skipped")


# Bound once: a snippet that patches ``json.dumps`` in its own process cannot garble its reply.
_dumps = json.dumps
_loads = json.loads


def encode(message: Message) -> bytes:
    """One JSON line, newline included."""
    data = {"v": PROTOCOL, "type": type(message).__name__, **asdict(message)}
    return (_dumps(data, ensure_ascii=True, allow_nan=False) + "\n").encode("ascii")


def decode(line: bytes) -> Message:
    """The message in ``line``; ``ProtocolError`` unless every field has its declared type."""
    if len(line) > MAX_LINE:
        raise ProtocolError(f"message of {len(line)} bytes (at most {MAX_LINE})")
    try:
        data = _loads(line)
    except (ValueError, UnicodeDecodeError) as err:
        raise ProtocolError(f"not JSON: {err}; starts with {line[:80]!r}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"not a JSON object: {type(data).__name__}")
    if data.pop("v", None) != PROTOCOL:
        raise ProtocolError(f"protocol version is not {PROTOCOL}")
    cls = _TYPES.get(str(data.pop("type", "")))
    if cls is None:
        raise ProtocolError("unknown message type")
    message = _build(cls, data)
    if isinstance(message, RunResult) and message.status not in STATUSES:
        raise ProtocolError(f"unknown status {message.status!r}")
    return message  # type: ignore[no-any-return]


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    declared = {f.name: f for f in fields(cls)}
    if set(data) - set(declared):
        raise ProtocolError(f"{cls.__name__}: unexpected fields {sorted(set(data) - set(declared))}")
    for name, f in declared.items():
        if name not in data:
            raise ProtocolError(f"{cls.__name__}: missing field {name!r}")
        values[name] = _check(cls.__name__, name, str(f.type), data[name])
    return cls(**values)


def _check(owner: str, name: str, kind: str, value: Any) -> Any:
    where = f"{owner}.{name}"
    if kind.endswith(" | None"):
        return None if value is None else _check(owner, name, kind[:-len(" | None")], value)
    if kind == "int" and type(value) is int:
        return value
    if kind == "float" and type(value) in (int, float):
        return float(value)
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "tuple[str, ...]" and isinstance(value, list) and all(
            isinstance(v, str) for v in value):
        return tuple(value)
    if kind == "Failure" and isinstance(value, dict):
        return _build(Failure, value)
    raise ProtocolError(f"{where} must be {kind}, not {type(value).__name__}")
