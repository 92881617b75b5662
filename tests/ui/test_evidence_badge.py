"""Grade badges: text and symbols, accessible name, tooltip, click, palette-dependent colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import Grade
from ldn_browser.core.vocab import Basis, Rating
from ldn_browser.ui.evidence_badge import GradeBadge, grade_from_data
from ldn_browser.ui.theme import palette_is_dark


@pytest.mark.parametrize("grade", list(Grade))
def test_grade_badge_shows_word_symbols_and_accessible_name(qtbot: QtBot, grade: Grade) -> None:
    badge = GradeBadge()
    qtbot.addWidget(badge)
    badge.set_grade(grade)
    assert badge.text() == grade.badge_text
    assert badge.accessibleName() == grade.accessible_name
    assert grade.accessible_name in badge.toolTip()
    assert badge.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_grade_badge_click_requests_why(qtbot: QtBot) -> None:
    badge = GradeBadge()
    qtbot.addWidget(badge)
    badge.set_grade(Grade.LOW)
    badge.show()
    with qtbot.waitSignal(badge.why_requested, timeout=1000):
        qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)


def test_grade_badge_hidden_without_grade(qtbot: QtBot) -> None:
    badge = GradeBadge()
    qtbot.addWidget(badge)
    badge.set_grade(None)
    assert badge.isHidden() and badge.accessibleName() == ""


def test_palette_lightness_decides_dark(qapp: object) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    assert palette_is_dark(palette)
    palette.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    assert not palette_is_dark(palette)


@pytest.mark.parametrize(
    ("value", "expected"), [("low", Grade.LOW), ("very_low", Grade.VERY_LOW), ("bad", None), (None, None), (3, None)]
)
def test_grade_from_data(value: object, expected: Grade | None) -> None:
    assert grade_from_data(value) is expected


def test_badge_cell_size_fits_its_text_in_the_font_it_is_drawn_in(qapp: object) -> None:
    from PySide6.QtGui import QFont, QFontMetrics, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ldn_browser.ui.evidence_badge import GradeBadgeDelegate, GradeRole

    model = QStandardItemModel()
    for grade in (Grade.LOW, Grade.HIGH, Grade.LOW):
        item = QStandardItem(grade.badge_text)
        item.setData(grade.value, GradeRole)
        model.appendRow(item)
    delegate = GradeBadgeDelegate()
    widths: dict[int, list[int]] = {}
    for points in (9, 18):
        option = QStyleOptionViewItem()
        option.font = QFont(QFont().family(), points)
        option.fontMetrics = QFontMetrics(option.font)
        for row in range(3):
            hint = delegate.sizeHint(option, model.index(row, 0))
            grade = (Grade.LOW, Grade.HIGH, Grade.LOW)[row]
            assert hint.width() >= option.fontMetrics.horizontalAdvance(grade.badge_text) + 2 * delegate.H_PAD
            widths.setdefault(points, []).append(hint.width())
    assert widths[9][0] == widths[9][2]  # the same badge, the same size
    assert widths[18][0] > widths[9][0] and widths[18][1] > widths[9][1]  # a larger font needs more room


@pytest.mark.parametrize("grade", [*Grade, *Basis], ids=lambda r: r.value)
def test_a_painted_badge_keeps_room_around_its_bold_text(qapp: object, grade: Rating) -> None:
    """The text is painted bold; the badge was measured in the regular font ("No studies found" touched its edges)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont, QImage, QPainter, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QStyleOptionViewItem

    from ldn_browser.ui.evidence_badge import GradeBadgeDelegate, GradeRole, badge_colours

    model = QStandardItemModel()
    item = QStandardItem(grade.badge_text)
    item.setData(grade.value, GradeRole)
    model.appendRow(item)
    delegate = GradeBadgeDelegate()
    option = QStyleOptionViewItem()
    option.font = QFont(QFont().family(), 10)
    option.rect = QRect(0, 0, 400, 30)
    image = QImage(400, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    fill = QColor(badge_colours(grade, dark=False).background)

    def ink(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return abs(c.red() - fill.red()) + abs(c.green() - fill.green()) + abs(c.blue() - fill.blue()) > 120

    # the badge's inside: the fill between its borders, on the middle row and down the column after the left border
    inside = [x for x in range(400) if image.pixelColor(x, 15) == fill]
    assert inside, "no badge painted"
    left, right = inside[0], inside[-1]
    rows = [y for y in range(30) if image.pixelColor(left + 1, y) == fill]
    text = [x for x in range(left, right + 1) for y in range(rows[0] + 1, rows[-1]) if ink(x, y)]
    assert text, "no text painted"
    assert min(text) - left >= 3 and right - max(text) >= 3, (left, min(text), max(text), right)
