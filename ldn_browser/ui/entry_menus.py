"""Bookmarks and recently viewed entries: two lists kept in the settings, shown as menus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ldn_browser.core.text_policy import menu_text
from ldn_browser.ui.settings import AppSettings, SettingsWriteError

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase


REMOVE_TEXT = "Remove &bookmark"
"""The bookmark action's text while the page shown is bookmarked (otherwise its own, from the action table)."""


class EntryMenus:
    """The Bookmarks menu (the bookmark toggle, then one item per bookmark) and Go › Recently viewed."""

    def __init__(
        self,
        *,
        settings: AppSettings,
        menus: dict[str, QMenu],
        bookmark_action: QAction,
        kb: Callable[[], KnowledgeBase | None],
        navigate: Callable[[str], object],
    ) -> None:
        """Use the "bookmarks" menu and add "Recently viewed" to the "go" menu of *menus*."""
        self._settings, self._kb, self._navigate = settings, kb, navigate
        self.bookmarks_menu, self._bookmark_action = menus["bookmarks"], bookmark_action
        self._add_text = bookmark_action.text()
        self.recent_menu = menus["go"].addMenu("&Recently viewed")
        self.recent_menu.setObjectName("recentMenu")
        self.bookmarks: list[str] = settings.bookmarks()
        self.recent: list[str] = settings.recent()
        self.save_error: str | None = None
        """Why the last change could not be saved (None when it was)."""
        self.bookmarks_menu.aboutToShow.connect(self._reload)
        self.recent_menu.aboutToShow.connect(self._reload)

    def toggle(self, entity_id: str) -> bool:
        """Bookmark *entity_id* or remove its bookmark; True when it is bookmarked now.

        The change is merged with bookmarks another instance saved meanwhile (D11). When the settings
        cannot be written the change holds for this session and :attr:`save_error` says why (D12).
        """
        wanted = entity_id not in self.bookmarks
        try:
            self.bookmarks = self._settings.update_bookmark(entity_id, bookmarked=wanted)
            self.save_error = None
        except SettingsWriteError as e:
            self.save_error = str(e)
            self.bookmarks = [*self.bookmarks, entity_id] if wanted else [b for b in self.bookmarks if b != entity_id]
        self.rebuild()
        return entity_id in self.bookmarks

    def toggle_text(self, entity_id: str) -> str:
        """Toggle the bookmark and say what happened (for the status bar), including a failure to save."""
        done = "Bookmarked" if self.toggle(entity_id) else "Bookmark removed"
        return f"{done} for this session only: {self.save_error}" if self.save_error else done

    def show_bookmarked(self, entity_id: str | None) -> None:
        """The bookmark action for the page shown: checked, and "Remove bookmark", when it is bookmarked."""
        marked = entity_id is not None and entity_id in self.bookmarks
        self._bookmark_action.setChecked(marked)
        self._bookmark_action.setText(REMOVE_TEXT if marked else self._add_text)
        tip = "Remove the bookmark of the page shown" if marked else "Bookmark the page shown"
        self._bookmark_action.setToolTip(f"{tip} (Ctrl+D)")
        self._bookmark_action.setStatusTip(tip)

    def visited(self, entity_id: str) -> None:
        """Put *entity_id* first in the recently viewed list (bounded by the settings)."""
        try:
            self.recent = self._settings.push_recent(entity_id)
        except SettingsWriteError as e:
            self.save_error = str(e)
            self.recent = [entity_id, *(t for t in self.recent if t != entity_id)][: len(self.recent) + 1]
        self.rebuild()

    def _reload(self) -> None:
        """Before a menu opens: pick up what another instance saved (nothing lost if this one could not save)."""
        if self.save_error is not None:
            return
        self._settings.reload()
        self.bookmarks, self.recent = self._settings.bookmarks(), self._settings.recent()
        self.rebuild()

    def rebuild(self) -> None:
        """Refill both menus from the lists (entries missing from the KB shown are skipped)."""
        self.bookmarks_menu.clear()
        self.bookmarks_menu.addAction(self._bookmark_action)
        self.bookmarks_menu.addSeparator()
        self._add(self.bookmarks_menu, self.bookmarks, "No bookmarks yet (Ctrl+D bookmarks the page shown)")
        self.recent_menu.clear()
        self._add(self.recent_menu, self.recent, "Nothing viewed yet")

    def _add(self, menu: QMenu, ids: list[str], empty_text: str) -> None:
        kb = self._kb()
        entries = [e for e in (kb.get(i) for i in ids) if e is not None] if kb is not None else []
        for entry in entries:
            action = menu.addAction(menu_text(f"{entry.title}  ({entry.kind.label})"))  # no mnemonic, no tab (D16)
            action.setData(entry.id)
            action.triggered.connect(lambda _=False, t=entry.id: self._navigate(t))
        if not entries:
            menu.addAction(empty_text).setEnabled(False)
