"""``deck verify --portability``: does a snippet print (and draw) the same on another CPU?

Each CPU snippet runs a second time in a worker that imitates an old, plain CPU: OpenBLAS's
Prescott kernels, ATen's default (no AVX) kernels, MKL's conditional-numerical-reproducibility
mode, one thread. A snippet whose printed output differs prints round-off or timings: it would
change the deck on a release machine with another CPU.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys

from generator.model import Verification

PORTABLE_ENV = {
    "OPENBLAS_CORETYPE": "Prescott",
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
FIX = ("to fix it: round the value (print(round(x, 3))), or assert on it and print a stable "
       "conclusion (assert abs(x) < 1e-6; print('about zero'))")
_PROBE = """
import json
import numpy
import threadpoolctl
import torch
blas = [i.get("architecture") for i in threadpoolctl.threadpool_info()
        if i.get("internal_api") == "openblas"]
print(json.dumps({"aten": torch.backends.cpu.get_cpu_capability(),
                  "threads": torch.get_num_threads(), "openblas": blas}))
"""


def _probe(env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, check=False, timeout=600)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["no output"]}
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def check_imitation() -> list[str]:
    """Why the imitated CPU would not take effect here; empty when every setting does."""
    native = _probe(dict(os.environ))
    imitated = _probe({**os.environ, **PORTABLE_ENV})
    problems: list[str] = []
    if "error" in imitated:
        return [f"the imitated CPU's probe failed: {imitated['error']}"]
    if imitated.get("aten") != "DEFAULT":
        problems.append(f"ATEN_CPU_CAPABILITY=default did not take effect (torch uses "
                        f"{imitated.get('aten')})")
    if imitated.get("threads") != 1:
        problems.append(f"OMP_NUM_THREADS=1 did not take effect (torch uses "
                        f"{imitated.get('threads')} threads)")
    blas, native_blas = imitated.get("openblas"), native.get("openblas")
    if blas and blas == native_blas and not {"Prescott", "Katmai"} & set(blas):  # type: ignore[call-overload]
        problems.append(f"OPENBLAS_CORETYPE=Prescott did not take effect (OpenBLAS uses {blas})")
    return problems


def compare(main: Verification, other: Verification) -> str | None:
    """The failure message when ``other`` (the imitated CPU's run) differs from ``main``."""
    if not other.passed:
        reason = other.message.split("\n")[0] or other.status
        return f"fails on another CPU ({reason})\n{FIX}"
    if other.stdout == main.stdout:
        mine = {f.name: f.sha256 for f in main.figures}
        theirs = {f.name: f.sha256 for f in other.figures}
        if mine == theirs:
            return None
        differ = sorted(n for n in set(mine) | set(theirs) if mine.get(n) != theirs.get(n))
        return ("draws CPU-dependent figures: " + ", ".join(differ) + " differ on another CPU\n"
                "to fix it: plot rounded values (np.round(y, 4)), or fewer points")
    diff = difflib.unified_diff(main.stdout.splitlines(), other.stdout.splitlines(),
                                "this CPU", "another CPU", lineterm="", n=0)
    return "prints CPU-dependent output\n" + "\n".join(diff) + "\n" + FIX
