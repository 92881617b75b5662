"""The tabs of the kinds are made when first shown or used, not at start-up (issue 19: time to the first pages).

A window opens on one page; making the list, filters and detail pane of every other tab took about a third
of the time from the knowledge base being read to its pages painting. Whatever the user does first (a
click on a tab, Alt+number, a search hit, a link, a new KB, a theme change) must still find the tab
complete and current.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.theme import apply_theme, palette_is_dark


def _shown(qtbot: QtBot, make_window: Callable[..., MainWindow], **options: object) -> MainWindow:
    w = make_window(**options)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_only_the_page_shown_is_made_at_start(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    w = _shown(qtbot, make_window)
    qtbot.wait(50)
    assert w.tabs.currentWidget() is w.overview_tab
    assert not any(tab.built for tab in w.entity_tabs.values())


def test_a_tab_clicked_is_complete_and_laid_out(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window)
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    tab = w.entity_tabs[Kind.CONDITION]
    assert w.tabs.currentWidget() is tab and tab.built
    assert tab.view.isVisible() and tab.detail.isVisible()  # shown and laid out with the tab, before it paints
    assert tab.model.rowCount() == len(mini_kb.conditions) > 0
    assert tab.view.width() > 200 and tab.detail.width() > 300  # laid out before it painted, not squeezed
    assert "Select one of the" in tab.detail.toPlainText()
    assert not w.entity_tabs[Kind.SOURCE].built  # the others still wait


def test_a_link_to_an_entry_opens_it_in_a_tab_not_made_yet(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window)
    source = mini_kb.sources[0]
    tab = w.entity_tabs[Kind.SOURCE]
    with qtbot.waitSignal(tab.rendered, timeout=2000):  # the find bar and the outline follow this signal
        assert w.navigate(source.id)
    assert w.tabs.currentWidget() is tab
    assert tab.current_entity_id == source.id and source.title in tab.detail.toPlainText()
    assert tab.selected_ids() == [source.id]


def test_a_tab_made_after_another_kb_was_opened_shows_that_kb(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase, mini_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window)
    assert len(bundled_kb.conditions) != len(mini_kb.conditions)
    w.set_kb(bundled_kb, default_kb_path())
    tab = w.entity_tabs[Kind.CONDITION]
    assert not tab.built
    w.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == len(bundled_kb.conditions)


def test_a_theme_change_leaves_tabs_not_made_yet_alone_and_reaches_them_later(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    w = _shown(qtbot, make_window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        w.reading.set_theme("dark")
        qtbot.wait(100)  # the palette change is handled after a short timer
        assert not any(tab.built for tab in w.entity_tabs.values())
        tab = w.entity_tabs[Kind.SIDE_EFFECT]
        w.tabs.setCurrentWidget(tab)
        assert palette_is_dark(tab.palette()) and palette_is_dark(tab.view.palette())  # made in the dark palette
    finally:
        apply_theme(app, "system")  # the palette is the application's: later tests start from the default


def test_each_tab_invites_a_choice_in_plain_english(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    """Before an entry is chosen, the detail pane names how many there are with a noun that can be counted."""
    w = _shown(qtbot, make_window)
    w.set_kb(bundled_kb, default_kb_path())
    dosing, prescribing = w.entity_tabs[Kind.DOSING], w.entity_tabs[Kind.PRESCRIBING]
    for tab in (dosing, prescribing):
        w.tabs.setCurrentWidget(tab)
    n_dosing, n_prescribing = len(bundled_kb.dosing), len(bundled_kb.prescribing)
    assert n_dosing > 1 and n_prescribing > 1
    assert f"Select one of the {n_dosing} dosing entries on the left" in dosing.detail.toPlainText()
    assert f"Select one of the {n_prescribing} prescribing topics on the left" in prescribing.detail.toPlainText()


def test_kind_nouns_agree_with_their_count() -> None:
    assert Kind.SIDE_EFFECT.counted(1) == "1 side effect"
    assert Kind.SIDE_EFFECT.counted(3) == "3 side effects"
    assert Kind.DOSING.counted(1) == "1 dosing entry"
    assert Kind.DOSING.counted(0) == "0 dosing entries"
    assert Kind.PRESCRIBING.counted(2) == "2 prescribing topics"
