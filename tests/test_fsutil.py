"""fsutil: atomic writes, publishing a set of outputs, cleaning up after interrupted runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from generator.fsutil import publish, recover, staging_dir, write_atomic


def test_write_atomic_replaces_the_file_with_one_mode(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_a_publish_killed_half_way_is_finished_by_the_next_run(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    for name in ("a", "b", "c"):
        (build / name).write_text("old")
    # A process that stages three new files, then dies (SIGKILL) right after moving the first.
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from generator.fsutil import publish, staging_dir
        build = Path({str(build)!r})
        real = os.replace
        def replace(src, dst):
            real(src, dst)
            if Path(dst).name == "a":  # the journal was written, one output moved
                os.kill(os.getpid(), signal.SIGKILL)
        with staging_dir(build) as staging:
            for name in ("a", "b", "c"):
                (staging / name).write_text("new")
            os.replace = replace
            publish({{staging / n: build / n for n in ("a", "b", "c")}}, build, staging)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == -9, result.stderr
    contents = sorted((build / n).read_text() for n in ("a", "b", "c"))
    assert contents == ["new", "old", "old"]  # the moment of the kill: half published
    assert any(p.name.startswith(".publish-") for p in build.iterdir())
    done = recover(build)
    assert done and "finished publishing" in done[0]
    assert [(build / n).read_text() for n in ("a", "b", "c")] == ["new", "new", "new"]
    assert sorted(p.name for p in build.iterdir()) == ["a", "b", "c"]


def test_recover_removes_only_what_dead_processes_left(tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    (build / f".staging-{pid}-x1").mkdir()
    (build / f".staging-{pid}-x1" / "half.apkg").write_bytes(b"...")
    (build / f".sample.apkg.{pid}-abc.tmp").write_bytes(b"...")
    (build / ".staging-a1b2c3d4").mkdir()  # named before names carried the pid, long ago
    old = time.time() - 2 * 24 * 3600
    os.utime(build / ".staging-a1b2c3d4", (old, old))
    (tmp_path / f".deck.lock.{pid}-abc.tmp").write_bytes(b"...")
    typst_dir = Path(tempfile.gettempdir()) / f"deck-typst-{pid}-test"
    typst_dir.mkdir(exist_ok=True)
    with staging_dir(build) as mine:  # this process is alive: its folder stays
        (build / "keep.apkg").write_bytes(b"output")
        recover(build, other_dirs=(tmp_path,))
        assert mine.is_dir()
        assert sorted(p.name for p in build.iterdir()) == sorted(["keep.apkg", mine.name])
    assert not list(tmp_path.glob(".*.tmp"))
    assert not typst_dir.exists()
    assert [p.name for p in build.iterdir()] == ["keep.apkg"]


def test_recover_spares_the_live_typst_folder_of_an_older_build(tmp_path: Path) -> None:
    """Older versions of this tool name their Typst folder ``deck-typst-<random>``, without
    a pid, in the shared temporary folder. A build of another deck with such a version, running
    while this one starts, must keep its folder: removing it made its Typst call fail."""
    older_build = textwrap.dedent("""
        import sys, tempfile, typst
        with tempfile.TemporaryDirectory(prefix="deck-typst-") as root:
            print(root, flush=True)
            sys.stdin.readline()  # the other build's recover runs now
            typst.compile(b"card", root=root, ignore_system_fonts=True)
            print("compiled", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", older_build], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    live = Path(proc.stdout.readline().strip())
    (tmp_path / "build").mkdir()
    recover(tmp_path / "build")
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0, err
    assert out.strip() == "compiled"
    assert not live.exists()  # its maker removed it when done
    # The same name, left by a crash long ago, is a leftover.
    left = Path(tempfile.mkdtemp(prefix="deck-typst-"))
    old = time.time() - 2 * 24 * 3600
    os.utime(left, (old, old))
    recover(tmp_path / "build")
    assert not left.exists()


def test_publish_moves_every_staged_file(tmp_path: Path) -> None:
    build = tmp_path / "build"
    with staging_dir(build) as staging:
        (staging / "x").write_text("x")
        os.chmod(staging / "x", 0o600)
        publish({staging / "x": build / "x"}, build, staging)
    assert (build / "x").read_text() == "x"
    assert (build / "x").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in build.iterdir()] == ["x"]
