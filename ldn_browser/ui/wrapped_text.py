"""A list column whose text wraps at word breaks: a long name reads whole in a narrow pane.

At 1280×720 an entity list gets about a third of the window, and titles such as "Opioid analgesics,
including tramadol …" ended in "…" after twenty characters. The view wraps the text when painting
(``setWordWrap``); this delegate makes the row as tall as the wrapped text at the column's width.

The style lays the text out with a ``QTextLayout`` and stacks its lines by their height (ascent + descent),
showing only the lines that fit whole; so the rows are measured the same way. Measured by the font's line
spacing instead, a row came a pixel short per line where the zoomed font's leading is negative (140 %, 160 %):
the third line was cut or dropped, and a one-line name got a two-line row.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

MAX_LINES = 3
"""A title longer than this many lines at the column's width ends in "…" on its last line (the tooltip has it all)."""


def wrapped_line_heights(text: str, font: QFont, width: int) -> list[float]:
    """The height of each line of *text* in *font* wrapped at word breaks within *width*, as the style lays it out."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font)  # the style shows a newline as a line separator
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    heights: list[float] = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        heights.append(line.height())
    layout.endLayout()
    return heights


class WrappedTextDelegate(QStyledItemDelegate):
    """Sizes a cell of *view* for its text wrapped at the width of its column (at most :data:`MAX_LINES` lines)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """One line's height plus the height of each further line the text wraps to at the column's width."""
        one_line = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = self._view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, self._view) + 1
        width = self._view.header().sectionSize(index.column()) - 2 * margin - 2  # what the style wraps within
        if width <= 0 or not opt.text:
            return one_line
        further = wrapped_line_heights(opt.text, opt.font, width)[1:MAX_LINES]
        return QSize(one_line.width(), one_line.height() + math.ceil(sum(further)))
