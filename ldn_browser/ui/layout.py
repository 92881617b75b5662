"""Layout helpers shared by the main window and the tabs."""

from __future__ import annotations

import math

from PySide6 import QtCore  # not ``Qt`` by name: see ldn_browser.ui.main_window
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QTableView, QTreeView, QVBoxLayout, QWidget

TITLE_CHARS = 24
"""Characters a list's title column gets before the detail pane takes the rest."""
MIN_TITLE_CHARS = 16
"""No list column is narrower than this (a name is never cut to two letters)."""
MEASURED_ROWS = 200
"""Rows a list measures to size a column to its contents (Qt's default is 1,000 around the visible ones:
with 10,000 entries that was a quarter of a million ``data()`` calls on the GUI thread). Every list of the
bundled KB is shorter, so there every row counts."""


def side_by_side(
    parent: QWidget, left: QWidget, right: QWidget, *, name: str, stretch: tuple[int, int], margin: int | None = None
) -> QSplitter:
    """A horizontal splitter holding *left* and *right*; neither pane can be collapsed to nothing.

    With *margin*, the splitter also becomes *parent*'s only content, inside a layout with that margin.
    """
    splitter = QSplitter(QtCore.Qt.Orientation.Horizontal, parent)
    splitter.setObjectName(name)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setChildrenCollapsible(False)
    if margin is not None:
        layout = QVBoxLayout(parent)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(splitter)
    return splitter


def cycle_focus(panes: list[QWidget], focus: QWidget | None, step: int) -> None:
    """Move keyboard focus *step* panes on from the pane holding *focus* (F6 / Shift+F6), wrapping around."""
    current = max(
        (i for i, p in enumerate(panes) if focus is not None and (focus is p or p.isAncestorOf(focus))), default=-1
    )
    target = panes[(current + step) % len(panes)] if current >= 0 else panes[0 if step > 0 else -1]
    target.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
    from ldn_browser.ui.focus_ring import show_focus_ring  # only once F6 is pressed

    show_focus_ring(target)  # the style's own focus frame is faint or absent on lists and text browsers


def fit_list_pane(
    splitter: QSplitter,
    view: QAbstractItemView,
    *,
    index: int,
    columns: int,
    share: tuple[float, float],
    title_chars: int | None = None,
) -> tuple[int, float]:
    """Size the pane *index* of *splitter* holding the list *view* to what its columns need at this font.

    The title column gets *title_chars* (default :data:`TITLE_CHARS`) characters, the other columns their
    contents; the pane stays within *share* (fractions of the splitter). Returns (splitter width, font size) it
    was fitted for.
    """
    total = splitter.width() - splitter.handleWidth()
    if total <= 0:
        return (0, 0.0)
    header = (
        view.header()
        if isinstance(view, QTreeView)
        else view.horizontalHeader()
        if isinstance(view, QTableView)
        else None
    )
    char = QFontMetricsF(view.font()).averageCharWidth()
    if header is not None:  # no column narrower than MIN_TITLE_CHARS: the list scrolls sideways before that
        header.setMinimumSectionSize(math.ceil(char * MIN_TITLE_CHARS))  # first: the hints below respect it
    others = sum(
        max(view.sizeHintForColumn(c), header.sectionSizeHint(c) if header is not None else 0)
        for c in range(1, columns)
    )
    title = char * (TITLE_CHARS if title_chars is None else title_chars)
    scroll = view.verticalScrollBar().sizeHint().width()
    need = title + others + scroll + 2 * view.frameWidth() + 8
    pane = int(min(max(need, total * share[0]), total * share[1]))
    sizes = [total - pane, total - pane]
    sizes[index] = pane
    splitter.setSizes(sizes)
    return (splitter.width(), view.font().pointSizeF())
