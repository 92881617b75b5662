"""Evidence badges: the grade word and GRADE symbols, with colour only as a third cue.

``GradeBadge`` wraps one :class:`~ldn_browser.core.entities.Grade` as a clickable, focusable
button (tooltip and accessible name "Certainty: low, 2 of 4"); ``GradeBadgeDelegate`` paints
the same badge in item-view cells.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ldn_browser.core.presentation import badge_colours, rating_from_value
from ldn_browser.core.vocab import Grade, Rating
from ldn_browser.ui.theme import palette_is_dark

GradeRole = Qt.ItemDataRole.UserRole + 2
"""Item-data role holding a grade value such as ``"low"`` (or None) for the badge delegate.

The value string is used rather than the :class:`Grade` member because Qt turns ``str``
subclasses into plain strings anyway; :func:`grade_from_data` converts back.
"""


def grade_from_data(value: object) -> Rating | None:
    """The grade (or, for an ungraded statement, the basis) for a :data:`GradeRole` value, or None."""
    return rating_from_value(value)


class GradeBadge(QPushButton):
    """A flat, focusable badge for one grade; clicking asks for "why this grade".

    Signals:
        why_requested: Emitted (no arguments) when the badge is clicked or activated by keyboard.
    """

    why_requested = Signal()
    PAD_X = 10
    PAD_Y = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradeBadge")
        self._grade: Rating | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        bold = QFont()
        bold.setWeight(QFont.Weight.DemiBold)  # only the weight: the size follows the zoom of the page
        self.setFont(bold)
        self.clicked.connect(self._on_clicked)
        self.set_grade(None)

    @property
    def grade(self) -> Rating | None:
        """The grade shown, or None when hidden."""
        return self._grade

    def set_grade(self, grade: Rating | None) -> None:
        """Show *grade* (or hide the badge for None)."""
        self._grade = grade
        self.setVisible(grade is not None)
        if grade is None:
            self.setText("")
            self.setAccessibleName("")
            self.setToolTip("")
            return
        self.setText(grade.badge_text)
        self.setAccessibleName(grade.accessible_name)
        why = "why this grade" if isinstance(grade, Grade) else "what it rests on"
        self.setToolTip(f"{grade.accessible_name}. Click to see {why}.")
        self._apply_style()

    def _apply_style(self) -> None:
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The text in the badge's (zoomed, bold) font plus padding."""
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self.text()) + 2 * self.PAD_X + 4, metrics.height() + 2 * self.PAD_Y + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As large as the text needs."""
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """A rounded fill in the grade's colours, the word and symbols centred; a thicker highlight ring on focus.

        Painted here rather than by a style sheet: a style sheet's font would not follow the page's zoom.
        """
        if self._grade is None:
            return
        colours = badge_colours(self._grade, dark=palette_is_dark(QApplication.palette(self)))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        focus = self.hasFocus()
        ring = self.palette().color(QPalette.ColorRole.Highlight) if focus else QColor(colours.text)
        painter.setPen(QPen(ring, 2 if focus else 1))
        painter.setBrush(QColor(colours.background))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        painter.setPen(QColor(colours.text))
        painter.setFont(self.font())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text())
        painter.end()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Re-paint for a palette (light/dark) or font (zoom) change."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._apply_style()

    @Slot()
    def _on_clicked(self) -> None:
        self.why_requested.emit()


class GradeBadgeDelegate(QStyledItemDelegate):
    """Paints a grade badge (word + symbols on a rounded fill) in a view cell.

    The cell's DisplayRole text should be the badge text too, so keyboard search and screen
    readers get the same words; the grade itself comes from :data:`GradeRole`.
    """

    H_PAD = 6
    V_PAD = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[object, ...], QSize] = {}
        self._bold_fonts: dict[str, tuple[QFont, QFontMetrics]] = {}

    def _bold(self, font: QFont) -> tuple[QFont, QFontMetrics]:
        """*font* in the badge's weight, with its metrics: made once per font (every cell paints with one)."""
        key = font.key()
        found = self._bold_fonts.get(key)
        if found is None:
            bold = QFont(font)
            bold.setWeight(QFont.Weight.DemiBold)
            found = self._bold_fonts[key] = (bold, QFontMetrics(bold))
            if len(self._bold_fonts) > 64:  # zoom steps and themes: a handful; never grows without bound
                self._bold_fonts = {key: found}
        return found

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Draw the item background, then the badge."""
        grade = grade_from_data(index.data(GradeRole))
        if grade is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        colours = badge_colours(grade, dark=palette_is_dark(opt.palette))
        font, metrics = self._bold(opt.font)  # the text is painted bold: measured bold, as sizeHint does
        text = grade.badge_text
        width = metrics.horizontalAdvance(text) + 2 * self.H_PAD
        height = metrics.height() + 2 * self.V_PAD
        rect = QRect(
            opt.rect.left() + 4,
            opt.rect.top() + max(0, (opt.rect.height() - height) // 2),
            min(width, opt.rect.width() - 8),
            min(height, opt.rect.height()),
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(colours.text))
        painter.setBrush(QColor(colours.background))
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        """Room for the badge text plus padding (the same for every cell with the same text, grade and font).

        Sizing a column to its contents asks every row; at start-up that was a few hundred style
        computations for a handful of distinct badges, so sizes are kept per text, grade, font and style.
        """
        style = option.widget.style() if option.widget is not None else QApplication.style()
        key = (index.data(Qt.ItemDataRole.DisplayRole), index.data(GradeRole), option.font.key(), style.name())
        cached = self._sizes.get(key)
        if cached is None:
            cached = self._sizes[key] = self._size_hint(option, index)
            if len(self._sizes) > 256:
                self._sizes.clear()
        return QSize(cached)

    def _size_hint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        grade = grade_from_data(index.data(GradeRole))
        if grade is None:
            return base
        _font, metrics = self._bold(option.font)  # painted bold: measured bold
        return QSize(
            max(base.width(), metrics.horizontalAdvance(grade.badge_text) + 2 * self.H_PAD + 16),
            max(base.height(), metrics.height() + 2 * self.V_PAD + 4),
        )
