"""Watching the real window start: frame painted, pages painted, search ready.

Used by ``ldn-browser check --gui`` (which then closes the app) and by the benchmarks' start-up probe
(``benchmarks/app_probe.py``), both through ``ui.app.run(on_window=…)``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from ldn_browser.ui.main_window import MainWindow

STAGES = ("first_paint", "pages_paint", "search_ready")
"""In the order the window usually reaches them (pages and search may swap; the KB, read while the frame is made,
may be shown before the frame first paints)."""


class StartupWatcher(QObject):
    """Calls *on_stage* with each stage name once, then *on_done* when all three were reached."""

    def __init__(self, window: MainWindow, *, on_stage: Callable[[str], None], on_done: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._on_stage, self._on_done = window, on_stage, on_done
        self.reached: list[str] = []
        window.installEventFilter(self)
        window.pages_ready.connect(lambda: window.page_area.installEventFilter(self))
        window.search_ready.connect(lambda: self._reach("search_ready"))

    def _reach(self, stage: str) -> None:
        if stage in self.reached:
            return
        self.reached.append(stage)
        self._on_stage(stage)
        if len(self.reached) == len(STAGES):
            QTimer.singleShot(0, self._on_done)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Note the first paint of the window frame and of the pages' container."""
        if event.type() == QEvent.Type.Paint:
            if watched is self._window:
                self._reach("first_paint")
            elif self._window.has_pages and watched is self._window.page_area:
                self._reach("pages_paint")
        return False


def gui_check(window: MainWindow, app: QApplication, *, timeout_ms: int = 60_000) -> None:
    """``check --gui``: print each stage as the window reaches it, then quit (exit 1 after *timeout_ms*)."""

    def stage(name: str) -> None:
        print(f"gui check: {name}", flush=True)

    def done() -> None:
        from ldn_browser.core.search.service import RemoteSearchIndex  # light: no Whoosh

        where = "the search process" if isinstance(window.search.index, RemoteSearchIndex) else "this process"
        print(f"gui check: search runs in {where}", flush=True)
        print("gui check: all passed", flush=True)
        window.close()
        app.exit(0)

    def too_slow() -> None:
        print(f"gui check: FAIL, only reached {', '.join(watcher.reached) or 'nothing'}", flush=True)
        app.exit(1)

    watcher = StartupWatcher(window, on_stage=stage, on_done=done)
    QTimer.singleShot(timeout_ms, too_slow)
