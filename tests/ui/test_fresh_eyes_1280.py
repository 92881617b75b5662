"""Defects a fresh-eyes tester found on a 1280×720 window (history, zoom, shortcuts, menus), each held by a test."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import Kind
from ldn_browser.ui.main_window import MainWindow

CROHNS = "condition:crohns-disease"
FIBRO = "condition:fibromyalgia"
MECHANISM = "mechanism:opioid-receptor-rebound"


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _open_from_search(qtbot: QtBot, window: MainWindow, query: str) -> None:
    """Ctrl+K, type *query*, Enter: what the tester did."""
    qtbot.keyClick(window.search_field, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_field, query)
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)


def test_back_after_a_tab_switch_returns_to_the_page_opened_from_search(qtbot: QtBot, window: MainWindow) -> None:
    """Fibromyalgia; Ctrl+K "crohns" Enter; Alt+N to a tab showing no entry; Alt+Left went to Fibromyalgia (Crohn's
    skipped) and Back was disabled. It returns to Crohn's disease, and Back then goes on to Fibromyalgia."""
    _activate(qtbot, window)
    assert window.navigate(FIBRO)
    _open_from_search(qtbot, window, "crohns")
    assert window.current_target() == CROHNS
    side_effects = window.entity_tabs[Kind.SIDE_EFFECT]
    alt_n = Qt.Key(Qt.Key.Key_1 + window.tabs.indexOf(side_effects))
    qtbot.keyClick(window.focusWidget(), alt_n, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is side_effects and side_effects.current_target is None
    assert window.back_action.isEnabled()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_target() == CROHNS
    assert window.back_action.isEnabled()
    window.back_action.trigger()
    assert window.current_target() == FIBRO


def test_back_after_alt_1_returns_to_the_entry_left(qtbot: QtBot, window: MainWindow) -> None:
    """An entry opened from search, then Alt+1 (the Overview): Back shows the entry again, Forward the Overview."""
    _activate(qtbot, window)
    assert window.navigate(FIBRO)
    _open_from_search(qtbot, window, "crohns")
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.overview_tab
    overview_page = window.current_target()
    window.back_action.trigger()
    assert window.current_target() == CROHNS
    window.forward_action.trigger()
    assert window.current_target() == overview_page
