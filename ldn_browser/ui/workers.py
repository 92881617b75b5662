"""Background work off the GUI thread (building or opening the search index, reading a knowledge base,
exporting and printing sheets), and work put off until a widget has painted."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    QRunnable,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.search.service import SearchService


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

    With a *service* (the start KB's search process, :mod:`ldn_browser.core.search.service`) it waits for
    that process's index instead, and opens its own only when the service cannot be used (it failed,
    ended, or opened another KB: said on stderr). *generation* tags every signal so the window can ignore
    a result that belongs to a knowledge base it no longer shows.
    """

    def __init__(
        self, *, kb: KnowledgeBase, cache_dir: Path | None, generation: int, service: SearchService | None = None
    ) -> None:
        super().__init__()
        self.signals = IndexBuildSignals()
        self._kb = kb
        self._cache_dir = cache_dir
        self._generation = generation
        self._service = service
        self.setAutoDelete(True)

    def _progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(self._generation, done, total)

    def _from_service(self, service: SearchService) -> Any | None:
        """The service's index, or None when it cannot be used (said on stderr unless the window cancelled it)."""
        from ldn_browser.core.kb import kb_digest
        from ldn_browser.core.search.service import ServiceError

        try:
            return service.connect(self._cache_dir, lambda: kb_digest(self._kb), self._progress)
        except ServiceError as e:
            if not service.cancelled:
                print(f"ldn-browser: search service not used ({e}); the index opens in this process", file=sys.stderr)
            return None

    def run(self) -> None:
        """Open (or build) the index and report the result through :attr:`signals`."""
        service, self._service = self._service, None
        try:
            index = self._from_service(service) if service is not None else None
            if index is None and service is not None and service.cancelled:
                return  # the window is closing: no index is wanted
            if index is None:
                from ldn_browser.core.search import open_search_index

                index = open_search_index(self._kb, self._cache_dir, progress=self._progress)
        except Exception as e:  # noqa: BLE001 - reported to the UI, which falls back to no search
            traceback.print_exc()
            self.signals.failed.emit(self._generation, f"{type(e).__name__}: {e}")
            return
        self.signals.finished.emit(self._generation, index)
        if (vocab := getattr(index, "vocab", None)) is not None:  # the service makes its own
            vocab.warm()  # the spelling tables, made after search is ready (a typo typed sooner makes them)


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


class _JobSignals(QObject):
    """Lives in the GUI thread; a job's progress and result are delivered here (queued), and the slots,
    being this object's, run on the GUI thread (a plain Python callable would run in the emitting thread)."""

    progress = Signal(int, int)
    done = Signal(object)

    def __init__(self, on_progress: Callable[[int, int], object], then: Callable[[object], object]) -> None:
        super().__init__()
        self._on_progress, self._then = on_progress, then
        self.progress.connect(self._progress)
        self.done.connect(self._done)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self._on_progress(done, total)

    @Slot(object)
    def _done(self, result: object) -> None:
        self._then(result)


class ProgressJob(QRunnable):
    """Runs ``work(progress)`` in the thread pool, reports its progress and result on the GUI thread.

    *work* calls ``progress(done, total)`` as it goes; that returns False once :meth:`cancel` was
    called, and *work* then stops (e.g. by raising ``ExportCancelled``). Whatever *work* returns, or the
    exception it raised, is handed to *then* on the GUI thread (which reports it); an exception other
    than an ``OSError`` that is not the answer to a cancel is also logged with its traceback.

    Args:
        work: The slow part (painting a PDF); must not touch widgets.
        on_progress: Called on the GUI thread with (done, total).
        then: Called on the GUI thread with the result or the exception.
    """

    def __init__(
        self,
        work: Callable[[Callable[[int, int], bool]], object],
        *,
        on_progress: Callable[[int, int], object],
        then: Callable[[Any], object],
    ) -> None:
        super().__init__()
        self._work, self._then = work, then
        self._cancelled = threading.Event()
        self.finished = False
        self.result: object = None
        self.signals = _JobSignals(on_progress, self._deliver)
        self.setAutoDelete(False)  # the owner keeps the job (it waits on it when the window closes)

    def start(self) -> ProgressJob:
        """Start the job in the global thread pool; returns itself."""
        QThreadPool.globalInstance().start(self)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled.is_set()

    def run(self) -> None:
        """Do the work (in a pool thread) and emit its result or exception."""

        def progress(done: int, total: int) -> bool:
            self.signals.progress.emit(done, total)
            return not self._cancelled.is_set()

        try:
            result: object = self._work(progress)
        except Exception as e:  # noqa: BLE001 - delivered to the GUI thread, which reports it
            if not isinstance(e, OSError) and not self._cancelled.is_set():
                traceback.print_exc()
            result = _without_tracebacks(e)
        self.signals.done.emit(result)

    def _deliver(self, result: object) -> None:
        self.finished, self.result = True, result
        self._then(result)

    def wait(self) -> object:
        """Run the GUI event loop until the result was delivered (tests, and closing the window); returns it."""
        while not self.finished:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if not self.finished:
                QThread.msleep(2)
        return self.result


def _without_tracebacks(error: BaseException) -> BaseException:
    """*error* with no traceback on it or its causes: their frames hold the work's Qt objects (a text
    document laid out in the pool thread), which must be destroyed there, not on the GUI thread."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return error


class AfterFirstPaint(QObject):
    """Calls *callback* once, just after *widget* first paints (or after *fallback_ms*, if it never does).

    It holds no Python reference to *widget* (it is its Qt child), and :meth:`cancel` drops the callback,
    so no reference cycle keeps the window alive to be collected later, perhaps on another thread.
    """

    def __init__(self, widget: QWidget, callback: Callable[[], None], fallback_ms: int = 1000) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)  # e.g. started minimised

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """On the first paint, schedule the callback behind it (the frame reaches the screen first)."""
        if self._callback is not None and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)
        return False

    def cancel(self) -> None:
        """Forget the callback if it has not run yet."""
        self._callback = None
        parent = self.parent()
        if parent is not None:
            parent.removeEventFilter(self)

    def _fire(self) -> None:
        callback = self._callback
        self.cancel()
        if callback is not None:
            callback()
