"""Main window behaviour: search as you type, navigation, filters, bookmarks, settings, KB errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import FakeDialogs
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtWidgets import QListView, QTabWidget
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import Grade, Kind, KnowledgeBase
from ldn_browser.ui.entity_tab import EntityTab
from ldn_browser.ui.main_window import PREPARING_PLACEHOLDER, MainWindow
from ldn_browser.ui.search_panel import SearchResultsModel

CROHNS = "condition:crohns-disease"
FIBRO = "condition:fibromyalgia"
MECHANISM = "mechanism:opioid-receptor-rebound"


def _type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, text)
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)


def _hit_index(window: MainWindow, entity_id: str) -> QModelIndex:
    model = window.search_panel.model
    for row in range(model.rowCount()):
        index = model.index(row)
        if index.data(SearchResultsModel.EntityIdRole) == entity_id:
            return index
    raise AssertionError(f"{entity_id} not among the results")


def test_main_window_has_named_widgets(window: MainWindow) -> None:
    assert window.windowTitle() == "LDN Browser"
    assert window.findChild(QTabWidget, "mainTabs") is window.tabs
    assert window.findChild(QListView, "resultsView") is window.search_panel.view
    assert window.search_field.objectName() == "searchField"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Overview",
        "Conditions",
        "Mechanisms",
        "Contraindications",
        "Interactions",
        "Side effects",
        "Dosing",
        "Prescribing",
        "Sources",
        "Claims",
    ]


def test_typing_query_shows_results_grouped_by_kind(qtbot: QtBot, window: MainWindow) -> None:
    _type_query(qtbot, window, "crohn")
    model = window.search_panel.model
    headers = [model.index(r).data() for r in range(model.rowCount()) if model.index(r).data(model.IsHeaderRole)]
    assert headers[0] == "Best match"
    assert model.index(model.first_hit_row()).data(model.EntityIdRole) == CROHNS
    assert any(h.startswith("Sources") for h in headers)
    hit = _hit_index(window, CROHNS).data(SearchResultsModel.HitRole)
    assert '<b class="match">' in hit.snippet_html
    assert "title" in hit.matched


def test_search_field_before_index_ready_says_preparing(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    w = make_window(build_index=False)
    w.show()
    qtbot.keyClicks(w.search_field, "crohn")
    assert w.search_field.placeholderText() == PREPARING_PLACEHOLDER
    assert w.search_panel.status_label.text() == PREPARING_PLACEHOLDER
    assert w.search_panel.model.rowCount() == 0


def test_results_appear_once_index_becomes_ready(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    w = make_window()
    w.search_field.setText("vivid")  # typed before the index is ready
    qtbot.waitUntil(lambda: w.search_panel.model.hit_count > 0, timeout=20_000)
    assert w.search_panel.model.top_hit_id() == "side_effect:vivid-dreams"


def test_enter_in_search_field_opens_top_hit(qtbot: QtBot, window: MainWindow) -> None:
    _type_query(qtbot, window, "fibromyalgia")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.entity_tabs[Kind.CONDITION]
    assert window.current_target() == FIBRO


def test_activating_result_opens_entry_in_its_tab(qtbot: QtBot, window: MainWindow) -> None:
    _type_query(qtbot, window, "vivid")
    view = window.search_panel.view
    view.setFocus()
    view.setCurrentIndex(_hit_index(window, "side_effect:vivid-dreams"))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    tab = window.entity_tabs[Kind.SIDE_EFFECT]
    assert window.tabs.currentWidget() is tab
    assert tab.current_target == "side_effect:vivid-dreams"
    assert tab.selected_ids() == ["side_effect:vivid-dreams"]
    assert "Vivid dreams" in tab.detail.toPlainText()


def test_escape_clears_search(qtbot: QtBot, window: MainWindow) -> None:
    _type_query(qtbot, window, "crohn")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.search_field.text() == ""
    assert window.search_panel.model.rowCount() == 0
    assert window.search_panel.isHidden()


def test_did_you_mean_link_replaces_query(qtbot: QtBot, window: MainWindow) -> None:
    _type_query(qtbot, window, "fibromyalga")
    assert window.search_panel.suggestion == "fibromyalgia"
    assert window.search_panel.suggestion_label.isVisibleTo(window)
    window.search_panel.suggestion_label.linkActivated.emit("suggest")
    assert window.search_field.text() == "fibromyalgia"


def test_ctrl_k_focuses_search_field(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab = window.entity_tabs[Kind.CONDITION]
    window.tabs.setCurrentWidget(tab)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_field.hasFocus)


def test_cross_link_navigates_and_back_returns(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    conditions = window.entity_tabs[Kind.CONDITION]
    assert f'href="ldn:{MECHANISM}"' in conditions.detail.toHtml()
    conditions.detail.anchorClicked.emit(QUrl(f"ldn:{MECHANISM}"))
    assert window.tabs.currentWidget() is window.entity_tabs[Kind.MECHANISM]
    assert window.current_target() == MECHANISM
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.entity_tabs[Kind.MECHANISM].detail, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_target() == CROHNS
    assert window.tabs.currentWidget() is conditions
    window.go_forward()
    assert window.current_target() == MECHANISM


def test_mouse_back_button_goes_back(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    window.navigate(FIBRO)
    detail = window.entity_tabs[Kind.CONDITION].detail
    qtbot.mouseClick(detail.viewport(), Qt.MouseButton.BackButton)
    assert window.current_target() == CROHNS
    qtbot.mouseClick(detail.viewport(), Qt.MouseButton.ForwardButton)
    assert window.current_target() == FIBRO


def test_selecting_a_row_records_history(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.entity_tabs[Kind.CONDITION]
    window.tabs.setCurrentWidget(tab)
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.proxy.index(0, 0))
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    assert window.history.can_go_back
    first, second = tab.proxy.index(0, 0).data(), tab.proxy.index(1, 0).data()
    assert first != second
    window.go_back()
    assert tab.view.currentIndex().row() == 0


def test_badge_click_opens_why_this_grade(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    tab = window.entity_tabs[Kind.CONDITION]
    assert tab.badge.text() == Grade.LOW.badge_text
    assert tab.badge.accessibleName() == "Certainty: low, 2 of 4"
    qtbot.mouseClick(tab.badge, Qt.MouseButton.LeftButton)
    assert window.current_target() == f"why:{CROHNS}"
    text = tab.detail.toPlainText()
    assert "Why this grade?" in text
    assert "Two small RCTs" in text  # the rationale
    assert "RCT" in text and "40" in text  # study design and n from the source


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("Moderate", [FIBRO]), ("Low", [CROHNS]), ("High", []), ("All grades", [CROHNS, FIBRO])],
)
def test_grade_filter_filters(window: MainWindow, choice: str, expected: list[str]) -> None:
    tab = window.entity_tabs[Kind.CONDITION]
    assert tab.grade_combo is not None
    index = next(i for i in range(tab.grade_combo.count()) if tab.grade_combo.itemText(i).startswith(choice))
    tab.grade_combo.setCurrentIndex(index)
    shown = sorted(str(tab.proxy.index(r, 0).data(tab.model.EntityIdRole)) for r in range(tab.proxy.rowCount()))
    assert shown == expected


def test_text_filter_matches_aliases(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.entity_tabs[Kind.CONDITION]
    qtbot.keyClicks(tab.filter_edit, "ibd")
    assert tab.proxy.rowCount() == 1
    assert tab.proxy.index(0, 0).data() == "Crohn's disease"
    assert tab.count_label.text() == "1 of 2 shown"


def test_kinds_without_grades_have_no_grade_filter(window: MainWindow) -> None:
    assert window.entity_tabs[Kind.SOURCE].grade_combo is None
    assert window.entity_tabs[Kind.MECHANISM].grade_combo is None
    assert window.entity_tabs[Kind.SIDE_EFFECT].grade_combo is not None


def test_navigate_clears_filter_hiding_the_entry(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.entity_tabs[Kind.CONDITION]
    qtbot.keyClicks(tab.filter_edit, "ibd")
    window.navigate(FIBRO)
    assert tab.filter_edit.text() == ""
    assert tab.selected_ids() == [FIBRO]


def test_overview_matrix_sorts_and_opens_condition(qtbot: QtBot, window: MainWindow) -> None:
    view = window.overview_tab.matrix_view
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Condition", "Certainty", "Direction", "RCTs", "Reviewed"]  # short: names get the width
    tips = [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for c in (3, 4)]
    assert tips[0].startswith("Randomised trials") and tips[1] == "Last reviewed"
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Fibromyalgia"  # moderate before low
    assert model.index(0, 3).data() == "1"
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data() == "Crohn's disease"
    view.activated.emit(model.index(1, 0))
    assert window.current_target() == FIBRO


def test_overview_shows_about_and_dosing(window: MainWindow, mini_kb: KnowledgeBase) -> None:
    window.navigate("overview")
    text = window.overview_tab.detail.toPlainText()
    assert "opioid antagonist" in text  # meta.about
    assert "Usual dose range and timing" in text


def test_bookmark_survives_restart(qtbot: QtBot, window: MainWindow, make_window: Callable[..., MainWindow]) -> None:
    window.navigate(CROHNS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.entity_tabs[Kind.CONDITION].view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.bookmarks == [CROHNS]
    assert window.bookmark_action.isChecked()
    window.close()

    again = make_window(build_index=False)
    assert again.bookmarks == [CROHNS]
    targets = [a.data() for a in again.bookmarks_menu.actions() if a.data()]
    assert targets == [CROHNS]
    next(a for a in again.bookmarks_menu.actions() if a.data() == CROHNS).trigger()
    assert again.current_target() == CROHNS
    assert again.bookmark_action.isChecked()


def test_bookmark_toggles_off(window: MainWindow) -> None:
    window.navigate(FIBRO)
    window.toggle_bookmark()
    window.toggle_bookmark()
    assert window.bookmarks == []


def test_recently_viewed_menu_lists_newest_first(window: MainWindow) -> None:
    window.navigate(CROHNS)
    window.navigate(MECHANISM)
    window.navigate(f"why:{CROHNS}")  # "why" pages are not entries of their own
    assert window.recent == [MECHANISM, CROHNS]
    assert [a.data() for a in window.recent_menu.actions()] == [MECHANISM, CROHNS]


def test_zoom_persists(qtbot: QtBot, window: MainWindow, make_window: Callable[..., MainWindow]) -> None:
    base = window.page_area.font().pointSizeF()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.zoom_in_action.trigger()
    assert window.zoom.steps == 2
    assert window.page_area.font().pointSizeF() > base
    window.close()
    again = make_window(build_index=False)
    assert again.zoom.steps == 2
    assert again.page_area.font().pointSizeF() == pytest.approx(window.page_area.font().pointSizeF())
    again.zoom_reset_action.trigger()
    assert again.zoom.steps == 0


def test_the_status_bar_shows_a_zoom_other_than_100_and_a_click_resets_it(
    qtbot: QtBot, window: MainWindow, make_window: Callable[..., MainWindow]
) -> None:
    """Text that looks too big on another day says why: the zoom stays in view until it is back to 100 %."""
    button = window.kb_status.zoom_button
    assert button.isHidden()
    window.zoom_in_action.trigger()
    assert button.isVisibleTo(window) and button.text() == "Zoom 110%" and "Ctrl+0" in button.toolTip()
    window.close()
    again = make_window(build_index=False)  # a saved zoom shows at start-up too
    again_button = again.kb_status.zoom_button
    assert again_button.isVisibleTo(again) and again_button.text() == "Zoom 110%"
    qtbot.mouseClick(again_button, Qt.MouseButton.LeftButton)
    assert again.zoom.steps == 0 and again_button.isHidden()


def test_last_tab_is_restored(window: MainWindow, make_window: Callable[..., MainWindow]) -> None:
    window.tabs.setCurrentIndex(6)
    window.close()
    assert make_window(build_index=False).tabs.currentIndex() == 6


def test_corrupt_settings_are_ignored(settings_path: Path, make_window: Callable[..., MainWindow]) -> None:
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text(
        "[view]\nzoom=lots\n[window]\nlast_tab=99\ngeometry=not-a-geometry\nstate=@ByteArray(garbage)\n"
        '[navigation]\nbookmarks={not json\nrecent="[1, 2, \\"condition:crohns-disease\\"]"\n',
        encoding="utf-8",
    )
    w = make_window(build_index=False)
    assert w.zoom.steps == 0
    assert w.tabs.currentIndex() == 0
    assert w.bookmarks == []
    assert w.recent == [CROHNS]


def test_opening_invalid_kb_shows_error_and_keeps_current(
    qtbot: QtBot, tmp_path: Path, window: MainWindow, mini_kb: KnowledgeBase, dialogs: FakeDialogs
) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema_version": "1", "meta": {"kb_version": "x"}}', encoding="utf-8")
    shown = dialogs.errors
    dialogs.open_answer = bad
    window.navigate(CROHNS)
    window.open_action.trigger()  # read and validated off the GUI thread
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    _title, text, details = shown[0]
    assert "broken.json" in text
    assert "$.meta.kb_version" in details  # the place inside the file
    assert window.kb is mini_kb
    assert window.current_target() == CROHNS
    assert window.entity_tabs[Kind.CONDITION].model.rowCount() == 2


def test_opening_valid_kb_replaces_content(
    qtbot: QtBot, tmp_path: Path, window: MainWindow, mini_kb_path: Path
) -> None:
    text = mini_kb_path.read_text(encoding="utf-8").replace('"kb_version": "0.1.0"', '"kb_version": "0.2.0"')
    other = tmp_path / "other.json"
    other.write_text(text, encoding="utf-8")
    assert window.open_kb(other)
    assert window.kb.meta.kb_version == "0.2.0"
    assert "KB 0.2.0" in window.kb_label.text()
    qtbot.waitUntil(lambda: window.is_search_ready, timeout=20_000)


def test_external_links_open_only_through_the_window(window: MainWindow, dialogs: FakeDialogs) -> None:
    opened = dialogs.opened_urls
    window.navigate("source:smith2011-crohns-rct")
    tab = window.entity_tabs[Kind.SOURCE]
    html = tab.detail.toHtml()
    assert "https://pubmed.ncbi.nlm.nih.gov/21380937/" in html
    assert "https://doi.org/10.1007/s10620-011-1653-7" in html
    assert opened == []  # nothing is opened by showing the page
    tab.detail.anchorClicked.emit(QUrl("https://pubmed.ncbi.nlm.nih.gov/21380937/"))
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/21380937/"]
    assert window.current_target() == "source:smith2011-crohns-rct"


@pytest.mark.parametrize(
    ("today", "stale"),
    [
        (dt.date(2025, 7, 15), False),
        (dt.date(2026, 6, 29), False),
        (dt.date(2026, 6, 30), True),
        (dt.date(2027, 1, 1), True),
    ],
)
def test_stale_content_warning(make_window: Callable[..., MainWindow], today: dt.date, stale: bool) -> None:
    w = make_window(build_index=False, today=today)
    w.show()
    assert w.stale_label.isVisible() is stale
    if stale:
        assert "months old" in w.stale_label.text()
    assert w.kb_label.text() == "KB 0.1.0 · content as of 30 Jun 2025"


def test_f6_cycles_panes(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    tab = window.entity_tabs[Kind.CONDITION]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search_field.setFocus()
    qtbot.waitUntil(window.search_field.hasFocus)
    qtbot.keyClick(window.search_field, Qt.Key.Key_F6)
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_F6)
    qtbot.waitUntil(tab.detail.hasFocus)
    qtbot.keyClick(tab.detail, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(tab.view.hasFocus)


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("overview", ([], True)),
        ("current", ([CROHNS], False)),
        ("multi", ([CROHNS, FIBRO], False)),
        ("mechanism_after_condition", ([MECHANISM], False)),
    ],
)
def test_sheet_request_follows_tab_and_selection(
    window: MainWindow, setup: str, expected: tuple[list[str], bool]
) -> None:
    conditions: EntityTab = window.entity_tabs[Kind.CONDITION]
    if setup == "overview":
        window.tabs.setCurrentWidget(window.overview_tab)
    elif setup == "current":
        window.navigate(CROHNS)
    elif setup == "multi":
        window.navigate(CROHNS)
        conditions.view.selectAll()
    else:
        window.navigate(FIBRO)
        window.navigate(MECHANISM)
    request = window.sheet_request()
    assert (list(request.ids), request.overview) == expected


def test_export_pdf_writes_the_current_condition(tmp_path: Path, window: MainWindow, dialogs: FakeDialogs) -> None:
    out = tmp_path / "sheet.pdf"
    dialogs.save_answer = out
    window.navigate(CROHNS)
    window.export_action.trigger()
    window.printer.output.wait()  # the export runs off the GUI thread
    assert out.read_bytes().startswith(b"%PDF")
    assert out.name in window.kb_status.export_notice.label.text()  # the notice says it (no message under it)


def test_grade_legend_lists_every_grade(window: MainWindow) -> None:
    window.legend_action.trigger()
    assert window.help.legend_dialog is not None and window.help.legend_dialog.isVisible()
    browser = window.help.legend_dialog.findChild(type(window.overview_tab.detail))
    text = browser.toPlainText().replace("\xa0", " ")
    for grade in Grade:
        assert grade.badge_text in text
    window.help.legend_dialog.close()


def test_bundled_kb_smoke(qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase) -> None:
    w = make_window(kb=bundled_kb, kb_path=None)
    w.show()
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=30_000)
    for entry in bundled_kb.entries():
        assert w.navigate(entry.id)
        assert entry.title in w.entity_tabs[entry.kind].detail.toPlainText()
    _type_query(qtbot, w, "crohn")
    assert w.search_panel.model.top_hit_id() == CROHNS


def test_search_engine_failure_shows_an_error_state_and_the_app_keeps_working(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_browser.core.search.index import SearchIndex

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(SearchIndex, "_run", explode)
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "crohn")
    qtbot.waitUntil(lambda: window.search_panel.showing_error)
    panel = window.search_panel
    assert panel.status_label.text() == "Search failed for “crohn”."
    assert "engine exploded" in panel.notice_label.text() and panel.notice_label.isVisibleTo(window)
    assert panel.model.hit_count == 0
    assert "No matches" not in panel.status_label.text()
    assert window.navigate(CROHNS)  # pages still open


@pytest.mark.parametrize("query", ["dreams", "crohn", "nightmares", "opioids", "smith 2011"])
def test_enter_opens_the_first_hit_listed(qtbot: QtBot, window: MainWindow, query: str) -> None:
    _type_query(qtbot, window, query)
    model = window.search_panel.model
    first_listed = model.index(model.first_hit_row()).data(model.EntityIdRole)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_target() == first_listed


def test_a_long_query_is_quoted_short_in_the_results_heading(qtbot: QtBot, window: MainWindow) -> None:
    """Fresh-eyes tester, 2026-12-07: a pasted paragraph was repeated whole in the results' heading (five lines of
    the popup, ~450 characters); the "not covered" notice already cut it."""
    query = "Crohn's disease, ileocolonic, on azathioprine, wants to try LDN for fatigue and pain. " * 5
    window.search_field.setFocus()
    window.search_field.setText(query)
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)
    heading = window.search_panel.status_label.text()
    quoted = heading[heading.index("“") + 1 : heading.index("”")]
    assert quoted.startswith("Crohn's disease, ileocolonic") and quoted.endswith("…") and len(quoted) <= 80, heading
    assert heading.endswith("— Enter opens the top hit")
