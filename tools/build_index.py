#!/usr/bin/env python3
"""Build the bundled knowledge base's search index and validated snapshot at build/install time.

    python3 tools/build_index.py [--check]

Writes ``ldn_browser/core/search/prebuilt/`` and ``ldn_browser/core/prebuilt/`` (git-ignored; shipped
as package data in the wheel and as data in the PyInstaller bundle). The index is stamped with the index
version and the KB's digest; the app opens it instead of building an index on first start, and a KB
that does not match it uses the user cache. The snapshot is the KB as validated now, stamped with the
KB's bytes and the code that validated it (``ldn_browser/core/snapshot.py``); the app reads it instead
of validating the bundled KB again. ``--check`` only says whether both are current (exit 1 if not).
Skips what is current.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ldn_browser.core import snapshot  # noqa: E402
from ldn_browser.core.kb import MAX_KB_BYTES, parse_kb, read_bounded  # noqa: E402
from ldn_browser.core.paths import default_kb_path  # noqa: E402
from ldn_browser.core.search.cache import PREBUILT_DIR, prebuilt_is_current, write_prebuilt_index  # noqa: E402


def main(argv: list[str]) -> int:
    path = default_kb_path()
    raw = read_bounded(path, MAX_KB_BYTES)
    kb = parse_kb(raw, path)  # validated here, never read from the snapshot being checked
    stale = []
    if not prebuilt_is_current(kb):
        stale.append(PREBUILT_DIR)
    if not snapshot.is_current(raw):
        stale.append(snapshot.SNAPSHOT_DIR)
    if not stale:
        print(f"build_index: {PREBUILT_DIR} and {snapshot.SNAPSHOT_DIR} are current")
        return 0
    if "--check" in argv:
        print(f"build_index: {', '.join(map(str, stale))} missing or stale")
        return 1
    t = time.perf_counter()
    if PREBUILT_DIR in stale:
        write_prebuilt_index(kb)
    if snapshot.SNAPSHOT_DIR in stale:
        snapshot.write(raw, kb)
    took = time.perf_counter() - t
    print(f"build_index: wrote {', '.join(map(str, stale))} ({len(kb.entries())} entries, {took:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
