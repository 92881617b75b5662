"""Desktop integration: the .desktop and AppStream files validate, and install-desktop puts them in XDG_DATA_HOME."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ldn_browser import __version__
from ldn_browser.cli import main
from ldn_browser.core import desktop_entry

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
METAINFO = RESOURCES / f"{desktop_entry.APP_ID}.metainfo.xml"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop.org tools")


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: install {package} (python3 tools/sysdeps.py --test does)"
    return path


def _desktop_file_problems(path: Path) -> str:
    r = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(path)], capture_output=True, text=True, timeout=60
    )
    return "" if r.returncode == 0 and not r.stdout.strip() else r.stdout + r.stderr


@linux_only
def test_desktop_file_validates() -> None:
    assert _desktop_file_problems(RESOURCES / desktop_entry.DESKTOP_FILE) == ""


@linux_only
def test_metainfo_validates_without_network() -> None:
    r = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert not re.search(r"^[EWI]: ", r.stdout, flags=re.M), r.stdout  # no error, warning or info


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_metainfo_describes_this_release_with_the_docs_screenshots() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == desktop_entry.APP_ID
    assert root.findtext("launchable") == desktop_entry.DESKTOP_FILE
    assert (RESOURCES / desktop_entry.DESKTOP_FILE).is_file()
    assert len(root.findall("description/p")) >= 2
    assert root.find("content_rating").get("type") == "oars-1.1"  # type: ignore[union-attr]
    releases = [r.get("version") for r in root.findall("releases/release")]
    assert releases[0] == "1.1.0" == __version__  # newest first, and the version the app reports
    images = root.findall("screenshots/screenshot/image")
    assert len(images) >= 2
    for image in images:
        name = (image.text or "").rsplit("/", 1)[-1]
        shot = ROOT / "docs" / name
        assert shot.is_file(), f"screenshot {name} is not in docs/"
        assert _png_size(shot) == (int(image.get("width", 0)), int(image.get("height", 0))), name


@linux_only
def test_install_desktop_writes_menu_entry_and_icons_then_uninstall_removes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert main(["install-desktop"]) == 0
    written = {Path(line.removeprefix("wrote ")) for line in capsys.readouterr().out.splitlines()}
    entry = data / "applications" / "ldn-browser.desktop"
    assert entry in written
    assert (data / "icons/hicolor/256x256/apps/ldn-browser.png").read_bytes() == (
        RESOURCES / "icons" / "ldn-browser-256.png"
    ).read_bytes()
    assert (data / "icons/hicolor/scalable/apps/ldn-browser.svg").is_file()
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    for n in desktop_entry.ICON_SIZES:
        assert _png_size(data / f"icons/hicolor/{n}x{n}/apps/ldn-browser.png") == (n, n)
    text = entry.read_text(encoding="utf-8")
    command = desktop_entry.launcher_command()
    assert f"\nExec={' '.join(command)}\n" in text and f"\nTryExec={command[0]}\n" in text
    assert Path(command[0]).is_file()
    assert _desktop_file_problems(entry) == ""

    assert main(["install-desktop", "--uninstall"]) == 0
    removed = {Path(line.removeprefix("removed ")) for line in capsys.readouterr().out.splitlines()}
    assert removed == written
    assert not [p for p in data.rglob("*") if p.is_file()]
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


@linux_only
def test_exec_line_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    template = (RESOURCES / desktop_entry.DESKTOP_FILE).read_text(encoding="utf-8")
    text = desktop_entry.desktop_entry_text(template, ["/opt/LDN Browser/ldn-browser", "100%"])
    assert '\nExec="/opt/LDN Browser/ldn-browser" 100%%\n' in text
    path = tmp_path / "ldn-browser.desktop"
    path.write_text(text, encoding="utf-8")
    assert _desktop_file_problems(path) == ""


def test_xdg_data_home_default_and_relative_value_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert desktop_entry.xdg_data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop_entry.xdg_data_home() == tmp_path / ".local" / "share"
