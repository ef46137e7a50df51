"""Files that survive a crash: one atomic writer, one staging area, one way to publish.

A build writes every output into ``build/.staging-<pid>-*`` and then publishes them together:
it first writes a journal (``build/.publish-<pid>.json``) naming each staged file and where it
goes, then moves them into place, then removes the journal. A build killed half-way through
publishing leaves the journal; the next run finishes the moves before anything else (rolls
forward), so ``build/`` ends up holding the previous outputs or the new ones, never a mix.
Whatever an interrupted run left behind (staging folders, temporary files, Typst work
folders) is removed by the next run, unless the process that made it is still alive.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.errors import BuildError
from generator.model import Location

log = logging.getLogger(__name__)

FILE_MODE = 0o644  # every file we publish: readable by all, like any file a user would write
STAGING_PREFIX = ".staging-"
JOURNAL_PREFIX = ".publish-"
TYPST_PREFIX = "deck-typst-"
LEGACY_AGE_S = 24 * 3600  # a folder named without a pid is a leftover once this old
# What this module names after the process that made it: the pid is the first number.
_OWNED = re.compile(r"(?:\.staging-|\.publish-|deck-[a-z]+-)(\d+)-|\..*\.(\d+)-[^.]*\.tmp$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def staging_dir(build_dir: Path) -> Iterator[Path]:
    """A fresh folder inside ``build_dir`` for one run's outputs; removed when the run ends."""
    ensure_dir(build_dir)
    path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=build_dir))
    try:
        yield path
    finally:
        # A journal that still names this folder means publishing stopped half-way: keep
        # the files, so that the next run can finish it.
        if not any(build_dir.glob(f"{JOURNAL_PREFIX}*-{path.name}.json")):
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def work_dir(prefix: str = TYPST_PREFIX) -> Iterator[Path]:
    """A temporary folder named after this process, so that a later run can tell it is stale.

    ``prefix`` is ``deck-<lowercase name>-``; ``recover`` removes such folders of dead processes.
    """
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def ensure_dir(path: Path) -> None:
    """Make ``path`` a folder, or raise ``BuildError`` saying why it cannot be one."""
    if path.exists() and not path.is_dir():
        raise BuildError(f"'{path.name}' is a file, but outputs go into a folder of that name; "
                         "rename or delete the file", Location(path.name, 0))
    path.mkdir(parents=True, exist_ok=True)


def stage_beside(target: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file next to ``target`` (same file system), for ``publish``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp",
                               dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def publish(moves: Mapping[Path, Path], build_dir: Path, staging: Path) -> None:
    """Move each staged file (key) onto its target (value): all of them, or after a crash
    (once ``recover`` has run) all of them too.

    The journal is written atomically first: from then on the new outputs are committed, and
    ``recover`` completes the moves if this process dies before it does. ``staging`` is the
    folder from ``staging_dir``: it is kept while a journal names it.
    """
    journal = build_dir / f"{JOURNAL_PREFIX}{os.getpid()}-{staging.name}.json"
    entries = {str(source): str(target) for source, target in moves.items()}
    try:
        for source in moves:
            os.chmod(source, FILE_MODE)  # temp files are created 0600; these get published
        write_atomic(journal, json.dumps(entries, indent=1).encode("utf-8"))
    except BaseException:
        for source in moves:  # nothing is committed yet: drop what lies outside the staging
            if source.parent != staging:
                source.unlink(missing_ok=True)
        raise
    _finish(journal, entries)


def _finish(journal: Path, entries: Mapping[str, str]) -> None:
    for source, target in entries.items():
        if os.path.exists(source):
            os.replace(source, target)
    journal.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(path: Path) -> bool:
    """A leftover of a process that is gone (names carry the pid of their maker).

    Staging and Typst folders named without a pid (``.staging-x1y2z3``,
    ``deck-typst-x1y2z3``) are made by older versions of this tool, which may still be
    running in another deck's folder at this very moment (the Typst folders are shared
    through the system's temporary folder): nothing tells whether their maker is alive, so
    they are leftovers only once older than any build (``LEGACY_AGE_S``).
    """
    match = _OWNED.match(path.name)
    if match is None:
        if not path.name.startswith((STAGING_PREFIX, TYPST_PREFIX)):
            return False
        try:
            return time.time() - path.lstat().st_mtime > LEGACY_AGE_S
        except OSError:  # already gone
            return False
    return not _alive(int(match.group(1) or match.group(2)))


def recover(build_dir: Path, *, other_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Finish interrupted publishes, then delete what interrupted runs left; say what was done.

    Looks in ``build_dir`` (journals, staging folders, temporary files), in each of
    ``other_dirs`` (temporary files such as ``.deck.lock.*.tmp``) and in the system's
    temporary folder (Typst work folders).
    """
    done: list[str] = []
    if not build_dir.is_dir():
        return done
    for journal in sorted(build_dir.glob(f"{JOURNAL_PREFIX}*.json")):
        if not _stale(journal):
            continue
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = None
        if isinstance(entries, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in entries.items()):
            try:
                _finish(journal, entries)
            except OSError as err:
                journal.unlink(missing_ok=True)
                done.append(f"could not finish publishing an interrupted build "
                            f"({describe_os_error(err)}); build again")
            else:
                done.append("finished publishing the outputs of an interrupted build "
                            f"({journal.name})")
        else:
            journal.unlink(missing_ok=True)
    leftovers = [p for p in build_dir.glob(f"{STAGING_PREFIX}*") if _stale(p)]
    for folder in (build_dir, *other_dirs):
        leftovers += [p for p in folder.glob(".*.tmp") if _stale(p)]
    # Every ``work_dir`` (deck-typst-<pid>-..., and any other deck-<name>-<pid>-...).
    leftovers += [p for p in Path(tempfile.gettempdir()).glob("deck-*") if _stale(p)]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        log.info("removed %s, left by an interrupted run", path)
    if leftovers:
        done.append(f"removed {len(leftovers)} leftover(s) of interrupted runs")
    return done


def describe_os_error(err: OSError, root: Path | None = None) -> str:
    """``path: cause`` for an ``OSError``, the path relative to ``root`` where it can be."""
    name = err.filename
    where = ""
    if isinstance(name, (str, os.PathLike)):
        path = Path(name)
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(root)
        where = f"{path}: "
    return f"{where}{err.strerror or err}"
