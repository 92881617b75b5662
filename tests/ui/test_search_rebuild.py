"""A search that fails on a damaged on-disk index rebuilds it in the window (review D9)."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ldn_browser.ui.main_window import MainWindow


def test_window_rebuilds_a_failing_cache_and_answers_again(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window(cache_dir=tmp_path)
    w.show()
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=20_000)
    broken = w.search.index
    assert broken is not None and broken.location is not None

    def decode_error(*_args: object, **_kwargs: object) -> None:
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(broken, "_search", decode_error)
    w.search_field.setText("crohn")
    qtbot.waitUntil(lambda: w.search_panel.showing_error, timeout=10_000)
    qtbot.waitUntil(lambda: w.search.index is not None and w.search.index is not broken, timeout=20_000)
    assert w.search.index.built_now  # the cache was marked bad and rebuilt
    qtbot.waitUntil(lambda: w.search_panel.model.hit_count > 0, timeout=10_000)
    assert not w.search_panel.showing_error
