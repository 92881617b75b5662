"""Side by side under Xvfb: LDN Browser against native peers (Zeal, GoldenDict) and a bare PySide6 window.

Used by ``benchmarks/run.py --peers``. Each launch is timed from just before the process starts to
its window being visible, polled with ``xdotool search --onlyvisible --name TITLE`` (one poll every
few milliseconds, the same for every app). LDN Browser runs through ``benchmarks/app_probe.py`` on the
xcb platform, so the same launch also reports when its pages (the KB's tabs) were painted. Apps run
in turn (LDN, bare, Zeal, GoldenDict, LDN, …), each primed once untimed, medians of ``runs``.

Needs ``Xvfb`` and ``xdotool`` (Debian: ``apt-get install xvfb xdotool zeal goldendict``); a missing
tool or peer is reported by name instead of a figure.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

BARE_QT_HELD = r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setWindowTitle("bare PySide6 window"); w.resize(1200, 800)
w.show()
app.exec()
"""

PEERS = (
    ("Zeal", ["zeal"], "Zeal"),
    ("GoldenDict", ["goldendict"], "GoldenDict"),
)
"""(name, command, window title regex) of each native peer."""

TIMEOUT_S = 30.0


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb server on a free display number above the usual ones (other sessions may hold :0, :1, …)."""
    for number in range(150 + os.getpid() % 50, 260):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        display = f":{number}"
        proc = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline and proc.poll() is None:
            probe = subprocess.run(
                ["xdotool", "getdisplaygeometry"], env={**os.environ, "DISPLAY": display}, capture_output=True
            )
            if probe.returncode == 0:
                return proc, display
            time.sleep(0.05)
        proc.kill()
        proc.wait(5)
    raise RuntimeError("no free display for Xvfb")


def _visible(title: str, env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title], env=env, capture_output=True, text=True
    )
    return bool(found.stdout.strip())


def _stop(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    out = proc.stdout.read() if proc.stdout is not None else ""
    return out


def _launch(cmd: list[str], title: str, env: dict[str, str], *, wait_exit: bool) -> tuple[float, str]:
    """Seconds from launch to a visible window titled *title*; the process's stdout."""
    with tempfile.TemporaryFile("w+") as errors:
        t0 = time.time()
        proc = subprocess.Popen(
            cmd, env={**env, "LDN_BENCH_T0": f"{t0:.6f}"}, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        try:
            while not _visible(title, env):
                if time.time() - t0 > TIMEOUT_S or proc.poll() is not None:
                    errors.seek(0)
                    tail = errors.read()[-1500:]
                    raise RuntimeError(f"{cmd[0]}: no visible window titled {title!r} (exit {proc.poll()})\n{tail}")
                time.sleep(0.002)
            shown = time.time() - t0
            if wait_exit:
                proc.wait(TIMEOUT_S)
        finally:
            out = _stop(proc)
    return shown, out


LAUNCH_ATTEMPTS = 3


def _launch_retrying(cmd: list[str], title: str, env: dict[str, str], *, wait_exit: bool) -> tuple[float, str]:
    """:func:`_launch`, tried up to :data:`LAUNCH_ATTEMPTS` times: now and then a client cannot connect to a busy
    Xvfb (Qt's xcb plugin then aborts, exit -6) and the next launch does; the last failure is raised."""
    for attempt in range(LAUNCH_ATTEMPTS):
        try:
            return _launch(cmd, title, env, wait_exit=wait_exit)
        except RuntimeError:
            if attempt == LAUNCH_ATTEMPTS - 1:
                raise
            time.sleep(0.2)  # let the server finish with the client that failed
    raise AssertionError("unreachable")


def _markers(out: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "BENCH":
            found[parts[1]] = float(parts[2])
    return found


def bench_peers(runs: int = 7) -> dict[str, Any]:
    """Median time to a visible window per app (and LDN Browser's pages painted), alternating launches."""
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing:
        return {"available": False, "reason": f"not installed: {', '.join(missing)} (apt-get install xvfb xdotool)"}
    xvfb, display = _start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            env = {
                **os.environ,
                "DISPLAY": display,
                "QT_QPA_PLATFORM": "xcb",
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache"),
                "XDG_DATA_HOME": str(home / "data"),
                "LDN_BROWSER_CACHE": str(home / "ldn-cache"),
                "QTWEBENGINE_DISABLE_SANDBOX": "1",  # Zeal's web view, when run as root
                "QT_LOGGING_RULES": "default.warning=false",
            }
            apps: list[tuple[str, list[str], str, bool]] = [
                ("LDN Browser", [sys.executable, str(ROOT / "benchmarks" / "app_probe.py"), "startup"], "LDN Browser",
                 True),
                ("bare PySide6", [sys.executable, "-c", BARE_QT_HELD], "bare PySide6 window", False),
            ]
            absent = []
            for name, cmd, title in PEERS:
                if shutil.which(cmd[0]):
                    apps.append((name, cmd, title, False))
                else:
                    absent.append(name)
            times: dict[str, list[float]] = {name: [] for name, *_ in apps}
            failures: dict[str, str] = {}
            pages: list[float] = []
            for round_no in range(runs + 1):  # round 0 primes (first start, caches, config files), untimed
                for name, cmd, title, wait_exit in apps:
                    try:
                        shown, out = _launch_retrying(cmd, title, env, wait_exit=wait_exit)
                    except RuntimeError as e:  # reported per app; the other apps are still measured
                        failures[name] = str(e)[:400]
                        continue
                    if round_no == 0:
                        continue
                    times[name].append(shown)
                    if name == "LDN Browser":
                        pages.append(_markers(out)["pages_paint"])
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    med = statistics.median
    result: dict[str, Any] = {
        "available": bool(pages),
        "reason": "; ".join(f"{k}: {v}" for k, v in failures.items()),
        "runs": runs,
        "window_visible_s": {name: med(v) for name, v in times.items() if v},
        "launches": {name: len(v) for name, v in times.items()},
        "ldn_pages_paint_s": med(pages) if pages else None,
        "missing_peers": absent,
        "failures": failures,
    }
    return result
