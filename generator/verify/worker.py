"""The snippet worker: a zygote that imports once and forks one process per snippet.

Run as ``python -m generator.verify.worker`` by ``supervisor.Supervisor``. Messages
(``protocol``) are JSON lines: requests on stdin, replies on the process's original stdout. The
zygote's own fds 1 and 2 point at a log file the supervisor owns.

- **One process per snippet.** The zygote never runs a snippet. It keeps one *spare* child,
  forked ahead of time while the previous snippet runs; a request goes to the spare, which runs
  the snippet and exits. Nothing a snippet does to its interpreter reaches another snippet.
- **The zygote learns.** A child reports the library modules it imported for the first time;
  the zygote imports them before the next fork, so a heavy import is paid about once per run.
- **Several at once.** Requests may overlap (the supervisor sends the next one ahead): each
  goes to the spare of the moment, and each result is sent as soon as its process is done.
- **Nothing outlives its snippet.** A snippet's process and the zygote are child subreapers:
  orphans of a snippet, ``setsid`` daemons included, stay under its process (then come to the
  zygote when it exits), and the zygote kills every descendant of that snippet before it
  reports the result, keeping only the spare and the snippets still running.
- The zygote never initialises CUDA; a ``cuda`` child does.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import faulthandler
import gc
import importlib
import linecache
import marshal
import os
import random
import resource
import select
import signal
import sys
import sysconfig
import tempfile
import time
import traceback
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from generator.verify import protocol
from generator.verify.protocol import Failure, RunRequest, RunResult

PRELOAD_DEFAULT = "numpy,torch"
GRACE = 0.5  # seconds after the timeout (faulthandler's dump) before the kill
FSIZE_LIMIT = 256 << 20  # no file a snippet writes, its output included, grows past this
_PR_SET_CHILD_SUBREAPER = 36
_MADV_HUGEPAGE, _MADV_COLLAPSE = 14, 25  # include/uapi/asm-generic/mman-common.h
_HUGE = 2 << 20
COLLAPSE_FROM = 32  # snippets in one run before the zygote moves to huge pages
# glibc 2.35+ (ignored elsewhere): malloc asks for transparent huge pages for its heap and its
# mappings, so that most of what the zygote imports lands on 2 MiB pages as it is allocated
# (measured here: 134 of 270 MiB, fork 8.4 -> 4.8 ms) and collapse_memory has little left.
HUGE_MALLOC = "glibc.malloc.hugetlb=1"
COMPILED: dict[tuple[str, str], tuple[bytes, types.CodeType]] = {}  # see precompile()
NEVER_PRELOAD = frozenset({"__main__", "this", "antigravity", "idlelib", "tkinter", "turtle"})
_LIBRARY_DIRS = tuple(
    os.path.realpath(p) + os.sep
    for p in {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    if p
)


def set_subreaper() -> bool:
    """Become a child subreaper (Linux): orphaned descendants are re-parented to us."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def children_of(pid: int) -> set[int]:
    """Direct children of ``pid`` (``/proc/PID/task/*/children``)."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children") as fh:
                found.update(int(c) for c in fh.read().split())
    return found


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    queue = [pid]
    while queue:
        for child in children_of(queue.pop()) - found:
            found.add(child)
            queue.append(child)
    return found


_PF_EXITING = 0x4  # include/linux/sched.h: the task is in do_exit() and runs no user code


def exiting(pid: int) -> bool:
    """True when no thread of ``pid`` can run user code again: each one is dead, a zombie or
    inside the kernel's exit path (``PF_EXITING``), where freeing the address space of a
    process forked from the zygote takes about 10 ms that nobody needs to wait for."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in (b"Z", b"X", b"x") and not int(fields[6]) & _PF_EXITING:
            return False
    return True


def reap(keep: Iterable[int] = ()) -> None:
    """Collect the exit status of every child that has ended, except ``keep``."""
    for pid in children_of(os.getpid()) - set(keep):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def kill_descendants(keep: Iterable[int] = (), *, wait: bool = True) -> None:
    """SIGKILL every descendant of this process except ``keep`` (and theirs), and reap them.

    With ``wait=False`` a process that is already exiting counts as gone: it runs no code any
    more, and ``reap`` collects it later.
    """
    me = os.getpid()
    kept = set(keep)
    for pid in list(kept):
        kept |= descendants(pid)
    for _ in range(200):
        doomed = descendants(me) - kept
        if not wait:
            doomed = {pid for pid in doomed if not exiting(pid)}
        if not doomed:
            return
        for pid in doomed:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for pid in children_of(me) & doomed:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0 if wait else os.WNOHANG)
        time.sleep(0.001)


# --------------------------------------------------------------------------- the snippet's process


def _is_library(module: object) -> bool:
    path = getattr(module, "__file__", None)
    return bool(path) and os.path.realpath(str(path)).startswith(_LIBRARY_DIRS)


def compile_snippet(source: bytes, display: str) -> types.CodeType:
    """Compile with pytest's assertion rewriting, under the snippet's deck-relative name."""
    from _pytest.assertion.rewrite import rewrite_asserts

    tree = ast.parse(source, filename=display)
    rewrite_asserts(tree, source, display, None)
    return compile(tree, display, "exec", dont_inherit=True)


def describe_failure(err: BaseException, display: str, memory_mb: int) -> Failure:
    """The snippet's own frames and the exception, as text."""
    if isinstance(err, SyntaxError) and err.filename == display:
        line = err.lineno or 0
        text = (err.text or "").rstrip("\n")
        pointer = " " * max(0, (err.offset or 1) - 1 - (len(text) - len(text.lstrip())))
        return Failure(f"{display}:{line}: {type(err).__name__}: {err.msg}",
                       f"  {text.strip()}\n  {pointer}^\n", line or None)
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == display]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(err), err)
    if isinstance(err, SystemExit):
        summary = (f"called sys.exit({err.code!r}); a snippet must run to its end "
                   "(check with assert instead of exiting)")
    elif isinstance(err, KeyboardInterrupt):
        summary = "raised KeyboardInterrupt"
    elif isinstance(err, MemoryError):
        summary = (f"ran out of memory (MemoryError): a snippet may use {memory_mb} MiB "
                   "(set DECK_WORKER_MEMORY_MB to change it)")
    elif isinstance(err, AssertionError):
        summary = ("AssertionError: " + str(err)).strip().split("\n")[0]
    else:
        summary = "".join(traceback.format_exception_only(type(err), err)).strip().split("\n")[-1]
    return Failure(summary[:2000], "".join(lines)[-20000:], frames[-1].lineno if frames else None)


def _redirect(path: str, fd: int) -> IO[str]:
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(target, fd)
    os.close(target)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace",
                closefd=False, buffering=1 << 16)


def _limit_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        with open("/proc/self/status") as fh:
            vm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:"))
        limit = (vm_kb // 1024 + memory_mb) << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    resource.setrlimit(resource.RLIMIT_FSIZE,
                       (FSIZE_LIMIT, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def _seed(seed: int) -> None:
    random.seed(seed)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)  # seeds every CUDA device too


def pin_fonts() -> None:
    """Let matplotlib (when loaded) use only the fonts it bundles: a system's own DejaVu or
    another font with a better match would change the glyphs of a figure from one machine
    to the next (docs/card-format.md, "Figures")."""
    fm = sys.modules.get("matplotlib.font_manager")
    manager = getattr(fm, "fontManager", None)
    if fm is None or manager is None or getattr(manager, "_deck_pinned", False):
        return
    import matplotlib

    bundled = os.path.realpath(matplotlib.get_data_path()) + os.sep
    if any(not os.path.realpath(f.fname).startswith(bundled) for f in manager.ttflist):
        manager.ttflist = [f for f in manager.ttflist
                           if os.path.realpath(f.fname).startswith(bundled)]
        manager.afmlist = []
        clear = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
        if clear is not None:
            clear()
    manager._deck_pinned = True  # inherited by every child forked after this


def _cuda() -> tuple[bool, str | None]:
    simulated = os.environ.get("DECK_WORKER_SIMULATED_GPU")
    if simulated:  # the plugin's own tests: a GPU name to report, no CUDA call is made
        return True, simulated
    try:
        import torch

        if torch.cuda.is_available():
            return True, str(torch.cuda.get_device_name(0))
    except Exception:  # noqa: BLE001, S110  (a broken driver reads as "no CUDA")
        pass
    return False, None


def run_snippet(request: RunRequest, before: set[str]) -> RunResult:
    """Run one snippet in this (fresh, forked) process; never raises. ``before``: the names
    in ``sys.modules`` when the process was forked."""
    os.mkdir(request.workdir, 0o700)
    os.chdir(request.workdir)
    for name in ("HOME", "TMPDIR"):
        os.environ[name] = request.workdir
    tempfile.tempdir = request.workdir
    out, err = _redirect(request.stdout_path, 1), _redirect(request.stderr_path, 2)
    sys.stdout, sys.stderr, sys.stdin = out, err, open(os.devnull)  # noqa: SIM115
    gpu_name: str | None = None
    if request.device == "cuda":
        available, gpu_name = _cuda()
        if not available:
            return RunResult(request.id, "skipped", 0.0, Failure("CUDA not available", "", None),
                             None)
    memory_mb = 0 if request.device == "cuda" or os.path.exists("/dev/nvidiactl") \
        else request.memory_mb
    failure: Failure | None = None
    started = time.perf_counter()
    try:
        _limit_memory(memory_mb)
        with open(request.path, "rb") as fh:
            source = fh.read()
        text = source.decode("utf-8", "replace")
        linecache.cache[request.display] = (len(text), None, text.splitlines(True),
                                            request.display)
        ready = COMPILED.get((request.path, request.display))
        code = ready[1] if ready and ready[0] == source else \
            compile_snippet(source, request.display)
        main = types.ModuleType("__main__")
        main.__dict__.update({"__file__": request.path, "__builtins__": __builtins__,
                              "DEVICE": request.device})
        sys.modules["__main__"] = main
        sys.path.insert(0, os.path.dirname(request.path))
        sys.argv[:] = [request.path]
        _seed(request.seed)
        pin_fonts()
        faulthandler.dump_traceback_later(request.timeout, exit=False, file=2)
        exec(code, main.__dict__)  # noqa: S102  (running snippets is the point)
        torch = sys.modules.get("torch")
        if request.device == "cuda" and torch is not None and torch.cuda.is_initialized():
            torch.cuda.synchronize()  # surface asynchronous CUDA errors here
    except BaseException as exc:  # noqa: BLE001  (the snippet's failure, whatever it raised)
        failure = describe_failure(exc, request.display, memory_mb)
    duration = time.perf_counter() - started
    faulthandler.cancel_dump_traceback_later()
    for stream in (out, err):
        with contextlib.suppress(Exception):
            stream.flush()
    learned = tuple(sorted(
        name for name in set(sys.modules) - before
        if name.split(".")[0] not in NEVER_PRELOAD and _is_library(sys.modules.get(name))))
    return RunResult(request.id, "failed" if failure else "passed", duration, failure,
                     gpu_name, learned)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def child_main(request_fd: int, result_fd: int) -> None:
    """The spare's life: wait for one request, run it, write its result, exit."""
    # Done while the previous snippet runs: a forked process's first write to each page it
    # shares with the zygote copies that page (copy-on-write). Listing the modules touches
    # thousands of them, so does compiling; take those copies now, off the clock.
    before = set(sys.modules)
    # Orphans of the snippet's processes (setsid daemons) come to this process, not to the
    # zygote: while other snippets run beside it, what is under it is its own.
    set_subreaper()
    with contextlib.suppress(Exception):
        compile_snippet(b"x = 1\nassert x == 1, x\n", "<warm-up>")
        _seed(0)  # the request's own seed replaces this one
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = os.read(request_fd, 1 << 16)
        if not chunk:
            os._exit(0)  # the zygote dropped this spare
        buf += chunk
    os.close(request_fd)
    message = protocol.decode(buf)
    if not isinstance(message, RunRequest):
        os._exit(2)
    result = run_snippet(message, before)
    _write_all(result_fd, protocol.encode(result))
    os._exit(0)


# --------------------------------------------------------------------------- the zygote


@dataclass
class Child:
    pid: int
    pidfd: int
    request_w: int
    result_r: int

    def close(self) -> None:
        for fd in (self.pidfd, self.request_w, self.result_r):
            with contextlib.suppress(OSError):
                os.close(fd)


def fork_child(keep: tuple[int, ...]) -> Child:
    """Fork a spare that waits for its request. ``keep``: fds the child must not close."""
    request_r, request_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            for fd in map(int, os.listdir("/proc/self/fd")):
                if fd > 2 and fd not in (request_r, result_w, *keep):
                    with contextlib.suppress(OSError):
                        os.close(fd)
            child_main(request_r, result_w)
        finally:
            os._exit(70)
    os.close(request_r)
    os.close(result_w)
    return Child(pid, os.pidfd_open(pid), request_w, result_r)


def describe_exit(returncode: int) -> str:
    if returncode >= 0:
        return f"ended the process with os._exit({returncode})"
    sig = -returncode
    if sig == signal.SIGKILL:
        return "was killed (SIGKILL), most likely for using too much memory"
    if sig == signal.SIGSEGV:
        return "crashed with a segmentation fault (SIGSEGV)"
    try:
        return f"was killed by signal {signal.Signals(sig).name}"
    except ValueError:
        return f"was killed by signal {sig}"


def _exits_next(child: Child, patience: float = 1.0) -> bool:
    """After its result: True once ``child`` is in its exit path (it calls ``os._exit``
    right after writing the result); False if it still runs code after ``patience`` s."""
    deadline, pause = time.monotonic() + patience, 0.00005
    while not exiting(child.pid):
        if time.monotonic() > deadline:
            return False
        select.select([child.pidfd], [], [], pause)
        pause = min(pause * 2, 0.001)
    return True


@dataclass
class Running:
    """A snippet's process at work on ``request``, and what it wrote of its result so far.

    A child exits right after writing its result. Once the result is complete and the child
    is exiting, it is final: the child is not waited for (``reap`` collects it later).
    """

    child: Child
    request: RunRequest
    deadline: float  # the timeout, and the grace of faulthandler's dump
    buf: bytes = b""
    result_open: bool = True

    def fds(self) -> list[int]:
        return [self.child.result_r, self.child.pidfd] if self.result_open \
            else [self.child.pidfd]

    def step(self, ready: list[int]) -> RunResult | None:
        """Take in what ``select`` reported; the result once the child is done."""
        if self.result_open and self.child.result_r in ready:
            chunk = os.read(self.child.result_r, 1 << 16)
            if chunk and len(self.buf) <= protocol.MAX_LINE:
                self.buf += chunk
                if self.buf.endswith(b"\n") and _exits_next(self.child):
                    return self.outcome(0)  # the whole result came, and the child is exiting
            elif not chunk:
                self.result_open = False
        if self.child.pidfd in ready:
            return self.outcome(os.waitstatus_to_exitcode(os.waitpid(self.child.pid, 0)[1]))
        if time.monotonic() >= self.deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child.pid, signal.SIGKILL)
            os.waitpid(self.child.pid, 0)
            return self.outcome(None)
        return None

    def outcome(self, status: int | None) -> RunResult:
        """The result, once the child is exiting (``status`` 0), has exited (its status) or
        was killed at its timeout (``None``)."""
        request = self.request
        os.set_blocking(self.child.result_r, False)
        with contextlib.suppress(OSError):
            while chunk := os.read(self.child.result_r, 1 << 16):
                self.buf += chunk
                if len(self.buf) > protocol.MAX_LINE:
                    break
        if status is None:
            return RunResult(request.id, "failed", request.timeout, Failure(
                f"timed out after {request.timeout:g} s (raise 'timeout:' in the card's front "
                "matter if it really needs longer)", "", None), None)
        if not self.buf:
            return RunResult(request.id, "failed", 0.0,
                             Failure(describe_exit(status), "", None), None)
        try:
            result = protocol.decode(self.buf)
        except protocol.ProtocolError as err:
            result = None
            why = str(err)
        else:
            why = "not a result for this request"
        if isinstance(result, RunResult) and result.id == request.id and status == 0:
            return result
        return RunResult(request.id, "failed", 0.0, Failure(
            f"its process sent a malformed result ({why[:200]}); a snippet must not write to "
            "the runner's channels", "", None), None)


def learn(names: Iterable[str]) -> bool:
    """Import in the zygote what a child imported first; True when something new came in."""
    new = False
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
                new = True
            except BaseException:  # noqa: BLE001, S112  (the child had it; we do without)
                continue
    return new


def precompile(message: protocol.Precompile) -> None:
    """Compile the snippets about to run ahead of their requests; a child still compiles
    one whose bytes changed since (or that does not compile: it reports the error)."""
    if message.code_file:
        try:
            with open(message.code_file, "rb") as fh:
                compiled = marshal.load(fh)
            os.unlink(message.code_file)  # read once: no snippet can plant code in it later
        except (OSError, EOFError, ValueError, TypeError):
            compiled = None
        if isinstance(compiled, list):
            for entry in compiled:
                with contextlib.suppress(TypeError, ValueError):
                    path, display, source, code = entry
                    if isinstance(source, bytes) and isinstance(code, types.CodeType):
                        COMPILED[(str(path), str(display))] = (source, code)
            return
    for path, display in zip(message.paths, message.displays, strict=False):
        with contextlib.suppress(Exception):
            with open(path, "rb") as source:
                data = source.read()
            COMPILED[(path, display)] = (data, compile_snippet(data, display))


def warm_up() -> None:
    """Import what every snippet needs (``DECK_WORKER_PRELOAD``, default numpy and torch)."""
    import _pytest.assertion.rewrite  # noqa: F401  (compiles every snippet)

    for name in os.environ.get("DECK_WORKER_PRELOAD", PRELOAD_DEFAULT).split(","):
        if name.strip() and name.split(".")[0] not in NEVER_PRELOAD:
            with contextlib.suppress(Exception):
                importlib.import_module(name.strip())
    with contextlib.suppress(Exception):
        pin_fonts()
    with contextlib.suppress(Exception):
        _seed(0)  # the first torch.manual_seed() sets itself up (about 2 ms), once here
    started, threads = time.perf_counter(), _threads()
    warm_libraries()
    print(f"worker: warmed the libraries up in {time.perf_counter() - started:.2f} s"
          + ("" if _threads() == threads else
             f" (WARNING: {_threads() - threads} threads started, a child may hang)"),
          file=sys.stderr, flush=True)
    freeze()


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def warm_libraries() -> None:
    """Do once, in the zygote, the first-use set-up of torch and scikit-learn that every child
    would otherwise repeat: kernel and dispatch caches of common layers, losses and optimizer
    steps; the plug-in scan of scikit-learn's first fit. On one thread, so that no thread pool
    exists when the zygote forks: GNU OpenMP hangs a child whose parent had started one. No
    snippet sees a difference (each reseeds; shapes and results do not depend on it)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with contextlib.suppress(Exception):
                _warm_torch(torch)
        finally:
            torch.set_num_threads(threads)
    if "sklearn.linear_model" in sys.modules or "sklearn.preprocessing" in sys.modules:
        with contextlib.suppress(Exception):
            from threadpoolctl import threadpool_limits

            with threadpool_limits(1):
                _warm_sklearn()


def _warm_torch(torch: types.ModuleType) -> None:
    nn, functional = torch.nn, torch.nn.functional
    x = torch.randn(8, 4, requires_grad=True)
    layer = nn.Linear(4, 3)
    for optimizer in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):
        step = optimizer(layer.parameters(), lr=0.1)
        functional.cross_entropy(layer(x).relu(), torch.tensor([0, 1, 2, 0] * 2)).backward()
        step.step()
        step.zero_grad()
    image = torch.randn(2, 3, 8, 8)
    nn.BatchNorm2d(4)(nn.Conv2d(3, 4, 3, padding=1)(image)).sum().backward()
    nn.LayerNorm(4)(x).softmax(-1).sum().backward()
    q = torch.randn(1, 2, 4, 8)
    functional.scaled_dot_product_attention(q, q, q, is_causal=True)
    nn.Embedding(5, 4)(torch.tensor([1, 2]))
    nn.Dropout(0.1)(x)
    repr(torch.randn(2, 2))
    torch.linalg.lstsq(torch.randn(4, 2), torch.randn(4, 1))
    with torch.no_grad():
        layer(x).numpy()


def _warm_sklearn() -> None:
    import numpy as np

    features = np.random.RandomState(0).rand(20, 3)
    labels = (features[:, 0] > 0.5).astype(int)
    if "sklearn.preprocessing" in sys.modules:
        from sklearn.preprocessing import StandardScaler

        features = StandardScaler().fit_transform(features)
    if "sklearn.linear_model" in sys.modules:
        from sklearn.linear_model import LogisticRegression

        LogisticRegression().fit(features, labels).score(features, labels)


def collapse_memory() -> int:
    """Put the zygote's anonymous memory on 2 MiB pages (Linux 6.1+, ``MADV_COLLAPSE``); the
    MiB moved, 0 where unsupported.

    ``fork`` copies one page-table entry per 4 KiB page the zygote holds and a child's exit
    drops them all again: with torch and scikit-learn loaded, about 70,000 pages. A 2 MiB page
    is one entry (measured here: fork 8 -> 4 ms). Most of the memory is already on huge pages
    when this runs (``HUGE_MALLOC``); moving the rest costs about 0.1 s, once (0.45 s without).
    Pages shared with a child cannot be moved, so this runs while the zygote has none.
    """
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
        madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        with open("/proc/self/maps") as fh:
            maps = fh.read().splitlines()
    except (OSError, AttributeError):
        return 0
    moved = 0
    for line in maps:  # address perms offset dev inode [path]
        fields = line.split()
        if len(fields) < 5 or fields[1][:2] != "rw" or fields[1][3:] != "p" or \
                fields[5:] not in ([], ["[heap]"]):
            continue
        low, high = (int(part, 16) for part in fields[0].split("-"))
        low, high = -(-low // _HUGE) * _HUGE, high // _HUGE * _HUGE
        if high > low:
            madvise(low, high - low, _MADV_HUGEPAGE)
            if madvise(low, high - low, _MADV_COLLAPSE) == 0:
                moved += high - low
    return moved >> 20


def freeze() -> None:
    """Move every object the zygote holds out of the garbage collector's sight: a child's
    collections then never walk (and so never copy) the zygote's pages. No collection first
    (as the gc module's documentation advises): with torch loaded it took 0.18 s, on the
    critical path, to free a little memory."""
    gc.freeze()


def refork(spare: Child, keep: tuple[int, ...], *, huge: bool,
           running: Iterable[int] = ()) -> Child:
    """Drop ``spare`` (forked before the zygote changed) and fork one that inherits the
    zygote as it is now: its objects frozen, its memory on huge pages when ``huge`` (and no
    snippet is running, whose process would share the pages)."""
    spare.close()
    kill_descendants(keep=running)
    freeze()
    if huge and not running:
        started = time.perf_counter()
        moved = collapse_memory()
        print(f"worker: {moved} MiB more on huge pages in {time.perf_counter() - started:.2f} s",
              file=sys.stderr, flush=True)
    return fork_child(keep)


def serve(requests: int, replies: IO[bytes], keep: tuple[int, ...]) -> None:
    """Answer requests until ``Shutdown``: each one goes to the spare, which runs it while a
    new spare is forked; several snippets may run at once (the supervisor decides how many),
    and each result is sent as soon as its process is done, whatever the order."""
    huge = False  # a run long enough for huge pages: keep the zygote on them after learning
    spare = fork_child(keep)
    running: dict[int, Running] = {}  # by the child's pid
    pending = b""
    try:
        while True:
            watched = [requests] + [fd for run in running.values() for fd in run.fds()]
            wait = max(0.0, min(run.deadline for run in running.values()) - time.monotonic()) \
                if running else None
            ready = select.select(watched, [], [], wait)[0]
            for pid, run in list(running.items()):
                result = run.step(ready)
                if result is None:
                    continue
                del running[pid]
                run.child.close()
                others = tuple(running)
                kill_descendants(keep=(spare.pid, *others), wait=False)
                replies.write(protocol.encode(result))
                replies.flush()
                reap(keep=(spare.pid, *others))
                started = time.perf_counter()
                if learn(result.imported):
                    print(f"worker: learned {len(result.imported)} modules from "
                          f"{run.request.display} in {time.perf_counter() - started:.2f} s",
                          file=sys.stderr, flush=True)
                    with contextlib.suppress(Exception):
                        pin_fonts()
                    spare = refork(spare, keep, huge=huge, running=others)
            if requests not in ready:
                continue
            chunk = os.read(requests, 1 << 16)
            if not chunk:
                return  # the supervisor is gone
            pending += chunk
            while b"\n" in pending:
                line, _, pending = pending.partition(b"\n")
                message = protocol.decode(line)
                if isinstance(message, protocol.Shutdown):
                    return
                if isinstance(message, protocol.Precompile):
                    precompile(message)
                    huge = len(message.paths) >= COLLAPSE_FROM
                    spare = refork(spare, keep, huge=huge, running=tuple(running))
                    continue  # the new spare holds the compiled snippets
                if not isinstance(message, RunRequest):
                    raise protocol.ProtocolError(f"unexpected {type(message).__name__}")
                current = spare
                _write_all(current.request_w, protocol.encode(message))
                # The next fork overlaps this snippet, not the next one's start.
                spare = fork_child(keep)
                running[current.pid] = Running(
                    current, message, time.monotonic() + message.timeout + GRACE)
    finally:
        spare.close()
        for run in running.values():
            run.child.close()
        kill_descendants()


def main() -> int:
    if os.environ.get("GLIBC_TUNABLES") == HUGE_MALLOC:
        del os.environ["GLIBC_TUNABLES"]  # read at start-up; not the snippets' environment
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    requests = os.dup(0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # a snippet reading stdin must not eat requests
    os.dup2(2, 1)  # stray low-level stdout goes to the supervisor's log
    faulthandler.enable(file=2, all_threads=False)
    set_subreaper()
    warm_up()
    replies.write(protocol.encode(protocol.Ready(os.getpid())))
    try:
        serve(requests, replies, keep=())
    except protocol.ProtocolError as err:
        print(f"worker: {err}", file=sys.stderr)
        kill_descendants()
        return 3
    return 0


if __name__ == "__main__":
    status = main()
    sys.stderr.flush()
    # Not sys.exit: finalising torch's and scikit-learn's modules takes about a second here,
    # and the supervisor waits for this process to end.
    os._exit(status)
