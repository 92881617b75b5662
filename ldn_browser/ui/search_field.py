"""The toolbar search field (part of the window frame, so it needs nothing but Qt)."""

from __future__ import annotations

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit


class SearchField(QLineEdit):
    """The toolbar search field: Escape clears it, Down moves into the results.

    Signals:
        escape_pressed: Emitted when Escape is pressed.
        down_pressed: Emitted when the Down arrow is pressed.
    """

    escape_pressed = Signal()
    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Handle Escape and Down; everything else as usual."""
        if event.key() == QtCore.Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        if event.key() == QtCore.Qt.Key.Key_Down:
            self.down_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)
