"""Large KBs are read and validated off the GUI thread (review D15): File › Open and start-up."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ldn_browser.core import kb as kb_module
from ldn_browser.ui import app as app_module
from ldn_browser.ui.main_window import MainWindow


def _recording_loader(monkeypatch: Any) -> list[bool]:
    on_gui_thread: list[bool] = []
    real = kb_module.load_kb

    def load(path: Any) -> Any:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return real(path)

    monkeypatch.setattr(kb_module, "load_kb", load)
    return on_gui_thread


def test_file_open_validates_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, dialogs: Any, mini_kb_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    other = tmp_path / "other.json"
    other.write_text(mini_kb_path.read_text(encoding="utf-8").replace('"0.1.0"', '"0.2.0"', 1), encoding="utf-8")
    on_gui_thread = _recording_loader(monkeypatch)
    dialogs.open_answer = other
    window.open_action.trigger()
    assert "Opening" in window.statusBar().currentMessage()  # the window says so while it reads
    qtbot.waitUntil(lambda: window.kb is not None and window.kb.meta.kb_version == "0.2.0", timeout=10_000)
    assert on_gui_thread == [False]


def test_start_up_validates_off_the_gui_thread(
    qapp: QApplication, monkeypatch: Any, tmp_path: Path, mini_kb_path: Path
) -> None:
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    on_gui_thread = _recording_loader(monkeypatch)

    def quit_when_ready(window: Any, app: QApplication) -> None:
        window.pages_ready.connect(lambda: app.exit(0))

    assert app_module.run(kb_path=mini_kb_path, on_window=quit_when_ready) == app_module.EXIT_OK
    assert on_gui_thread == [False]
