#!/usr/bin/env python3
"""Build the bundled knowledge base's search index at build/install time (read-only at run time).

    python3 tools/build_index.py [--check]

Writes ``ldn_browser/core/search/prebuilt/`` (git-ignored; shipped as package data in the wheel and
as data in the PyInstaller bundle), stamped with the index version and the KB's digest. The app opens
it instead of building an index on first start; a KB that does not match it uses the user cache.
``--check`` only says whether the prebuilt index is current (exit 1 if not). Skips the build when it is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ldn_browser.core.kb import load_kb  # noqa: E402
from ldn_browser.core.paths import default_kb_path  # noqa: E402
from ldn_browser.core.search.cache import PREBUILT_DIR, prebuilt_is_current, write_prebuilt_index  # noqa: E402


def main(argv: list[str]) -> int:
    kb = load_kb(default_kb_path())
    if prebuilt_is_current(kb):
        print(f"build_index: {PREBUILT_DIR} is current")
        return 0
    if "--check" in argv:
        print(f"build_index: {PREBUILT_DIR} is missing or stale")
        return 1
    t = time.perf_counter()
    write_prebuilt_index(kb)
    print(f"build_index: wrote {PREBUILT_DIR} ({len(kb.entries())} entries, {time.perf_counter() - t:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
