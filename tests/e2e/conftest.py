"""Fixtures shared by the frozen-bundle tests (test_frozen.py, test_bare_system.py)."""

from __future__ import annotations

import pytest
from frozen_bundle import Bundle, build_bundle


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """Build the one-folder bundle with ``pyinstaller build.spec`` into a temporary folder (once per session)."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (the 'dist' extra)")
    return build_bundle(tmp_path_factory.mktemp("pyinstaller"))
