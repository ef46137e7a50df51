from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_deck(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(samples / "good"), "check")
    assert code == 0
    assert out == ""
    assert "3 cards: 0 error(s), 0 warning(s)" in err


def test_check_reports_problems_and_exits_1(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(samples / "bad" / "deck.toml", samples / "bad" / "crlf" / "deck.toml")
    try:
        code, out, err = run(capsys, "--root", str(samples / "bad" / "crlf"), "check")
    finally:
        (samples / "bad" / "crlf" / "deck.toml").unlink()
    assert code == 1
    assert out.splitlines() == (samples / "bad" / "crlf" / "expected.txt").read_text().splitlines()
    assert "Traceback" not in err


def test_check_json(tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(samples / "bad" / "orphan-snippet", tmp_path / "deck")
    shutil.copy(samples / "bad" / "deck.toml", tmp_path / "deck" / "deck.toml")
    code, out, _ = run(capsys, "--root", str(tmp_path / "deck"), "check", "--json")
    data = json.loads(out)
    assert code == 0  # a warning only
    assert data["errors"] == 0 and data["warnings"] == 1
    assert data["findings"][0] == {
        "path": "snippets/t/unused.py", "line": 1, "severity": "warning",
        "message": "orphan snippet: no card links it (link it with 'snippet:' or delete it)"}
    code, _, _ = run(capsys, "--root", str(tmp_path / "deck"), "check", "--strict")
    assert code == 1


def test_bad_config_is_reported_without_traceback(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(samples / "bad-config" / "unknown-table"), "check")
    assert code == 1
    assert err.strip() == "deck.toml:9: unknown table [lnit] (did you mean 'lint'?); known tables: [deck], [output], [pdf], [build], [tags], [verify], [lint]"


def test_stats_counts(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(samples / "good"), "stats", "--json")
    assert code == 0
    assert json.loads(out) == {
        "cards": 3, "subdecks": {"Basics": 1, "GPU": 1, "Judgement": 1}, "snippets": 2,
        "cards_with_snippet": 2, "cards_without_snippet": 1, "cpu": 2, "cuda": 1,
        "levels": {"basic": 0, "intermediate": 3, "advanced": 0},
        "cloze_marks": 0}
    code, out, _ = run(capsys, "--root", str(samples / "cloze"), "stats", "--json")
    assert json.loads(out)["cloze_marks"] == 5


def test_plan_lists_cloze_notes_and_retires_a_removed_mark(
        tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cloze import cloze_key
    from generator.lock import LOCK_NAME, Lock, LockEntry, NoteTypeLock, lock_to_text

    shutil.copytree(samples / "cloze", tmp_path / "deck")
    root = str(tmp_path / "deck")
    code, out, _ = run(capsys, "--root", root, "plan", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["cloze_note_type"] == "new"
    assert sorted(e["kind"] for e in plan["added"]) == ["cloze"] * 5 + ["prep"] * 3
    # a lock that holds a cloze note whose mark is gone: the plan retires it
    gone = cloze_key("batchnorm-modes-5c1e7a2b", "bn.eps")
    nt = NoteTypeLock(1700000000002, "PREP", "s", "f", 1)

    (tmp_path / "deck" / LOCK_NAME).write_text(lock_to_text(Lock(1700000000001, nt, (
        LockEntry(gone, "g", 1, "s", "n", "cards/training/batchnorm-modes.md",
                  "Sample Deck::Training", "Fill in `bn.eps`: What?", "cloze"),))),
        encoding="utf-8")
    code, out, _ = run(capsys, "--root", root, "plan")
    assert f"  retired   {gone}  cards/training/batchnorm-modes.md  Fill in `bn.eps`: What?" in out
    assert "1 cloze note(s) are retired" in out


def test_new_scaffolds_a_card_that_checks_once_written(
        tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(samples / "good", tmp_path / "deck")
    root = str(tmp_path / "deck")
    code, out, _ = run(capsys, "--root", root, "new", "training/batch-norm")
    assert code == 0
    card_path = tmp_path / "deck" / "cards" / "training" / "batch-norm.md"
    snippet_path = tmp_path / "deck" / "snippets" / "training" / "batch_norm.py"
    card = card_path.read_text()
    assert "snippet: training/batch_norm.py" in card
    assert snippet_path.is_file()
    ids = [line for line in card.splitlines() if line.startswith("id: batch-norm-")]
    assert len(ids) == 1 and len(ids[0]) == len("id: batch-norm-") + 8
    # Untouched, the scaffold must not ship: each placeholder is an error at its line.
    code, err, _ = run(capsys, "--root", root, "check")
    assert code == 1
    lines = card.splitlines()
    todo = [i for i, line in enumerate(lines, 1) if "TODO" in line]
    assert len(todo) == 5
    for number in todo:
        assert f"cards/training/batch-norm.md:{number}: " in err, (number, err)
    assert "question is still the placeholder that 'deck new' wrote; replace it" in err
    assert "section '## Pitfall' still holds the placeholder" in err
    assert ("snippets/training/batch_norm.py:2: this snippet is still the placeholder "
            "that 'deck new' wrote; replace it with code that asserts the claim of "
            "cards/training/batch-norm.md") in err
    # Written by the author (the header comment kept): clean.
    card_path.write_text("\n".join(
        line.replace("TODO: ", "Written: ") for line in lines) + "\n")
    snippet_path.write_text(snippet_path.read_text().replace("torch.ones(3)", "torch.ones(4)")
                            .replace("== 3.0", "== 4.0"))
    code, _, err = run(capsys, "--root", root, "check")
    assert code == 0, err
    code, _, err = run(capsys, "--root", root, "new", "training/batch-norm")
    assert code == 1 and "already exists" in err
    code, _, err = run(capsys, "--root", root, "new", "Bad Name")
    assert code == 1 and "is not <topic>/<slug>" in err


@pytest.mark.parametrize("deck", ["good", "cloze"])
def test_check_never_imports_torch(samples: Path, deck: str) -> None:
    code = (
        "import sys; from generator.cli import main; "
        f"rc = main(['--root', {str(samples / deck)!r}, 'check']); "
        "heavy = sorted(m for m in ('torch', 'sklearn', 'typst', 'genanki', 'numpy', 'pygments', "
        "'jinja2') if m in sys.modules); "
        "print(heavy); sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"  # after the findings


def test_help_everywhere() -> None:
    for argv in ([], ["check"], ["new"], ["stats"], ["build"], ["verify"], ["plan"]):
        result = subprocess.run([sys.executable, "-m", "generator.cli", *argv, "--help"],
                                capture_output=True, text=True)
        assert result.returncode == 0, (argv, result.stderr)
        assert "usage: deck" in result.stdout


def test_the_flagship_deck_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--root", str(ROOT), "check", "--strict")
    assert out == "", out
    assert code == 0


def test_an_internal_error_is_one_line_and_a_log(tmp_path: Path, samples: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import generator.cli as cli

    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)

    def broken(args: object) -> int:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(cli, "cmd_check", broken)
    code, out, err = run(capsys, "--root", str(root), "check")
    assert code == cli.EXIT_INTERNAL
    assert err.splitlines() == [
        "internal error: KeyError('a bug of ours'); please report; details in "
        "build/deck-error.log"]
    log = (root / "build" / "deck-error.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "a bug of ours" in log


def test_a_typst_panic_is_one_line_and_a_log(tmp_path: Path, samples: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A panic inside the typst wheel reaches Python as pyo3's PanicException, a
    BaseException: it too is the one-line internal error, never a traceback."""
    import typst

    import generator.cli as cli

    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)

    def typst_panics(args: object) -> int:
        # A real panic: the typst wheel unwraps the output path as UTF-8.
        typst.compile_with_warnings(b"x", output=str(tmp_path / "\udcff{p}.pdf"))
        return 0

    monkeypatch.setenv("RUST_BACKTRACE", "0")
    monkeypatch.setattr(cli, "cmd_check", typst_panics)
    code, out, err = run(capsys, "--root", str(root), "check")
    assert code == cli.EXIT_INTERNAL
    assert err.splitlines()[-1].startswith("internal error: PanicException(")
    assert "Traceback" not in err
    log = (root / "build" / "deck-error.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "compile_with_warnings" in log


def test_build_into_a_file_named_build_says_what_to_do(tmp_path: Path, samples: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    (root / "build").write_text("not a folder")
    code, out, err = run(capsys, "--root", str(root), "build")
    assert code == 1
    assert err.splitlines()[-1] == ("build: 'build' is a file, but outputs go into a folder of "
                                    "that name; rename or delete the file")
    assert (root / "build").read_text() == "not a folder"


def test_a_file_system_error_names_the_path_and_the_cause(
        tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    (root / "snippets").write_text("a file where the snippets folder belongs")
    code, out, err = run(capsys, "--root", str(root), "new", "t/fresh")
    assert code == 1
    assert err.splitlines() == ["error: snippets/t: Not a directory"]


def test_cannot_write_outputs_is_explained(tmp_path: Path, samples: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # A full disk cannot be made on demand: the file system's refusal is raised where the
    # build commits its outputs (the publish journal), as the kernel would raise it.
    import errno

    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        if Path(dst).name.startswith(".publish-"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    code, out, err = run(capsys, "--root", str(root), "build")
    last = err.splitlines()[-1]
    assert code == 1
    assert last.startswith("error: cannot write the outputs: build/.publish-")
    assert last.endswith(": No space left on device; free some space or make build/ writable, "
                         "then build again (build/ and deck.lock were not changed)")
    assert sorted(p.name for p in root.iterdir()) == ["build", "cards", "deck.toml"]
    assert list((root / "build").iterdir()) == []


# Builds the deck, then makes build/ read-only and builds again with a card edited. Root ignores
# permission bits only through its capabilities: as root, the script first drops
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER (capset(2)), and is then held to the
# bits of the files it owns, like any user (exit 77 where the capabilities cannot be dropped).
READ_ONLY_BUILD = textwrap.dedent("""
    import ctypes, hashlib, json, os, sys
    from pathlib import Path
    import generator.cli as cli
    root, dead_pid = Path(sys.argv[1]), sys.argv[2]
    assert cli.main(["--root", str(root), "build"]) == 0
    leftover = root / "build" / f".staging-{dead_pid}-x1"  # an interrupted run's
    leftover.mkdir()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in [*(root / "build").glob("tiny*"), root / "deck.lock"]}
    (root.parent / "before.json").write_text(json.dumps(before))
    os.chmod(root / "build", 0o555)
    if os.geteuid() == 0:
        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
        class Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                        ("inheritable", ctypes.c_uint32)]
        libc = ctypes.CDLL(None, use_errno=True)
        header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3
        drop = (1 << 1) | (1 << 2) | (1 << 3)  # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
        if libc.capget(ctypes.byref(header), data) != 0:
            sys.exit(77)
        data[0].effective &= ~drop
        data[0].permitted &= ~drop
        if libc.capset(ctypes.byref(header), data) != 0:
            sys.exit(77)
    card = root / "cards" / "t" / "card1.md"
    card.write_text(card.read_text().replace("## Reason", "## Reason\\n\\nEdited.", 1))
    sys.exit(cli.main(["--root", str(root), "build"]))
""")


def test_a_read_only_build_folder_is_explained_and_left_intact(samples: Path,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          check=True, capture_output=True, text=True).stdout.strip()
    try:
        result = subprocess.run([sys.executable, "-c", READ_ONLY_BUILD, str(root), gone],
                                check=False, capture_output=True, text=True, timeout=300)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(root / "build", 0o755)
    if result.returncode == 77:
        pytest.skip("running as root, and this system does not let a process drop "
                    "CAP_DAC_OVERRIDE: a read-only folder cannot be made to refuse it")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last == ("error: cannot write the outputs: build/: Permission denied; free some "
                    "space or make build/ writable, then build again (build/ and deck.lock "
                    "were not changed)"), last
    before = json.loads((tmp_path / "before.json").read_text())
    after = {name: hashlib.sha256((root / "build" / name).read_bytes()).hexdigest()
             for name in before if name != "deck.lock"}
    after["deck.lock"] = hashlib.sha256((root / "deck.lock").read_bytes()).hexdigest()
    assert after == before
    assert len(before) == 4
    assert (root / "build" / f".staging-{gone}-x1").is_dir()  # kept for a writable run


def test_a_folder_where_an_output_goes_is_named(tmp_path: Path, samples: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    (root / "build" / "tiny.apkg").mkdir(parents=True)
    code, _, err = run(capsys, "--root", str(root), "build")
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: cannot write the outputs: build/tiny.apkg: Is a directory; free some space or "
        "make build/ writable, then build again (build/ and deck.lock were not changed)")
    assert [p.name for p in (root / "build").iterdir()] == ["tiny.apkg"]
    assert sorted(p.name for p in root.iterdir()) == ["build", "cards", "deck.toml"]


def test_plan_leaves_out_a_card_with_errors_without_calling_it_orphaned(
        tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    assert run(capsys, "--root", str(root), "build")[0] == 0
    card = root / "cards" / "t" / "card2.md"
    card.write_text(card.read_text(encoding="utf-8").replace("## Reason\n", "## Raeson\n"),
                    encoding="utf-8")
    code, out, err = run(capsys, "--root", str(root), "plan")
    assert code == 0
    assert out.splitlines()[0] == "0 to add, 0 to update, 1 unchanged, 0 orphaned; note type unchanged"
    assert "some cards have errors and are left out" in err


def test_an_unreadable_template_of_the_generator_is_named(
        tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import jinja2

    def missing(self: object, name: str, *args: object, **kwargs: object) -> object:
        raise jinja2.TemplateNotFound(name)  # what an unreadable templates folder gives

    root = tmp_path / "deck"
    shutil.copytree(samples / "tiny", root)
    # Not the loader: an Environment keeps the templates it loaded, across tests too.
    monkeypatch.setattr(jinja2.Environment, "get_template", missing)
    code, _, err = run(capsys, "--root", str(root), "build")
    assert code == 1
    assert err.splitlines()[-1].startswith("error: cannot read the generator's own template ")
    assert err.splitlines()[-1].endswith(": reinstall it, or make generator/templates/ readable")
