"""A highlight frame on the pane F6 / Shift+F6 moved keyboard focus to, until focus leaves it.

Styles draw focus faintly or not at all on a text browser or a list: after F6 a keyboard user could not see where
the keys now go. The ring is a child of the pane (so it goes when the pane goes), lets the mouse through, and is
drawn in the palette's highlight colour (light and dark themes alike).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

WIDTH = 2
"""The ring's line width in pixels."""


class FocusRing(QWidget):
    """The frame over one pane; :func:`show_focus_ring` makes it and shows it."""

    def __init__(self, pane: QWidget) -> None:
        super().__init__(pane)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        pane.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.hide()

    def show_over_pane(self) -> None:
        """Cover the pane and show (raised above its viewport and scroll bars)."""
        pane = self.parentWidget()
        if pane is not None:
            self.setGeometry(pane.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Follow the pane's size."""
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget() and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        pane = self.parentWidget()
        if self.isVisible() and (new is None or pane is None or not (new is pane or pane.isAncestorOf(new))):
            self.hide()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """A rectangle inside the pane's edge, in the highlight colour."""
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH))
        half = WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half, -half))
        painter.end()


def show_focus_ring(pane: QWidget) -> FocusRing:
    """Show the ring on *pane* (made on first use, one per pane); it hides itself when focus leaves the pane."""
    ring = pane.findChild(FocusRing, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if not isinstance(ring, FocusRing):
        ring = FocusRing(pane)
    ring.show_over_pane()
    return ring
