"""Pages stay readable on a laptop: every condition page at 1280×720 with the search results open, and
at zoom 160 %, has no table cell narrower than the minimum and nothing wider than the page.

Measured on the QTextDocument layout (cell blocks and the document's size), not on pixels of a screenshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QFontMetricsF, QTextDocument, QTextFrame, QTextTable
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.html import MIN_COLUMN_CHARS
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.main_window import MainWindow


def _tables(frame: QTextFrame) -> Iterator[QTextTable]:
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            yield child
        yield from _tables(child)


def narrowest_cell_chars(doc: QTextDocument) -> float:
    """Width of the narrowest table cell of *doc*, in average characters of its default font (inf: no table)."""
    layout = doc.documentLayout()
    char = QFontMetricsF(doc.defaultFont()).averageCharWidth()
    widths = [
        layout.blockBoundingRect(table.cellAt(row, col).firstCursorPosition().block()).width()
        for table in _tables(doc.rootFrame())
        for row in range(table.rows())
        for col in range(table.columns())
    ]
    return min(widths) / char if widths else float("inf")


def overflow(doc: QTextDocument) -> float:
    """How far the laid-out document is wider than its text width (0: no horizontal scrolling)."""
    return max(0.0, doc.size().width() - doc.textWidth())


@pytest.fixture
def laptop(qtbot: QtBot, make_window: Callable[..., MainWindow], bundled_kb: KnowledgeBase) -> MainWindow:
    w = make_window(kb=bundled_kb, kb_path=default_kb_path())
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=60_000)
    return w


def check_every_condition(qtbot: QtBot, w: MainWindow, kb: KnowledgeBase) -> list[str]:
    problems = []
    detail = w.entity_tabs[Kind.CONDITION].detail
    for condition in kb.conditions:
        assert w.navigate(condition.id)
        detail.relayout_now()
        doc = detail.document()
        doc.size()
        narrow = narrowest_cell_chars(doc)
        if narrow < MIN_COLUMN_CHARS:
            problems.append(f"{condition.id}: a cell {narrow:.1f} characters wide")
        if (wide := overflow(doc)) > 0.5:
            problems.append(f"{condition.id}: {wide:.0f} px wider than the page")
        if detail.horizontalScrollBar().maximum() > 0:
            problems.append(f"{condition.id}: horizontal scroll bar")
    return problems


def test_condition_pages_fit_1280_with_the_search_results_open(
    qtbot: QtBot, laptop: MainWindow, bundled_kb: KnowledgeBase
) -> None:
    laptop.focus_search()
    qtbot.keyClicks(laptop.search_field, "pain")
    qtbot.waitUntil(lambda: laptop.search_panel.model.hit_count > 0)
    assert laptop.search_panel.isVisible()
    assert laptop.tabs.width() == laptop.page_area.width()  # the results float over the page: no width taken
    assert check_every_condition(qtbot, laptop, bundled_kb) == []


def test_condition_pages_fit_at_zoom_160(qtbot: QtBot, laptop: MainWindow, bundled_kb: KnowledgeBase) -> None:
    laptop.zoom.set(6)
    assert laptop.zoom.steps == 6  # 160 % fits a 1280 px window
    assert check_every_condition(qtbot, laptop, bundled_kb) == []


def test_narrow_pane_stacks_the_studies_and_wide_pane_keeps_the_table(
    qtbot: QtBot, laptop: MainWindow, bundled_kb: KnowledgeBase
) -> None:
    crohns = "condition:crohns-disease"
    laptop.resize(1920, 1080)
    laptop.navigate(crohns)
    detail = laptop.entity_tabs[Kind.CONDITION].detail
    qtbot.waitUntil(lambda: detail.width() > 900)
    detail.relayout_now()
    widest_columns = max(t.columns() for t in _tables(detail.document().rootFrame()))
    assert widest_columns == 7  # the key-studies table as a table
    laptop.zoom.set(6)
    laptop.resize(1280, 720)
    qtbot.waitUntil(lambda: detail.width() < 900)
    detail.relayout_now()
    assert all(t.columns() < 7 for t in _tables(detail.document().rootFrame()))  # one card per study instead
    text = detail.toPlainText()
    assert "Result:" in text and "Direction:" in text


def test_search_results_close_when_a_hit_opens_and_come_back_on_focus(qtbot: QtBot, window: MainWindow) -> None:
    window.focus_search()
    qtbot.keyClicks(window.search_field, "crohn")
    qtbot.waitUntil(lambda: window.search_panel.model.hit_count > 0)
    assert window.search_panel.isVisible()
    qtbot.keyClick(window.search_field, "\r")
    assert window.current_target() == "condition:crohns-disease"
    assert not window.search_panel.isVisible()
    window.focus_search()
    assert window.search_panel.isVisible()


def test_a_zoom_that_does_not_fit_is_clamped(qtbot: QtBot, laptop: MainWindow) -> None:
    laptop.zoom.set(10)  # 200 %: the tab labels cannot fit across 1280 px
    assert laptop.zoom.steps < 10
    assert laptop.tabs.tabBar().sizeHint().width() <= laptop.tabs.width()
    assert laptop.settings.zoom() == laptop.zoom.steps  # what is saved is what fits
    assert "does not fit" in laptop.statusBar().currentMessage()
    laptop.zoom.set(-9)
    assert laptop.zoom.steps == -5  # 50 %


def test_zoom_reaches_badges_tab_labels_and_lists(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.entity_tabs[Kind.CONDITION]
    window.navigate("condition:crohns-disease")

    def sizes() -> tuple[float, ...]:
        qtbot.wait(1)  # layouts settle
        return (
            tab.badge.sizeHint().height(),  # the badge beside "Why this grade?" as laid out
            window.tabs.tabBar().sizeHint().height(),
            tab.view.sizeHintForRow(0),
            window.search_field.font().pointSizeF(),
        )

    before = sizes()
    window.zoom.set(5)
    after = sizes()
    for b, a in zip(before, after, strict=True):
        assert a > b * 1.25, (before, after)


def test_list_names_keep_their_width_at_1280_and_160(qtbot: QtBot, laptop: MainWindow) -> None:
    def name_chars() -> list[float]:
        out = []
        for page in laptop.tabs.pages():
            laptop.tabs.setCurrentWidget(page)
            qtbot.wait(50)  # the pane is fitted once shown
            view = page.list_view
            header = view.header() if hasattr(view, "header") else view.horizontalHeader()
            out.append(header.sectionSize(0) / QFontMetricsF(view.font()).averageCharWidth())
        return out

    assert min(name_chars()) >= 20  # 100 %: room for about 24 characters
    laptop.zoom.set(6)
    assert min(name_chars()) >= 15.5  # 160 %: never less than about 16 (was two letters)


@pytest.mark.parametrize("width", [320, 480, 640, 900, 1300])
def test_every_page_fits_any_pane_width(qtbot: QtBot, bundled_kb: KnowledgeBase, width: int) -> None:
    """Every page with a table, in panes from narrow to wide: no cell under the minimum, nothing sideways."""
    from ldn_browser.core.detail import render_grade_legend, render_target, render_whats_new
    from ldn_browser.core.start_page import render_start
    from ldn_browser.ui.detail_view import DetailBrowser

    browser = DetailBrowser()
    qtbot.addWidget(browser)
    browser.resize(width, 600)
    browser.show()
    kb = bundled_kb
    pages = {t: (lambda w, t=t: render_target(kb, t, width_chars=w)) for t in [
        *(c.id for c in kb.conditions), *(f"why:{c.id}" for c in kb.conditions), *(p.id for p in kb.prescribing),
        *(d.id for d in kb.dosing), "overview",
    ]}  # fmt: skip
    pages["start"] = lambda w: render_start(kb, width_chars=w)
    pages["whats-new"] = lambda w: render_whats_new(kb, width_chars=w)
    pages["legend"] = lambda w: render_grade_legend(kb, width_chars=w)
    problems = []
    for name, render in pages.items():
        browser.show_page(render)
        doc = browser.document()
        doc.size()
        if (narrow := narrowest_cell_chars(doc)) < MIN_COLUMN_CHARS:
            problems.append(f"{name}: a cell {narrow:.1f} characters wide")
        if (wide := overflow(doc)) > 0.5:
            problems.append(f"{name}: {wide:.0f} px wider than the page")
    assert problems == []


def test_overview_matrix_never_scrolls_sideways(qtbot: QtBot, laptop: MainWindow) -> None:
    """At 160 % on 1280 px the optional matrix columns (trials, last reviewed) give way, last first;
    condition, certainty and direction always stay."""
    laptop.tabs.setCurrentWidget(laptop.overview_tab)
    tab = laptop.overview_tab
    assert tab is not None
    header = tab.matrix_view.horizontalHeader()

    def fits() -> bool:
        return header.length() <= tab.matrix_view.viewport().width()

    qtbot.waitUntil(fits, timeout=5000)
    assert all(not header.isSectionHidden(c) for c in range(header.count()))  # 100 %: every column fits
    laptop.zoom.set(6)
    qtbot.waitUntil(fits, timeout=5000)
    assert not any(header.isSectionHidden(c) for c in range(3))
    assert any(header.isSectionHidden(c) for c in range(3, header.count()))
    laptop.zoom.set(0)
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())), timeout=5000)


def test_the_window_shown_or_resized_again_keeps_a_splitter_the_user_dragged(qtbot: QtBot, laptop: MainWindow) -> None:
    """Only a new width or zoom re-fits the list pane: the window shown again at its size (what happens at start-up
    once the pages are there) neither measures the lists again nor moves the splitter the user placed."""
    tab = laptop.overview_tab
    assert tab is not None
    qtbot.waitUntil(lambda: tab._fitted_for[0] > 0)  # noqa: SLF001 - fitted once shown
    qtbot.wait(100)  # the window's own show timer has fired
    left, right = tab.splitter.sizes()
    dragged = [left + 90, right - 90]
    tab.splitter.setSizes(dragged)
    laptop.hide()
    laptop.show()
    qtbot.waitExposed(laptop)
    qtbot.wait(100)  # the show timer (50 ms) fires
    assert tab.splitter.sizes() == dragged
    laptop.zoom.set(laptop.zoom.steps + 1)  # a new zoom fits the pane to its columns again
    assert tab.splitter.sizes() != dragged


def test_the_matrix_columns_are_checked_once_per_layout_not_once_per_resize(
    qtbot: QtBot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window resize reaches the Overview tab several times in one layout; hiding the columns that do not fit
    measures the matrix, so it runs once after them (at start-up it ran twice more before the pages painted)."""
    from PySide6.QtWidgets import QApplication

    from ldn_browser.ui.overview_tab import OverviewTab

    calls: list[int] = []
    drop = OverviewTab._drop_columns_that_do_not_fit  # noqa: SLF001

    def counted(self: OverviewTab) -> None:
        calls.append(self.width())
        drop(self)

    monkeypatch.setattr(OverviewTab, "_drop_columns_that_do_not_fit", counted)
    w = make_window()
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(100)
    tab = w.overview_tab
    assert tab is not None
    # Start-up's own passes are over first: on a loaded machine they can take longer than any fixed wait.
    qtbot.waitUntil(lambda: not tab._drop_timer.isActive())  # noqa: SLF001
    QApplication.processEvents()
    calls.clear()
    for width in (900, 1000, 1100):
        tab.resize(width, 500)
    qtbot.waitUntil(lambda: bool(calls))
    qtbot.wait(50)  # a second pass, if there were one, would come within the next event-loop turns
    assert calls == [1100]


def test_at_100_percent_the_pages_keep_the_application_font_and_are_not_measured_again(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """Setting the same size as a font of its own sends every list and page a font change (they are measured
    again, ~10 ms while the pages are built); a zoom sets it, and 100 % again gives the application's size."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    assert w.zoom.steps == 0
    assert not w.page_area.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    w.zoom.set(2)
    assert w.page_area.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    assert w.page_area.font().pointSizeF() > QApplication.font().pointSizeF()
    w.zoom.set(0)
    assert w.page_area.font().pointSizeF() == QApplication.font().pointSizeF()


def test_the_overview_matrix_gives_condition_names_the_room(qtbot: QtBot, laptop: MainWindow) -> None:
    """Tester, 2026-12-03: at 1280×720 the headers "Randomised trials" and "Last reviewed" took the width and cut
    "Ulcerative colitis and i…", "Complex regional pai…"; short headers and a wider name column cut only the longest."""
    laptop.tabs.setCurrentWidget(laptop.overview_tab)
    tab = laptop.overview_tab
    assert tab is not None
    header = tab.matrix_view.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= tab.matrix_view.viewport().width(), timeout=5000)
    chars = header.sectionSize(0) / QFontMetricsF(tab.matrix_view.font()).averageCharWidth()
    assert chars >= 24, chars
    cut = [c.title for c in laptop.kb.conditions if QFontMetricsF(tab.matrix_view.font()).horizontalAdvance(c.title)
           > header.sectionSize(0) - 12]  # fmt: skip
    assert len(cut) <= len(laptop.kb.conditions) // 4, cut


def _row_heights(qtbot: QtBot, w: MainWindow, kind: Kind) -> dict[str, int]:
    """Each row's height in the list of *kind*'s tab, by entry id, once its rows are laid out."""
    tab = w.entity_tabs[kind]
    w.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.view.model() is not None and tab.view.model().rowCount() > 0)
    qtbot.wait(50)  # the fit of the list pane, then the rows laid out again for the fitted width
    view, model = tab.view, tab.view.model()
    return {
        model.index(r, 0).data(tab.model.EntityIdRole): view.visualRect(model.index(r, 0)).height()
        for r in range(model.rowCount())
    }


def test_a_long_name_wraps_in_the_list_at_1280(qtbot: QtBot, laptop: MainWindow) -> None:
    """At 1280×720 the list pane is about a third of the window: "Opioid analgesics, including combination products
    (contraindicated)" ended in "…" after about 20 characters (session 39); its row now holds it on three lines."""
    heights = _row_heights(qtbot, laptop, Kind.INTERACTION)
    line = laptop.entity_tabs[Kind.INTERACTION].view.fontMetrics().lineSpacing()
    assert heights["interaction:opioid-analgesics"] >= 3 * line
    short = _row_heights(qtbot, laptop, Kind.CONDITION)
    assert short["condition:cancer"] < 2 * line  # a short name keeps a one-line row


def test_rows_are_laid_out_again_when_the_list_pane_widens(qtbot: QtBot, laptop: MainWindow) -> None:
    tab = laptop.entity_tabs[Kind.INTERACTION]
    narrow = _row_heights(qtbot, laptop, Kind.INTERACTION)["interaction:opioid-analgesics"]
    tab.splitter.setSizes([tab.splitter.width() - 40, 40])  # the list pane dragged wide
    qtbot.waitUntil(lambda: _row_heights(qtbot, laptop, Kind.INTERACTION)["interaction:opioid-analgesics"] < narrow)
