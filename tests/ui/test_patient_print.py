"""Patient documents on paper and in the window: every section printed, the card's size, the menu and dialog."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot
from test_print_completeness import PRINTED, SIZES, _page_texts, assert_complete

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.patient import LeafletPart
from ldn_browser.core.patient_sheets import (
    CARD_HEIGHT_MM,
    CARD_WIDTH_MM,
    build_card,
    build_leaflet,
    build_titration_sheet,
)
from ldn_browser.core.sheet import SheetDocument
from ldn_browser.core.titration import make_plan
from ldn_browser.ui import card_printing, printing
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.patient_dialogs import TitrationDialog

LEAFLETS = (None, "condition:crohns-disease", "condition:fibromyalgia", "condition:me-cfs", "condition:cancer")
"""General, and one condition per wording (low with benefit, moderate, very low with a long name, low no benefit)."""


def _disclaimer(kb: KnowledgeBase) -> str:
    assert kb.patient is not None
    return kb.patient.disclaimer


@pytest.mark.parametrize("size", SIZES)
def test_every_leaflet_section_is_printed(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str
) -> None:
    for cid in LEAFLETS:
        doc = build_leaflet(bundled_kb, cid, printed_on=PRINTED)
        pdf = tmp_path / f"leaflet-{size}.pdf"
        pages = printing.export_pdf(doc, pdf, page_size=size)
        assert 1 <= pages <= 2, f"{cid}: {pages} pages"
        assert_complete(pdf, doc, bundled_kb, pages, disclaimer=_disclaimer(bundled_kb))


@pytest.mark.parametrize("target", ["4.5", "45"])
@pytest.mark.parametrize("size", SIZES)
def test_every_calendar_row_and_section_is_printed(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str, target: str
) -> None:
    """In range, and the tester's 10× typo confirmed with "Print anyway": the warning is on page 1."""
    assert bundled_kb.patient is not None
    plan = make_plan(
        bundled_kb.patient.titration.limits,
        start="2028-02-10",
        dose="1.5",
        step="1.5",
        every=7,
        target=target,
        time_of_day="at night",
        allow_outside_range=target == "45",
    )
    doc = build_titration_sheet(bundled_kb, plan, printed_on=PRINTED)
    pdf = tmp_path / "calendar.pdf"
    pages = printing.export_pdf(doc, pdf, page_size=size)
    assert_complete(pdf, doc, bundled_kb, pages, disclaimer=_disclaimer(bundled_kb))
    texts = _page_texts(pdf)
    text = " ".join(texts)
    for day in ("Tue 29 Feb 2028", "Wed 1 Mar 2028", "Thu 24 Feb 2028 4.5 mg (new dose)"):
        assert day in text
    for statement in bundled_kb.patient.section(LeafletPart.OPIOIDS).statements:  # the leaflet's opioid text
        assert " ".join(statement.text.split()) in text
    assert "opioid cough medicine" in text and "Opioid medicine for diarrhoea" in text
    warning = "Dose check: outside the low-dose range. Target dose 45 mg is above the low-dose range"
    assert (warning in texts[0]) is (target == "45")
    assert warning not in " ".join(texts[1:])


def _rectangles_mm(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in mm of every closed axis-aligned four-sided path on page 1.

    QPdfWriter draws in device units under one base matrix (``cm``: points per unit); rectangles are
    ``m`` then four ``l`` back to the start.
    """
    ops = PdfReader(pdf).pages[0].get_contents().operations  # type: ignore[union-attr]
    scale = next(float(args[0]) for args, op in ops if op == b"cm")
    found, path = [], []
    for args, op in ops:
        if op == b"m":
            path = [(float(args[0]), float(args[1]))]
        elif op == b"l" and path:
            path.append((float(args[0]), float(args[1])))
            if len(path) == 5 and path[0] == path[4]:
                xs, ys = {p[0] for p in path}, {p[1] for p in path}
                if len(xs) == 2 and len(ys) == 2:
                    mm = scale / 72 * 25.4
                    found.append((round((max(xs) - min(xs)) * mm, 2), round((max(ys) - min(ys)) * mm, 2)))
                path = []
        elif op == b"re":
            found.append(
                (round(float(args[2]) * scale / 72 * 25.4, 2), round(abs(float(args[3])) * scale / 72 * 25.4, 2))
            )
    return found


@pytest.mark.parametrize("size", SIZES)
def test_wallet_cards_are_card_sized_with_both_faces(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str
) -> None:
    card = build_card(bundled_kb)
    pdf = tmp_path / "card.pdf"
    cards = card_printing.export_card_pdf(card, pdf, page_size=size)
    assert cards == 4
    assert (CARD_WIDTH_MM, CARD_HEIGHT_MM) == (85.6, 54.0)  # ISO/IEC 7810 ID-1
    strips = [r for r in _rectangles_mm(pdf) if abs(r[1] - 54.0) < 0.5]
    assert strips == [(171.2, 54.0)] * cards  # front | back side by side, each 85.6 × 54 mm
    (text,) = _page_texts(pdf)
    assert text.count("I take an opioid blocker") == cards
    assert text.count("For the emergency team: pain relief") == cards
    for field in ("Name:", "LDN dose:", "Prescriber:", "Phone:"):
        assert text.count(field) == cards
    assert text.count("equipped for resuscitation") == cards


def _mm(points: object) -> float:
    return float(points) * 25.4 / 72  # type: ignore[arg-type]


def test_card_sized_pages_are_exactly_85_6_by_54_mm_front_then_back(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path
) -> None:
    pdf = tmp_path / "card.pdf"
    assert card_printing.export_card_pdf(build_card(bundled_kb), pdf, layout="card") == 2
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    for page in reader.pages:
        for box in (page.mediabox, page.trimbox):
            assert (_mm(box.left), _mm(box.bottom)) == (0, 0)
            assert _mm(box.width) == pytest.approx(CARD_WIDTH_MM, abs=0.001)
            assert _mm(box.height) == pytest.approx(CARD_HEIGHT_MM, abs=0.001)
    front, back = _page_texts(pdf)
    assert "I take an opioid blocker" in front and "For the emergency team" not in front
    for field in ("Name:", "LDN dose:", "Prescriber:", "Phone:"):
        assert front.count(field) == 1
    assert "For the emergency team: pain relief" in back and "equipped for resuscitation" in back
    assert "I take an opioid blocker" not in back and "Cut out along the marks" not in front + back
    assert not [r for r in _rectangles_mm(pdf) if abs(r[1] - 54.0) < 0.5]  # no outline, no strip to cut


def test_an_unknown_card_layout_is_refused(qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown card layout 'poster'; use one of sheet, card"):
        card_printing.export_card_pdf(build_card(bundled_kb), tmp_path / "x.pdf", layout="poster")
    assert not (tmp_path / "x.pdf").exists()


def test_exact_card_boxes_leaves_a_pdf_without_qt_boxes_as_it_was() -> None:
    other = b"%PDF-1.4\n/MediaBox [0 0 612 792]\n%%EOF\n"
    assert card_printing.exact_card_boxes(other) == other


def test_cli_card_page_writes_two_card_sized_pages(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldn_browser.cli import main

    card = tmp_path / "card.pdf"
    assert main(["card", "--page", "card", "--out", str(card)]) == 0
    assert f"{card}: 2 pages (front, back), each 85.6 × 54 mm" in capsys.readouterr().out
    sizes = [(round(_mm(p.mediabox.width), 3), round(_mm(p.mediabox.height), 3)) for p in PdfReader(card).pages]
    assert sizes == [(85.6, 54.0)] * 2


# -- the window -----------------------------------------------------------------------------------


@pytest.fixture
def patient_window(make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase) -> MainWindow:
    window = make_window(kb=bundled_kb, build_index=False)
    window.show()
    return window


def test_patient_actions_in_the_file_menu_and_toolbar(patient_window: MainWindow) -> None:
    texts = [a.text() for a in patient_window.menus["file"].actions()]
    assert {"Patient &leaflet…", "&Titration calendar…", "&Wallet card…"} <= set(texts)
    assert patient_window.actions_by_name["patient_leaflet"] in patient_window.toolbar.actions()
    assert all(patient_window.actions_by_name[n].isEnabled() for n in ("patient_leaflet", "wallet_card"))


def test_patient_actions_are_off_for_a_kb_without_patient_content(make_window: Callable[..., MainWindow]) -> None:
    window = make_window(build_index=False)  # the mini KB has no "patient" key
    assert not window.actions_by_name["titration_calendar"].isEnabled()


def test_leaflet_from_a_condition_page_is_about_that_condition(patient_window: MainWindow) -> None:
    shown: list[Any] = []
    patient_window.patient._show = shown.append  # type: ignore[method-assign]
    assert patient_window.navigate("condition:crohns-disease")
    patient_window.actions_by_name["patient_leaflet"].trigger()
    assert isinstance(shown[-1], SheetDocument)
    assert "What do the studies show for Crohn's disease?" in html.unescape(shown[-1].html)
    assert shown[-1].title == "Low-dose naltrexone: information for patients (Crohn's disease)"
    patient_window.navigate("overview")
    patient_window.actions_by_name["patient_leaflet"].trigger()
    assert "What do the studies show?" in shown[-1].html
    patient_window.actions_by_name["wallet_card"].trigger()
    assert shown[-1].title == "LDN wallet card"


def test_titration_dialog_defaults_and_messages(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.patient is not None
    dialog = TitrationDialog(bundled_kb.patient.titration, today=dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    assert (dialog.dose.value(), dialog.step.value(), dialog.target.value()) == (4.5, 0.0, 4.5)
    assert dialog.time.currentText() == "at night"
    dialog.dose.setValue(1.0)
    dialog.step.setValue(1.5)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.plan is None
    assert "steps of 1.5 mg from 1 mg go 2.5 mg, 4 mg, 5.5 mg" in dialog.message.text()
    dialog.dose.setValue(1.5)
    dialog.target.setValue(6.0)
    dialog.accept()
    assert dialog.plan is None  # outside the low-dose range: needs "Print anyway"
    assert "Warning:</b> target dose 6 mg is above the low-dose range" in dialog.message.text()
    dialog.target.setValue(4.5)
    dialog.accept()
    assert dialog.plan is not None and dialog.plan.target_mg == 4.5 and dialog.plan.warnings == ()


def _shown_dialog(qtbot: QtBot, kb: KnowledgeBase) -> TitrationDialog:
    assert kb.patient is not None
    dialog = TitrationDialog(kb.patient.titration, today=dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ok(dialog: TitrationDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_tab_leaves_the_start_date_for_the_start_dose(
    qtbot: QtBot, bundled_kb: KnowledgeBase
) -> None:
    dialog = _shown_dialog(qtbot, bundled_kb)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.start.setFocus()
    qtbot.waitUntil(dialog.start.hasFocus)
    dialog.start.setSelectedSection(dialog.start.Section.YearSection)
    qtbot.keyClick(dialog.start, Qt.Key.Key_Up)  # the arrows still change the section
    assert dialog.start.date().toString("yyyy-MM-dd") == "2028-01-04"
    qtbot.keyClick(dialog.start, Qt.Key.Key_Tab)
    assert dialog.dose.hasFocus()  # one press, not one per section
    qtbot.keyClick(dialog.dose, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.start.hasFocus()


def test_enter_in_the_time_of_day_field_presses_ok(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    """Tester: Enter in the editable "Time of day" box did nothing, even pressed twice."""
    dialog = _shown_dialog(qtbot, bundled_kb)
    dialog.time.setFocus()
    qtbot.keyClick(dialog.time, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.plan is not None


def test_a_tenfold_typo_needs_print_anyway_and_enter_cannot_confirm_it(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    """The tester's 1.5 / 1.5 / 45 mg: OK keeps the dialog open with the warning; only "Print anyway" prints."""
    dialog = _shown_dialog(qtbot, bundled_kb)
    dialog.dose.setValue(1.5)
    dialog.step.setValue(1.5)
    dialog.target.setValue(45.0)
    assert not dialog.print_anyway.isVisible()
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.plan is None
    assert "target dose 45 mg is above the low-dose range of 1 mg to 5 mg a day" in dialog.message.text()
    assert "Print anyway" in dialog.message.text() and dialog.print_anyway.isVisible()
    assert not dialog.print_anyway.isDefault() and not dialog.print_anyway.autoDefault()
    dialog.target.setFocus()
    qtbot.keyClick(dialog.target, Qt.Key.Key_Return)  # Enter presses OK again: still refused
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.plan is None
    dialog.target.setValue(48.0)  # a changed value hides the confirmation until it is checked again
    assert not dialog.print_anyway.isVisible() and dialog.message.text() == ""
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert "target dose 48 mg is above" in dialog.message.text()
    qtbot.mouseClick(dialog.print_anyway, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    assert dialog.plan is not None and dialog.plan.target_mg == 48
    assert dialog.plan.warnings == ("target dose 48 mg is above the low-dose range of 1 mg to 5 mg a day",)


def test_dose_boxes_stop_at_the_standard_dose_which_is_refused(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.patient is not None
    dialog = _shown_dialog(qtbot, bundled_kb)
    standard = bundled_kb.patient.titration.limits.standard_mg
    assert [(b.minimum(), b.maximum()) for b in (dialog.dose, dialog.step, dialog.target)] == [(0, standard)] * 3
    dialog.target.setValue(100.0)
    assert dialog.target.value() == standard == 50
    dialog.dose.setValue(1.5)
    dialog.step.setValue(1.5)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.plan is None
    assert "target dose 50 mg is a standard dose, not a low dose" in dialog.message.text()
    assert not dialog.print_anyway.isVisible()  # a hard refusal: nothing to confirm


def test_titration_dialog_tab_order_is_top_to_bottom(qtbot: QtBot, bundled_kb: KnowledgeBase) -> None:
    dialog = _shown_dialog(qtbot, bundled_kb)
    dialog.activateWindow()
    fields = [dialog.start, dialog.dose, dialog.step, dialog.every, dialog.target, dialog.time]
    fields[0].setFocus()
    qtbot.waitUntil(lambda: dialog.start.hasFocus())
    visited = [QApplication.focusWidget()]
    for _ in range(8):  # Tab steps through the date's sections (year, month, day) before it leaves it
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is not visited[-1]:
            visited.append(QApplication.focusWidget())
        if len(visited) == len(fields):
            break
    owners = [next((f for f in fields if w is f or f.isAncestorOf(w)), w) for w in visited]
    assert owners == fields, [type(w).__name__ for w in owners]
    dialog.dose.setValue(1.5)
    dialog.step.setValue(1.5)
    dialog.target.setValue(45.0)
    dialog.accept()  # the warning shows "Print anyway" among the buttons
    qtbot.waitUntil(lambda: dialog.print_anyway.isVisible())
    dialog.time.setFocus()
    qtbot.waitUntil(lambda: dialog.time.hasFocus())
    buttons = []
    for _ in range(3):  # then the buttons, left to right
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        buttons.append(QApplication.focusWidget())
    assert all(isinstance(b, QPushButton) for b in buttons)
    lefts = [b.mapTo(dialog, b.rect().topLeft()).x() for b in buttons]
    assert lefts == sorted(lefts) and len(set(buttons)) == 3, [b.text() for b in buttons]


def test_titration_action_shows_the_calendar_of_the_dialog(patient_window: MainWindow) -> None:
    shown: list[Any] = []
    patient_window.patient._show = shown.append  # type: ignore[method-assign]

    def answer(content: Any) -> Any:
        dialog = TitrationDialog(content, patient_window)
        dialog.start.setDate(QDate(2027, 1, 4))
        dialog.dose.setValue(1.5)
        dialog.step.setValue(1.5)
        dialog.every.setValue(7)
        dialog.target.setValue(45.0)  # the 10× typo: only "Print anyway" gives a plan
        assert dialog.check() is None
        return dialog.check(allow_outside_range=True)

    patient_window.patient._ask_plan = answer  # type: ignore[method-assign]
    patient_window.actions_by_name["titration_calendar"].trigger()
    assert "<td>Day 15</td><td>Mon 18 Jan 2027</td><td><b>4.5 mg (new dose)</b></td>" in shown[-1].html
    assert "Target dose 45 mg is above the low-dose range of 1 mg to 5 mg a day." in shown[-1].html


def test_cli_writes_each_patient_document(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldn_browser.cli import main

    leaflet, calendar, card = tmp_path / "leaflet.pdf", tmp_path / "calendar.pdf", tmp_path / "card.pdf"
    assert main(["leaflet", "condition:multiple-sclerosis", "--out", str(leaflet), "--page-size", "Letter"]) == 0
    assert "What do the studies show for multiple sclerosis?" in " ".join(_page_texts(leaflet))
    args = ["titration", "--start", "2027-01-04", "--dose", "1.5", "--step", "1.5", "--every", "7", "--target", "6"]
    assert main([*args, "--out", str(calendar)]) == 2  # outside the low-dose range: refused
    assert "--allow-dose-outside-range" in capsys.readouterr().err and not calendar.exists()
    assert main([*args, "--allow-dose-outside-range", "--out", str(calendar)]) == 0
    captured = capsys.readouterr()
    assert "warning: target dose 6 mg is above the low-dose range of 1 mg to 5 mg a day" in captured.err
    pages = _page_texts(calendar)
    assert "Mon 25 Jan 2027 6 mg (new dose)" in " ".join(pages)
    assert "Dose check: outside the low-dose range. Target dose 6 mg is above" in pages[0]
    assert main(["card", "--out", str(card)]) == 0
    assert f"{card}: 1 page, 4 cards" in capsys.readouterr().out
    assert PdfReader(card).pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4


def test_card_print_preview_shows_the_sheet(qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
    from test_print_dialogs import _when_modal

    seen: dict[str, Any] = {}

    def look_and_close(dialog: Any) -> None:
        preview = dialog.findChild(QPrintPreviewWidget)
        seen["pages"] = preview.pageCount() if preview is not None else None
        dialog.reject()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "unused.pdf"))
    _when_modal(look_and_close, seen)
    card_printing.preview_cards(build_card(bundled_kb), None, printer=printer)
    assert isinstance(seen["dialog"], QPrintPreviewDialog)
    assert seen["title"] == "Print preview: LDN wallet card"
    assert seen["pages"] == 1


def test_the_titration_dialog_grows_with_its_message_instead_of_squashing_its_fields(
    qtbot: QtBot, bundled_kb: KnowledgeBase
) -> None:
    """A warning under the fields made the dialog no taller: the spin boxes were cut in half (tester, 2026-12-03)."""
    dialog = _shown_dialog(qtbot, bundled_kb)
    before = dialog.height()
    dialog.dose.setValue(0.5)
    dialog.step.setValue(0.5)
    dialog.target.setValue(4.6)  # not a whole number of steps: the reason is shown under the fields
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert dialog.isVisible() and dialog.message.text()
    assert dialog.height() > before
    for box in (dialog.dose, dialog.step, dialog.every, dialog.target):
        assert box.height() >= box.minimumSizeHint().height(), box.objectName()
