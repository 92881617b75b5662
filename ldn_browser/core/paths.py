"""Where bundled resources live: the only place that knows frozen from source."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: env override, PyInstaller bundle, or the source tree."""
    if env := os.environ.get("LDN_BROWSER_RESOURCES"):
        return Path(env)
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS")) / "resources"  # noqa: B009 - set only by PyInstaller
    return Path(__file__).resolve().parents[2] / "resources"


def default_kb_path() -> Path:
    """The bundled knowledge base."""
    return resources_dir() / "kb" / "ldn_kb.json"


def schema_path() -> Path:
    """The generated JSON Schema of the knowledge base."""
    return resources_dir() / "kb" / "ldn_kb.schema.json"


PORTABLE_MARKER = "portable"
"""An empty file or a folder of this name beside the executable turns on portable mode."""
PORTABLE_DATA = "portable-data"
"""Where a ``portable`` *file* puts the data: this folder beside the executable."""


def executable_dir() -> Path | None:
    """The folder of the frozen app's executable (None when running from source)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_data_dir() -> Path | None:
    """Portable mode's data folder (settings, bookmarks, index cache), or None when not portable.

    A folder ``portable/`` beside the executable holds the data itself; an empty file ``portable`` puts
    it in ``portable-data/`` beside the executable. Either way nothing is written to the user's home.
    """
    folder = executable_dir()
    if folder is None:
        return None
    marker = folder / PORTABLE_MARKER
    if marker.is_dir():
        return marker
    if marker.is_file():
        return folder / PORTABLE_DATA
    return None


def user_cache_dir() -> Path:
    """Cache folder for the search index: ``LDN_BROWSER_CACHE``, the portable folder's ``cache/``, or the
    per-user cache folder (the same place Qt's CacheLocation uses on Linux)."""
    if env := os.environ.get("LDN_BROWSER_CACHE"):
        return Path(env)
    if portable := portable_data_dir():
        return portable / "cache"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "ldn-browser" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ldn-browser"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ldn-browser"
