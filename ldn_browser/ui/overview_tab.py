"""The Overview tab: what LDN is, dosing at a glance, and the sortable condition × evidence matrix."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldn_browser.core.detail import render_target
from ldn_browser.core.entities import Kind, KnowledgeBase
from ldn_browser.core.kinds import MATRIX_COLUMNS
from ldn_browser.core.pages import OVERVIEW_TARGET, WHY_PREFIX
from ldn_browser.core.start_page import START_TARGET, render_start
from ldn_browser.ui.detail_view import DetailBrowser
from ldn_browser.ui.evidence_badge import GradeBadgeDelegate
from ldn_browser.ui.item_models import EntityTableModel
from ldn_browser.ui.layout import MEASURED_ROWS, fit_list_pane, side_by_side
from ldn_browser.ui.theme import palette_is_dark


class OverviewTab(QWidget):
    """What LDN is, dosing at a glance, and the sortable condition × evidence matrix.

    Signals:
        link_activated: Emitted with the target of an internal link or an activated matrix row.
        external_link_activated: Emitted with the URL of a clicked external link.
        rendered: Emitted after the page was replaced or re-made for another width.
    """

    link_activated = Signal(str)
    external_link_activated = Signal(QUrl)
    rendered = Signal()

    def __init__(self, *, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewTab")
        self._kb = kb
        self._target = OVERVIEW_TARGET
        self._fitted_for: tuple[int, float] = (0, 0.0)
        self._drop_timer = QTimer(self)
        self._drop_timer.setSingleShot(True)
        self._drop_timer.setInterval(0)
        self._drop_timer.timeout.connect(self._drop_columns_that_do_not_fit)
        self.start_lists: Callable[[], tuple[list[str], list[str]]] = lambda: ([], [])
        """Recent items and bookmarks for the start page (the window sets this)."""
        self.detail = DetailBrowser(self)
        self.detail.setObjectName("overviewText")
        self.detail.setAccessibleName("Overview")
        self.detail.internal_link_activated.connect(self.link_activated)
        self.detail.external_link_activated.connect(self.external_link_activated)
        self.detail.rendered.connect(self.rendered)

        self.matrix_model = EntityTableModel(kind=Kind.CONDITION, columns=MATRIX_COLUMNS, parent=self)
        self.matrix_view = QTableView(self)
        self.matrix_view.setObjectName("evidenceMatrix")
        self.matrix_view.setAccessibleName("Evidence by condition")
        # The model itself, no filter proxy (the matrix has no filter; it sorts in the model): through a proxy,
        # each of the ~13,000 cell look-ups Qt makes measuring and painting the matrix at start-up was two calls
        # into Python (the proxy's source index, then the data), ~25 ms before search was ready.
        self.matrix_view.setModel(self.matrix_model)
        self.matrix_view.setSortingEnabled(True)
        self.matrix_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.matrix_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix_view.setAlternatingRowColors(True)
        self.matrix_view.setWordWrap(False)
        self.matrix_view.verticalHeader().setVisible(False)
        self._badge_delegate = GradeBadgeDelegate(self.matrix_view)
        for col, column in enumerate(MATRIX_COLUMNS):
            if column.shows_grade:
                self.matrix_view.setItemDelegateForColumn(col, self._badge_delegate)
        header = self.matrix_view.horizontalHeader()
        for measured in (header, self.matrix_view.verticalHeader()):
            measured.setResizeContentsPrecision(MEASURED_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(MATRIX_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.matrix_view.activated.connect(self._on_matrix_view_activated)
        self.matrix_view.clicked.connect(self._on_matrix_view_clicked)

        matrix_title = QLabel(
            "<b>Evidence by condition</b> &nbsp;(click a column header to sort; "
            "Enter or double-click opens the condition; click a badge for why)",
            self,
        )
        matrix_title.setWordWrap(True)
        matrix_box = QWidget(self)
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(matrix_title)
        matrix_layout.addWidget(self.matrix_view, 1)

        self.splitter = side_by_side(self, self.detail, matrix_box, name="overviewSplitter", stretch=(1, 1), margin=6)
        QWidget.setTabOrder(self.detail, self.matrix_view)
        self.set_kb(kb)

    @property
    def current_target(self) -> str:
        """The Overview page, or the start page (both are shown in this tab)."""
        return self._target

    def show_target(self, target: str) -> None:
        """Show the Overview (``overview``) or the start page (``start``, made again: its lists change)."""
        if target != self._target or target == START_TARGET:
            self._target = target
            self.refresh()

    @property
    def list_view(self) -> QTableView:
        """The evidence matrix (Escape in the search field moves here)."""
        return self.matrix_view

    @property
    def panes(self) -> list[QWidget]:
        """The panes F6 cycles through, in order."""
        return [self.detail, self.matrix_view]

    def set_kb(self, kb: KnowledgeBase) -> None:
        """Show another knowledge base."""
        self._kb = kb
        self.matrix_model.set_kb(kb)
        self.refresh()

    def refresh(self) -> None:
        """Re-render the text (e.g. after a palette change)."""
        kb, dark = self._kb, palette_is_dark(self.palette())
        if self._target == START_TARGET:
            recent, bookmarks = self.start_lists()
            self.detail.show_page(
                lambda width: render_start(kb, recent=recent, bookmarks=bookmarks, dark=dark, width_chars=width)
            )
        else:
            self.detail.show_page(lambda width: render_target(kb, OVERVIEW_TARGET, dark=dark, width_chars=width))
        self.matrix_view.viewport().update()

    def fit_columns(self, *, force: bool = True) -> None:
        """Give the matrix the width its columns need at this zoom (45–60 % of the tab), once per width and zoom."""
        key = (self.splitter.width(), self.matrix_view.font().pointSizeF())
        if force or key != self._fitted_for:
            header = self.matrix_view.horizontalHeader()
            for col in range(self.MATRIX_KEPT_COLUMNS, len(MATRIX_COLUMNS)):
                header.setSectionHidden(col, False)  # the pane is fitted to every column, then what cannot fit goes
            self._fitted_for = fit_list_pane(
                self.splitter,
                self.matrix_view,
                index=1,
                columns=len(MATRIX_COLUMNS),
                share=(0.45, 0.6),
                title_chars=self.MATRIX_TITLE_CHARS,
            )
            self._drop_columns_that_do_not_fit()

    MATRIX_TITLE_CHARS = 36
    """Room for a condition's name in the matrix, with short headers beside it ("RCTs", "Reviewed"): at the lists'
    24 characters, 15 of the 35 bundled names were cut at 1280×720; at 36, a few of the longest are."""

    MATRIX_KEPT_COLUMNS = 3
    """Condition, certainty and direction always show; the columns after them hide, last first, when the
    matrix would otherwise scroll sideways (a narrow window or a large zoom)."""

    def _drop_columns_that_do_not_fit(self) -> None:
        header = self.matrix_view.horizontalHeader()
        for col in range(self.MATRIX_KEPT_COLUMNS, len(MATRIX_COLUMNS)):
            header.setSectionHidden(col, False)
        room = self.matrix_view.viewport().width()
        for col in reversed(range(self.MATRIX_KEPT_COLUMNS, len(MATRIX_COLUMNS))):
            if header.length() <= room:
                break
            header.setSectionHidden(col, True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """A narrower or wider window: show the optional matrix columns that fit."""
        super().resizeEvent(event)
        self._drop_timer.start()  # one pass after the resizes of one layout, not one per resize

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Fit the matrix the first time the tab is shown at this width and zoom."""
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: self.fit_columns(force=False))

    @Slot(QModelIndex)
    def _on_matrix_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.link_activated.emit(str(index.data(EntityTableModel.EntityIdRole)))

    @Slot(QModelIndex)
    def _on_matrix_view_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and MATRIX_COLUMNS[index.column()].shows_grade:
            self.link_activated.emit(WHY_PREFIX + str(index.data(EntityTableModel.EntityIdRole)))
