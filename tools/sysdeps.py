#!/usr/bin/env python3
"""Install the Debian libraries Qt needs (offscreen, PDF, a real window), only those missing.

As root it runs apt-get; otherwise it prints the exact command to run. On systems without
dpkg/apt-get it does nothing and says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

PACKAGES = [
    # offscreen Qt, PDF output, pytest-qt
    "libgl1",
    "libegl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "libglib2.0-0",
    "fonts-dejavu-core",
    # a real window (xcb, Xvfb)
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
]
TEST_PACKAGES = [
    # PyInstaller needs objdump/strip (the frozen-bundle test); xvfb-run for the X11 check
    "binutils",
    "xvfb",
    "xauth",
    # the bare-system test (tests/e2e/test_bare_system.py) makes a minimal Debian root
    "debootstrap",
    "debian-archive-keyring",
    # desktop-file-validate and appstreamcli validate (tests/core/test_desktop_files.py)
    "desktop-file-utils",
    "appstream",
]


def missing(packages: list[str]) -> list[str]:
    """Packages from *packages* that dpkg does not report as installed."""
    out = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if r.returncode != 0 or "install ok installed" not in r.stdout:
            out.append(pkg)
    return out


def main(argv: list[str] | None = None) -> int:
    """Install (as root) or print the packages; ``--test`` adds what the test suite needs."""
    argv = sys.argv[1:] if argv is None else argv
    wanted = PACKAGES + (TEST_PACKAGES if "--test" in argv else [])
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        print(
            "sysdeps: not a Debian/Ubuntu system; "
            "make sure Qt's libraries (libGL, libEGL, fontconfig, xkbcommon) are installed"
        )
        return 0
    todo = missing(wanted)
    if not todo:
        return 0
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *todo]
    if os.geteuid() != 0:
        print("sysdeps: Qt needs these system packages; please run:\n  sudo apt-get update && sudo " + " ".join(cmd))
        return 0
    print("sysdeps: installing " + " ".join(todo), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, stdout=subprocess.DEVNULL)
    r = subprocess.run([*cmd[:2], "-qq", *cmd[2:]], env=env, stdout=subprocess.DEVNULL)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
