"""Defects a fresh-eyes tester found (QA round, Dec 2026): each test failed before its fix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes import FakeDialogs
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.vocab import Kind
from ldn_browser.ui import window_geometry
from ldn_browser.ui.detail_view import DetailBrowser
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.search_panel import hit_html

CROHNS = "condition:crohns-disease"
CLAIM = "claim:ldn-boosts-tregs"


# -- 1. the first window fits the screen; a restored one is clamped --------------------------------


LAPTOP = QRect(0, 0, 1280, 720)
"""The tester's screen (the tests' offscreen screen is 1920×1080)."""


@pytest.fixture
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(LAPTOP))
    return LAPTOP


def test_first_window_fits_the_screen(make_window: Callable[..., MainWindow], laptop_screen: QRect) -> None:
    window = make_window()
    assert window.width() <= laptop_screen.width() * window_geometry.SCREEN_SHARE
    assert window.height() <= laptop_screen.height() * window_geometry.SCREEN_SHARE
    assert laptop_screen.contains(QRect(window.pos(), window.size()))


def test_first_size_keeps_the_preferred_size_on_a_large_screen() -> None:
    big, laptop = QRect(0, 0, 2560, 1440), QRect(0, 0, 1280, 720)
    assert window_geometry.first_size(big) == window_geometry.PREFERRED_SIZE
    small = window_geometry.first_size(laptop)
    assert (small.width(), small.height()) == (1152, 648)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (QRect(100, 50, 1360, 860), QRect(0, 0, 1280, 720)),  # saved on a larger monitor
        (QRect(900, 500, 600, 400), QRect(680, 320, 600, 400)),  # fits, but hangs off the right and bottom
        (QRect(10, 10, 600, 400), QRect(10, 10, 600, 400)),  # fits: unchanged
    ],
)
def test_clamped_moves_and_shrinks_into_the_screen(frame: QRect, expected: QRect) -> None:
    assert window_geometry.clamped(frame, QRect(0, 0, 1280, 720)) == expected


def test_a_restored_geometry_too_large_for_the_screen_is_clamped(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_window()
    first.setGeometry(300, 200, 1600, 1000)  # on a large monitor
    first.show()
    qtbot.waitExposed(first)
    first.close()  # saves the geometry
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(LAPTOP))  # now on the laptop
    again = make_window()
    assert again.width() <= LAPTOP.width() and again.height() <= LAPTOP.height()
    assert LAPTOP.contains(QRect(again.pos(), again.size()))


def test_a_maximized_window_comes_back_maximized_on_another_screen(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tester: maximized on the 1280×720 laptop, restarted at 1920×1080: it came back un-maximized."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(LAPTOP))
    first = make_window()
    first.showMaximized()
    qtbot.waitUntil(first.isMaximized)
    first.close()
    assert first.settings.maximized()
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1920, 1080))
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda _self, _data: True)  # as Qt did: no maximized state
    again = make_window()
    assert again.windowState() & Qt.WindowState.WindowMaximized
    again.showNormal()
    again.close()
    assert not again.settings.maximized()


# -- 2. one status text at a time after an export ------------------------------------------------


def test_export_notice_and_a_temporary_message_never_show_together(
    tmp_path: Path, window: MainWindow, dialogs: FakeDialogs
) -> None:
    dialogs.save_answer = tmp_path / "sheet.pdf"
    window.navigate(CROHNS)
    window.export_action.trigger()
    window.printer.output.wait()  # the export runs off the GUI thread
    notice = window.kb_status.export_notice
    assert notice.isVisible() and "sheet.pdf" in notice.label.text()
    assert window.statusBar().currentMessage() == ""
    window.statusBar().showMessage("Citation copied", 3000)  # a later message hides the notice while it shows
    assert not notice.isVisible()
    window.statusBar().clearMessage()
    assert notice.isVisible()


def test_the_export_notice_says_when_the_file_was_saved_and_can_be_dismissed(
    qtbot: QtBot, tmp_path: Path, window: MainWindow
) -> None:
    import datetime as dt

    notice = window.kb_status.export_notice
    notice.show_file(tmp_path / "sheet.pdf", 2, now=dt.datetime(2026, 12, 4, 14, 5))
    assert notice.label.text().startswith("Saved at 14:05: sheet.pdf (2 pages)")  # read an hour later, not stale
    assert notice.isVisibleTo(window)
    qtbot.mouseClick(notice.close_button, Qt.MouseButton.LeftButton)
    assert not notice.isVisibleTo(window)


def test_f6_draws_a_ring_on_the_pane_it_focused_until_focus_leaves_it(qtbot: QtBot, window: MainWindow) -> None:
    from ldn_browser.ui.focus_ring import FocusRing

    window.navigate(CROHNS)
    tab = window.entity_tabs[Kind.CONDITION]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search_field.setFocus()
    qtbot.keyClick(window.search_field, Qt.Key.Key_F6)
    qtbot.waitUntil(tab.view.hasFocus)
    ring = tab.view.findChild(FocusRing)
    assert isinstance(ring, FocusRing) and ring.isVisible() and ring.geometry() == tab.view.rect()
    image = tab.view.grab().toImage()  # the ring is painted in the highlight colour at the pane's edge
    assert image.pixelColor(image.width() // 2, 1) == window.palette().highlight().color()
    qtbot.keyClick(tab.view, Qt.Key.Key_F6)
    qtbot.waitUntil(tab.detail.hasFocus)
    assert not ring.isVisible()  # focus left the list: its ring goes
    detail_ring = tab.detail.findChild(FocusRing)
    assert isinstance(detail_ring, FocusRing) and detail_ring.isVisible()
    qtbot.mouseClick(window.search_field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not detail_ring.isVisible())


def _crohns_shown(
    qtbot: QtBot, make_window: Callable[..., MainWindow], kb: KnowledgeBase, size: tuple[int, int] = (1280, 720)
) -> tuple[MainWindow, DetailBrowser]:
    """A window on the bundled KB at *size* (a laptop by default) showing Crohn's disease, and its detail pane."""
    window = make_window(kb=kb, kb_path=default_kb_path(), build_index=False)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.navigate(CROHNS)
    return window, window.entity_tabs[Kind.CONDITION].detail


@pytest.mark.parametrize("action", ["zoom_in_action", "zoom_out_action"])
def test_a_zoom_keeps_the_reader_at_the_same_place_in_the_page(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase, action: str
) -> None:
    """Tester: Ctrl++ moved the page from Caveats back to Key studies (Qt keeps the scroll bar's pixel value)."""
    window, detail = _crohns_shown(qtbot, make_window, bundled_kb)
    detail.relayout_now()
    bar = detail.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(round(bar.maximum() * 0.6))
    before = bar.value() / bar.maximum()
    getattr(window, action).trigger()
    qtbot.waitUntil(lambda: not detail._relayout.isActive())
    detail.relayout_now()
    assert bar.value() / bar.maximum() == pytest.approx(before, abs=0.03)


def test_ctrl_home_and_ctrl_end_go_to_the_top_and_bottom_of_the_page(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    _, detail = _crohns_shown(qtbot, make_window, bundled_kb)
    bar = detail.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.keyClick(detail, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(detail, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0


# -- 3. a theme switch re-renders the pages on screen ----------------------------------------------


def _safety_colours(window: MainWindow) -> tuple[bool, bool]:
    """Whether the page shown has the "Before prescribing" box in its light colour, and in its dark one."""
    page = window.tabs.current_page()
    assert page is not None
    html = page.detail.toHtml().lower()
    return "#8c2f25" in html, "#e8a39b" in html


@pytest.fixture
def bundled_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> Iterator[MainWindow]:
    window = make_window(kb=bundled_kb, kb_path=None, build_index=False)  # the mini KB has no safety points
    window.show()
    yield window
    window.reading.set_theme("system")


@pytest.mark.parametrize("target", ["start", "overview", "condition:fibromyalgia"])
def test_switching_to_dark_re_renders_the_page_shown(qtbot: QtBot, bundled_window: MainWindow, target: str) -> None:
    window = bundled_window
    window.reading.set_theme("light")
    qtbot.wait(50)  # the palette resolves after the event loop runs
    window.navigate(target)
    assert _safety_colours(window) == (True, False)
    window.reading.set_theme("dark")
    qtbot.waitUntil(lambda: _safety_colours(window) == (False, True), timeout=3000)
    window.reading.set_theme("light")
    qtbot.waitUntil(lambda: _safety_colours(window) == (True, False), timeout=3000)


def test_a_system_palette_change_re_renders_the_page_shown(qtbot: QtBot, bundled_window: MainWindow) -> None:
    from ldn_browser.ui.theme import dark_palette

    window = bundled_window
    window.reading.set_theme("light")
    qtbot.wait(50)
    window.navigate("start")
    assert _safety_colours(window) == (True, False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(dark_palette())  # what the desktop does when it switches to dark
    qtbot.waitUntil(lambda: _safety_colours(window) == (False, True), timeout=3000)


# -- 4. no matches: one line, not a page-high empty list ----------------------------------------------


def test_no_matches_shows_only_the_notice_sized_to_it(qtbot: QtBot, window: MainWindow) -> None:
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "zzqxv")
    panel = window.search_panel
    qtbot.waitUntil(lambda: "zzqxv" in panel.notice_label.text() or "zzqxv" in panel.status_label.text())
    qtbot.waitUntil(panel.isVisible)
    assert panel.view.isHidden()
    shown = [label for label in (panel.status_label, panel.notice_label) if label.isVisible()]
    assert len(shown) == 1
    assert panel.height() < window.page_area.height() / 3
    panel.set_status("")  # hits again: the popup takes the page's height
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "crohn")
    qtbot.waitUntil(lambda: panel.model.hit_count > 0)
    assert panel.view.isVisible() and panel.height() == window.page_area.height()


# -- 5. a claim's hit says it is a claim, and its verdict --------------------------------------------


def test_a_claim_hit_shows_its_kind_and_verdict(qtbot: QtBot, window: MainWindow) -> None:
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "regulatory T-cell")
    model = window.search_panel.model
    qtbot.waitUntil(lambda: model.hit_count > 0)
    hits = [model.index(r).data(model.HitRole) for r in range(model.rowCount())]
    claim = next(h for h in hits if h is not None and h.entity_id == CLAIM)
    html = hit_html(claim, dark=False, muted="#777777")
    assert "Claim" in html and "? Not found" in html
    others = [h for h in hits if h is not None and h.kind is not Kind.CLAIM]
    assert all(h.verdict is None and h.kind.label in hit_html(h, dark=False, muted="#777") for h in others)


# -- 6. the start page is in the history ----------------------------------------------------------------


def test_back_returns_to_the_start_page_after_the_first_search(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase, mini_kb_path: Path
) -> None:
    window = make_window(kb=None)  # as the app starts: the frame first, then the KB read in the background
    window.show()
    window.set_kb(mini_kb, mini_kb_path)
    qtbot.waitUntil(lambda: window.is_search_ready, timeout=20_000)
    assert window.current_target() == "start"
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "crohn")
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_target() == CROHNS
    assert window.back_action.isEnabled()
    window.back_action.trigger()
    assert window.current_target() == "start"


# -- 7. Ctrl+E on a list with nothing selected says so ----------------------------------------------------


@pytest.mark.parametrize("key", [Qt.Key.Key_E, Qt.Key.Key_P])
def test_export_with_nothing_selected_says_so(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    tab = window.entity_tabs[Kind.SIDE_EFFECT]
    window.tabs.setCurrentWidget(tab)
    tab.filter_edit.setFocus()  # where the tab puts the cursor; a plain line edit took Ctrl+E as "end of line"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.filter_edit)
    window.statusBar().clearMessage()
    qtbot.keyClick(tab.filter_edit, key, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert "Nothing selected in Side effects" in message, message


def test_filter_fields_keep_their_other_keys(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.entity_tabs[Kind.SIDE_EFFECT]
    window.tabs.setCurrentWidget(tab)
    tab.filter_edit.setFocus()
    qtbot.keyClicks(tab.filter_edit, "dream")
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(QApplication.focusWidget(), QLineEdit) and tab.filter_edit.selectedText() == "dream"


# -- 8. the bookmark action says whether the page is bookmarked -----------------------------------------------


def test_bookmark_action_shows_the_page_is_bookmarked(window: MainWindow) -> None:
    action = window.bookmark_action
    window.navigate(CROHNS)
    assert not action.isChecked() and "Bookmark this" in action.text()
    action.trigger()
    assert action.isChecked() and action.text().replace("&", "") == "Remove bookmark"
    window.navigate("condition:fibromyalgia")
    assert not action.isChecked() and "Bookmark this" in action.text()
    window.go_back()
    assert action.isChecked() and "Remove" in action.text()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_current_tab_is_marked_in_the_highlight_colour(qtbot: QtBot, window: MainWindow, theme: str) -> None:
    """Tester, 2026-12-03: in the dark theme the current tab was told from the others only by a faint shade."""
    from PySide6.QtGui import QPalette

    window.show()
    window.reading.set_theme(theme)
    qtbot.wait(50)
    bar = window.tabs.tabBar()
    window.tabs.setCurrentIndex(1)
    image = bar.grab().toImage()
    highlight = bar.palette().color(QPalette.ColorRole.Highlight).rgb()
    ratio = bar.devicePixelRatioF()

    def bottom_colour(index: int) -> int:
        rect = bar.tabRect(index)
        return image.pixelColor(round(rect.center().x() * ratio), round((rect.bottom() - 1) * ratio)).rgb()

    try:
        assert bottom_colour(1) == highlight
        assert bottom_colour(2) != highlight and bottom_colour(0) != highlight
    finally:
        window.reading.set_theme("system")


@pytest.mark.parametrize("width", [1100, 1280, 1600, 1920])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_registry_id_is_never_cut_across_lines(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase, width: int, theme: str
) -> None:
    """Tester: "2019-000852-3 / 2" at 1280 px (dark), "2019-000852- / 32" at 1080p, in the registered trials table."""
    from ldn_browser.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    try:
        _, detail = _crohns_shown(qtbot, make_window, bundled_kb, (width, 720 if width < 1500 else 1000))
        detail.relayout_now()
        for registry_id in ("EudraCT 2019-000852-32", "NL9259"):
            found = detail.document().find(registry_id)
            assert not found.isNull(), registry_id
            block = found.block()
            layout = block.layout()
            first = layout.lineForTextPosition(found.selectionStart() - block.position()).lineNumber()
            last = layout.lineForTextPosition(found.selectionEnd() - 1 - block.position()).lineNumber()
            assert first == last, registry_id
    finally:
        apply_theme(app, "system")
