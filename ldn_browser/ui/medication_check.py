"""The window's part behind Tools ▸ Check medications: the panel (:mod:`ldn_browser.ui.meds_panel`) is imported
and made on first use, not while the window starts (its module, the medication grammar's regular expressions and
Qt's item-role enum cost ~20 ms before the first pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.ui.dialogs import Dialogs
    from ldn_browser.ui.meds_panel import MedicationCheckDialog


class MedicationCheck:
    """The window's part behind Tools ▸ Check medications (Ctrl+Shift+M): one panel, made on first use."""

    def __init__(
        self,
        *,
        parent: QWidget,
        kb: Callable[[], KnowledgeBase | None],
        navigate: Callable[[str], object],
        dialogs: Dialogs,
    ) -> None:
        self._parent, self._kb, self._navigate, self._dialogs = parent, kb, navigate, dialogs
        self.dialog: MedicationCheckDialog | None = None

    def _open_entry(self, entry_id: str) -> None:
        """Open a row's entry in the window, and step the panel aside: it covered the page it had opened."""
        self._navigate(entry_id)
        if self.dialog is not None:
            self.dialog.hide()  # kept as it is: Ctrl+Shift+M shows it again
        bar = getattr(self._parent, "statusBar", None)
        if callable(bar):
            bar().showMessage("Medication check kept: Tools › Check medications (Ctrl+Shift+M) shows it again", 10_000)
        self._parent.activateWindow()

    def show(self) -> MedicationCheckDialog | None:
        """Show the panel (non-modal) with the cursor in its text box."""
        if self._kb() is None:
            return None
        if self.dialog is None:
            from ldn_browser.ui.meds_panel import MedicationCheckDialog  # its module and the check's, on first use

            self.dialog = MedicationCheckDialog(kb=self._kb, dialogs=self._dialogs, parent=self._parent)
            self.dialog.entry_requested.connect(self._open_entry)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.input.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        return self.dialog
