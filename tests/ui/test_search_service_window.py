"""The window with its start KB's search process: search from the process, and the window's own index
whenever the process cannot serve (it fails to start, dies, or the window closes first)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ldn_browser.core.search import SearchIndex
from ldn_browser.core.search.service import RemoteSearchIndex, SearchService
from ldn_browser.ui import app as app_module
from ldn_browser.ui.main_window import MainWindow


def _search(window: MainWindow, text: str) -> str | None:
    window.search_field.setText(text)
    window.search.run()  # what the debounce timer calls
    return window.search_panel.model.top_hit_id()


def _shown(make_window: Callable[..., MainWindow], service: SearchService | None, cache: Path) -> MainWindow:
    """A shown window on the mini KB whose first index build is given *service*."""
    w = make_window(search_service=service, cache_dir=cache)
    w.show()
    return w


def _served(qtbot: QtBot, make_window: Callable[..., MainWindow], kb_path: Path, cache: Path) -> MainWindow:
    """A shown window whose index is a real search process's."""
    w = _shown(make_window, SearchService.start(kb_path), cache)
    qtbot.waitUntil(lambda: isinstance(w.search.index, RemoteSearchIndex), timeout=30_000)
    return w


def test_the_app_searches_in_its_search_process_and_ends_it(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_kb_path: Path
) -> None:
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    seen: dict[str, Any] = {}

    def watch(window: QWidget, app: QApplication) -> None:
        assert isinstance(window, MainWindow)

        def ready() -> None:
            index = window.search.index
            seen["remote"] = isinstance(index, RemoteSearchIndex)
            seen["service"] = getattr(index, "service", None)
            seen["krohns"] = _search(window, "krohns")  # spelled by ear
            seen["nightmares"] = _search(window, "nightmares")
            app.exit(0)

        window.search_ready.connect(ready)

    assert app_module.run(kb_path=mini_kb_path, on_window=watch) == app_module.EXIT_OK
    assert seen["remote"], "the index was opened in the window's process"
    assert (seen["krohns"], seen["nightmares"]) == ("condition:crohns-disease", "side_effect:vivid-dreams")
    assert not seen["service"].running  # it ended with the app


def test_when_the_search_process_dies_the_window_opens_its_own_index_and_answers(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb_path: Path, tmp_path: Path
) -> None:
    w = _served(qtbot, make_window, mini_kb_path, tmp_path)
    remote = w.search.index
    assert isinstance(remote, RemoteSearchIndex)
    remote.service._process.kill()  # noqa: SLF001 - a crash
    remote.service._process.wait()  # noqa: SLF001
    w.search_field.setText("fibromyalga")
    w.search.run()
    assert w.search_panel.showing_error and "search service ended" in w.search_panel.notice_label.text()
    qtbot.waitUntil(lambda: isinstance(w.search.index, SearchIndex), timeout=30_000)
    qtbot.waitUntil(lambda: w.search_panel.model.top_hit_id() == "condition:fibromyalgia", timeout=10_000)


def test_a_search_process_that_fails_leaves_the_window_searching(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    mini_kb_path: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    failing = SearchService.start(mini_kb_path, command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    w = _shown(make_window, failing, tmp_path)
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=30_000)
    assert isinstance(w.search.index, SearchIndex)
    assert "search service not used (the search service ended (exit code 3))" in capfd.readouterr().err
    assert _search(w, "RA vs crohns") is not None
    assert _search(w, "Crohns") == "condition:crohns-disease"


def test_closing_the_window_while_the_search_process_opens_ends_it_and_opens_nothing(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    mini_kb_path: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    silent = SearchService.start(mini_kb_path, command=[sys.executable, "-c", "import time; time.sleep(60)"])
    assert silent is not None
    w = _shown(make_window, silent, tmp_path)
    qtbot.waitUntil(lambda: not w.search.has_service, timeout=10_000)  # handed to the worker, which waits
    started = time.monotonic()
    w.close()
    assert not silent.running
    assert time.monotonic() - started < 8  # it was killed, not waited for
    assert w.search.index is None
    assert "search service not used" not in capfd.readouterr().err  # nothing opened in its place


def test_a_query_still_waiting_when_the_window_closes_is_dropped(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb_path: Path, tmp_path: Path
) -> None:
    """It would ask the ended service, fail, and open an index for a window that is gone."""
    w = _served(qtbot, make_window, mini_kb_path, tmp_path)
    w.search_field.setText("crohn")  # the debounce timer starts
    w.close()
    qtbot.wait(400)  # longer than the debounce
    assert isinstance(w.search.index, RemoteSearchIndex)  # not replaced by an index opened after the failure
    assert w.search.index.service.cancelled or not w.search.index.service.running


def test_search_is_ready_before_the_pages_paint_when_the_process_has_its_index_open(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The window's worker only waits for the search process: it starts before the pages are built, so a process
    that has its index open (it opens it as it starts) makes search ready first, not after the pages' layout."""
    import textwrap

    from ldn_browser.core.paths import default_kb_path
    from ldn_browser.ui.self_check import StartupWatcher

    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    marker = tmp_path / "index-open"
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from ldn_browser.core.search import cache
        opened = cache.open_prebuilt_index
        def mark(*a, **k):
            found = opened(*a, **k)
            Path(sys.argv[2]).write_text("open" if found is not None else "none")
            return found
        cache.open_prebuilt_index = mark
        from ldn_browser.core.search.service import main
        sys.exit(main(sys.argv[1:2]))
        """
    )
    kb_path = default_kb_path()
    service = SearchService.start(kb_path, command=[sys.executable, "-c", code, str(kb_path), str(marker)])
    assert service is not None
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.read_text() == "open"
    order: list[str] = []

    def watch(window: QWidget, app: QApplication) -> None:
        StartupWatcher(window, on_stage=order.append, on_done=lambda: app.exit(0))  # type: ignore[arg-type]

    assert app_module.run(on_window=watch, search_service=service) == app_module.EXIT_OK
    assert order == ["first_paint", "search_ready", "pages_paint"]
    assert not service.running


def test_a_kb_opened_later_gets_a_search_process_of_its_own(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb_path: Path, tmp_path: Path
) -> None:
    """File › Open: the new KB is indexed and searched in a new search process (a large one by two processes there,
    not in a thread of the window's), and the start KB's process ends."""
    w = _served(qtbot, make_window, mini_kb_path, tmp_path / "cache")
    first = w.search.index
    assert isinstance(first, RemoteSearchIndex)
    other = tmp_path / "other.json"
    other.write_bytes(mini_kb_path.read_bytes())
    assert w.open_kb(other)
    qtbot.waitUntil(lambda: w.search.index is not None and w.search.index is not first, timeout=30_000)
    second = w.search.index
    assert isinstance(second, RemoteSearchIndex) and second.service.pid != first.service.pid
    qtbot.waitUntil(lambda: not first.service.running, timeout=10_000)
    assert _search(w, "krohns") == "condition:crohns-disease"


def test_a_window_started_without_a_search_process_indexes_a_kb_opened_later_itself(
    qtbot: QtBot, make_window: Callable[..., MainWindow], mini_kb_path: Path, tmp_path: Path
) -> None:
    w = _shown(make_window, None, tmp_path / "cache")
    qtbot.waitUntil(lambda: isinstance(w.search.index, SearchIndex), timeout=30_000)
    other = tmp_path / "other.json"
    other.write_bytes(mini_kb_path.read_bytes())
    first = w.search.index
    assert w.open_kb(other)
    qtbot.waitUntil(lambda: isinstance(w.search.index, SearchIndex) and w.search.index is not first, timeout=30_000)
