"""Search as you type: the index's build in a thread, debounced queries, and the keys of the search field.

The path of a keystroke: ``SearchField.textChanged`` → :meth:`SearchController.on_text_changed` starts
the debounce timer → :meth:`run` calls ``SearchIndex.search`` (core) → the panel shows the hits, or an
error state when the engine fails. Enter opens the top hit (:attr:`open_requested`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from ldn_browser.ui.search_field import SearchField
from ldn_browser.ui.status_bar import KbStatus
from ldn_browser.ui.workers import IndexBuildWorker

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.search.service import SearchService
    from ldn_browser.ui.search_panel import SearchPanel

SEARCH_DEBOUNCE_MS = 120
SEARCH_LIMIT = 30
SEARCH_PLACEHOLDER = "Search conditions, drugs, side effects, sources…  (Ctrl+K)"
PREPARING_PLACEHOLDER = "Preparing search…"


class SearchController(QObject):
    """Owns the search index of the KB shown and answers the search field.

    Signals:
        ready: Emitted when the index of the current KB can be queried.
        open_requested: Emitted with an entry id when the user asks to open a hit.
        list_focus_requested: Emitted when Escape is pressed in an empty field.
        status_message: Emitted with (text, milliseconds) for the status bar.
    """

    ready = Signal()
    open_requested = Signal(str)
    list_focus_requested = Signal()
    status_message = Signal(str, int)

    def __init__(
        self,
        *,
        field: SearchField,
        status: KbStatus,
        cache_dir: Path | None,
        parent: QObject,
        service: SearchService | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service  # the start KB's search process: used by the first build_index only
        self._serves = service is not None
        """Whether a KB opened later gets a search process of its own too (as the start KB did)."""
        self._serving: SearchService | None = None  # the service handed to the build running, if any
        self.field = field
        self.status = status
        self.cache_dir = cache_dir
        self.panel: SearchPanel | None = None
        self.index: Any | None = None
        self._generation = 0
        self._kb: KnowledgeBase | None = None
        self._signals: list[QObject] = []
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.run)
        field.setPlaceholderText(PREPARING_PLACEHOLDER)
        field.textChanged.connect(self.on_text_changed)
        field.returnPressed.connect(self._on_field_return_pressed)
        field.escape_pressed.connect(self._on_field_escape_pressed)
        field.down_pressed.connect(self._on_field_down_pressed)
        field.focused.connect(self._on_field_focused)

    def attach_panel(self, panel: SearchPanel) -> None:
        """Show results in *panel* (built with the pages); answers a query typed before it existed."""
        self.panel = panel
        panel.entity_activated.connect(self.open_requested)
        panel.suggestion_activated.connect(self._on_panel_suggestion_activated)
        if self.field.text().strip():
            self.on_text_changed(self.field.text())

    # -- the index --------------------------------------------------------------------------------

    def build_index(self, kb: KnowledgeBase, path: Path | None = None) -> None:
        """Open or build the index of *kb* in the thread pool; a build still running is ignored.

        The first call uses the search service, if one was given (the worker falls back to its own index).
        A later call for a KB read from *path* starts a search process of its own for it when the window
        started with one: a large KB is then indexed there, by two processes (``core.search.forked``), not
        in a thread of the window's process. A rebuild after a failure (no *path*) opens the index here.
        """
        self._generation += 1
        service, self._service = self._service, None
        if self._serving is not None:
            self._serving.cancel()  # the process of the KB shown before (its index is closed below)
        if service is None and self._serves and path is not None:
            from ldn_browser.core.search.service import SearchService  # light: no Whoosh

            service = SearchService.start(path)  # None (said on stderr) if it cannot start: indexed here
        self._serving = service
        self._kb = kb
        old, self.index = self.index, None
        if old is not None:
            old.close()
        self.field.setPlaceholderText(PREPARING_PLACEHOLDER)
        self.status.show_indexing()
        self.status_message.emit(PREPARING_PLACEHOLDER, 0)
        worker = IndexBuildWorker(kb=kb, cache_dir=self.cache_dir, generation=self._generation, service=service)
        worker.signals.progress.connect(self._on_worker_progress)
        worker.signals.finished.connect(self._on_worker_finished)
        worker.signals.failed.connect(self._on_worker_failed)
        self._signals = [worker.signals]
        self._pool.start(worker)

    @property
    def has_service(self) -> bool:
        """True until the search service given at construction has been handed to an index build."""
        return self._service is not None

    def shut_down(self) -> None:
        """Ignore a build still running and wait (bounded) for its thread; end the search service, if any.

        A query still waiting for the debounce timer is dropped: a closed window never asks its ended service
        (and, failing, opens an index for nobody)."""
        self._generation += 1
        self._timer.stop()
        for service in (self._service, self._serving):
            if service is not None:
                service.cancel()  # a worker waiting for it gives up (and does not open an index of its own)
        self._service = self._serving = None
        self._pool.waitForDone(10_000)
        from ldn_browser.core.search.service import RemoteSearchIndex  # light: no Whoosh

        if isinstance(self.index, RemoteSearchIndex):  # a process: it ends with the window
            self.index.close()

    @Slot(int, int, int)
    def _on_worker_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.status.show_indexing(done, total)

    @Slot(int, object)
    def _on_worker_finished(self, generation: int, index: Any) -> None:
        if generation != self._generation:
            index.close()
            return
        self.index = index
        self.status.hide_indexing()
        note = getattr(index, "storage_note", None)
        self.status_message.emit(f"Search ready{f' ({note})' if note else ''}", 5000)
        self.field.setPlaceholderText(SEARCH_PLACEHOLDER)
        if self.field.text().strip():
            self.run()
        self.ready.emit()

    @Slot(int, str)
    def _on_worker_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.status.hide_indexing()
        self.field.setPlaceholderText("Search unavailable")
        self.status_message.emit(f"Search is unavailable: {message}", 0)
        if self.panel is not None:
            self.panel.set_status(f"Search is unavailable: {message}")

    # -- queries ----------------------------------------------------------------------------------

    @Slot(str)
    def on_text_changed(self, text: str) -> None:
        """Debounce a query; hide the panel when the field is emptied."""
        if self.panel is None:
            return  # answered once the pages exist (attach_panel)
        if not text.strip():
            self._timer.stop()
            self.panel.clear()
            self.panel.hide()
            return
        self.panel.show()
        if self.index is None:
            self.panel.set_status(PREPARING_PLACEHOLDER)
            return
        self._timer.start()

    @Slot()
    def run(self) -> None:
        """Search now for the field's text; a failing engine shows an error state, not "no matches"."""
        text = self.field.text()
        if self.index is None or self.panel is None or not text.strip():
            return
        from ldn_browser.core.search import SearchError  # loaded with the index, after the first paint

        try:
            results = self.index.search(text, limit=SEARCH_LIMIT)
        except SearchError as e:
            self.panel.set_error(text, str(e))
            self.status_message.emit(f"Search failed: {e}", 10_000)
            if e.cache_discarded and self._kb is not None:  # a damaged cache: rebuild, then ask again (D9)
                self.build_index(self._kb)
            return
        self.panel.set_results(results)

    @Slot()
    def _on_field_return_pressed(self) -> None:
        if self.panel is None:
            return
        if self._timer.isActive():
            self._timer.stop()
            self.run()
        top = self.panel.model.top_hit_id()
        if top is not None:
            self.open_requested.emit(top)

    @Slot()
    def _on_field_focused(self) -> None:
        if self.panel is not None and self.field.text().strip():
            self.panel.show()

    @Slot()
    def _on_field_escape_pressed(self) -> None:
        if self.field.text():
            self.field.clear()
        else:
            self.list_focus_requested.emit()

    @Slot()
    def _on_field_down_pressed(self) -> None:
        if self.panel is not None and self.panel.isVisible():
            self.panel.focus_results()

    @Slot(str)
    def _on_panel_suggestion_activated(self, suggestion: str) -> None:
        self.field.setText(suggestion)
        self.field.setFocus()
