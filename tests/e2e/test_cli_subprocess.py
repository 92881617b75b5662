"""``python -m ldn_browser`` behaves like the console script (subprocess, no display)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "ldn_browser", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_module_validate_invalid_exits_2_without_traceback(data_dir: Path) -> None:
    bad = data_dir / "invalid" / "unknown_source_id.json"
    r = _run("validate", str(bad))
    assert r.returncode == 2
    assert r.stderr.startswith(f"{bad}:$.conditions[0].evidence.source_ids[0]: ")
    assert "Traceback" not in r.stderr


def test_module_show_json(mini_kb_path: Path) -> None:
    r = _run("--kb", str(mini_kb_path), "show", "claim:ldn-boosts-tregs", "--json")
    assert r.returncode == 0, r.stderr
    assert '"verdict": "not_found"' in r.stdout


def test_check_gui_opens_the_real_window_until_it_is_ready_then_closes(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "XDG_CACHE_HOME": str(tmp_path / "k")}  # fmt: skip
    r = subprocess.run(
        [sys.executable, "-m", "ldn_browser", "check", "--gui"], capture_output=True, text=True, env=env, timeout=180
    )
    assert r.returncode == 0, r.stdout + r.stderr
    stages = [line.removeprefix("gui check: ") for line in r.stdout.splitlines() if line.startswith("gui check: ")]
    assert stages[0] == "first_paint" and set(stages[:3]) == {"first_paint", "pages_paint", "search_ready"}
    assert stages[-1] == "all passed" and "Traceback" not in r.stderr
    assert "search runs in the search process" in stages  # the start KB's index was the search process's
