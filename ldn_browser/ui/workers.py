"""Background work: building or opening the search index off the GUI thread."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Signal

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
