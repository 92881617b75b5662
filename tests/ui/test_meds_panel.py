"""The "Check medications" panel: menu and shortcut, the table with badges, rows opening entries, the printed page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import FakeDialogs
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import EMPTY_MESSAGE, check_medications
from ldn_browser.core.pages import format_date
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.presentation import SEVERITY_PALETTES, Palette
from ldn_browser.core.sheet_meds import medication_sheet
from ldn_browser.core.vocab import Severity
from ldn_browser.ui import printing
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.meds_panel import BADGE_COLUMN, ENTRY_ROLE, MedicationCheckDialog
from ldn_browser.ui.printing import ExportCancelled

LIST = """• Oxycontin 20mg BD
co-codamol 30/500 2 qds prn
Levothyroxine 75 micrograms OD
warfarin 5mg
Tylenol #3 1-2 tabs q4-6h
percocett 5/325
Imodium 2mg prn; Suboxone 8/2 mg SL daily
xyzzy 10mg
"""


def _press_cancel(dialog: QProgressDialog) -> None:
    """Click the progress window's Cancel button."""
    buttons = dialog.findChildren(QPushButton)
    assert [b.text() for b in buttons] == ["Cancel"]
    buttons[0].click()


@pytest.fixture
def meds_window(qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase) -> MainWindow:
    w = make_window(kb=bundled_kb, kb_path=default_kb_path(), build_index=False)
    w.show()
    qtbot.waitExposed(w)
    return w


def _open(window: MainWindow) -> MedicationCheckDialog:
    window.actions_by_name["check_meds"].trigger()
    dialog = window.meds.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_tools_menu_and_shortcut_open_the_panel(qtbot: QtBot, meds_window: MainWindow) -> None:
    items = [a.text() for a in meds_window.menus["tools"].actions()]
    assert "Check &medications…" in items
    action = meds_window.actions_by_name["check_meds"]
    assert QKeySequence("Ctrl+Shift+M") in action.shortcuts() and action.isEnabled()
    meds_window.activateWindow()
    qtbot.waitUntil(meds_window.isActiveWindow)
    qtbot.keyClick(meds_window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: meds_window.meds.dialog is not None and meds_window.meds.dialog.isVisible())


def test_results_table_one_row_per_medication_with_badges(meds_window: MainWindow) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText(LIST)
    dialog.check_button.click()
    model = dialog.model
    assert model.rowCount() == 9
    inputs = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert inputs[0] == "Oxycontin 20mg BD" and inputs[6:8] == ["Imodium 2mg prn", "Suboxone 8/2 mg SL daily"]
    badge = model.data(model.index(0, BADGE_COLUMN))
    assert badge.startswith("✖ Contraindicated · Opioid analgesics")
    assert model.data(model.index(3, BADGE_COLUMN)) == "○ No data"
    assert model.data(model.index(8, BADGE_COLUMN)) == "? Not recognised"
    assert model.data(model.index(5, 2)) == "typo: percocett → Percocet → oxycodone"
    background = model.data(model.index(0, BADGE_COLUMN), Qt.ItemDataRole.BackgroundRole)
    expected = SEVERITY_PALETTES[Palette.SCREEN_LIGHT][Severity.CONTRAINDICATED].background
    assert background.color().name() == expected  # colour is the third cue, after glyph and word
    assert "9 medications" in dialog.summary.text() and dialog.export_button.isEnabled()


def test_a_theme_change_recolours_the_open_panel_badges(qtbot: QtBot, meds_window: MainWindow) -> None:
    """Switching to the dark theme with the panel open (View menu) repaints its badges with the dark fills, and
    back; the rows and the selection stay."""
    from PySide6.QtWidgets import QApplication

    from ldn_browser.ui.theme import apply_theme

    def fill() -> str:
        brush = dialog.model.data(dialog.model.index(0, BADGE_COLUMN), Qt.ItemDataRole.BackgroundRole)
        return str(brush.color().name())

    dialog = _open(meds_window)
    dialog.input.setPlainText(LIST)
    dialog.check()
    light = SEVERITY_PALETTES[Palette.SCREEN_LIGHT][Severity.CONTRAINDICATED].background
    dark = SEVERITY_PALETTES[Palette.SCREEN_DARK][Severity.CONTRAINDICATED].background
    assert fill() == light
    repainted: list[object] = []
    dialog.model.dataChanged.connect(lambda *args: repainted.append(args))
    try:
        meds_window.reading.set_theme("dark")
        qtbot.waitUntil(lambda: fill() == dark)
        assert repainted and dialog.model.rowCount() == 9 and dialog.table.currentIndex().row() == 0
        meds_window.reading.set_theme("light")
        qtbot.waitUntil(lambda: fill() == light)
    finally:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, "system")


def test_a_row_opens_its_interaction_entry(meds_window: MainWindow) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("Synthroid 100mcg\nwarfarin 5mg")
    dialog.check()
    index = dialog.model.index(0, 1)
    assert dialog.model.data(index, ENTRY_ROLE) == "interaction:thyroid-hormones"
    dialog.table.doubleClicked.emit(index)
    assert meds_window.current_target() == "interaction:thyroid-hormones"
    dialog.table.selectRow(1)
    dialog.open_selected()  # no entry: said, and the page stays
    assert "no interaction entry" in dialog.status.text() and "2 medications" in dialog.summary.text()
    assert meds_window.current_target() == "interaction:thyroid-hormones"
    assert dialog.model.data(dialog.model.index(1, 1), ENTRY_ROLE) is None


def test_empty_text_is_said_and_nothing_can_be_printed(meds_window: MainWindow) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("  \n\n")
    assert dialog.check() == ()
    assert dialog.summary.text() == EMPTY_MESSAGE
    assert not dialog.export_button.isEnabled() and dialog.sheet() is None


def _pdf_text(path: Path) -> list[str]:
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in PdfReader(path).pages]


def test_export_writes_a_one_page_medication_check(
    meds_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path, bundled_kb: KnowledgeBase
) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText(LIST)
    dialog.check()
    dialogs.save_answer = tmp_path / "check.pdf"
    job = dialog.export_sheet()
    assert job is not None and job.wait() == 1
    assert dialogs.save_requests[-1][0] == "Export PDF: LDN medication check"
    pages = _pdf_text(tmp_path / "check.pdf")
    assert len(pages) == 1
    page = pages[0]
    assert "LDN medication check" in page
    assert f"Checked {format_date(dt.date.today())}" in page and dt.date.today().isoformat() in page
    assert f"KB {bundled_kb.meta.kb_version}" in page
    assert " ".join(bundled_kb.meta.disclaimer.split()[:12]) in page
    for line in ("Oxycontin 20mg BD", "warfarin 5mg", "xyzzy 10mg", "Suboxone 8/2 mg SL daily"):
        assert line in page
    assert "Contraindicated" in page and "Caution" in page and "No data" in page and "Not recognised" in page
    assert "No LDN interaction data for warfarin" in page


def test_the_printed_page_keeps_every_line_of_a_long_list(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    text = "\n".join(f"Percocet 5/325 q6h (line {n})" if n % 2 else f"warfarin {n} mg" for n in range(1, 61))
    doc = medication_sheet(bundled_kb, check_medications(text, bundled_kb), printed_on=dt.date(2026, 12, 2))
    with printing.headless_app():
        pages = printing.export_pdf(doc, tmp_path / "long.pdf", page_size="A4")
    texts = _pdf_text(tmp_path / "long.pdf")
    assert pages == len(texts) >= 2
    joined = " ".join(texts)
    for n in range(1, 61):
        assert (f"(line {n})" if n % 2 else f"warfarin {n} mg") in joined, n
    assert all("2026-12-02" in t for t in texts)  # the footer on every page


def test_the_model_is_empty_before_a_check(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    dialog = MedicationCheckDialog(kb=lambda: bundled_kb, dialogs=FakeDialogs())  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and dialog.model.data(QModelIndex()) is None
    assert not dialog.print_button.isEnabled()


def test_ten_thousand_pasted_lines_give_ten_thousand_rows(meds_window: MainWindow) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("\n".join(["Oxycontin 20mg BD", "warfarin 5mg", "\x00\x01junk"] * 3334))
    findings = dialog.check()
    assert len(findings) == dialog.model.rowCount() == 10_002
    assert dialog.model.data(dialog.model.index(10_001, 0)) == "10002"


def test_naltrexone_itself_shows_as_the_same_drug_and_opens_its_entry(meds_window: MainWindow) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("LDN 4.5mg nocte\nnaltrexone 50mg\nContrave\nMysimba\nVivitrol")
    dialog.check()
    model = dialog.model
    badges = [model.data(model.index(r, BADGE_COLUMN)) for r in range(model.rowCount())]
    assert badges == ["= Same drug as LDN · Standard-dose naltrexone (50–100 mg) for contrast"] * 5
    assert "duplicates LDN: check with the prescriber" in model.data(model.index(1, 4))
    assert "no source in this knowledge base covers taking both" in model.data(model.index(4, 4))
    assert "5 medications: 5 = Same drug as LDN" in dialog.summary.text()
    dialog.table.doubleClicked.emit(model.index(2, 1))
    assert meds_window.current_target() == "dosing:standard-dose-contrast"


def test_the_printed_page_says_same_drug_and_duplicate(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    text = "LDN 4.5mg nocte\nContrave 8/90mg 2 tabs BD\nwarfarin 5mg"
    doc = medication_sheet(bundled_kb, check_medications(text, bundled_kb), printed_on=dt.date(2026, 12, 2))
    path = tmp_path / "check.pdf"
    with printing.headless_app():
        assert printing.export_pdf(doc, path, page_size="A4") == 1
    page = " ".join(_pdf_text(path))
    assert page.count("Same drug as LDN") >= 3  # two rows and the key
    assert "= same drug as LDN ·" in page  # the key keeps the abbreviation's capitals
    assert "Duplicate naltrexone: this product contains naltrexone" in page
    assert "It also contains bupropion" in page and "LDN itself (low-dose naltrexone)" in page


def test_the_summary_is_by_severity_and_stays_after_export(
    meds_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("warfarin 5mg\nxyzzy 10mg\nwarfarin 1mg\nOxycontin 20mg BD\nSynthroid 100mcg")
    dialog.check()
    summary = dialog.summary.text()
    assert summary.index("Contraindicated") < summary.index("Caution") < summary.index("No data")
    assert summary.index("No data") < summary.index("Not recognised")
    dialogs.save_answer = tmp_path / "check.pdf"
    job = dialog.export_sheet()
    assert job is not None and job.wait() == 1
    assert dialog.summary.text() == summary  # the summary stays; the saved message is beside it
    assert "Saved" in dialog.status.text() and "check.pdf" in dialog.status.text()
    assert dialog.output.last_progress is not None  # a long export shows progress with Cancel


def test_ctrl_p_and_ctrl_e_print_and_export_the_panels_sheet(
    qtbot: QtBot, meds_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tester, 2026-12-04: the main window's print and export keys did nothing in the medication check."""
    dialog = _open(meds_window)
    called: list[str] = []
    monkeypatch.setattr(dialog, "print_sheet", lambda: called.append("print"))
    monkeypatch.setattr(dialog, "export_sheet", lambda: called.append("export"))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.input, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert called == []  # nothing checked yet: nothing to print
    dialog.input.setPlainText("Oxycontin 20mg BD")
    dialog.check()
    qtbot.keyClick(dialog.input, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.input, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert called == ["print", "export"]


def test_rows_are_fitted_again_when_the_panel_gets_narrower(qtbot: QtBot, meds_window: MainWindow) -> None:
    """Tester, 2026-12-04: "What to do" ended in "…": rows kept the height their text had at the first width."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("Tramadol 50mg - stopped 3/12 ago\nsertraline 50mg")
    dialog.check()
    table = dialog.table
    wide = table.rowHeight(0)
    table.setColumnWidth(4, 160)  # the advice's column much narrower: its text needs more lines
    dialog.resize(700, dialog.height())
    qtbot.waitUntil(lambda: table.rowHeight(0) > wide, timeout=3000)
    index = dialog.model.index(0, 4)
    needed = table.sizeHintForIndex(index).height()
    assert table.rowHeight(0) >= needed


def test_a_cancelled_export_writes_nothing_and_says_so(
    meds_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    dialog = _open(meds_window)
    dialog.input.setPlainText("\n".join(["Oxycontin 20mg BD", "warfarin 5mg"] * 150))
    dialog.check()
    dialogs.save_answer = tmp_path / "check.pdf"
    job = dialog.export_sheet()
    assert job is not None and dialog.output.last_progress is not None
    _press_cancel(dialog.output.last_progress)  # while the first part is laid out
    assert isinstance(job.wait(), ExportCancelled)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ""] == []  # no PDF, no temporary file
    assert "cancelled" in dialog.status.text() and "300 medications" in dialog.summary.text()


def test_a_huge_check_prints_in_parts_and_says_what_was_not_printed(bundled_kb: KnowledgeBase) -> None:
    from ldn_browser.core.sheet_meds import MAX_PRINTED_ROWS, ROWS_PER_PART

    findings = check_medications("\n".join(["Oxycontin 20mg BD", "warfarin 5mg"] * 1_100), bundled_kb)
    doc = medication_sheet(bundled_kb, findings, printed_on=dt.date(2026, 12, 2))
    assert len(doc.parts) == -(-MAX_PRINTED_ROWS // ROWS_PER_PART)  # bounded parts: linear layout time
    assert all(p.html.count("<tr>") <= ROWS_PER_PART + 1 for p in doc.parts)
    assert f"{2_200 - MAX_PRINTED_ROWS} more lines not printed" in doc.parts[-1].html
    assert "check them in the app" in doc.parts[-1].html
    assert "2200 medications: 1100 ✖ Contraindicated · 1100 ○ No data" in doc.parts[0].html


def test_a_list_too_long_to_fit_at_once_fits_the_rows_in_view(qtbot: QtBot, meds_window: MainWindow) -> None:
    """Tester, 2026-12-03: past 500 lines the rows kept one line's height and "What to do" was cut."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("\n".join(["Oxycontin 20mg BD", "warfarin 5mg", "Zopiclone 7.5mg ON"] * 300))
    dialog.check()
    table = dialog.table
    one_line = table.verticalHeader().defaultSectionSize()
    assert table.rowHeight(0) > one_line  # the first rows, in view, wrap their advice
    table.scrollToBottom()
    last = dialog.model.rowCount() - 1
    qtbot.waitUntil(lambda: table.rowHeight(last - 1) > one_line, timeout=3000)
    assert table.rowHeight(last // 2) == one_line  # rows never scrolled past are not measured (a long list is quick)


def test_a_line_not_recognised_does_not_look_like_no_data(meds_window: MainWindow) -> None:
    """Tester, 2026-12-03: "oxy 5mg prn" (not recognised) had the same grey as "Humira" (no data)."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("Humira 40mg fortnightly\noxy 5mg prn")
    dialog.check()
    m = dialog.model
    backgrounds = [m.data(m.index(r, BADGE_COLUMN), Qt.ItemDataRole.BackgroundRole).color().name() for r in (0, 1)]
    assert backgrounds[0] != backgrounds[1]
    assert m.data(m.index(1, BADGE_COLUMN), Qt.ItemDataRole.FontRole).bold()


def test_the_selected_row_keeps_its_severity_colour(qtbot: QtBot, meds_window: MainWindow) -> None:
    """The first row is selected after a check; its badge must still show red, not the selection's blue."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("Suboxone 8/2mg SL daily\nwarfarin 5mg")
    dialog.check()
    table = dialog.table
    assert table.selectionModel().isRowSelected(0)
    qtbot.waitExposed(table)
    rect = table.visualRect(dialog.model.index(0, BADGE_COLUMN))
    image = table.viewport().grab(rect).toImage()
    red = dialog.model.data(dialog.model.index(0, BADGE_COLUMN), Qt.ItemDataRole.BackgroundRole).color()
    from collections import Counter

    seen = Counter(
        image.pixelColor(x, y).name() for x in range(4, image.width() - 4, 3) for y in range(4, image.height() - 4, 3)
    )
    assert seen.most_common(1)[0][0] == red.name()  # the cell's own colour, inside the selection frame


def test_an_edited_list_is_checked_again_before_it_is_exported(
    meds_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    """Before: the rows (and the PDF) stayed those of the list as first checked: an opioid added after was left out."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("warfarin 5mg")
    dialog.check()
    dialog.input.appendPlainText("tramadol 50mg")
    assert dialog.stale and "has changed since it was checked" in dialog.summary.text()
    dialogs.save_answer = tmp_path / "edited.pdf"
    job = dialog.export_sheet()
    assert job is not None and job.wait() == 1
    assert not dialog.stale and dialog.model.rowCount() == 2
    assert "tramadol 50mg" in _pdf_text(tmp_path / "edited.pdf")[0]


def test_opening_a_row_shows_its_entry_above_the_panel_and_keeps_the_panel(
    qtbot: QtBot, meds_window: MainWindow
) -> None:
    """Before: the entry opened behind the panel, which covered most of a laptop screen."""
    dialog = _open(meds_window)
    dialog.input.setPlainText("Synthroid 100mcg")
    dialog.check()
    dialog.open_selected()
    assert meds_window.current_target() == "interaction:thyroid-hormones"
    assert not dialog.isVisible() and "Ctrl+Shift+M" in meds_window.statusBar().currentMessage()
    assert _open(meds_window) is dialog and dialog.input.toPlainText() == "Synthroid 100mcg"  # nothing lost
    assert dialog.model.rowCount() == 1
