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

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ldn_browser.ui.main_window import MainWindow

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


class _BenchProbe(QObject):
    def __init__(self, window: MainWindow, app: QApplication, mode: str) -> None:
        super().__init__(window)
        self._window, self._app, self._mode = window, app, mode
        self._t0 = float(os.environ.get("LDN_BENCH_T0") or time.time())
        self._painted = False
        self._pages_painted = False
        self._ready = False
        window.installEventFilter(self)
        window.pages_ready.connect(self._on_window_pages_ready)
        window.search_ready.connect(self._on_window_search_ready)

    def _emit(self, name: str, value: float) -> None:
        print(f"BENCH {name} {value:.6f}", flush=True)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Paint:
            return False
        if obj is self._window and not self._painted:
            self._painted = True
            self._emit("first_paint", time.time() - self._t0)
            QTimer.singleShot(0, self._maybe_finish)
        elif obj is self._window.splitter and not self._pages_painted:
            self._pages_painted = True
            self._emit("pages_paint", time.time() - self._t0)
            QTimer.singleShot(0, self._maybe_finish)
        return False

    def _on_window_pages_ready(self) -> None:
        self._window.splitter.installEventFilter(self)  # the pages' container, painted next

    def _on_window_search_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self._emit("search_ready", time.time() - self._t0)
            QTimer.singleShot(0, self._maybe_finish)

    def _maybe_finish(self) -> None:
        if not (self._painted and self._pages_painted and self._ready):
            return
        if self._mode == "memory":
            self._emit("rss_startup_mb", _peak_rss_mb())
            for i in range(100):
                self._window.search_field.setText(QUERIES[i % len(QUERIES)])
                self._window.search.run()  # the same call the debounce timer makes
            self._emit("rss_searches_mb", _peak_rss_mb())
        self._app.quit()


def install(window: MainWindow, app: QApplication, mode: str) -> None:
    """Attach the probe to *window* (modes: ``startup``, ``memory``)."""
    _BenchProbe(window, app, mode)


if __name__ == "__main__":
    from ldn_browser.ui.app import run

    probe_mode = sys.argv[1] if len(sys.argv) > 1 else "startup"
    sys.exit(run(argv=sys.argv[:1], on_window=lambda w, a: install(w, a, probe_mode)))  # type: ignore[arg-type]
