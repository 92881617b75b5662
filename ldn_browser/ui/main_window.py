"""The main window: lays out the frame, the search and the tabs, and connects them.

It is built in two steps so that it paints before the knowledge base is read: the frame (menus,
toolbar, search field, status bar) needs only Qt and pydantic-free modules; :meth:`MainWindow.set_kb`
builds the pages (search results, the Overview tab, one tab per kind from the kind registry) once a
knowledge base is loaded. The parts live in their own modules: the action table (``actions``), the
search controller (``search_controller``), the status bar (``status_bar``), the dialogs
(``dialogs``), printing (``print_actions``, ``printing``) and navigation history (``core.navigation``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

# ``QtCore.Qt`` is used through its module, not imported by name: PySide creates the Python enums of the
# whole Qt namespace (about 100 types, ~16 ms here) on first access, which the frame can paint without.
from PySide6 import QtCore
from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from ldn_browser.core.navigation import NavigationHistory
from ldn_browser.core.pages import OVERVIEW_TARGET, START_TARGET, WHY_PREFIX, is_content_stale, target_entity_id
from ldn_browser.ui import actions as action_table
from ldn_browser.ui import window_geometry
from ldn_browser.ui.dialogs import Dialogs
from ldn_browser.ui.entry_menus import EntryMenus
from ldn_browser.ui.help_dialogs import Help
from ldn_browser.ui.layout import cycle_focus
from ldn_browser.ui.medication_check import MedicationCheck
from ldn_browser.ui.patient_dialogs import PatientPrinter
from ldn_browser.ui.print_actions import PagePrinter, SheetRequest, request_for
from ldn_browser.ui.reading import Reading
from ldn_browser.ui.search_controller import PREPARING_PLACEHOLDER, SearchController
from ldn_browser.ui.search_field import SearchField
from ldn_browser.ui.settings import AppSettings
from ldn_browser.ui.status_bar import KbStatus
from ldn_browser.ui.workers import AfterFirstPaint
from ldn_browser.ui.zoom import Zoom

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.search.service import SearchService
    from ldn_browser.core.vocab import Kind
    from ldn_browser.ui.entity_tab import EntityTab
    from ldn_browser.ui.overview_tab import OverviewTab

__all__ = ["APP_TITLE", "OPENING_MESSAGE", "PREPARING_PLACEHOLDER", "MainWindow"]

APP_TITLE = "LDN Browser"
OPENING_MESSAGE = "Opening the knowledge base…"


class MainWindow(QMainWindow):
    """The LDN Browser main window.

    Dependencies are passed in, so tests can use a small KB, a temporary settings file, an
    in-memory index, a fixed "today" and fake dialogs. With ``kb=None`` only the frame is built;
    :meth:`set_kb` then builds the pages (the app does this after the first paint).

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

    def __init__(  # fmt: skip
        self,
        *,
        kb: KnowledgeBase | None,
        kb_path: Path | None,
        settings: QSettings,
        cache_dir: Path | None,
        today: dt.date | None = None,
        build_index: bool = True,
        dialogs: Dialogs | None = None,
        search_service: SearchService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.kb, self.kb_path, self._today = kb, kb_path, today
        self.settings = AppSettings(settings)
        self.dialogs, self.history = dialogs or Dialogs(self), NavigationHistory()
        self.zoom = Zoom(self.settings, message=self._say)
        self.help = Help(parent=self, kb=lambda: self.kb, navigate=self.navigate)
        self.meds = MedicationCheck(parent=self, kb=lambda: self.kb, navigate=self.navigate, dialogs=self.dialogs)
        self.overview_tab: OverviewTab | None = None
        self.entity_tabs: dict[Kind, EntityTab] = {}
        self.printer = PagePrinter(
            parent=self, kb=lambda: self.kb, request=self.sheet_request, dialogs=self.dialogs, message=self._say,
            exported=lambda path, pages: self.kb_status.show_export(path, pages),
        )  # fmt: skip
        self.patient = PatientPrinter(parent=self, kb=lambda: self.kb, request=self.sheet_request)
        self.reading = Reading(self)
        self.actions_by_name = action_table.build_actions(self)
        self.search_field = SearchField(self, passes_through=action_table.text_field_shortcuts())
        self.toolbar = action_table.build_toolbar(self, self.actions_by_name, self.search_field)
        self.menus = action_table.build_menus(self, self.actions_by_name)
        self.reading.build_menus(self.menus)
        self.entry_menus = EntryMenus(
            settings=self.settings, menus=self.menus, bookmark_action=self.actions_by_name["bookmark"],
            kb=lambda: self.kb, navigate=self.navigate,
        )  # fmt: skip
        self.bookmarks_menu, self.recent_menu = self.entry_menus.bookmarks_menu, self.entry_menus.recent_menu
        self.kb_status = KbStatus(self.statusBar(), self, open_url=self.dialogs.open_url, zoom=self.zoom)
        self.kb_label, self.stale_label = self.kb_status.kb_label, self.kb_status.stale_label
        self.search = SearchController(
            field=self.search_field, status=self.kb_status, cache_dir=cache_dir, parent=self, service=search_service
        )
        self.search.ready.connect(self.search_ready)
        self.search.open_requested.connect(self._on_search_open_requested)
        self.search.list_focus_requested.connect(self._focus_current_list)
        self.search.status_message.connect(self._say)
        self.opening_label = QLabel(f"<div align=center>{OPENING_MESSAGE}</div>", self)
        self.opening_label.setObjectName("openingLabel")
        self.setCentralWidget(self.opening_label)
        window_geometry.restore(self, self.settings)  # fits the screen (a 1280×720 laptop too)
        self._filters = (  # the mouse's back/forward buttons; Ctrl+E and the like from every line edit (filters too)
            action_table.WindowInput(
                self, back=self.go_back, forward=self.go_forward, passes_through=action_table.text_field_shortcuts()
            ),
        )
        if kb is not None:
            self._build_pages(kb)
        self._update_kb_status()
        self._update_actions()
        self.entry_menus.rebuild()
        if build_index and kb is not None:
            QtCore.QTimer.singleShot(0, lambda: self.search.build_index(kb))

    # -- construction --------------------------------------------------------------------------

    def _say(self, text: str, milliseconds: int = 0) -> None:
        self.statusBar().showMessage(text, milliseconds)

    def _build_pages(self, kb: KnowledgeBase) -> None:
        """The search results, the Overview tab and one tab per kind, in place of the "opening" label."""
        from ldn_browser.ui.page_tabs import PageTabs  # imports the pydantic models
        from ldn_browser.ui.search_panel import SearchPanel
        from ldn_browser.ui.search_popup import PageArea

        self.search_panel = SearchPanel(self)
        self.search_panel.escape_pressed.connect(self.focus_search)
        self.search_panel.hide()
        self.tabs = PageTabs(kb=kb, parent=self)
        self.overview_tab, self.entity_tabs = self.tabs.overview_tab, self.tabs.entity_tabs
        self.tabs.entity_selected.connect(self._on_tab_entity_selected)
        self.tabs.link_activated.connect(self.reading.follow_link)
        self.tabs.external_link_activated.connect(self.reading.open_url)
        action_table.add_tab_actions(self, self.tabs, self.menus["go"])
        if 0 <= (last := self.settings.last_tab()) < self.tabs.count():
            self.tabs.setCurrentIndex(last)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.page_area = PageArea(
            tabs=self.tabs, panel=self.search_panel, anchor=self.search_field, bottom=self.reading.find
        )
        self.setCentralWidget(self.page_area)  # deletes the "opening" label
        QWidget.setTabOrder(self.search_field, self.search_panel.view)
        QWidget.setTabOrder(self.search_panel.view, self.tabs)
        self.zoom.target = self.page_area
        self.zoom.apply()
        self.search.attach_panel(self.search_panel)
        self.reading.attach()
        for event_filter in self._filters:
            event_filter.install_after_first_paint(self.page_area)  # not sooner: see WindowInput

    # -- state the actions are enabled by ----------------------------------------------------------

    @property
    def today(self) -> dt.date:
        """The date used for the staleness warning (injectable for tests)."""
        return self._today or dt.date.today()

    @property
    def has_pages(self) -> bool:
        """True once a knowledge base is shown (False while the frame says it is being opened)."""
        return self.overview_tab is not None

    @property
    def can_bookmark(self) -> bool:
        """The page shown is an entry (or its "why this grade")."""
        return self._bookmarkable_target() is not None

    @property
    def is_search_ready(self) -> bool:
        """True once the search index can be queried."""
        return self.search.index is not None

    @property
    def content_is_stale(self) -> bool:
        """True when the stale-content warning is shown."""
        return self.kb is not None and is_content_stale(self.kb.meta.content_as_of, self.today)

    def _update_actions(self) -> None:
        action_table.update_enabled(self, self.actions_by_name)
        self.entry_menus.show_bookmarked(self._bookmarkable_target())

    # -- knowledge base ------------------------------------------------------------------------

    def _update_kb_status(self) -> None:
        if self.kb is None:
            self.kb_status.show_opening(OPENING_MESSAGE)
        else:
            self.kb_status.show_kb(self.kb.meta, self.kb_path, self.today)

    def open_kb(self, path: Path, loaded: object = None) -> bool:
        """Show the KB at *path* (or *loaded*, a background load's KB or KbError); on error, report it, keep ours."""
        from ldn_browser.core.kb import KbError
        from ldn_browser.ui.kb_loader import load_kb_or_error, report_open_error

        kb = load_kb_or_error(path) if loaded is None else loaded
        if not isinstance(kb, KbError):
            self.set_kb(kb, path)  # type: ignore[arg-type]
            return True
        report_open_error(self.dialogs, path, kb)
        return False

    def set_kb(self, kb: KnowledgeBase, path: Path | None) -> None:
        """Show *kb* (building the pages the first time) and rebuild the search index for it."""
        first = not self.has_pages
        self.kb, self.kb_path = kb, path
        if first and self.search.has_service:
            self.search.build_index(kb)  # first: the worker only waits for the search process, whose index is open
            self._build_pages(kb)
        elif first:
            self._build_pages(kb)
            # The index opens in its thread once the pages have painted: sooner, it holds the interpreter while
            # they lay out and paint (their models, delegates and filters are Python). Measured, 9 alternated
            # launches: pages painted 166 ms sooner, search ready 127 ms later (a query typed meanwhile is kept).
            AfterFirstPaint(self.page_area, lambda: self.search.build_index(kb) if self.kb is kb else None)
        else:
            self.search.build_index(kb, path)
            self.search_panel.clear()
            self.tabs.set_kb(kb)
        self.history.retain({e.id for e in kb.entries()})
        self._update_kb_status()
        self._update_actions()
        self.entry_menus.rebuild()
        if first:
            self.pages_ready.emit()
        self.kb_changed.emit(str(path) if path else "")

    @Slot()
    def choose_kb_file(self) -> None:
        """Ask for another knowledge-base file and open it."""
        from ldn_browser.ui.kb_loader import open_in_background  # read and validated off the GUI thread

        if (path := self.dialogs.open_kb_path(str(self.kb_path.parent) if self.kb_path else "")) is not None:
            open_in_background(self, path)

    # -- navigation ----------------------------------------------------------------------------

    @Slot()
    def focus_search(self) -> None:
        """Put the cursor in the search field and select its text."""
        self.search_field.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def current_target(self) -> str | None:
        """The page shown in the current tab."""
        page = self._current_page()
        return page.current_target if page is not None else None

    def _current_page(self) -> OverviewTab | EntityTab | None:
        return self.tabs.current_page() if self.has_pages else None

    @Slot(str)
    def navigate(self, target: str, *, record: bool = True) -> bool:
        """Show *target* (an entry id, ``why:<id>`` or ``overview``) in its tab."""
        if self.kb is None or not self.has_pages:
            return False
        if not self.tabs.show_target(self.kb, target, restore_scroll=not record):
            self._say(f"Not in this knowledge base: {target}", 5000)
            return False
        if record:
            self._record(target)
        self._update_actions()
        self.reading.page_shown(target)
        self.page_shown.emit(target)
        return True

    @Slot(str)
    def _on_search_open_requested(self, entity_id: str) -> None:
        """Open a hit and put the keyboard on the page, so Ctrl+E, arrows and Tab act on it."""
        self.search_panel.hide()  # the page gets its width back; focusing the field reopens the results
        if self.navigate(entity_id) and (page := self._current_page()) is not None:
            page.panes[-1].setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def _record(self, target: str) -> None:
        self.history.push(target)
        if target not in (OVERVIEW_TARGET, START_TARGET) and not target.startswith(WHY_PREFIX):
            self.entry_menus.visited(target)
        self._update_actions()

    @Slot()
    def go_back(self) -> None:
        """Show the previous page in the history."""
        if (target := self.history.back()) is not None:
            self.navigate(target, record=False)

    @Slot()
    def go_forward(self) -> None:
        """Show the next page in the history."""
        if (target := self.history.forward()) is not None:
            self.navigate(target, record=False)

    @Slot(str)
    def _on_tab_entity_selected(self, entity_id: str) -> None:
        self._record(entity_id)
        self.reading.page_shown(entity_id)
        self.page_shown.emit(entity_id)

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        # A tab switch (Alt+N, Ctrl+Tab, a click) shows another page, so Back returns here (navigate(): no new visit)
        self.history.shown(self.current_target())
        self.settings.set_last_tab(index)
        if self.tabs.widget(index) is self.overview_tab and self.overview_tab.current_target == START_TARGET:
            self.overview_tab.refresh()  # its recently viewed and bookmarks lists may have changed
        self._update_actions()

    # -- bookmarks and recent --------------------------------------------------------------------

    @property
    def bookmarks(self) -> list[str]:
        """Bookmarked entry ids, oldest first."""
        return list(self.entry_menus.bookmarks)

    @property
    def recent(self) -> list[str]:
        """Recently viewed entry ids, newest first."""
        return list(self.entry_menus.recent)

    def _bookmarkable_target(self) -> str | None:
        target = self.current_target()
        return None if target in (None, OVERVIEW_TARGET, START_TARGET) else target_entity_id(target)

    @Slot()
    def toggle_bookmark(self) -> None:
        """Bookmark the entry shown, or remove its bookmark."""
        entity = self._bookmarkable_target()
        if entity is None:
            self.statusBar().showMessage("Open an entry to bookmark it", 3000)
            return
        self.statusBar().showMessage(self.entry_menus.toggle_text(entity), 8000)
        self._update_actions()

    # -- view ------------------------------------------------------------------------------------

    def _cycle_panes(self, step: int) -> None:
        page, shown = self._current_page(), self.has_pages and self.search_panel.isVisible()
        panes: list[QWidget] = [self.search_field, *([self.search_panel.view] if shown else [])]
        cycle_focus(panes + (page.panes if page is not None else []), QApplication.focusWidget(), step)

    @Slot()
    def focus_next_pane(self) -> None:
        """Move keyboard focus to the next pane (F6)."""
        self._cycle_panes(1)

    @Slot()
    def focus_previous_pane(self) -> None:
        """Move keyboard focus to the previous pane (Shift+F6)."""
        self._cycle_panes(-1)

    @Slot()
    def _focus_current_list(self) -> None:
        if (page := self._current_page()) is not None:
            page.list_view.setFocus()

    # -- help and printing -------------------------------------------------------------------------

    def sheet_request(self) -> SheetRequest:
        """What the print actions act on: the page on screen (or the conditions selected)."""
        page = self._current_page()
        return request_for(page, is_overview=page is not None and page is self.overview_tab)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save geometry, toolbar state and the current tab; wait for a running index build and export."""
        for output in (self.printer.output, *([self.meds.dialog.output] if self.meds.dialog else [])):
            output.wait()  # an export the user asked for is written before the window goes
        window_geometry.save(self, self.settings)
        if self.has_pages:
            self.settings.set_last_tab(self.tabs.currentIndex())
        self.settings.sync()
        self.search.shut_down()
        if (app := QApplication.instance()) is not None:
            for event_filter in self._filters:
                app.removeEventFilter(event_filter)
        super().closeEvent(event)
