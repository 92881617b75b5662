"""Typed access to the app's QSettings: corrupt or wrong-typed values are ignored, never fatal.

The two id lists (bookmarks, recently viewed) are read in linear time and capped, however long the
stored value; a change to them re-reads what another instance saved, merges, and writes under a
lock file; a store that cannot be written raises :class:`SettingsWriteError` (review D10-D12).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QSettings

from ldn_browser.core.paths import portable_data_dir
from ldn_browser.core.text_policy import path_text

log = logging.getLogger(__name__)

ORGANIZATION = "ldn-browser"
APPLICATION = "ldn-browser"
MAX_RECENT = 12
MAX_BOOKMARKS = 200
MAX_LIST_CHARS = 256 * 1024
"""A stored id list longer than this (about 5,000 ids) is ignored: no valid list is that long."""
MAX_ID_CHARS = 200
ZOOM_MIN = -5
ZOOM_MAX = 10
_VARIANT_LINE = re.compile(rb'^[^=\r\n]*=[ \t]*"?@Variant\(.*$\r?\n?', re.MULTILINE)
"""A value Qt would decode as a serialised QVariant. The app never writes one (only plain values and
``@ByteArray``), and Qt aborts the whole process (``std::bad_alloc``) on a container whose stored length is
huge, e.g. ``@Variant(\\0\\0\\0\\v\\x7f\\xff\\xff\\xff)``: a QStringList of 2^31 strings (review 4.13)."""


def default_settings() -> QSettings:
    """The user's settings file (``~/.config/ldn-browser/ldn-browser.conf`` on Linux), or in portable mode
    ``ldn-browser.conf`` in the portable folder (see ``core.paths.portable_data_dir``)."""
    if portable := portable_data_dir():
        return QSettings(str(portable / f"{APPLICATION}.conf"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class SettingsWriteError(OSError):
    """The settings store could not be written (read-only file or folder, a folder in its place …)."""


class AppSettings:
    """Reads and writes the few values the app persists.

    Every getter validates what it reads and falls back to a default, because the file may have
    been edited by hand or written by another version.
    """

    def __init__(self, store: QSettings) -> None:
        self._store = store
        self._defuse()

    def _defuse(self) -> None:
        """Drop serialised-QVariant values from the file before Qt parses it (it would abort on some).

        Qt reads an INI file lazily, on the first access after construction or a sync; this runs before both.
        When the file cannot be rewritten, the settings live in a scratch file for this session.
        """
        if self._store.format() != QSettings.Format.IniFormat:
            return
        path = Path(self._store.fileName())
        try:
            data = path.read_bytes() if path.is_file() else b""
        except OSError:
            return
        if b"@Variant(" not in data:
            return
        cleaned = _VARIANT_LINE.sub(b"", data)
        log.warning("settings file %s holds serialised values the app never writes; they are ignored", path)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(cleaned)
            os.replace(tmp, path)
            self._store.sync()  # Qt read the raw file at construction: read the cleaned one instead
        except OSError:
            scratch = Path(tempfile.mkdtemp(prefix="ldn-browser-settings-")) / path.name
            scratch.write_bytes(cleaned)
            self._store = QSettings(str(scratch), QSettings.Format.IniFormat)

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
        """The stored ids, de-duplicated in linear time, stopping at *limit* (D10)."""
        raw = self._store.value(key)
        if not isinstance(raw, str) or len(raw) > MAX_LIST_CHARS:
            return []
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return []
        if not isinstance(data, list):
            return []
        out: list[str] = []
        seen: set[str] = set()
        for item in data:
            if isinstance(item, str) and ":" in item and len(item) <= MAX_ID_CHARS and item not in seen:
                seen.add(item)
                out.append(item)
                if len(out) >= limit:
                    break
        return out

    def _set_id_list(self, key: str, ids: list[str]) -> None:
        value = json.dumps(ids)
        self._store.setValue(key, value)
        self._store.sync()
        if self._store.status() != QSettings.Status.NoError and not self._saved(key, value):
            raise SettingsWriteError(f"cannot save settings to {path_text(self._store.fileName())}")

    def _saved(self, key: str, value: str) -> bool:
        """Whether the file now holds *value* (QSettings keeps reporting its first error for ever)."""
        fresh = QSettings(self._store.fileName(), self._store.format())
        return fresh.status() == QSettings.Status.NoError and fresh.value(key) == value

    @contextmanager
    def _merging(self) -> Iterator[None]:
        """Hold a lock file across re-read, merge and write, and re-read what others saved first."""
        lock = QLockFile(self._store.fileName() + ".ids.lock")
        lock.setStaleLockTime(10_000)
        locked = lock.tryLock(2_000)
        if not locked:
            log.warning("settings lock %s busy; merging without it", self._store.fileName() + ".ids.lock")
        try:
            self._defuse()
            self._store.sync()  # reload what another instance saved in the meantime
            yield
        finally:
            if locked:
                lock.unlock()

    def _update(self, key: str, limit: int, change: Callable[[list[str]], list[str]]) -> list[str]:
        with self._merging():
            ids = change(self._id_list(key, limit))[:limit]
            self._set_id_list(key, ids)
        return ids

    def update_bookmark(self, entity_id: str, *, bookmarked: bool) -> list[str]:
        """Add or remove one bookmark, merged with what another instance saved; returns the list.

        Raises:
            SettingsWriteError: the settings could not be saved (the list returned is not kept).
        """

        def change(ids: list[str]) -> list[str]:
            if bookmarked:
                return ids if entity_id in ids else [*ids, entity_id]
            return [i for i in ids if i != entity_id]

        return self._update("navigation/bookmarks", MAX_BOOKMARKS, change)

    def push_recent(self, entity_id: str) -> list[str]:
        """Put *entity_id* first in the recently viewed list, merged with another instance's.

        Raises:
            SettingsWriteError: the settings could not be saved.
        """
        return self._update(
            "navigation/recent", MAX_RECENT, lambda ids: [entity_id, *(i for i in ids if i != entity_id)]
        )

    def reload(self) -> None:
        """Re-read the store (picks up what another instance saved)."""
        self._defuse()
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

    def maximized(self) -> bool:
        """Whether the window was maximized when it closed."""
        return str(self._store.value("window/maximized", "false")).lower() == "true"

    def set_maximized(self, maximized: bool) -> None:
        """Persist whether the window is maximized."""
        self._store.setValue("window/maximized", "true" if maximized else "false")

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

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()
