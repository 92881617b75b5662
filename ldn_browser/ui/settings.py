"""Typed access to the app's QSettings: corrupt or wrong-typed values are ignored, never fatal."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings

from ldn_browser.core.paths import portable_data_dir

ORGANIZATION = "ldn-browser"
APPLICATION = "ldn-browser"
MAX_RECENT = 12
MAX_BOOKMARKS = 200
ZOOM_MIN = -5
ZOOM_MAX = 10


def default_settings() -> QSettings:
    """The user's settings file (``~/.config/ldn-browser/ldn-browser.conf`` on Linux), or in portable mode
    ``ldn-browser.conf`` in the portable folder (see ``core.paths.portable_data_dir``)."""
    if portable := portable_data_dir():
        return QSettings(str(portable / f"{APPLICATION}.conf"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class AppSettings:
    """Reads and writes the few values the app persists.

    Every getter validates what it reads and falls back to a default, because the file may have
    been edited by hand or written by another version.
    """

    def __init__(self, store: QSettings) -> None:
        self._store = store

    @property
    def store(self) -> QSettings:
        """The underlying QSettings."""
        return self._store

    # -- helpers -------------------------------------------------------------------------------

    def _int(self, key: str, default: int, lo: int, hi: int) -> int:
        raw = self._store.value(key)
        if isinstance(raw, bool):
            return default
        try:
            value = int(raw) if isinstance(raw, (int, str)) else default
        except ValueError:
            return default
        return value if lo <= value <= hi else default

    def _id_list(self, key: str, limit: int) -> list[str]:
        raw = self._store.value(key)
        if not isinstance(raw, str):
            return []
        try:
            data = json.loads(raw)
        except ValueError:
            return []
        if not isinstance(data, list):
            return []
        out: list[str] = []
        for item in data:
            if isinstance(item, str) and ":" in item and item not in out:
                out.append(item)
        return out[:limit]

    def _set_id_list(self, key: str, ids: list[str]) -> None:
        self._store.setValue(key, json.dumps(ids))
        self._store.sync()

    # -- values --------------------------------------------------------------------------------

    def zoom(self) -> int:
        """Zoom steps relative to the default font size."""
        return self._int("view/zoom", 0, ZOOM_MIN, ZOOM_MAX)

    def set_zoom(self, steps: int) -> None:
        """Persist the zoom steps."""
        self._store.setValue("view/zoom", int(steps))
        self._store.sync()

    def theme(self) -> str:
        """The theme chosen in View › Theme: "system", "light" or "dark"."""
        raw = self._store.value("view/theme")
        return raw if raw in ("system", "light", "dark") else "system"

    def set_theme(self, theme: str) -> None:
        """Persist the theme."""
        self._store.setValue("view/theme", theme)
        self._store.sync()

    def last_target(self) -> str | None:
        """The page viewed last (reopened at the next start), or None."""
        raw = self._store.value("navigation/last_target")
        return raw if isinstance(raw, str) and raw else None

    def set_last_target(self, target: str) -> None:
        """Persist the page viewed last."""
        self._store.setValue("navigation/last_target", target)

    def last_tab(self) -> int:
        """Index of the tab shown last time (0 = Overview)."""
        return self._int("window/last_tab", 0, 0, 100)

    def set_last_tab(self, index: int) -> None:
        """Persist the current tab index."""
        self._store.setValue("window/last_tab", int(index))

    def geometry(self) -> QByteArray | None:
        """Saved window geometry, or None."""
        raw = self._store.value("window/geometry")
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def set_geometry(self, data: QByteArray) -> None:
        """Persist the window geometry."""
        self._store.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        """Saved toolbar/dock state, or None."""
        raw = self._store.value("window/state")
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def set_window_state(self, data: QByteArray) -> None:
        """Persist the toolbar/dock state."""
        self._store.setValue("window/state", data)

    def bookmarks(self) -> list[str]:
        """Bookmarked page targets (entry ids), oldest first."""
        return self._id_list("navigation/bookmarks", MAX_BOOKMARKS)

    def set_bookmarks(self, ids: list[str]) -> None:
        """Persist the bookmarks."""
        self._set_id_list("navigation/bookmarks", ids[:MAX_BOOKMARKS])

    def recent(self) -> list[str]:
        """Recently viewed page targets, newest first."""
        return self._id_list("navigation/recent", MAX_RECENT)

    def set_recent(self, ids: list[str]) -> None:
        """Persist the recently viewed list."""
        self._set_id_list("navigation/recent", ids[:MAX_RECENT])

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()
