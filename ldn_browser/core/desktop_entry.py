"""Menu entry, icons and AppStream file in the user's XDG data folder (``ldn-browser install-desktop``).

Installs ``applications/ldn-browser.desktop`` (``Exec`` pointing at this very program), the hicolor icons
(PNG 16-256 px and the SVG) and ``metainfo/<app id>.metainfo.xml`` under ``$XDG_DATA_HOME`` (default
``~/.local/share``), the places the freedesktop.org menu and icon-theme specifications read. ``--uninstall``
removes exactly those files again.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from ldn_browser.core import paths

APP_ID = "io.github.ldnbrowser.LdnBrowser"
DESKTOP_FILE = "ldn-browser.desktop"
ICON_NAME = "ldn-browser"
ICON_SIZES = (16, 32, 64, 128, 256)


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path, else ``~/.local/share`` (XDG Base Directory spec)."""
    env = os.environ.get("XDG_DATA_HOME", "")
    return Path(env) if env and os.path.isabs(env) else Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts this program: the frozen executable, else the console script or ``python -m``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).with_name("ldn-browser")
    if script.is_file():
        return [str(script)]
    return [str(Path(sys.executable).resolve()), "-m", "ldn_browser"]


def _exec_quote(arg: str) -> str:
    """Quote one ``Exec`` argument as the Desktop Entry spec asks (reserved characters inside double quotes)."""
    if not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg.replace("%", "%%")
    escaped = re.sub(r'(["`$\\])', r"\\\1", arg).replace("%", "%%")
    return f'"{escaped}"'


def desktop_entry_text(template: str, command: list[str]) -> str:
    """The bundled ``.desktop`` file with ``Exec`` and ``TryExec`` set to *command*."""
    exec_line = " ".join(_exec_quote(a) for a in command)
    # In a desktop file a backslash inside a string value is itself escaped once more.
    exec_line = exec_line.replace("\\", "\\\\")
    text = re.sub(r"^Exec=.*$", lambda _: f"Exec={exec_line}", template, flags=re.M)
    return re.sub(r"^TryExec=.*$", lambda _: f"TryExec={command[0]}", text, flags=re.M)


def planned_files(data_home: Path) -> dict[Path, Path | None]:
    """Target -> bundled source (None: the desktop file, which is generated)."""
    icons = paths.resources_dir() / "icons"
    hicolor = data_home / "icons" / "hicolor"
    plan: dict[Path, Path | None] = {data_home / "applications" / DESKTOP_FILE: None}
    for n in ICON_SIZES:
        plan[hicolor / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png"] = icons / f"{ICON_NAME}-{n}.png"
    plan[hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg"] = icons / f"{ICON_NAME}.svg"
    plan[data_home / "metainfo" / f"{APP_ID}.metainfo.xml"] = paths.resources_dir() / f"{APP_ID}.metainfo.xml"
    return plan


def install(data_home: Path, command: list[str]) -> list[Path]:
    """Write the menu entry, icons and metainfo under *data_home*; returns the files written.

    Raises OSError (with the file name) when a bundled file is missing or a target cannot be written.
    """
    plan = planned_files(data_home)
    missing = [str(src) for src in plan.values() if src is not None and not src.is_file()]
    if missing:
        raise FileNotFoundError(f"bundled file missing: {', '.join(missing)}")
    template = (paths.resources_dir() / DESKTOP_FILE).read_text(encoding="utf-8")
    for target, src in plan.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if src is None:
            target.write_text(desktop_entry_text(template, command), encoding="utf-8")
        else:
            shutil.copyfile(src, target)
    return list(plan)


def uninstall(data_home: Path) -> list[Path]:
    """Remove what :func:`install` wrote (only those files); returns the files removed."""
    removed = []
    for target in planned_files(data_home):
        if target.is_file():
            target.unlink()
            removed.append(target)
    return removed
