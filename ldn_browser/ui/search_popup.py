"""The search results as a drop-down panel over the page, under the search field: the page keeps its width.

The panel opens while there is a query and the field (or the list) has focus, and closes when a hit
is opened, on Escape, or when focus moves to the page; focusing the field again reopens it. The keys
are as before: Down moves into the list, Enter opens, Escape goes back to the field.
"""

from __future__ import annotations

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QEvent, QObject, QRect, Slot
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QApplication, QGraphicsDropShadowEffect, QVBoxLayout, QWidget

from ldn_browser.ui.search_panel import SearchPanel

PANEL_CHARS = 52
"""Width of the panel in characters of its font (it never covers more than :data:`MAX_FRACTION` of the page)."""
MAX_FRACTION = 0.6


class PageArea(QWidget):
    """The window's central widget: the tabs and the find bar in a column, the search panel floating above.

    Attributes:
        panel: The search results panel (a child not in the layout, so the tabs never lose width to it).
    """

    def __init__(self, *, tabs: QWidget, panel: SearchPanel, anchor: QWidget, bottom: QWidget | None = None) -> None:
        super().__init__()
        self.setObjectName("pageArea")
        self.panel, self._anchor = panel, anchor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(tabs, 1)
        if bottom is not None:
            layout.addWidget(bottom)
        panel.setParent(self)
        panel.setAutoFillBackground(True)
        shadow = QGraphicsDropShadowEffect(panel)
        shadow.setBlurRadius(18)
        shadow.setOffset(2, 3)
        shadow.setColor(QColor(0, 0, 0, 110))
        panel.setGraphicsEffect(shadow)
        panel.installEventFilter(self)
        panel.contents_changed.connect(self._on_panel_contents_changed)
        if (app := QApplication.instance()) is not None and isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def panel_rect(self) -> QRect:
        """Where the panel goes: under the search field, about :data:`PANEL_CHARS` wide, the page's full height."""
        chars = QFontMetricsF(self.panel.font()).averageCharWidth() * PANEL_CHARS
        width = int(min(max(chars, self._anchor.width()), self.width() * MAX_FRACTION))
        left = (
            self._anchor.mapTo(self.window(), QtCore.QPoint(0, 0)).x()
            - self.mapTo(self.window(), QtCore.QPoint(0, 0)).x()
        )
        left = max(0, min(left, self.width() - width))
        if self.panel.has_list:
            return QRect(left, 0, width, self.height())
        # A line or two ("… is not covered …", "Preparing search…"): as high as that text, not the page.
        layout = self.panel.layout()
        height = layout.heightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
        return QRect(left, 0, width, min(self.height(), max(height, self.panel.minimumSizeHint().height())))

    def place(self) -> None:
        """Put the panel in place and on top."""
        self.panel.setGeometry(self.panel_rect())
        self.panel.raise_()

    def resizeEvent(self, event: QEvent) -> None:  # type: ignore[override]  # noqa: N802 - Qt override
        """Keep the panel under the field."""
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.panel.isVisible():
            self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Place the panel each time it is shown (the controller just shows and hides it)."""
        if watched is self.panel and event.type() == QEvent.Type.Show:
            self.place()
        return False

    @Slot()
    def _on_panel_contents_changed(self) -> None:
        if self.panel.isVisible():
            self.place()

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Focus on the page (not the field, not the panel) closes the panel."""
        if new is None or new.window() is not self.window() or not self.panel.isVisible():
            return
        if new is self._anchor or self.panel.isAncestorOf(new) or new is self.panel:
            return
        if self.isAncestorOf(new):
            self.panel.hide()
