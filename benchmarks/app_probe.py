"""Benchmark probe: runs the real app through ``ui.app.run(on_window=…)`` and reports timings.

``python benchmarks/app_probe.py startup|memory`` (see benchmarks/run.py).

Prints ``BENCH <name> <value>`` lines on stdout:

* ``first_paint``, ``pages_paint`` and ``search_ready``: seconds since ``LDN_BENCH_T0`` (the
  launcher's clock just before it started this process) to the window's first paint (the frame,
  saying the knowledge base is being opened), to the first paint of the tabs (the knowledge base
  shown) and to the search index being ready; then quits (mode ``startup``);
* ``rss_startup_mb`` and ``rss_searches_mb``: peak RSS after start-up and after 100 searches run
  through the main window's own search path (mode ``memory``).
"""

from __future__ import annotations

import os
import resource
import sys
import time

from PySide6.QtWidgets import QApplication

from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.self_check import StartupWatcher

QUERIES = (
    "c",
    "cr",
    "cro",
    "croh",
    "crohn",
    "fibromyalga",
    "RA",
    "vivid dreams",
    "oxycodone",
    "sjogren",
    "pregnancy",
    "titration",
    "Smith 2011",
    "lupus",
)


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def _emit(name: str, value: float) -> None:
    print(f"BENCH {name} {value:.6f}", flush=True)


def _finish(window: MainWindow, app: QApplication, mode: str) -> None:
    if mode == "memory":
        _emit("rss_startup_mb", _peak_rss_mb())
        for i in range(100):
            window.search_field.setText(QUERIES[i % len(QUERIES)])
            window.search.run()  # the same call the debounce timer makes
        _emit("rss_searches_mb", _peak_rss_mb())
    app.quit()


def install(window: MainWindow, app: QApplication, mode: str) -> None:
    """Attach the probe to *window* (modes: ``startup``, ``memory``): the app's own start-up watcher, timed."""
    t0 = float(os.environ.get("LDN_BENCH_T0") or time.time())
    StartupWatcher(
        window, on_stage=lambda stage: _emit(stage, time.time() - t0), on_done=lambda: _finish(window, app, mode)
    )


if __name__ == "__main__":
    from ldn_browser.ui.app import run

    probe_mode = sys.argv[1] if len(sys.argv) > 1 else "startup"
    sys.exit(run(argv=sys.argv[:1], on_window=lambda w, a: install(w, a, probe_mode)))  # type: ignore[arg-type]
