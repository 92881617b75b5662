"""The bundle on a bare Linux system: a minimal Debian root with only a desktop's libraries, no fonts, no network.

The root is made once by ``bare_root.cached_root()`` (debootstrap minbase + ``bundle_libs.DESKTOP_PACKAGES``,
fonts purged; cached, keyed by its package list). The bundle is copied into it and run through ``chroot`` inside
``unshare --net`` (only a loopback device, down), so it can reach no network, with no system font to fall back on.
Needs root. Opt-in locally like every frozen test (``LDN_TEST_FROZEN=1``); CI always runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from bare_root import cached_root, font_files
from frozen_bundle import Bundle

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.frozen,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux root made with debootstrap"),
    pytest.mark.skipif(
        sys.platform.startswith("linux") and os.geteuid() != 0, reason="debootstrap and chroot need root"
    ),
]

SHEET_CONDITION = "condition:crohns-disease"


@pytest.fixture(scope="module")
def root() -> Path:
    """The cached bare root (made here on first use: about 70 s)."""
    missing = [tool for tool in ("debootstrap", "chroot", "unshare") if shutil.which(tool) is None]
    assert not missing, f"missing {missing}: python3 tools/sysdeps.py --test installs debootstrap"
    return cached_root()


@pytest.fixture(scope="module")
def installed(root: Path, bundle: Bundle) -> Iterator[str]:
    """The bundle copied into the root under a fresh /opt folder (removed afterwards); yields its path there."""
    name = f"ldn-browser-{uuid.uuid4().hex[:8]}"
    target = root / "opt" / name
    shutil.copytree(bundle.folder, target, symlinks=True)
    try:
        yield f"/opt/{name}"
    finally:
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(root / "tmp" / name, ignore_errors=True)


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    """An Xvfb display on the host; its socket in /tmp/.X11-unix is bind-mounted into the root."""
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (Debian package xvfb; tools/sysdeps.py --test installs it)")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        number = server.stdout.readline().strip()
        assert number.isdigit(), "Xvfb did not report its display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def _in_root(root: Path, installed: str, *argv: str, display: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run *argv* in the root: no network namespace but loopback, /proc mounted, a clean environment.

    With *display*, the host's X socket folder is bind-mounted into the root and Qt uses xcb on it (a
    Unix socket on the file system; the network namespace has no route to anything else).
    """
    home = f"/tmp/{Path(installed).name}"
    platform = ["QT_QPA_PLATFORM=xcb", f"DISPLAY={display}"] if display else ["QT_QPA_PLATFORM=offscreen"]
    inner = [
        "env",
        "-i",
        f"HOME={home}",
        "LANG=C.UTF-8",
        "PATH=/usr/bin:/bin",
        *platform,
        "sh",
        "-c",
        f'mkdir -p {home} && cd {home} && exec "$@"',
        "sh",
        *argv,
    ]
    script = 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"'
    if display:
        script = 'mkdir -p "$0/tmp/.X11-unix" && mount --bind /tmp/.X11-unix "$0/tmp/.X11-unix" && ' + script
    return subprocess.run(
        ["unshare", "--net", "--mount", "sh", "-c", script, str(root), *inner],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bare_root_is_bare(root: Path) -> None:
    """What the root has: Debian minbase plus the desktop libraries, and no font at all."""
    listing = (root / "ldn-bare-root.txt").read_text(encoding="utf-8").split()
    packages = set(listing[::2])
    assert {"libgl1", "libcups2", "libfontconfig1", "libstdc++6"} <= packages
    assert not {p for p in packages if p.startswith(("fonts-", "python3", "xserver-", "libqt"))}
    assert not font_files(root)


def test_bundle_runs_check_search_and_sheet_offline_without_fonts(root: Path, installed: str) -> None:
    exe = f"{installed}/ldn-browser"
    net = _in_root(root, installed, "cat", "/proc/net/dev")
    assert net.returncode == 0, net.stderr
    devices = [line.split(":")[0].strip() for line in net.stdout.splitlines()[2:]]
    assert devices == ["lo"], f"the run is not cut off from the network: {devices}"

    check = _in_root(root, installed, exe, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1] == "check: all passed"
    assert f"{installed}/_internal/resources/kb/ldn_kb.json" in check.stdout

    search = _in_root(root, installed, exe, "search", "RA", "--json")
    assert search.returncode == 0, search.stderr
    hits = json.loads(search.stdout)
    assert hits and any("rheumatoid" in h["title"].lower() for h in hits)

    sheet = _in_root(root, installed, exe, "sheet", SHEET_CONDITION, "--out", "bare.pdf")
    assert sheet.returncode == 0, sheet.stderr
    assert "Traceback" not in sheet.stderr
    from pypdf import PdfReader

    reader = PdfReader(root / "tmp" / Path(installed).name / "bare.pdf")
    fonts = {
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and fonts <= {"DejaVuSans", "DejaVuSans-Bold"}, fonts  # only the bundled font exists there
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Crohn's disease" in text


def test_bundle_opens_its_window_on_x11_in_the_bare_root(root: Path, installed: str, x_display: str) -> None:
    """The xcb platform plugin loads there: the xcb-util libraries the bundle carries fill what the root lacks."""
    r = _in_root(root, installed, f"{installed}/ldn-browser", "check", "--gui", display=x_display)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == "gui check: all passed"
