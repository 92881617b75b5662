"""Field docstrings are read into the models for the JSON Schema, and left out where the window loads them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

SNIPPET = "from ldn_browser.core.blocks import Certainty; print(Certainty.model_fields['grade'].description)"


def _run(code: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.strip().splitlines()[-1]


def test_models_carry_field_docstrings_by_default() -> None:
    assert _run(SNIPPET).startswith("GRADE certainty")


def test_switch_leaves_them_out() -> None:
    assert _run("from ldn_browser.core import model_options; model_options.field_docstrings = False; " + SNIPPET) == (
        "None"
    )


def test_the_window_loads_the_kb_without_them() -> None:
    code = "from ldn_browser.ui.app import _load_start_kb; assert _load_start_kb(None) is not None; " + SNIPPET
    assert _run(code) == "None"
