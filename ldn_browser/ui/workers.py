"""Background work off the GUI thread: building or opening the search index, reading a knowledge base."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase


class IndexBuildSignals(QObject):
    """Signals of :class:`IndexBuildWorker` (a QRunnable cannot have signals itself).

    Signals:
        progress: Emitted with (generation, done, total) while documents are indexed.
        finished: Emitted with (generation, SearchIndex) when the index is ready.
        failed: Emitted with (generation, message) if opening the index raised.
    """

    progress = Signal(int, int, int)
    finished = Signal(int, object)
    failed = Signal(int, str)


class IndexBuildWorker(QRunnable):
    """Runs ``open_search_index(kb, cache_dir, progress=…)`` in a thread pool.

    *generation* tags every signal so the window can ignore a result that belongs to a
    knowledge base it no longer shows.
    """

    def __init__(self, *, kb: KnowledgeBase, cache_dir: Path | None, generation: int) -> None:
        super().__init__()
        self.signals = IndexBuildSignals()
        self._kb = kb
        self._cache_dir = cache_dir
        self._generation = generation
        self.setAutoDelete(True)

    def run(self) -> None:
        """Open (or build) the index and report the result through :attr:`signals`."""
        from ldn_browser.core.search import open_search_index

        def progress(done: int, total: int) -> None:
            self.signals.progress.emit(self._generation, done, total)

        try:
            index = open_search_index(self._kb, self._cache_dir, progress=progress)
        except Exception as e:  # noqa: BLE001 - reported to the UI, which falls back to no search
            traceback.print_exc()
            self.signals.failed.emit(self._generation, f"{type(e).__name__}: {e}")
            return
        self.signals.finished.emit(self._generation, index)


class _CallSignals(QObject):
    """Lives in the GUI thread; the result of a background call is delivered here (queued)."""

    done = Signal(object)

    def __init__(self, then: Callable[[Any], object]) -> None:
        super().__init__()
        self._then = then
        self.done.connect(self._deliver)

    @Slot(object)
    def _deliver(self, result: object) -> None:
        _pending.discard(self)
        self._then(result)


_pending: set[_CallSignals] = set()
"""Signal objects whose call has not been delivered yet (kept alive until then)."""


class BackgroundCall(QRunnable):
    """Runs ``fn()`` in the thread pool and hands its return value to ``then`` on the GUI thread.

    *fn* must not raise: it returns its error as a value (e.g. a ``KbError``), so the GUI thread
    shows it; an unexpected exception is logged with its traceback and delivered as the value.
    """

    def __init__(self, fn: Callable[[], object], then: Callable[[Any], object]) -> None:
        super().__init__()
        self._fn = fn
        self.signals = _CallSignals(then)
        _pending.add(self.signals)
        self.setAutoDelete(True)

    def run(self) -> None:
        """Call *fn* and emit its result (or the exception it raised)."""
        try:
            result: object = self._fn()
        except Exception as e:  # noqa: BLE001 - delivered to the GUI thread, which reports it
            traceback.print_exc()
            result = e
        self.signals.done.emit(result)


def run_in_background(fn: Callable[[], object], then: Callable[[Any], object]) -> None:
    """Run *fn* off the GUI thread; call *then* with its result on the GUI thread."""
    QThreadPool.globalInstance().start(BackgroundCall(fn, then))
