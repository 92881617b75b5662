"""Application start-up: QApplication, settings, cache folder, main window, knowledge base.

The window is shown first and the knowledge base is loaded once it has painted: reading and
validating the KB needs the pydantic models, which take longer to import than Qt itself, so a
clinician sees the window (saying the knowledge base is being opened) at once instead of nothing.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ldn_browser import __version__
from ldn_browser.core.paths import default_kb_path, portable_data_dir, resources_dir
from ldn_browser.core.text_policy import path_text, terminal_text
from ldn_browser.ui.settings import APPLICATION, AppSettings, default_settings
from ldn_browser.ui.text_widgets import message_box
from ldn_browser.ui.theme import THEME_ENV, apply_theme
from ldn_browser.ui.workers import AfterFirstPaint, run_in_background

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.kb import KbError
    from ldn_browser.core.search.service import SearchService
    from ldn_browser.ui.main_window import MainWindow

EXIT_OK = 0
EXIT_BAD_KB = 2
TRACE_ENV = "LDN_BROWSER_TRACE_STARTUP"
"""Set to 1 to print ``startup: STAGE UNIX-TIME`` as the window reaches each stage (frame painted, pages
painted, search ready); set to ``quit`` to also quit after the last one (how the bundle's start-up is timed)."""


def configure_application(app: QApplication) -> None:
    """Names used by QSettings/QStandardPaths (``~/.cache/ldn-browser`` on Linux) and the UI."""
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("LDN Browser")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("")
    app.setDesktopFileName(APPLICATION)
    app.setWindowIcon(app_icon())


def app_icon() -> QIcon:
    """The application icon from the bundled PNGs (PNG, not SVG: the bundle carries no SVG plugin)."""
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("ldn-browser-*.png")):
        icon.addFile(str(png))
    return icon


def cache_dir() -> Path | None:
    """The writable cache folder for the search index, or None (in-memory index) if unusable."""
    env = os.environ.get("LDN_BROWSER_CACHE")
    portable = portable_data_dir()
    location = env or (str(portable / "cache") if portable else None)
    location = location or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    if not location:
        return None
    path = Path(location)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _load_start_kb(kb_path: Path | None) -> tuple[KnowledgeBase, Path] | None:
    """Load the KB to start with; report problems; fall back to the bundled KB when possible."""
    return _finish_start_kb(_read_start_kb(kb_path))


_StartRead = tuple["KnowledgeBase | None", Path, "KbError | None"]
"""What :func:`_read_start_kb` found: the KB to show (or None), its path, and the problem with the one asked for."""


def _read_start_kb(kb_path: Path | None) -> _StartRead:
    """Read and validate the start KB, and the bundled one if that fails (no Qt: runs in the thread pool)."""
    from ldn_browser.core import model_options, snapshot

    path = kb_path or default_kb_path()
    if "ldn_browser.core.blocks" not in sys.modules:
        model_options.field_docstrings = False  # only the JSON Schema needs them; reading them costs ~30 ms
        # A KB read from its build-time snapshot is not validated: the validators can wait until needed.
        model_options.defer_build = snapshot.matches_file(path)
    from ldn_browser.ui.kb_loader import load_kb_or_error  # imports the pydantic models

    first = load_kb_or_error(path)
    if not isinstance(first, Exception):
        return first, path, None
    bundled = default_kb_path()
    if kb_path is None or Path(kb_path).resolve() == bundled.resolve():
        return None, bundled, first
    fallback = load_kb_or_error(bundled)
    return (None if isinstance(fallback, Exception) else fallback), bundled, first


def _finish_start_kb(read: _StartRead) -> tuple[KnowledgeBase, Path] | None:
    """On the GUI thread: report the problem (if any) and say what to show."""
    kb, path, problem = read
    if problem is not None:
        for line in problem.lines():
            print(terminal_text(line), file=sys.stderr)
        report_kb_error(problem, using_bundled=kb is not None)
    return (kb, path) if kb is not None else None


def report_kb_error(error: KbError, *, using_bundled: bool) -> None:
    """Tell the user which file is invalid and where (tests replace this function)."""
    lines = error.lines()
    details = "\n".join(lines[:10]) + (f"\n… and {len(lines) - 10} more" if len(lines) > 10 else "")
    text = f"{path_text(error.path)} is not a valid knowledge base."
    if using_bundled:
        text += "\n\nThe bundled knowledge base is used instead."
    icon = QMessageBox.Icon.Warning if using_bundled else QMessageBox.Icon.Critical
    message_box(icon, "Cannot open knowledge base", text, details).exec()


def _trace_startup(window: MainWindow, app: QApplication, *, quit_after: bool) -> None:
    """Print each start-up stage with the wall-clock time it was reached (see :data:`TRACE_ENV`)."""
    import time

    from ldn_browser.ui.self_check import StartupWatcher

    def stage(name: str) -> None:
        print(f"startup: {name} {time.time():.6f}", flush=True)

    StartupWatcher(window, on_stage=stage, on_done=app.quit if quit_after else lambda: None)


def run(
    kb_path: Path | None = None,
    argv: list[str] | None = None,
    on_window: Callable[[QWidget, QApplication], object] | None = None,
    collect_garbage: bool | None = None,
    search_service: SearchService | None = None,
) -> int:
    """Start the desktop app and return its exit code (2 when no valid KB can be loaded).

    Order: QApplication, the window frame (shown) while the knowledge base is read in a thread, then the
    knowledge base (reported and replaced by the bundled one if invalid) and the pages; the search index is built
    in the background after that. *on_window* is called with the window and the application before
    the window is shown: the extension point the benchmarks use to time start-up (``benchmarks/app_probe.py``).
    The cyclic garbage collector is paused until search is ready; *collect_garbage* says whether to turn it
    on then (default: whether it is on now; the command line pauses it before importing Qt and passes True).
    *search_service* is the start KB's search process if the caller started it (the command line does, before
    importing Qt); otherwise it is started here. It ends when ``run`` returns.
    """
    # Start-up makes a great many objects that live as long as the app (Qt wrappers, the models, the KB);
    # the cyclic collector scanned them over and over (~150 collections, ~50 ms before search was ready).
    # It is paused until search is ready (or 15 s, or the end of run).
    collecting = gc.isenabled() if collect_garbage is None else collect_garbage
    gc.disable()

    def resume_collection() -> None:
        if collecting:
            gc.enable()

    # The start KB's index opens in a process of its own (``core.search.service``), on the other core, while this
    # one loads the models and paints the pages: search is ready with the pages (issue 19). Started first.
    if search_service is None:
        from ldn_browser.core.search.service import SearchService  # no Qt, no Whoosh, no pydantic

        search_service = SearchService.start(kb_path or default_kb_path())
    service = search_service
    from ldn_browser.ui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    configure_application(app)
    try:
        from ldn_browser.ui.fonts import register_bundled_fonts

        family = register_bundled_fonts()
    except ImportError:  # pragma: no cover - fonts module is optional
        family = None
    if family:
        app.setFont(QFont(family))
    settings = default_settings()
    apply_theme(app, os.environ.get(THEME_ENV) or AppSettings(settings).theme())

    window = MainWindow(kb=None, kb_path=None, settings=settings, cache_dir=cache_dir(), search_service=service)
    if trace := os.environ.get(TRACE_ENV):
        _trace_startup(window, app, quit_after=trace == "quit")
    if on_window is not None:
        on_window(window, app)
    # Resumed once search is ready and the pages have painted, whichever comes last: search is often ready
    # first (the search process opened its index while this one built the pages), and a collection then
    # would delay the pages.
    waiting = {"search", "pages"}

    def reached(stage: str) -> None:
        waiting.discard(stage)
        if not waiting:
            resume_collection()

    window.search_ready.connect(lambda: reached("search"))
    window.pages_ready.connect(lambda: AfterFirstPaint(window.page_area, lambda: reached("pages")))
    QTimer.singleShot(15_000, window, resume_collection)
    exit_code = EXIT_OK

    def show_start_kb(read: object) -> None:
        nonlocal exit_code
        if isinstance(read, BaseException):  # a bug in the loader: logged by the worker, reported here
            from ldn_browser.core.kb import KbError, Problem

            read = (None, kb_path or default_kb_path(), KbError(kb_path or default_kb_path(), [Problem("", str(read))]))
        loaded = _finish_start_kb(read)  # type: ignore[arg-type]
        if loaded is None:
            exit_code = EXIT_BAD_KB
            window.hide()  # not close(): closing the last window would also post a quit for later loops
            app.exit(EXIT_BAD_KB)
            return
        window.set_kb(*loaded)

    # Read and validated off the GUI thread, so the frame keeps painting (D15). Started as the window is shown, not
    # after its first paint: while the frame is made and painted (C++, the GIL released) the read runs beside it.
    # Measured, 11 alternated launches, twice: pages painted 10 ms sooner, the first paint 4 ms later. What was read
    # is shown only once the frame has painted, so a quick read never holds back the first frame.
    start: dict[str, object] = {}

    def start_step(step: str, value: object = None) -> None:
        start[step] = value
        if "painted" in start and "read" in start:
            show_start_kb(start.pop("read"))

    AfterFirstPaint(window, lambda: start_step("painted"))
    run_in_background(lambda: _read_start_kb(kb_path), lambda read: start_step("read", read))
    window.show()
    try:
        code = int(app.exec())
    finally:
        resume_collection()
        window.search.shut_down()  # ends the search process (also when the KB could not be opened)
    return exit_code if exit_code != EXIT_OK else code
