"""The window's size and place: the first window fits the screen, a restored one is clamped to it.

A hard-coded first size put the right edge and the status bar off a 1280×720 screen; a geometry saved on
a larger monitor can do the same after the monitor changes.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QMainWindow

from ldn_browser.ui.settings import AppSettings

PREFERRED_SIZE = QSize(1360, 860)
"""The first window's size where the screen has room for it."""
SCREEN_SHARE = 0.9
"""The first window takes at most this share of the screen's available width and height."""


def first_size(available: QRect) -> QSize:
    """The size of the first window on a screen whose available geometry is *available*."""
    return QSize(
        min(PREFERRED_SIZE.width(), int(available.width() * SCREEN_SHARE)),
        min(PREFERRED_SIZE.height(), int(available.height() * SCREEN_SHARE)),
    )


def clamped(frame: QRect, available: QRect) -> QRect:
    """*frame* made no larger than *available* and moved inside it (unchanged when it fits)."""
    width, height = min(frame.width(), available.width()), min(frame.height(), available.height())
    left = max(available.left(), min(frame.left(), available.right() + 1 - width))
    top = max(available.top(), min(frame.top(), available.bottom() + 1 - height))
    return QRect(left, top, width, height)


def restore(window: QMainWindow, settings: AppSettings) -> None:
    """The saved geometry and toolbar state (clamped to the screen), or a first size that fits the screen."""
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)
    geometry = settings.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(first_size(available))
        window.move(available.center() - window.rect().center())
    elif not (window.isMaximized() or window.isFullScreen()):  # otherwise the screen decides
        # The frame (title bar, borders) is outside geometry(): keep their difference when clamping.
        extra = window.frameGeometry().size() - window.geometry().size()
        frame = QRect(window.pos(), window.size() + extra)
        if (fitted := clamped(frame, available)) != frame:
            window.resize(fitted.size() - extra)
            window.move(fitted.topLeft())
    if (state := settings.window_state()) is not None:
        window.restoreState(state)
    if settings.maximized() and not window.isMaximized():  # restoreGeometry lost it when the screen had changed
        from PySide6 import QtCore  # the Qt namespace's enums only on this path (see ldn_browser.ui.main_window)

        window.setWindowState(window.windowState() | QtCore.Qt.WindowState.WindowMaximized)


def save(window: QMainWindow, settings: AppSettings) -> None:
    """Keep the geometry, the toolbar state and whether the window is maximized, for the next start."""
    settings.set_geometry(window.saveGeometry())
    settings.set_window_state(window.saveState())
    settings.set_maximized(window.isMaximized())
