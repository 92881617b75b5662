"""Fixtures for the main-window tests: a settings file in tmp_path, a fixed "today", in-memory index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeDialogs  # tests/ui is on sys.path (rootdir-relative test modules)
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.ui.main_window import MainWindow

FRESH_TODAY = dt.date(2025, 7, 15)
"""A day shortly after the mini KB's content date (2025-06-30)."""


@pytest.fixture
def dialogs() -> FakeDialogs:
    """The fake dialogs every test window uses."""
    return FakeDialogs()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    """Where the window's QSettings live for one test (shared by "restarts" within the test)."""
    return tmp_path / "settings" / "ldn-browser.ini"


@pytest.fixture
def make_window(
    qtbot: QtBot, mini_kb: KnowledgeBase, mini_kb_path: Path, settings_path: Path, dialogs: FakeDialogs
) -> Callable[..., MainWindow]:
    """Build a MainWindow on the mini KB with injected settings; options override the defaults."""

    def make(**options: Any) -> MainWindow:
        kwargs: dict[str, Any] = {
            "kb": mini_kb,
            "kb_path": mini_kb_path,
            "settings": QSettings(str(settings_path), QSettings.Format.IniFormat),
            "cache_dir": None,
            "today": FRESH_TODAY,
            "dialogs": dialogs,
        }
        kwargs.update(options)
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def window(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> MainWindow:
    """A shown main window whose search index is ready."""
    w = make_window()
    w.show()
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=20_000)
    return w
