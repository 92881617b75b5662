"""Zoom 50–200 %: steps of 10 % around the application font, for the pages, lists, badges and tab labels.

The zoomed font is set on the window's page area (tabs, lists, detail panes, the search results) and on
the search field; the splitters then give the lists the room their columns need. A zoom at which the
tab labels no longer fit across the window is clamped to the largest that fits, and that is what is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from ldn_browser.ui.settings import ZOOM_MAX, ZOOM_MIN, AppSettings


def percent(steps: int) -> int:
    """The zoom of *steps* in percent (0 → 100 %)."""
    return 100 + 10 * steps


def tabs_fit(tabs: QTabWidget) -> bool:
    """True when every tab label fits across the tab widget without scroll arrows."""
    return tabs.tabBar().sizeHint().width() <= tabs.width()


class Zoom:
    """Zoom in, out and back, applied to the window's pages and saved at once."""

    def __init__(self, settings: AppSettings, *, message: Callable[[str, int], None]) -> None:
        self._settings, self._message = settings, message
        self.steps = settings.zoom()
        self.target: QWidget | None = None
        self.also: tuple[QWidget, ...] = ()
        """Widgets outside the target that zoom too (the toolbar with the search field)."""
        self.tabs: QTabWidget | None = None
        """The tab widget whose labels must fit (the clamp)."""
        self.on_applied: Callable[[], None] | None = None
        """Called after each change, so splitters and columns can adapt."""
        self.indicator: Callable[[int], None] | None = None
        """Told the zoom in percent after each change (the status bar shows it while it is not 100 %)."""

    @property
    def factor(self) -> float:
        """The zoom as a factor (1.6 for 160 %)."""
        return percent(self.steps) / 100

    def _font_all(self, widgets: Iterable[QWidget]) -> None:
        size = QApplication.font().pointSizeF()
        wanted = max(5.0, (size if size > 0 else 10.0) * self.factor)
        for widget in widgets:
            font = widget.font()
            if font.pointSizeF() == wanted:
                continue  # e.g. 100 % at start-up: setting it anyway re-measures every list and page (~10 ms)
            font.setPointSizeF(wanted)
            widget.setFont(font)

    def apply(self) -> None:
        """Set the zoomed font; step down while the tab labels do not fit (only once the window is laid out)."""
        if self.target is None:
            return
        self._font_all([self.target, *self.also])
        if self.tabs is not None and self.tabs.isVisible():
            while self.steps > ZOOM_MIN and not tabs_fit(self.tabs):
                self.steps -= 1
                self._font_all([self.target, *self.also])
        if self.indicator is not None:
            self.indicator(percent(self.steps))
        if self.on_applied is not None:
            self.on_applied()

    def set(self, steps: int) -> None:
        """Zoom to *steps* (within 50–200 % and what fits), save it and say so once (the indicator shows
        the zoom; a message only when the zoom asked for does not fit, or when there is no indicator)."""
        wanted = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        self.steps = wanted
        self.apply()
        self._settings.set_zoom(self.steps)
        if self.steps < wanted:
            self._message(f"Zoom {percent(wanted)}% does not fit this window: {percent(self.steps)}%", 4000)
        elif self.indicator is None:  # the status bar's indicator shows the zoom (hidden at 100 %): not twice
            self._message(f"Zoom {percent(self.steps)}%", 2000)

    def clamp_to_window(self) -> None:
        """After the window is shown or resized: step down (and save) if the saved zoom does not fit."""
        before = self.steps
        self.apply()
        if self.steps != before:
            self._settings.set_zoom(self.steps)
            self._message(f"Zoom {percent(before)}% does not fit this window: {percent(self.steps)}%", 4000)

    def zoom_in(self) -> None:
        """Enlarge text."""
        self.set(self.steps + 1)

    def zoom_out(self) -> None:
        """Shrink text."""
        self.set(self.steps - 1)

    def reset(self) -> None:
        """Back to the default text size."""
        self.set(0)
