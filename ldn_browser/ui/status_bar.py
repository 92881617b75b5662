"""The status bar's permanent widgets: which KB is shown, a stale-content warning, index progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from ldn_browser.core.pages import format_date, is_content_stale, months_between

if TYPE_CHECKING:
    from ldn_browser.core.entities import Meta


class KbStatus:
    """The KB label, the stale warning and the indexing progress bar, added to a status bar."""

    def __init__(self, status_bar: QStatusBar, parent: QWidget) -> None:
        self.kb_label = QLabel(parent)
        self.kb_label.setObjectName("kbStatus")
        self.stale_label = QLabel(parent)
        self.stale_label.setObjectName("staleWarning")
        self.progress_bar = QProgressBar(parent)
        self.progress_bar.setObjectName("indexProgress")
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setFormat("Indexing %p%")
        self.progress_bar.setAccessibleName("Search index progress")
        self.progress_bar.hide()
        status_bar.addPermanentWidget(self.progress_bar)
        status_bar.addPermanentWidget(self.stale_label)
        status_bar.addPermanentWidget(self.kb_label)

    def show_opening(self, message: str) -> None:
        """No KB yet: say it is being opened."""
        self.kb_label.setText(message)
        self.stale_label.hide()

    def show_kb(self, meta: Meta, path: Path | None, today: dt.date) -> None:
        """The KB's version and content date; a bold warning when the content is a year old or more."""
        self.kb_label.setText(f"KB {meta.kb_version} · content as of {format_date(meta.content_as_of)}")
        self.kb_label.setToolTip(str(path) if path else "")
        stale = is_content_stale(meta.content_as_of, today)
        months = months_between(meta.content_as_of, today)
        self.stale_label.setText(
            f"⚠ Content is {months} months old: check for an updated knowledge base" if stale else ""
        )
        self.stale_label.setStyleSheet("font-weight: bold;" if stale else "")
        self.stale_label.setVisible(stale)

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
