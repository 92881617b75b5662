#!/usr/bin/env python3
"""Write the Windows ``.ico`` and macOS ``.icns`` icons from the committed PNG renderings (no Pillow needed).

    python3 tools/make_icons.py          write resources/icons/ldn-browser.ico and .icns
    python3 tools/make_icons.py --check  exit 1 when either file is missing or stale

Both formats embed the PNGs unchanged: ICO has PNG entries since Windows Vista, ICNS since macOS 10.7
(types icp4/icp5/icp6/ic07/ic08). ``tests/core/test_icons.py`` reads them back and compares.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 32, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08"}
"""ICNS element type of each PNG size."""


def _png(size: int) -> bytes:
    return (ICONS / f"ldn-browser-{size}.png").read_bytes()


def ico_bytes() -> bytes:
    """An ICO file with one PNG entry per size (a width/height byte of 0 means 256)."""
    images = [_png(n) for n in SIZES]
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries = b""
    for n, data in zip(SIZES, images, strict=True):
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return head + entries + b"".join(images)


def icns_bytes() -> bytes:
    """An ICNS file with one PNG element per size."""
    body = b"".join(ICNS_TYPES[n] + struct.pack(">I", 8 + len(_png(n))) + _png(n) for n in SIZES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


OUTPUTS = {"ldn-browser.ico": ico_bytes, "ldn-browser.icns": icns_bytes}


def main(argv: list[str]) -> int:
    stale = [n for n, make in OUTPUTS.items() if not (ICONS / n).is_file() or (ICONS / n).read_bytes() != make()]
    if "--check" in argv:
        for name in stale:
            print(f"make_icons: resources/icons/{name} is missing or stale; run python3 tools/make_icons.py")
        return 1 if stale else 0
    for name in stale:
        (ICONS / name).write_bytes(OUTPUTS[name]())
        print(f"make_icons: wrote resources/icons/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
