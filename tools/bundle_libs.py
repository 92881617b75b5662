"""Which shared libraries the Linux bundle leaves to the target system, declared once.

Read by ``build.spec`` (what to leave out), by ``tests/e2e/test_frozen.py`` (the glibc floor) and by
``tests/e2e/test_bare_system.py`` (which Debian packages stand in for "a Linux desktop"). The list follows the
AppImage project's exclude list (libraries every desktop distribution ships, ABI-stable, often tied to the
local hardware or configuration) and keeps in the bundle what Qt's wheels need that desktops may lack
(the xcb-util family, libxkbcommon-x11; ``libxcb-cursor0`` is not installed by default on Ubuntu 22.04).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

GLIBC_FLOOR = (2, 35)
"""No ELF file in the bundle may need a newer ``GLIBC_`` symbol version (Ubuntu 22.04 has 2.35)."""

GLIBCXX_FLOOR = (3, 4, 29)
"""Nor a newer ``GLIBCXX_`` one than GCC 11's libstdc++ (what Qt's wheels need; Ubuntu 22.04 has GCC 12's)."""

SYSTEM_LIBRARIES: dict[str, tuple[str, ...]] = {
    # group (Debian package that provides the libraries on the target): sonames left out of the bundle
    "C++ runtime (libstdc++6, libgcc-s1; Qt's wheels need GLIBCXX_3.4.29, GCC 11+)": (
        "libstdc++.so.6",
        "libgcc_s.so.1",
    ),
    "X11 and xcb core (libx11-6, libx11-xcb1, libxau6, libxdmcp6, libxcb-* of the libxcb source)": (
        "libX11.so.6",
        "libX11-xcb.so.1",
        "libXau.so.6",
        "libXdmcp.so.6",
        "libxcb.so.1",
        "libxcb-glx.so.0",
        "libxcb-randr.so.0",
        "libxcb-render.so.0",
        "libxcb-shape.so.0",
        "libxcb-shm.so.0",
        "libxcb-sync.so.1",
        "libxcb-xfixes.so.0",
        "libxcb-xkb.so.1",
        "libxkbcommon.so.0",
    ),
    "D-Bus and systemd (libdbus-1-3, libsystemd0 with its libzstd1)": (
        "libdbus-1.so.3",
        "libsystemd.so.0",
        "libzstd.so.1",
    ),
    "GLib (libglib2.0-0)": ("libglib-2.0.so.0", "libgthread-2.0.so.0"),
    "GL/EGL (libgl1, libegl1; PyInstaller never bundles them)": ("libGL.so.1", "libEGL.so.1", "libOpenGL.so.0"),
    "fonts (libfontconfig1, libfreetype6, libexpat1)": ("libfontconfig.so.1", "libfreetype.so.6", "libexpat.so.1"),
    "printing, TLS and Kerberos (libcups2 with libgnutls30, libkrb5-3, libgssapi-krb5-2, libavahi-client3)": (
        "libcups.so.2",
        "libgnutls.so.30",
        "libkrb5.so.3",
        "libgssapi_krb5.so.2",
        "libk5crypto.so.3",
        "libkrb5support.so.0",
        "libavahi-client.so.3",
        "libavahi-common.so.3",
    ),
}
"""Libraries a Linux desktop provides: left out of the bundle (with whatever only they pulled in)."""

DESKTOP_PACKAGES: tuple[str, ...] = (
    "libgl1",
    "libegl1",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-glx0",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libdbus-1-3",
    "libglib2.0-0",
    "libfontconfig1",
    "libfreetype6",
    "libexpat1",
    "libcups2",
)
"""What the bare-system test adds to a ``debootstrap --variant=minbase`` Debian root (which already has
libc6, libstdc++6, libgcc-s1, libsystemd0 and libzstd1): the libraries above, as a desktop has them. The fonts that
libfontconfig1 pulls in are removed again, so the bundled font is the only one."""


def system_sonames() -> frozenset[str]:
    """Every soname in :data:`SYSTEM_LIBRARIES`."""
    return frozenset(name for names in SYSTEM_LIBRARIES.values() for name in names)


def glibc_version(symbol_version: str) -> tuple[int, ...]:
    """``"GLIBC_2.35"`` -> ``(2, 35)`` (also ``"GLIBCXX_3.4.29"`` -> ``(3, 4, 29)``)."""
    return tuple(int(part) for part in symbol_version.split("_", 1)[1].split("."))


def is_elf(path: Path) -> bool:
    """True for an ELF file (executable, shared library, extension module)."""
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def _objdump_private_headers(path: Path) -> str:
    r = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"objdump -p {path} failed: {r.stderr.strip()}")
    return r.stdout


def needed_libraries(path: Path) -> list[str]:
    """The file's own ``DT_NEEDED`` entries (not transitive, unlike ``ldd``)."""
    return re.findall(r"^\s+NEEDED\s+(\S+)$", _objdump_private_headers(path), flags=re.M)


def glibc_needed(path: Path, prefix: str = "GLIBC") -> tuple[int, ...] | None:
    """The highest ``GLIBC_x.y`` (or *prefix*, e.g. ``GLIBCXX``) version the file requires, or None.

    Read from the file's version references (``objdump -p``), not from the symbols it defines.
    """
    text = _objdump_private_headers(path)
    refs = text.split("Version References:", 1)[1] if "Version References:" in text else ""
    versions = [glibc_version(v) for v in re.findall(rf"\b{prefix}_[0-9][0-9.]*\b", refs)]
    return max(versions) if versions else None
