"""The outline of the page shown: its section headings as a jump list (Go › Sections…, Ctrl+Shift+O)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Slot
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu, QTextBrowser, QToolButton, QWidget


def sections(doc: QTextDocument) -> list[tuple[int, str, int]]:
    """The headings of *doc*: (level, text, block number), in page order (``<h1>``–``<h3>``)."""
    out: list[tuple[int, str, int]] = []
    block = doc.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if 1 <= level <= 3 and block.text().strip():
            out.append((level, block.text().strip(), block.blockNumber()))
        block = block.next()
    return out


def jump(browser: QTextBrowser, block_number: int) -> None:
    """Scroll *browser* so that the heading in *block_number* is at the top; the cursor goes there too."""
    doc = browser.document()
    block = doc.findBlockByNumber(block_number)
    if not block.isValid():
        return
    browser.setTextCursor(QTextCursor(block))
    doc.size()  # lay out first
    browser.verticalScrollBar().setValue(int(doc.documentLayout().blockBoundingRect(block).top()))


class Outline:
    """The "Sections" button on the toolbar and its menu, filled from the page shown each time it opens."""

    def __init__(self, browser: Callable[[], QTextBrowser | None], parent: QWidget) -> None:
        self._browser = browser
        self.menu = QMenu("Sections", parent)
        self.menu.setObjectName("outlineMenu")
        self.menu.aboutToShow.connect(self._fill)
        self.button = QToolButton(parent)
        self.button.setObjectName("outlineButton")
        self.button.setText("Sections")
        self.button.setToolTip("Jump to a section of the page shown (Ctrl+Shift+O)")
        self.button.setAccessibleName("Sections of this page")
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    @Slot()
    def show_menu(self) -> None:
        """Open the jump list under the button (keyboard: arrows, Enter, or the first letters)."""
        where = self.button.mapToGlobal(QPoint(0, self.button.height())) if self.button.isVisible() else None
        self.menu.popup(where if where is not None else self.button.mapToGlobal(QPoint(0, 0)))

    def entries(self) -> list[tuple[int, str, int]]:
        """The sections of the page shown (empty without a page)."""
        browser = self._browser()
        return sections(browser.document()) if browser is not None else []

    def go(self, block_number: int) -> None:
        """Jump to the section starting at *block_number* and put the keyboard on the page."""
        if (browser := self._browser()) is not None:
            jump(browser, block_number)
            browser.setFocus()

    @Slot()
    def _fill(self) -> None:
        self.menu.clear()
        found = self.entries()
        for level, text, number in found:
            action = self.menu.addAction(("      " * (level - 1)) + text)
            action.triggered.connect(lambda _=False, n=number: self.go(n))
        if not found:
            self.menu.addAction("This page has no sections").setEnabled(False)
