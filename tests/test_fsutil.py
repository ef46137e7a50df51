"""fsutil: atomic writes, and cleaning up what interrupted runs left."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from generator.fsutil import write_atomic
from generator.publish import recover


def test_write_atomic_replaces_the_file_with_one_mode(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


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
