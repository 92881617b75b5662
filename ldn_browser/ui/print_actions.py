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
    from PySide6.QtWidgets import QProgressDialog

    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.sheet import SheetDocument
    from ldn_browser.ui.dialogs import Dialogs
    from ldn_browser.ui.workers import ProgressJob


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


def progress_dialog(parent: QWidget, title: str, *, printing: bool = False) -> QProgressDialog:
    """The dialog of a long export or print: "Exporting <title>…" (plain text), Cancel, shown only after a second."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog("", "Cancel", 0, 0, parent)
    dialog.setLabel(plain_label(f"{'Printing' if printing else 'Exporting'} {title}…", dialog))  # never markup
    dialog.setWindowTitle("Print" if printing else "Export PDF")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(1000)
    dialog.setAutoClose(True)
    return dialog


class SheetOutput:
    """Exports and prints sheets off the GUI thread, one at a time, with a progress dialog and Cancel.

    The window keeps painting while a long pack is laid out; the result (pages written, an error, a
    cancel) is reported on the GUI thread. Used by the window's File menu and the medication check.

    Args:
        parent: The window or dialog (parent of the progress and error dialogs).
        dialogs: Reports errors.
        say: Shows a status message.
        saved: Told (path, pages) after an export was written.
    """

    def __init__(
        self,
        *,
        parent: QWidget,
        dialogs: Dialogs,
        say: Callable[[str], None],
        saved: Callable[[Path, int], None],
    ) -> None:
        self._parent, self._dialogs, self._say, self._saved = parent, dialogs, say, saved
        self.job: ProgressJob | None = None
        """The running (or last) job; :meth:`ProgressJob.wait` waits for it."""
        self.last_progress: QProgressDialog | None = None  # the progress dialog of the last job (tests look at it)

    @property
    def busy(self) -> bool:
        """An export or print is still running."""
        return self.job is not None and not self.job.finished

    def export(self, doc: SheetDocument, path: Path) -> ProgressJob | None:
        """Start writing *doc* to *path* (atomically: an existing file survives any failure)."""
        from ldn_browser.ui.printing import default_page_size, export_pdf

        if self.refuse_while_busy():
            return None
        page_size, where = default_page_size(), path_text(path)
        return self._start(
            doc.title,
            lambda progress: export_pdf(doc, path, page_size=page_size, progress=progress),
            done=lambda pages: self._saved(path, pages),
            cancelled=f"Export cancelled: nothing was written to {where}",
            error=("Cannot export PDF", f"{where} could not be written; nothing was changed."),
        )

    def print(self, doc: SheetDocument) -> ProgressJob | None:
        """Ask for a printer (on the GUI thread), then print *doc* in the background."""
        from ldn_browser.ui.printing import choose_printer, print_document

        if self.refuse_while_busy() or (printer := choose_printer(doc.title, self._parent)) is None:
            return None
        to_file = printer.outputFileName()  # "Print to file" in the print dialog: say where it went

        def done(pages: int) -> None:
            if to_file:
                self._saved(Path(to_file), pages)
            else:
                self._say(f"Sent {doc.title} to the printer ({pages} page{'s' if pages != 1 else ''})")

        return self._start(
            doc.title,
            lambda progress: print_document(doc, printer, progress=progress),
            done=done,
            cancelled="Printing cancelled: the print job was aborted",
            error=("Cannot print", f"{doc.title} could not be printed."),
            printing=True,
        )

    def wait(self) -> None:
        """Wait for a running job (the window closes only once its export is written)."""
        if self.job is not None:
            self.job.wait()

    def refuse_while_busy(self) -> bool:
        """True (and says so in the status bar) while a job runs: one export or print at a time."""
        if self.busy:
            self._say("An export or print is still running: wait for it, or press Cancel in its progress window")
        return self.busy

    def _start(
        self,
        title: str,
        work: Callable[[Callable[[int, int], bool]], int],
        *,
        done: Callable[[int], None],
        cancelled: str,
        error: tuple[str, str],
        printing: bool = False,
    ) -> ProgressJob:
        from ldn_browser.ui.printing import ExportCancelled
        from ldn_browser.ui.workers import ProgressJob

        if self.last_progress is not None:
            self.last_progress.deleteLater()  # the previous job's, finished
        dialog = progress_dialog(self._parent, title, printing=printing)
        self.last_progress = dialog

        def progress(steps_done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(steps_done)

        def then(result: object) -> None:
            dialog.reset()
            dialog.hide()
            if isinstance(result, int):
                done(result)
            elif isinstance(result, ExportCancelled):
                self._say(cancelled)
            elif isinstance(result, OSError):
                self._dialogs.error(*error, str(result.strerror or result))
            else:  # a bug: say what it was (the traceback is in the log)
                self._dialogs.error(*error, f"{type(result).__name__}: {result}")

        job = ProgressJob(work, on_progress=progress, then=then)
        dialog.canceled.connect(job.cancel)
        self.job = job.start()
        return job


class PagePrinter:
    """Print, Print preview and Export PDF of the page on screen (the window's File menu).

    Args:
        parent: The window (dialog parent).
        kb: Returns the KB shown (None before one is).
        request: Returns what is on screen (:func:`request_for`).
        dialogs: Asks for the export path and reports errors.
        message: Shows a status-bar message for some milliseconds.
        exported: Told (path, pages) after an export (the notice with Open and Show in folder);
            without it the status bar says "Saved …".
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

        def saved(path: Path, pages: int) -> None:
            if exported is not None:
                exported(path, pages)
            else:
                message(f"Saved {path_text(path)} ({pages} page{'s' if pages != 1 else ''})", 8000)

        self.output = SheetOutput(parent=parent, dialogs=dialogs, say=lambda text: message(text, 8000), saved=saved)

    def _document(self) -> tuple[SheetRequest, SheetDocument] | None:
        request, kb = self._request(), self._kb()
        if request.is_empty or kb is None:
            where = f"Nothing selected in {request.shown_in}: select an entry" if request.shown_in else "Open an entry"
            self._message(f"{where} (or open the Overview) to print or export its sheet", 8000)
            return None
        return request, build(kb, request)

    def print_page(self) -> ProgressJob | None:
        """Ask for a printer, then print the sheet in the background (Ctrl+P)."""
        if (found := self._document()) is None:
            return None
        return self.output.print(found[1])

    def preview_page(self) -> None:
        """Show the print preview of the sheet."""
        from ldn_browser.ui.printing import show_print_preview

        if (found := self._document()) is not None:
            show_print_preview(found[1], self._parent)

    def export_page(self) -> ProgressJob | None:
        """Ask where, then write the sheet as a PDF in the background (Ctrl+E); returns the job started."""
        if self.output.refuse_while_busy() or (found := self._document()) is None:
            return None
        request, doc = found
        path = self._dialogs.save_pdf_path(f"Export PDF: {doc.title}", str(suggested_path(request)))
        return None if path is None else self.output.export(doc, path)
