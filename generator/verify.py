"""Running snippets in isolation, the result cache, the GPU ledger, and the build's verify stage.

The pieces, in the order data flows:

- ``SnippetJob``: one (card, snippet, device) with its seed, timeout and content hash.
- ``Supervisor``: owns one ``generator.worker`` process (torch imported once), sends it jobs,
  enforces timeouts and replaces it when a snippet kills it.
- records under ``build/verify/`` (the cache) and the committed ledger ``verified/cuda.json``.
- ``run_pytest``: runs the pytest plugin in a child process and streams its events.
- ``verify_deck``: what ``deck build`` calls; returns ``BuiltCard``s or raises ``SnippetError``.

Nothing here imports torch: a fully cached run never pays for it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import glob
import hashlib
import importlib.util
import json
import logging
import os
import platform
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from generator.config import Config
from generator.errors import SnippetError
from generator.model import DEVICES, BuiltCard, Card, Deck, SnippetRef, SnippetResult, Verification

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
HASH_SCHEMA = 1  # bump when the isolation rules change what a snippet may print
RECORD_DIR = "build/verify"
LEDGER_PATH = "verified/cuda.json"
LIBRARIES = ("torch", "scikit-learn", "numpy")
STARTUP_TIMEOUT = 600.0
VERIFY_HINT = ("run 'deck verify -m cuda' on a machine with a CUDA GPU, then commit "
               f"{LEDGER_PATH}; or build with --allow-unverified-gpu to ship it marked "
               "'not verified on a GPU'")


# --------------------------------------------------------------------------- versions, hashes


@lru_cache(maxsize=1)
def library_versions() -> tuple[tuple[str, str], ...]:
    """Python and library versions, read from package metadata (no import of torch)."""
    found = [("python", platform.python_version())]
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "absent"))
    return tuple(found)


def _key_version(name: str, version: str) -> str:
    # The key must be the same on a CPU CI machine and on the GPU machine that filled the ledger:
    # drop the build tag ("2.13.0+cpu" vs "2.13.0+cu126") and Python's patch level.
    if name == "python":
        return ".".join(version.split(".")[:2])
    return version.split("+")[0]


def content_hash(card: Card, snippet_source: bytes, device: str,
                 versions: Iterable[tuple[str, str]]) -> str:
    """sha256 of what decides a snippet's outcome: its code, the card's front matter, the
    library versions and the device."""
    payload = {
        "schema": HASH_SCHEMA,
        "snippet": hashlib.sha256(snippet_source).hexdigest(),
        "front_matter": card.front_matter_text,
        "versions": {n: _key_version(n, v) for n, v in versions},
        "device": device,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def snippet_seed(card_id: str, snippet: str, device: str) -> int:
    """The seed for ``random``, ``numpy`` and ``torch``: from the snippet's identity alone,
    so results do not depend on run order or on ``-k`` selection."""
    digest = hashlib.sha256(f"{card_id}\0{snippet}\0{device}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def card_key(card: Card) -> str:
    return card.id or card.path


def card_devices(card: Card) -> tuple[str, ...]:
    return tuple(d for d in DEVICES if d in card.requires)


@dataclass(frozen=True)
class SnippetJob:
    """One snippet of one card on one device."""

    root: Path
    card: Card
    ref: SnippetRef
    device: str

    @property
    def card_id(self) -> str:
        return card_key(self.card)

    @property
    def display(self) -> str:
        return self.ref.source_path

    @property
    def path(self) -> Path:
        return self.root / self.ref.source_path

    @property
    def timeout(self) -> float:
        return self.card.timeout if self.card.timeout and self.card.timeout > 0 else DEFAULT_TIMEOUT

    @property
    def seed(self) -> int:
        return snippet_seed(self.card_id, self.display, self.device)

    @property
    def record_name(self) -> str:
        flat = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.ref.path)
        return f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', self.card_id)}--{flat}--{self.device}.json"

    def content_hash(self) -> str:
        return content_hash(self.card, self.path.read_bytes(), self.device, library_versions())


def jobs_for(root: Path, deck: Deck) -> Iterator[SnippetJob]:
    for card in deck.cards:
        for ref in card.snippets:
            for device in card_devices(card):
                yield SnippetJob(root, card, ref, device)


# --------------------------------------------------------------------------- records and ledger


def to_json(v: Verification) -> dict[str, Any]:
    data = dataclasses.asdict(v)
    data["versions"] = dict(v.versions)
    return data


def from_json(data: dict[str, Any]) -> Verification:
    fields = {f.name for f in dataclasses.fields(Verification)}
    values = {k: v for k, v in data.items() if k in fields}
    values["versions"] = tuple(sorted(dict(data.get("versions", {})).items()))
    return Verification(**values)


def _write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    os.replace(tmp, path)


def record_path(job: SnippetJob) -> Path:
    return job.root / RECORD_DIR / job.record_name


def read_record(path: Path) -> Verification | None:
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def write_record(job: SnippetJob, verification: Verification) -> None:
    _write_json_atomic(record_path(job), to_json(verification))


def cached_result(job: SnippetJob, content: str) -> Verification | None:
    """A passed record for exactly this content, from ``build/`` or (cuda) the ledger."""
    record = read_record(record_path(job))
    if record is not None and record.passed and record.content_hash == content:
        return record
    if job.device == "cuda":
        ledger = load_ledger(job.root).get(ledger_key(job.card_id, job.display))
        if ledger is not None and ledger.passed and ledger.content_hash == content:
            return ledger
    return None


def load_verifications(config: Config) -> dict[tuple[str, str, str], Verification]:
    """Every record under ``build/verify/`` and in the ledger, keyed by
    (card id, snippet path, device); read-only, for the build and the renderers.
    A ``build/`` record wins over the ledger when both exist."""
    found: dict[tuple[str, str, str], Verification] = {}
    for v in load_ledger(config.root).values():
        found[(v.card_id, v.snippet, v.device)] = v
    for path in sorted((config.root / RECORD_DIR).glob("*.json")):
        record = read_record(path)
        if record is not None:
            found[(record.card_id, record.snippet, record.device)] = record
    return found


def ledger_key(card_id: str, snippet: str) -> str:
    return f"{card_id}::{snippet}"


def load_ledger(root: Path) -> dict[str, Verification]:
    """The committed GPU ledger: one passing cuda record per (card id, snippet)."""
    path = root / LEDGER_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as err:
        raise SnippetError(f"{LEDGER_PATH} is not valid JSON ({err}); restore it from git",
                           None) from None
    return {key: from_json(value) for key, value in data.get("records", {}).items()}


def record_in_ledger(root: Path, verification: Verification) -> None:
    """Add or replace the ledger entry of a passed cuda run (safe under pytest-xdist)."""
    if verification.device != "cuda" or not verification.passed:
        raise ValueError("only passed cuda verifications go into the ledger")
    path = root / LEDGER_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".cuda.json.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ledger = load_ledger(root)
        key = ledger_key(verification.card_id, verification.snippet)
        if ledger.get(key) == verification:
            return
        ledger[key] = verification
        _write_json_atomic(path, {
            "about": "Passed cuda verifications, written by 'deck verify -m cuda' on a GPU "
                     "machine. A CPU build ships a cuda card only when its content hash is here.",
            "records": {k: to_json(v) for k, v in sorted(ledger.items())},
        })


# --------------------------------------------------------------------------- the worker


def cuda_possible() -> bool:
    """False when CUDA certainly cannot work here, decided without importing torch."""
    torch_version = dict(library_versions()).get("torch", "absent")
    if torch_version == "absent" or torch_version.endswith("+cpu"):
        return False
    if sys.platform == "linux" and not glob.glob("/dev/nvidia[0-9]*"):
        return False
    return sys.platform != "darwin"


def _describe_exit(returncode: int) -> str:
    if returncode >= 0:
        return f"ended the process with os._exit({returncode})"
    sig = -returncode
    name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
    if sig == signal.SIGKILL:
        return "was killed (SIGKILL), most likely for using too much memory"
    if sig == signal.SIGSEGV:
        return "crashed with a segmentation fault (SIGSEGV)"
    return f"was killed by signal {name}"


_TIMEOUT = object()


class Supervisor:
    """Owns one worker (a zygote that imported torch, and its serving child); runs jobs on it.

    A snippet that hangs, crashes or exits kills only the serving child; the zygote forks a
    fresh one from its pristine, already-imported state, so recovery costs a ``fork()``.
    """

    def __init__(self, *, env: dict[str, str] | None = None) -> None:
        self._env = env
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._buf = b""
        self._ready: dict[str, Any] | None = None
        self._serving: dict[str, Any] | None = None
        self._home = tempfile.mkdtemp(prefix="deck-worker-")
        self.restarts = 0

    def start(self) -> None:
        """Spawn the worker (returns at once; it imports in the background)."""
        if self._proc is not None and self._proc.poll() is None:
            return
        self._close_proc()
        env = dict(os.environ if self._env is None else self._env)
        env["PYTHONHASHSEED"] = "0"  # set and dict order in printed output must not vary
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
        if workers > 1 and "OMP_NUM_THREADS" not in env:
            # Several workers each running torch with one thread per core oversubscribe the
            # CPU: measured here, a training snippet ran up to 20x slower with -n 2.
            env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
        for name in ("PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT",
                     "PYTEST_ADDOPTS"):
            env.pop(name, None)
        # Kept open for the worker's lifetime: it is the worker's stderr.
        self._log = tempfile.TemporaryFile(prefix="deck-worker-", suffix=".log")  # noqa: SIM115
        self._buf = b""
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "generator.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
            cwd=self._home, env=env, start_new_session=True,
        )

    def info(self) -> dict[str, Any]:
        """The serving child's hello (``cuda``, ``gpu_name``); starts and waits when needed."""
        if self._proc is None or self._proc.poll() is not None:
            self._close_proc()
            self.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while self._serving is None:
            message = self._read(deadline)
            if not isinstance(message, dict):
                tail = self._log_text(0)[-3000:]
                self._close_proc()
                raise SnippetError(f"the snippet worker failed to start:\n{tail}")
            if message.get("op") == "ready":
                self._ready = message
            elif message.get("op") == "serving":
                self._serving = message
        return self._serving

    def run(self, job: SnippetJob) -> dict[str, Any]:
        """Run one job; the reply always has ``status`` (and ``error`` when failed)."""
        info = self.info()
        assert self._proc is not None and self._proc.stdin is not None
        log_start = self._log_size()
        request = {"op": "run", "path": str(job.path), "display": job.display,
                   "device": job.device, "seed": job.seed, "timeout": job.timeout,
                   "tmp": self._home}  # a killed snippet's folder goes when we close
        started = time.monotonic()
        try:
            self._proc.stdin.write((json.dumps(request) + "\n").encode())
            self._proc.stdin.flush()
        except BrokenPipeError:
            pass
        reply = self._read(started + job.timeout + 0.5)
        if isinstance(reply, dict) and reply.get("op") == "result":
            if reply.get("restart"):
                self._serving = None  # the child exits; the zygote forks a new one
            elif reply["status"] == "passed" and reply["duration"] > job.timeout:
                reply["status"] = "failed"
                reply["error"] = {"summary": f"took {reply['duration']:.1f} s, over its timeout "
                                  f"of {job.timeout:g} s", "traceback": "", "line": None}
            reply["gpu_name"] = info.get("gpu_name")
            return reply
        duration = time.monotonic() - started
        self._serving = None
        self.restarts += 1
        if reply is _TIMEOUT:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(int(info["pid"]), signal.SIGKILL)
            summary = (f"timed out after {job.timeout:g} s (raise 'timeout:' in the card's front "
                       "matter if it really needs longer)")
        elif isinstance(reply, dict) and reply.get("op") == "died":
            summary = _describe_exit(int(reply["returncode"]))
        else:  # the zygote itself is gone
            returncode = self._proc.wait()
            summary = _describe_exit(returncode)
        low_level = _clean_dump(self._log_text(log_start))
        if reply is None:
            self._close_proc()
        return {"status": "failed", "stdout": "", "stderr": low_level, "duration": duration,
                "gpu_name": info.get("gpu_name"),
                "error": {"summary": summary, "traceback": _where(low_level, job.display),
                          "line": None}}

    def close(self) -> None:
        self._close_proc()
        shutil.rmtree(self._home, ignore_errors=True)

    # -- internals

    def _read(self, deadline: float) -> Any:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return _TIMEOUT
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)

    def _log_size(self) -> int:
        return os.fstat(self._log.fileno()).st_size if self._log is not None else 0

    def _log_text(self, start: int) -> str:
        if self._log is None:
            return ""
        size = self._log_size()
        return os.pread(self._log.fileno(), max(0, size - start), start).decode("utf-8", "replace")

    def _close_proc(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None and self._proc.stdin is not None:
                with contextlib.suppress(OSError):
                    self._proc.stdin.close()  # EOF: the child and then the zygote exit
                try:
                    self._proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            for pid in (self._serving or {}).get("pid"), self._proc.pid:
                if pid is not None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(int(pid), signal.SIGKILL)
            self._proc.wait()
            if self._proc.stdout is not None:
                with contextlib.suppress(OSError):
                    self._proc.stdout.close()
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        self._ready = self._serving = None


def _clean_dump(text: str) -> str:
    """A faulthandler dump without the worker's own frames and the extension-module list."""
    return "\n".join(
        line for line in text.splitlines()
        if "generator/worker.py" not in line and "<frozen runpy>" not in line
        and not line.startswith("Extension modules:")
    ).strip("\n") + ("\n" if text.strip() else "")


def _where(low_level: str, display: str) -> str:
    """The snippet lines of a faulthandler dump (printed on a crash or at the timeout)."""
    lines = [ln.strip() for ln in low_level.splitlines() if f'File "{display}"' in ln]
    if not lines:
        return ""
    return "where the snippet was (most recent call first):\n" + "\n".join(
        "  " + ln for ln in dict.fromkeys(lines))


def make_verification(job: SnippetJob, content: str, reply: dict[str, Any]) -> Verification:
    error = reply.get("error") or {}
    message = error.get("summary", "")
    if error.get("traceback"):
        message += "\n" + error["traceback"].rstrip("\n")
    return Verification(
        card_id=job.card_id, snippet=job.display, device=job.device, status=reply["status"],
        stdout=reply.get("stdout", ""), stderr=reply.get("stderr", ""),
        duration=round(float(reply.get("duration", 0.0)), 4),
        versions=tuple(sorted(library_versions())), content_hash=content,
        gpu_name=reply.get("gpu_name") if job.device == "cuda" else None, message=message,
    )


# --------------------------------------------------------------------------- pytest runs


@dataclass
class ItemEvent:
    """One finished item, as the plugin reports it to ``run_pytest``."""

    nodeid: str
    outcome: str  # passed | failed | skipped | cached
    duration: float
    message: str = ""


@dataclass
class RunSummary:
    exitstatus: int = 0
    collected: int = 0
    items: list[ItemEvent] = dataclasses.field(default_factory=list)
    output: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.items if e.outcome == outcome)


def run_pytest(root: Path, args: Iterable[str], *,
               on_event: Callable[[dict[str, Any]], None] | None = None,
               eager: bool = False) -> RunSummary:
    """Run ``python -m pytest`` at the deck root in a child process; stream its events.

    ``eager``: the caller knows some snippet must run, so the worker starts (and imports
    torch) while pytest itself starts, instead of after collection.
    """
    args = list(args)
    read_fd, write_fd = os.pipe()
    # Load only the plugins a deck run needs: autoloading every installed plugin (hypothesis
    # alone) costs more than checking a whole cached deck.
    plugins = ["-p", "generator.plugin"]
    if importlib.util.find_spec("xdist") is not None:  # for -n, here or in the deck's addopts
        plugins += ["-p", "xdist.plugin"]
    command = [sys.executable, "-m", "pytest", f"--rootdir={root}", "-p", "no:cacheprovider",
               *plugins, f"--deck-events-fd={write_fd}", *args]
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    if eager:
        env["DECK_WORKER_EAGER"] = "1"
    summary = RunSummary()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(command, cwd=root, stdout=output, stderr=subprocess.STDOUT,
                                pass_fds=(write_fd,), env=env)
        os.close(write_fd)
        with os.fdopen(read_fd, "r", encoding="utf-8") as events:
            for line in events:
                event = json.loads(line)
                if event["event"] == "collected":
                    summary.collected = event["count"]
                elif event["event"] == "item":
                    summary.items.append(ItemEvent(event["nodeid"], event["outcome"],
                                                   event["duration"], event["message"]))
                if on_event is not None:
                    on_event(event)
        summary.exitstatus = proc.wait()
        output.seek(0)
        summary.output = output.read().decode("utf-8", "replace")
    return summary


# --------------------------------------------------------------------------- the build stage


def verify_deck(config: Config, deck: Deck, *, no_cache: bool = False,
                allow_unverified_gpu: bool = False,
                pytest_args: Iterable[str] = ()) -> list[BuiltCard]:
    """Verify every snippet of ``deck`` (running only what the cache lacks) and return the
    cards with their verified output.

    Raises ``SnippetError`` listing every card that cannot ship: a failed snippet, or a
    ``cuda`` snippet without a ledger record for exactly its content (unless
    ``allow_unverified_gpu``, which returns it with ``verification=None``).
    """
    root = config.root
    jobs = list(jobs_for(root, deck))
    hashes: dict[SnippetJob, str] = {}
    missing: list[str] = []
    for job in jobs:
        try:
            hashes[job] = job.content_hash()
        except OSError:
            missing.append(f"{job.ref.location}: snippet {job.display} cannot be read; "
                           "run 'deck check'")
    if missing:
        raise SnippetError("\n".join(missing))
    to_run = [job for job in jobs if no_cache or cached_result(job, hashes[job]) is None]
    runnable = [j for j in to_run if j.device == "cpu" or cuda_possible()]
    if runnable:
        ids = sorted({f"{j.card.path}::{item_name(j.card, j.ref)}[{j.device}]" for j in runnable})
        extra = ["--no-cache"] if no_cache else []
        summary = run_pytest(root, ["-q", *extra, *pytest_args, *ids], eager=True)
        if summary.exitstatus not in (0, 1) and not summary.items:
            raise SnippetError(f"pytest could not run the snippets (exit status "
                               f"{summary.exitstatus}):\n{summary.output[-3000:]}")
    problems: list[str] = []
    fixes: dict[str, str] = {}
    built: list[BuiltCard] = []
    for card in deck.cards:
        results: list[SnippetResult] = []
        for ref in card.snippets:
            code = (root / ref.source_path).read_text(encoding="utf-8")
            for device in card_devices(card):
                job = SnippetJob(root, card, ref, device)
                content = hashes[job]
                found = cached_result(job, content)
                if found is not None:
                    results.append(SnippetResult(ref, code, found, device))
                    continue
                record = read_record(record_path(job))
                if device == "cuda" and (record is None or record.content_hash != content):
                    if allow_unverified_gpu:
                        results.append(SnippetResult(ref, code, None, device))
                        continue
                    problems.append(f"{ref.location}: snippet {job.display} (cuda) has no GPU "
                                    "verification for its current content")
                    fixes["cuda"] = f"cuda snippets: {VERIFY_HINT}"
                elif record is None or record.content_hash != content:
                    problems.append(f"{ref.location}: snippet {job.display} ({device}) was not "
                                    "run (deselected by the pytest options?)")
                    fixes["run"] = "snippets not run: run 'deck verify'"
                else:
                    reason = record.message.split("\n")[0] or record.status
                    problems.append(f"{ref.location}: snippet {job.display} failed on {device}: "
                                    f"{reason}")
                    fixes["failed"] = ("failed snippets: 'deck verify PATH-OF-CARD' shows the "
                                       "traceback; fix the snippet or the card's claim")
        built.append(BuiltCard(card, card.deck or config.default_subdeck, tuple(results)))
    if problems:
        raise SnippetError(f"{len(problems)} snippet(s) cannot ship:\n" + "\n".join(problems)
                           + "\nto fix them:\n" + "\n".join(f"  {fixes[k]}" for k in sorted(fixes)))
    return built


def item_name(card: Card, ref: SnippetRef) -> str:
    """The item's name without the device: the snippet's file name, or its path under
    ``snippets/`` when the card links two files of the same name."""
    name = PurePosixPath(ref.path).name
    if sum(PurePosixPath(r.path).name == name for r in card.snippets) > 1:
        return ref.path
    return name


# --------------------------------------------------------------------------- deck verify


@dataclass(frozen=True)
class VerifyOptions:
    """What ``deck verify`` passes through to pytest."""

    paths: tuple[str, ...] = ("cards",)
    markexpr: str | None = None
    keyword: str | None = None
    numprocesses: str | None = None
    no_cache: bool = False
    require_cuda: bool = False

    def pytest_args(self) -> list[str]:
        args: list[str] = []
        for flag, value in (("-m", self.markexpr), ("-k", self.keyword),
                            ("-n", self.numprocesses)):
            if value is not None:
                args += [flag, value]
        args += ["--no-cache"] * self.no_cache + ["--require-cuda"] * self.require_cuda
        return args + list(self.paths)


def cached_summary(root: Path, options: VerifyOptions) -> RunSummary | None:
    """The run's outcome without starting pytest, when every selected item is already
    verified (cached) or a cuda item that would be skipped; ``None`` when pytest must run.

    This is what makes a warm ``deck verify`` cost a card parse and a hash per snippet.
    ``-k`` and ``--require-cuda`` always go through pytest, which owns their semantics.
    """
    from generator.errors import CardError
    from generator.parse import read_card

    if options.no_cache or options.keyword is not None or options.require_cuda:
        return None
    markexpr = None
    if options.markexpr:
        from _pytest.mark.expression import Expression  # pytest's own -m grammar

        try:
            markexpr = Expression.compile(options.markexpr)
        except SyntaxError:  # pytest reports it
            return None
    prefixes = []
    for path in options.paths:
        full = (root / path).resolve()
        if not full.exists():
            return None
        prefixes.append(full.relative_to(root).as_posix() if full != root else "")
    card_dir = root / "cards"
    summary = RunSummary()
    # Card by card, so that a cold run gives up at its first uncached snippet.
    for card_path in sorted(card_dir.rglob("*.md")) if card_dir.is_dir() else ():
        rel = card_path.relative_to(root).as_posix()
        if not any(p in ("", rel) or rel.startswith(p + "/") for p in prefixes):
            continue
        try:
            card = read_card(root, card_path)
        except CardError:
            return None  # pytest reports an unparsable card as a failing item
        for ref in card.snippets:
            for device in card_devices(card):
                if markexpr is not None and not markexpr.evaluate(_MarkerMatcher(device)):
                    continue
                job = SnippetJob(root, card, ref, device)
                nodeid = f"{card.path}::{item_name(card, ref)}[{device}]"
                if device == "cuda" and not cuda_possible():
                    summary.items.append(ItemEvent(nodeid, "skipped", 0.0,
                                                   "CUDA not available"))
                    continue
                try:
                    found = cached_result(job, job.content_hash())
                except OSError:
                    return None
                if found is None:
                    return None
                summary.items.append(ItemEvent(nodeid, "cached", found.duration))
    summary.collected = len(summary.items)
    summary.exitstatus = 0 if summary.items else 5
    return summary


class _MarkerMatcher:
    """``-m`` semantics for a snippet item: its only marker is its device."""

    def __init__(self, device: str) -> None:
        self.device = device

    def __call__(self, name: str, /, **kwargs: str | int | bool | None) -> bool:
        return name == self.device


def verify_command(root: Path, options: VerifyOptions, *, quiet: bool = False) -> int:
    """``deck verify``: run the plugin over ``cards/`` with a progress bar and a summary.

    Returns pytest's exit status (0 all passed or cached, 1 some failed, 5 none collected).
    """
    from rich.console import Console

    console = Console(stderr=True)
    started = time.monotonic()
    summary = cached_summary(root, options)
    if summary is None:
        # Unless -k or --require-cuda sent us here, something is known to need running.
        eager = options.keyword is None and not options.require_cuda
        summary = _run_with_progress(root, options, console, quiet, eager)
    elapsed = time.monotonic() - started
    if summary.exitstatus == 5 or (summary.exitstatus == 0 and not summary.items):
        console.print("deck verify: no snippets selected")
        return 0
    if summary.exitstatus not in (0, 1) and not summary.items:
        console.print(summary.output.rstrip(), markup=False, highlight=False)
        return summary.exitstatus
    _print_summary(summary, elapsed, console)
    return summary.exitstatus


def _run_with_progress(root: Path, options: VerifyOptions, console: Any,
                       quiet: bool, eager: bool) -> RunSummary:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("verifying"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"),
                        console=console, transient=True, disable=quiet)
    task = progress.add_task("", total=None)

    def on_event(event: dict[str, Any]) -> None:
        if event["event"] == "collected":
            progress.update(task, total=event["count"])
        elif event["event"] == "item":
            progress.update(task, advance=1, description=event["nodeid"].split("::")[-1])
            if event["outcome"] == "failed":
                progress.console.print(event["message"], markup=False, highlight=False,
                                       soft_wrap=True)
                progress.console.print()

    with progress:
        return run_pytest(root, ["-q", *options.pytest_args()], on_event=on_event,
                          eager=eager)


def _print_summary(summary: RunSummary, elapsed: float, console: Any) -> None:
    from rich.table import Table

    counts = {o: summary.count(o) for o in ("passed", "failed", "skipped", "cached")}
    table = Table(title=f"deck verify: {len(summary.items)} snippet runs in {elapsed:.1f} s",
                  title_justify="left")
    for outcome in counts:
        table.add_column(outcome, justify="right")
    table.add_row(*(str(n) for n in counts.values()))
    console.print(table)
    ran = sorted((e for e in summary.items if e.outcome in ("passed", "failed")),
                 key=lambda e: -e.duration)[:5]
    if ran:
        console.print("slowest:")
        for e in ran:
            console.print(f"  {e.duration:6.2f} s  {e.nodeid}", markup=False, highlight=False,
                          soft_wrap=True)
    skipped = [e for e in summary.items if e.outcome == "skipped"]
    if skipped:
        reasons = sorted({e.message for e in skipped})
        console.print(f"skipped {len(skipped)}: " + "; ".join(reasons), markup=False)
