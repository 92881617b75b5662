"""The print and print-preview dialogs, driven as a user would: inspect the modal dialog, then accept or cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import build_sheet
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.printing import print_with_dialog, show_print_preview

CROHNS = "condition:crohns-disease"


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _when_modal(act: Callable[[QDialog], None], seen: dict[str, Any]) -> None:
    """Once a modal dialog is up, record it and run *act* on it (a user clicking a button)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            seen["dialog"] = dialog
            seen["title"] = dialog.windowTitle()
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_print_preview_shows_the_sheet_pages(qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    doc = build_sheet(mini_kb, [CROHNS])
    seen: dict[str, Any] = {}

    def look_and_close(dialog: QDialog) -> None:
        preview = dialog.findChild(QPrintPreviewWidget)
        seen["pages"] = preview.pageCount() if preview is not None else None
        dialog.reject()

    _when_modal(look_and_close, seen)
    show_print_preview(doc, None, printer=_pdf_printer(tmp_path / "unused.pdf"))
    assert isinstance(seen["dialog"], QPrintPreviewDialog)
    assert "Crohn" in seen["title"]
    assert seen["pages"] >= 1
    assert not (tmp_path / "unused.pdf").exists()  # previewing prints nothing


@pytest.mark.parametrize("accept", [True, False])
def test_print_dialog_prints_only_when_accepted(
    qtbot: QtBot, qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path, accept: bool
) -> None:
    out = tmp_path / "printed.pdf"
    seen: dict[str, Any] = {}
    _when_modal(lambda d: d.accept() if accept else d.reject(), seen)
    printed = print_with_dialog(build_sheet(mini_kb, [CROHNS]), None, printer=_pdf_printer(out))
    assert isinstance(seen["dialog"], QPrintDialog) and "Crohn" in seen["title"]
    assert printed is accept
    if accept:
        text = "".join(page.extract_text() for page in PdfReader(out).pages)
        assert "Crohn" in text
    else:
        assert not out.exists()


@pytest.mark.parametrize("action", ["print_action", "preview_action"])
def test_window_print_actions_open_their_dialog(window: MainWindow, action: str) -> None:
    window.navigate(CROHNS)
    seen: dict[str, Any] = {}
    _when_modal(lambda d: d.reject(), seen)
    getattr(window, action).trigger()
    expected = QPrintDialog if action == "print_action" else QPrintPreviewDialog
    assert isinstance(seen["dialog"], expected)
    assert "Crohn" in seen["title"]


def test_a_print_cancelled_from_its_progress_is_aborted(
    qtbot: QtBot, qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    from ldn_browser.ui.printing import ExportCancelled

    out = tmp_path / "printed.pdf"
    seen: dict[str, Any] = {}
    steps: list[tuple[int, int]] = []
    _when_modal(lambda d: d.accept(), seen)
    printer = _pdf_printer(out)
    with pytest.raises(ExportCancelled):
        print_with_dialog(
            build_sheet(mini_kb, [CROHNS]), None, printer=printer, progress=lambda d, t: steps.append((d, t)) and False
        )
    assert steps == [(1, 2)] and not out.exists()  # stopped before anything reached the printer
