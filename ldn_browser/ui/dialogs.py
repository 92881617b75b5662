"""The window's dialogs behind one small interface, so tests and other front ends can substitute them."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Dialogs:
    """Asks and tells the user things; every method is modal or opens the system's handler.

    A test passes an object with the same methods (see ``tests/ui/conftest.py``: ``FakeDialogs``).
    """

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def error(self, title: str, text: str, details: str) -> None:
        """Show an error message; *details* can be selected and copied."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setInformativeText(details)
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

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
        """Open an http(s) link (PubMed, DOI) or a local file in the system's application; False if none opened."""
        if url.scheme() in ("http", "https", "file"):
            return bool(QDesktopServices.openUrl(url))
        return False
