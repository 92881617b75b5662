"""Defects a fresh-eyes tester found on a 1280×720 window (history, zoom, shortcuts, menus), each held by a test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QTextLayout, QTextOption
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import Kind, KnowledgeBase
from ldn_browser.core.paths import default_kb_path
from ldn_browser.ui.main_window import MainWindow

CROHNS = "condition:crohns-disease"
FIBRO = "condition:fibromyalgia"
MECHANISM = "mechanism:opioid-receptor-rebound"


@pytest.fixture
def laptop(qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase) -> MainWindow:
    """The bundled KB in a 1280×720 window (no search index)."""
    w = make_window(kb=bundled_kb, kb_path=default_kb_path(), build_index=False)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    return w


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


def _line_heights(text: str, font: QFont, width: int) -> list[float]:
    """The lines of *text* wrapped at word breaks within *width*, as the item view's style lays them out and shows them
    (a line only if it fits whole below the lines before it)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    heights = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        heights.append(line.height())
    layout.endLayout()
    return heights


@pytest.mark.parametrize("steps", [4, 6])
def test_zoomed_list_rows_hold_up_to_three_whole_lines(qtbot: QtBot, laptop: MainWindow, steps: int) -> None:
    """At 140 % the third line of "ME/CFS (myalgic …" was cut through; at 160 % "Irritable bowel syndrome and …" had
    two lines. The style shows a line only whole, stacking lines by the font's height (ascent + descent), which is
    more than the line spacing the rows were measured by; every row now has room for its lines (three at most), and
    a one-line name keeps a one-line row."""
    assert laptop.navigate(CROHNS)
    laptop.zoom.set(steps)
    assert laptop.zoom.steps == steps
    tab = laptop.entity_tabs[Kind.CONDITION]
    view, proxy = tab.view, tab.proxy
    qtbot.wait(100)  # the list pane fitted to the zoom, then its rows laid out again
    line = QFontMetrics(view.font()).height()
    width = view.header().sectionSize(0) - 8  # the cell's text margins, at least
    short = []
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        title = str(index.data())
        shown = _line_heights(title, view.font(), width)[:3]
        height = view.visualRect(index).height()
        assert height >= sum(shown), (title, len(shown), height, shown)
        if len(shown) == 1:
            short.append(height)
    assert short and max(short) < 2 * line


def test_the_zoom_is_shown_once_in_the_status_bar(qtbot: QtBot, laptop: MainWindow) -> None:
    """Ctrl++ showed "Zoom 110%" twice: as a message on the left and in the indicator on the right."""
    laptop.zoom_in_action.trigger()
    button = laptop.kb_status.zoom_button
    assert button.isVisibleTo(laptop) and button.text() == "Zoom 110%"
    assert "Zoom" not in laptop.statusBar().currentMessage()
    laptop.zoom_reset_action.trigger()
    assert button.isHidden()


def test_quit_is_the_last_item_of_the_file_menu_after_a_separator(window: MainWindow) -> None:
    """The tester found "Copy citation" and "Export references…" after Quit."""
    items = window.menus["file"].actions()
    assert items[-1] is window.quit_action and items[-2].isSeparator()
    texts = [a.text() for a in items if not a.isSeparator()]
    assert texts.index("Copy &citation") < texts.index("&Quit")
    assert texts.index("Export &references…") < texts.index("&Quit")


def test_help_lists_every_shortcut_of_the_window_from_its_actions(qtbot: QtBot, window: MainWindow) -> None:
    """Shortcuts were hard to discover: Help › Keyboard shortcuts lists each action's keys, all of them (Ctrl+L
    beside Ctrl+K), the tab shortcuts included; a shortcut the window gains later is listed too."""
    from ldn_browser.ui.shortcuts_dialog import ShortcutsDialog

    assert window.shortcuts_action in window.menus["help"].actions()
    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = {table.topLevelItem(r).text(0): table.topLevelItem(r).text(1) for r in range(table.topLevelItemCount())}
    native = QKeySequence.SequenceFormat.NativeText
    expected = {
        a.text().replace("&", ""): ", ".join(k.toString(native) for k in a.shortcuts())
        for a in window.actions()
        if a.shortcuts()
    }
    assert rows == expected
    assert rows["Search"] == "Ctrl+K, Ctrl+L"
    assert rows["Overview"] == "Alt+1" and rows["Claims"] == "Alt+0"
    assert rows["Next tab"].startswith("Ctrl+Tab")
    added = QAction("Made up later", window)
    added.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.addAction(added)
    window.shortcuts_action.trigger()
    assert table.findItems("Made up later", Qt.MatchFlag.MatchExactly)[0].text(1) == "Ctrl+Alt+J"


def test_the_go_menu_shows_each_tab_with_its_shortcut(window: MainWindow) -> None:
    go = window.menus["go"].actions()
    for i in range(window.tabs.count()):
        action = next(a for a in go if a.text() == window.tabs.tabText(i))
        assert action.shortcut().toString() == f"Alt+{(i + 1) % 10}"
        action.trigger()
        assert window.tabs.currentIndex() == i


def test_ctrl_tab_changes_tabs_after_the_search_field_was_used(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Tab did nothing once the user had typed in the search field; it and Ctrl+Shift+Tab work from any focus."""
    _activate(qtbot, window)
    window.tabs.setCurrentIndex(1)
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "crohn")
    qtbot.waitUntil(window.search_field.hasFocus)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 2
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.search_field, Qt.Key.Key_Backtab, shift_ctrl)
    assert window.tabs.currentIndex() == 1
    detail = window.entity_tabs[Kind.CONDITION].detail
    detail.setFocus()
    qtbot.keyClick(detail, Qt.Key.Key_Backtab, shift_ctrl)
    assert window.tabs.currentIndex() == 0
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Backtab, shift_ctrl)
    assert window.tabs.currentIndex() == window.tabs.count() - 1  # round to the last
