"""Which of the deck's own files a snippet changed: watched by inotify, named by a scan.

The deck's files (``cards/``, ``snippets/``, ``verified/``, ``deck.toml``, ``deck.lock``) are
fingerprinted (size, modification and change time of each). Scanning a deck of a few hundred
files costs milliseconds, twice per snippet; so on Linux the watcher asks the kernel (inotify)
to report any write, attribute change, creation, deletion or rename of those files and folders,
and scans only when something was reported. Every file has a watch of its own, so a write
through another path (a symbolic or hard link elsewhere) is reported too. Where inotify is not
available, or runs out of watches, every check is a full scan.

``begin()`` before a snippet runs; ``changed()`` after it: the deck-relative paths that differ.
A change between two snippets (the runner's own GPU ledger, a user's editor) is absorbed by the
next ``begin()``, so it is never laid at a snippet's door.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import struct
from pathlib import Path

DECK_FILES = ("cards", "snippets", "verified", "deck.toml", "deck.lock")
SKIPPED_FOLDERS = frozenset({"__pycache__"})

Fingerprint = dict[str, tuple[int, int, int]]

# include/uapi/linux/inotify.h
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_Q_OVERFLOW = 0x400, 0x800, 0x4000
_IN_NONBLOCK, _IN_CLOEXEC = os.O_NONBLOCK, 0o2000000
_FILE_EVENTS = _IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_DELETE_SELF | _IN_MOVE_SELF
_FOLDER_EVENTS = _FILE_EVENTS | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


def fingerprint(root: Path, *, skip: tuple[str, ...] = ()) -> Fingerprint:
    """(size, mtime, ctime) of every deck file; a write, a rename or a deletion changes it."""
    found: Fingerprint = {}
    for rel, entry in _deck_entries(root):
        if rel not in skip and not entry[1]:
            with contextlib.suppress(OSError):
                st = os.lstat(entry[0])
                found[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    return found


def _deck_entries(root: Path) -> list[tuple[str, tuple[str, bool]]]:
    """(deck-relative path, (absolute path, is a folder)) of every deck file and folder."""
    found: list[tuple[str, tuple[str, bool]]] = []

    def visit(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and entry.name in SKIPPED_FOLDERS:
                continue
            found.append((rel, (entry.path, is_dir)))
            if is_dir:
                visit(entry.path, rel + "/")

    for name in DECK_FILES:
        top = os.path.join(root, name)
        if os.path.isdir(top) and not os.path.islink(top):
            found.append((name, (top, True)))
            visit(top, name + "/")
        elif os.path.lexists(top):
            found.append((name, (top, False)))
    return found


def changed_files(before: Fingerprint, after: Fingerprint) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class DeckWatch:
    """The deck's files around each snippet (see the module's docstring)."""

    def __init__(self, root: Path, *, skip: tuple[str, ...] = ()) -> None:
        self.root = root
        self.skip = skip
        self._known: Fingerprint | None = None
        self._fd = -1
        self._watches: dict[int, str] = {}  # watch descriptor -> deck-relative path ("" root)
        self._libc: ctypes.CDLL | None = None
        with contextlib.suppress(OSError, AttributeError):
            self._libc = ctypes.CDLL(None, use_errno=True)
            self._libc.inotify_init1.argtypes = [ctypes.c_int]
            self._libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p,
                                                     ctypes.c_uint32]

    @property
    def watching(self) -> bool:
        """True while inotify reports changes (False: every check is a scan)."""
        return self._fd >= 0

    def begin(self) -> None:
        """Before a snippet runs: take in whatever changed since the last check."""
        if self._known is None or not self.watching or self._reported():
            self._rescan()

    def changed(self) -> list[str]:
        """After the snippet ran: the deck files it changed (created, wrote, deleted)."""
        before = self._known
        if before is None:
            self._rescan()
            return []
        if self.watching and not self._reported():
            return []
        self._rescan()
        assert self._known is not None
        return changed_files(before, self._known)

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = -1
        self._watches = {}

    def _rescan(self) -> None:
        """Watch every deck file and folder afresh, then fingerprint them (in this order, so
        that a change made in between is both seen now and reported later)."""
        self.close()
        if self._libc is not None:
            self._watch(_deck_entries(self.root))
        self._known = fingerprint(self.root, skip=self.skip)

    def _watch(self, entries: list[tuple[str, tuple[str, bool]]]) -> None:
        assert self._libc is not None
        fd = self._libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            return
        self._fd = fd
        for rel, (path, is_dir) in [("", (str(self.root), True)), *entries]:
            wd = self._libc.inotify_add_watch(fd, os.fsencode(path),
                                              _FOLDER_EVENTS if is_dir else _FILE_EVENTS)
            if wd < 0:  # out of watches (fs.inotify.max_user_watches), or it went away
                self.close()
                return
            self._watches[wd] = rel

    def _reported(self) -> bool:
        """True when inotify reported a change to a deck file or folder since the last call."""
        relevant = False
        while True:
            try:
                data = os.read(self._fd, 1 << 16)
            except BlockingIOError:
                return relevant
            except OSError:
                self.close()
                return True
            if not data:
                return relevant
            offset = 0
            while offset + _EVENT.size <= len(data):
                wd, mask, _cookie, size = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size:offset + _EVENT.size + size].rstrip(b"\0")
                offset += _EVENT.size + size
                relevant |= self._relevant(wd, mask, os.fsdecode(name))

    def _relevant(self, wd: int, mask: int, name: str) -> bool:
        if mask & _IN_Q_OVERFLOW:
            return True
        base = self._watches.get(wd)
        if base is None or name in SKIPPED_FOLDERS:
            return False  # a watch already dropped, or a __pycache__ folder
        if base == "":  # the deck's root: only the deck's own entries matter
            return name in DECK_FILES
        rel = f"{base}/{name}" if name else base
        return rel not in self.skip
