"""A list column whose text wraps at word breaks: a long name reads whole in a narrow pane.

At 1280×720 an entity list gets about a third of the window, and titles such as "Opioid analgesics,
including tramadol …" ended in "…" after twenty characters. The view wraps the text when painting
(``setWordWrap``); this delegate makes the row as tall as the wrapped text at the column's width.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

MAX_LINES = 3
"""A title longer than this many lines at the column's width ends in "…" on its last line (the tooltip has it all)."""


class WrappedTextDelegate(QStyledItemDelegate):
    """Sizes a cell of *view* for its text wrapped at the width of its column (at most :data:`MAX_LINES` lines)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """One line's height plus a line spacing per further line the text wraps to at the column's width."""
        one_line = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = self._view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, self._view) + 1
        width = self._view.header().sectionSize(index.column()) - 2 * margin - 2  # what the style wraps within
        if width <= 0 or not opt.text:
            return one_line
        metrics = QFontMetrics(opt.font)
        wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 20), int(Qt.TextFlag.TextWordWrap), opt.text)
        lines = min(MAX_LINES, max(1, math.ceil(wrapped.height() / metrics.lineSpacing())))
        return QSize(one_line.width(), one_line.height() + (lines - 1) * metrics.lineSpacing())
