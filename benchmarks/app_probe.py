"""Benchmark probe: runs the real app through ``ui.app.run(on_window=…)`` and reports timings.

``python benchmarks/app_probe.py startup|memory`` (see benchmarks/run.py).

Prints ``BENCH <name> <value>`` lines on stdout:

* ``first_paint``, ``pages_paint`` and ``search_ready``: seconds since ``LDN_BENCH_T0`` (the
  launcher's clock just before it started this process) to the window's first paint (the frame,
  saying the knowledge base is being opened), to the first paint of the tabs (the knowledge base
  shown) and to the search index being ready; then quits (mode ``startup``);
* ``index_prebuilt``: 1 when the search index was opened from the prebuilt (build-time) folder;
* ``kb_snapshot``: 1 when the KB was read from the build-time snapshot rather than validated again;
* ``window_search_p50_ms`` and ``window_search_p95_ms``: each of those searches as the window runs it when the
  debounce timer fires (the query, through the search process if there is one, and the results shown);
* ``search_service``: 1 when the window's index was the search process's (``core.search.service``);
* ``rss_startup_mb`` and ``rss_searches_mb``: peak RSS after start-up and after ``LDN_BENCH_SEARCHES``
  (default 1,000) searches run through the main window's own search path, then ``rss_soak_start_mb``
  and ``rss_soak_end_mb``: the current RSS (after a collection) before and after a soak of
  ``LDN_BENCH_SOAK`` (default 2,000) more searches (mode ``memory``). The queries cycle through
  :data:`DISTINCT` queries (the fixed list below, then prefixes of the KB's title words): more than the
  index keeps answers for, so every search does the work, while the soak repeats what a user repeats.
  The same figures of the search process, if there is one, as ``rss_service_…`` (it reports them itself,
  current RSS after a collection as here: ``SearchService.memory``).
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from pathlib import Path

gc.disable()  # as the command line does before importing Qt (ui.app.run turns it on once search is ready)

from ldn_browser.core.paths import default_kb_path  # noqa: E402
from ldn_browser.core.search.service import SearchService  # noqa: E402

SERVICE = SearchService.start(default_kb_path())  # as the command line does, before importing Qt

from PySide6.QtWidgets import QApplication  # noqa: E402

from ldn_browser.ui.main_window import MainWindow  # noqa: E402
from ldn_browser.ui.self_check import StartupWatcher  # noqa: E402

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


DISTINCT = 600
"""Distinct queries the memory probe cycles through (more than ranking.RESULT_CACHE_SIZE; ``LDN_BENCH_DISTINCT``)."""


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def _current_rss_mb() -> float:
    gc.collect()
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _emit(name: str, value: float) -> None:
    print(f"BENCH {name} {value:.6f}", flush=True)


def _queries(window: MainWindow) -> list[str]:
    """The fixed queries, then every prefix (3+ letters) of every title word, in a fixed order (no search
    package imported here: the index may be in the search process, and this process's RSS is measured)."""
    import re

    def words(title: str) -> list[str]:
        return re.findall(r"\w+", title.casefold())

    seen: dict[str, None] = dict.fromkeys(QUERIES)
    for entry in window.kb.entries() if window.kb is not None else ():
        for word in words(entry.title):
            for i in range(3, len(word) + 1):
                seen.setdefault(word[:i])
    return list(seen)[: int(os.environ.get("LDN_BENCH_DISTINCT", DISTINCT))]


def _search(window: MainWindow, queries: list[str], start: int, count: int) -> list[float]:
    """Search *count* queries as the debounce timer would; the seconds each took (search and results shown)."""
    took: list[float] = []
    for i in range(start, start + count):
        window.search_field.setText(queries[i % len(queries)])
        t = time.perf_counter()
        window.search.run()  # the same call the debounce timer makes
        took.append(time.perf_counter() - t)
    return took


def _service_rss_mb(window: MainWindow, figure: str = "peak_rss_mb") -> float:
    """The search process's peak RSS, or (``rss_mb``) its current RSS after a collection, as the window's own
    is measured; 0 when the index is in this process."""
    service = getattr(window.search.index, "service", None)
    return 0.0 if service is None else float(service.memory()[figure])


def _finish(window: MainWindow, app: QApplication, mode: str) -> None:
    import ldn_browser.core.search as search  # light: the result types (the index may be in the search process)

    prebuilt = Path(search.__file__).resolve().parent / "prebuilt"
    index = window.search.index
    _emit("index_prebuilt", float(index is not None and index.location == prebuilt))
    _emit("search_service", float(getattr(index, "service", None) is not None))
    from ldn_browser.core import model_options  # set at start-up: validators deferred iff the snapshot matched

    _emit("kb_snapshot", float(model_options.defer_build))
    if mode == "memory":
        searches = int(os.environ.get("LDN_BENCH_SEARCHES", "1000"))
        soak = int(os.environ.get("LDN_BENCH_SOAK", "2000"))
        queries = _queries(window)
        _emit("rss_startup_mb", _peak_rss_mb())
        _emit("rss_service_startup_mb", _service_rss_mb(window))
        took = sorted(_search(window, queries, 0, searches))
        _emit("rss_searches_mb", _peak_rss_mb())
        _emit("window_search_p50_ms", 1000 * took[len(took) // 2])
        _emit("window_search_p95_ms", 1000 * took[int(len(took) * 0.95)])
        _emit("rss_service_searches_mb", _service_rss_mb(window))
        _emit("rss_soak_start_mb", _current_rss_mb())
        _emit("rss_service_soak_start_mb", _service_rss_mb(window, "rss_mb"))
        _search(window, queries, searches, soak)
        _emit("rss_soak_end_mb", _current_rss_mb())
        _emit("rss_service_soak_end_mb", _service_rss_mb(window, "rss_mb"))
        _emit("soak_searches", soak)
        _emit("distinct_queries", len(queries))
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
    sys.exit(
        run(
            argv=sys.argv[:1],
            on_window=lambda w, a: install(w, a, probe_mode),  # type: ignore[arg-type]
            collect_garbage=True,
            search_service=SERVICE,
        )
    )
