"""Publishing a build's outputs all at once: generations, one ``.current`` link, a journal.

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

``recover`` also removes what interrupted runs left: journals, and (``fsutil.remove_leftovers``)
staging folders, temporary files and links, Typst work folders, unless the process that made
them is still alive (every such name carries its maker's pid); and generations that are not live
(under the lock, whoever made them: only a lock holder makes a generation and swaps it in).
Nothing ever removes the generation ``.current`` points to.

The files themselves are written by ``generator/fsutil.py`` (``write_atomic``,
``symlink_atomic``, ``staging_dir``, ``stage_beside``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.errors import BuildError
from generator.fsutil import (
    FILE_MODE,
    STAGING_PREFIX,
    describe_os_error,
    is_stale,
    owner_pid,
    remove_leftovers,
    symlink_atomic,
    write_atomic,
)

log = logging.getLogger(__name__)

DIR_MODE = 0o755  # a generation folder: mkdtemp makes it 0700, the outputs are for everyone
GENERATION_PREFIX = ".gen-"
CURRENT = ".current"
JOURNAL_PREFIX = ".publish-"


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
                  if locked or owner_pid(p) == os.getpid() or is_stale(p)]
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
            if not is_stale(journal):
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
    removed = len(generations) + remove_leftovers(build_dir, other_dirs=other_dirs)
    if removed:
        done.append(f"removed {removed} leftover(s) of interrupted runs")
    return done
