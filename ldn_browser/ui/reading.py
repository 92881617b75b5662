"""Reading aids of the window: find in page, the outline, zoom fitting, View › Theme, links that cannot open,
citations, and reopening the last page (or the start page).

:class:`Reading` is built with the window frame (its actions need its methods) and attached to the
pages once they exist (:meth:`Reading.attach`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QTextBrowser

from ldn_browser.core.pages import (
    CITE_PREFIX,
    OVERVIEW_TARGET,
    SEARCH_TARGET,
    START_TARGET,
    WHY_PREFIX,
    target_entity_id,
)
from ldn_browser.core.text_policy import path_text
from ldn_browser.ui.find_bar import FindBar
from ldn_browser.ui.outline import Outline
from ldn_browser.ui.theme import THEME_ENV, THEMES, apply_theme, palette_is_dark

if TYPE_CHECKING:
    from ldn_browser.ui.main_window import MainWindow


class Reading(QObject):
    """Find bar, outline, zoom fitting, theme menu, link fallback, citations and the last page."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self.find = FindBar(self.current_browser, window)
        self.outline = Outline(self.current_browser, window)
        self.theme_actions: dict[str, QAction] = {}
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(50)
        self._fit_timer.timeout.connect(self._fit_window)
        self._dark = palette_is_dark(window.palette())
        self._palette_timer = QTimer(self)  # after a system palette change, once every widget has resolved it
        self._palette_timer.setSingleShot(True)
        self._palette_timer.setInterval(0)
        self._palette_timer.timeout.connect(self.palette_changed)
        window.installEventFilter(self)

    def current_browser(self) -> QTextBrowser | None:
        """The detail pane of the tab shown, or None before the pages exist."""
        page = self._w.tabs.current_page() if self._w.has_pages else None
        return page.detail if page is not None else None

    def next_tab(self) -> None:
        """Show the tab to the right, the first after the last (Ctrl+Tab, from any focus: the search field too)."""
        self._w.tabs.show_next()

    def previous_tab(self) -> None:
        """Show the tab to the left, the last before the first (Ctrl+Shift+Tab)."""
        self._w.tabs.show_previous()

    # -- wiring ------------------------------------------------------------------------------------

    def build_menus(self, menus: dict[str, QMenu]) -> None:
        """View › Theme (System, Light, Dark; the choice is saved) and the Sections button on the toolbar."""
        theme_menu = menus["view"].addMenu("&Theme")
        theme_menu.setObjectName("themeMenu")
        group = QActionGroup(theme_menu)
        chosen = self._w.settings.theme()
        for value, text in THEMES:
            action = theme_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value == chosen)
            action.setObjectName(f"theme_{value}Action")
            action.triggered.connect(lambda _=False, v=value: self.set_theme(v))
            group.addAction(action)
            self.theme_actions[value] = action
        self._w.toolbar.addWidget(self.outline.button)

    def attach(self) -> None:
        """Connect to the pages just built: re-find on a new page, fit zoom and columns, reopen the last page."""
        tabs = self._w.tabs
        for page in tabs.pages():
            page.rendered.connect(self._on_page_rendered)
        tabs.currentChanged.connect(self._on_page_rendered)
        tabs.installEventFilter(self)  # the window itself is not sent ApplicationPaletteChange (Qt 6): its pages are
        tabs.overview_tab.start_lists = lambda: (self._w.recent, self._w.bookmarks)
        zoom = self._w.zoom
        zoom.tabs, zoom.also, zoom.on_applied = tabs, (self._w.toolbar,), self._fit_columns
        target = self._w.settings.last_target()
        if target is not None and self._w.navigate(target):
            return
        if self._w.settings.last_tab() == 0:
            self._w.navigate(START_TARGET)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """After the window is shown or resized: clamp a zoom that does not fit, fit the list columns."""
        if watched is self._w and event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self._fit_timer.start()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._palette_timer.start()
        return False

    @Slot()
    def palette_changed(self) -> None:
        """When the palette turned light or dark: re-render the pages, the lists and badges, an open legend."""
        dark = palette_is_dark(self._w.tabs.palette() if self._w.has_pages else self._w.palette())
        if dark == self._dark:
            return
        self._dark = dark
        if self._w.has_pages:
            self._w.tabs.refresh()
            self._w.search_panel.view.viewport().update()
        self._w.help.refresh(dark=dark)

    @Slot()
    def _fit_window(self) -> None:
        if self._w.has_pages and self._w.isVisible():
            self._w.zoom.clamp_to_window()

    def _fit_columns(self) -> None:
        if self._w.has_pages:
            for page in self._w.tabs.pages():
                # Only a new width or zoom re-fits (a hidden tab when next shown): the window shown again, or a
                # zoom that did not change, keeps a splitter the user dragged, and costs no measuring pass.
                page.fit_columns(force=False)

    @Slot()
    def _on_page_rendered(self) -> None:
        if self.find.isVisible():
            self.find.refresh()

    def show_start(self) -> None:
        """The start page (Go › Start page)."""
        self._w.navigate(START_TARGET)

    def page_shown(self, target: str) -> None:
        """Remember *target* as the page to reopen at the next start (the start page is the default anyway)."""
        self._w.settings.set_last_target("" if target == START_TARGET else target)

    # -- find ------------------------------------------------------------------------------------------

    def find_next(self) -> None:
        """The next match (F3)."""
        self.find.step(1)

    def find_previous(self) -> None:
        """The previous match (Shift+F3)."""
        self.find.step(-1)

    # -- theme -----------------------------------------------------------------------------------------

    def set_theme(self, theme: str) -> None:
        """Switch to *theme* ("system", "light", "dark") now and save it; the pages re-render for it."""
        self._w.settings.set_theme(theme)
        if theme in self.theme_actions:
            self.theme_actions[theme].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self._palette_timer.start()  # the pages re-render now, not when another page opens (see attach)
        if os.environ.get(THEME_ENV):
            self._w.statusBar().showMessage(f"Saved; {THEME_ENV} is set and wins at the next start", 5000)

    # -- links and citations -----------------------------------------------------------------------------

    def open_url(self, url: QUrl) -> None:
        """Open a PubMed/DOI link; when it cannot open, say so with the address, which is also copied.

        A link the app did not build (see :mod:`ldn_browser.core.links`) is refused, said so, never copied.
        """
        from ldn_browser.core.links import refusal_reason

        if refusal_reason(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)) is not None:
            self._w.statusBar().showMessage("Not opened: only PubMed, PMC, DOI and trial-registry links open.", 8000)
            return
        if self._w.dialogs.open_url(url) is False:
            address = url.toString()
            QGuiApplication.clipboard().setText(address)
            self._w.statusBar().showMessage(
                f"Could not open a browser (none set up, or offline?). The address is copied: {address}", 0
            )

    def _entry_shown(self) -> object | None:
        target = self._w.current_target()
        if self._w.kb is None or target is None or target in (OVERVIEW_TARGET, START_TARGET):
            return None
        return self._w.kb.get(target_entity_id(target))

    @property
    def can_cite(self) -> bool:
        """The page shown is a source (Copy citation)."""
        from ldn_browser.core.vocab import Kind

        target = self._w.current_target()
        return target is not None and not target.startswith(WHY_PREFIX) and target.startswith(f"{Kind.SOURCE.value}:")

    @property
    def has_references(self) -> bool:
        """The page shown is an entry (Export references…)."""
        target = self._w.current_target()
        return target is not None and target not in (OVERVIEW_TARGET, START_TARGET)

    @Slot(str)
    def follow_link(self, target: str) -> None:
        """An internal link clicked on a page: "Copy citation" copies, "Search" focuses the field; others navigate."""
        if target.startswith(CITE_PREFIX):
            self.copy_citation(target[len(CITE_PREFIX) :])
        elif target == SEARCH_TARGET:
            self._w.focus_search()
        else:
            self._w.navigate(target)

    def copy_citation(self, source_id: str | None = None) -> None:
        """Copy the source shown (or *source_id*) as a Vancouver reference."""
        from ldn_browser.core.citations import vancouver
        from ldn_browser.core.entities import Source

        wanted = source_id if isinstance(source_id, str) else None  # a menu action passes its checked state
        source = self._entry_shown() if wanted is None or self._w.kb is None else self._w.kb.get(wanted)
        if not isinstance(source, Source):
            self._w.statusBar().showMessage("Open a source to copy its citation", 3000)
            return
        text = vancouver(source)
        QGuiApplication.clipboard().setText(text)
        self._w.statusBar().showMessage(f"Citation copied: {text}", 8000)

    def export_references(self) -> None:
        """Save the sources of the page shown as an RIS file (for reference managers)."""
        from ldn_browser.core.citations import page_sources, ris
        from ldn_browser.core.entities import Entry

        entry = self._entry_shown()
        if not isinstance(entry, Entry) or self._w.kb is None:
            return
        sources = page_sources(self._w.kb, entry)
        if not sources:
            self._w.statusBar().showMessage("This page cites no sources", 3000)
            return
        suggested = entry.id.split(":", 1)[1] + ".ris"
        path = self._w.dialogs.save_path("Export references", suggested, "RIS (*.ris)", ".ris")
        if path is None:
            return
        try:
            path.write_text(ris(sources), encoding="utf-8", newline="")
        except OSError as e:
            problem = f"{path_text(path)} could not be written."
            self._w.dialogs.error("Cannot export references", problem, str(e.strerror or e))
            return
        self._w.statusBar().showMessage(f"{len(sources)} references saved to {path_text(path)}", 6000)
