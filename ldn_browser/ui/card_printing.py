"""The wallet card on paper: fold-out cards (front | back, each 85.6 × 54 mm) with cut marks, several per sheet;
or, for card printers, a PDF of two card-sized pages (front, back).

Each card is a strip of two faces side by side: cut it out along the marks and the outline, fold it
on the dashed line, and the front and back are back to back. Sizes are in millimetres converted at
the device's resolution, so the card is exact on A4, Letter and any printer.

Qt writes page sizes in whole points (243 × 153 pt, 85.73 × 53.98 mm, for a card), so the card-sized PDF's
page boxes are set to the exact size afterwards, in place and at the same length (the file's offsets hold).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ldn_browser.core.patient_sheets import CARD_HEIGHT_MM, CARD_WIDTH_MM, CardDocument
from ldn_browser.ui.printing import (
    ensure_fonts,
    page_size_id,
    render_pdf,
    sheet_font,
    sheet_page_layout,
    write_atomically,
)

ROW_GAP_MM = 10.0
"""Space between cards on the sheet (room for the cut marks)."""
MAX_CARDS_PER_SHEET = 4
PADDING_MM = 3.0
"""Inner margin of each face."""
CUT_MARK_MM = 3.0
CUT_MARK_OFFSET_MM = 1.0
"""Cut marks start this far outside the card's edge, so none shows on the cut card."""
CAPTION = "Cut out along the marks, fold on the dashed line so the text faces out, and keep the card with you."
LAYOUTS = ("sheet", "card")
"""``sheet``: fold-out cards with cut marks on A4 or Letter; ``card``: a front page and a back page, each card-sized."""
POINTS_PER_MM = 72 / 25.4

log = logging.getLogger(__name__)


def _mm(value: float, dpi: float) -> float:
    return value * dpi / 25.4


def _face(html: str, family: str, device: QPagedPaintDevice, size: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(sheet_font(family, 7.0))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(size.width())
    if doc.size().height() > size.height():
        raise ValueError("the wallet card text does not fit on the card; shorten it in the KB")
    return doc


def cards_per_sheet(device: QPagedPaintDevice) -> int:
    """How many fold-out cards fit on the device's page, under the caption (at most 4)."""
    dpi = float(device.logicalDpiY())
    height = device.pageLayout().paintRectPixels(round(dpi)).height() - _mm(8, dpi)
    fits = int((height + _mm(ROW_GAP_MM, dpi)) // _mm(CARD_HEIGHT_MM + ROW_GAP_MM, dpi))
    return max(1, min(MAX_CARDS_PER_SHEET, fits))


def paint_cards(card: CardDocument, device: QPagedPaintDevice) -> int:
    """Draw one sheet of fold-out cards with cut marks on *device*; returns the number of cards drawn."""
    family = ensure_fonts()
    dpi = float(device.logicalDpiY())
    page = device.pageLayout().paintRectPixels(round(dpi))
    width, height = _mm(CARD_WIDTH_MM, dpi), _mm(CARD_HEIGHT_MM, dpi)
    pad = _mm(PADDING_MM, dpi)
    inner = QSizeF(width - 2 * pad, height - 2 * pad)
    front, back = _face(card.front_html, family, device, inner), _face(card.back_html, family, device, inner)
    count = cards_per_sheet(device)
    left = (page.width() - 2 * width) / 2
    top = _mm(8, dpi)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(f"cannot paint on the output device for {card.title!r}")
    try:
        painter.setFont(sheet_font(family, 7.0))
        painter.setPen(QColor("#000000"))
        painter.drawText(QRectF(0, 0, page.width(), top), int(Qt.AlignmentFlag.AlignLeft), CAPTION)
        for row in range(count):
            y = top + row * (height + _mm(ROW_GAP_MM, dpi))
            for index, face in enumerate((front, back)):
                x = left + index * width
                painter.save()
                painter.translate(x + pad, y + pad)
                face.drawContents(painter, QRectF(0, 0, inner.width(), inner.height()))
                painter.restore()
            _outline_and_marks(painter, QRectF(left, y, 2 * width, height), dpi)
    finally:
        painter.end()
    return count


def _outline_and_marks(painter: QPainter, strip: QRectF, dpi: float) -> None:
    """A hairline outline, the dashed fold line, and cut marks outside each corner."""
    hair = max(1.0, _mm(0.1, dpi))
    painter.setPen(QPen(QColor("#9a9a9a"), hair))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(strip)
    fold = QPen(QColor("#000000"), hair)
    fold.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(fold)
    middle = strip.left() + strip.width() / 2
    painter.drawLine(QPointF(middle, strip.top()), QPointF(middle, strip.bottom()))
    painter.setPen(QPen(QColor("#000000"), max(1.0, _mm(0.2, dpi))))
    off, mark = _mm(CUT_MARK_OFFSET_MM, dpi), _mm(CUT_MARK_MM, dpi)
    for x in (strip.left(), strip.right()):
        outward = -1 if x == strip.left() else 1
        for y in (strip.top(), strip.bottom()):
            upward = -1 if y == strip.top() else 1
            painter.drawLine(QPointF(x + outward * off, y), QPointF(x + outward * (off + mark), y))
            painter.drawLine(QPointF(x, y + upward * off), QPointF(x, y + upward * (off + mark)))


def paint_card_pages(card: CardDocument, device: QPagedPaintDevice) -> int:
    """Draw the front on the device's page and the back on a new page (pages the size of the card); returns 2."""
    family = ensure_fonts()
    dpi = float(device.logicalDpiY())
    pad = _mm(PADDING_MM, dpi)
    inner = QSizeF(_mm(CARD_WIDTH_MM, dpi) - 2 * pad, _mm(CARD_HEIGHT_MM, dpi) - 2 * pad)
    faces = (_face(card.front_html, family, device, inner), _face(card.back_html, family, device, inner))
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(f"cannot paint on the output device for {card.title!r}")
    try:
        for index, face in enumerate(faces):
            if index and not device.newPage():
                raise OSError(f"cannot start the back page of {card.title!r}")
            painter.save()
            painter.translate(pad, pad)
            face.drawContents(painter, QRectF(0, 0, inner.width(), inner.height()))
            painter.restore()
    finally:
        painter.end()
    return len(faces)


def _card_page_layout() -> QPageLayout:
    exact = QPageSize.SizeMatchPolicy.ExactMatch
    size = QPageSize(QSizeF(CARD_WIDTH_MM, CARD_HEIGHT_MM), QPageSize.Unit.Millimeter, "Wallet card", exact)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def exact_card_boxes(data: bytes) -> bytes:
    """A PDF's page boxes that Qt wrote in whole points, set to exactly 85.6 × 54 mm (unchanged if none found).

    The new numbers have the same length as Qt's ("243.000000" becomes "242.645669"), so no offset moves.
    """
    qt_box = re.compile(rb"/(MediaBox|TrimBox) \[0 0 (\d+\.\d{6}) (\d+\.\d{6})\]")
    exact = (f"{CARD_WIDTH_MM * POINTS_PER_MM:.6f}".encode(), f"{CARD_HEIGHT_MM * POINTS_PER_MM:.6f}".encode())

    def fix(m: re.Match[bytes]) -> bytes:
        width, height = m.group(2), m.group(3)
        if len(width) != len(exact[0]) or len(height) != len(exact[1]):
            return m.group(0)
        return b"/" + m.group(1) + b" [0 0 " + exact[0] + b" " + exact[1] + b"]"

    fixed = qt_box.sub(fix, data)
    if fixed == data:
        log.warning("no page box to set to the exact card size; the page is Qt's nearest whole points")
    return fixed


def export_card_pdf(card: CardDocument, path: Path, *, page_size: str = "A4", layout: str = "sheet") -> int:
    """Write the wallet card to *path* atomically.

    Args:
        card: The card's faces.
        path: The PDF to write.
        page_size: "A4" or "Letter" for the sheet (not used for card-sized pages).
        layout: "sheet" (fold-out cards with cut marks) or "card" (two pages of exactly 85.6 × 54 mm).

    Returns:
        The number of cards on the sheet, or of pages (2: front, back) for card-sized pages.

    Raises:
        ValueError: For an unknown page size or layout.
        OSError: If the file cannot be written; an existing file is left as it was.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown card layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    path = Path(path)
    layout_ = sheet_page_layout(page_size_id(page_size)) if layout == "sheet" else _card_page_layout()

    def paint(writer: QPdfWriter) -> int:
        return paint_cards(card, writer) if layout == "sheet" else paint_card_pages(card, writer)

    data, cards = render_pdf(card.title, layout_, paint, path)
    if layout == "card":
        data = exact_card_boxes(data)
    write_atomically(path, data, pages=1 if layout == "sheet" else 2)  # the one checked, atomic export
    return cards


def preview_cards(card: CardDocument, parent: QWidget | None, *, printer: QPrinter | None = None) -> None:
    """Show the sheet of cards in a modal print preview (print from there)."""
    from ldn_browser.ui.printing import _printer

    printer = printer or _printer(card.title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview: {card.title}")
    dialog.paintRequested.connect(lambda device: paint_cards(card, device))
    dialog.exec()
    dialog.deleteLater()
