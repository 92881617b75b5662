"""Master/detail tabs: one per entry kind, plus the Overview tab with the evidence matrix."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ldn_browser.core.detail import render_target
from ldn_browser.core.entities import Grade, Kind, KnowledgeBase
from ldn_browser.core.kinds import spec
from ldn_browser.core.pages import WHY_PREFIX, target_entity_id
from ldn_browser.ui.detail_view import DetailBrowser
from ldn_browser.ui.evidence_badge import GradeBadge, GradeBadgeDelegate
from ldn_browser.ui.item_models import EntityFilterProxyModel, EntityTableModel
from ldn_browser.ui.layout import MEASURED_ROWS, fit_list_pane, side_by_side
from ldn_browser.ui.theme import palette_is_dark
from ldn_browser.ui.wrapped_text import WrappedTextDelegate

GRADE_FILTERS: tuple[tuple[str, tuple[Grade, ...] | None], ...] = (
    ("All grades", None),
    ("High", (Grade.HIGH,)),
    ("Moderate", (Grade.MODERATE,)),
    ("Low", (Grade.LOW,)),
    ("Very low", (Grade.VERY_LOW,)),
    ("Moderate or high", (Grade.MODERATE, Grade.HIGH)),
    ("Low or very low", (Grade.LOW, Grade.VERY_LOW)),
)
"""Choices of the grade filter: label and the grades kept (None keeps all)."""


class EntityTab(QWidget):
    """Filterable, sortable list of one kind of entry, with a detail pane.

    Signals:
        entity_selected: Emitted with the entry id when the user makes another row current.
        link_activated: Emitted with the target of an internal link or a badge click
            (``condition:…``, ``why:condition:…``).
        external_link_activated: Emitted with the URL of a clicked PubMed/DOI link.
        selection_changed: Emitted when the set of selected rows changes.
        rendered: Emitted after the detail page was replaced or re-made for another width.

    The list and the detail pane are made when the tab is first shown or used (:attr:`built`): a window
    opens on one page, and making every tab's widgets was a third of the time to the first pages.
    """

    entity_selected = Signal(str)
    link_activated = Signal(str)
    external_link_activated = Signal(QUrl)
    selection_changed = Signal()
    rendered = Signal()

    _CONTENTS = frozenset(
        {
            "model",
            "proxy",
            "filter_edit",
            "grade_combo",
            "view",
            "_badge_delegate",
            "count_label",
            "badge",
            "why_label",
            "direction_label",
            "detail",
            "splitter",
        }
    )
    """The widgets and models :meth:`_build` makes: built when the tab is first shown or one of them is used."""

    def __init__(self, *, kind: Kind, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._kb = kb
        self._built = False
        self._target: str | None = None
        self._programmatic = False
        self._fitted_for: tuple[int, float] = (0, 0.0)
        self._scrolled: dict[str, int] = {}  # where each page was scrolled to when left (Back/Forward)
        self.setObjectName(f"{kind.value}Tab")

    def __getattr__(self, name: str) -> object:
        """Build the tab's contents the first time one of them is asked for (see :attr:`_CONTENTS`)."""
        if name in EntityTab._CONTENTS and not self.__dict__.get("_built", True):
            self._build()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def built(self) -> bool:
        """True once the list and the detail pane exist (they are made when first needed, not at start-up)."""
        return self._built

    def _build(self) -> None:
        """Make the list, its filters and the detail pane (the tabs not shown at start-up wait until needed)."""
        self._built = True
        kind = self.kind

        self.model = EntityTableModel(kind=kind, parent=self)
        self.proxy = EntityFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName(f"{kind.value}Filter")
        self.filter_edit.setPlaceholderText(f"Filter {kind.plural.lower()}…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(f"Filter {kind.plural.lower()}")
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.filter_edit.installEventFilter(self)  # Down or Enter moves into the list (see eventFilter)

        self.grade_combo: QComboBox | None = None
        if spec(kind).graded:
            self.grade_combo = QComboBox(self)
            self.grade_combo.setObjectName(f"{kind.value}GradeFilter")
            self.grade_combo.setAccessibleName("Filter by certainty of evidence")
            self.grade_combo.setToolTip("Show only entries with this certainty of evidence")
            for label, grades in GRADE_FILTERS:
                text = label if grades is None or len(grades) > 1 else grades[0].badge_text
                self.grade_combo.addItem(text, grades)
            self.grade_combo.currentIndexChanged.connect(self._on_grade_combo_current_index_changed)

        self.view = QTreeView(self)
        self.view.setObjectName(f"{kind.value}List")
        self.view.setAccessibleName(f"{kind.plural} list")
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if kind is Kind.CONDITION
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._badge_delegate = GradeBadgeDelegate(self.view)
        self._title_delegate = WrappedTextDelegate(self.view)  # "Opioid analgesics, inclu…" at 1280×720
        self.view.setItemDelegateForColumn(0, self._title_delegate)
        for col, column in enumerate(self.model.columns):
            if column.shows_grade:
                self.view.setItemDelegateForColumn(col, self._badge_delegate)
        header = self.view.header()
        header.setResizeContentsPrecision(MEASURED_ROWS)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(self.model.columns)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._relayout = QTimer(self, singleShot=True, interval=0)  # rows as tall as their wrapped titles, once
        self._relayout.timeout.connect(self.view.doItemsLayout)  # per resize however many sections moved
        header.sectionResized.connect(lambda *_: self._relayout.start())
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.clicked.connect(self._on_view_clicked)

        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{kind.value}Count")

        self.badge = GradeBadge(self)
        self.badge.why_requested.connect(self._on_badge_why_requested)
        self.why_label = QLabel("<a href='why'>Why this grade?</a>", self)
        self.why_label.setObjectName("whyLabel")
        self.why_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.why_label.linkActivated.connect(self._on_badge_why_requested)
        self.direction_label = QLabel(self)
        self.direction_label.setObjectName("directionLabel")
        self.detail = DetailBrowser(self)
        self.detail.setObjectName(f"{kind.value}Detail")
        self.detail.setAccessibleName(f"{kind.label} details")
        self.detail.internal_link_activated.connect(self.link_activated)
        self.detail.external_link_activated.connect(self.external_link_activated)
        self.detail.rendered.connect(self.rendered)

        # layout
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.addWidget(self.filter_edit, 1)
        if self.grade_combo is not None:
            filter_row.addWidget(self.grade_combo)
        master = QWidget(self)
        master_layout = QVBoxLayout(master)
        master_layout.setContentsMargins(0, 0, 0, 0)
        master_layout.addLayout(filter_row)
        master_layout.addWidget(self.view, 1)
        master_layout.addWidget(self.count_label)

        header_row = QHBoxLayout()
        header_row.setContentsMargins(0, 0, 0, 0)
        header_row.setSpacing(12)
        header_row.addWidget(self.badge)
        header_row.addWidget(self.why_label)
        header_row.addWidget(self.direction_label)
        header_row.addStretch(1)
        detail_box = QWidget(self)
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(header_row)
        detail_layout.addWidget(self.detail, 1)

        self.splitter = side_by_side(self, master, detail_box, name=f"{kind.value}Splitter", stretch=(2, 3), margin=6)

        QWidget.setTabOrder(self.filter_edit, self.grade_combo or self.view)
        if self.grade_combo is not None:
            QWidget.setTabOrder(self.grade_combo, self.view)
        QWidget.setTabOrder(self.view, self.badge)
        QWidget.setTabOrder(self.badge, self.detail)

        self.set_kb(self._kb)

    # -- public API ----------------------------------------------------------------------------

    @property
    def current_target(self) -> str | None:
        """The page shown in the detail pane (an entry id or ``why:<id>``), or None."""
        return self._target

    @property
    def list_view(self) -> QTreeView:
        """The list of entries (Escape in the search field moves here)."""
        return self.view

    @property
    def panes(self) -> list[QWidget]:
        """The panes F6 cycles through, in order."""
        return [self.view, self.detail]

    @property
    def current_entity_id(self) -> str | None:
        """The entry the detail pane is about, or None."""
        return target_entity_id(self._target) if self._target else None

    def set_kb(self, kb: KnowledgeBase) -> None:
        """Show another knowledge base; the detail pane is cleared."""
        self._kb = kb
        self._target = None
        if not self._built:
            return
        self.model.set_kb(kb)
        self._show_placeholder()
        self._update_count()

    def selected_ids(self) -> list[str]:
        """Ids of the selected rows, in view order."""
        rows = sorted(self.view.selectionModel().selectedRows(0), key=lambda i: i.row())
        return [str(i.data(EntityTableModel.EntityIdRole)) for i in rows]

    def show_target(self, target: str, *, restore_scroll: bool = False) -> bool:
        """Select the entry of *target* and show that page; False if the entry is unknown.

        A filter that hides the entry is cleared so the selection stays visible. With *restore_scroll*
        the page is scrolled to where it was when it was left.
        """
        entity_id = target_entity_id(target)
        if self.model.row_of(entity_id) < 0:
            return False
        if not (proxy_index := self._list_index(entity_id)).isValid():
            self.clear_filters()
            proxy_index = self._list_index(entity_id)
        self._programmatic = True
        try:
            self._select_row(proxy_index)
            self.view.scrollTo(proxy_index)
        finally:
            self._programmatic = False
        self._render(target)
        if restore_scroll and target in self._scrolled:
            self.detail.scroll_to(self._scrolled[target])
        return True

    def clear_filters(self) -> None:
        """Reset the text and grade filters."""
        self.filter_edit.clear()
        if self.grade_combo is not None:
            self.grade_combo.setCurrentIndex(0)

    def refresh(self) -> None:
        """Re-render the page (e.g. after a palette change); a tab not built yet is made with the new palette."""
        if not self._built:
            return
        if self._target is not None:
            self._render(self._target)
        self.view.viewport().update()

    def fit_columns(self, *, force: bool = True) -> None:
        """Give the list the width its columns need at this zoom (35–50 % of the tab); once per width and zoom
        unless *force*, so a splitter the user dragged stays where it is."""
        if not self._built:
            return  # fitted when first shown
        key = (self.splitter.width(), self.view.font().pointSizeF())
        if force or key != self._fitted_for:
            self._fitted_for = fit_list_pane(
                self.splitter, self.view, index=0, columns=len(self.model.columns), share=(0.35, 0.5)
            )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Build the tab the first time it is shown; fit the list pane the first time at this width and zoom."""
        if not self._built:
            self._build()
            # Made while the tab is being shown: show them now and lay them out before the first paint
            # (Qt would show them from a queued call, and the list pane would be fitted to a stale width).
            for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                if not child.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                    child.show()
            layout = self.layout()
            if layout is not None:
                layout.activate()
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: self.fit_columns(force=False))

    # -- internals -----------------------------------------------------------------------------

    def _render(self, target: str) -> None:
        if self._target is not None:
            self._scrolled[self._target] = self.detail.verticalScrollBar().value()
        self._target = target
        entry = self._kb.get(target_entity_id(target))
        is_why = target.startswith(WHY_PREFIX)
        certainty = entry.certainty_info if entry is not None else None
        self.badge.set_grade(certainty.rating if certainty is not None and not is_why else None)
        self.why_label.setVisible(self.badge.grade is not None)
        graded = certainty is not None and certainty.grade is not None
        self.why_label.clear()  # setText of the same text keeps the old palette's link colour
        self.why_label.setText(f"<a href='why'>{'Why this grade?' if graded else 'What this rests on'}</a>")
        direction = entry.direction if entry is not None and not is_why else None
        self.direction_label.setText(f"Direction of effect: {direction.symbol} {direction.label}" if direction else "")
        self.direction_label.setVisible(direction is not None)
        kb, dark = self._kb, palette_is_dark(self.palette())
        self.detail.show_page(
            lambda width: render_target(kb, target, dark=dark, inline_certainty=False, width_chars=width)
        )

    def _show_placeholder(self) -> None:
        self.badge.set_grade(None)
        self.why_label.setVisible(False)
        self.direction_label.setVisible(False)
        count = self.model.rowCount()
        if count == 0:
            text = f"This knowledge base has no {self.kind.noun(0)}."
        elif count == 1:
            text = f"Select the {self.kind.noun(1)} on the left to see its details."
        else:
            text = f"Select one of the {self.kind.counted(count)} on the left to see its details."
        self.detail.show_html(f"<p style='margin:12px'><i>{text}</i></p>")

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == 0 and total:
            self.count_label.setText(f"0 of {total} shown · Ctrl+K searches everything, brands and typos too")
        else:
            self.count_label.setText(f"{shown} of {total} shown" if shown != total else f"{total} entries")

    def _refilter(self, apply: Callable[[], object]) -> None:
        """Apply a filter to the list without changing the page read: with the shown entry filtered out, the list's
        current row had moved to one still shown and opened it. The shown entry stays selected while the filter
        shows it; otherwise no row is."""
        self._programmatic = True
        try:
            apply()
            shown = self._list_index(self.current_entity_id) if self.current_entity_id else QModelIndex()
            if shown.isValid():
                self._select_row(shown)
            else:
                self.view.selectionModel().clear()
        finally:
            self._programmatic = False
        self._update_count()

    def _list_index(self, entity_id: str) -> QModelIndex:
        """The list's row of *entity_id* (invalid when the entry is unknown or filtered out)."""
        row = self.model.row_of(entity_id)
        return self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()

    def _select_row(self, index: QModelIndex) -> None:
        """Make the list's row at *index* the current and only selected one."""
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(index, flags)

    @Slot(str)
    def _on_filter_edit_text_changed(self, text: str) -> None:
        self._refilter(lambda: self.proxy.set_filter_text(text))

    @Slot(int)
    def _on_grade_combo_current_index_changed(self, index: int) -> None:
        assert self.grade_combo is not None
        grades = self.grade_combo.itemData(index)
        self._refilter(lambda: self.proxy.set_grades(grades))

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._programmatic or not current.isValid():
            return
        entity_id = str(current.data(EntityTableModel.EntityIdRole))
        if self._target == entity_id:
            return
        self._render(entity_id)
        self.entity_selected.emit(entity_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """In the filter box, Down or Enter moves into the list at its first entry (shown), as in the search field."""
        if (
            self._built
            and watched is self.filter_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and self.proxy.rowCount() > 0
        ):
            current = self.view.currentIndex()
            row = current if current.isValid() else self.proxy.index(0, 0)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.view.setCurrentIndex(row)
            self.view.scrollTo(row)
            return True
        return super().eventFilter(watched, event)

    @Slot(QItemSelection, QItemSelection)
    def _on_view_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.selection_changed.emit()

    @Slot(QModelIndex)
    def _on_view_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if 0 <= source.column() < len(self.model.columns) and self.model.columns[source.column()].shows_grade:
            self.link_activated.emit(WHY_PREFIX + str(index.data(EntityTableModel.EntityIdRole)))

    @Slot()
    @Slot(str)
    def _on_badge_why_requested(self, _link: str = "") -> None:
        if self.current_entity_id is not None:
            self.link_activated.emit(WHY_PREFIX + self.current_entity_id)
