"""The main window: toolbar search, tabs per kind, navigation, menus and the status bar.

The window is built in two steps so that it paints before the knowledge base is read: the frame
(menus, toolbar, search field, status bar) needs only Qt and this package's pydantic-free modules;
the pages (search results and one tab per kind) are built by :meth:`MainWindow.set_kb` once a
knowledge base is loaded. The modules behind the pages (the pydantic models, item views, badges)
are therefore imported inside the methods that need them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

# ``QtCore.Qt`` is used through its module, not imported by name: PySide creates the Python enums of the
# whole Qt namespace (about 100 types, ~16 ms here) on first access, which the frame can paint without.
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QSettings, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ldn_browser import __version__
from ldn_browser.core.pages import (
    OVERVIEW_TARGET,
    WHY_PREFIX,
    format_date,
    is_content_stale,
    months_between,
    target_entity_id,
)
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.layout import side_by_side
from ldn_browser.ui.search_field import SearchField
from ldn_browser.ui.settings import ZOOM_MAX, ZOOM_MIN, AppSettings
from ldn_browser.ui.theme import palette_is_dark
from ldn_browser.ui.workers import IndexBuildWorker

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.ui.entity_tab import EntityTab, OverviewTab

APP_TITLE = "LDN Browser"
SEARCH_DEBOUNCE_MS = 120
SEARCH_LIMIT = 30
SEARCH_PLACEHOLDER = "Search conditions, sources, claims…  (Ctrl+K)"
PREPARING_PLACEHOLDER = "Preparing search…"
OPENING_MESSAGE = "Opening the knowledge base…"


class NavigationHistory:
    """Back/forward history of page targets (entry ids, ``why:<id>``, ``overview``)."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        """The page at the cursor, or None when empty."""
        return self._items[self._pos] if self._pos >= 0 else None

    @property
    def can_go_back(self) -> bool:
        """True when there is a page before the cursor."""
        return self._pos > 0

    @property
    def can_go_forward(self) -> bool:
        """True when there is a page after the cursor."""
        return 0 <= self._pos < len(self._items) - 1

    def push(self, target: str) -> None:
        """Visit *target*: drop the forward pages and append it (repeats are ignored)."""
        if self.current == target:
            return
        del self._items[self._pos + 1 :]
        self._items.append(target)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def back(self) -> str | None:
        """Move back one page and return it."""
        if not self.can_go_back:
            return None
        self._pos -= 1
        return self._items[self._pos]

    def forward(self) -> str | None:
        """Move forward one page and return it."""
        if not self.can_go_forward:
            return None
        self._pos += 1
        return self._items[self._pos]

    def retain(self, keep: set[str]) -> None:
        """Forget pages whose entry is not in *keep* (after another KB is opened)."""
        current = self.current
        self._items = [t for t in self._items if t == OVERVIEW_TARGET or target_entity_id(t) in keep]
        self._pos = self._items.index(current) if current in self._items else len(self._items) - 1


class MainWindow(QMainWindow):
    """The LDN Browser main window.

    Dependencies are passed in, so tests can use a small KB, a temporary settings file, an
    in-memory index and a fixed "today". With ``kb=None`` only the frame is built and says the
    knowledge base is being opened; :meth:`set_kb` then builds the pages (the app does this after
    the first paint, so the window appears at once).

    Signals:
        search_ready: Emitted when the search index is ready.
        pages_ready: Emitted once the tabs are built for the first knowledge base.
        kb_changed: Emitted with the file path after another knowledge base was opened.
        page_shown: Emitted with the target of every page navigated to.
    """

    search_ready = Signal()
    pages_ready = Signal()
    kb_changed = Signal(str)
    page_shown = Signal(str)

    def __init__(
        self,
        *,
        kb: KnowledgeBase | None,
        kb_path: Path | None,
        settings: QSettings,
        cache_dir: Path | None,
        today: dt.date | None = None,
        build_index: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.kb = kb
        self.kb_path = kb_path
        self.settings = AppSettings(settings)
        self.cache_dir = cache_dir
        self._today = today
        self.history = NavigationHistory()
        self.search_index: object | None = None
        self._index_generation = 0
        self._index_signals: list[QObject] = []
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bookmarks = self.settings.bookmarks()
        self._recent = self.settings.recent()
        self._zoom = self.settings.zoom()
        self._dark = palette_is_dark(self.palette())
        self.legend_dialog: QDialog | None = None
        self.overview_tab: OverviewTab | None = None
        self.entity_tabs: dict[Kind, EntityTab] = {}

        self._build_actions()
        self._build_widgets()
        self._build_menus()
        self._build_status_bar()
        self._restore_geometry()
        if kb is not None:
            self._build_pages(kb)
        self._update_kb_status()
        self._update_navigation_actions()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if build_index and kb is not None:
            QTimer.singleShot(0, self._start_index_build)

    # -- construction --------------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcuts: list[QKeySequence.StandardKey | str] | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            unique: list[QKeySequence] = []
            for item in shortcuts:
                for seq in QKeySequence.keyBindings(item) if isinstance(item, QKeySequence.StandardKey) else [QKeySequence(item)]:
                    if not seq.isEmpty() and seq not in unique:  # duplicates make Qt report "ambiguous"
                        unique.append(seq)
            action.setShortcuts(unique)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action(
            "&Open knowledge base…", self._on_open_action_triggered, [QKeySequence.StandardKey.Open],
            "Open another knowledge-base JSON file",
        )
        self.print_action = self._action("&Print…", self._on_print_action_triggered, ["Ctrl+P"], "Print a summary sheet")
        self.preview_action = self._action("Print pre&view…", self._on_preview_action_triggered, [], "Preview the summary sheet")
        self.export_action = self._action(
            "&Export PDF…", self._on_export_action_triggered, ["Ctrl+E"], "Save the summary sheet as a PDF file"
        )
        self.quit_action = self._action("&Quit", self.close, ["Ctrl+Q"])
        self.back_action = self._action("&Back", self.go_back, ["Alt+Left", QKeySequence.StandardKey.Back], "Go back (Alt+Left)")
        self.forward_action = self._action(
            "&Forward", self.go_forward, ["Alt+Right", QKeySequence.StandardKey.Forward], "Go forward (Alt+Right)"
        )
        self.focus_search_action = self._action("&Search", self.focus_search, ["Ctrl+K", "Ctrl+L"], "Focus the search field")
        self.bookmark_action = self._action(
            "Bookmark this &page", self.toggle_bookmark, ["Ctrl+D"], "Add or remove a bookmark for the page shown"
        )
        self.bookmark_action.setCheckable(True)
        self.zoom_in_action = self._action("Zoom &in", self.zoom_in, ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn])
        self.zoom_out_action = self._action("Zoom &out", self.zoom_out, ["Ctrl+-", QKeySequence.StandardKey.ZoomOut])
        self.zoom_reset_action = self._action("&Reset zoom", self.zoom_reset, ["Ctrl+0"])
        self.next_pane_action = self._action("&Next pane", self.focus_next_pane, ["F6"])
        self.prev_pane_action = self._action("&Previous pane", self.focus_previous_pane, ["Shift+F6"])
        self.legend_action = self._action("&Evidence grades", self.show_grade_legend, ["F1"], "What the grades mean")
        self.about_action = self._action("&About LDN Browser", self.show_about)
        self._kb_actions = [
            self.open_action, self.print_action, self.preview_action, self.export_action, self.zoom_in_action,
            self.zoom_out_action, self.zoom_reset_action, self.legend_action, self.about_action,
        ]

    def _build_widgets(self) -> None:
        self.search_field = SearchField(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setAccessibleName("Search")
        self.search_field.setPlaceholderText(PREPARING_PLACEHOLDER)
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(360)
        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.returnPressed.connect(self._on_search_field_return_pressed)
        self.search_field.escape_pressed.connect(self._on_search_field_escape_pressed)
        self.search_field.down_pressed.connect(self._on_search_field_down_pressed)

        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolBar")
        toolbar.setMovable(False)
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_field)
        toolbar.addSeparator()
        toolbar.addAction(self.bookmark_action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        self.opening_label = QLabel(f"<div align=center>{OPENING_MESSAGE}</div>", self)  # centred without Qt.AlignmentFlag
        self.opening_label.setObjectName("openingLabel")
        self.setCentralWidget(self.opening_label)

    def _build_pages(self, kb: KnowledgeBase) -> None:
        """The search results, the Overview tab and one tab per kind, in place of the "opening" label."""
        from ldn_browser.ui.entity_tab import EntityTab, OverviewTab  # imports the pydantic models
        from ldn_browser.ui.search_panel import SearchPanel

        self.search_panel = SearchPanel(self)
        self.search_panel.entity_activated.connect(self._on_search_panel_entity_activated)
        self.search_panel.suggestion_activated.connect(self._on_search_panel_suggestion_activated)
        self.search_panel.escape_pressed.connect(self.focus_search)
        self.search_panel.hide()
        self.tabs = _make_tabs(self)
        self.overview_tab = OverviewTab(kb=kb, parent=self.tabs)
        self.overview_tab.link_activated.connect(self._on_link_activated)
        self.overview_tab.external_link_activated.connect(self._on_external_link_activated)
        self.tabs.addTab(self.overview_tab, "Overview")
        for kind in Kind:
            tab = EntityTab(kind=kind, kb=kb, parent=self.tabs)
            tab.entity_selected.connect(self._on_tab_entity_selected)
            tab.link_activated.connect(self._on_link_activated)
            tab.external_link_activated.connect(self._on_external_link_activated)
            self.tabs.addTab(tab, kind.plural)
            self.entity_tabs[kind] = tab
        for i in range(self.tabs.count()):
            self.tabs.setTabToolTip(i, f"{self.tabs.tabText(i)} (Alt+{i + 1})")
            self._action(f"Show tab {i + 1}", lambda _=False, i=i: self.tabs.setCurrentIndex(i), [f"Alt+{i + 1}"])
        last = self.settings.last_tab()
        if 0 <= last < self.tabs.count():
            self.tabs.setCurrentIndex(last)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self.splitter = side_by_side(self, self.search_panel, self.tabs, name="mainSplitter", stretch=(0, 1))
        self.splitter.setSizes([380, 1020])
        self.setCentralWidget(self.splitter)  # deletes the "opening" label
        QWidget.setTabOrder(self.search_field, self.search_panel.view)
        QWidget.setTabOrder(self.search_panel.view, self.tabs)
        self._apply_zoom()
        if self.search_field.text().strip():  # typed while the knowledge base was being opened
            self._on_search_field_text_changed(self.search_field.text())

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.preview_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        go_menu = bar.addMenu("&Go")
        go_menu.addAction(self.back_action)
        go_menu.addAction(self.forward_action)
        go_menu.addAction(self.focus_search_action)
        go_menu.addSeparator()
        self.recent_menu = go_menu.addMenu("&Recently viewed")
        self.recent_menu.setObjectName("recentMenu")

        self.bookmarks_menu = bar.addMenu("&Bookmarks")
        self.bookmarks_menu.setObjectName("bookmarksMenu")

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.zoom_reset_action)
        view_menu.addSeparator()
        view_menu.addAction(self.next_pane_action)
        view_menu.addAction(self.prev_pane_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.legend_action)
        help_menu.addAction(self.about_action)
        self._rebuild_recent_menu()
        self._rebuild_bookmarks_menu()

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.kb_label = QLabel(self)
        self.kb_label.setObjectName("kbStatus")
        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("staleWarning")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("indexProgress")
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setFormat("Indexing %p%")
        self.progress_bar.setAccessibleName("Search index progress")
        self.progress_bar.hide()
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.stale_label)
        status.addPermanentWidget(self.kb_label)

    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1360, 860)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    # -- knowledge base ------------------------------------------------------------------------

    @property
    def today(self) -> dt.date:
        """The date used for the staleness warning (injectable for tests)."""
        return self._today or dt.date.today()

    @property
    def has_pages(self) -> bool:
        """True once a knowledge base is shown (False while the frame says it is being opened)."""
        return self.overview_tab is not None

    def _update_kb_status(self) -> None:
        for action in self._kb_actions:
            action.setEnabled(self.has_pages)
        if self.kb is None:
            self.kb_label.setText(OPENING_MESSAGE)
            self.stale_label.hide()
            return
        meta = self.kb.meta
        self.kb_label.setText(f"KB {meta.kb_version} · content as of {format_date(meta.content_as_of)}")
        self.kb_label.setToolTip(str(self.kb_path) if self.kb_path else "")
        stale = is_content_stale(meta.content_as_of, self.today)
        months = months_between(meta.content_as_of, self.today)
        self.stale_label.setText(f"⚠ Content is {months} months old: check for an updated knowledge base" if stale else "")
        self.stale_label.setStyleSheet("font-weight: bold;" if stale else "")
        self.stale_label.setVisible(stale)

    @property
    def content_is_stale(self) -> bool:
        """True when the stale-content warning is shown."""
        return self.kb is not None and is_content_stale(self.kb.meta.content_as_of, self.today)

    def open_kb(self, path: Path) -> bool:
        """Load *path* and show it; on error, report it and keep the current knowledge base."""
        from ldn_browser.core.kb import KbError, load_kb

        try:
            kb = load_kb(path)
        except KbError as e:
            lines = e.lines()
            shown = "\n".join(lines[:8]) + (f"\n… and {len(lines) - 8} more" if len(lines) > 8 else "")
            self.show_error(
                "Cannot open knowledge base",
                f"{path} is not a valid knowledge base. The current knowledge base stays loaded.",
                shown,
            )
            return False
        self.set_kb(kb, path)
        return True

    def set_kb(self, kb: KnowledgeBase, path: Path | None) -> None:
        """Show *kb* (building the pages the first time) and rebuild the search index for it."""
        first = not self.has_pages
        self.kb = kb
        self.kb_path = path
        self._start_index_build()  # first: the index builds in its thread while the pages are built here
        if first:
            self._build_pages(kb)
        else:
            self.search_panel.clear()
            for page in self._pages():
                page.set_kb(kb)
        self.history.retain({e.id for e in kb.entries()})
        self._update_kb_status()
        self._update_navigation_actions()
        self._rebuild_recent_menu()
        self._rebuild_bookmarks_menu()
        if first:
            self.pages_ready.emit()
        self.kb_changed.emit(str(path) if path else "")

    def _pages(self) -> list[OverviewTab | EntityTab]:
        """The Overview tab and the tab of each kind (none before a knowledge base is shown)."""
        return [self.overview_tab, *self.entity_tabs.values()] if self.overview_tab is not None else []

    def show_error(self, title: str, text: str, details: str) -> None:
        """Show an error message box (tests replace this method to capture the message)."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(details)
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    def ask_open_path(self) -> Path | None:
        """Ask for a KB file to open (tests replace this method)."""
        start = str(self.kb_path.parent) if self.kb_path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Open knowledge base", start, "Knowledge base (*.json);;All files (*)")
        return Path(name) if name else None

    def ask_save_pdf_path(self, suggested: str) -> Path | None:
        """Ask where to save a PDF (tests replace this method)."""
        name, _ = QFileDialog.getSaveFileName(self, "Export PDF", suggested, "PDF (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    # -- search --------------------------------------------------------------------------------

    @property
    def is_search_ready(self) -> bool:
        """True once the search index can be queried."""
        return self.search_index is not None

    def _start_index_build(self) -> None:
        if self.kb is None:
            return
        self._index_generation += 1
        old = self.search_index
        self.search_index = None
        if old is not None:
            _close_index(old)
        self.search_field.setPlaceholderText(PREPARING_PLACEHOLDER)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.statusBar().showMessage(PREPARING_PLACEHOLDER)
        worker = IndexBuildWorker(kb=self.kb, cache_dir=self.cache_dir, generation=self._index_generation)
        worker.signals.progress.connect(self._on_index_progress)
        worker.signals.finished.connect(self._on_index_finished)
        worker.signals.failed.connect(self._on_index_failed)
        self._index_signals = [worker.signals]
        self._pool.start(worker)

    @Slot(int, int, int)
    def _on_index_progress(self, generation: int, done: int, total: int) -> None:
        if generation != self._index_generation:
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    @Slot(int, object)
    def _on_index_finished(self, generation: int, index: object) -> None:
        if generation != self._index_generation:
            _close_index(index)
            return
        self.search_index = index
        self.progress_bar.hide()
        note = getattr(index, "storage_note", None)
        self.statusBar().showMessage(f"Search ready{f' ({note})' if note else ''}", 5000)
        self.search_field.setPlaceholderText(SEARCH_PLACEHOLDER)
        if self.search_field.text().strip():
            self._run_search()
        self.search_ready.emit()

    @Slot(int, str)
    def _on_index_failed(self, generation: int, message: str) -> None:
        if generation != self._index_generation:
            return
        self.progress_bar.hide()
        self.search_field.setPlaceholderText("Search unavailable")
        self.statusBar().showMessage(f"Search is unavailable: {message}")
        self.search_panel.set_status(f"Search is unavailable: {message}")

    @Slot(str)
    def _on_search_field_text_changed(self, text: str) -> None:
        if not self.has_pages:
            return  # searched once the pages exist (see _build_pages)
        if not text.strip():
            self._search_timer.stop()
            self.search_panel.clear()
            self.search_panel.hide()
            return
        self.search_panel.show()
        if self.search_index is None:
            self.search_panel.set_status(PREPARING_PLACEHOLDER)
            return
        self._search_timer.start()

    @Slot()
    def _on_search_timer_timeout(self) -> None:
        self._run_search()

    def _run_search(self) -> None:
        text = self.search_field.text()
        if self.search_index is None or not text.strip():
            return
        from ldn_browser.core.search import SearchError  # loaded with the index, after the first paint

        try:
            results = self.search_index.search(text, limit=SEARCH_LIMIT)  # type: ignore[attr-defined]
        except SearchError as e:
            self.search_panel.set_error(text, str(e))
            self.statusBar().showMessage(f"Search failed: {e}", 10_000)
            return
        self.search_panel.set_results(results)

    @Slot()
    def _on_search_field_return_pressed(self) -> None:
        if not self.has_pages:
            return
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._run_search()
        top = self.search_panel.model.top_hit_id()
        if top is not None:
            self.navigate(top)

    @Slot()
    def _on_search_field_escape_pressed(self) -> None:
        if self.search_field.text():
            self.search_field.clear()
        else:
            self._focus_current_list()

    @Slot()
    def _on_search_field_down_pressed(self) -> None:
        if self.has_pages and self.search_panel.isVisible():
            self.search_panel.focus_results()

    @Slot(str)
    def _on_search_panel_entity_activated(self, entity_id: str) -> None:
        self.navigate(entity_id)

    @Slot(str)
    def _on_search_panel_suggestion_activated(self, suggestion: str) -> None:
        self.search_field.setText(suggestion)
        self.search_field.setFocus()

    @Slot()
    def focus_search(self) -> None:
        """Put the cursor in the search field and select its text."""
        self.search_field.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    # -- navigation ----------------------------------------------------------------------------

    def current_target(self) -> str | None:
        """The page shown in the current tab."""
        page = self._current_page()
        return page.current_target if page is not None else None

    def _current_page(self) -> OverviewTab | EntityTab | None:
        """The Overview tab or kind tab shown, or None before a knowledge base is shown."""
        widget = self.tabs.currentWidget() if self.has_pages else None
        return next((page for page in self._pages() if page is widget), None)

    def navigate(self, target: str, *, record: bool = True) -> bool:
        """Show *target* (an entry id, ``why:<id>`` or ``overview``) in its tab."""
        if self.kb is None or not self.has_pages:
            return False
        if target == OVERVIEW_TARGET:
            self.tabs.setCurrentWidget(self.overview_tab)
        else:
            entry = self.kb.get(target_entity_id(target))
            if entry is None:
                self.statusBar().showMessage(f"Not in this knowledge base: {target}", 5000)
                return False
            tab = self.entity_tabs[entry.kind]
            tab.show_target(target)
            self.tabs.setCurrentWidget(tab)
        if record:
            self._record(target)
        else:
            self._update_navigation_actions()
        self.page_shown.emit(target)
        return True

    def _record(self, target: str) -> None:
        self.history.push(target)
        if target != OVERVIEW_TARGET and not target.startswith(WHY_PREFIX):
            self._recent = [target] + [t for t in self._recent if t != target]
            self.settings.set_recent(self._recent)
            self._recent = self.settings.recent()
            self._rebuild_recent_menu()
        self._update_navigation_actions()

    @Slot()
    def go_back(self) -> None:
        """Show the previous page in the history."""
        target = self.history.back()
        if target is not None:
            self.navigate(target, record=False)

    @Slot()
    def go_forward(self) -> None:
        """Show the next page in the history."""
        target = self.history.forward()
        if target is not None:
            self.navigate(target, record=False)

    def _update_navigation_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back)
        self.forward_action.setEnabled(self.history.can_go_forward)
        entity = self._bookmarkable_target()
        self.bookmark_action.setEnabled(entity is not None)
        self.bookmark_action.setChecked(entity is not None and entity in self._bookmarks)

    @Slot(str)
    def _on_tab_entity_selected(self, entity_id: str) -> None:
        self._record(entity_id)
        self.page_shown.emit(entity_id)

    @Slot(str)
    def _on_link_activated(self, target: str) -> None:
        self.navigate(target)

    @Slot(QUrl)
    def _on_external_link_activated(self, url: QUrl) -> None:
        self.open_external_url(url)

    def open_external_url(self, url: QUrl) -> None:
        """Open a PubMed/DOI link in the system browser (only ever on a click)."""
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        self.settings.set_last_tab(index)
        self._update_navigation_actions()

    # -- bookmarks and recent --------------------------------------------------------------------

    @property
    def bookmarks(self) -> list[str]:
        """Bookmarked entry ids, oldest first."""
        return list(self._bookmarks)

    @property
    def recent(self) -> list[str]:
        """Recently viewed entry ids, newest first."""
        return list(self._recent)

    def _bookmarkable_target(self) -> str | None:
        target = self.current_target()
        if target is None or target == OVERVIEW_TARGET:
            return None
        return target_entity_id(target)

    @Slot()
    def toggle_bookmark(self) -> None:
        """Bookmark the entry shown, or remove its bookmark."""
        entity = self._bookmarkable_target()
        if entity is None:
            self.statusBar().showMessage("Open an entry to bookmark it", 3000)
            return
        if entity in self._bookmarks:
            self._bookmarks.remove(entity)
            self.statusBar().showMessage("Bookmark removed", 3000)
        else:
            self._bookmarks.append(entity)
            self.statusBar().showMessage("Bookmarked", 3000)
        self.settings.set_bookmarks(self._bookmarks)
        self._rebuild_bookmarks_menu()
        self._update_navigation_actions()

    def _entry_actions(self, menu: QMenu, ids: list[str], empty_text: str) -> None:
        menu.clear()
        shown = 0
        for entity_id in ids:
            entry = self.kb.get(entity_id) if self.kb is not None else None
            if entry is None:
                continue
            action = menu.addAction(f"{entry.title}  ({entry.kind.label})")
            action.setData(entity_id)
            action.triggered.connect(lambda _=False, t=entity_id: self.navigate(t))
            shown += 1
        if shown == 0:
            placeholder = menu.addAction(empty_text)
            placeholder.setEnabled(False)

    def _rebuild_bookmarks_menu(self) -> None:
        self.bookmarks_menu.clear()
        self.bookmarks_menu.addAction(self.bookmark_action)
        self.bookmarks_menu.addSeparator()
        sub = QMenu(self.bookmarks_menu)
        self._entry_actions(sub, self._bookmarks, "No bookmarks yet (Ctrl+D bookmarks the page shown)")
        for action in sub.actions():
            sub.removeAction(action)
            action.setParent(self.bookmarks_menu)
            self.bookmarks_menu.addAction(action)
        sub.deleteLater()

    def _rebuild_recent_menu(self) -> None:
        self._entry_actions(self.recent_menu, self._recent, "Nothing viewed yet")

    # -- view ------------------------------------------------------------------------------------

    @property
    def zoom_steps(self) -> int:
        """Zoom steps relative to the default font size."""
        return self._zoom

    def _apply_zoom(self) -> None:
        base = QApplication.font()
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        font = self.splitter.font()
        font.setPointSizeF(max(6.0, size * (1 + 0.1 * self._zoom)))
        self.splitter.setFont(font)

    def _set_zoom(self, steps: int) -> None:
        self._zoom = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        self.settings.set_zoom(self._zoom)
        self._apply_zoom()
        self.statusBar().showMessage(f"Zoom {100 + 10 * self._zoom}%", 2000)

    @Slot()
    def zoom_in(self) -> None:
        """Enlarge text."""
        self._set_zoom(self._zoom + 1)

    @Slot()
    def zoom_out(self) -> None:
        """Shrink text."""
        self._set_zoom(self._zoom - 1)

    @Slot()
    def zoom_reset(self) -> None:
        """Back to the default text size."""
        self._set_zoom(0)

    def _panes(self) -> list[QWidget]:
        panes: list[QWidget] = [self.search_field]
        if self.has_pages and self.search_panel.isVisible():
            panes.append(self.search_panel.view)
        page = self._current_page()
        return panes + (page.panes if page is not None else [])

    def _cycle_panes(self, step: int) -> None:
        panes = self._panes()
        focus = QApplication.focusWidget()
        current = -1
        for i, pane in enumerate(panes):
            if focus is not None and (focus is pane or pane.isAncestorOf(focus)):
                current = i
        target = panes[(current + step) % len(panes)] if current >= 0 else panes[0 if step > 0 else -1]
        target.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    @Slot()
    def focus_next_pane(self) -> None:
        """Move keyboard focus to the next pane (F6)."""
        self._cycle_panes(1)

    @Slot()
    def focus_previous_pane(self) -> None:
        """Move keyboard focus to the previous pane (Shift+F6)."""
        self._cycle_panes(-1)

    def _focus_current_list(self) -> None:
        page = self._current_page()
        if page is not None:
            page.list_view.setFocus()

    def _refresh_pages(self) -> None:
        for page in self._pages():
            page.refresh()
        if self.legend_dialog is not None and self.kb is not None:
            from ldn_browser.core.detail import render_grade_legend  # imports the pydantic models
            from ldn_browser.ui.detail_view import DetailBrowser

            browser = self.legend_dialog.findChild(DetailBrowser)
            if browser is not None:
                browser.show_html(render_grade_legend(self.kb, dark=self._dark))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-render pages when the palette switches between light and dark."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            dark = palette_is_dark(self.palette())
            if dark != self._dark:
                self._dark = dark
                self._refresh_pages()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Mouse back/forward buttons anywhere in this window navigate the history."""
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(watched, QWidget):
            assert isinstance(event, QMouseEvent)
            if watched.window() is self:
                if event.button() == QtCore.Qt.MouseButton.BackButton:
                    self.go_back()
                    return True
                if event.button() == QtCore.Qt.MouseButton.ForwardButton:
                    self.go_forward()
                    return True
        return super().eventFilter(watched, event)

    # -- help --------------------------------------------------------------------------------------

    @Slot()
    def show_grade_legend(self) -> None:
        """Show the evidence-grade legend in a non-modal window."""
        from ldn_browser.core.detail import render_grade_legend  # imports the pydantic models
        from ldn_browser.ui.detail_view import DetailBrowser

        if self.kb is None:
            return
        if self.legend_dialog is None:
            dialog = QDialog(self)
            dialog.setObjectName("gradeLegendDialog")
            dialog.setWindowTitle("Evidence grades")
            browser = DetailBrowser(dialog)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(browser)
            layout.addWidget(buttons)
            dialog.resize(640, 460)
            self.legend_dialog = dialog
        browser = self.legend_dialog.findChild(DetailBrowser)
        assert browser is not None
        browser.show_html(render_grade_legend(self.kb, dark=palette_is_dark(self.palette())))
        self.legend_dialog.show()
        self.legend_dialog.raise_()
        self.legend_dialog.activateWindow()

    @Slot()
    def show_about(self) -> None:
        """Show the About box: versions, content date and disclaimer."""
        from ldn_browser.core.detail import render_about  # imports the pydantic models

        if self.kb is None:
            return
        QMessageBox.about(self, "About LDN Browser", render_about(self.kb, app_version=__version__))

    # -- printing ----------------------------------------------------------------------------------

    def sheet_request(self) -> tuple[list[str], bool]:
        """What to print: (condition ids, overview?) from the current tab and selection."""
        widget = self.tabs.currentWidget()
        if widget is self.overview_tab or Kind.CONDITION not in self.entity_tabs:
            return [], True
        conditions = self.entity_tabs[Kind.CONDITION]
        if widget is conditions:
            ids = conditions.selected_ids()
            if ids:
                return ids, False
        current = self.current_target()
        if current is not None:
            entity = target_entity_id(current)
            if entity.startswith(f"{Kind.CONDITION.value}:"):
                return [entity], False
        if conditions.current_entity_id is not None:
            return [conditions.current_entity_id], False
        return [], True

    def _build_sheet(self) -> object:
        from ldn_browser.core.sheet import build_sheet

        ids, overview = self.sheet_request()
        assert self.kb is not None  # the print actions are disabled until a knowledge base is shown
        return build_sheet(self.kb, ids, overview=overview)

    @Slot()
    def _on_print_action_triggered(self) -> None:
        from ldn_browser.ui.printing import print_with_dialog

        print_with_dialog(self._build_sheet(), self)  # type: ignore[arg-type]

    @Slot()
    def _on_preview_action_triggered(self) -> None:
        from ldn_browser.ui.printing import show_print_preview

        show_print_preview(self._build_sheet(), self)  # type: ignore[arg-type]

    @Slot()
    def _on_export_action_triggered(self) -> None:
        from ldn_browser.ui.printing import default_page_size, export_pdf

        ids, overview = self.sheet_request()
        stem = "ldn-overview" if overview and not ids else "ldn-" + "-".join(i.split(":", 1)[1] for i in ids[:3])
        path = self.ask_save_pdf_path(str(Path.home() / f"{stem}.pdf"))
        if path is None:
            return
        try:
            pages = export_pdf(self._build_sheet(), path, page_size=default_page_size())  # type: ignore[arg-type]
        except OSError as e:
            self.show_error("Cannot export PDF", f"{path} could not be written.", str(e.strerror or e))
            return
        self.statusBar().showMessage(f"Saved {path} ({pages} page{'s' if pages != 1 else ''})", 8000)

    @Slot()
    def _on_open_action_triggered(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.open_kb(path)

    # -- lifetime ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save geometry, toolbar state and the current tab; wait for a running index build."""
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        if self.has_pages:
            self.settings.set_last_tab(self.tabs.currentIndex())
        self.settings.sync()
        self._index_generation += 1  # ignore a build still running
        self._pool.waitForDone(10_000)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)


def _make_tabs(parent: QWidget) -> QTabWidget:
    tabs = QTabWidget(parent)
    tabs.setObjectName("mainTabs")
    tabs.setDocumentMode(True)
    tabs.setUsesScrollButtons(True)
    return tabs


def _close_index(index: object) -> None:
    close = getattr(index, "close", None)
    if callable(close):
        close()
