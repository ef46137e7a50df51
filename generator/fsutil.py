"""Files that survive a crash: one atomic writer, one staging area, one way to publish.

What ``build/`` holds once a build has published (``<stem>`` from ``deck.toml``)::

    build/<stem>.apkg            -> .current/<stem>.apkg        fixed relative symlinks,
    build/<stem>-cards.pdf       -> .current/<stem>-cards.pdf   made once
    build/<stem>-cheatsheet.pdf  -> .current/<stem>-cheatsheet.pdf
    build/.current               -> .gen-<pid>-<random>         the live generation
    build/.gen-<pid>-<random>/   the three outputs of one complete build

Readers (Anki's file dialog, ``sha256sum``, ``gh release upload``, the tests) follow the links,
so the paths they use never change; every reader's path passes through ``.current``, and the
only commit point is one ``os.replace`` of a new symlink onto ``build/.current``. A build that
is killed at any moment therefore leaves ``build/`` showing the previous outputs or the new ones,
never a mix, with no recovery needed.

``publish`` runs, under an exclusive ``flock`` on ``build/`` (so that two builds publish one
after the other):

1. rename the staging folder ``.staging-<pid>-<random>`` (where the build wrote its outputs)
   to ``.gen-<pid>-<random>``: complete, not live;
2. write the journal ``.publish-<pid>-<generation>.json`` naming the generation and the new
   ``deck.lock``, staged beside the lock (``.deck.lock.<pid>-<random>.tmp``; both paths
   relative to ``build/``, so that a deck moved after a crash still recovers);
3. make each output path the fixed link (see below for a ``build/`` of an older version);
4. swap ``.current`` to the new generation: **the commit point**;
5. replace ``deck.lock`` by the staged lock;
6. remove the journal, then the older generations and links to outputs no longer made.

``deck.lock`` lives outside ``build/`` and cannot share that rename; it is kept consistent by
rolling forward. The invariant: *``deck.lock`` is the lock of the live generation, or a journal
names the live generation and a staged lock that is.* ``recover`` (run first by ``deck build`` and
``deck verify``, under the same lock) completes a journal of a dead process whose generation is live
(steps 5-6) and discards one whose generation is not (the swap never happened, or a later build
replaced it): its staged lock and the journal go, the generation goes as a leftover.

A ``build/`` from an older version holds real files at the output paths. Step 3 then first
gathers the current outputs (each real file, hard-linked, or what a link shows) into a
generation of their own and makes it live, then replaces each real file by its link one at a
time (that one-time step is per file): each path shows the same previous output before and
after, so this migration is atomic for readers too. A copy of ``build/`` made following the
links (``cp -rL``) holds real files too, and a folder ``.current``: that folder is set aside as
an old generation at the swap.

``recover`` also removes what interrupted runs left: staging folders, journals, temporary files
and links, Typst work folders, unless the process that made them is still alive (every such
name carries its maker's pid); and generations that are not live (under the lock, whoever made
them: only a lock holder makes a generation and swaps it in). Nothing ever removes the
generation ``.current`` points to.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.errors import BuildError
from generator.model import Location

log = logging.getLogger(__name__)

FILE_MODE = 0o644  # every file we publish: readable by all, like any file a user would write
DIR_MODE = 0o755  # a generation folder: mkdtemp makes it 0700, the outputs are for everyone
STAGING_PREFIX = ".staging-"
GENERATION_PREFIX = ".gen-"
CURRENT = ".current"
JOURNAL_PREFIX = ".publish-"
TYPST_PREFIX = "deck-typst-"
LEGACY_AGE_S = 24 * 3600  # a folder named without a pid is a leftover once this old
# What this module names after the process that made it: the pid is the first number.
_OWNED = re.compile(
    r"(?:\.staging-|\.gen-|\.publish-|deck-[a-z]+-)(\d+)-|\..*\.(\d+)-[^.]*\.tmp$")


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
    path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=build_dir))
    try:
        yield path
    finally:
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


@contextlib.contextmanager
def _exclusive(build_dir: Path) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``build_dir`` (released by the kernel if we are killed);
    say whether we hold it.

    Where the file system has no such locks, go on without: the pid rules still keep the
    live generation, and only two builds finishing at the same instant could then leave
    ``deck.lock`` of the one and the outputs of the other.
    """
    try:
        fd = os.open(build_dir, os.O_RDONLY)
    except OSError:  # a folder we may not even list: nothing to publish or recover there
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            yield False
        else:
            yield True
    finally:
        os.close(fd)  # releases the lock


def live_generation(build_dir: Path) -> str | None:
    """The name of the generation ``build/.current`` points to, if it is one."""
    try:
        target = os.readlink(build_dir / CURRENT)
    except OSError:
        return None
    return target if target.startswith(GENERATION_PREFIX) and "/" not in target else None


def publish(staging: Path, build_dir: Path, names: Sequence[str], *,
            lock: tuple[Path, Path] | None = None) -> None:
    """Make the outputs ``names`` in ``staging`` (from ``staging_dir``) live, all at once,
    and move the staged ``lock`` (``(staged, deck.lock)``, from ``stage_beside``) onto its
    target: the steps in this module's docstring.

    Until the swap, a failure (``OSError``) leaves ``build/`` and the lock as they were. Once
    swapped, the outputs are committed; should replacing the lock then fail, the journal stays
    and the next run's ``recover`` finishes it.
    """
    pid = os.getpid()
    generation = build_dir / (GENERATION_PREFIX + staging.name.removeprefix(STAGING_PREFIX))
    journal = build_dir / f"{JOURNAL_PREFIX}{pid}-{generation.name}.json"
    made: list[Path] = []
    with _exclusive(build_dir) as locked:
        try:
            for name in names:
                os.chmod(staging / name, FILE_MODE)  # temp files are created 0600
            if lock is not None:
                os.chmod(lock[0], FILE_MODE)
            os.chmod(staging, DIR_MODE)
            os.rename(staging, generation)
            # Paths relative to build/: the deck's folder may be moved before a recovery.
            record = {"generation": generation.name, "lock": None if lock is None else
                      [os.path.relpath(path, build_dir) for path in lock]}
            write_atomic(journal, json.dumps(record, indent=1).encode("utf-8"))
            _ensure_links(build_dir, names, made)
            _swap(build_dir, generation.name)  # the commit point
        except BaseException:
            if live_generation(build_dir) == generation.name:
                raise  # interrupted right after the swap: committed, the journal finishes it
            # Not committed: put everything back as it was.
            journal.unlink(missing_ok=True)
            if lock is not None:
                lock[0].unlink(missing_ok=True)
            shutil.rmtree(generation, ignore_errors=True)
            for link in made:
                if not link.exists():  # made now, and dangling: no outputs were there
                    link.unlink(missing_ok=True)
            raise
        if lock is not None:
            try:
                os.replace(lock[0], lock[1])
            except OSError as err:
                raise BuildError(
                    f"the new outputs are in build/, but {lock[1].name} could not be replaced "
                    f"({describe_os_error(err)}); the next 'deck' command finishes it "
                    f"(from build/{journal.name})") from None
        # Committed and complete: what follows is tidying, which a later run redoes.
        with contextlib.suppress(OSError):
            journal.unlink()
            _remove_old(build_dir, locked=locked)
            for path in build_dir.iterdir():  # links to outputs this deck no longer makes
                if path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/") \
                        and not path.exists():
                    path.unlink(missing_ok=True)


def _ensure_links(build_dir: Path, names: Sequence[str], made: list[Path]) -> None:
    """Make each ``build/<name>`` the link ``.current/<name>``; add each link made to
    ``made``."""
    current = build_dir / CURRENT
    paths = [build_dir / name for name in names]
    if any(p.is_file() and not p.is_symlink() for p in paths):
        # A build/ of an older version: first make a generation of what each path shows now
        # (real files hard-linked, links' targets too) and make it live, so that replacing
        # the real files by links below changes nothing a reader sees.
        gathered = Path(tempfile.mkdtemp(prefix=f"{GENERATION_PREFIX}{os.getpid()}-",
                                         dir=build_dir))
        os.chmod(gathered, DIR_MODE)
        for path in paths:
            shown = path if not path.is_symlink() else current / path.name
            if shown.is_file():
                try:
                    os.link(shown, gathered / path.name)
                except OSError:  # a file system without hard links
                    shutil.copy2(shown, gathered / path.name)
        _swap(build_dir, gathered.name)
    for path in paths:
        wanted = f"{CURRENT}/{path.name}"
        if path.is_symlink() and os.readlink(path) == wanted:
            continue
        symlink_atomic(wanted, path)
        made.append(path)


def _swap(build_dir: Path, generation: str) -> None:
    """Point ``build/.current`` at ``generation``, in one rename."""
    current = build_dir / CURRENT
    if current.is_dir() and not current.is_symlink():
        # build/ copied with its links followed (``cp -rL``, ``shutil.copytree``): the output
        # paths are real files then, gathered into a generation already; set this copy aside
        # as an old generation, since a rename cannot put a link where a folder is.
        aside = tempfile.mkdtemp(prefix=f"{GENERATION_PREFIX}{os.getpid()}-", dir=build_dir)
        os.replace(current, aside)
    symlink_atomic(generation, current)


def _remove_old(build_dir: Path, *, locked: bool) -> list[Path]:
    """Remove every generation that is not live.

    A generation is made and made live only by a process holding the lock on ``build/``:
    while we hold it, every other one is an older generation, or one that lost its chance.
    Without the lock, only those whose maker is gone (or is this process); who made them is
    checked before ``.current`` is read, since a process found dead cannot make its generation
    live afterwards.
    """
    candidates = [p for p in build_dir.glob(f"{GENERATION_PREFIX}*")
                  if locked or _owner(p) == os.getpid() or _stale(p)]
    live = live_generation(build_dir)
    removed = []
    for path in candidates:
        if path.name == live:
            continue
        try:
            if path.is_symlink() or not path.is_dir():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path)
        except OSError as err:  # a read-only build/: a later run removes it
            log.info("could not remove %s: %s", path, err)
            continue
        removed.append(path)
        log.info("removed %s, an older generation of the outputs", path)
    return removed


def _owner(path: Path) -> int | None:
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


def _stale(path: Path) -> bool:
    """A leftover of a process that is gone (names carry the pid of their maker).

    Staging and Typst folders named without a pid (``.staging-x1y2z3``,
    ``deck-typst-x1y2z3``) are made by older versions of this tool, which may still be
    running in another deck's folder at this very moment (the Typst folders are shared
    through the system's temporary folder): nothing tells whether their maker is alive, so
    they are leftovers only once older than any build (``LEGACY_AGE_S``).
    """
    pid = _owner(path)
    if pid is None:
        if not path.name.startswith((STAGING_PREFIX, TYPST_PREFIX)):
            return False
        try:
            return time.time() - path.lstat().st_mtime > LEGACY_AGE_S
        except OSError:  # already gone
            return False
    return not _alive(pid)


def _finish_journal(build_dir: Path, journal: Path) -> str | None:
    """Complete or discard the journal of a dead process (see the module docstring)."""
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    said = None
    lock = record.get("lock") if isinstance(record, dict) else None
    if isinstance(record, dict) and isinstance(record.get("generation"), str) and (
            lock is None or (isinstance(lock, list) and len(lock) == 2
                             and all(isinstance(p, str) for p in lock))):
        staged, target = (None, None) if lock is None else (build_dir / p for p in lock)
        if record["generation"] == live_generation(build_dir):
            if staged is not None and target is not None and staged.exists():
                os.replace(staged, target)
                said = (f"finished publishing an interrupted build ({target.name} "
                        f"updated to match build/, from {journal.name})")
        elif staged is not None:  # never made live: its lock goes, its generation too (later)
            staged.unlink(missing_ok=True)
    elif isinstance(record, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in record.items()):
        # The journal of an older version: a list of moves, all committed.
        for source, target in record.items():
            if os.path.exists(source):
                os.replace(source, target)
        said = f"finished publishing the outputs of an interrupted build ({journal.name})"
    journal.unlink(missing_ok=True)
    return said


def recover(build_dir: Path, *, other_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Finish interrupted publishes, then delete what interrupted runs left; say what was done.

    Looks in ``build_dir`` (journals, generations, staging folders, temporary files and links),
    in each of ``other_dirs`` (temporary files such as ``.deck.lock.*.tmp``) and in the
    system's temporary folder (Typst work folders). Best effort: what cannot be removed (a
    read-only ``build/``) stays for a later run.
    """
    done: list[str] = []
    if not build_dir.is_dir():
        return done
    generations: list[Path] = []
    with _exclusive(build_dir) as locked:
        for journal in sorted(build_dir.glob(f"{JOURNAL_PREFIX}*.json")):
            if not _stale(journal):
                continue
            try:
                said = _finish_journal(build_dir, journal)
            except OSError as err:
                with contextlib.suppress(OSError):
                    journal.unlink(missing_ok=True)
                done.append(f"could not finish publishing an interrupted build "
                            f"({describe_os_error(err)}); build again")
            else:
                if said:
                    done.append(said)
        generations = _remove_old(build_dir, locked=locked)
    leftovers = [p for p in build_dir.glob(f"{STAGING_PREFIX}*") if _stale(p)]
    for folder in (build_dir, *other_dirs):
        leftovers += [p for p in folder.glob(".*.tmp") if _stale(p)]
    # Every ``work_dir`` (deck-typst-<pid>-..., and any other deck-<name>-<pid>-...).
    leftovers += [p for p in Path(tempfile.gettempdir()).glob("deck-*") if _stale(p)]
    removed = len(generations)
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
    if removed:
        done.append(f"removed {removed} leftover(s) of interrupted runs")
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
