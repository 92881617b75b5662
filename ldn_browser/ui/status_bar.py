"""The status bar's permanent widgets: which KB is shown, a stale-content warning, index progress, the zoom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from ldn_browser.core.pages import format_date, is_content_stale, months_between
from ldn_browser.core.text_policy import path_text, tooltip_html
from ldn_browser.ui import links
from ldn_browser.ui.text_widgets import make_plain

if TYPE_CHECKING:
    from ldn_browser.core.entities import Meta
    from ldn_browser.ui.zoom import Zoom


class KbStatus:
    """The KB label, the stale warning and the indexing progress bar, added to a status bar."""

    def __init__(
        self, status_bar: QStatusBar, parent: QWidget, *, open_url: Callable[[QUrl], object], zoom: Zoom | None = None
    ) -> None:
        """*zoom*, when given, is shown here while it is not 100 % and reset by a click."""
        self._bar = status_bar
        self.kb_label = make_plain(QLabel(parent))
        self.kb_label.setObjectName("kbStatus")
        self.stale_label = make_plain(QLabel(parent))
        self.stale_label.setObjectName("staleWarning")
        self.progress_bar = QProgressBar(parent)
        self.progress_bar.setObjectName("indexProgress")
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setFormat("Indexing %p%")
        self.progress_bar.setAccessibleName("Search index progress")
        self.progress_bar.hide()
        self.export_notice = ExportNotice(parent)
        self.export_notice.open_requested.connect(open_url)
        self.export_notice.folder_requested.connect(open_url)
        self.zoom_button = QToolButton(parent)
        self.zoom_button.setObjectName("zoomIndicator")
        self.zoom_button.setAutoRaise(True)
        self.zoom_button.hide()
        if zoom is not None:
            zoom.indicator = self.show_zoom
            self.zoom_button.clicked.connect(zoom.reset)
        status_bar.addWidget(self.export_notice)
        status_bar.addPermanentWidget(self.zoom_button)
        status_bar.addPermanentWidget(self.progress_bar)
        status_bar.addPermanentWidget(self.stale_label)
        status_bar.addPermanentWidget(self.kb_label)

    def show_export(self, path: Path, pages: int) -> None:
        """Where an export went (the notice replaces a temporary message: the two never draw over each other).

        QStatusBar hides its normal widgets while a temporary message shows and shows them again after;
        a notice shown during a message would be painted on top of it.
        """
        self._bar.clearMessage()
        self.export_notice.show_file(path, pages)

    def show_opening(self, message: str) -> None:
        """No KB yet: say it is being opened."""
        self.kb_label.setText(message)
        self.stale_label.hide()

    def show_kb(self, meta: Meta, path: Path | None, today: dt.date) -> None:
        """The KB's version and content date; a bold warning when the content is a year old or more."""
        self.kb_label.setText(f"KB {meta.kb_version} · content as of {format_date(meta.content_as_of)}")
        self.kb_label.setToolTip(tooltip_html(path_text(path)) if path else "")
        stale = is_content_stale(meta.content_as_of, today)
        months = months_between(meta.content_as_of, today)
        self.stale_label.setText(
            f"⚠ Content is {months} months old: check for an updated knowledge base" if stale else ""
        )
        self.stale_label.setStyleSheet("font-weight: bold;" if stale else "")
        self.stale_label.setVisible(stale)

    def show_zoom(self, percent: int) -> None:
        """The zoom while it is not 100 % (a click resets it): text that looks too big or small says why."""
        self.zoom_button.setText(f"Zoom {percent}%")
        tip = f"Zoom {percent}%: click to reset to 100% (Ctrl+0)"
        self.zoom_button.setToolTip(tip)
        self.zoom_button.setAccessibleName(tip)
        self.zoom_button.setVisible(percent != 100)

    def show_indexing(self, done: int | None = None, total: int | None = None) -> None:
        """Indexing progress: busy (no numbers yet) or *done* of *total*."""
        if done is None or total is None:
            self.progress_bar.setRange(0, 0)
        else:
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)
        self.progress_bar.show()

    def hide_indexing(self) -> None:
        """Indexing finished or failed."""
        self.progress_bar.hide()


class ExportNotice(QWidget):
    """After an export: where the file went, with Open and Show in folder (each only on a click).

    Signals:
        open_requested: Emitted with the file's URL when Open is clicked.
        folder_requested: Emitted with the folder's URL when Show in folder is clicked.
    """

    open_requested = Signal(QUrl)
    folder_requested = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportNotice")
        self.path: Path | None = None
        self.label = make_plain(QLabel(self))
        self.open_button = QToolButton(self)
        self.open_button.setText("Open")
        self.open_button.setObjectName("exportOpenButton")
        self.folder_button = QToolButton(self)
        self.folder_button.setText("Show in folder")
        self.folder_button.setObjectName("exportFolderButton")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setObjectName("exportCloseButton")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss this notice")
        self.close_button.setAccessibleName("Dismiss the saved-file notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.open_button, self.folder_button, self.close_button):
            layout.addWidget(widget)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def show_file(self, path: Path, pages: int, now: dt.datetime | None = None) -> None:
        """Say when *path* was written (with its page count) and offer to open it.

        The notice stays until dismissed or replaced, so it names the time: read later, it says when it was saved.
        """
        self.path = path
        when = (now or dt.datetime.now()).strftime("%H:%M")
        count = f"{pages} page{'s' if pages != 1 else ''}"
        shown = f"Saved at {when}: {path_text(path.name)} ({count}) in {path_text(path.parent)}"
        self.label.setText(shown)
        self.label.setToolTip(tooltip_html(path_text(path)))
        links.remember_export(path)
        self.show()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        if self.path is not None:
            self.open_requested.emit(QUrl.fromLocalFile(str(self.path)))

    @Slot()
    def _on_folder_button_clicked(self) -> None:
        if self.path is not None:
            self.folder_requested.emit(QUrl.fromLocalFile(str(self.path.parent)))
