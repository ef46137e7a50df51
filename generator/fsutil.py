"""Files that survive a crash: one atomic writer, one staging area, cleanup of leftovers.

``write_atomic`` and ``symlink_atomic`` replace one file or link in one step; ``staging_dir`` is
a run's folder for its outputs inside ``build/``, ``stage_beside`` a temporary file beside its
target (the new ``deck.lock``), ``work_dir`` a temporary folder (Typst's). How the staged
outputs and lock go live together, and how an interrupted publish is finished:
``generator/publish.py``.

Whatever these make is named after the process that made it (the pid is the first number:
``.staging-<pid>-<random>``, ``.<name>.<pid>-<random>.tmp``, ``deck-typst-<pid>-<random>``), so
that ``remove_leftovers`` can tell what a dead process left from what a live one still uses.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildError
from generator.model import Location

log = logging.getLogger(__name__)

FILE_MODE = 0o644  # every file we publish: readable by all, like any file a user would write
STAGING_PREFIX = ".staging-"
TYPST_PREFIX = "deck-typst-"
LEGACY_AGE_S = 24 * 3600  # a folder named without a pid is a leftover once this old
# What this package names after the process that made it (here, and the generations and
# journals of ``publish``): the pid is the first number.
_OWNED = re.compile(
    r"(?:\.staging-|\.gen-|\.publish-|deck-[a-z]+-)(\d+)-|\..*\.(\d+)-[^.]*\.tmp$")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage_beside(path, data)
    try:
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def symlink_atomic(target: str, path: Path) -> None:
    """Make ``path`` a symlink to ``target``, replacing whatever file or link was there in
    one step (a temporary link beside it, then ``os.replace``)."""
    while True:
        tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            os.symlink(target, tmp)
            break
        except FileExistsError:
            continue
    try:
        os.replace(tmp, path)
    except OSError as err:  # name the path we meant, not the temporary link
        tmp.unlink(missing_ok=True)
        raise OSError(err.errno, err.strerror, str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def staging_dir(build_dir: Path) -> Iterator[Path]:
    """A fresh folder inside ``build_dir`` for one run's outputs; removed when the run ends
    (``publish`` renames it into a generation first)."""
    ensure_dir(build_dir)
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=build_dir))
    except OSError as err:  # mkdtemp names the random folder it tried: name build/ instead
        raise OSError(err.errno, err.strerror, f"{build_dir}{os.sep}") from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def work_dir(prefix: str = TYPST_PREFIX) -> Iterator[Path]:
    """A temporary folder named after this process, so that a later run can tell it is stale.

    ``prefix`` is ``deck-<lowercase name>-``; ``remove_leftovers`` removes such folders of dead
    processes.
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


def owner_pid(path: Path) -> int | None:
    """The pid of the process that made ``path``, read from its name (``None``: not named so)."""
    match = _OWNED.match(path.name)
    return None if match is None else int(match.group(1) or match.group(2))


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


def is_stale(path: Path) -> bool:
    """A leftover of a process that is gone (names carry the pid of their maker).

    Staging and Typst folders named without a pid (``.staging-x1y2z3``,
    ``deck-typst-x1y2z3``) are made by older versions of this tool, which may still be
    running in another deck's folder at this very moment (the Typst folders are shared
    through the system's temporary folder): nothing tells whether their maker is alive, so
    they are leftovers only once older than any build (``LEGACY_AGE_S``).
    """
    pid = owner_pid(path)
    if pid is None:
        if not path.name.startswith((STAGING_PREFIX, TYPST_PREFIX)):
            return False
        try:
            return time.time() - path.lstat().st_mtime > LEGACY_AGE_S
        except OSError:  # already gone
            return False
    return not _alive(pid)


def remove_leftovers(build_dir: Path, *, other_dirs: tuple[Path, ...] = ()) -> int:
    """Delete what interrupted runs left, unless their maker is alive; say how many.

    Looks in ``build_dir`` (staging folders, temporary files and links), in each of
    ``other_dirs`` (temporary files such as ``.deck.lock.*.tmp``) and in the system's
    temporary folder (Typst work folders). Best effort: what cannot be removed (a read-only
    ``build/``) stays for a later run.
    """
    leftovers = [p for p in build_dir.glob(f"{STAGING_PREFIX}*") if is_stale(p)]
    for folder in (build_dir, *other_dirs):
        leftovers += [p for p in folder.glob(".*.tmp") if is_stale(p)]
    # Every ``work_dir`` (deck-typst-<pid>-..., and any other deck-<name>-<pid>-...).
    leftovers += [p for p in Path(tempfile.gettempdir()).glob("deck-*") if is_stale(p)]
    removed = 0
    for path in leftovers:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError as err:  # a read-only build/: a later run removes it
            log.info("could not remove %s: %s", path, err)
            continue
        removed += 1
        log.info("removed %s, left by an interrupted run", path)
    return removed


def describe_os_error(err: OSError, root: Path | None = None) -> str:
    """``path: cause`` for an ``OSError``, the path relative to ``root`` where it can be."""
    name = err.filename
    where = ""
    if isinstance(name, (str, os.PathLike)):
        path = Path(name)
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(root)
        # A folder named as one (``build/``, by ``staging_dir``) keeps its slash.
        where = f"{path}{os.sep if str(name).endswith(os.sep) else ''}: "
    return f"{where}{err.strerror or err}"
