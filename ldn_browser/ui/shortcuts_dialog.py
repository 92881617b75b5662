"""Help › Keyboard shortcuts: every shortcut of the window, read from its actions (no list of its own).

The window's actions are the one declaration of its shortcuts (the action table, plus the tab actions
Alt+1 … Alt+0 made with the tabs); this dialog lists what they hold when it is shown, so a shortcut added,
changed or removed there is listed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ShortcutRow:
    """One command of the window with its keys, as the dialog lists it."""

    command: str
    keys: tuple[str, ...]
    menu: str


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks ("&Print…" → "Print…", "&&" → "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _menu_of(action: QAction) -> str:
    menus = [obj for obj in action.associatedObjects() if isinstance(obj, QMenu)]
    return _plain(menus[0].title()) if menus else ""


def shortcut_rows(window: QWidget) -> list[ShortcutRow]:
    """Every action of *window* that has a shortcut, in the order the window holds them, with all its keys."""
    rows = []
    for action in window.actions():
        keys = tuple(seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts())
        if keys:
            rows.append(ShortcutRow(_plain(action.text()), keys, _menu_of(action)))
    return rows


class ShortcutsDialog(QDialog):
    """A table of the window's commands and their keys (Command, Keys, Menu), filled when shown."""

    COL_COMMAND, COL_KEYS, COL_MENU = 0, 1, 2

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self._window = window
        self.table = QTreeWidget(self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHeaderLabels(["Command", "Keys", "Menu"])
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_COMMAND, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def refresh(self) -> None:
        """List the window's shortcuts as they are now."""
        self.table.clear()
        for row in shortcut_rows(self._window):
            self.table.addTopLevelItem(QTreeWidgetItem([row.command, ", ".join(row.keys), row.menu]))
