"""The action table: every action is declared once, its shortcut works from any focus, menus come from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeDialogs
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from ldn_browser.ui.actions import ACTIONS, MENUS, text_field_shortcuts
from ldn_browser.ui.main_window import MainWindow

CROHNS = "condition:crohns-disease"


def test_every_declared_action_exists_with_its_shortcuts(window: MainWindow) -> None:
    for spec in ACTIONS:
        action = getattr(window, f"{spec.name}_action")
        assert action is window.actions_by_name[spec.name]
        if spec.shortcuts:
            assert action.shortcuts(), spec.name


def test_menus_are_built_from_the_table_in_order(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == [title for _key, title in MENUS]
    file_items = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    assert file_items == [s.text for s in ACTIONS if s.menu == "file"]


def test_text_field_shortcuts_include_print_export_bookmark() -> None:
    keys = text_field_shortcuts()
    for seq in ("Ctrl+P", "Ctrl+E", "Ctrl+D"):
        assert QKeySequence(seq).toString() in keys
    assert "Ctrl+K" not in keys  # focusing search from search is harmless either way


def _focus_search_with_text(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, text)
    qtbot.waitUntil(lambda: window.search_field.hasFocus())


def test_ctrl_e_exports_while_the_search_field_has_focus(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    window.navigate(CROHNS)
    _focus_search_with_text(qtbot, window, "crohn")
    dialogs.save_answer = tmp_path / "from-search-field.pdf"
    qtbot.keyClick(window.search_field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.save_requests, "Ctrl+E was taken by the line edit"
    title, suggested = dialogs.save_requests[0]
    assert "Crohn" in title and suggested.endswith("ldn-crohns-disease.pdf")
    window.printer.output.wait()
    assert (tmp_path / "from-search-field.pdf").read_bytes().startswith(b"%PDF")
    assert window.search_field.text() == "crohn"  # the key did not edit the field


def test_ctrl_d_bookmarks_while_the_search_field_has_focus(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    _focus_search_with_text(qtbot, window, "x")
    qtbot.keyClick(window.search_field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.bookmarks == [CROHNS]


def test_ordinary_editing_keys_still_edit_the_field(qtbot: QtBot, window: MainWindow) -> None:
    _focus_search_with_text(qtbot, window, "crohn")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Home)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Delete)
    assert window.search_field.text() == "rohn"


def test_enter_on_a_query_opens_the_top_hit_and_focuses_the_page(qtbot: QtBot, window: MainWindow) -> None:
    _focus_search_with_text(qtbot, window, "crohn")
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_target() == CROHNS
    page = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: not window.search_field.hasFocus())
    assert page.isAncestorOf(window.focusWidget())


@pytest.mark.parametrize("name", [s.name for s in ACTIONS if s.enabled_when == "has_pages"])
def test_kb_actions_are_disabled_in_the_frame_and_enabled_with_pages(
    qtbot: QtBot, make_window: object, name: str
) -> None:
    frame = make_window(kb=None, build_index=False)  # type: ignore[operator]
    assert not frame.actions_by_name[name].isEnabled()


@pytest.mark.parametrize("passes_through", [True, False])
def test_search_field_lets_listed_shortcuts_win_over_its_own_bindings(qtbot: QtBot, passes_through: bool) -> None:
    """Ctrl+Z is Undo in QLineEdit on every platform, as Ctrl+E is "end of line" on X11 (not offscreen)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from ldn_browser.ui.search_field import SearchField

    host = QMainWindow()
    qtbot.addWidget(host)
    field = SearchField(host, passes_through={"Ctrl+Z"} if passes_through else ())
    host.setCentralWidget(field)
    fired: list[bool] = []
    action = QAction("Undo-like", host)
    action.setShortcut(QKeySequence("Ctrl+Z"))
    action.triggered.connect(lambda: fired.append(True))
    host.addAction(action)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    field.setFocus()
    qtbot.keyClicks(field, "ab")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert bool(fired) is passes_through


def test_after_export_the_status_bar_offers_open_and_show_in_folder_only_on_click(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    out = tmp_path / "crohns.pdf"
    dialogs.save_answer = out
    window.navigate(CROHNS)
    window.export_action.trigger()
    window.printer.output.wait()
    notice = window.kb_status.export_notice
    assert notice.isVisibleTo(window) and "crohns.pdf" in notice.label.text() and str(tmp_path) in notice.label.text()
    assert dialogs.opened_urls == []  # nothing opens by itself
    qtbot.mouseClick(notice.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(notice.folder_button, Qt.MouseButton.LeftButton)
    assert dialogs.opened_urls == [out.as_uri(), tmp_path.as_uri()]


def test_export_reports_progress_in_a_cancellable_dialog(
    window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    dialogs.save_answer = tmp_path / "one.pdf"
    window.navigate(CROHNS)
    window.export_action.trigger()
    window.printer.output.wait()
    dialog = window.printer.output.last_progress
    assert isinstance(dialog, QProgressDialog)
    assert dialog.maximum() == 2 and dialog.value() in (-1, 2)  # two steps per sheet; reset once done
    assert dialog.minimumDuration() == 1000 and dialog.labelText().startswith("Exporting")
    assert dialogs.save_answer.read_bytes().startswith(b"%PDF")
