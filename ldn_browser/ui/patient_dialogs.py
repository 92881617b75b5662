"""The patient documents in the window: leaflet, titration calendar (with its dialog) and wallet card.

The File menu and the toolbar call :class:`PatientPrinter`; it builds the document in core and shows
it in the print preview (where it can be printed or saved). The titration dialog checks the values
with :func:`ldn_browser.core.titration.make_plan` and shows its message under the fields; it does
not close until the values can be used. A dose outside the low-dose range keeps the dialog open with
the warning and a "Print anyway" button (never the default button, so Enter cannot confirm it); the
calendar then states the warning on page 1. The dose boxes stop at the KB's standard dose, which
core refuses with its reason.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ldn_browser.core.pages import target_entity_id

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.patient import TitrationContent
    from ldn_browser.core.titration import TitrationPlan
    from ldn_browser.ui.print_actions import SheetRequest

TIMES_OF_DAY = ("at night", "in the evening", "in the morning")


class DateField(QDateEdit):
    """A date field that Tab leaves; the arrow keys and typing still move between year, month and day.

    A plain QDateEdit's Tab walks its sections first, so it took three presses to reach the next field.
    """

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        """Go to the next (or previous) field, not the next section."""
        return QWidget.focusNextPrevChild(self, next)


class TitrationDialog(QDialog):
    """Start date, start dose, step, interval, target and time of day; defaults from the KB (practice)."""

    def __init__(self, content: TitrationContent, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle("Titration calendar")
        self.setObjectName("titrationDialog")
        self._content = content
        self.plan: TitrationPlan | None = None
        d = content.defaults
        start = today or dt.date.today()
        self.start = DateField(QDate(start.year, start.month, start.day), self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        ceiling = content.limits.standard_mg
        self.dose, self.step = self._mg(d.start_mg, ceiling), self._mg(d.step_mg, ceiling)
        self.every = QSpinBox(self)
        self.every.setRange(1, 90)
        self.every.setValue(d.interval_days)
        self.every.setSuffix(" days")
        self.target = self._mg(d.target_mg, ceiling)
        self.time = QComboBox(self)
        self.time.setEditable(True)
        self.time.addItems(list(dict.fromkeys((d.time_of_day, *TIMES_OF_DAY))))
        form = QFormLayout()
        fields: tuple[QWidget, ...] = (self.start, self.dose, self.step, self.every, self.target, self.time)
        for label, widget in zip(
            ("Start date", "Start dose", "Step", "Every", "Target dose", "Time of day"), fields, strict=True
        ):
            form.addRow(label, widget)
        note = QLabel(f"Defaults: {d.note.text}", self)
        note.setWordWrap(True)
        self.message = QLabel("", self)
        self.message.setObjectName("titrationMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.print_anyway = buttons.addButton("Print anyway", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_anyway.setObjectName("titrationPrintAnyway")
        self.print_anyway.setAutoDefault(False)
        self.print_anyway.setVisible(False)
        self.print_anyway.clicked.connect(self._print_anyway)
        for box in (self.dose, self.step, self.every, self.target):
            box.valueChanged.connect(self._values_changed)
        self.time.currentTextChanged.connect(self._values_changed)
        if (line := self.time.lineEdit()) is not None:
            line.returnPressed.connect(self.accept)  # an editable combo box keeps Enter from the dialog's OK
        self.start.dateChanged.connect(self._values_changed)
        for before, after in zip(fields, fields[1:], strict=False):  # top to bottom, then the buttons
            QWidget.setTabOrder(before, after)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _mg(self, value: float, ceiling: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setDecimals(2)
        box.setRange(0, ceiling)
        box.setSingleStep(0.5)
        box.setSuffix(" mg")
        box.setValue(value)
        return box

    def check(self, *, allow_outside_range: bool = False) -> TitrationPlan | None:
        """The plan for the values entered, or None with the reason shown under the fields.

        A dose outside the low-dose range gives None (the warning shown, "Print anyway" offered) unless
        *allow_outside_range*.
        """
        from ldn_browser.core.titration import DoseRangeError, TitrationError, make_plan

        q = self.start.date()
        try:
            plan = make_plan(
                self._content.limits,
                start=dt.date(q.year(), q.month(), q.day()),
                dose=f"{self.dose.value():.2f}",
                step=f"{self.step.value():.2f}",
                every=self.every.value(),
                target=f"{self.target.value():.2f}",
                time_of_day=self.time.currentText(),
                allow_outside_range=allow_outside_range,
            )
        except DoseRangeError as e:
            self.message.setText(
                "".join(f"<b>Warning:</b> {html.escape(w)}.<br>" for w in e.warnings)
                + "Correct the dose, or press <b>Print anyway</b> to print it with this warning on page 1."
            )
            self.print_anyway.setVisible(True)  # the button box keeps its buttons' tab order left to right
            self._fit_message()
            return None
        except TitrationError as e:
            self.message.setText(f"<b>Cannot make the calendar:</b> {html.escape(str(e))}")
            self._fit_message()
            return None
        self.message.setText("".join(f"<b>Warning:</b> {html.escape(w)}.<br>" for w in plan.warnings))
        self._fit_message()
        return plan

    def _fit_message(self) -> None:
        """Grow to show the message under the fields: a word-wrapped label gives the layout no minimum height
        of its own, so without this the spin boxes above it are squashed to make room."""
        height = self.layout().heightForWidth(self.width()) if self.layout().hasHeightForWidth() else -1
        wanted = max(height, self.sizeHint().height())
        if self.height() < wanted:
            self.resize(self.width(), wanted)

    def accept(self) -> None:
        """Close only with values that make a calendar and a dose in the low-dose range."""
        self.plan = self.check()
        if self.plan is not None:
            super().accept()

    def _print_anyway(self) -> None:
        """The second, explicit confirmation of a dose outside the low-dose range."""
        self.plan = self.check(allow_outside_range=True)
        if self.plan is not None:
            super().accept()

    def _values_changed(self) -> None:
        """A changed value must be checked again before it can be printed anyway."""
        if self.print_anyway.isVisible() or self.message.text():
            self.print_anyway.setVisible(False)
            self.message.setText("")


class PatientPrinter:
    """The File menu's patient documents; *show* displays a built document (default: the print preview)."""

    def __init__(
        self,
        *,
        parent: QWidget,
        kb: Callable[[], KnowledgeBase | None],
        request: Callable[[], SheetRequest],
        show: Callable[[object], None] | None = None,
        ask_plan: Callable[[TitrationContent], TitrationPlan | None] | None = None,
    ) -> None:
        self._parent, self._kb, self._request = parent, kb, request
        self._show = show or self._preview
        self._ask_plan = ask_plan or self._ask_with_dialog

    @property
    def available(self) -> bool:
        """The KB shown has patient content."""
        kb = self._kb()
        return kb is not None and kb.patient is not None

    def condition_shown(self) -> str | None:
        """The condition on screen (one), whose leaflet the toolbar prints; None for the general leaflet."""
        ids = self._request().ids
        if len(ids) == 1 and ids[0].startswith("condition:"):
            return target_entity_id(ids[0])
        return None

    def leaflet(self) -> None:
        """The patient leaflet for the condition shown, or the general one."""
        from ldn_browser.core.patient_sheets import build_leaflet

        if (kb := self._kb()) is not None and kb.patient is not None:
            self._show(build_leaflet(kb, self.condition_shown()))

    def titration(self) -> None:
        """Ask for the schedule, then show the calendar."""
        from ldn_browser.core.patient_sheets import build_titration_sheet

        if (kb := self._kb()) is not None and kb.patient is not None:
            plan = self._ask_plan(kb.patient.titration)
            if plan is not None:
                self._show(build_titration_sheet(kb, plan))

    def card(self) -> None:
        """A sheet of wallet cards."""
        from ldn_browser.core.patient_sheets import build_card

        if (kb := self._kb()) is not None and kb.patient is not None:
            self._show(build_card(kb))

    def _ask_with_dialog(self, content: TitrationContent) -> TitrationPlan | None:
        dialog = TitrationDialog(content, self._parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.plan if accepted else None

    def _preview(self, doc: object) -> None:
        from ldn_browser.core.patient_sheets import CardDocument
        from ldn_browser.core.sheet import SheetDocument
        from ldn_browser.ui.card_printing import preview_cards
        from ldn_browser.ui.printing import show_print_preview

        if isinstance(doc, CardDocument):
            preview_cards(doc, self._parent)
        elif isinstance(doc, SheetDocument):
            show_print_preview(doc, self._parent)
