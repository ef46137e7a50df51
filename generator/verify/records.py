"""The record store: the result cache under ``build/verify/`` and the committed GPU ledger
``verified/cuda.json``, each loaded once and validated.

A cache record that is not exactly a ``Verification`` (a JSON list, a missing field, a wrong
type) is ignored: its snippet runs again. The ledger is committed by people, so a malformed one
is an error that names the file, the record and what to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import SnippetError
from generator.model import DEVICES, Figure, Location, Verification
from generator.verify.figures import MAX_FIGURES, FigureError, check_svg, make_figure
from generator.verify.jobs import SnippetJob

log = logging.getLogger(__name__)

RECORD_DIR = "build/verify"
LEDGER_PATH = "verified/cuda.json"
PORTABLE = "portable--"
MAX_STDOUT = 16 << 20  # the largest [verify] max_output; no card shows more  # the cache records of ``deck verify --portability``
LEDGER_ABOUT = ("Passed cuda verifications, written by 'deck verify -m cuda' on a GPU machine. "
                "A CPU build ships a cuda card only when its content hash is here.")
_STRINGS = ("card_id", "snippet", "device", "status", "stdout", "stderr", "content_hash",
            "message")
# What the ledger keeps: what the card shows and what proves it; no durations, no timestamps.
_LEDGER_FIELDS = ("card_id", "snippet", "device", "status", "stdout", "versions",
                  "content_hash", "gpu_name", "figures")


class RecordError(ValueError):
    """A record with the wrong shape or types."""


def to_json(v: Verification, *, ledger: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "card_id": v.card_id, "snippet": v.snippet, "device": v.device, "status": v.status,
        "stdout": v.stdout, "stderr": v.stderr, "duration": v.duration,
        "versions": dict(v.versions), "content_hash": v.content_hash, "gpu_name": v.gpu_name,
        "message": v.message,
        "figures": [{"name": f.name, "sha256": f.sha256, "svg": f.svg} for f in v.figures],
    }
    if not ledger:
        return data
    # A ledger entry names its figures only when it has some: entries stay as they were.
    return {k: data[k] for k in _LEDGER_FIELDS if k != "figures" or v.figures}


def from_json(data: object, *, ledger: bool = False) -> Verification:
    """The ``Verification`` in ``data``; ``RecordError`` naming the first wrong field."""
    if not isinstance(data, dict):
        raise RecordError(f"a record must be a JSON object, not {type(data).__name__}")
    values: dict[str, Any] = {"stderr": "", "message": "", "duration": 0.0}
    for name in _STRINGS:
        if ledger and name not in _LEDGER_FIELDS:
            continue
        value = data.get(name)
        if not isinstance(value, str):
            raise RecordError(f"field '{name}' must be a string")
        values[name] = value
    if len(values["stdout"]) > MAX_STDOUT:
        raise RecordError(f"field 'stdout' holds more than {MAX_STDOUT} characters")
    if values["device"] not in DEVICES:
        raise RecordError(f"field 'device' must be one of {', '.join(DEVICES)}")
    if values["status"] not in ("passed", "failed", "skipped"):
        raise RecordError("field 'status' must be passed, failed or skipped")
    if not ledger:
        duration = data.get("duration")
        if type(duration) not in (int, float):
            raise RecordError("field 'duration' must be a number")
        values["duration"] = float(duration)  # type: ignore[arg-type]
    versions = data.get("versions")
    if not isinstance(versions, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in versions.items()):
        raise RecordError("field 'versions' must map names to version strings")
    values["versions"] = tuple(sorted(versions.items()))
    gpu_name = data.get("gpu_name")
    if gpu_name is not None and not isinstance(gpu_name, str):
        raise RecordError("field 'gpu_name' must be a string or null")
    values["gpu_name"] = gpu_name
    values["figures"] = _figures(data.get("figures", []), values["status"])
    return Verification(**values)


def _figures(data: object, status: str) -> tuple[Figure, ...]:
    """The figures of a record, each checked as the run checked it (name, size, hash)."""
    if not isinstance(data, list) or len(data) > MAX_FIGURES:
        raise RecordError(f"field 'figures' must be a list of at most {MAX_FIGURES} figures")
    if data and status != "passed":
        raise RecordError("only a passed run has figures")
    found: list[Figure] = []
    for item in data:
        if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) for k in ("name", "sha256", "svg")):
            raise RecordError("a figure must have a name, a sha256 and an svg string")
        try:
            figure = make_figure(item["name"], check_svg(item["name"],
                                                         item["svg"].encode("utf-8")))
        except FigureError as err:
            raise RecordError(str(err)) from None
        if figure.sha256 != item["sha256"]:
            raise RecordError(f"figure '{figure.name}' does not match its sha256")
        found.append(figure)
    if [f.name for f in found] != sorted({f.name for f in found}):
        raise RecordError("figures must have distinct names, sorted")
    return tuple(found)


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def ledger_key(card_id: str, snippet: str) -> str:
    return f"{card_id}::{snippet}"


def _ledger_error(message: str) -> SnippetError:
    return SnippetError(f"{message}; restore it with 'git checkout {LEDGER_PATH}', or delete "
                        "the bad record and run 'deck verify -m cuda' on a GPU machine",
                        Location(LEDGER_PATH, 0))


def load_ledger(root: Path) -> dict[str, Verification]:
    """The committed GPU ledger, validated; ``SnippetError`` (located) when it is malformed."""
    path = root / LEDGER_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise _ledger_error(f"cannot be read ({err.strerror})") from None
    except ValueError as err:
        raise _ledger_error(f"is not valid UTF-8 JSON ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("records", {}), dict):
        raise _ledger_error("must be a JSON object with a \"records\" object")
    ledger: dict[str, Verification] = {}
    for key, value in data.get("records", {}).items():
        try:
            record = from_json(value, ledger=True)
        except RecordError as err:
            raise _ledger_error(f"record '{key}' is malformed: {err}") from None
        if key != ledger_key(record.card_id, record.snippet) or record.device != "cuda":
            raise _ledger_error(f"record '{key}' does not match its card, snippet and device")
        ledger[key] = record
    return ledger


@dataclass
class RecordStore:
    """The cache and the ledger of one deck, loaded once."""

    root: Path
    ledger: dict[str, Verification] = field(default_factory=dict)
    cache: dict[str, Verification] = field(default_factory=dict)  # by record file name

    @classmethod
    def load(cls, root: Path) -> RecordStore:
        store = cls(root, load_ledger(root))
        folder = root / RECORD_DIR
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            try:
                store.cache[path.name] = from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as err:  # RecordError is a ValueError
                log.info("ignoring cache record %s: %s", path, err)
        return store

    def cached(self, job: SnippetJob, content: str, *, kind: str = "") -> Verification | None:
        """A passed record for exactly this content, from the cache or (cuda) the ledger.

        ``kind="portable"``: the record of the run on an imitated CPU (cache only)."""
        record = self.cache.get(kind + job.record_name)
        if kind:
            return record if record is not None and self._matches(record, job, content) \
                else None
        if record is not None and self._matches(record, job, content):
            return record
        if job.device == "cuda":
            found = self.ledger.get(ledger_key(job.card_id, job.display))
            if found is not None and self._matches(found, job, content):
                return found
        return None

    @staticmethod
    def _matches(record: Verification, job: SnippetJob, content: str) -> bool:
        return (record.passed and record.content_hash == content
                and (record.card_id, record.snippet, record.device)
                == (job.card_id, job.display, job.device))

    def put(self, job: SnippetJob, verification: Verification, *, kind: str = "") -> None:
        """Keep a fresh result, in memory and in the cache (a passed cuda one also in the
        ledger)."""
        name = kind + job.record_name
        self.cache[name] = verification
        try:
            write_json_atomic(self.root / RECORD_DIR / name, to_json(verification))
        except OSError as err:  # a cache that cannot be written only costs a re-run
            log.warning("cannot write the verification cache: %s", err)
        if verification.device == "cuda" and verification.passed and not kind:
            self.record_in_ledger(verification)

    def record_in_ledger(self, verification: Verification) -> None:
        """Add or replace the ledger entry of a passed cuda run (safe under pytest-xdist)."""
        if verification.device != "cuda" or not verification.passed:
            raise ValueError("only passed cuda verifications go into the ledger")
        path = self.root / LEDGER_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.parent / ".cuda.json.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            ledger = load_ledger(self.root)
            key = ledger_key(verification.card_id, verification.snippet)
            entry = from_json(to_json(verification, ledger=True), ledger=True)
            if ledger.get(key) != entry:
                ledger[key] = entry
                write_json_atomic(path, {"about": LEDGER_ABOUT, "records": {
                    k: to_json(v, ledger=True) for k, v in sorted(ledger.items())}})
            self.ledger = ledger

    def all_records(self) -> dict[tuple[str, str, str], Verification]:
        """Every record, keyed by (card id, snippet, device); the cache wins over the ledger."""
        found = {(v.card_id, v.snippet, v.device): v for v in self.ledger.values()}
        found.update({(v.card_id, v.snippet, v.device): v for name, v in self.cache.items()
                      if not name.startswith(PORTABLE)})
        return found
