"""Text zoom of the pages: steps of 10 % around the application font, remembered in the settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget

from ldn_browser.ui.settings import ZOOM_MAX, ZOOM_MIN, AppSettings


class Zoom:
    """Zoom in, out and back, applied to one widget (the window's pages) and saved at once."""

    def __init__(self, settings: AppSettings, *, message: Callable[[str, int], None]) -> None:
        self._settings, self._message = settings, message
        self.steps = settings.zoom()
        self.target: QWidget | None = None

    def apply(self) -> None:
        """Set the target's font to the zoomed size."""
        if self.target is None:
            return
        size = QApplication.font().pointSizeF()
        font = self.target.font()
        font.setPointSizeF(max(6.0, (size if size > 0 else 10.0) * (1 + 0.1 * self.steps)))
        self.target.setFont(font)

    def set(self, steps: int) -> None:
        """Zoom to *steps* (clamped), save it and say so in the status bar."""
        self.steps = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        self._settings.set_zoom(self.steps)
        self.apply()
        self._message(f"Zoom {100 + 10 * self.steps}%", 2000)

    def zoom_in(self) -> None:
        """Enlarge text."""
        self.set(self.steps + 1)

    def zoom_out(self) -> None:
        """Shrink text."""
        self.set(self.steps - 1)

    def reset(self) -> None:
        """Back to the default text size."""
        self.set(0)
