"""Help: the evidence-grade legend (a non-modal window that follows the theme), the keyboard shortcuts, About."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QVBoxLayout, QWidget

from ldn_browser import __version__
from ldn_browser.ui.detail_view import DetailBrowser
from ldn_browser.ui.theme import palette_is_dark

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.ui.shortcuts_dialog import ShortcutsDialog


class HtmlDialog(QDialog):
    """A non-modal window showing one rich-text page (internal links open in the main window)."""

    def __init__(self, title: str, parent: QWidget | None = None, *, size: tuple[int, int] = (760, 520)) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = DetailBrowser(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(*size)


class GradeLegendDialog(HtmlDialog):
    """What each GRADE level, each basis and each direction of effect means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Evidence grades", parent, size=(640, 460))
        self.setObjectName("gradeLegendDialog")

    def show_legend(self, kb: KnowledgeBase, *, dark: bool) -> None:
        """Render the legend of *kb* for a light or dark palette."""
        from ldn_browser.core.detail import render_grade_legend  # the pydantic models load after the first paint

        self.browser.show_page(lambda width: render_grade_legend(kb, dark=dark, width_chars=width))


class Help:
    """The Help menu's actions (F1: the grade legend; what's new; the keyboard shortcuts; About)."""

    def __init__(
        self, *, parent: QWidget, kb: Callable[[], KnowledgeBase | None], navigate: Callable[[str], object]
    ) -> None:
        self._parent, self._kb, self._navigate = parent, kb, navigate
        self.legend_dialog: GradeLegendDialog | None = None
        self.whats_new_dialog: HtmlDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None

    def show_whats_new(self) -> None:
        """The KB's changelog: each entry added, changed or regraded in this release, with why."""
        from ldn_browser.core.detail import render_whats_new

        if (kb := self._kb()) is None:
            return
        if self.whats_new_dialog is None:
            self.whats_new_dialog = HtmlDialog("What's new in the knowledge base", self._parent)
            self.whats_new_dialog.setObjectName("whatsNewDialog")
            self.whats_new_dialog.browser.internal_link_activated.connect(self._navigate)
        self.whats_new_dialog.browser.show_page(lambda width: render_whats_new(kb, width_chars=width))
        self.whats_new_dialog.show()
        self.whats_new_dialog.raise_()

    def show_grade_legend(self) -> None:
        """Show the evidence-grade legend in a non-modal window."""
        if (kb := self._kb()) is None:
            return
        if self.legend_dialog is None:
            self.legend_dialog = GradeLegendDialog(self._parent)
        self.legend_dialog.show_legend(kb, dark=palette_is_dark(self._parent.palette()))
        self.legend_dialog.show()
        self.legend_dialog.raise_()
        self.legend_dialog.activateWindow()

    def show_shortcuts(self) -> None:
        """The window's keyboard shortcuts, read from its actions, in a non-modal window."""
        from ldn_browser.ui.shortcuts_dialog import ShortcutsDialog

        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self._parent)
        self.shortcuts_dialog.refresh()
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()
        self.shortcuts_dialog.activateWindow()

    def refresh(self, *, dark: bool) -> None:
        """Re-render an open legend after the palette changed."""
        if self.legend_dialog is not None and (kb := self._kb()) is not None:
            self.legend_dialog.show_legend(kb, dark=dark)

    def show_about(self) -> None:
        """The About box: app and KB versions, content date and disclaimer."""
        from ldn_browser.core.detail import render_about

        if (kb := self._kb()) is not None:
            QMessageBox.about(self._parent, "About LDN Browser", render_about(kb, app_version=__version__))
