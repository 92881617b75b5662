"""Find in page: a bar under the pages (Ctrl+F), every match highlighted, "3 of 12", F3 / Shift+F3, Esc closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextBrowser, QTextEdit, QToolButton, QWidget

from ldn_browser.ui.theme import palette_is_dark

MAX_MATCHES = 2000
"""Counting stops here (a one-letter query on a long page)."""


class _FindField(QLineEdit):
    """The query field: Enter finds the next match, Shift+Enter the previous, Escape closes the bar."""

    escape_pressed = Signal()
    step_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Escape, Enter and Shift+Enter; everything else as usual."""
        key = event.key()
        if key == QtCore.Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            back = bool(event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
            self.step_requested.emit(-1 if back else 1)
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Finds text in the page shown; *browser* returns the detail pane of the current tab (or None).

    Attributes:
        matches: The cursors of every match in the page, in document order.
        current: Index of the current match in :attr:`matches`, or -1.
    """

    def __init__(self, browser: Callable[[], QTextBrowser | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._browser = browser
        self._target: QTextBrowser | None = None
        self.matches: list[QTextCursor] = []
        self.current = -1
        self.field = _FindField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in page")
        self.field.setPlaceholderText("Find in page")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.field.escape_pressed.connect(self.close_bar)
        self.field.step_requested.connect(self.step)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("9999 of 9999") + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count_label)
        for text, tip, step in (("▲", "Previous match (Shift+F3)", -1), ("▼", "Next match (F3)", 1)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(lambda _=False, s=step: self.step(s))
            layout.addWidget(button)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAccessibleName("Close find bar")
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self.hide()

    @Slot()
    def open_bar(self) -> None:
        """Show the bar with the query selected, ready to type (Ctrl+F)."""
        self.show()
        self.field.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self.refresh()

    @Slot()
    def close_bar(self) -> None:
        """Hide the bar, remove the highlights and give the keyboard back to the page (Esc)."""
        browser = self._target
        self._clear()
        self.hide()
        if browser is not None:
            browser.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Find the query again in the page shown now (after typing, or when another page is shown)."""
        self._clear()
        self._target = self._browser()
        text = self.field.text()
        if self._target is None or not text or not self.isVisible():
            self._show_count()
            return
        doc = self._target.document()
        cursor = QTextCursor(doc)
        while len(self.matches) < MAX_MATCHES:
            cursor = doc.find(text, cursor)
            if cursor.isNull():
                break
            self.matches.append(QTextCursor(cursor))
        self._go(0 if self.matches else -1)

    @Slot(int)
    def step(self, delta: int) -> None:
        """The next (*delta* 1, F3) or previous (-1, Shift+F3) match, wrapping around; opens the bar if hidden."""
        if not self.isVisible():
            self.open_bar()
            return
        if self._target is not self._browser():
            self.refresh()
        if self.matches:
            self._go((self.current + delta) % len(self.matches))

    def _go(self, index: int) -> None:
        self.current = index
        if self._target is not None and index >= 0:
            dark = palette_is_dark(self._target.palette())
            every, current = QTextCharFormat(), QTextCharFormat()
            every.setBackground(QColor("#6b5b00" if dark else "#fff0a0"))
            current.setBackground(QColor("#b8860b" if dark else "#ff9f1a"))
            selections = []
            for i, match in enumerate(self.matches):
                selection = QTextEdit.ExtraSelection()
                selection.cursor = match  # type: ignore[misc]
                selection.format = current if i == index else every  # type: ignore[misc]
                selections.append(selection)
            self._target.setExtraSelections(selections)
            shown = QTextCursor(self.matches[index])
            shown.clearSelection()
            self._target.setTextCursor(shown)
            self._target.ensureCursorVisible()
        self._show_count()

    def _show_count(self) -> None:
        if not self.field.text():
            self.count_label.setText("")
        elif not self.matches:
            self.count_label.setText("No matches")
        else:
            more = "+" if len(self.matches) >= MAX_MATCHES else ""
            self.count_label.setText(f"{self.current + 1} of {len(self.matches)}{more}")

    def _clear(self) -> None:
        if self._target is not None:
            self._target.setExtraSelections([])
        self.matches, self.current = [], -1

    @Slot(str)
    def _on_field_text_changed(self, _text: str) -> None:
        self.refresh()
