"""generator.verify.supervisor and protocol: replies are matched and typed, never misattributed.

A fault-injecting worker (a stand-in for ``generator.verify.worker``, written below) answers
some requests with a reply for another id, a malformed line, a reply of an old protocol, or an
extra unsolicited reply; every other snippet must still get exactly its own result.
Below it, the parts of the real worker that keep its overhead down: submodules found statically
for preloading, snippets compiled ahead, and a child that counts as done once it is exiting.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.parse import parse_card
from generator.verify import figures, protocol
from generator.verify import supervisor as supervisor_module
from generator.verify.jobs import SnippetJob
from generator.verify.protocol import Failure, ProtocolError, RunResult
from generator.verify.supervisor import (
    Supervisor,
    imported_modules,
    parallel_snippets,
    snippet_environment,
)
from generator.verify.worker import exiting

FAULTY_WORKER = textwrap.dedent("""
    import sys
    from generator.verify import protocol

    out = sys.stdout.buffer
    out.write(protocol.encode(protocol.Ready(0)))
    out.flush()
    for line in sys.stdin.buffer:
        msg = protocol.decode(line)
        if isinstance(msg, protocol.Shutdown):
            break
        mode = open(msg.path).read().strip()
        with open(msg.stdout_path, "w") as fh:
            fh.write(f"output of {msg.display}\\n")
        ok = protocol.encode(protocol.RunResult(msg.id, "passed", 0.0, None, None))
        if mode == "wrong-id":
            out.write(protocol.encode(protocol.RunResult(msg.id + 1, "passed", 0.0, None, None)))
        elif mode == "garbage":
            out.write(b"{not json\\n")
        elif mode == "old-protocol":
            out.write(ok.replace(f'"v": {protocol.PROTOCOL}'.encode(), b'"v": 1'))
        elif mode == "twice":
            out.write(ok + ok)
        elif mode == "exit":
            sys.exit(4)
        else:
            out.write(ok)
        out.flush()
""")


def _job(root: Path, name: str, mode: str) -> SnippetJob:
    (root / "snippets").mkdir(exist_ok=True)
    (root / "snippets" / f"{name}.py").write_text(mode + "\n")
    card = parse_card(f"---\nid: {name}\nsnippet: {name}.py\n---\n# Q?\n", f"cards/{name}.md")
    return SnippetJob(root, card, card.snippets[0], "cpu")


def test_faulty_replies_fail_their_item_and_never_another(tmp_path: Path) -> None:
    script = tmp_path / "faulty_worker.py"
    script.write_text(FAULTY_WORKER)
    supervisor = Supervisor(tmp_path)
    supervisor.worker_command = (sys.executable, str(script))
    modes = ["ok", "wrong-id", "ok", "garbage", "ok", "old-protocol", "ok", "twice", "ok",
             "exit", "ok"]
    try:
        results = [supervisor.run(_job(tmp_path, f"s{i}", mode), "hash")
                   for i, mode in enumerate(modes)]
    finally:
        supervisor.close()
    for i, (mode, v) in enumerate(zip(modes, results, strict=True)):
        assert v.card_id == f"s{i}" and v.snippet == f"snippets/s{i}.py"
        if mode in ("ok", "twice"):
            assert (v.status, v.stdout) == ("passed", f"output of snippets/s{i}.py\n"), mode
    reasons = {mode: v.message.split("; the snippet was not")[0] for mode, v in zip(modes, results, strict=True)
               if v.status == "failed"}
    assert reasons == {
        "wrong-id": "the worker replied to request 3, not 2",
        "garbage": "the worker sent a malformed reply (not JSON: Expecting property name "
                   "enclosed in double quotes: line 1 column 2 (char 1); starts with "
                   "b'{not json')",
        "old-protocol": "the worker sent a malformed reply (protocol version is not "
                        f"{protocol.PROTOCOL})",
        "exit": "the snippet worker exited with status 4 while this snippet ran",
    }
    # wrong-id, garbage, old-protocol, the extra reply after "twice", exit
    assert supervisor.restarts == 5


_V = f'{{"v": {protocol.PROTOCOL}, '.encode()
_RESULT = (_V + b'"type": "RunResult", "id": 1, "status": "passed", "duration": 0,'
           b' "failure": null, "gpu_name": null, "imported": []}')


@pytest.mark.parametrize("line", [
    b"[]", _RESULT.replace(b'"id": 1', b'"id": "1"'),
    _RESULT.replace(b'"passed"', b'"won"'), _RESULT.replace(b"[]}", b'[], "extra": 1}'),
    _V + b'"type": "Eval", "code": "print(1)"}',
])
def test_decode_rejects_anything_but_the_declared_types(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        protocol.decode(line)


def test_messages_round_trip() -> None:
    result = RunResult(7, "failed", 1.5, Failure("boom", "trace", 3), None, ("json",))
    assert protocol.decode(protocol.encode(result)) == result


def test_snippet_environment_is_an_allow_list() -> None:
    env = snippet_environment({"PATH": "/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
                               "GITHUB_TOKEN": "x", "AWS_SECRET_ACCESS_KEY": "y",
                               "HOME": "/home/me", "CUDA_VISIBLE_DEVICES": "0"},
                              "/tmp/w", "tok")
    assert env == {"PATH": "/bin", "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1",
                   "CUDA_VISIBLE_DEVICES": "0", "HOME": "/tmp/w", "TMPDIR": "/tmp/w",
                   "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
                   **figures.ENVIRONMENT,  # reproducible matplotlib SVGs
                   "DECK_VERIFY_RUN": "tok"}


@pytest.mark.parametrize(("source", "expected"), [
    ({"DECK_WORKER_PARALLEL": "2"}, "2"),  # two snippets at once, each on half the cores
    ({"DECK_WORKER_PARALLEL": "1"}, None),  # one at a time: torch's own default
    ({"DECK_WORKER_PARALLEL": "2", "PYTEST_XDIST_WORKER_COUNT": "2"}, "1"),
    ({"DECK_WORKER_PARALLEL": "2", "OMP_NUM_THREADS": "3"}, "3"),  # the user's choice wins
])
def test_snippets_side_by_side_share_the_cores(monkeypatch: pytest.MonkeyPatch,
                                               source: dict[str, str],
                                               expected: str | None) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    env = snippet_environment(source, "/tmp/w", "tok")
    assert env.get("OMP_NUM_THREADS") == expected


def test_the_huge_page_malloc_setting_reaches_the_zygote_not_the_snippet(
        tmp_path: Path) -> None:
    job = _job(tmp_path, "tunables", textwrap.dedent("""
        import os
        print(os.environ.get("GLIBC_TUNABLES"))
        with open(f"/proc/{os.getppid()}/environ", "rb") as fh:  # the zygote's start-up
            print([v for v in fh.read().split(b"\\0") if v.startswith(b"GLIBC_TUNABLES=")])
    """))
    supervisor = Supervisor(tmp_path)
    try:
        result = supervisor.run(job, "hash")
    finally:
        supervisor.close()
    assert result.status == "passed", result.message
    assert result.stdout.splitlines() == ["None", "[b'GLIBC_TUNABLES=glibc.malloc.hugetlb=1']"]


def test_parallel_by_default_only_where_the_cores_allow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert parallel_snippets({}) == 2
    assert parallel_snippets({"PYTEST_XDIST_WORKER_COUNT": "2"}) == 1
    assert parallel_snippets({"DECK_WORKER_PARALLEL": "3"}) == 3
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert parallel_snippets({}) == 1


def test_submodules_reached_by_attribute_are_preloaded(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A package of our own, so the answer does not depend on torch's layout.
    pkg = tmp_path / "site" / "toylib"
    (pkg / "optim").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "optim" / "__init__.py").write_text("")
    (pkg / "export.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    supervisor_module._package_dirs.cache_clear()
    supervisor_module._module_file_exists.cache_clear()
    tree = ast.parse(textwrap.dedent("""
        import toylib
        import toylib as tl
        from toylib import optim as o
        opt = toylib.optim.SGD([], lr=0.1)
        tl.export.save(opt)
        o.Adam
        toylib.tensor(1).grad
        unrelated.optim.thing
    """))
    try:
        found = imported_modules(tree)
    finally:
        supervisor_module._package_dirs.cache_clear()
        supervisor_module._module_file_exists.cache_clear()
    # toylib.optim.SGD, toylib.optim.Adam, toylib.tensor are not module files: left out
    assert found == {"toylib", "toylib.optim", "toylib.export"}


def test_a_snippet_changed_after_it_was_compiled_ahead_runs_as_it_is_now(
        tmp_path: Path) -> None:
    first = _job(tmp_path, "first", "print('first')")
    job = _job(tmp_path, "edited", "print('before')")
    broken = _job(tmp_path, "broken", "x = (1,\nassert x")
    supervisor = Supervisor(tmp_path)
    supervisor.expect([(str(j.path), j.display) for j in (first, job, broken)])
    try:
        # The zygote compiles the three before it reads the first request.
        assert supervisor.run(first, "hash").stdout == "first\n"
        job.path.write_text("print('after')\n")
        edited = supervisor.run(job, "hash")
        failed = supervisor.run(broken, "hash")
    finally:
        supervisor.close()
    assert (edited.status, edited.stdout) == ("passed", "after\n")
    assert failed.status == "failed"
    assert failed.message == ("snippets/broken.py:1: SyntaxError: '(' was never closed\n"
                              "  x = (1,\n      ^")


def test_exiting_tells_a_running_process_from_a_finished_one() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not exiting(proc.pid)
        proc.kill()
        deadline = time.monotonic() + 10
        while not exiting(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert exiting(proc.pid)  # a zombie until waited for: runs no code
    finally:
        proc.kill()
        proc.wait()
    assert exiting(proc.pid)  # gone


def test_no_process_of_a_snippet_runs_once_its_result_is_reported(tmp_path: Path) -> None:
    # The zygote replies as soon as the snippet's process is exiting (its address space is
    # freed afterwards); whatever that process started must be dead by then.
    job = _job(tmp_path, "spawner", textwrap.dedent("""
        import subprocess
        child = subprocess.Popen(["sleep", "30"])
        print(child.pid)
    """))
    supervisor = Supervisor(tmp_path)
    try:
        result = supervisor.run(job, "hash")
        assert result.status == "passed", result.message
        assert exiting(int(result.stdout))  # killed: a zombie at most, running nothing
    finally:
        supervisor.close()


WARM_UP = textwrap.dedent("""
    import os, sys
    import torch, sklearn.linear_model, sklearn.preprocessing
    from generator.verify import worker
    threads, torch_threads = len(os.listdir("/proc/self/task")), torch.get_num_threads()
    worker.warm_libraries()
    assert len(os.listdir("/proc/self/task")) == threads, "warm-up started a thread"
    assert torch.get_num_threads() == torch_threads
    moved = worker.collapse_memory()
    with open("/proc/self/smaps_rollup") as fh:
        huge = next(int(l.split()[1]) for l in fh if l.startswith("AnonHugePages"))
    assert moved >= 0 and (moved == 0 or huge > 0), (moved, huge)
    pid = os.fork()  # a child of the warmed, collapsed zygote computes on all its threads
    if pid == 0:
        x = torch.randn(256, 256)
        os._exit(0 if torch.allclose(x @ torch.eye(256), x) else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    print("ok", moved)
""")


def test_warming_up_starts_no_thread_and_forked_children_still_compute() -> None:
    # GNU OpenMP hangs a child whose parent had started a thread pool: the zygote's warm-up
    # must run on one thread only. A hang here is the failure (the timeout).
    done = subprocess.run([sys.executable, "-c", WARM_UP], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok ")
