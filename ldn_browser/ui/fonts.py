"""Fonts shipped inside the frozen bundle, so text renders on a machine with no system fonts.

The PyInstaller build (``build.spec``) copies freely licensed TTFs (DejaVu Sans, with its licence) into
``resources/fonts/`` inside the bundle. A source checkout has no such folder and uses the system fonts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication

from ldn_browser.core.paths import resources_dir

# "folder\nfamily", remembered on the application object: a new QGuiApplication registers again.
_DONE_PROPERTY = "ldnBundledFontFamily"


def bundled_font_dir() -> Path:
    """The folder the build copies the bundled TTFs into (absent in a source checkout)."""
    return resources_dir() / "fonts"


def register_bundled_fonts() -> str | None:
    """Register every ``*.ttf`` in ``resources/fonts`` with Qt and name the family to use.

    Call it once a QGuiApplication/QApplication exists, before building widgets or documents. Further
    calls with the same application (and fonts folder) return the remembered answer without registering
    again. Use the family for the app font and for printed documents, e.g. ``app.setFont(QFont(family))``
    and ``doc.setDefaultFont(QFont(family, 10))``.

    Returns:
        The family of the first font file (in name order) that Qt accepted, e.g. ``"DejaVu Sans"``, or
        None when no font is bundled (source checkout) or none could be loaded.

    Raises:
        RuntimeError: when no QGuiApplication exists yet (Qt cannot register fonts before that).
    """
    app = QGuiApplication.instance()
    if app is None:
        raise RuntimeError("register_bundled_fonts() needs a QGuiApplication; create the application first")
    folder = bundled_font_dir()
    done = app.property(_DONE_PROPERTY)
    if isinstance(done, str) and done.partition("\n")[0] == str(folder):
        return done.partition("\n")[2] or None
    family: str | None = None
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".ttf") if folder.is_dir() else []
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if family is None and families:
            family = families[0]
    app.setProperty(_DONE_PROPERTY, f"{folder}\n{family or ''}")
    return family
