"""Start-up of the PyInstaller bundle (``dist/ldn-browser``), timed from outside, beside a bare Qt window.

Used by ``benchmarks/run.py``. The bundle starts as a user starts it, with ``LDN_BROWSER_TRACE_STARTUP=quit``
(``ui/app.py``): it prints ``startup: STAGE UNIX-TIME`` as the window reaches each stage (frame painted,
pages painted, search ready), then quits. Times are from just before the launch. Warm runs reuse one
cache folder, cold runs get a new one each.
Reports ``available: False`` with the reason when there is no bundle (``python3 tools/dev.py dist``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "ldn-browser" / ("ldn-browser.exe" if os.name == "nt" else "ldn-browser")
PREFIX = "startup: "
STAGES = ("first_paint", "pages_paint", "search_ready")
TIMEOUT_S = 60.0


def _run(
    cmd: list[str], env: dict[str, str], prefix: str = PREFIX, stages: tuple[str, ...] = STAGES, absolute: bool = True
) -> dict[str, float]:
    """Seconds from launch to each ``PREFIX STAGE VALUE`` line (VALUE: a Unix time, or seconds since launch)."""
    t0 = time.time()
    env = {**env, "LDN_BENCH_T0": f"{t0:.6f}", "LDN_BROWSER_TRACE_STARTUP": "quit"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    watchdog = threading.Timer(TIMEOUT_S, proc.kill)  # e.g. a bundle built before it could trace its start-up
    watchdog.start()
    found: dict[str, float] = {}
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            words = line[len(prefix) :].split()
            if line.startswith(prefix) and len(words) == 2 and words[0] in stages:
                found.setdefault(words[0], float(words[1]) - (t0 if absolute else 0.0))
        proc.wait(TIMEOUT_S)
    finally:
        watchdog.cancel()
    if set(found) != set(stages):
        raise RuntimeError(f"{cmd[0]} reached only {sorted(found)} (exit {proc.returncode})")
    return found


def bench_bundle(runs: int, env_for: Callable[[Path], dict[str, str]], bare_qt: str) -> dict[str, Any]:
    """Median start-up stages of the bundle, warm and cold, with a bare Qt window timed in turn."""
    if not BUNDLE.is_file():
        return {"available": False, "reason": f"no bundle at {BUNDLE.parent} (python3 tools/dev.py dist)"}
    cmd = [str(BUNDLE)]
    bare, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        warm_cache = Path(tmp) / "warm"
        warm_cache.mkdir()
        _run(cmd, env_for(warm_cache))  # prime
        for i in range(runs):
            # the bare window prints seconds since LDN_BENCH_T0 (its launch)
            bare_run = _run([sys.executable, "-c", bare_qt], env_for(warm_cache), "BENCH ", ("first_paint",), False)
            bare.append(bare_run["first_paint"])
            warm.append(_run(cmd, env_for(warm_cache)))
            cold_cache = Path(tmp) / f"cold{i}"
            cold_cache.mkdir()
            cold.append(_run(cmd, env_for(cold_cache)))
    med = statistics.median
    out: dict[str, Any] = {"available": True, "runs": runs, "bare_qt_s": med(bare)}
    for label, rows in (("warm", warm), ("cold", cold)):
        for stage in STAGES:
            out[f"{label}_{stage}_s"] = med(r[stage] for r in rows)
    for label in ("warm", "cold"):
        for stage in ("pages_paint", "search_ready"):
            out[f"{label}_{stage}_ratio"] = out[f"{label}_{stage}_s"] / out["bare_qt_s"]
    return out
