"""Thin Qt item models over the immutable KB tuples, plus the filter/sort proxy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ldn_browser.core.entities import Entry, Grade, KnowledgeBase, Rating, Source
from ldn_browser.core.kinds import Column, spec
from ldn_browser.core.text_policy import clean_text, tooltip_html
from ldn_browser.core.vocab import Kind
from ldn_browser.ui.evidence_badge import GradeRole, grade_from_data

ModelIndex = QModelIndex | QPersistentModelIndex


class EntityTableModel(QAbstractTableModel):
    """Adapter over one kind's entries: one row per entry, columns from a :class:`Column` spec."""

    EntityIdRole = Qt.ItemDataRole.UserRole + 1
    GradeRole = GradeRole
    SortRole = Qt.ItemDataRole.UserRole + 3
    FilterTextRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, *, kind: Kind, columns: Sequence[Column] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self._columns = tuple(columns) if columns is not None else spec(kind).columns
        self._kb: KnowledgeBase | None = None
        self._entries: tuple[Entry, ...] = ()  # in KB order: every sort starts from it, as a proxy's would
        self._rows: tuple[Entry, ...] = ()  # in the order shown
        self._filter_text: dict[str, str] = {}  # entry id -> what the word filter searches, made on first use
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        # (entry id, column) -> display text: sizing and painting columns ask for each many times
        self._texts: dict[tuple[str, int], str] = {}

    @property
    def kind(self) -> Kind:
        """The kind of entry shown."""
        return self._kind

    @property
    def columns(self) -> tuple[Column, ...]:
        """The column spec."""
        return self._columns

    def set_kb(self, kb: KnowledgeBase) -> None:
        """Show the entries of this model's kind from *kb*."""
        self.beginResetModel()
        self._kb = kb
        self._entries = self._rows = kb.entries(self._kind)
        if self._sorted_by is not None:
            self._rows = self._ordered(*self._sorted_by)
        self._filter_text = {}  # made on the first filter: not on the way to the pages
        self._texts.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by *column*'s sort key: one key per entry and one Python sort, stable, starting
        from the KB order (a QSortFilterProxyModel would call :meth:`data` twice per comparison: for
        10,000 entries half a million calls, over a second on the GUI thread). Selections follow their rows."""
        if not 0 <= column < len(self._columns):
            return
        self._sorted_by = (column, order)
        if self._kb is None:
            return
        rows = self._ordered(column, order)
        if all(a is b for a, b in zip(rows, self._rows, strict=True)):
            return
        self.layoutAboutToBeChanged.emit()
        old, new_row = self._rows, {id(e): r for r, e in enumerate(rows)}
        persistent = self.persistentIndexList()
        self._rows = rows
        moved = [self.index(new_row[id(old[i.row()])], i.column()) for i in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _ordered(self, column: int, order: Qt.SortOrder) -> tuple[Entry, ...]:
        assert self._kb is not None
        kb, key = self._kb, self._columns[column].sort_key
        keys = [key(kb, e) for e in self._entries]
        positions = sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return tuple(self._entries[i] for i in positions)

    def row_of(self, entry_id: str) -> int:
        """Row of an entry id, or -1."""
        for i, e in enumerate(self._rows):
            if e.id == entry_id:
                return i
        return -1

    # -- QAbstractItemModel --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """The cell's index, or an invalid one: what ``QAbstractTableModel.index`` does, in one Python call.

        Qt's own asks :meth:`rowCount` and :meth:`columnCount` (two calls into Python) for every index it
        makes, and the proxy and the views make one for nearly every cell they touch: measuring the
        Overview's matrix at start-up made ~14,000 of each (~35 ms before search was ready)."""
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return QModelIndex()
        return self.createIndex(row, column)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of entries (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column headers, and their tooltips (a short header's full description)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.description or column.header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell data for the display, tooltip, accessibility, grade, id, sort and filter roles."""
        if role not in _ROLES or not index.isValid() or self._kb is None or not 0 <= index.row() < len(self._rows):
            return None  # Qt asks every cell for a dozen roles (fonts, colours, sizes…) when it sizes columns
        entry = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            cell = (entry.id, index.column())
            text = self._texts.get(cell)
            if text is None:
                text = self._texts[cell] = clean_text(column.text(self._kb, entry))
            return text
        if role == self.EntityIdRole:
            return entry.id
        if role == self.SortRole:
            return column.sort_key(self._kb, entry)
        if role == self.FilterTextRole:
            text = self._filter_text.get(entry.id)
            if text is None:
                text = self._filter_text[entry.id] = _filter_text(entry)
            return text
        grade = _grade(entry)
        if role == GradeRole:
            return grade.value if column.shows_grade and grade is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.shows_grade and grade is not None:
                return tooltip_html(f"{grade.accessible_name}. Open the entry and click its badge to see why.")
            if index.column() == 0:
                tip = entry.title
                if entry.aliases:
                    tip += "\nAlso: " + ", ".join(entry.aliases)
                return tooltip_html(tip)  # escaped: a title is never markup (D5)
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column.shows_grade and grade is not None:
                return grade.accessible_name
            return clean_text(column.text(self._kb, entry))
        return None


_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        EntityTableModel.EntityIdRole,
        EntityTableModel.SortRole,
        EntityTableModel.FilterTextRole,
        GradeRole,
    )
)
"""The roles :meth:`EntityTableModel.data` answers; every other role is None without looking at the entry."""


def _grade(entry: Entry) -> Rating | None:
    c = entry.certainty_info
    return c.rating if c else None


def _filter_text(entry: Entry) -> str:
    """What a tab's filter box searches: the names, the drugs and products an interaction covers ("Percocet",
    "Prograf", as the main search finds them), a source's citation."""
    parts: list[str] = [entry.title, *entry.aliases, entry.id]
    parts += [name for name, _note in spec(entry.KIND).search_fields(entry).names]
    if isinstance(entry, Source):
        parts += [entry.short_citation, *entry.authors, entry.pmid or "", entry.doi or ""]
    return " ".join(parts).casefold()


SHORT_FILTER_WORD = 3
"""Filter words this short match at the start of a word only; longer ones anywhere ("myalgia": fibromyalgia)."""


class EntityFilterProxyModel(QSortFilterProxyModel):
    """Filters by words (title, aliases, authors) and by grade; sorting is the source model's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str | re.Pattern[str], ...] = ()
        self._grades: frozenset[Grade] | None = None
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model (:meth:`EntityTableModel.sort`, one key per row); this proxy keeps its order."""
        source = self.sourceModel()
        if isinstance(source, EntityTableModel):
            source.sort(column, order)
        else:  # pragma: no cover - every proxy here sits on an EntityTableModel
            super().sort(column, order)

    def set_filter_text(self, text: str) -> None:
        """Keep rows containing every word of *text* (case-insensitive); a word of up to three letters must start
        a word there ("RA" is rheumatoid arthritis's alias, not the "ra" of Darier or migraine)."""
        words = tuple(
            re.compile(r"(?<![^\W_])" + re.escape(w)) if len(w) <= SHORT_FILTER_WORD else w
            for w in text.casefold().split()
        )
        self._refilter(lambda: setattr(self, "_words", words))

    def set_grades(self, grades: Iterable[Grade] | None) -> None:
        """Keep rows with one of *grades* (None: any grade, ungraded rows included)."""
        chosen = frozenset(grades) if grades is not None else None
        self._refilter(lambda: setattr(self, "_grades", chosen))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    @property
    def is_filtering(self) -> bool:
        """True when a text or grade filter is active."""
        return bool(self._words) or self._grades is not None

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802
        """Accept rows matching every word and the grade set."""
        if not self._words and self._grades is None:
            return True  # asked once per row whenever the mapping is made: 10,000 times for a large KB
        model = self.sourceModel()
        if model is None:
            return False
        idx = model.index(source_row, 0, source_parent)
        if self._words:
            haystack = str(model.data(idx, EntityTableModel.FilterTextRole) or "")
            if not all(w in haystack if isinstance(w, str) else w.search(haystack) for w in self._words):
                return False
        if self._grades is not None:
            grade = None
            for col in range(model.columnCount(source_parent)):
                grade = grade_from_data(model.data(model.index(source_row, col, source_parent), GradeRole))
                if grade is not None:
                    break
            if grade not in self._grades:
                return False
        return True
