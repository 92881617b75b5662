"""Grade badges: text and symbols, accessible name, tooltip, click, palette-dependent colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import Grade
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
