"""The tabs of the window: the Overview, then one tab per kind of entry, in kind-registry order."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kinds import KIND_SPECS
from ldn_browser.core.pages import OVERVIEW_TARGET, target_entity_id
from ldn_browser.core.start_page import START_TARGET
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.entity_tab import EntityTab
from ldn_browser.ui.overview_tab import OverviewTab

ACCENT_PX = 3
"""Height of the bar under the current tab: the style's own cue (a shade of the window colour) is faint in a dark
palette and in some light ones."""


class AccentTabBar(QTabBar):
    """The style's tabs, with a bar in the highlight colour under the current one."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if (index := self.currentIndex()) < 0:
            return
        rect = self.tabRect(index).adjusted(1, 0, -1, 0)
        rect.setTop(rect.bottom() - ACCENT_PX + 1)
        painter = QPainter(self)
        painter.fillRect(rect, self.palette().color(QPalette.ColorRole.Highlight))
        painter.end()


class PageTabs(QTabWidget):
    """The Overview tab and an :class:`EntityTab` per kind; shows any page target in its tab.

    Signals:
        link_activated: Emitted with the target of an internal link clicked on any page.
        external_link_activated: Emitted with an external URL clicked on any page.
        entity_selected: Emitted with the id of an entry selected in a tab's list.
    """

    link_activated = Signal(str)
    external_link_activated = Signal(QUrl)
    entity_selected = Signal(str)

    def __init__(self, *, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainTabs")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(False)  # the zoom is clamped so that every label fits
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setTabBar(AccentTabBar(self))
        self.overview_tab = OverviewTab(kb=kb, parent=self)
        self.addTab(self.overview_tab, "Overview")
        self.entity_tabs: dict[Kind, EntityTab] = {}
        for kind in KIND_SPECS:
            tab = EntityTab(kind=kind, kb=kb, parent=self)
            tab.entity_selected.connect(self.entity_selected)
            self.addTab(tab, kind.plural)
            self.entity_tabs[kind] = tab
        for page in self.pages():
            page.link_activated.connect(self.link_activated)
            page.external_link_activated.connect(self.external_link_activated)
        for i in range(min(self.count(), 10)):
            self.setTabToolTip(i, f"{self.tabText(i)} (Alt+{(i + 1) % 10})")

    def pages(self) -> list[OverviewTab | EntityTab]:
        """The Overview tab, then the tab of each kind."""
        return [self.overview_tab, *self.entity_tabs.values()]

    def current_page(self) -> OverviewTab | EntityTab | None:
        """The page shown."""
        widget = self.currentWidget()
        return next((page for page in self.pages() if page is widget), None)

    def show_target(self, kb: KnowledgeBase, target: str, *, restore_scroll: bool = False) -> bool:
        """Show an entry id, ``why:<id>``, ``overview`` or ``start`` in its tab; False when *kb* has no such entry.

        With *restore_scroll* (Back, Forward) the page comes back where it was scrolled to.
        """
        if target in (OVERVIEW_TARGET, START_TARGET):
            self.overview_tab.show_target(target)
            self.setCurrentWidget(self.overview_tab)
            return True
        entry = kb.get(target_entity_id(target))
        if entry is None:
            return False
        self.entity_tabs[entry.kind].show_target(target, restore_scroll=restore_scroll)
        self.setCurrentWidget(self.entity_tabs[entry.kind])
        return True

    def show_next(self) -> None:
        """Show the tab to the right of the current one, the first after the last (Ctrl+Tab, from any focus)."""
        self.setCurrentIndex((self.currentIndex() + 1) % self.count())

    def show_previous(self) -> None:
        """Show the tab to the left of the current one, the last before the first (Ctrl+Shift+Tab)."""
        self.setCurrentIndex((self.currentIndex() - 1) % self.count())

    def set_kb(self, kb: KnowledgeBase) -> None:
        """Show another knowledge base in every tab."""
        for page in self.pages():
            page.set_kb(kb)

    def refresh(self) -> None:
        """Re-render every page (after a palette change)."""
        for page in self.pages():
            page.refresh()
