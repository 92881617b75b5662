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
