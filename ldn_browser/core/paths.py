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


def user_cache_dir() -> Path:
    """Per-user cache folder for the search index (the same place Qt's CacheLocation uses on Linux)."""
    if env := os.environ.get("LDN_BROWSER_CACHE"):
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "ldn-browser" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ldn-browser"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ldn-browser"
