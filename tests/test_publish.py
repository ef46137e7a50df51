"""publish: making a set of outputs live at once, finishing what interrupted runs left."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from generator.fsutil import stage_beside, staging_dir, symlink_atomic
from generator.publish import live_generation, publish, recover

NAMES = ("a.apkg", "a-cards.pdf", "a-cheatsheet.pdf")


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def publish_text(case: Path, text: str, names: tuple[str, ...] = NAMES) -> None:
    """Publish ``names`` holding ``text`` into ``case/build``, and ``text`` as ``deck.lock``."""
    build = case / "build"
    with staging_dir(build) as staging:
        for name in names:
            (staging / name).write_text(text)
        staged = stage_beside(case / "deck.lock", text.encode())
        publish(staging, build, names, lock=(staged, case / "deck.lock"))


def shown(build: Path) -> set[str | None]:
    """What the output paths show (None: nothing there, or a dangling link)."""
    return {(build / n).read_text() if (build / n).exists() else None for n in NAMES}


def assert_clean(case: Path) -> None:
    """Only the outputs' links, ``.current`` and the live generation; no temporary files."""
    build = case / "build"
    live = live_generation(build)
    assert live is not None
    assert sorted(p.name for p in build.iterdir()) == sorted([*NAMES, ".current", live])
    assert all(os.readlink(build / n) == f".current/{n}" for n in NAMES)
    assert sorted(p.name for p in case.iterdir()) == ["build", "deck.lock"]


def test_publish_swaps_one_link_and_removes_the_old_generation(tmp_path: Path) -> None:
    build = tmp_path / "build"
    publish_text(tmp_path, "one")
    first = live_generation(build)
    assert shown(build) == {"one"} and (tmp_path / "deck.lock").read_text() == "one"
    assert_clean(tmp_path)
    publish_text(tmp_path, "two")
    assert shown(build) == {"two"} and (tmp_path / "deck.lock").read_text() == "two"
    assert live_generation(build) != first
    assert_clean(tmp_path)
    for name in NAMES:  # readable by all, as files a user would write
        assert (build / name).stat().st_mode & 0o777 == 0o644
    assert (build / ".current").stat().st_mode & 0o777 == 0o755


def test_a_build_dir_of_an_older_version_is_migrated(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    for name in NAMES:
        (build / name).write_text("old")
    (build / "SHA256SUMS").write_text("not ours")
    publish_text(tmp_path, "new")
    assert shown(build) == {"new"}
    assert (build / "SHA256SUMS").read_text() == "not ours"
    (build / "SHA256SUMS").unlink()
    assert_clean(tmp_path)


def test_a_copy_made_following_the_links_publishes_again(tmp_path: Path) -> None:
    """``cp -rL`` or ``shutil.copytree``: every link became a real file, ``.current`` a
    folder."""
    publish_text(tmp_path / "one", "one")
    copy = tmp_path / "two"
    shutil.copytree(tmp_path / "one", copy)
    assert (copy / "build" / ".current").is_dir()
    assert not (copy / "build" / ".current").is_symlink()
    publish_text(copy, "two")
    assert shown(copy / "build") == {"two"}
    assert_clean(copy)


def test_a_link_the_user_deleted_or_changed_is_made_again(tmp_path: Path) -> None:
    build = tmp_path / "build"
    publish_text(tmp_path, "one")
    (build / NAMES[0]).unlink()
    (build / NAMES[1]).unlink()
    os.symlink("elsewhere", build / NAMES[1])
    assert recover(build) == []  # nothing to recover: the links are publish's to make
    publish_text(tmp_path, "two")
    assert shown(build) == {"two"}
    assert_clean(tmp_path)


def test_links_to_outputs_no_longer_made_are_removed(tmp_path: Path) -> None:
    build = tmp_path / "build"
    publish_text(tmp_path, "one", names=(*NAMES, "old-stem.apkg"))
    publish_text(tmp_path, "two")
    assert not os.path.lexists(build / "old-stem.apkg")
    assert_clean(tmp_path)


# A process that publishes, and kills itself (SIGKILL) right after its k-th call that changes
# the file system: every step of publish, the migration of an older build/ included.
CRASH_AT = textwrap.dedent("""
    import os, shutil, signal, sys
    from pathlib import Path
    from generator import fsutil, publish
    case, k = Path(sys.argv[1]), int(sys.argv[2])
    names = {names!r}
    build = case / "build"
    with fsutil.staging_dir(build) as staging:
        for name in names:
            (staging / name).write_text("new")
        staged = fsutil.stage_beside(case / "deck.lock", b"new")
        calls = [0]
        def counted(real):
            def call(*args, **kwargs):
                result = real(*args, **kwargs)
                calls[0] += 1
                if calls[0] == k:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result
            return call
        for module, name in [(os, "rename"), (os, "replace"), (os, "symlink"), (os, "link"),
                             (os, "unlink"), (os, "rmdir"), (os, "mkdir"), (os, "chmod"),
                             (shutil, "rmtree")]:
            setattr(module, name, counted(getattr(module, name)))
        publish.publish(staging, build, names, lock=(staged, case / "deck.lock"))
""").format(names=NAMES)


@pytest.mark.parametrize("before", ["published", "older version", "empty"])
def test_a_publish_killed_after_any_step_shows_old_or_new_and_recovers(
        tmp_path: Path, before: str) -> None:
    old: str | None = None if before == "empty" else "old"
    outcomes = set()
    for k in itertools.count(1):
        case = tmp_path / str(k)
        build = case / "build"
        build.mkdir(parents=True)
        if before == "published":
            publish_text(case, "old")
        elif before == "older version":
            for name in NAMES:
                (build / name).write_text("old")
            (case / "deck.lock").write_text("old")
        result = subprocess.run([sys.executable, "-c", CRASH_AT, str(case), str(k)],
                                check=False, capture_output=True, timeout=60)
        now = shown(build)  # right after the kill: no recovery has run
        if result.returncode == 0:  # k is past the last step
            assert now == {"new"}
            assert_clean(case)
            break
        assert result.returncode == -9, result.stderr
        assert now in ({old}, {"new"}), (k, now)
        (value,) = now
        outcomes.add(value)
        recover(build, other_dirs=(case,))
        assert shown(build) == now, k  # recovery changes nothing a reader sees
        lock = case / "deck.lock"
        assert (lock.read_text() if lock.exists() else None) == value, k  # rolled forward
        live = live_generation(build)  # beside the outputs, only the live generation is left
        assert {p.name for p in build.iterdir()} - set(NAMES) == (
            set() if live is None else {".current", live}), k
        assert {p.name for p in case.iterdir()} <= {"build", "deck.lock"}, k
        publish_text(case, "next")
        assert shown(build) == {"next"} and (case / "deck.lock").read_text() == "next"
        assert_clean(case)
    assert outcomes == {old, "new"}
    assert k > 8  # the counter did reach publish's steps


def test_two_processes_publishing_at_once_end_consistent(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from generator.fsutil import stage_beside, staging_dir
        from generator.publish import publish
        case, who = Path(sys.argv[1]), sys.argv[2]
        for i in range(12):
            with staging_dir(case / "build") as staging:
                for name in {names!r}:
                    (staging / name).write_text(f"{{who}}{{i}}")
                staged = stage_beside(case / "deck.lock", f"{{who}}{{i}}".encode())
                publish(staging, case / "build", {names!r}, lock=(staged, case / "deck.lock"))
    """).format(names=NAMES)
    (tmp_path / "build").mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), who],
                              stderr=subprocess.PIPE) for who in "AB"]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    (value,) = shown(tmp_path / "build")
    assert value in ("A11", "B11")
    assert (tmp_path / "deck.lock").read_text() == value
    assert_clean(tmp_path)


def test_a_journal_of_an_older_version_is_finished(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    pid = dead_pid()
    staging = build / f".staging-{pid}-x1"
    staging.mkdir()
    (staging / "a.apkg").write_text("new")
    (build / "a.apkg").write_text("old")
    journal = build / f".publish-{pid}-{staging.name}.json"
    journal.write_text(json.dumps({str(staging / "a.apkg"): str(build / "a.apkg")}))
    done = recover(build)
    assert done and "finished publishing" in done[0]
    assert (build / "a.apkg").read_text() == "new"
    assert [p.name for p in build.iterdir()] == ["a.apkg"]


def test_recover_removes_only_what_dead_processes_left(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    pid = dead_pid()
    (build / f".staging-{pid}-x1").mkdir()
    (build / f".staging-{pid}-x1" / "half.apkg").write_bytes(b"...")
    (build / f".sample.apkg.{pid}-abc.tmp").write_bytes(b"...")
    (build / f"..current.{pid}-abc.tmp").symlink_to(f".gen-{pid}-live")
    (build / ".staging-a1b2c3d4").mkdir()  # named before names carried the pid, long ago
    old = time.time() - 2 * 24 * 3600
    os.utime(build / ".staging-a1b2c3d4", (old, old))
    (build / f".gen-{pid}-old").mkdir()  # superseded, its maker gone
    (build / f".gen-{pid}-live").mkdir()  # its maker gone too, but it is live: it stays
    (build / f".gen-{pid}-live" / "keep.apkg").write_bytes(b"output")
    (build / ".current").symlink_to(f".gen-{pid}-live")
    (build / "keep.apkg").symlink_to(".current/keep.apkg")
    (tmp_path / f".deck.lock.{pid}-abc.tmp").write_bytes(b"...")
    typst_dir = Path(tempfile.gettempdir()) / f"deck-typst-{pid}-test"
    typst_dir.mkdir(exist_ok=True)
    kept = ["keep.apkg", ".current", f".gen-{pid}-live"]
    with staging_dir(build) as mine:  # this process is alive: its folder stays
        done = recover(build, other_dirs=(tmp_path,))
        assert done == ["removed 7 leftover(s) of interrupted runs"]
        assert mine.is_dir()
        assert sorted(p.name for p in build.iterdir()) == sorted([*kept, mine.name])
    assert not list(tmp_path.glob(".*.tmp"))
    assert not typst_dir.exists()
    assert sorted(p.name for p in build.iterdir()) == sorted(kept)
    assert (build / "keep.apkg").read_bytes() == b"output"


def test_a_journal_whose_generation_never_went_live_is_discarded(tmp_path: Path) -> None:
    build = tmp_path / "build"
    publish_text(tmp_path, "old")
    pid = dead_pid()
    (build / f".gen-{pid}-x").mkdir()
    staged = tmp_path / f".deck.lock.{pid}-x.tmp"
    staged.write_text("new")
    (build / f".publish-{pid}-.gen-{pid}-x.json").write_text(json.dumps(
        {"generation": f".gen-{pid}-x", "lock": [str(staged), str(tmp_path / "deck.lock")]}))
    assert recover(build, other_dirs=(tmp_path,)) == [
        "removed 1 leftover(s) of interrupted runs"]
    assert (tmp_path / "deck.lock").read_text() == "old"
    assert_clean(tmp_path)


def test_a_deck_moved_after_a_kill_is_still_rolled_forward(tmp_path: Path) -> None:
    """Killed between the swap and replacing deck.lock; then the deck's folder was moved."""
    case = tmp_path / "one"
    build = case / "build"
    publish_text(case, "old")
    pid = dead_pid()
    generation = build / f".gen-{pid}-x"
    generation.mkdir()
    for name in NAMES:
        (generation / name).write_text("new")
    (case / f".deck.lock.{pid}-x.tmp").write_text("new")
    (build / f".publish-{pid}-{generation.name}.json").write_text(json.dumps(
        {"generation": generation.name, "lock": [f"../.deck.lock.{pid}-x.tmp", "../deck.lock"]}))
    symlink_atomic(generation.name, build / ".current")
    moved = tmp_path / "two"
    case.rename(moved)
    assert shown(moved / "build") == {"new"}
    done = recover(moved / "build", other_dirs=(moved,))
    assert done[0].startswith("finished publishing an interrupted build (deck.lock updated")
    assert (moved / "deck.lock").read_text() == "new"
    assert_clean(moved)
