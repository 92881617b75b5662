"""Two app processes building the same (cold) index cache at once both end up working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def test_two_processes_building_one_cache_both_work(tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    env = {**os.environ, "LDN_BROWSER_CACHE": str(cache), "QT_QPA_PLATFORM": "offscreen"}
    # Not the bundled KB: its index ships prebuilt and never goes to the user cache.
    mini_kb = Path(__file__).resolve().parents[1] / "data" / "mini_kb.json"
    cmd = [sys.executable, "-m", "ldn_browser", "--kb", str(mini_kb), "search", "crohns", "--json"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert json.loads(out)[0]["id"] == "condition:crohns-disease"
    index_dirs = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".tmp")]
    assert len(index_dirs) == 1, sorted(p.name for p in cache.iterdir())
    third = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180)
    assert third.returncode == 0 and json.loads(third.stdout)[0]["id"] == "condition:crohns-disease"
