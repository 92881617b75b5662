"""Portable mode: a ``portable`` file or folder beside the frozen executable keeps the data there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ldn_browser.core import paths


@pytest.fixture
def frozen_exe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be the frozen app whose executable is ``tmp_path/app/ldn-browser``."""
    app = tmp_path / "app"
    app.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app / "ldn-browser"))
    return app


def test_not_portable_without_a_marker(frozen_exe: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.portable_data_dir() is None
    if sys.platform.startswith("linux"):
        assert paths.user_cache_dir() == tmp_path / "xdg" / "ldn-browser"


def test_portable_file_keeps_data_in_portable_data_beside_the_executable(frozen_exe: Path) -> None:
    (frozen_exe / "portable").write_bytes(b"")
    assert paths.portable_data_dir() == frozen_exe / "portable-data"
    assert paths.user_cache_dir() == frozen_exe / "portable-data" / "cache"


def test_portable_folder_holds_the_data_itself(frozen_exe: Path) -> None:
    (frozen_exe / "portable").mkdir()
    assert paths.portable_data_dir() == frozen_exe / "portable"
    assert paths.user_cache_dir() == frozen_exe / "portable" / "cache"


def test_cache_env_wins_over_portable(frozen_exe: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (frozen_exe / "portable").mkdir()
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "elsewhere"))
    assert paths.user_cache_dir() == tmp_path / "elsewhere"


def test_source_run_is_never_portable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From source the "executable" is Python: a ``portable`` file next to it must not matter."""
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert paths.executable_dir() is None
    assert paths.portable_data_dir() is None
