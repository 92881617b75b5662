"""The detail pane: a QTextBrowser that never loads anything from outside the app."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QEvent, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from ldn_browser.core.pages import is_external_url, parse_href

ALLOWED_RESOURCE_SCHEMES = frozenset({"qrc"})
"""Only resources compiled into the app may load; http:, https:, file:, data: ... are refused."""

DETAIL_CSS = """
h1 { font-size: x-large; }
table { margin-top: 4px; margin-bottom: 4px; }
th { font-weight: 600; }
b.match { font-weight: 700; text-decoration: underline; }
"""


class DetailBrowser(QTextBrowser):
    """Shows escaped KB HTML; internal links become signals, external ones are only reported.

    Links are never followed by the widget itself (``setOpenLinks(False)``), and
    :meth:`loadResource` refuses every resource that is not bundled with the app, so showing a
    page can never reach the network or the file system.

    Signals:
        internal_link_activated: Emitted with the target (e.g. ``condition:crohns-disease``) of a
            clicked ``ldn:`` link.
        external_link_activated: Emitted with the URL of a clicked http(s) link (PubMed, DOI).
        rendered: Emitted after the page was replaced or re-made for another width.
    """

    internal_link_activated = Signal(str)
    external_link_activated = Signal(QUrl)
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.document().setDefaultStyleSheet(DETAIL_CSS)
        self.refused_resources: list[str] = []
        """URLs of resources this browser refused to load (for diagnostics and tests)."""
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._render: Callable[[int], str] | None = None
        self._rendered_for = 0
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.timeout.connect(self._rerender_if_width_changed)
        self._kept_fraction: float | None = None  # where the reader was before a zoom re-laid the page out

    def show_html(self, html: str) -> None:
        """Replace the page (one that does not depend on the width) and scroll to the top."""
        self._render = None
        self.setHtml(html)
        self.verticalScrollBar().setValue(0)
        self.rendered.emit()

    def show_page(self, render: Callable[[int], str]) -> None:
        """Show the page *render* makes for this pane's width in characters; it is made again when that changes.

        The width decision is the view's: core gets the characters available and picks a table layout
        (columns, or stacked cards) for them.
        """
        self._render = render
        self._rendered_for = self.width_chars()
        self.setHtml(render(self._rendered_for))
        self.verticalScrollBar().setValue(0)
        self.rendered.emit()

    def width_chars(self) -> int:
        """Characters of the default font that fit across the page (a vertical scroll bar assumed)."""
        metrics = QFontMetricsF(self.document().defaultFont())
        usable = (
            self.width()
            - 2 * self.frameWidth()
            - self.verticalScrollBar().sizeHint().width()
            - 2 * self.document().documentMargin()
        )
        return max(1, int(usable / max(1.0, metrics.averageCharWidth())))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+Home and Ctrl+End go to the top and the bottom of the page, as Home and End do (a read-only
        browser with no caret ignored them)."""
        qt = QtCore.Qt
        ends = (qt.Key.Key_Home, qt.Key.Key_End)
        if event.modifiers() == qt.KeyboardModifier.ControlModifier and event.key() in ends:
            bar = self.verticalScrollBar()
            bar.setValue(bar.minimum() if event.key() == qt.Key.Key_Home else bar.maximum())
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Re-make a width-dependent page once the resize settles."""
        super().resizeEvent(event)
        if self._render is not None:
            self._relayout.start(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A zoom (font change) changes the characters that fit: re-make the page, at the same place in it.

        The place is taken before Qt lays the page out in the new font (which keeps the scroll bar's pixel value:
        zooming in had moved the reader back from Caveats to Key studies)."""
        if event.type() == QEvent.Type.FontChange and self._kept_fraction is None:
            self._kept_fraction = self._fraction()
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._relayout.start(0)

    def _fraction(self) -> float:
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def relayout_now(self) -> None:
        """Re-make the page for the current width at once (tests, and before a scroll position is restored)."""
        self._relayout.stop()
        self._rerender_if_width_changed()

    @Slot()
    def _rerender_if_width_changed(self) -> None:
        width = self.width_chars()
        kept, self._kept_fraction = self._kept_fraction, None
        bar = self.verticalScrollBar()
        if self._render is None or width == self._rendered_for:
            if kept is not None:
                self.document().size()
                bar.setValue(round(kept * bar.maximum()))
            return
        fraction = self._fraction() if kept is None else kept
        self._rendered_for = width
        self.setHtml(self._render(width))
        self.document().size()  # lay out now, so the scroll bar's range is the new page's
        bar.setValue(round(fraction * bar.maximum()))
        self.rendered.emit()

    def scroll_to(self, value: int) -> None:
        """Scroll to *value* once the page is laid out for this width (Back/Forward restore it)."""
        self.relayout_now()
        self.document().size()  # finishes the layout, so the scroll bar's range is the page's
        self.verticalScrollBar().setValue(value)

    def loadResource(self, type_: int, name: QUrl) -> object:  # noqa: N802 - Qt override
        """Load only bundled (``qrc:``) resources; return nothing for any other URL."""
        if name.scheme() in ALLOWED_RESOURCE_SCHEMES:
            return super().loadResource(type_, name)
        self.refused_resources.append(name.toString())
        return None

    def doSetSource(  # noqa: N802 - Qt override
        self, name: QUrl, type_: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource
    ) -> None:
        """Never navigate to a URL: pages are set with :meth:`show_html`."""
        self.refused_resources.append(name.toString())

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        target = parse_href(text)
        if target is not None:
            self.internal_link_activated.emit(target)
        elif is_external_url(text):
            self.external_link_activated.emit(url)
