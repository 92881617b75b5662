"""Printing and PDF export of summary sheets: the thin Qt step after ``core.sheet``.

Each page is drawn here rather than by ``QTextDocument.print_`` (which adds its own 2 cm margin
and page numbers): the sheet HTML is laid out to the printable rectangle minus a footer band,
then every page is clipped out of the layout and a footer is drawn under it:

    Page n of N · KB x.y.z · printed YYYY-MM-DD                     <sheet title>
    <disclaimer in small type>

The layout uses the target device as its paint device, so sizes in points are exact at any
resolution and on both A4 and Letter. Each sheet of a pack is laid out as its own document and
its pages are numbered across the pack. Pagination edits are made only on a fully laid-out
document (see ``_finish_layout``): Qt's lazy incremental layout would otherwise leave blocks
without lines, and they would be missing from the paper. ``export_pdf`` writes atomically.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QWidget

from ldn_browser import __version__
from ldn_browser.core.sheet import SheetDocument, SheetPart
from ldn_browser.ui.pagination import _assert_laid_out, _blocks, _paginate, _section_titles

PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}
"""Paper sizes offered for export, by the names the command line uses."""

PAGE_MARGINS_MM = QMarginsF(16, 14, 16, 10)
"""Left, top, right, bottom page margins; the footer sits inside the bottom margin's band."""

BODY_POINT_SIZE = 9.0
FOOTER_POINT_SIZE = 7.0
DISCLAIMER_POINT_SIZE = 6.5
FOOTER_GAP_PT = 8.0
"""Space between the last line of the body and the footer rule."""
KEEP_WITH_NEXT_PT = 54.0
"""A section heading needs at least this much room below it on its page, or it moves to the next."""
PDF_RESOLUTION = 600
KEEP_LAID_OUT = 8
"""Sheets of a pack kept laid out between counting pages and painting; later ones are laid out twice."""

FALLBACK_FAMILY = "DejaVu Sans"
"""Has every glyph the sheets use (⊕ ◯ ○ ↑ ± · –); installed by fonts-dejavu-core, bundled by packaging."""

_LETTER_TERRITORIES = frozenset(
    QLocale.Country[name]
    for name in ("UnitedStates", "Canada", "Mexico", "Chile", "Colombia", "CostaRica", "DominicanRepublic")
    + ("ElSalvador", "Guatemala", "Panama", "Philippines", "PuertoRico", "Venezuela")
)
"""Territories where Letter is the usual paper size; everywhere else uses A4."""

_INK = QColor("#1d2a33")
_MUTED = QColor("#5a6670")
_RULE = QColor("#c9d1d8")

_font_family: str | None = None


# -- application and fonts ------------------------------------------------------------------------


@contextmanager
def headless_app() -> Iterator[QGuiApplication]:
    """Give a Qt application for printing, creating one if needed (offscreen when there is no display).

    An existing QApplication/QGuiApplication is reused. A new one is created with the offscreen
    platform on Linux/BSD when neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set, so the
    ``sheet`` and ``check`` subcommands work over SSH, in CI and in containers.

    Yields:
        The application instance; the sheet fonts are registered before it is yielded.
    """
    app = QGuiApplication.instance()
    if app is None:
        no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
        if sys.platform not in ("win32", "darwin") and no_display:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "ldn-browser"])
    assert isinstance(app, QGuiApplication)
    ensure_fonts()
    yield app


def ensure_fonts() -> str:
    """Register bundled fonts (``resources/fonts/*.ttf``) once and return the family sheets use.

    Needs a QGuiApplication. Prefers the bundled DejaVu Sans, then any bundled family, then an
    installed "DejaVu Sans", then the system's general font.

    Returns:
        The font family name for sheets.
    """
    global _font_family
    if _font_family is not None:
        return _font_family
    from ldn_browser.ui.fonts import register_bundled_fonts

    bundled = register_bundled_fonts()
    if bundled == FALLBACK_FAMILY or FALLBACK_FAMILY in QFontDatabase.families():
        _font_family = FALLBACK_FAMILY
    elif bundled:
        _font_family = bundled
    else:
        _font_family = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    return _font_family


# -- page sizes -----------------------------------------------------------------------------------


def default_page_size(locale: QLocale | None = None) -> str:
    """The usual paper size for a locale: "Letter" in the US, Canada, Mexico, …; otherwise "A4".

    Args:
        locale: Locale to ask (default: the system locale).

    Returns:
        "A4" or "Letter".
    """
    locale = locale if locale is not None else QLocale.system()
    return "Letter" if locale.territory() in _LETTER_TERRITORIES else "A4"


def page_size_id(name: str) -> QPageSize.PageSizeId:
    """Qt's id for a paper size name ("A4" or "Letter", case-insensitive).

    Raises:
        ValueError: For any other name.
    """
    for key, size_id in PAGE_SIZES.items():
        if key.lower() == name.strip().lower():
            return size_id
    raise ValueError(f"unknown page size {name!r}; use one of {', '.join(PAGE_SIZES)}")


# -- painting -------------------------------------------------------------------------------------


class ExportCancelled(Exception):  # noqa: N818 - it is not an error: the user asked for it
    """The user cancelled a long export; nothing was written (an existing file is left as it was)."""


Progress = Callable[[int, int], bool]
"""Called with (steps done, steps in all) during a long print; returning False cancels it."""


def paint_document(doc: SheetDocument, device: QPagedPaintDevice, *, progress: Progress | None = None) -> int:
    """Lay out the sheet HTML on the device's pages and draw every page with its footer.

    Args:
        doc: The sheet(s) to print.
        device: A QPdfWriter or QPrinter, page size and margins already set.
        progress: Told after each sheet is laid out and after each is drawn (two steps per sheet);
            returning False stops with :class:`ExportCancelled`.

    Returns:
        The number of pages drawn.

    Raises:
        OSError: If painting on the device cannot start (e.g. the file cannot be written).
    """
    family = ensure_fonts()
    paint_rect = device.pageLayout().paintRectPixels(round(device.logicalDpiY()))
    width = float(paint_rect.width())
    footer = _Footer(doc.footer, family, device, width)
    body_height = body_height_for(device, footer)

    # Sheet by sheet: each sheet is its own QTextDocument, so a pagination edit relayouts one sheet,
    # not everything after it in the pack, and each sheet's pages carry its own title. The footer
    # needs the total page count first; the first KEEP_LAID_OUT sheets stay laid out for painting,
    # later ones are laid out again when painted (the layout is deterministic), so memory stays
    # bounded for packs of any size.
    parts = doc.parts or (SheetPart(doc.title, doc.html),)
    steps = 2 * len(parts)

    def step(done: int) -> None:
        if progress is not None and not progress(done, steps):
            raise ExportCancelled(f"cancelled after {done} of {steps} steps")

    body_size = QSizeF(width, body_height)
    kept: dict[int, QTextDocument] = {}
    counts: list[int] = []
    for index, part in enumerate(parts):
        text_doc = _layout(part.html, family, device, body_size)
        counts.append(text_doc.pageCount())
        if index < KEEP_LAID_OUT:
            kept[index] = text_doc
        del text_doc
        step(index + 1)
    page_count = sum(counts)

    painter = QPainter()
    if not painter.begin(device):
        raise OSError(f"cannot paint on the output device for {doc.title!r}")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        number = 0
        for index, (part, count) in enumerate(zip(parts, counts, strict=True)):
            text_doc = kept.pop(index) if index in kept else _layout(part.html, family, device, body_size)
            if text_doc.pageCount() != count:
                raise RuntimeError(f"sheet {part.title!r} paginated differently the second time")
            section_titles = _section_titles(text_doc, body_height, count, part.title)
            for page in range(count):
                if number and not device.newPage():
                    raise OSError("cannot start a new page on the output device")
                number += 1
                painter.save()
                painter.translate(0, -page * body_height)
                # One device pixel less: a block starting exactly at the next page's top would otherwise be
                # drawn (clipped, but present in the PDF text) at the bottom of this page.
                text_doc.drawContents(painter, QRectF(0, page * body_height, width, body_height - 1))
                painter.restore()
                footer.draw(
                    painter,
                    QRectF(0, paint_rect.height() - footer.height, width, footer.height),
                    number,
                    page_count,
                    section_titles[page],
                )
            del text_doc
            step(len(parts) + index + 1)
    finally:
        painter.end()
    return page_count


def body_height_for(device: QPagedPaintDevice, footer: _Footer) -> float:
    """The height of a page's body (above the footer) in whole device pixels: Qt keeps a document's page breaks
    in 1/64 pixels, and a fractional height put them a hair above the edges pages are painted at."""
    dpi = float(device.logicalDpiY())
    body = int(device.pageLayout().paintRectPixels(round(dpi)).height() - footer.height - _pt(FOOTER_GAP_PT, dpi))
    if body <= 0:
        raise ValueError("the page margins leave no room for the sheet")
    return float(body)


def sheet_font(family: str, point_size: float) -> QFont:
    """A font for sheets: no ligatures, so text copied or extracted from the PDF reads "ff", not "ﬀ"."""
    font = QFont(family)
    font.setPointSizeF(point_size)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _pt(points: float, dpi: float) -> float:
    return points * dpi / 72.0


def _layout(html: str, family: str, device: QPagedPaintDevice, page: QSizeF) -> QTextDocument:
    """The sheet HTML laid out for ``device`` in pages of ``page`` size, headings kept with what follows."""
    text_doc = QTextDocument()
    text_doc.documentLayout().setPaintDevice(device)
    text_doc.setDefaultFont(sheet_font(family, BODY_POINT_SIZE))
    text_doc.setDocumentMargin(0)
    text_doc.setHtml(html)
    _use_stylesheet_heading_sizes(text_doc)
    text_doc.setPageSize(page)
    dpi = float(device.logicalDpiY())
    _paginate(text_doc, page.height(), _pt(KEEP_WITH_NEXT_PT, dpi), dpi / _layout_reference_dpi())
    _assert_laid_out(text_doc)
    return text_doc


def _layout_reference_dpi() -> float:
    """The DPI Qt's text layout treats CSS pixels against (it scales them to the paint device)."""
    screen = QGuiApplication.primaryScreen()
    return float(round(screen.logicalDotsPerInchY())) if screen is not None else 96.0


def _use_stylesheet_heading_sizes(text_doc: QTextDocument) -> None:
    """Let the sheet's CSS font-size win in headings.

    Qt gives <h1>–<h6> a relative size (FontSizeAdjustment) that overrides any point size set by
    CSS, so "h2 { font-size: 10.5pt }" would print at about 13.5 pt. Removing the adjustment
    leaves the stylesheet's size.
    """
    ranges: list[tuple[int, int, QTextCharFormat]] = []
    for block in _blocks(text_doc):
        if block.blockFormat().headingLevel() == 0:
            continue
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.hasProperty(QTextFormat.Property.FontSizeAdjustment) and fmt.hasProperty(
                QTextFormat.Property.FontPointSize
            ):
                fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                ranges.append((fragment.position(), fragment.length(), fmt))
            it += 1
    cursor = QTextCursor(text_doc)
    cursor.beginEditBlock()  # one relayout for all headings, not one per fragment
    for position, length, fmt in ranges:
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)
    cursor.endEditBlock()


class _Footer:
    """The footer band: a hairline, "Page n of N · KB … · printed …", the sheet title, the disclaimer."""

    def __init__(self, footer_text: str, family: str, device: QPagedPaintDevice, width: float) -> None:
        first, _, rest = footer_text.partition("\n")
        self.info = first
        self.disclaimer = " ".join(rest.split())
        self.dpi = float(device.logicalDpiY())
        self.width = width
        self.font = sheet_font(family, FOOTER_POINT_SIZE)
        self.small = sheet_font(family, DISCLAIMER_POINT_SIZE)
        self.line_height = QFontMetricsF(self.font, device).height()
        self.gap = _pt(3.0, self.dpi)
        disclaimer_height = 0.0
        if self.disclaimer:
            bounds = QFontMetricsF(self.small, device).boundingRect(
                QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), self.disclaimer
            )
            disclaimer_height = bounds.height() + self.gap / 2
        self.height = self.gap + self.line_height + disclaimer_height

    def draw(self, painter: QPainter, rect: QRectF, page: int, pages: int, section: str) -> None:
        painter.save()
        painter.setPen(QPen(_RULE, max(1.0, _pt(0.5, self.dpi))))
        painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
        line = QRectF(rect.left(), rect.top() + self.gap, rect.width(), self.line_height)
        painter.setFont(self.font)
        painter.setPen(_INK)
        info = f"Page {page} of {pages} · {self.info}" if self.info else f"Page {page} of {pages}"
        painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), info)
        if section:
            info_width = QFontMetricsF(self.font, painter.device()).horizontalAdvance(info + "      ")
            room = line.adjusted(info_width, 0, 0, 0)
            elided = QFontMetricsF(self.font, painter.device()).elidedText(
                section, Qt.TextElideMode.ElideRight, room.width()
            )
            painter.setPen(_MUTED)
            painter.drawText(room, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), elided)
        if self.disclaimer:
            painter.setFont(self.small)
            painter.setPen(_MUTED)
            below = QRectF(rect.left(), line.bottom() + self.gap / 2, rect.width(), rect.bottom() - line.bottom())
            painter.drawText(below, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), self.disclaimer)
        painter.restore()


# -- outputs --------------------------------------------------------------------------------------


def export_pdf(doc: SheetDocument, path: Path, *, page_size: str = "A4", progress: Progress | None = None) -> int:
    """Write the sheet(s) to a PDF file, atomically; an existing file is never lost.

    The PDF is rendered into memory (so Qt never touches the file system: a path that is not valid
    UTF-8 cannot be mangled into another file name), written by Python to a temporary file in the
    same folder, flushed to disk (``fsync``), read back and checked (size, ``%PDF-`` header,
    ``%%EOF`` trailer, page count), then renamed over ``path`` (``os.replace``). If anything fails
    (full disk, read-only folder, permissions, a painting error) an existing file at ``path`` is left
    as it was, the temporary file is removed, and the error names ``path``.

    Args:
        doc: The sheet(s) to write.
        path: Output file; replaced.
        page_size: "A4" or "Letter".
        progress: See :func:`paint_document`; cancelling leaves an existing file as it was.

    Returns:
        The number of pages written.

    Raises:
        ValueError: For an unknown page size.
        OSError: If the file cannot be written; the message names ``path``.
    """
    layout = sheet_page_layout(page_size_id(page_size))
    path = Path(path)
    data, pages = render_pdf(doc.title, layout, lambda writer: paint_document(doc, writer, progress=progress), path)
    write_atomically(path, data, pages=pages)
    return pages


def sheet_page_layout(size_id: QPageSize.PageSizeId) -> QPageLayout:
    """A portrait page of *size_id* with the sheets' margins."""
    portrait, mm = QPageLayout.Orientation.Portrait, QPageLayout.Unit.Millimeter
    return QPageLayout(QPageSize(size_id), portrait, PAGE_MARGINS_MM, mm)


def render_pdf(title: str, layout: QPageLayout, paint: Callable[[QPdfWriter], int], path: Path) -> tuple[bytes, int]:
    """A whole PDF in memory: *paint* draws on a writer at :data:`PDF_RESOLUTION` and returns its count.

    Raises:
        OSError: naming *path* (the file it is for), if painting fails.
    """
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    try:
        writer.setResolution(PDF_RESOLUTION)
        writer.setPageLayout(layout)
        writer.setTitle(title)
        writer.setCreator(f"LDN Browser {__version__}")
        count = paint(writer)
    except OSError as e:
        raise _write_error(path, e) from e
    finally:
        del writer  # the PDF is complete only once the writer is destroyed
    data = bytes(buffer.data().data())
    buffer.close()
    return data, count


def write_atomically(path: Path, data: bytes, *, pages: int | None = None) -> None:
    """Write *data* (a whole PDF) to *path* through a checked temporary file in the same folder.

    Raises:
        OSError: naming *path*, if any step fails; an existing file at *path* is unchanged.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".ldn-export-", suffix=".pdf.part", dir=path.parent)
    except OSError as e:  # a missing or read-only folder, permissions
        raise _write_error(path, e) from e
    tmp = Path(tmp_name)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _match_mode(tmp, path)
        _check_complete_pdf(tmp, pages)
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise _write_error(path, e) from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_error(path: Path, error: OSError) -> OSError:
    """An OSError whose message says what failed and whose ``filename`` is the output path."""
    reason = error.strerror or str(error) or type(error).__name__
    return OSError(error.errno or errno.EIO, f"{reason}; any existing file there is unchanged", str(path))


def _match_mode(tmp: Path, path: Path) -> None:
    """Give the temporary file the permissions the output would have (mkstemp makes it 0600)."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def _check_complete_pdf(path: Path, pages: int | None = None) -> None:
    """Raise OSError unless ``path`` is a whole PDF, read back from disk (with *pages* pages, if given)."""
    data = path.read_bytes()
    if len(data) < 64 or not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise OSError(errno.EIO, f"the PDF written is incomplete ({len(data)} bytes; disk full?)")
    if pages is not None and (found := len(_PAGE_OBJECT.findall(data))) != pages:
        raise OSError(errno.EIO, f"the PDF written has {found} pages instead of {pages}")


def job_name(title: str) -> str:
    """*title* as a print job's name, which the print dialog also offers as the file name when printing to a file:
    without the characters a file name cannot hold on some systems ("Fibromyalgia: LDN summary" →
    "Fibromyalgia - LDN summary")."""
    return re.sub(r"(?:\s*[<>:\"/\\|?*])+\s*", " - ", title).strip(" -") or "LDN Browser"


def _printer(doc: SheetDocument | str) -> QPrinter:
    """A printer at the locale's paper size and the sheet margins; *doc* (or a title) names the print job."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(sheet_page_layout(page_size_id(default_page_size())))
    printer.setDocName(job_name(doc if isinstance(doc, str) else doc.title))
    printer.setCreator(f"LDN Browser {__version__}")
    return printer


def show_print_preview(doc: SheetDocument, parent: QWidget | None, *, printer: QPrinter | None = None) -> None:
    """Show the sheet in a modal QPrintPreviewDialog; the user can change paper size and print from it.

    Args:
        doc: The sheet(s) to preview.
        parent: Parent window.
        printer: Printer to preview for (default: the default printer, locale paper size).
    """
    printer = printer or _printer(doc)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview: {doc.title}")
    dialog.paintRequested.connect(lambda device: paint_document(doc, device))
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitInView)
    dialog.exec()
    dialog.deleteLater()


def choose_printer(title: str, parent: QWidget | None, *, printer: QPrinter | None = None) -> QPrinter | None:
    """Ask for a printer and options with QPrintDialog; None if the user cancelled.

    Args:
        title: What is printed (the dialog's title).
        parent: Parent window.
        printer: Printer to start from (default: the default printer, locale paper size).
    """
    printer = printer or _printer(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print: {title}")
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return printer if accepted else None


def print_document(doc: SheetDocument, printer: QPrinter, *, progress: Progress | None = None) -> int:
    """Print the sheet(s) on *printer* (any thread); returns the pages printed.

    Raises:
        ExportCancelled: If *progress* returned False; the print job is aborted.
    """
    try:
        return paint_document(doc, printer, progress=progress)
    except ExportCancelled:
        printer.abort()
        raise


def print_with_dialog(
    doc: SheetDocument,
    parent: QWidget | None,
    *,
    printer: QPrinter | None = None,
    progress: Progress | None = None,
) -> bool:
    """Ask for a printer (:func:`choose_printer`), then print on this thread (:func:`print_document`).

    Returns:
        True if printed, False if the user cancelled the dialog.
    """
    chosen = choose_printer(doc.title, parent, printer=printer)
    if chosen is not None:
        print_document(doc, chosen, progress=progress)
    return chosen is not None
