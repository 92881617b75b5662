"""The Windows .ico and macOS .icns icons: generated from the committed PNGs by tools/make_icons.py, fresh."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 32, 64, 128, 256)


def _png(n: int) -> bytes:
    return (ICONS / f"ldn-browser-{n}.png").read_bytes()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_are_fresh() -> None:
    r = subprocess.run([sys.executable, "tools/make_icons.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ico_holds_each_png_with_its_size() -> None:
    data = (ICONS / "ldn-browser.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(SIZES))
    seen = {}
    for i in range(count):
        w, h, _, _, planes, bpp, size, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i])
        image = data[offset : offset + size]
        width, height = _png_size(image)
        assert (w or 256, h or 256) == (width, height) and planes == 1 and bpp == 32
        seen[width] = image
    assert seen == {n: _png(n) for n in SIZES}


def test_icns_holds_each_png_under_its_type() -> None:
    data = (ICONS / "ldn-browser.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    elements, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        elements[kind] = data[pos + 8 : pos + length]
        pos += length
    expected = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256}
    assert set(elements) == set(expected)
    for kind, n in expected.items():
        assert elements[kind] == _png(n) and _png_size(elements[kind]) == (n, n)
