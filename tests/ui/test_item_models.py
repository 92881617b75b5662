"""Item models: Qt's model tester, roles, filtering and sorting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from ldn_browser.core.entities import Grade, Kind, KnowledgeBase
from ldn_browser.core.kinds import MATRIX_COLUMNS
from ldn_browser.core.search import open_search_index
from ldn_browser.ui.item_models import EntityFilterProxyModel, EntityTableModel
from ldn_browser.ui.search_panel import SearchResultsModel


@pytest.mark.parametrize("kind", list(Kind))
def test_entity_table_model_passes_model_tester(qtmodeltester: ModelTester, mini_kb: KnowledgeBase, kind: Kind) -> None:
    model = EntityTableModel(kind=kind)
    model.set_kb(mini_kb)
    qtmodeltester.check(model, force_py=True)
    proxy = EntityFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_entity_table_model_makes_indexes_only_for_its_cells(qapp: object, mini_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(mini_kb)
    rows, columns = model.rowCount(), model.columnCount()
    assert rows > 1 and columns > 1
    cell = model.index(rows - 1, columns - 1)
    assert cell.isValid() and (cell.row(), cell.column(), cell.model()) == (rows - 1, columns - 1, model)
    for row, column in ((rows, 0), (0, columns), (-1, 0), (0, -1)):
        assert not model.index(row, column).isValid(), (row, column)
    assert not model.index(0, 0, model.index(0, 0)).isValid()  # a flat table: nothing under a cell
    assert model.sibling(0, 1, model.index(0, 0)) == model.index(0, 1)


def test_entity_table_model_roles(qapp: object, mini_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(mini_kb)
    row = model.row_of("condition:crohns-disease")
    title, grade = model.index(row, 0), model.index(row, 1)
    assert title.data() == "Crohn's disease"
    assert title.data(EntityTableModel.EntityIdRole) == "condition:crohns-disease"
    assert "IBD" in title.data(Qt.ItemDataRole.ToolTipRole)
    assert grade.data() == "Low ⊕⊕◯◯"
    assert grade.data(EntityTableModel.GradeRole) == "low"
    assert grade.data(Qt.ItemDataRole.AccessibleTextRole) == "Certainty: low, 2 of 4"
    assert grade.data(EntityTableModel.SortRole) == Grade.LOW.rank
    assert model.index(row, 2).data() == "↑ Benefit"
    assert title.data(EntityTableModel.GradeRole) is None


def test_matrix_counts_randomised_trials(qapp: object, mini_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION, columns=MATRIX_COLUMNS)
    model.set_kb(mini_kb)
    row = model.row_of("condition:crohns-disease")
    assert model.index(row, 3).data() == "1"  # one RCT; the open-label study does not count
    assert model.index(row, 4).data() == "30 Jun 2025"


def test_proxy_filters_by_words_and_grades(qapp: object, mini_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(mini_kb)
    proxy = EntityFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.set_filter_text("CROHN disease")
    assert proxy.rowCount() == 1
    proxy.set_filter_text("")
    proxy.set_grades([Grade.MODERATE, Grade.HIGH])
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Fibromyalgia"]
    proxy.set_grades(None)
    assert proxy.rowCount() == 2 and not proxy.is_filtering


def test_proxy_sorts_grade_column_by_rank(qapp: object, mini_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(mini_kb)
    proxy = EntityFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 1).data() for r in range(2)] == ["Moderate ⊕⊕⊕◯", "Low ⊕⊕◯◯"]


def test_search_results_model_groups_hits(qtmodeltester: ModelTester, mini_kb: KnowledgeBase) -> None:
    index = open_search_index(mini_kb, None)
    model = SearchResultsModel()
    model.set_hits(index.search("crohn").hits)
    qtmodeltester.check(model, force_py=True)
    first = model.index(0)
    assert first.data(SearchResultsModel.IsHeaderRole) is True
    assert first.flags() == Qt.ItemFlag.NoItemFlags
    assert model.index(model.first_hit_row()).data(SearchResultsModel.EntityIdRole) == "condition:crohns-disease"
    assert model.top_hit_id() == "condition:crohns-disease"
    accessible = model.index(model.first_hit_row()).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Certainty: low, 2 of 4" in accessible
    index.close()


# -- sorting in the source model (review D15: large KBs) -------------------------------------------


@pytest.fixture(scope="module")
def many_claims(bundled_kb: KnowledgeBase) -> KnowledgeBase:
    """The bundled KB with every claim 40 times (about 1,800 rows), titles numbered."""
    data = bundled_kb.model_dump(mode="json")
    data["claims"] = [
        {**claim, "id": f"{claim['id']}-{i}" if i else claim["id"], "title": f"{claim['title']} {i}"}
        for claim in data["claims"]
        for i in range(40)
    ]
    return KnowledgeBase.model_validate(data)


class _CountingModel(EntityTableModel):
    calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        return super().data(index, role)


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_many_rows_takes_one_key_per_row_not_two_data_calls_per_comparison(
    qapp: object, many_claims: KnowledgeBase, order: Qt.SortOrder
) -> None:
    model = _CountingModel(kind=Kind.CLAIM)
    model.set_kb(many_claims)
    proxy = EntityFilterProxyModel()
    proxy.setSourceModel(model)
    rows = proxy.rowCount()
    _CountingModel.calls = 0
    proxy.sort(0, order)
    keys = [proxy.index(r, 0).data(EntityTableModel.SortRole) for r in range(rows)]
    assert _CountingModel.calls <= 2 * rows  # reading the keys back; a proxy sort asked ~20 per row
    assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder) and len(keys) > 1500


def test_ties_keep_the_kb_order_whatever_was_sorted_before(qapp: object, bundled_kb: KnowledgeBase) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(bundled_kb)
    kb_order = [c.id for c in bundled_kb.conditions]
    model.sort(0, Qt.SortOrder.DescendingOrder)  # some other order first
    model.sort(1, Qt.SortOrder.AscendingOrder)  # by certainty: many ties
    ids = [model.index(r, 0).data(EntityTableModel.EntityIdRole) for r in range(model.rowCount())]
    by_rank = [model.index(r, 1).data(EntityTableModel.SortRole) for r in range(model.rowCount())]
    assert by_rank == sorted(by_rank)
    for rank in set(by_rank):  # within one certainty, the KB's order (as Qt's stable proxy sort kept it)
        same = [i for i, k in zip(ids, by_rank, strict=True) if k == rank]
        assert same == [i for i in kb_order if i in same]


def test_sorting_keeps_the_selection_on_its_entries(qtmodeltester: ModelTester, bundled_kb: KnowledgeBase) -> None:
    from PySide6.QtCore import QItemSelectionModel

    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(bundled_kb)
    proxy = EntityFilterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)  # and it watches the layout changes below
    selection = QItemSelectionModel(proxy)
    chosen = ["condition:fibromyalgia", "condition:crohns-disease"]
    for entry_id in chosen:
        row = proxy.mapFromSource(model.index(model.row_of(entry_id), 0))
        selection.select(row, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    selection.setCurrentIndex(proxy.mapFromSource(model.index(model.row_of(chosen[0]), 0)),
                              QItemSelectionModel.SelectionFlag.NoUpdate)  # fmt: skip
    for column, order in (
        (0, Qt.SortOrder.DescendingOrder),
        (1, Qt.SortOrder.AscendingOrder),
        (0, Qt.SortOrder.AscendingOrder),
    ):
        proxy.sort(column, order)
        selected = sorted(i.data(EntityTableModel.EntityIdRole) for i in selection.selectedRows(0))
        assert selected == sorted(chosen)
        assert selection.currentIndex().data(EntityTableModel.EntityIdRole) == chosen[0]


def test_a_new_kb_is_shown_in_the_order_last_chosen(
    qapp: object, mini_kb: KnowledgeBase, bundled_kb: KnowledgeBase
) -> None:
    model = EntityTableModel(kind=Kind.CONDITION)
    model.set_kb(mini_kb)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_kb(bundled_kb)
    keys = [model.index(r, 0).data(EntityTableModel.SortRole) for r in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True) and len(keys) == len(bundled_kb.conditions)


def test_a_long_list_measures_its_columns_over_a_bounded_number_of_rows(
    qapp: object, many_claims: KnowledgeBase
) -> None:
    from ldn_browser.ui.entity_tab import EntityTab
    from ldn_browser.ui.layout import MEASURED_ROWS

    asked: set[int] = set()

    class Watching(EntityTableModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            if role == Qt.ItemDataRole.DisplayRole:
                asked.add(index.row())
            return super().data(index, role)

    tab = EntityTab(kind=Kind.CLAIM, kb=many_claims)
    tab.model = Watching(kind=Kind.CLAIM, parent=tab)  # the same tab, its model watched
    tab.proxy.setSourceModel(tab.model)
    tab.model.set_kb(many_claims)
    tab.resize(1280, 720)
    tab.show()
    tab.view.header().resizeSections(tab.view.header().ResizeMode.ResizeToContents)
    qapp.processEvents()  # type: ignore[attr-defined]
    assert tab.model.rowCount() > 1500
    assert len(asked) <= MEASURED_ROWS + 100, len(asked)  # Qt's default measured 1,000 rows and more
    tab.close()


def test_the_overview_matrix_is_measured_and_painted_with_few_calls_into_python(
    qapp: object, bundled_kb: KnowledgeBase
) -> None:
    """Each index Qt made through a filter proxy, or through Qt's own ``index()``, was 2 calls into Python
    (~28,000 at start-up, ~35 ms before search was ready); the matrix has no filter and the model makes its
    indexes in one call."""
    from ldn_browser.ui import overview_tab as overview_module

    calls = {"index": 0, "rowCount": 0, "columnCount": 0}

    class Counting(EntityTableModel):
        def index(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls["index"] += 1
            return super().index(*args, **kwargs)

        def rowCount(self, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N802
            calls["rowCount"] += 1
            return super().rowCount(*args, **kwargs)

        def columnCount(self, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N802
            calls["columnCount"] += 1
            return super().columnCount(*args, **kwargs)

    real = overview_module.EntityTableModel
    overview_module.EntityTableModel = Counting  # type: ignore[misc]
    try:
        tab = overview_module.OverviewTab(kb=bundled_kb)
    finally:
        overview_module.EntityTableModel = real  # type: ignore[misc]
    tab.resize(1280, 720)
    tab.show()
    tab.fit_columns()
    tab.repaint()
    qapp.processEvents()  # type: ignore[attr-defined]
    cells = tab.matrix_model.rowCount() * tab.matrix_model.columnCount()
    assert tab.matrix_view.model() is tab.matrix_model
    # ~5.6 calls per cell; ~16.5 with Qt's index() (rowCount and columnCount for each); far more through a proxy
    assert sum(calls.values()) <= 8 * cells, (calls, cells)
    tab.close()


@pytest.mark.parametrize("dark", [False, True])
def test_the_selected_hit_keeps_its_matched_words_and_captions_readable(
    qapp: object, mini_kb: KnowledgeBase, dark: bool
) -> None:
    """Tester: white text on the pale-yellow match mark (light), grey captions on blue (dark), on the selected row."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QListView, QStyle, QStyleOptionViewItem

    from ldn_browser.ui.search_panel import SearchHitDelegate
    from ldn_browser.ui.theme import dark_palette

    index = open_search_index(mini_kb, None)
    model = SearchResultsModel()
    model.set_hits(index.search("crohn").hits)
    view = QListView()
    view.setModel(model)
    delegate = SearchHitDelegate(view)
    option = QStyleOptionViewItem()
    option.palette = dark_palette() if dark else QPalette()
    row = model.index(model.first_hit_row())
    plain = delegate._document(option, row)
    assert "background-color" in plain.defaultStyleSheet()
    option.state |= QStyle.StateFlag.State_Selected
    chosen = delegate._document(option, row, selected=True)
    assert "background-color" not in chosen.defaultStyleSheet() and "underline" in chosen.defaultStyleSheet()
    highlighted = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText).name()
    assert f"color:{highlighted}" in chosen.toHtml().replace(" ", "") or highlighted in chosen.toHtml()
    index.close()
