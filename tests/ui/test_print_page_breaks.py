"""Pages never end on a heading whose content is on the next page, nor start a table with its header alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import build_sheet
from ldn_browser.ui import pagination, printing


def _laid_out_sheets(
    kb: KnowledgeBase, tmp_path: Path, size: str, resolution: int
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
    doc = build_sheet(kb, [c.id for c in kb.conditions], overview=True)
    family = printing.ensure_fonts()
    dpi = float(writer.logicalDpiY())
    rect = writer.pageLayout().paintRectPixels(round(dpi))
    footer = printing._Footer(doc.footer, family, writer, float(rect.width()))
    body = float(rect.height()) - footer.height - printing._pt(printing.FOOTER_GAP_PT, dpi)
    sheets = [(printing._layout(p.html, family, writer, QSizeF(rect.width(), body)), body) for p in doc.parts]
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
