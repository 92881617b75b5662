"""Settings (review D10, D11, D12): long lists are read linearly and capped, two instances merge their
bookmarks, and a settings store that cannot be written is reported instead of "Bookmarked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.ui.entry_menus import EntryMenus
from ldn_browser.ui.settings import MAX_BOOKMARKS, MAX_RECENT, AppSettings

ROOT = Path(__file__).resolve().parents[2]


def _store(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def _menus(qtbot: QtBot, settings: AppSettings, kb: KnowledgeBase) -> EntryMenus:
    parent = QWidget()
    qtbot.addWidget(parent)
    menus = {"bookmarks": QMenu(parent), "go": QMenu(parent)}
    action = QAction(parent)
    made = EntryMenus(settings=settings, menus=menus, bookmark_action=action, kb=lambda: kb, navigate=lambda _t: None)
    made.keep_alive = (parent, menus, action)  # type: ignore[attr-defined]
    return made


def _write_ids(path: Path, key: str, ids: list[str]) -> None:
    store = _store(path)
    store.setValue(key, json.dumps(ids))
    store.sync()


# -- D10 ---------------------------------------------------------------------------------------------


def test_d10_duplicates_removed_in_order_and_capped(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    ids = [f"source:x{i % 300}" for i in range(3_000)]  # 300 distinct ids, each ten times
    _write_ids(path, "navigation/bookmarks", ids)
    _write_ids(path, "navigation/recent", ids)
    settings = AppSettings(_store(path))
    assert settings.bookmarks() == [f"source:x{i}" for i in range(MAX_BOOKMARKS)]
    assert settings.recent() == [f"source:x{i}" for i in range(MAX_RECENT)]


def test_d10_a_huge_stored_list_does_not_hang_start_up(tmp_path: Path) -> None:
    """500,000 ids (10 MB): on 1.0 the window never appeared within 60 s (quadratic de-duplication).

    The subprocess time-out is a guard against "for ever", not a speed goal.
    """
    path = tmp_path / "s.ini"
    _write_ids(path, "navigation/bookmarks", [f"source:x{i}" for i in range(500_000)])
    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from ldn_browser.ui.settings import AppSettings\n"
        "s = AppSettings(QSettings(sys.argv[1], QSettings.Format.IniFormat))\n"
        "print(len(s.bookmarks()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60, env=env, check=True
    )
    assert int(result.stdout) <= MAX_BOOKMARKS


# -- D11 ---------------------------------------------------------------------------------------------


def test_d11_two_instances_keep_each_others_bookmarks(qtbot: QtBot, tmp_path: Path, mini_kb: KnowledgeBase) -> None:
    path = tmp_path / "s.ini"
    a = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    b = _menus(qtbot, AppSettings(_store(path)), mini_kb)  # started before A bookmarked anything
    assert a.toggle("condition:crohns-disease")
    assert b.toggle("condition:fibromyalgia")
    stored = AppSettings(_store(path)).bookmarks()
    assert stored == ["condition:crohns-disease", "condition:fibromyalgia"]
    assert b.bookmarks == stored
    assert not a.toggle("condition:crohns-disease")  # A removes its own: B's stays
    assert AppSettings(_store(path)).bookmarks() == ["condition:fibromyalgia"]


def test_d11_two_instances_merge_recently_viewed(qtbot: QtBot, tmp_path: Path, mini_kb: KnowledgeBase) -> None:
    path = tmp_path / "s.ini"
    a = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    b = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    a.visited("condition:crohns-disease")
    b.visited("condition:fibromyalgia")
    assert AppSettings(_store(path)).recent() == ["condition:fibromyalgia", "condition:crohns-disease"]


def test_d11_menus_show_what_another_instance_saved(qtbot: QtBot, tmp_path: Path, mini_kb: KnowledgeBase) -> None:
    path = tmp_path / "s.ini"
    a = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    b = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    a.toggle("condition:crohns-disease")
    b.bookmarks_menu.aboutToShow.emit()
    shown = [act.data() for act in b.bookmarks_menu.actions() if act.data()]
    assert shown == ["condition:crohns-disease"]


# -- D12 ---------------------------------------------------------------------------------------------


def test_d12_unwritable_settings_are_reported(qtbot: QtBot, tmp_path: Path, mini_kb: KnowledgeBase) -> None:
    """The settings path is a folder (root ignores file modes, so a read-only file would not do)."""
    path = tmp_path / "s.ini"
    path.mkdir()
    menus = _menus(qtbot, AppSettings(_store(path)), mini_kb)
    said = menus.toggle_text("condition:crohns-disease")
    assert said.startswith("Bookmarked for this session only: cannot save settings to"), said
    assert str(path) in said
    assert menus.bookmarks == ["condition:crohns-disease"]  # still bookmarked for this session


def test_d12_writable_settings_say_bookmarked(qtbot: QtBot, tmp_path: Path, mini_kb: KnowledgeBase) -> None:
    menus = _menus(qtbot, AppSettings(_store(tmp_path / "s.ini")), mini_kb)
    assert menus.toggle_text("condition:crohns-disease") == "Bookmarked"
    assert menus.toggle_text("condition:crohns-disease") == "Bookmark removed"
