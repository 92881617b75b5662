"""Thin Qt item models over the immutable KB tuples, plus the filter/sort proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ldn_browser.core.detail import certainty_of, direction_of, verdict_text
from ldn_browser.core.entities import (
    AnyEntry,
    Claim,
    Condition,
    Contraindication,
    Direction,
    Grade,
    Kind,
    KnowledgeBase,
    Mechanism,
    Source,
)
from ldn_browser.core.pages import format_date
from ldn_browser.ui.evidence_badge import GradeRole, grade_from_data

ModelIndex = QModelIndex | QPersistentModelIndex

_DIRECTION_ORDER = {Direction.BENEFIT: 0, Direction.MIXED: 1, Direction.UNCLEAR: 2, Direction.NO_BENEFIT: 3}


@dataclass(frozen=True)
class Column:
    """One column of an entry table: header, text, sort key, and whether it shows a grade badge."""

    header: str
    text: Callable[[KnowledgeBase, AnyEntry], str]
    sort_key: Callable[[KnowledgeBase, AnyEntry], str | int]
    shows_grade: bool = False


def _title(_kb: KnowledgeBase, e: AnyEntry) -> str:
    return e.title


def _title_key(_kb: KnowledgeBase, e: AnyEntry) -> str:
    return e.title.casefold()


def _grade_text(_kb: KnowledgeBase, e: AnyEntry) -> str:
    c = certainty_of(e)
    return c.grade.badge_text if c else ""


def _grade_key(_kb: KnowledgeBase, e: AnyEntry) -> int:
    c = certainty_of(e)
    return c.grade.rank if c else 0


def _direction_text(_kb: KnowledgeBase, e: AnyEntry) -> str:
    d = direction_of(e)
    return f"{d.symbol} {d.label}" if d else ""


def _direction_key(_kb: KnowledgeBase, e: AnyEntry) -> int:
    d = direction_of(e)
    return _DIRECTION_ORDER[d] if d else 9


GRADE_COLUMN = Column("Certainty", _grade_text, _grade_key, shows_grade=True)
DIRECTION_COLUMN = Column("Direction", _direction_text, _direction_key)
TITLE_COLUMN = Column("Title", _title, _title_key)


def _attr_column(header: str, text: Callable[[AnyEntry], str], key: Callable[[AnyEntry], str | int]) -> Column:
    return Column(header, lambda _kb, e: text(e), lambda _kb, e: key(e))


def _as(cls: type, e: AnyEntry) -> AnyEntry:
    assert isinstance(e, cls)
    return e


KIND_COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.CONDITION: (Column("Condition", _title, _title_key), GRADE_COLUMN, DIRECTION_COLUMN),
    Kind.MECHANISM: (
        Column("Mechanism", _title, _title_key),
        _attr_column(
            "Evidence type",
            lambda e: _as(Mechanism, e).evidence_type.label,  # type: ignore[union-attr]
            lambda e: _as(Mechanism, e).evidence_type.label,  # type: ignore[union-attr]
        ),
    ),
    Kind.CONTRAINDICATION: (
        Column("Contraindication", _title, _title_key),
        GRADE_COLUMN,
        _attr_column(
            "Severity",
            lambda e: _as(Contraindication, e).severity.label,  # type: ignore[union-attr]
            lambda e: ["contraindicated", "avoid", "caution"].index(_as(Contraindication, e).severity.value),  # type: ignore[union-attr]
        ),
    ),
    Kind.SIDE_EFFECT: (Column("Side effect", _title, _title_key), GRADE_COLUMN),
    Kind.DOSING: (Column("Topic", _title, _title_key), GRADE_COLUMN),
    Kind.SOURCE: (
        _attr_column(
            "Citation",
            lambda e: _as(Source, e).short_citation,  # type: ignore[union-attr]
            lambda e: _as(Source, e).short_citation.casefold(),  # type: ignore[union-attr]
        ),
        _attr_column(
            "Design",
            lambda e: _as(Source, e).design.label,  # type: ignore[union-attr]
            lambda e: _as(Source, e).design.label,  # type: ignore[union-attr]
        ),
        _attr_column(
            "n",
            lambda e: str(_as(Source, e).n or ""),  # type: ignore[union-attr]
            lambda e: _as(Source, e).n or 0,  # type: ignore[union-attr]
        ),
    ),
    Kind.CLAIM: (
        Column("Claim", _title, _title_key),
        _attr_column(
            "Verdict",
            lambda e: verdict_text(_as(Claim, e).verdict),  # type: ignore[union-attr]
            lambda e: _as(Claim, e).verdict.label,  # type: ignore[union-attr]
        ),
    ),
}

MATRIX_COLUMNS: tuple[Column, ...] = (
    Column("Condition", _title, _title_key),
    GRADE_COLUMN,
    DIRECTION_COLUMN,
    Column(
        "Randomised trials",
        lambda kb, e: str(kb.randomised_trial_count(e)),  # type: ignore[arg-type]
        lambda kb, e: kb.randomised_trial_count(e),  # type: ignore[arg-type]
    ),
    _attr_column(
        "Last reviewed",
        lambda e: format_date(_as(Condition, e).last_reviewed),  # type: ignore[union-attr]
        lambda e: _as(Condition, e).last_reviewed.isoformat(),  # type: ignore[union-attr]
    ),
)


def kind_has_grades(kind: Kind) -> bool:
    """True for the kinds whose entries carry a GRADE certainty."""
    return kind in (Kind.CONDITION, Kind.CONTRAINDICATION, Kind.SIDE_EFFECT, Kind.DOSING)


class EntityTableModel(QAbstractTableModel):
    """Adapter over one kind's entries: one row per entry, columns from a :class:`Column` spec."""

    EntityIdRole = Qt.ItemDataRole.UserRole + 1
    GradeRole = GradeRole
    SortRole = Qt.ItemDataRole.UserRole + 3
    FilterTextRole = Qt.ItemDataRole.UserRole + 4

    def __init__(
        self, *, kind: Kind, columns: Sequence[Column] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self._columns = tuple(columns) if columns is not None else KIND_COLUMNS[kind]
        self._kb: KnowledgeBase | None = None
        self._rows: tuple[AnyEntry, ...] = ()
        self._filter_text: tuple[str, ...] = ()

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
        self._rows = kb.entries(self._kind)
        self._filter_text = tuple(_filter_text(e) for e in self._rows)
        self.endResetModel()

    def entry_id(self, row: int) -> str:
        """The id of the entry in *row*."""
        return self._rows[row].id

    def row_of(self, entry_id: str) -> int:
        """Row of an entry id, or -1."""
        for i, e in enumerate(self._rows):
            if e.id == entry_id:
                return i
        return -1

    # -- QAbstractItemModel --------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of entries (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column headers."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._columns):
                return self._columns[section].header
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell data for the display, tooltip, accessibility, grade, id, sort and filter roles."""
        if not index.isValid() or self._kb is None or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(self._kb, entry)
        if role == self.EntityIdRole:
            return entry.id
        if role == self.SortRole:
            return column.sort_key(self._kb, entry)
        if role == self.FilterTextRole:
            return self._filter_text[index.row()]
        grade = _grade(entry)
        if role == GradeRole:
            return grade.value if column.shows_grade and grade is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.shows_grade and grade is not None:
                return f"{grade.accessible_name}. Open the entry and click its badge to see why."
            if index.column() == 0:
                tip = entry.title
                if entry.aliases:
                    tip += "\nAlso: " + ", ".join(entry.aliases)
                return tip
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column.shows_grade and grade is not None:
                return grade.accessible_name
            return column.text(self._kb, entry)
        return None


def _grade(entry: AnyEntry) -> Grade | None:
    c = certainty_of(entry)
    return c.grade if c else None


def _filter_text(entry: AnyEntry) -> str:
    parts: list[str] = [entry.title, *entry.aliases, entry.id]
    if isinstance(entry, Source):
        parts += [entry.short_citation, *entry.authors, entry.pmid or "", entry.doi or ""]
    return " ".join(parts).casefold()


class EntityFilterProxyModel(QSortFilterProxyModel):
    """Filters by words (title, aliases, authors) and by grade; sorts by each column's sort key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._grades: frozenset[Grade] | None = None
        self.setSortRole(EntityTableModel.SortRole)
        self.setDynamicSortFilter(True)

    def set_filter_text(self, text: str) -> None:
        """Keep rows containing every word of *text* (case-insensitive)."""
        words = tuple(text.casefold().split())
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
        model = self.sourceModel()
        if model is None:
            return False
        idx = model.index(source_row, 0, source_parent)
        if self._words:
            haystack = str(model.data(idx, EntityTableModel.FilterTextRole) or "")
            if not all(w in haystack for w in self._words):
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
