"""The core never imports Qt: it must stay usable without a display or PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ldn_browser.core


def test_core_imports_no_pyside6() -> None:
    modules = [f"ldn_browser.core.{m.name}" for m in pkgutil.iter_modules(ldn_browser.core.__path__)]
    assert "ldn_browser.core.entities" in modules and "ldn_browser.core.kb" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "import ldn_browser.cli\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
