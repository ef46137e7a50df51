"""generator.verify.watch: the deck files a snippet changed, and only those, with inotify and
with plain scans (where inotify is missing)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.verify.watch import DeckWatch


@pytest.fixture(params=["inotify", "scans"])
def watch(request: pytest.FixtureRequest, tmp_path: Path) -> DeckWatch:
    root = tmp_path / "deck"
    (root / "cards" / "t").mkdir(parents=True)
    (root / "snippets" / "t").mkdir(parents=True)
    (root / "verified").mkdir()
    (root / "cards" / "t" / "a.md").write_text("# A?\n")
    (root / "snippets" / "t" / "a.py").write_text("print(1)\n")
    (root / "verified" / "cuda.json").write_text("{}\n")
    (root / "deck.toml").write_text("[deck]\n")
    (root / "build").mkdir()
    deck_watch = DeckWatch(root, skip=("verified/cuda.json",))
    if request.param == "scans":
        deck_watch._libc = None  # as where inotify does not exist
    deck_watch.begin()
    assert deck_watch.watching == (request.param == "inotify")
    return deck_watch


def _during_a_run(watch: DeckWatch, change: Callable[[Path], object]) -> list[str]:
    watch.begin()
    change(watch.root)
    return watch.changed()


@pytest.mark.parametrize(("change", "expected"), [
    (lambda root: None, []),
    (lambda root: (root / "cards/t/a.md").read_text(), []),  # reading is not changing
    (lambda root: (root / "cards/t/a.md").write_text("# B?\n"), ["cards/t/a.md"]),
    (lambda root: (root / "deck.toml").write_text("[deck]\nname='x'\n"), ["deck.toml"]),
    (lambda root: (root / "snippets/t/a.py").unlink(), ["snippets/t/a.py"]),
    (lambda root: (root / "snippets/t/a.py").rename(root / "snippets/t/b.py"),
     ["snippets/t/a.py", "snippets/t/b.py"]),
    (lambda root: ((root / "cards/new").mkdir(), (root / "cards/new/x.md").write_text("x")),
     ["cards/new/x.md"]),
    (lambda root: (root / "deck.lock").write_text("{}"), ["deck.lock"]),
    (lambda root: os.chmod(root / "cards/t/a.md", 0o600), ["cards/t/a.md"]),
    (lambda root: (root / "build/x.apkg").write_text("x"), []),  # not a deck file
    (lambda root: (root / "verified/cuda.json").write_text("[]"), []),  # skipped
    (lambda root: ((root / "snippets/t/__pycache__").mkdir(),
                   (root / "snippets/t/__pycache__/a.pyc").write_bytes(b"x")), []),
])
def test_a_change_during_a_run_is_named(watch: DeckWatch, change: Callable[[Path], object],
                                        expected: list[str]) -> None:
    assert _during_a_run(watch, change) == expected
    assert _during_a_run(watch, lambda root: None) == []  # and reported once


def test_a_write_through_a_hard_link_elsewhere_is_seen(watch: DeckWatch, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    os.link(watch.root / "cards/t/a.md", elsewhere)
    watch.begin()  # the link itself changed the file's link count: taken in here
    with open(elsewhere, "a") as fh:
        fh.write("appended\n")
    assert watch.changed() == ["cards/t/a.md"]


def test_a_change_between_runs_is_nobody_s(watch: DeckWatch) -> None:
    assert watch.changed() == []
    (watch.root / "cards/t/a.md").write_text("# edited by the user\n")  # between two runs
    assert _during_a_run(watch, lambda root: None) == []
    assert _during_a_run(watch, lambda root: (root / "cards/t/a.md").write_text("# C?\n")) \
        == ["cards/t/a.md"]


def test_a_file_made_during_a_run_is_watched_afterwards(watch: DeckWatch) -> None:
    assert _during_a_run(watch, lambda root: (root / "cards/t/z.md").write_text("z")) \
        == ["cards/t/z.md"]
    assert _during_a_run(watch, lambda root: (root / "cards/t/z.md").write_text("zz")) \
        == ["cards/t/z.md"]


def test_with_inotify_an_unchanged_deck_is_not_scanned(watch: DeckWatch,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.verify import watch as module

    scans: list[Path] = []
    real = module.fingerprint
    monkeypatch.setattr(module, "fingerprint", lambda root, **kw: scans.append(root) or real(
        root, **kw))
    for _ in range(3):
        assert _during_a_run(watch, lambda root: None) == []
    assert len(scans) == (0 if watch.watching else 6)
