"""The toolbar search field (part of the window frame, so it needs nothing but Qt)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget


class SearchField(QLineEdit):
    """The toolbar search field: Escape clears it, Down moves into the results.

    The window's shortcuts in *passes_through* (Ctrl+P, Ctrl+E, Ctrl+D, …) win over the line edit's
    own bindings of the same keys: on X11 ``QLineEdit`` takes Ctrl+E as "end of line", which would
    make Export do nothing while the field has focus.

    Signals:
        escape_pressed: Emitted when Escape is pressed.
        down_pressed: Emitted when the Down arrow is pressed.
        focused: Emitted when the field gets keyboard focus (the results panel reopens).
    """

    escape_pressed = Signal()
    down_pressed = Signal()
    focused = Signal()

    def __init__(self, parent: QWidget | None = None, *, passes_through: Iterable[str] = ()) -> None:
        super().__init__(parent)
        self._passes_through = frozenset(passes_through)
        self.setObjectName("searchField")
        self.setAccessibleName("Search")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(360)

    def event(self, event: QEvent) -> bool:
        """Let the window's shortcuts through instead of overriding them (``QEvent.ShortcutOverride``)."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination()).toString()
            if pressed in self._passes_through:
                event.ignore()  # not overridden: the QAction's shortcut fires
                return True
        return super().event(event)

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

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Say so: the results of the query still in the field come back."""
        super().focusInEvent(event)
        self.focused.emit()
