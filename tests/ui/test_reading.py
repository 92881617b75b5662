"""Reading aids: find in page, the outline, scroll restore, theme, safety box, start page, links, citations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fakes import FakeDialogs
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldn_browser.core.citations import parse_ris, vancouver
from ldn_browser.core.entities import KnowledgeBase, Source
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.presentation import badge_colours
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.outline import sections
from ldn_browser.ui.theme import apply_theme, palette_is_dark

CROHNS = "condition:crohns-disease"


def test_find_counts_highlights_and_steps_through_matches(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    detail = window.entity_tabs[Kind.CONDITION].detail
    expected = detail.toPlainText().lower().count("crohn")
    assert expected >= 2
    window.find_action.trigger()
    bar = window.reading.find
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "crohn")
    assert len(bar.matches) == expected
    assert bar.count_label.text() == f"1 of {expected}"
    assert len(detail.extraSelections()) == expected  # every match highlighted
    first = detail.textCursor().position()
    window.find_next_action.trigger()  # F3
    assert bar.count_label.text() == f"2 of {expected}"
    assert detail.textCursor().position() > first
    window.find_previous_action.trigger()  # Shift+F3
    window.find_previous_action.trigger()
    assert bar.count_label.text() == f"{expected} of {expected}"  # wraps around
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert detail.extraSelections() == []


def test_find_says_no_matches(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    window.find_action.trigger()
    qtbot.keyClicks(window.reading.find.field, "zzzqqq")
    assert window.reading.find.count_label.text() == "No matches"


def test_outline_lists_the_sections_and_jumps(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    detail = window.entity_tabs[Kind.CONDITION].detail
    detail.resize(500, 200)  # short, so that a section further down needs scrolling
    titles = [text for _level, text, _n in window.reading.outline.entries()]
    assert "Bottom line" in titles and "Sources" in titles
    number = next(n for _level, text, n in sections(detail.document()) if text == "Sources")
    window.reading.outline.go(number)
    assert detail.verticalScrollBar().value() > 0
    assert detail.textCursor().block().text() == "Sources"
    window.reading.outline.menu.aboutToShow.emit()  # filled from the page each time it opens
    assert any(a.text().strip() == "Sources" for a in window.reading.outline.menu.actions())


def test_back_and_forward_restore_the_scroll_position(qtbot: QtBot, window: MainWindow) -> None:
    window.navigate(CROHNS)
    detail = window.entity_tabs[Kind.CONDITION].detail
    detail.resize(500, 200)
    bar = detail.verticalScrollBar()
    assert bar.maximum() > 100
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    window.navigate("condition:fibromyalgia")
    assert bar.value() == 0
    window.back_action.trigger()
    assert window.current_target() == CROHNS
    assert bar.value() == where
    window.forward_action.trigger()
    assert bar.value() == 0


def test_theme_is_chosen_in_the_view_menu_and_saved(
    qtbot: QtBot, window: MainWindow, make_window: Callable[..., MainWindow]
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        window.reading.theme_actions["dark"].trigger()
        assert palette_is_dark(app.palette())
        assert window.settings.theme() == "dark"
        qtbot.waitUntil(lambda: palette_is_dark(window.overview_tab.palette()))
        dosing = window.kb.dosing[0] if window.kb is not None else None
        assert dosing is not None
        dark_fill = badge_colours(dosing.certainty.rating, dark=True).background
        window.navigate("overview")
        assert dark_fill.lower() in window.overview_tab.detail.toHtml().lower()  # re-rendered for the palette
        window.close()
        again = make_window(build_index=False)
        assert again.settings.theme() == "dark"
        assert again.reading.theme_actions["dark"].isChecked()
        again.reading.theme_actions["system"].trigger()
        assert again.settings.theme() == "system"
        assert not palette_is_dark(app.palette())
    finally:
        apply_theme(app, "system")


def test_dark_list_badges_are_painted_with_dark_fills(qtbot: QtBot, window: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        window.reading.set_theme("dark")
        view = window.entity_tabs[Kind.CONDITION].view
        window.tabs.setCurrentWidget(window.entity_tabs[Kind.CONDITION])
        qtbot.waitUntil(lambda: view.viewport().isVisible() and palette_is_dark(view.palette()))
        col = next(i for i, c in enumerate(window.entity_tabs[Kind.CONDITION].model.columns) if c.shows_grade)
        rect = view.visualRect(view.model().index(0, col))
        image = view.viewport().grab(rect).toImage()
        centre = image.pixelColor(7 * image.width() // rect.width(), image.height() // 2)  # fill, left of the text
        assert centre.lightness() < 128, centre.name()
    finally:
        apply_theme(app, "system")


def test_safety_box_heads_every_condition_page_and_the_overview(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    window = make_window(kb=bundled_kb, kb_path=default_kb_path(), build_index=False)
    kb = bundled_kb
    first = kb.meta.safety_points[0]
    for condition in kb.conditions:
        window.navigate(condition.id)
        text = window.entity_tabs[Kind.CONDITION].detail.toPlainText()
        assert "Before prescribing" in text and first.text in text, condition.id
        assert text.index("Before prescribing") < text.index("Bottom line")
        assert f'href="ldn:{first.entry_id}"' in window.entity_tabs[Kind.CONDITION].detail.toHtml()
    window.navigate("overview")
    assert first.text in window.overview_tab.detail.toPlainText()


def test_start_page_and_the_last_page_is_reopened(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase
) -> None:
    first = make_window(build_index=False)
    assert first.current_target() == "start"
    text = first.overview_tab.detail.toPlainText()
    assert "Recently viewed" in text and "Bookmarks" in text and "Ctrl+K" in text
    first.show()
    first.tabs.link_activated.emit("search")  # the start page's "Search" link
    qtbot.waitUntil(first.search_field.hasFocus)
    assert f"What's new in KB {mini_kb.meta.changelog[0].version}" in text if mini_kb.meta.changelog else True
    first.navigate(CROHNS)
    first.toggle_bookmark()
    first.start_page_action.trigger()
    text = first.overview_tab.detail.toPlainText()
    crohns = mini_kb.get(CROHNS)
    assert crohns is not None and text.count(crohns.title) == 2  # once recent, once bookmarked
    first.navigate(CROHNS)
    first.close()
    again = make_window(build_index=False)
    assert again.current_target() == CROHNS


def test_whats_new_on_the_start_page_of_the_bundled_kb(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    w = make_window(kb=bundled_kb, kb_path=default_kb_path(), build_index=False)
    assert "What's new in KB 1.1" in w.overview_tab.detail.toPlainText()


def test_a_link_that_cannot_open_says_so_with_the_address(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs
) -> None:
    dialogs.url_opens = False
    url = "https://pubmed.ncbi.nlm.nih.gov/21380937/"
    window.tabs.external_link_activated.emit(QUrl(url))
    assert dialogs.opened_urls == [url]
    assert url in window.statusBar().currentMessage()
    assert QGuiApplication.clipboard().text() == url


def test_copy_citation_and_export_references(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    kb = window.kb
    assert kb is not None
    source = next(s for s in kb.sources if s.authors and s.journal)
    window.navigate(source.id)
    assert window.copy_citation_action.isEnabled()
    window.copy_citation_action.trigger()
    assert QGuiApplication.clipboard().text() == vancouver(source)
    window.navigate(CROHNS)
    assert not window.copy_citation_action.isEnabled()
    QGuiApplication.clipboard().clear()
    window.tabs.link_activated.emit(f"cite:{source.id}")  # the "Copy citation" link of a source page
    assert QGuiApplication.clipboard().text() == vancouver(source)
    assert window.current_target() == CROHNS  # copying shows no other page
    dialogs.save_answer = tmp_path / "crohns.ris"
    window.export_references_action.trigger()
    records = parse_ris(dialogs.save_answer.read_text(encoding="utf-8"))
    crohns = kb.get(CROHNS)
    assert crohns is not None
    cited = [sid for _p, sid, kind in crohns.references() if kind is Kind.SOURCE]
    assert [r["ID"][0] for r in records] == list(dict.fromkeys(cited))
    for record in records:
        s = kb.get(record["ID"][0])
        assert isinstance(s, Source)
        assert record["TI"] == [s.title]
        assert record.get("AU", []) == list(s.authors)
        assert record.get("DO", []) == ([s.doi] if s.doi else [])


def test_vancouver_form() -> None:
    from ldn_browser.core.kb import load_kb

    kb = load_kb(default_kb_path())
    s = kb.get("source:smith2011-crohns-rct")
    assert isinstance(s, Source)
    assert vancouver(s) == (
        "Smith JP, Bingaman SI, Ruggiero F, Mauger DT, Mukherjee A, McGovern CO, et al. Therapy with the opioid "
        "antagonist naltrexone promotes mucosal healing in active Crohn's disease: a randomized placebo-controlled "
        "trial. Dig Dis Sci. 2011;56(7):2088-97. doi:10.1007/s10620-011-1653-7 PMID: 21380937"
    )
