"""The supervisor: owns one worker (``worker.py``) and turns each job into a ``Verification``.

Every request carries an id that its reply must echo. A reply that is late, malformed, of the
wrong type or for another id fails the current item and replaces the worker, so a result can
never be attached to another snippet. Output comes back through files, read linearly and capped
(``[verify] max_output``); reading it never counts against the snippet's timeout. The deck's own
files are watched around each run (``watch``): a snippet that changed one fails, naming it.

Two snippets may run at once: ``run`` sends the next job ahead (``then``) where the machine has
the cores. What cannot be laid at one door then (a deck change seen while both ran, a lost
worker) is settled by running each again alone.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import logging
import marshal
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from generator.errors import SnippetError
from generator.model import Figure, Verification
from generator.verify import figures, protocol
from generator.verify.jobs import SnippetJob, library_versions
from generator.verify.protocol import Failure, RunRequest, RunResult
from generator.verify.watch import DeckWatch
from generator.verify.worker import (
    GRACE,
    HUGE_MALLOC,
    NEVER_PRELOAD,
    PRELOAD_DEFAULT,
    compile_snippet,
    kill_descendants,
    set_subreaper,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_OUTPUT = 64 * 1024
# Imported lazily by the first use of a module a snippet imports: torch.optim's first step()
# imports torch._dynamo (about 800 modules, over a second of CPU here).
IMPLIED_IMPORTS = {"torch.optim": ("torch._dynamo",)}
STARTUP_TIMEOUT = 600.0
PRECOMPILE_MAX = 2000  # snippets compiled ahead: a message stays well under MAX_LINE
REPLY_SLACK = 30.0  # the zygote enforces the timeout; this only catches a stuck zygote
TOKEN_VAR = "DECK_VERIFY_RUN"
_ENV_NAMES = frozenset({"PATH", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH", "PYTHONPATH"})
_ENV_PREFIXES = ("LC_", "OMP_", "MKL_", "OPENBLAS_", "NUMEXPR_", "VECLIB_", "KMP_", "GOMP_",
                 "CUDA_", "NVIDIA_", "CUBLAS_", "CUDNN_", "PYTORCH_", "ATEN_", "DECK_WORKER_")


def parallel_snippets(env: Mapping[str, str]) -> int:
    """How many snippets one worker runs side by side: ``DECK_WORKER_PARALLEL``, by default
    2 where each xdist worker has two cores or more, else 1."""
    with contextlib.suppress(ValueError):
        chosen = int(env.get("DECK_WORKER_PARALLEL", "0") or 0)
        if chosen > 0:
            return chosen
    workers = max(1, int(env.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1))
    return 2 if (os.cpu_count() or 1) >= 2 * workers else 1


def snippet_environment(source: dict[str, str], home: str, token: str) -> dict[str, str]:
    """The allow-listed environment a snippet sees: no tokens, no credentials."""
    env = {k: v for k, v in source.items()
           if k in _ENV_NAMES or k.startswith(_ENV_PREFIXES)}
    env.update(HOME=home, TMPDIR=home, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.update(figures.ENVIRONMENT)  # reproducible matplotlib SVGs
    env[TOKEN_VAR] = token
    env.setdefault("PATH", os.defpath)
    workers = int(source.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    at_once = workers * parallel_snippets(source)
    if at_once > 1 and "OMP_NUM_THREADS" not in env:
        # Snippets running side by side, each with torch's one thread per core, oversubscribe
        # the CPU: measured here, a training snippet ran up to 20x slower with -n 2.
        env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // at_once))
    return env


def read_output(path: Path, limit: int) -> tuple[str, int]:
    """The first ``limit`` bytes of ``path`` as text, and the file's whole size."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            return fh.read(limit).decode("utf-8", "replace"), size
    except FileNotFoundError:
        return "", 0


def clean_dump(text: str) -> str:
    """A faulthandler dump without the runner's frames and the extension-module list."""
    return "\n".join(
        line for line in text.splitlines()
        if "generator/verify/" not in line and "<frozen runpy>" not in line
        and not line.startswith("Extension modules:")
    ).strip("\n")


def where(stderr: str, display: str) -> str:
    """The snippet lines of a faulthandler dump (printed on a crash or at the timeout)."""
    lines = [ln.strip() for ln in stderr.splitlines() if f'File "{display}"' in ln]
    if not lines:
        return ""
    return "where the snippet was (most recent call first):\n" + "\n".join(
        "  " + ln for ln in dict.fromkeys(lines))


def deck_imports(root: Path) -> list[str]:
    """Library modules the deck's snippets import (read statically, not run): the worker
    imports them once while pytest collects, instead of learning them from a first child."""

    names: set[str] = set()
    local: set[str] = set()
    for path in sorted((root / "snippets").rglob("*.py")):
        local.add(path.stem)
        try:
            tree = ast.parse(path.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        names |= imported_modules(tree)
    for name, implied in IMPLIED_IMPORTS.items():
        if name in names:
            names.update(implied)
    return sorted(n for n in names if n.split(".")[0] not in local | NEVER_PRELOAD)


def imported_modules(tree: ast.AST) -> set[str]:
    """The modules a snippet imports, and the submodules it reaches without an import
    statement of their own: ``torch.optim.SGD(...)`` after ``import torch``, or
    ``from torch import optim``. Those are imported at first use (``torch`` imports
    ``torch.export`` lazily), so a child would pay them and the zygote learn them afterwards:
    twice the CPU. A dotted name counts only when a module file of that name exists."""

    names: set[str] = set()
    bound: dict[str, str] = {}  # a name in the snippet -> the module (or member) it stands for
    candidates: set[str] = set()
    attributes: list[ast.Attribute] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            attributes.append(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                top = alias.name.split(".")[0]
                bound[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            for alias in node.names:
                member = f"{node.module}.{alias.name}"
                candidates.add(member)
                bound[alias.asname or alias.name] = member
    for attribute in attributes:  # ``a.b.c`` is walked as a.b.c, then a.b: each adds a name
        chain: list[str] = [attribute.attr]
        value = attribute.value
        while isinstance(value, ast.Attribute):
            chain.insert(0, value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in bound:
            candidates.add(".".join([bound[value.id], *chain]))
    return names | {name for name in candidates - names if _module_file_exists(name)}


@functools.cache
def _package_dirs(top: str) -> tuple[str, ...]:
    """Where the top-level package ``top`` lives, found without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return ()
    return tuple(spec.submodule_search_locations or ()) if spec else ()


@functools.cache
def _module_file_exists(name: str) -> bool:
    top, *rest = name.split(".")
    for folder in _package_dirs(top):
        path = Path(folder, *rest)
        if (path / "__init__.py").is_file() or path.with_suffix(".py").is_file():
            return True
        if any(path.parent.glob(f"{path.name}.*.so")):
            return True
    return False


def memory_budget_mb() -> int:
    """Address space a snippet may add, in MiB (0: no limit): ``DECK_WORKER_MEMORY_MB``,
    by default 75 % of the machine's memory; ``-1`` for no limit."""
    try:
        budget = int(os.environ.get("DECK_WORKER_MEMORY_MB", "0") or 0)
    except ValueError:
        budget = 0
    if budget < 0:
        return 0
    if budget == 0:
        with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/meminfo") as fh:
            budget = int(int(fh.readline().split()[1]) * 0.75 / 1024)
    return budget


class Supervisor:
    """One worker (a zygote that forks a process per snippet) and the jobs sent to it."""

    worker_command: tuple[str, ...] = (sys.executable, "-P", "-m", "generator.verify.worker")

    def __init__(self, root: Path, *, max_output: int = DEFAULT_MAX_OUTPUT,
                 env_overrides: dict[str, str] | None = None) -> None:
        self.root = root
        self.max_output = max_output
        self.env_overrides = dict(env_overrides or {})
        self.restarts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._ready = False
        self._buf = b""
        self._next_id = 0
        self._home = ""
        self._token = secrets.token_hex(8)
        self._memory_mb = memory_budget_mb()
        self._expected: tuple[tuple[str, str], ...] = ()
        self._compiled: bytes | None = None  # the expected snippets, compiled and marshalled
        self._watch: DeckWatch | None = None  # the deck's own files, around each snippet
        self.parallel = parallel_snippets(os.environ)
        self._pending: dict[str, _Pending] = {}  # sent, by node id, in the order sent
        self._settled: dict[str, Verification] = {}  # run again alone, not yet asked for
        self._alone: set[str] = set()  # to run alone at their turn (see _after_loss)

    # -- the worker's lifetime

    def start(self) -> None:
        """Spawn the worker (returns at once; it imports in the background)."""
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop()
        set_subreaper()  # a snippet's orphans come to us if the zygote itself dies
        self._home = tempfile.mkdtemp(prefix="deck-verify-")
        self._log = tempfile.TemporaryFile(prefix="deck-worker-", suffix=".log")  # noqa: SIM115
        self._buf, self._ready = b"", False
        self._proc = subprocess.Popen(
            list(self.worker_command),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, cwd=self._home,
            env=self._environment(),
            start_new_session=True,
        )
        if self._expected:
            self._send_expected()

    def expect(self, snippets: list[tuple[str, str]]) -> None:
        """The (path, display) of the snippets about to run: the zygote compiles them while
        it waits for its first request (again after a restart), so a child only compares
        bytes. Starts nothing."""
        self._expected = tuple(snippets)
        self._compiled = None
        if self._proc is not None and self._proc.poll() is None:
            self._send_expected()

    def _send_expected(self) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        ahead = self._expected[:PRECOMPILE_MAX]
        if self._compiled is None:  # here, while the zygote imports: it only loads them
            compiled = []
            for path, display in ahead:
                with contextlib.suppress(Exception):  # a syntax error: its child reports it
                    source = Path(path).read_bytes()
                    compiled.append((path, display, source, compile_snippet(source, display)))
            self._compiled = marshal.dumps(compiled)
        code_file = os.path.join(self._home, "compiled.marshal")
        try:
            Path(code_file).write_bytes(self._compiled)
        except OSError:
            code_file = ""
        message = protocol.Precompile(tuple(p for p, _ in ahead), tuple(d for _, d in ahead),
                                      code_file)
        with contextlib.suppress(OSError):  # a dead worker shows at the next request
            self._proc.stdin.write(protocol.encode(message))
            self._proc.stdin.flush()

    def _environment(self) -> dict[str, str]:
        env = snippet_environment(dict(os.environ), self._home, self._token)
        if "DECK_WORKER_PRELOAD" not in os.environ:
            env["DECK_WORKER_PRELOAD"] = ",".join([PRELOAD_DEFAULT, *deck_imports(self.root)])
        env.update(self.env_overrides)
        env.setdefault("GLIBC_TUNABLES", HUGE_MALLOC)  # for the zygote only (see worker.main)
        return env

    def _ensure_ready(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        if self._ready:
            return
        message = self._read(time.monotonic() + STARTUP_TIMEOUT)
        if not isinstance(message, protocol.Ready):
            tail = self._log_text()[-3000:]
            self._stop()
            raise SnippetError(f"the snippet worker failed to start:\n{tail}")
        self._ready = True

    def close(self) -> None:
        trace = os.environ.get("DECK_WORKER_TRACE")
        if trace and self._log is not None:  # the worker's own log, for diagnosis
            with contextlib.suppress(OSError), open(trace, "a", encoding="utf-8") as fh:
                fh.write(self._log_text())
        if self._proc is not None and self._proc.poll() is None and self._proc.stdin:
            with contextlib.suppress(OSError):
                self._proc.stdin.write(protocol.encode(protocol.Shutdown()))
                self._proc.stdin.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
        self._stop()
        self._pending.clear()
        self._settled.clear()
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _stop(self) -> None:
        """Kill the worker and everything a snippet left behind; remove its folder."""
        self._kill_processes()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._home:
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = ""
        self._ready = False

    def _kill_processes(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            self._proc = None
        self._kill_orphans()

    def _kill_orphans(self) -> None:
        """Processes of this run re-parented to us (the zygote died): recognised by the run
        token in their environment."""
        from generator.verify.worker import children_of, descendants

        marker = f"{TOKEN_VAR}={self._token}".encode()
        ours = []
        for pid in children_of(os.getpid()):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/environ", "rb") as fh:
                if marker in fh.read().split(b"\0"):
                    ours.append(pid)
        for pid in ours:
            for doomed in (pid, *descendants(pid)):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(doomed, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if ours:
            kill_descendants(keep=children_of(os.getpid()) - set(ours))

    # -- jobs

    def run(self, job: SnippetJob, content: str, *,
            then: SnippetJob | None = None) -> Verification:
        """Run ``job`` and return its ``Verification`` (never raises for a snippet's fault).

        ``then``: the job that comes next; it starts now, beside this one, when this machine
        has the cores for it (``parallel``), and its own ``run`` only waits for it.
        """
        key = job.nodeid
        if key in self._settled:
            return dataclasses.replace(self._settled.pop(key), content_hash=content)
        for other, pending in list(self._pending.items()):
            if other != key:  # sent ahead for an item that did not run: its result is unused
                pending.stale = True
                if pending.result is not None:
                    self._discard(other)
        if key in self._pending:
            self._pending[key].stale = False  # sent ahead earlier, asked for after all
        else:
            self._send(job, alone=key in self._alone)
        self._alone.discard(key)
        if then is not None:
            self._ahead(then)
        request, result, changed, beside = self._outcome(key)
        return self._verification(job, content, request, result, changed, beside)

    def _ahead(self, job: SnippetJob) -> None:
        running = [p for p in self._pending.values() if p.result is None]
        if (self.parallel < 2 or not running or len(running) >= self.parallel
                or any(p.alone for p in running) or job.nodeid in self._pending
                or job.nodeid in self._alone or job.device != "cpu"
                or self._proc is None or self._proc.poll() is not None):
            return
        self._send(job, alone=False)

    def _send(self, job: SnippetJob, *, alone: bool) -> None:
        running = [p for p in self._pending.values() if p.result is None]
        if not running and self._unsolicited():
            log.warning("the snippet worker sent a message nobody asked for; replacing it")
            self.restarts += 1
            self._stop()
            self._pending.clear()
        self._ensure_ready()
        assert self._proc is not None and self._proc.stdin is not None
        self._next_id += 1
        base = Path(self._home)
        request = RunRequest(
            id=self._next_id, path=str(job.path), display=job.display, device=job.device,
            seed=job.seed, timeout=job.timeout,
            stdout_path=str(base / f"{self._next_id}.out"),
            stderr_path=str(base / f"{self._next_id}.err"),
            workdir=str(base / f"work-{self._next_id}"),
            memory_mb=self._memory_mb)
        if self._watch is None:
            # Under xdist another worker writes the GPU ledger while this snippet runs.
            skip = ("verified/cuda.json", "verified/.cuda.json.lock") \
                if os.environ.get("PYTEST_XDIST_WORKER") else ()
            self._watch = DeckWatch(self.root, skip=skip)
        if not running:
            self._watch.begin()  # what changed between two snippets is nobody's doing
        pending = _Pending(job, request, time.monotonic(), alone=alone, beside=bool(running))
        for other in running:
            other.beside = True
        self._pending[job.nodeid] = pending
        try:
            self._proc.stdin.write(protocol.encode(request))
            self._proc.stdin.flush()
        except OSError:
            pass  # the worker is gone: _read sees the end of its output

    def _outcome(self, key: str) -> tuple[RunRequest, RunResult, list[str], str]:
        """Wait for the result of ``key``: (request, result, deck files it changed, the
        snippet it ran beside when the change cannot be laid at either's door)."""
        pending = self._pending[key]
        while pending.result is None:
            reply = self._read(pending.started + pending.request.timeout + GRACE + REPLY_SLACK)
            target = next((p for p in self._pending.values() if isinstance(reply, RunResult)
                           and p.result is None and p.request.id == reply.id), None)
            if target is None:
                return self._after_loss(key, reply)
            assert isinstance(reply, RunResult)
            self._arrived(target, reply)
        if pending.conflict is not None:
            return self._settle(key, pending.conflict)
        del self._pending[key]
        return pending.request, pending.result, pending.changed, ""

    def _arrived(self, pending: _Pending, result: RunResult) -> None:
        assert self._watch is not None
        pending.result = result
        changed = self._watch.changed()
        running = [p for p in self._pending.values() if p.result is None]
        if changed and running:
            # Written while it and others ran side by side: by which one, only running each
            # again alone can tell.
            conflict = changed
            for member in (pending, *running):
                member.conflict = conflict
        else:
            pending.changed = changed
        if pending.stale and pending.conflict is None:
            self._discard(pending.job.nodeid)

    def _settle(self, key: str, changed: list[str]) -> tuple[RunRequest, RunResult, list[str], str]:
        """A deck file changed while ``key`` ran beside other snippets: stop them all, run each
        again alone, and blame the one that changes a deck file again. If none does, each of
        them fails, naming the others (the change cannot be laid at one door)."""
        members = [p for p in self._pending.values() if p.conflict is changed]
        log.warning("a deck file changed while %s ran side by side; running each again alone",
                    ", ".join(p.job.display for p in members))
        self._stop()  # the runs beside it end here, with their output files
        self._pending.clear()
        again = []
        for member in members:
            self._send(member.job, alone=True)
            again.append((member.job, self._outcome(member.job.nodeid)))
        if not any(outcome[2] for _, outcome in again):
            again = [(job, (request, result, changed, ", ".join(
                        other.display for other, _ in again if other is not job)))
                     for job, (request, result, _, _) in again]
        mine = None
        for job, outcome in again:
            if job.nodeid == key:
                mine = outcome
            elif not any(p.job.nodeid == job.nodeid and p.stale for p in members):
                self._settled[job.nodeid] = self._verification(  # its hash: set by run
                    job, "", *outcome)
        assert mine is not None
        return mine

    def _after_loss(self, key: str, reply: object) -> tuple[RunRequest, RunResult, list[str], str]:
        """The reply to ``key`` did not come: fail it and replace the worker. If it ran beside
        another snippet, which of them lost the worker is unknown: it runs again alone (and
        so does the other, at its turn)."""
        pending = self._pending.pop(key)
        result = self._lost(pending.request, reply, time.monotonic() - pending.started)
        for other in list(self._pending):  # their output went with the worker's folder
            del self._pending[other]
            self._alone.add(other)
        if not pending.beside:
            return pending.request, result, [], ""
        self._send(pending.job, alone=True)
        return self._outcome(key)

    def _discard(self, key: str) -> None:
        pending = self._pending.pop(key)
        _remove_files(pending.request)

    def _lost(self, request: RunRequest, reply: object, duration: float) -> RunResult:
        """The reply to ``request`` did not come: fail it and replace the worker."""
        if isinstance(reply, protocol.ProtocolError):
            why = f"the worker sent a malformed reply ({str(reply)[:200]})"
        elif isinstance(reply, protocol.RunResult):
            why = f"the worker replied to request {reply.id}, not {request.id}"
        elif reply is None:
            assert self._proc is not None
            why = _describe_worker(self._proc.wait())
        elif reply == "timeout":
            why = f"the worker did not answer within {request.timeout + REPLY_SLACK:g} s"
        else:
            why = f"the worker sent {type(reply).__name__} instead of a result"
        log.warning("restarting the snippet worker: %s", why)
        self.restarts += 1
        self._kill_processes()  # nothing writes the output files any more
        return RunResult(request.id, "failed", duration, Failure(
            f"{why}; the snippet was not verified (the worker was replaced)", "", None), None)

    def _verification(self, job: SnippetJob, content: str, request: RunRequest,
                      result: RunResult, changed: list[str], beside: str = "") -> Verification:
        try:
            return self._read_verification(job, content, request, result, changed, beside)
        finally:
            _remove_files(request)

    def _read_verification(self, job: SnippetJob, content: str, request: RunRequest,
                           result: RunResult, changed: list[str], beside: str) -> Verification:
        limit = self.max_output
        stdout, out_size = read_output(Path(request.stdout_path), limit)
        stderr, err_size = read_output(Path(request.stderr_path), limit)
        stderr = clean_dump(stderr)
        if err_size > limit:
            stderr += f"\n[{err_size - limit} more bytes of stderr not kept]"
        status, failure = result.status, result.failure
        message = ""
        found: tuple[Figure, ...] = ()
        if status == "passed" and not changed and out_size <= limit:
            try:
                found = figures.collect(Path(request.workdir))
            except figures.FigureError as err:
                status, failure = "failed", Failure(str(err), "", None)
        if failure is not None:
            message = failure.summary
            trace = failure.traceback or where(stderr, job.display)
            if trace:
                message += "\n" + trace.rstrip("\n")
        if changed:
            status = "failed"
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more"
                                              if len(changed) > 5 else "")
            message = (f"changed the deck's own files: {shown}; a snippet must not write "
                       "outside its working folder (restore them with git)")
            if beside:
                message = (f"the deck's own files changed: {shown}, while this snippet ran "
                           f"beside {beside}, and neither changed them when run again alone; "
                           "a snippet must not write outside its working folder (restore "
                           "them with git)")
        elif out_size > limit:
            status = "failed"
            message = (f"printed {out_size} bytes; a card shows at most {limit} (print less, "
                       "or raise [verify] max_output in deck.toml)")
        return Verification(
            card_id=job.card_id, snippet=job.display, device=job.device, status=status,
            stdout=stdout, stderr=stderr, duration=round(result.duration, 4),
            versions=library_versions(), content_hash=content,
            gpu_name=result.gpu_name if job.device == "cuda" else None, message=message,
            figures=found if status == "passed" else ())

    # -- the channel

    def _unsolicited(self) -> bool:
        """True when the worker wrote something between two requests (a protocol fault)."""
        if not self._ready or self._proc is None or self._proc.stdout is None:
            return False
        return bool(self._buf) or bool(select.select([self._proc.stdout.fileno()], [], [], 0)[0])

    def _read(self, deadline: float) -> object:
        """The next message; ``None`` at the end of the worker's output, ``"timeout"``, or the
        ``ProtocolError`` of a malformed line."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            if not select.select([fd], [], [], min(remaining, 3600.0))[0]:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buf += chunk
            if len(self._buf) > protocol.MAX_LINE and b"\n" not in self._buf:
                return protocol.ProtocolError("message too long")
        line, _, self._buf = self._buf.partition(b"\n")
        try:
            return protocol.decode(line)
        except protocol.ProtocolError as err:
            return err

    def _log_text(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")


@dataclasses.dataclass
class _Pending:
    """A request sent to the worker, and what became of it."""

    job: SnippetJob
    request: RunRequest
    started: float
    alone: bool  # nothing may run beside it (it runs again after a lost worker)
    beside: bool  # another snippet ran at the same time, for some of its run
    result: RunResult | None = None
    changed: list[str] = dataclasses.field(default_factory=list)  # deck files it changed
    conflict: list[str] | None = None  # deck files changed while it ran beside others
    stale: bool = False  # sent ahead for an item that then did not run


def _remove_files(request: RunRequest) -> None:
    for name in (request.stdout_path, request.stderr_path):
        with contextlib.suppress(OSError):
            os.unlink(name)
    shutil.rmtree(request.workdir, ignore_errors=True)


def _describe_worker(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"the snippet worker was killed by {name} while this snippet ran"
    return f"the snippet worker exited with status {returncode} while this snippet ran"
