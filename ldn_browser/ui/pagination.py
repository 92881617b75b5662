"""Pagination of a laid-out sheet: keep headings with what follows, push split table rows, name each page.

Qt's text layout is lazy: before any edit the whole layout is finished (:func:`_finish_layout`), so no
block is ever left positioned but never laid out (the cause of sheets losing text at some resolutions).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)


def _blocks(text_doc: QTextDocument, start: QTextBlock | None = None) -> Iterator[QTextBlock]:
    block = text_doc.begin() if start is None or not start.isValid() else start
    while block.isValid():
        yield block
        block = block.next()


def _paginate(text_doc: QTextDocument, page_height: float, room: float, padding_scale: float) -> None:
    """Fix page breaks top to bottom: headings kept with what follows, table rows kept whole.

    Each pass fixes the earliest problem only; a fix moves content after it, never before, so
    earlier decisions stay valid and the next pass looks only from the fixed place on (the
    whole pagination is linear in the length of the sheet, not quadratic).
    """
    since = 0  # document position of the last fix: nothing before it can need fixing again
    for _ in range(500):  # the bound only guards against a layout that never settles
        heading = _first_stranded_heading(text_doc, page_height, room, since)
        row = _first_split_row(text_doc, page_height, since)
        split = _first_split_block(text_doc, page_height, since)
        if heading is None and row is None and split is None:
            return
        first = min(top for top in (heading and heading[1], row and row[2], split and split[1]) if top is not None)
        if split is not None and split[1] == first:
            since = split[0].position()
            _push_block_down(text_doc, split[0], split[2])
        elif heading is not None and heading[1] == first:
            since = heading[0].position()
            cursor = QTextCursor(heading[0])
            fmt = QTextBlockFormat()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            _finish_layout(text_doc)
            cursor.mergeBlockFormat(fmt)
        elif row is not None:
            since = row[0].cellAt(row[1], 0).firstPosition()
            if not _push_row_to_next_page(text_doc, row, page_height, padding_scale):
                return


def _finish_layout(text_doc: QTextDocument) -> None:
    """Lay out the whole document now; call before every edit made while paginating.

    QTextDocumentLayout lays out lazily: a measurement (``blockBoundingRect``) lays out only up to
    the block asked about and leaves ``currentLazyLayoutPosition`` there. An edit made in that
    state relayouts incrementally from the checkpoint before the edit, but outside the edited
    range it only *moves* blocks, and blocks that were never laid out are moved with no lines and
    no height; the pass then records its last checkpoint (one every 2000 device pixels, so where it
    falls depends on the resolution) as the new lazy position, past those blocks, so they are never
    laid out and print as nothing. With the layout complete before each edit, the incremental
    relayout runs to the end of the document and every block keeps its lines.
    """
    text_doc.documentLayout().pageCount()  # QTextDocumentLayout::pageCount() runs ensureLayoutFinished()


def _assert_laid_out(text_doc: QTextDocument) -> None:
    """Raise if any non-empty block has no lines: it would be missing from the paper, silently."""
    _finish_layout(text_doc)
    for block in _blocks(text_doc):
        if block.length() > 1 and block.layout().lineCount() == 0:
            raise RuntimeError(
                f"sheet layout incomplete: block {block.blockNumber()} {block.text()[:40]!r} was never laid out"
            )


def _first_stranded_heading(
    text_doc: QTextDocument, page_height: float, room: float, since: int = 0
) -> tuple[QTextBlock, float] | None:
    """The first section heading (h2) from position ``since`` too close to the bottom of its page.

    Too close for what follows it: the first body row when a table comes next, else ``room`` of text.
    """
    layout = text_doc.documentLayout()
    for block in _blocks(text_doc, text_doc.findBlock(since)):
        if block.blockFormat().headingLevel() != 2:
            continue
        rect = layout.blockBoundingRect(block)
        offset = rect.top() % page_height
        if offset < 1:
            continue  # already at the top of a page
        page_end = (int(rect.top() // page_height) + 1) * page_height
        follow = rect.bottom() + room
        table = QTextCursor(block.next()).currentTable() if block.next().isValid() else None
        if table is not None:
            body = _row_extent(table, min(table.format().headerRowCount(), table.rows() - 1), layout)
            if body is not None and body[1] - rect.top() < 0.6 * page_height:
                follow = max(follow, body[1])
        if follow > page_end:
            return block, rect.top()
    return None


KEEP_TOGETHER_LINES = 4
"""A paragraph of this many lines or fewer is not split over two pages: it starts the next page instead."""


def _push_block_down(text_doc: QTextDocument, block: QTextBlock, by: float) -> None:
    """Start *block*'s first line *by* pixels lower (at the top of the next page), with a larger top margin.

    A margin, not a page break: right after a table Qt's layout already counts the next page as the current
    one (which is why it left the line across the break), so a break before the block skipped a whole page.
    """
    _finish_layout(text_doc)
    fmt = QTextBlockFormat()
    after_table = block.previous().isValid() and QTextCursor(block.previous()).currentTable() is not None
    if after_table:
        fmt.setTopMargin(block.blockFormat().topMargin() + by)
    else:  # elsewhere a margin is kept at the top of the next page as well (a blank band there): a break
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).mergeBlockFormat(fmt)


def _first_split_block(
    text_doc: QTextDocument, page_height: float, since: int = 0
) -> tuple[QTextBlock, float, float] | None:
    """The first paragraph (outside tables) from position ``since`` that a page break would cut: the block, its
    top, and how far its first line must move down to start the next page.

    Cut means a line crossing the break (Qt leaves the first line after a table there, half on each page) or
    a paragraph of at most :data:`KEEP_TOGETHER_LINES` lines split over two pages: Qt draws a paragraph on
    every page it reaches, so its lines from the page before were also in the next page's text (clipped from
    sight, but copied, searched and read aloud twice). A paragraph at the top of a page is left as it is.
    """
    layout = text_doc.documentLayout()
    for block in _blocks(text_doc, text_doc.findBlock(since)):
        rect = layout.blockBoundingRect(block)  # lays the document out up to this block (the layout is lazy)
        lines = block.layout()
        if block.length() <= 1 or lines.lineCount() == 0:
            continue  # an empty paragraph has nothing to cut
        top = lines.position().y() + lines.lineAt(0).y()
        if top % page_height < 1:
            continue
        page = int(top // page_height)
        edge = (page + 1) * page_height
        last = lines.lineAt(lines.lineCount() - 1)
        bottom = lines.position().y() + last.y() + last.height()
        if bottom <= edge + 0.5 or bottom - top > 0.6 * page_height:
            continue
        first_bottom = top + lines.lineAt(0).height()
        if lines.lineCount() > KEEP_TOGETHER_LINES and first_bottom <= edge + 0.5:
            continue
        if QTextCursor(block).currentTable() is None:  # table rows are moved whole (_first_split_row)
            return block, rect.top(), edge - top + 1  # one pixel more: the line must not end this page
    return None


def _tables(frame: QTextFrame) -> Iterator[QTextTable]:
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            yield child
        yield from _tables(child)


def _row_extent(table: QTextTable, row: int, layout: QAbstractTextDocumentLayout) -> tuple[float, float] | None:
    """Top and bottom of a table row in document coordinates (cells spanning from above are ignored)."""
    tops: list[float] = []
    bottoms: list[float] = []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        if not cell.isValid() or cell.row() != row or cell.column() != column:
            continue
        tops.append(layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        if cell.rowSpan() == 1:
            bottoms.append(layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    if not tops:
        return None
    return min(tops), max(bottoms, default=min(tops))


def _first_split_row(
    text_doc: QTextDocument, page_height: float, since: int = 0
) -> tuple[QTextTable, int, float, float] | None:
    """The first table row from position ``since`` that is split over two pages and could fit on one."""
    layout = text_doc.documentLayout()
    for table in _tables(text_doc.rootFrame()):
        if table.lastPosition() < since:
            continue
        header_rows = table.format().headerRowCount()
        header_height = 0.0
        if 0 < header_rows < table.rows():
            first, body = _row_extent(table, 0, layout), _row_extent(table, header_rows, layout)
            if first and body:
                header_height = body[0] - first[0]
        for row in range(header_rows, table.rows()):
            if table.cellAt(row, 0).lastPosition() < since:
                continue
            extent = _row_extent(table, row, layout)
            if extent is None:
                continue
            top, bottom = extent
            page = int(top // page_height)
            fits = bottom - top < 0.6 * page_height
            if fits and int((bottom - 1) // page_height) != page and top - page * page_height > header_height + 1:
                return table, row, top, (page + 1) * page_height + header_height
    return None


def _push_row_to_next_page(
    text_doc: QTextDocument, split: tuple[QTextTable, int, float, float], page_height: float, padding_scale: float
) -> bool:
    """Move a table row that would be split across pages to the next page; False if Qt would not.

    Qt breaks table cells line by line at a page boundary and has no keep-together. A row that
    starts at the page end, though, is laid out on the next page right below the repeated
    header. So the row *above* gets the least extra bottom padding that pushes the split row to
    the page end (found by bisection against the real layout, whatever scale Qt applies to CSS
    pixels on the device; the padding that reaches the page end is tried first, as padding at the
    foot of a page does not show). Padding the split row's own top would move it too, but the padding
    would then show as a gap under the header. The first body row has only the header above it
    (whose format repeats on every page), so it gets top padding instead.
    """
    layout = text_doc.documentLayout()
    table, row, top, _target = split
    page_end = (int(top // page_height) + 1) * page_height
    above = row > table.format().headerRowCount()
    padded_row, side = (row - 1, "bottom") if above else (row, "top")
    original = _row_paddings(table, padded_row, side)

    def moved(extra: float) -> bool:
        _set_row_padding(text_doc, table, padded_row, side, original, extra)
        extent = _row_extent(table, row, layout)
        return extent is None or extent[0] >= page_end

    reach = (page_end - top) / padding_scale
    if above and moved(reach + 0.5):  # the row above ends at the page end: one edit, no search
        return True
    low, high = 0.0, reach + 1.0
    if not moved(high):
        _set_row_padding(text_doc, table, padded_row, side, original, 0.0)
        return False
    for _step in range(6):
        middle = (low + high) / 2
        if moved(middle):
            high = middle
        else:
            low = middle
    moved(high)
    return True


def _row_paddings(table: QTextTable, row: int, side: str) -> dict[int, float]:
    """The *side* ("top" or "bottom") padding of each cell that starts in its column and that edge of *row*."""
    paddings: dict[int, float] = {}
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        edge_row = cell.row() + cell.rowSpan() - 1 if side == "bottom" else cell.row()
        if not cell.isValid() or cell.column() != column or edge_row != row:
            continue
        fmt = cell.format().toTableCellFormat()
        paddings[column] = fmt.bottomPadding() if side == "bottom" else fmt.topPadding()
    return paddings


def _set_row_padding(
    text_doc: QTextDocument, table: QTextTable, row: int, side: str, original: dict[int, float], extra: float
) -> None:
    _finish_layout(text_doc)  # not table.document(): in PySide6 that leaks a reference to the document
    edit = QTextCursor(text_doc)
    edit.beginEditBlock()  # one relayout for the whole row, not one per cell
    for column, padding in original.items():
        cell = table.cellAt(row, column)
        fmt = cell.format().toTableCellFormat()
        if side == "bottom":
            fmt.setBottomPadding(padding + extra)
        else:
            fmt.setTopPadding(padding + extra)
        cell.setFormat(fmt)
    edit.endEditBlock()


def _section_titles(text_doc: QTextDocument, page_height: float, page_count: int, default: str = "") -> list[str]:
    """For each page, the title (h1) of the sheet it belongs to (``default`` before the first h1)."""
    starts: list[tuple[int, str]] = []
    layout = text_doc.documentLayout()
    for block in _blocks(text_doc):
        if block.blockFormat().headingLevel() == 1:
            starts.append((int(layout.blockBoundingRect(block).top() // page_height), block.text()))
    titles: list[str] = []
    for page in range(page_count):
        current = [title for start, title in starts if start <= page]
        titles.append(current[-1] if current else default)
    return titles
