"""Defects a fresh-eyes clinician test found on a 1280×720 window (2026-12-03), each held by a test."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.printing import _printer, job_name

CROHNS = "condition:crohns-disease"


def _shown(qtbot: QtBot, make_window: Callable[..., MainWindow], **options: object) -> MainWindow:
    w = make_window(build_index=False, **options)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def test_alt_0_shows_the_tenth_tab(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    """Alt+1 … Alt+9 reach nine tabs; the tenth (Claims) is Alt+0, as its tooltip says."""
    w = _shown(qtbot, make_window, kb=bundled_kb, kb_path=default_kb_path())
    assert w.tabs.count() == 10 and w.tabs.widget(9) is w.entity_tabs[Kind.CLAIM]
    assert "Alt+0" in w.tabs.tabToolTip(9)
    shortcuts = {a.objectName(): a.shortcut().toString() for a in w.actions() if a.objectName().startswith("tab")}
    assert shortcuts["tab10Action"] == "Alt+0" and shortcuts["tab9Action"] == "Alt+9"
    next(a for a in w.actions() if a.objectName() == "tab10Action").trigger()
    assert w.tabs.currentWidget() is w.entity_tabs[Kind.CLAIM]


def test_the_start_page_lists_what_was_viewed_and_bookmarked_when_its_tab_is_shown_again(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window)
    assert w.current_target() == "start" and "Nothing viewed yet" in w.overview_tab.detail.toPlainText()
    w.navigate(CROHNS)
    w.toggle_bookmark()
    w.tabs.setCurrentWidget(w.overview_tab)  # Alt+1, or a click on the tab: not Go › Start page
    text = w.overview_tab.detail.toPlainText()
    crohns = mini_kb.get(CROHNS)
    assert crohns is not None and "Nothing viewed yet" not in text
    assert text.count(crohns.title) == 2, text  # once recently viewed, once bookmarked


def test_down_or_enter_in_a_tab_filter_opens_the_first_entry_it_leaves(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window, kb=bundled_kb, kb_path=default_kb_path())
    tab = w.entity_tabs[Kind.INTERACTION]
    w.tabs.setCurrentWidget(tab)
    tab.filter_edit.setFocus()
    qtbot.keyClicks(tab.filter_edit, "opioid")
    shown = tab.proxy.rowCount()
    assert 0 < shown < tab.model.rowCount()
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Down)
    qtbot.waitUntil(tab.view.hasFocus)
    first = str(tab.proxy.index(0, 0).data(tab.model.EntityIdRole))
    assert tab.current_entity_id == first and "opioid" in first
    tab.filter_edit.setFocus()
    qtbot.waitUntil(tab.filter_edit.hasFocus)
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(tab.view.hasFocus)
    assert tab.current_entity_id == first


def test_a_print_job_is_named_without_characters_a_file_name_cannot_hold() -> None:
    """The print dialog offers the job name as the file name of a print to file ('Fibromyalgia: LDN summary')."""
    assert job_name("Fibromyalgia: LDN summary") == "Fibromyalgia - LDN summary"
    assert job_name('A/B "test"?') == "A - B - test"
    assert job_name(":::") == "LDN Browser"
    assert QApplication.instance() is not None
    assert ":" not in _printer("Crohn's disease: LDN summary").docName()


def test_a_tab_filter_finds_brands_and_reads_short_words_as_word_starts(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    w = _shown(qtbot, make_window, kb=bundled_kb, kb_path=default_kb_path())

    def shown(kind: Kind, text: str) -> list[str]:
        tab = w.entity_tabs[kind]
        w.tabs.setCurrentWidget(tab)
        tab.filter_edit.setText(text)
        return [str(tab.proxy.index(r, 0).data(tab.model.EntityIdRole)) for r in range(tab.proxy.rowCount())]

    assert shown(Kind.INTERACTION, "percocet") == ["interaction:opioid-analgesics"]
    assert shown(Kind.INTERACTION, "Prograf") == ["interaction:immunosuppressants"]
    assert "interaction:opioid-antidiarrhoeals" in shown(Kind.INTERACTION, "imodium")
    ra = shown(Kind.CONDITION, "RA")
    assert "condition:rheumatoid-arthritis" in ra
    assert not {"condition:cancer", "condition:migraine"} & set(ra), ra  # not the "ra" inside other words
    assert "condition:fibromyalgia" in shown(Kind.CONDITION, "myalgia")  # a longer word still matches inside
    tab = w.entity_tabs[Kind.CONDITION]
    assert shown(Kind.CONDITION, "fibromyalga") == [] and "Ctrl+K" in tab.count_label.text()


def test_a_tab_filter_never_changes_the_page_being_read(
    qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase
) -> None:
    """Fresh-eyes tester, 2026-12-07: typing into the Conditions filter opened another condition by itself (the row
    shown was filtered out and the list's current row moved to one still shown). Filtering narrows the list only:
    the page stays, no other row looks chosen, and it is selected again once the filter shows it."""
    w = _shown(qtbot, make_window, kb=bundled_kb, kb_path=default_kb_path())
    tab = w.entity_tabs[Kind.CONDITION]
    w.tabs.setCurrentWidget(tab)
    assert w.navigate("condition:crohns-disease")
    back_before = w.history.can_go_back
    tab.filter_edit.setFocus()
    qtbot.keyClicks(tab.filter_edit, "fibro")
    assert 0 < tab.proxy.rowCount() < tab.model.rowCount()
    assert tab.current_entity_id == "condition:crohns-disease" and w.current_target() == "condition:crohns-disease"
    assert tab.selected_ids() == [] and not tab.view.currentIndex().isValid()
    assert w.history.current == "condition:crohns-disease" and w.history.can_go_back == back_before
    qtbot.keyClicks(tab.filter_edit, "zzz")  # nothing left: the page still stays, the count says so
    assert tab.proxy.rowCount() == 0 and tab.current_entity_id == "condition:crohns-disease"
    tab.filter_edit.clear()
    assert tab.selected_ids() == ["condition:crohns-disease"]
    assert tab.current_entity_id == "condition:crohns-disease"
