"""The "Check medications" panel: paste a medication list, see line by line what it means for LDN.

A thin view over :func:`ldn_browser.core.medications.check_medications`: a text box, a table with one row per
medication (severity badge as glyph and word, colour third), each row opening its interaction entry, and
print / preview / export of the one-page "LDN medication check" (:mod:`ldn_browser.core.sheet_meds`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPainter, QPalette, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ldn_browser.core.text_policy import clean_text
from ldn_browser.ui.print_actions import SheetOutput
from ldn_browser.ui.text_widgets import plain_label
from ldn_browser.ui.theme import palette_is_dark

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.medications import MedicationFinding
    from ldn_browser.core.sheet import SheetDocument
    from ldn_browser.ui.dialogs import Dialogs
    from ldn_browser.ui.workers import ProgressJob

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Line", "As written", "Recognised as", "LDN", "What to do")
BADGE_COLUMN = 3
FIT_ROWS_UP_TO = 500
"""Rows are fitted to their text for a list up to this long (fitting 10,000 wrapped rows would take long)."""
ENTRY_ROLE = int(QtCore.Qt.ItemDataRole.UserRole) + 1
"""The row's interaction entry id (None when there is none)."""


class BadgeDelegate(QStyledItemDelegate):
    """The badge cell keeps its severity colour when its row is selected (the selection's blue hid the first row's
    red, and the first row is selected after every check); a frame in the highlight colour shows the selection."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """The cell as if not selected, then the selection frame."""
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, plain, index)
        if selected:
            painter.save()
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()


class FindingsModel(QAbstractTableModel):
    """One row per finding; the badge column carries the severity colours of the light or dark palette."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: tuple[MedicationFinding, ...] = ()
        self.dark = False

    def set_findings(self, findings: tuple[MedicationFinding, ...], *, dark: bool) -> None:
        """Show *findings* (in input order)."""
        self.beginResetModel()
        self.findings, self.dark = findings, dark
        self.endResetModel()

    def set_dark(self, dark: bool) -> None:
        """Colour the badges for a dark (or light) palette: the rows stay, the badge cells repaint."""
        if dark != self.dark:
            self.dark = dark
            if self.findings:
                last = len(self.findings) - 1
                self.dataChanged.emit(self.index(0, BADGE_COLUMN), self.index(last, BADGE_COLUMN))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        """Number of findings."""
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        """Number of columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: QtCore.Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        """Column titles."""
        if orientation == QtCore.Qt.Orientation.Horizontal and role == QtCore.Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        """Text, tooltips (the full action), badge colours and the entry id of a cell."""
        from ldn_browser.core.medications import Status, badge_text, brief_action, finding_colours
        from ldn_browser.core.presentation import Palette

        if not index.isValid():
            return None
        f = self.findings[index.row()]
        col = index.column()
        if role in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return str(f.line)
            if col == 1:
                return clean_text(f.input)  # a pasted line never carries bidi overrides or controls to the screen
            if col == 2:
                shown = f.matched or "—"
                return f"{shown} ({f.product})" if f.product and f.product not in shown else shown
            if col == BADGE_COLUMN:
                return badge_text(f) + (f" · {f.entry_title}" if f.entry_title else "")
            return brief_action(f) + (f" Also on this line: {', '.join(f.also)}." if f.also else "")
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return f.action if col == 4 or f.entry_id is None else f"{f.action}\n\nDouble-click to open the entry."
        if role == ENTRY_ROLE:
            return f.entry_id
        colour_roles = (QtCore.Qt.ItemDataRole.BackgroundRole, QtCore.Qt.ItemDataRole.ForegroundRole)
        if col == BADGE_COLUMN and role in colour_roles:
            colours = finding_colours(f, Palette.SCREEN_DARK if self.dark else Palette.SCREEN_LIGHT)
            colour = colours.background if role == QtCore.Qt.ItemDataRole.BackgroundRole else colours.text
            return QBrush(QColor(colour))
        if col == BADGE_COLUMN and role == QtCore.Qt.ItemDataRole.FontRole and f.status is Status.NOT_RECOGNISED:
            font = QFont()
            font.setBold(True)  # a line to read again, not a line without data
            return font
        return None


class MedicationCheckDialog(QDialog):
    """The panel: a text box, a Check button, the results table and the print buttons.

    Signals:
        entry_requested: Emitted with an interaction entry id when a row is opened.
    """

    entry_requested = Signal(str)

    def __init__(
        self, *, kb: Callable[[], KnowledgeBase | None], dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("medicationCheckDialog")
        self.setWindowTitle("Check medications")
        self._kb, self._dialogs = kb, dialogs
        self.input = QPlainTextEdit(self)
        self.input.setObjectName("medsInput")
        self.input.setPlaceholderText(
            "Paste the patient's medication list: one per line, or separated by commas or semicolons.\n"
            "e.g. Oxycontin 20mg BD\n     co-codamol 30/500 2 qds prn\n     Levothyroxine 75 micrograms OD"
        )
        self.input.setTabChangesFocus(True)
        self._checked_text: str | None = None  # the text the rows are for
        self.input.textChanged.connect(self._input_changed)
        self.summary = QLabel("Paste a list and press Check (Ctrl+Enter).", self)
        self.summary.setObjectName("medsSummary")
        self.summary.setWordWrap(True)
        self.status = plain_label("", self)  # paths and pasted lines: never markup
        self.status.setObjectName("medsStatus")
        self.status.setWordWrap(True)
        self.output = SheetOutput(parent=self, dialogs=dialogs, say=self.status.setText, saved=self._saved)
        self.model = FindingsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("medsTable")
        self.table.setModel(self.model)
        self._badge_delegate = BadgeDelegate(self.table)
        self.table.setItemDelegateForColumn(BADGE_COLUMN, self._badge_delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((44, 220, 220, 230)):
            self.table.setColumnWidth(col, width)
        self._fitted: set[int] = set()  # rows of a long list fitted to their text as they come into view
        self._fit_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_visible_rows)
        self._refit = QtCore.QTimer(self, singleShot=True, interval=50)
        self._refit.timeout.connect(self._refit_rows)
        self.table.verticalScrollBar().valueChanged.connect(self._fit_timer.start)
        self.table.activated.connect(self._open_row)
        self.table.doubleClicked.connect(self._open_row)
        self.check_button = self._button("&Check", "medsCheckButton", self.check)
        self.open_button = self._button("&Open entry", "medsOpenButton", self.open_selected)
        self.print_button = self._button("&Print…", "medsPrintButton", self.print_sheet)
        self.preview_button = self._button("Pre&view…", "medsPreviewButton", self.preview_sheet)
        self.export_button = self._button("&Export PDF…", "medsExportButton", self.export_sheet)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.check)
        # the main window's print and export keys, for this panel's sheet (they did nothing here)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self._print_if_checked)
        QShortcut(QKeySequence("Ctrl+E"), self, self._export_if_checked)
        header.sectionResized.connect(self._refit_timer_start)
        buttons = QHBoxLayout()
        for b in (self.check_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.print_button, self.preview_button, self.export_button):
            buttons.addWidget(b)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.input)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.status)
        splitter = QSplitter(QtCore.Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.table)
        splitter.setSizes([220, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1040, 680)
        self._update_buttons()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt override
        """A theme change while the panel is open re-colours the badges for the new palette."""
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.Type.PaletteChange, QtCore.QEvent.Type.ApplicationPaletteChange):
            self.model.set_dark(palette_is_dark(self.palette()))

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- checking --------------------------------------------------------------------------------

    def check(self) -> tuple[MedicationFinding, ...]:
        """Check the text box and show one row per medication; say so when there is nothing to check."""
        from ldn_browser.core.medications import EMPTY_MESSAGE, check_medications, summary_text

        kb = self._kb()
        if kb is None:
            return ()
        QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)  # 10,000 pasted lines take a second or two
        try:
            self._checked_text = self.input.toPlainText()
            findings = check_medications(self._checked_text, kb)
            self.model.set_findings(findings, dark=palette_is_dark(self.palette()))
            self._fitted.clear()
            if len(findings) <= FIT_ROWS_UP_TO:
                self.table.resizeRowsToContents()
            else:
                self._fit_visible_rows()
        finally:
            QApplication.restoreOverrideCursor()
        self.status.clear()
        if not findings:
            self.summary.setText(EMPTY_MESSAGE)
        else:
            self.summary.setText(
                f"{len(findings)} medication{'s' if len(findings) != 1 else ''}: {summary_text(findings)}. "
                "Double-click a row to open its interaction entry."
            )
            self.table.selectRow(0)
        self._update_buttons()
        return findings

    @property
    def stale(self) -> bool:
        """The list was edited after its rows were made."""
        return bool(self.model.findings) and self.input.toPlainText() != self._checked_text

    def _input_changed(self) -> None:
        if self.stale:
            self.summary.setText(
                "⚠ The list has changed since it was checked: the rows below are for the list as it was. Press Check "
                "(Ctrl+Enter); printing or exporting checks it again first."
            )

    def _fit_visible_rows(self) -> None:
        """A list too long to fit every row at once: the rows in view (and the next screenful) get their text's
        height as they are scrolled to, so "What to do" is never cut to one line."""
        rows = self.model.rowCount()
        if rows <= FIT_ROWS_UP_TO or (first := self.table.rowAt(0)) < 0:
            return
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = rows - 1 if last < 0 else last
        for row in range(first, min(rows, last + 1 + (last - first + 1))):
            if row not in self._fitted:
                self._fitted.add(row)
                self.table.resizeRowToContents(row)

    def _print_if_checked(self) -> None:
        if self.model.findings:
            self.print_sheet()

    def _export_if_checked(self) -> None:
        if self.model.findings:
            self.export_sheet()

    def _refit_timer_start(self) -> None:
        """A column's width changed (the panel was resized, a column dragged): the rows' heights are fitted again,
        or "What to do" is cut to the height its text had at the old width."""
        self._fitted.clear()
        self._refit.start()

    def _refit_rows(self) -> None:
        if self.model.rowCount() <= FIT_ROWS_UP_TO:
            self.table.resizeRowsToContents()
        else:
            self._fit_visible_rows()

    def _update_buttons(self) -> None:
        has = bool(self.model.findings)
        for b in (self.print_button, self.preview_button, self.export_button):
            b.setEnabled(has)
        self.open_button.setEnabled(has)

    def _open_row(self, index: QModelIndex) -> None:
        entry_id = self.model.data(index, ENTRY_ROLE)
        if isinstance(entry_id, str):
            self.entry_requested.emit(entry_id)

    def open_selected(self) -> None:
        """Open the selected row's interaction entry (a row without one says why)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        finding = self.model.findings[rows[0].row()]
        if finding.entry_id is None:
            self.status.setText(f"Line {finding.line} has no interaction entry: {finding.action}")
            return
        self.entry_requested.emit(finding.entry_id)

    # -- printing --------------------------------------------------------------------------------

    def sheet(self) -> SheetDocument | None:
        """The "LDN medication check" of the list in the box, checked again if it was edited (None when nothing was
        checked)."""
        from ldn_browser.core.sheet_meds import medication_sheet

        kb = self._kb()
        if kb is not None and self.stale:
            self.check()  # the sheet is always of the list in the box: an opioid added after the check is on it
        if kb is None or not self.model.findings:
            return None
        return medication_sheet(kb, self.model.findings)

    def print_sheet(self) -> ProgressJob | None:
        """Ask for a printer, then print the medication check in the background."""
        return None if (doc := self.sheet()) is None else self.output.print(doc)

    def preview_sheet(self) -> None:
        """Show the print preview of the medication check."""
        from ldn_browser.ui.printing import show_print_preview

        if (doc := self.sheet()) is not None:
            show_print_preview(doc, self)

    def export_sheet(self) -> ProgressJob | None:
        """Ask where, then write the medication check as a PDF in the background; returns the job started."""
        if self.output.refuse_while_busy() or (doc := self.sheet()) is None:
            return None
        path = self._dialogs.save_pdf_path(f"Export PDF: {doc.title}", str(Path.home() / "ldn-medication-check.pdf"))
        return None if path is None else self.output.export(doc, path)

    def _saved(self, path: Path, pages: int) -> None:
        from ldn_browser.core.text_policy import path_text

        self.status.setText(f"Saved {path_text(path)} ({pages} page{'s' if pages != 1 else ''}).")
