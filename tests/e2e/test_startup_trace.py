"""``LDN_BROWSER_TRACE_STARTUP``: the app says when it reached each start-up stage (the bundle is timed so)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_trace_prints_each_stage_in_order_with_its_time_then_quits(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "LDN_BROWSER_CACHE": str(tmp_path / "k"), "LDN_BROWSER_TRACE_STARTUP": "quit"}  # fmt: skip
    before = time.time()
    r = subprocess.run([sys.executable, "-m", "ldn_browser"], capture_output=True, text=True, env=env, timeout=180)
    after = time.time()
    assert r.returncode == 0, r.stderr[-2000:]
    lines = [line.split() for line in r.stdout.splitlines() if line.startswith("startup: ")]
    assert [parts[1] for parts in lines] == ["first_paint", "pages_paint", "search_ready"] or [
        parts[1] for parts in lines
    ] == ["first_paint", "search_ready", "pages_paint"]
    stamps = [float(parts[2]) for parts in lines]
    assert before < stamps[0] <= stamps[1] <= stamps[2] < after
    # the bundled KB's index came prebuilt: nothing was written to the user cache
    assert not (tmp_path / "k").exists() or not any((tmp_path / "k").iterdir())
