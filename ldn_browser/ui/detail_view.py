"""The detail pane: a QTextBrowser that never loads anything from outside the app."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QTextDocument
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
    """

    internal_link_activated = Signal(str)
    external_link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.document().setDefaultStyleSheet(DETAIL_CSS)
        self.refused_resources: list[str] = []
        """URLs of resources this browser refused to load (for diagnostics and tests)."""
        self.anchorClicked.connect(self._on_anchor_clicked)

    def show_html(self, html: str) -> None:
        """Replace the page and scroll to the top."""
        self.setHtml(html)
        self.verticalScrollBar().setValue(0)

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
