"""Light and dark palettes: detecting a dark palette, and View › Theme (System, Light, Dark; saved).

``LDN_BROWSER_THEME`` (dark or light), when set, wins over the saved choice (screenshots, testing).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEME_ENV = "LDN_BROWSER_THEME"
"""Set to "dark" or "light" to force a palette (screenshots, testing); unset uses View › Theme."""
THEMES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
"""The choices of View › Theme: value and menu text."""

_system: tuple[str, QPalette] | None = None
"""The style name and palette the application started with (what "System" goes back to)."""


def palette_is_dark(palette: QPalette) -> bool:
    """True when the palette's window colour is dark (badge colours are chosen from this)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


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
    """A light or dark Fusion palette for "light" and "dark"; the system's style and palette otherwise."""
    global _system
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    if theme not in ("dark", "light"):
        name, palette = _system
        if app.style().name() != name and (system_style := QStyleFactory.create(name)) is not None:
            app.setStyle(system_style)
        app.setPalette(palette)
        return
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(dark_palette() if theme == "dark" else style.standardPalette() if style else QPalette())
