"""The window's dialogs behind one small interface, so tests and other front ends can substitute them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ldn_browser.ui import links
from ldn_browser.ui.text_widgets import message_box


class Dialogs:
    """Asks and tells the user things; every method is modal or opens the system's handler.

    A test passes an object with the same methods (see ``tests/ui/conftest.py``: ``FakeDialogs``).
    """

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def error(self, title: str, text: str, details: str) -> None:
        """Show an error message; *details* can be selected and copied."""
        message_box(QMessageBox.Icon.Critical, title, text, details, self._parent).exec()

    def open_kb_path(self, start: str) -> Path | None:
        """Ask for a knowledge-base file to open; None when cancelled."""
        name, _ = QFileDialog.getOpenFileName(
            self._parent, "Open knowledge base", start, "Knowledge base (*.json);;All files (*)"
        )
        return Path(name) if name else None

    def save_pdf_path(self, title: str, suggested: str) -> Path | None:
        """Ask where to save a PDF (the dialog title names what is exported); ``.pdf`` is added if missing."""
        name, _ = QFileDialog.getSaveFileName(self._parent, title, suggested, "PDF (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def save_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
        """Ask where to save a file; *suffix* (".ris") is added if missing; None when cancelled."""
        name, _ = QFileDialog.getSaveFileName(self._parent, title, suggested, file_filter)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_suffix(suffix)

    def open_url(self, url: QUrl) -> bool:
        """Open a link the URL policy allows (see :mod:`ldn_browser.ui.links`); False (and logged) otherwise."""
        return links.open_url(url)
