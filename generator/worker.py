"""The snippet worker: a long-lived process that imports torch once and runs snippets on request.

Run as ``python -m generator.worker``; it is started and supervised by ``generator.verify``.
Requests and replies are JSON lines: requests on stdin, replies on the process's original
stdout. The worker's file descriptors 1 and 2 point at a log file the supervisor owns, so output
written below Python (C++ warnings, faulthandler dumps on a crash or a hang) lands there.

Around each snippet the worker restores a baseline taken once after warm-up: the torch, numpy,
scikit-learn and interpreter state listed in ``_Baseline``. What it cannot undo (a crash, a
hang, an ``os._exit``, memory exhaustion) ends the process, and the supervisor replaces it.
"""

from __future__ import annotations

import ast
import builtins
import faulthandler
import io
import json
import linecache
import logging
import os
import random
import resource
import shutil
import signal
import socket
import sys
import sysconfig
import tempfile
import time
import traceback
import types
import warnings
from typing import IO, Any, cast

PROTOCOL = 1
_MEMORY_BUDGET_MB = 0  # set by _memory_limit()
EXIT_SHUTDOWN, EXIT_RESTART = 86, 85  # the serving child's own exit codes
_SIGNALS = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGUSR1, signal.SIGUSR2)
)
_LIBRARY_DIRS = tuple(
    os.path.realpath(p) + os.sep
    for p in {sysconfig.get_path(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    if p
)


def _is_library_module(module: object) -> bool:
    """True for modules from the standard library or site-packages (kept between snippets)."""
    path = getattr(module, "__file__", None)
    if not path:
        return True  # built-in or namespace package
    return bool(os.path.realpath(path).startswith(_LIBRARY_DIRS))


PRELOAD_DEFAULT = "numpy,torch"


def warm_up() -> None:
    """Import what every snippet needs once, so that snippets do not pay for it.

    Only the imports (``DECK_WORKER_PRELOAD``, default numpy and torch): anything else
    (scikit-learn, whose import pulls in SciPy; torch.optim's first ``step``, which imports
    torch._dynamo) is paid by the first snippet that uses it and then stays loaded, because
    library modules are kept between snippets.
    """
    import _pytest.assertion.rewrite  # noqa: F401  (used to compile every snippet)

    for name in os.environ.get("DECK_WORKER_PRELOAD", PRELOAD_DEFAULT).split(","):
        if name.strip():
            try:
                __import__(name.strip())
            except ImportError:
                pass


def cuda_info() -> tuple[bool, str | None]:
    torch = sys.modules.get("torch")
    if torch is None:
        return False, None
    try:
        if torch.cuda.is_available():
            return True, str(torch.cuda.get_device_name(0))
    except Exception:  # noqa: BLE001, S110  (a broken driver reads as "no CUDA")
        pass
    return False, None


class _Baseline:
    """Global state taken once after warm-up and put back after every snippet."""

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.argv = list(sys.argv)
        self.modules = set(sys.modules)
        self.main = sys.modules.get("__main__")
        self.environ = dict(os.environ)
        self.builtins = dict(builtins.__dict__)
        self.filters = list(warnings.filters)
        self.showwarning = warnings.showwarning
        self.recursion = sys.getrecursionlimit()
        self.int_digits = sys.get_int_max_str_digits()
        self.excepthook, self.displayhook = sys.excepthook, sys.displayhook
        self.umask = os.umask(0o022)
        os.umask(self.umask)
        self.socket_timeout = socket.getdefaulttimeout()
        self.signals = {s: signal.getsignal(s) for s in _SIGNALS}
        root = logging.getLogger()
        self.log_level, self.log_handlers = root.level, list(root.handlers)
        self.log_disable = logging.root.manager.disable
        self.numpy: dict[str, Any] = {}
        self.torch: dict[str, Any] = {}
        np = sys.modules.get("numpy")
        if np is not None:
            self.numpy = {"print": np.get_printoptions(), "err": np.geterr()}
        torch = sys.modules.get("torch")
        if torch is not None:
            from torch._tensor_str import PRINT_OPTS

            self.torch = {
                "dtype": torch.get_default_dtype(),
                "grad": torch.is_grad_enabled(),
                "threads": torch.get_num_threads(),
                "deterministic": torch.are_deterministic_algorithms_enabled(),
                "warn_only": torch.is_deterministic_algorithms_warn_only_enabled(),
                "anomaly": (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()),
                "print": dict(vars(PRINT_OPTS)),
                "matmul_precision": torch.get_float32_matmul_precision(),
                "device": torch.get_default_device(),
                "cudnn": (torch.backends.cudnn.enabled, torch.backends.cudnn.benchmark,
                          torch.backends.cudnn.deterministic, torch.backends.cudnn.allow_tf32),
                "cuda_tf32": torch.backends.cuda.matmul.allow_tf32,
            }

    def restore(self) -> None:
        os.chdir(self.cwd)
        sys.path[:] = self.path
        sys.argv[:] = self.argv
        for name in set(sys.modules) - self.modules:
            if _is_library_module(sys.modules[name]):
                self.modules.add(name)  # library code stays imported for the next snippets
            else:
                del sys.modules[name]
        if self.main is not None:
            sys.modules["__main__"] = self.main
        if os.environ != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        if builtins.__dict__ != self.builtins:
            builtins.__dict__.clear()
            builtins.__dict__.update(self.builtins)
        cast(list[Any], warnings.filters)[:] = self.filters
        warnings.showwarning = self.showwarning
        warnings._filters_mutated()  # type: ignore[attr-defined]  # forget "once" registries
        sys.setrecursionlimit(self.recursion)
        sys.set_int_max_str_digits(self.int_digits)
        sys.excepthook, sys.displayhook = self.excepthook, self.displayhook
        sys.settrace(None)
        sys.setprofile(None)
        os.umask(self.umask)
        socket.setdefaulttimeout(self.socket_timeout)
        signal.alarm(0)
        for sig, handler in self.signals.items():
            if signal.getsignal(sig) is not handler and handler is not None:
                signal.signal(sig, handler)
        root = logging.getLogger()
        root.setLevel(self.log_level)
        root.handlers[:] = self.log_handlers
        logging.disable(self.log_disable)
        np = sys.modules.get("numpy")
        if np is not None and not self.numpy:
            raise RuntimeError("numpy was imported by a snippet; the worker restarts")
        if self.numpy and np is not None:
            np.set_printoptions(**self.numpy["print"])
            np.seterr(**self.numpy["err"])
        torch = sys.modules.get("torch")
        if torch is not None and not self.torch:
            # Not preloaded (DECK_WORKER_PRELOAD), so no baseline to return to: the serving
            # child exits and the zygote forks a fresh one.
            raise RuntimeError("torch was imported by a snippet; the worker restarts")
        if self.torch and torch is not None:
            from torch._tensor_str import PRINT_OPTS

            # Set only what changed: some setters are slow on first use
            # (use_deterministic_algorithms imports torch._dynamo) or not neutral
            # (set_default_device installs a mode that every later op goes through).
            t = self.torch
            if torch.get_default_dtype() != t["dtype"]:
                torch.set_default_dtype(t["dtype"])
            if torch.is_grad_enabled() != t["grad"]:
                torch.set_grad_enabled(t["grad"])
            if torch.get_num_threads() != t["threads"]:
                torch.set_num_threads(t["threads"])
            if (torch.are_deterministic_algorithms_enabled(),
                    torch.is_deterministic_algorithms_warn_only_enabled()) != (
                    t["deterministic"], t["warn_only"]):
                torch.use_deterministic_algorithms(t["deterministic"], warn_only=t["warn_only"])
            if (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()) != t["anomaly"]:
                torch.autograd.set_detect_anomaly(*t["anomaly"])
            if vars(PRINT_OPTS) != t["print"]:
                vars(PRINT_OPTS).update(t["print"])
            if torch.get_float32_matmul_precision() != t["matmul_precision"]:
                torch.set_float32_matmul_precision(t["matmul_precision"])
            if torch.get_default_device() != t["device"]:
                torch.set_default_device(None if t["device"].type == "cpu" else t["device"])
            cudnn = torch.backends.cudnn
            (cudnn.enabled, cudnn.benchmark, cudnn.deterministic, cudnn.allow_tf32) = t["cudnn"]
            torch.backends.cuda.matmul.allow_tf32 = t["cuda_tf32"]
        sk, sk_config = sys.modules.get("sklearn"), sys.modules.get("sklearn._config")
        # set_config() changes a thread-local copy; the module-level dict keeps the defaults.
        defaults = getattr(sk_config, "_global_config", None)
        if sk is not None and isinstance(defaults, dict) and sk.get_config() != defaults:
            sk.set_config(**defaults)


def reset_cuda() -> None:
    """After a cuda snippet: free what it left in torch's caching allocator and reset the peak
    statistics (a snippet printing memory statistics prints the same thing every time), and
    make device 0 current again."""
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_initialized():
        return
    import gc

    gc.collect()
    torch.cuda.synchronize()
    if torch.cuda.current_device() != 0:
        torch.cuda.set_device(0)
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)  # seeds every CUDA device too


def compile_snippet(source: bytes, display: str) -> types.CodeType:
    """Compile with pytest's assertion rewriting, under the snippet's deck-relative name."""
    from _pytest.assertion.rewrite import rewrite_asserts

    tree = ast.parse(source, filename=display)
    rewrite_asserts(tree, source, display, None)
    return compile(tree, display, "exec", dont_inherit=True)


def format_failure(err: BaseException, display: str) -> dict[str, Any]:
    """The snippet's own frames and the exception, as text."""
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
        summary = (f"ran out of memory (MemoryError): a snippet may use {_MEMORY_BUDGET_MB} MiB "
                   "(set DECK_WORKER_MEMORY_MB to change it)")
    elif isinstance(err, AssertionError):
        summary = ("AssertionError: " + str(err)).strip().split("\n")[0]
    else:
        summary = "".join(traceback.format_exception_only(type(err), err)).strip().split("\n")[-1]
    line = frames[-1].lineno if frames else None
    return {"summary": summary, "traceback": "".join(lines), "line": line,
            "type": type(err).__name__}


def run_snippet(request: dict[str, Any], baseline: _Baseline, log_fd: int) -> dict[str, Any]:
    """Run one snippet in a fresh ``__main__`` and a fresh folder; never raises."""
    display, path = request["display"], request["path"]
    out, err = io.StringIO(), io.StringIO()
    workdir = tempfile.mkdtemp(prefix="deck-snippet-", dir=request.get("tmp"))
    log_start = os.lseek(log_fd, 0, os.SEEK_END)
    reply: dict[str, Any] = {"status": "passed", "error": None}
    started = time.perf_counter()
    try:
        with open(path, "rb") as fh:
            source = fh.read()
        text = source.decode("utf-8", "replace")
        linecache.cache[display] = (len(text), None, text.splitlines(True), display)
        code = compile_snippet(source, display)
        main = types.ModuleType("__main__")
        main.__dict__.update({"__file__": path, "__builtins__": builtins,
                              "DEVICE": request["device"]})
        sys.modules["__main__"] = main
        sys.path.insert(0, os.path.dirname(path))
        sys.argv[:] = [path]
        os.chdir(workdir)
        seed_everything(int(request["seed"]))
        faulthandler.dump_traceback_later(float(request["timeout"]), exit=False)
        sys.stdout, sys.stderr, sys.stdin = out, err, open(os.devnull)  # noqa: SIM115
        try:
            exec(code, main.__dict__)  # noqa: S102  (running snippets is the point)
        finally:
            sys.stdin.close()
            sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
            faulthandler.cancel_dump_traceback_later()
    except BaseException as exc:  # noqa: BLE001  (the snippet's failure, whatever it raised)
        reply["status"] = "failed"
        reply["error"] = format_failure(exc, display)
        if isinstance(exc, MemoryError):
            reply["restart"] = True
        exc.__traceback__ = None
    reply["duration"] = time.perf_counter() - started
    main_dict = sys.modules["__main__"].__dict__
    try:
        baseline.restore()
        main_dict.clear()
        if request["device"] == "cuda":
            reset_cuda()
    except Exception as exc:  # noqa: BLE001  (the worker cannot vouch for itself any more)
        reply["restart"] = True
        reply["restore_error"] = repr(exc)
    main_dict.clear()
    shutil.rmtree(workdir, ignore_errors=True)
    log_end = os.lseek(log_fd, 0, os.SEEK_END)
    low_level = os.pread(log_fd, max(0, log_end - log_start), log_start).decode("utf-8", "replace")
    reply["stdout"] = out.getvalue()
    reply["stderr"] = err.getvalue() + low_level
    return reply


def _memory_limit() -> None:
    """Cap the address space so that a runaway allocation fails inside the worker.

    Not under CUDA, whose driver reserves far more virtual memory than it uses.
    """
    budget_mb = int(os.environ.get("DECK_WORKER_MEMORY_MB", "0") or 0)
    if budget_mb < 0 or os.path.exists("/dev/nvidiactl"):
        return
    if budget_mb == 0:
        with open("/proc/meminfo") as fh:
            total_kb = int(fh.readline().split()[1])
        budget_mb = int(total_kb * 0.75 / 1024)
    with open("/proc/self/status") as fh:
        vm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmSize:"))
    global _MEMORY_BUDGET_MB
    _MEMORY_BUDGET_MB = budget_mb
    limit = (vm_kb // 1024 + budget_mb) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def serve(proto: IO[str], requests: IO[str], log_fd: int) -> int:
    """The serving child: run requests until told to stop; return the exit code."""
    os.setpgid(0, 0)  # the supervisor kills this group on a timeout (with any subprocesses)
    cuda, gpu_name = cuda_info()
    try:
        _memory_limit()
    except (OSError, ValueError, StopIteration):
        pass
    baseline = _Baseline()
    _send(proto, {"op": "serving", "pid": os.getpid(), "cuda": cuda, "gpu_name": gpu_name})
    for line in requests:
        request = json.loads(line)
        if request.get("op") != "run":
            break
        reply = run_snippet(request, baseline, log_fd)
        reply["op"] = "result"
        _send(proto, reply)
        if reply.get("restart"):
            return EXIT_RESTART
    return EXIT_SHUTDOWN


def _send(proto: IO[str], message: dict[str, Any]) -> None:
    proto.write(json.dumps(message) + "\n")
    proto.flush()


def main() -> int:
    """The zygote: import once, then fork a serving child, and a new one whenever it dies.

    Replacing a crashed child costs one ``fork()`` (tens of milliseconds), not a new torch
    import. The zygote itself never runs a snippet, so every child starts from the same state.
    """
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # a snippet reading stdin must not eat requests
    os.dup2(2, 1)  # stray low-level stdout goes to the supervisor's log
    log_fd = os.open("/proc/self/fd/2", os.O_RDONLY)
    faulthandler.enable(file=2, all_threads=False)
    started = time.perf_counter()
    warm_up()
    _send(proto, {"op": "ready", "protocol": PROTOCOL, "pid": os.getpid(),
                  "startup": time.perf_counter() - started})
    while True:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = serve(proto, requests, log_fd)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == EXIT_SHUTDOWN:
            return 0
        if code != EXIT_RESTART:
            _send(proto, {"op": "died", "pid": pid, "returncode": code})


if __name__ == "__main__":
    sys.exit(main())
