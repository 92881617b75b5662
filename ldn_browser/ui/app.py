"""Application start-up: QApplication, knowledge base, settings, cache folder, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from ldn_browser import __version__
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import KbError, load_kb
from ldn_browser.core.paths import default_kb_path, resources_dir
from ldn_browser.ui.settings import APPLICATION, default_settings

EXIT_OK = 0
EXIT_BAD_KB = 2
THEME_ENV = "LDN_BROWSER_THEME"
"""Set to "dark" or "light" to force a palette (screenshots, testing); unset follows the system."""


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
    location = env or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    if not location:
        return None
    path = Path(location)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def dark_palette() -> QPalette:
    """A dark palette for ``LDN_BROWSER_THEME=dark`` (the app otherwise follows the system)."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#9a9da3",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3c40",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
        QPalette.ColorRole.Mid: "#4a4d52",
        QPalette.ColorRole.Dark: "#18191b",
        QPalette.ColorRole.Light: "#505357",
        QPalette.ColorRole.Midlight: "#43464a",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8086"))
    return p


def apply_theme(app: QApplication, theme: str | None) -> None:
    """Force a light or dark Fusion palette when asked; otherwise leave the system's palette."""
    if theme not in ("dark", "light"):
        return
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(dark_palette() if theme == "dark" else style.standardPalette() if style else QPalette())


def _load_start_kb(kb_path: Path | None) -> tuple[KnowledgeBase, Path] | None:
    """Load the KB to start with; report problems; fall back to the bundled KB when possible."""
    path = kb_path or default_kb_path()
    try:
        return load_kb(path), path
    except KbError as e:
        problem = e
    bundled = default_kb_path()
    fallback: KnowledgeBase | None = None
    if kb_path is not None and Path(kb_path).resolve() != bundled.resolve():
        try:
            fallback = load_kb(bundled)
        except KbError:
            fallback = None
    for line in problem.lines():
        print(line, file=sys.stderr)
    report_kb_error(problem, using_bundled=fallback is not None)
    return (fallback, bundled) if fallback is not None else None


def report_kb_error(error: KbError, *, using_bundled: bool) -> None:
    """Tell the user which file is invalid and where (tests replace this function)."""
    lines = error.lines()
    details = "\n".join(lines[:10]) + (f"\n… and {len(lines) - 10} more" if len(lines) > 10 else "")
    text = f"{error.path} is not a valid knowledge base."
    if using_bundled:
        text += "\n\nThe bundled knowledge base is used instead."
    icon = QMessageBox.Icon.Warning if using_bundled else QMessageBox.Icon.Critical
    box = QMessageBox(icon, "Cannot open knowledge base", text)
    box.setInformativeText(details)
    box.exec()


def run(kb_path: Path | None = None, argv: list[str] | None = None) -> int:
    """Start the desktop app and return its exit code (2 when no valid KB can be loaded)."""
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
    apply_theme(app, os.environ.get(THEME_ENV))

    loaded = _load_start_kb(kb_path)
    if loaded is None:
        return EXIT_BAD_KB
    kb, path = loaded
    window = MainWindow(kb=kb, kb_path=path, settings=default_settings(), cache_dir=cache_dir())
    if bench := os.environ.get("LDN_BROWSER_BENCH"):
        from ldn_browser.ui.bench_hooks import install

        install(window, app, bench)
    window.show()
    return int(app.exec())
