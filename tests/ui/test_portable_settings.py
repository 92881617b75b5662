"""Portable mode in the UI: settings (with bookmarks) and the index cache go to the portable folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ldn_browser.ui import app as app_module
from ldn_browser.ui.settings import AppSettings, default_settings


def test_portable_settings_and_cache_stay_beside_the_executable(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe_dir = tmp_path / "app"
    (exe_dir / "portable").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe_dir / "ldn-browser"))
    store = default_settings()
    assert Path(store.fileName()) == exe_dir / "portable" / "ldn-browser.conf"
    AppSettings(store).set_bookmarks(["condition:crohns-disease"])
    assert "condition:crohns-disease" in (exe_dir / "portable" / "ldn-browser.conf").read_text(encoding="utf-8")
    assert AppSettings(default_settings()).bookmarks() == ["condition:crohns-disease"]
    assert app_module.cache_dir() == exe_dir / "portable" / "cache"
    assert (exe_dir / "portable" / "cache").is_dir()


def test_settings_are_per_user_when_not_portable(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "ldn-browser"))
    assert not Path(default_settings().fileName()).is_relative_to(tmp_path)
