"""Export and print run off the GUI thread (review D14): the window keeps answering while a long sheet
is laid out, Cancel stops it with nothing written, one job runs at a time, and closing the window
waits for the file the user asked for."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton

from ldn_browser.core.sheet import SheetDocument, SheetPart
from ldn_browser.ui import print_actions, printing
from ldn_browser.ui.main_window import MainWindow

OLD = b"%PDF-1.4 the previous export\n%%EOF\n"


def _press_cancel(dialog: QProgressDialog) -> None:
    """Click the progress window's Cancel button."""
    buttons = dialog.findChildren(QPushButton)
    assert [b.text() for b in buttons] == ["Cancel"]
    buttons[0].click()


def _long_sheet(paragraphs: int = 4500) -> SheetDocument:
    """One sheet of about 240 pages: a single layout step of a second or more (160 pages took 0.75-1 s here)."""
    html = "<h1>Long sheet</h1>" + "".join(
        f"<p>Paragraph {i}: " + "words of a long printed sheet " * 10 + "</p>" for i in range(paragraphs)
    )
    return SheetDocument(
        "Long sheet", html, "KB test · printed 2026-12-02\nA test footer", (SheetPart("Long sheet", html),)
    )


@pytest.fixture
def long_export(window: MainWindow, monkeypatch: pytest.MonkeyPatch, dialogs: Any, tmp_path: Path) -> Path:
    """The window on an entry whose sheet is long; the export dialog answers *tmp_path*/out/long.pdf."""
    monkeypatch.setattr(print_actions, "build", lambda _kb, _request: _long_sheet())
    window.navigate("condition:crohns-disease")
    (tmp_path / "out").mkdir()
    dialogs.save_answer = tmp_path / "out" / "long.pdf"
    return dialogs.save_answer


def test_the_window_keeps_answering_while_a_long_sheet_is_laid_out(window: MainWindow, long_export: Path) -> None:
    ticks: list[float] = []
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    job = window.printer.export_page()
    assert job is not None and not job.finished  # export_page returns at once; the work goes on elsewhere
    assert job.wait() == len(PdfReader(long_export).pages) > 100
    ended = time.perf_counter()
    timer.stop()
    during = [t for t in ticks if started <= t <= ended]
    gaps = [b - a for a, b in zip([started, *during], [*during, ended], strict=True)]
    # On the GUI thread the single layout step blocked the event loop for the whole second.
    assert len(during) >= 10 and max(gaps) < (ended - started) / 2, (len(during), max(gaps), ended - started)
    assert window.kb_status.export_notice.isVisible() and "long.pdf" in window.kb_status.export_notice.label.text()


def test_cancel_in_the_progress_window_keeps_the_old_file(window: MainWindow, long_export: Path) -> None:
    long_export.write_bytes(OLD)
    job = window.printer.export_page()
    assert job is not None and window.printer.output.last_progress is not None
    _press_cancel(window.printer.output.last_progress)
    assert isinstance(job.wait(), printing.ExportCancelled)
    assert long_export.read_bytes() == OLD and [p.name for p in long_export.parent.iterdir()] == ["long.pdf"]
    assert window.statusBar().currentMessage().startswith("Export cancelled: nothing was written to")
    assert not window.kb_status.export_notice.isVisible()


def test_one_export_at_a_time(window: MainWindow, long_export: Path, dialogs: Any) -> None:
    first = window.printer.export_page()
    asked = len(dialogs.save_requests)
    assert first is not None and window.printer.export_page() is None  # the second is refused at once
    assert len(dialogs.save_requests) == asked  # without asking for a file it could not write yet
    assert "still running" in window.statusBar().currentMessage()
    assert isinstance(first.wait(), int) and window.printer.export_page() is not None  # free again once done
    window.printer.output.wait()


def test_closing_the_window_waits_for_the_export(window: MainWindow, long_export: Path) -> None:
    job = window.printer.export_page()
    assert job is not None
    window.close()
    assert job.finished and long_export.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(long_export).pages) > 100


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The print dialog answers a PDF printer ("Print to file") writing *tmp_path*/printed.pdf."""
    out = tmp_path / "printed.pdf"

    def pdf_printer(_title: str, _parent: object) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(printing, "choose_printer", pdf_printer)
    return out


def test_print_runs_in_the_background_on_the_chosen_printer(window: MainWindow, printed: Path) -> None:
    out = printed
    window.navigate("condition:crohns-disease")
    job = window.printer.print_page()
    assert job is not None
    pages = job.wait()
    assert isinstance(pages, int) and pages == len(PdfReader(out).pages)
    assert "Crohn" in PdfReader(out).pages[0].extract_text()
    # "Print to file" says where the file went, with Open and Show in folder (it had said "Sent … to the printer")
    notice = window.kb_status.export_notice
    assert notice.isVisibleTo(window) and "printed.pdf" in notice.label.text()
    assert str(out.parent) in notice.label.text()


def test_a_cancelled_print_is_aborted(window: MainWindow, monkeypatch: pytest.MonkeyPatch, printed: Path) -> None:
    monkeypatch.setattr(print_actions, "build", lambda _kb, _request: _long_sheet())
    window.navigate("condition:crohns-disease")
    job = window.printer.print_page()
    assert job is not None and window.printer.output.last_progress is not None
    _press_cancel(window.printer.output.last_progress)
    assert isinstance(job.wait(), printing.ExportCancelled)
    assert window.statusBar().currentMessage().startswith("Printing cancelled")
