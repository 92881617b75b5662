"""Print, preview and export the page on screen: which sheet that is, and the glue to ``ui.printing``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

from ldn_browser.core.pages import OVERVIEW_TARGET, target_entity_id
from ldn_browser.core.text_policy import path_text
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.text_widgets import plain_label

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.sheet import SheetDocument
    from ldn_browser.ui.dialogs import Dialogs


@dataclass(frozen=True)
class SheetRequest:
    """What the print actions act on.

    Attributes:
        ids: Entries to print, one sheet each (several selected conditions make a pack).
        overview: Print "LDN at a glance" (the Overview tab).
        shown_in: See below.
    """

    ids: tuple[str, ...] = ()
    overview: bool = False
    shown_in: str = ""
    """The tab's name ("Side effects") when it shows nothing to print (what the status bar then says)."""

    @property
    def is_empty(self) -> bool:
        """Nothing on screen to print."""
        return not self.ids and not self.overview

    def file_stem(self) -> str:
        """A file name that says which page: ``ldn-overview``, ``ldn-vivid-dreams``, ``ldn-crohns-disease-…``."""
        if self.overview and not self.ids:
            return "ldn-overview"
        slugs = [i.split(":", 1)[1] for i in self.ids[:3]]
        return "ldn-" + "-".join(slugs) + ("-and-more" if len(self.ids) > 3 else "")


class PrintablePage(Protocol):
    """What a tab tells the print actions."""

    @property
    def current_target(self) -> str | None: ...

    def selected_ids(self) -> list[str]: ...


def request_for(page: PrintablePage | None, *, is_overview: bool) -> SheetRequest:
    """The sheet for the page on screen: the overview, the selected entries (two or more), or the entry shown."""
    if is_overview:
        return SheetRequest(overview=True)
    if page is None:
        return SheetRequest()
    selected = page.selected_ids()
    if len(selected) > 1:
        return SheetRequest(ids=tuple(selected))
    target = page.current_target
    if target is None or target == OVERVIEW_TARGET:
        kind = getattr(page, "kind", None)
        return SheetRequest(ids=tuple(selected), shown_in=kind.plural if isinstance(kind, Kind) else "")
    return SheetRequest(ids=(target_entity_id(target),))


def build(kb: KnowledgeBase, request: SheetRequest) -> SheetDocument:
    """The sheet document for *request* (core: no Qt)."""
    from ldn_browser.core.sheet import build_sheet

    return build_sheet(kb, list(request.ids), overview=request.overview)


def suggested_path(request: SheetRequest, folder: Path | None = None) -> Path:
    """Where the export dialog starts: the home folder and a file name naming the page."""
    return (folder or Path.home()) / f"{request.file_stem()}.pdf"


def export_progress(
    parent: QWidget, title: str, *, printing: bool = False
) -> tuple[Callable[[int, int], bool], object]:
    """A progress callback for ``printing.export_pdf`` (or ``print_with_dialog`` when *printing*) and its
    dialog: Cancel, shown only after a second.

    Returns:
        The callback (False once Cancel is pressed) and the QProgressDialog (tests look at it).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog

    dialog = QProgressDialog("", "Cancel", 0, 0, parent)
    dialog.setLabel(plain_label(f"{'Printing' if printing else 'Exporting'} {title}…", dialog))  # never markup
    dialog.setWindowTitle("Print" if printing else "Export PDF")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(1000)
    dialog.setAutoClose(True)

    def progress(done: int, total: int) -> bool:
        dialog.setMaximum(total)
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    return progress, dialog


class PagePrinter:
    """Print, Print preview and Export PDF of the page on screen (the window's File menu).

    Args:
        parent: The window (dialog parent).
        kb: Returns the KB shown (None before one is).
        request: Returns what is on screen (:func:`request_for`).
        dialogs: Asks for the export path and reports errors.
        message: Shows a status-bar message for some milliseconds.
    """

    def __init__(
        self,
        *,
        parent: QWidget,
        kb: Callable[[], KnowledgeBase | None],
        request: Callable[[], SheetRequest],
        dialogs: Dialogs,
        message: Callable[[str, int], None],
        exported: Callable[[Path, int], None] | None = None,
    ) -> None:
        self._parent, self._kb, self._request, self._dialogs, self._message = parent, kb, request, dialogs, message
        self._exported = exported
        self.last_progress: object | None = None  # the progress dialog of the last export (tests look at it)

    def _progress_dialog(self, title: str) -> Callable[[int, int], bool]:
        progress, self.last_progress = export_progress(self._parent, title)
        return progress

    def _document(self) -> tuple[SheetRequest, SheetDocument] | None:
        request, kb = self._request(), self._kb()
        if request.is_empty or kb is None:
            where = f"Nothing selected in {request.shown_in}: select an entry" if request.shown_in else "Open an entry"
            self._message(f"{where} (or open the Overview) to print or export its sheet", 8000)
            return None
        return request, build(kb, request)

    def print_page(self) -> None:
        """Ask for a printer, then print the sheet (Ctrl+P)."""
        from ldn_browser.ui.printing import print_with_dialog

        if (found := self._document()) is not None:
            print_with_dialog(found[1], self._parent)

    def preview_page(self) -> None:
        """Show the print preview of the sheet."""
        from ldn_browser.ui.printing import show_print_preview

        if (found := self._document()) is not None:
            show_print_preview(found[1], self._parent)

    def export_page(self) -> Path | None:
        """Ask where, then save the sheet as a PDF (Ctrl+E); returns the file written."""
        from ldn_browser.ui.printing import ExportCancelled, default_page_size, export_pdf

        if (found := self._document()) is None:
            return None
        request, doc = found
        path = self._dialogs.save_pdf_path(f"Export PDF: {doc.title}", str(suggested_path(request)))
        if path is None:
            return None
        try:
            pages = export_pdf(doc, path, page_size=default_page_size(), progress=self._progress_dialog(doc.title))
        except ExportCancelled:
            self._message(f"Export cancelled: nothing was written to {path_text(path)}", 8000)
            return None
        except OSError as e:
            self._dialogs.error(
                "Cannot export PDF",
                f"{path_text(path)} could not be written; nothing was changed.",
                str(e.strerror or e),
            )
            return None
        if self._exported is not None:  # the notice says where it went, with Open and Show in folder
            self._exported(path, pages)
        else:
            self._message(f"Saved {path_text(path)} ({pages} page{'s' if pages != 1 else ''})", 8000)
        return path
