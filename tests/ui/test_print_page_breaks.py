"""Pages never end on a heading whose content is on the next page, nor start a table with its header alone, nor
cut a line or a short paragraph in two."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import check_medications
from ldn_browser.core.patient_sheets import build_leaflet, build_titration_sheet
from ldn_browser.core.sheet import SheetDocument, build_sheet
from ldn_browser.core.sheet_meds import medication_sheet
from ldn_browser.core.titration import make_plan
from ldn_browser.ui import pagination, printing


def _laid_out_sheets(
    kb: KnowledgeBase, tmp_path: Path, size: str, resolution: int, doc: SheetDocument | None = None
) -> list[tuple[QTextDocument, float]]:
    writer = QPdfWriter(str(tmp_path / "unused.pdf"))
    writer.setResolution(resolution)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(printing.page_size_id(size)),
            QPageLayout.Orientation.Portrait,
            printing.PAGE_MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = doc or build_sheet(kb, [c.id for c in kb.conditions], overview=True)
    family = printing.ensure_fonts()
    rect = writer.pageLayout().paintRectPixels(round(writer.logicalDpiY()))
    footer = printing._Footer(doc.footer, family, writer, float(rect.width()))
    body = printing.body_height_for(writer, footer)
    parts = doc.parts or (printing.SheetPart(doc.title, doc.html),)
    sheets = [(printing._layout(p.html, family, writer, QSizeF(rect.width(), body)), body) for p in parts]
    del writer
    return sheets


def _page(y: float, page_height: float) -> int:
    return int(y // page_height)


@pytest.mark.parametrize("resolution", [printing.PDF_RESOLUTION, 300, 1200])
@pytest.mark.parametrize("size", printing.PAGE_SIZES)
def test_no_orphaned_heading_or_lonely_table_header(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str, resolution: int
) -> None:
    problems = []
    for text_doc, page_height in _laid_out_sheets(bundled_kb, tmp_path, size, resolution):
        layout = text_doc.documentLayout()
        block = text_doc.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 2 and block.next().isValid():
                here = _page(layout.blockBoundingRect(block).top(), page_height)
                follow = block.next()
                table = QTextCursor(follow).currentTable()
                if table is not None and table.format().headerRowCount() and table.rows() > 1:
                    row = table.format().headerRowCount()
                    follow = table.cellAt(row, 0).firstCursorPosition().block()
                there = _page(layout.blockBoundingRect(follow).top(), page_height)
                if there != here:
                    problems.append(
                        f"heading {block.text()!r} ends page {here + 1}; its content starts page {there + 1}"
                    )
            block = block.next()
        for table in pagination._tables(text_doc.rootFrame()):
            head = table.format().headerRowCount()
            if not head or table.rows() <= head:
                continue
            top = layout.blockBoundingRect(table.cellAt(0, 0).firstCursorPosition().block()).top()
            first = layout.blockBoundingRect(table.cellAt(head, 0).firstCursorPosition().block()).top()
            if _page(top, page_height) != _page(first, page_height):
                problems.append(
                    f"table header {table.cellAt(0, 0).firstCursorPosition().block().text()!r} "
                    f"alone at the foot of page {_page(top, page_height) + 1}"
                )
    assert problems == []


@pytest.mark.parametrize("size", printing.PAGE_SIZES)
def test_glance_sheet_fits_two_pages(qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str) -> None:
    glance, page_height = _laid_out_sheets(bundled_kb, tmp_path, size, printing.PDF_RESOLUTION)[0]
    assert glance.begin().next().text() == "LDN at a glance"
    assert glance.pageCount() == 2


def test_a_condition_sheet_stays_short_however_large_the_kb(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Review D14: a sheet's layout time follows its pages; the lists a large KB repeats on every
    condition sheet are capped, so one sheet of a 10,000-entry KB is as short as one of the bundled KB."""
    data = bundled_kb.model_dump(mode="json")
    for kind in ("contraindications", "interactions", "side_effects"):
        data[kind] = [
            {**entry, "id": f"{entry['id']}-{i}" if i else entry["id"], "title": f"{entry['title']} {i}"}
            for entry in data[kind]
            for i in range(40)
        ]
    big = KnowledgeBase.model_validate(data)
    small_pages = _laid_out_sheets(bundled_kb, tmp_path, "A4", 300)
    big_pages = _laid_out_sheets(big, tmp_path, "A4", 300)
    crohns = 1 + [c.id for c in bundled_kb.conditions].index("condition:crohns-disease")
    assert big_pages[crohns][0].pageCount() <= small_pages[crohns][0].pageCount() + 1


@pytest.mark.parametrize("size", printing.PAGE_SIZES)
def test_a_row_moved_to_the_next_page_sits_right_under_the_repeated_header(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str
) -> None:
    """Every row that opens a continued page starts at the same place, just below the repeated header:
    the padding that moved it is on the row above (at the foot of the page before), not over it."""
    offsets: list[float] = []
    header_heights: list[float] = []
    for text_doc, page_height in _laid_out_sheets(bundled_kb, tmp_path, size, printing.PDF_RESOLUTION):
        layout = text_doc.documentLayout()
        for table in pagination._tables(text_doc.rootFrame()):
            head = table.format().headerRowCount()
            if not head or table.rows() <= head + 1:
                continue
            header, body = pagination._row_extent(table, 0, layout), pagination._row_extent(table, head, layout)
            assert header and body
            previous = body[0]
            for row in range(head + 1, table.rows()):
                extent = pagination._row_extent(table, row, layout)
                if extent is None:
                    continue
                if _page(extent[0], page_height) > _page(previous, page_height):
                    offsets.append(extent[0] - _page(extent[0], page_height) * page_height)
                    header_heights.append(body[0] - header[0])
                previous = extent[0]
    assert offsets, "no table continued onto another page: the test checks nothing"
    assert max(offsets) - min(offsets) <= 2, sorted(round(o) for o in offsets)
    assert max(offsets) <= 1.3 * max(header_heights)


MEDICATION_LIST = """oxycodone 5mg q4h prn
Tylenol #3 1-2 tabs qid prn
co-codamol 30/500 2 qds
Eltroxin 100mcg od
MTX 15mg weekly
Humira 40mg sc fortnightly
sertraline 50mg mane
amitriptylline 10mg nocte
loperamide 2mg prn
MST 10mg bd
Oxy IR 5mg prn
Paramol 2 tabs prn
Butec 10 patch
Viberzi 100mg bd
omeprazole 20mg od
warfarin 3mg as per INR
Prograf 2mg bd
naltrexone 50mg
Percocet 5/325 1 q6h
metformin 500mg bd"""
"""A tester's list as a GP pastes it (typos, shorthand, brands); its sheet put the key's first line across a break."""


def _sheets_to_check(kb: KnowledgeBase) -> list[SheetDocument]:
    """Sheets whose page breaks fall in different places: medication checks of 1 to 20 lines (table rows, then
    the key after the table), dose calendars of different lengths (bullet lists), a condition pack."""
    lines = MEDICATION_LIST.splitlines()
    meds = [medication_sheet(kb, check_medications("\n".join(lines[:n]), kb)) for n in range(1, len(lines) + 1)]
    assert kb.patient is not None
    limits = kb.patient.titration.limits
    plans = [
        make_plan(limits, start="2026-12-07", dose=d, step=st, every=e, target=4.5, time_of_day="at night")
        for d, st, e in ((4.5, 0, 7), (1.5, 0.5, 7), (1.0, 0.5, 5), (1.0, 0.5, 3), (1.5, 0.5, 14))
    ]
    return [*meds, *(build_titration_sheet(kb, p) for p in plans), build_sheet(kb, [c.id for c in kb.conditions])]


def _cut_paragraphs(text_doc: QTextDocument, page_height: float) -> list[str]:
    """Paragraphs outside tables with a line across a page break, or of at most KEEP_TOGETHER_LINES lines that
    run over two pages."""
    problems = []
    block = text_doc.begin()
    while block.isValid():
        lines = block.layout()
        if block.length() > 1 and QTextCursor(block).currentTable() is None:
            y = lines.position().y()
            spans = [(y + lines.lineAt(i).y(), y + lines.lineAt(i).y() + lines.lineAt(i).height())
                     for i in range(lines.lineCount())]  # fmt: skip
            across = [t for t, b in spans if _page(t, page_height) != _page(b - 0.5, page_height)]
            pages = {_page(t, page_height) for t, _ in spans}
            if across:
                problems.append(f"a line across a page break: {block.text()[:50]!r}")
            elif len(pages) > 1 and lines.lineCount() <= pagination.KEEP_TOGETHER_LINES:
                problems.append(f"{lines.lineCount()} lines over two pages: {block.text()[:50]!r}")
        block = block.next()
    return problems


@pytest.mark.parametrize("resolution", [printing.PDF_RESOLUTION, 300])
@pytest.mark.parametrize("size", printing.PAGE_SIZES)
def test_no_line_and_no_short_paragraph_is_cut_by_a_page_break(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str, resolution: int
) -> None:
    """Qt left the first line after a table across the break (half of it at the foot of one page, half at the top
    of the next), and drew a paragraph split over two pages on both: its lines from the page before were in the
    next page's text too (copied and searched twice)."""
    problems, pages = [], 0
    for doc in _sheets_to_check(bundled_kb):
        for text_doc, page_height in _laid_out_sheets(bundled_kb, tmp_path, size, resolution, doc):
            problems += _cut_paragraphs(text_doc, page_height)
            pages += text_doc.pageCount()
    assert pages > 60  # breaks in many places, or the test checks little
    assert problems == []


def test_a_page_of_the_pdf_does_not_repeat_the_line_the_page_before_ends_with(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    repeats = []
    for n, doc in enumerate(_sheets_to_check(bundled_kb)[-7:]):  # the longest medication checks, calendars, pack
        pdf = tmp_path / f"sheet{n}.pdf"
        printing.export_pdf(doc, pdf)
        texts = [[ln.strip() for ln in p.extract_text().splitlines() if ln.strip()] for p in PdfReader(pdf).pages]
        for page, (before, after) in enumerate(zip(texts, texts[1:], strict=False), start=1):
            body_end = before[-6:]  # the last body lines and the footer
            repeated = [ln for ln in after[:3] if len(ln) > 20 and ln in body_end]
            repeats += [f"{doc.title} page {page + 1}: {ln[:60]!r}" for ln in repeated]
    assert repeats == []


def test_a_six_week_calendar_fits_two_a4_pages(qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    """Tester: 1.5 mg, +1.5 mg every 14 days to 4.5 mg printed a third page holding only the prescriber's note."""
    assert bundled_kb.patient is not None
    plan = make_plan(
        bundled_kb.patient.titration.limits, start="2026-12-07", dose=1.5, step=1.5, every=14, target=4.5,
        time_of_day="at night",
    )  # fmt: skip
    [(laid_out, _)] = _laid_out_sheets(
        bundled_kb, tmp_path, "A4", printing.PDF_RESOLUTION, build_titration_sheet(bundled_kb, plan)
    )
    assert laid_out.pageCount() == 2


def _blank_page_tops(text_doc: QTextDocument, page_height: float) -> list[str]:
    """Pages whose first line of text (a paragraph's or a table cell's) starts well below the page's top."""
    problems, seen = [], set()
    layout = text_doc.documentLayout()
    block = text_doc.begin()
    while block.isValid():
        lines = block.layout()
        if block.length() > 1 and lines.lineCount():
            top = layout.blockBoundingRect(block).top() + lines.lineAt(0).y()  # in the page, table cells too
            page = _page(top, page_height)
            if page and page not in seen:
                seen.add(page)
                if top - page * page_height > 0.05 * page_height:
                    problems.append(
                        f"page {page + 1} starts {top - page * page_height:.0f} px down: {block.text()[:50]!r}"
                    )
        block = block.next()
    return problems


@pytest.mark.parametrize("size", printing.PAGE_SIZES)
def test_a_paragraph_moved_to_the_next_page_starts_at_its_top(
    qapp: QApplication, bundled_kb: KnowledgeBase, tmp_path: Path, size: str
) -> None:
    """Tester, 2026-12-07: a short paragraph kept whole was pushed down by a top margin, which Qt kept at the top of
    the next page as well: a blank band a fifth of a page tall, and the Letter leaflet ran to three pages."""
    docs = [build_leaflet(bundled_kb, c) for c in (None, "condition:me-cfs", "condition:crohns-disease")]
    problems, pages = [], 0
    for doc in [*docs, *_sheets_to_check(bundled_kb)]:
        for text_doc, page_height in _laid_out_sheets(bundled_kb, tmp_path, size, printing.PDF_RESOLUTION, doc):
            problems += _blank_page_tops(text_doc, page_height)
            pages += text_doc.pageCount()
    assert pages > 40
    assert problems == []
