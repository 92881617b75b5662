"""Paint first, then load: the window frame appears before the knowledge base is read.

The frame (menus, toolbar, search field, status bar) is usable and safe while the knowledge base
is being opened; :meth:`MainWindow.set_kb` then builds the pages. ``run()`` shows the frame and loads
the KB only after the frame has painted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.vocab import Kind
from ldn_browser.ui import app as app_module
from ldn_browser.ui import main_window as main_window_module
from ldn_browser.ui import workers
from ldn_browser.ui.main_window import OPENING_MESSAGE, MainWindow

CROHNS = "condition:crohns-disease"


@pytest.fixture
def frame(make_window: Callable[..., MainWindow]) -> MainWindow:
    """A shown window frame with no knowledge base yet."""
    w = make_window(kb=None, kb_path=None)
    w.show()
    return w


def test_frame_says_the_knowledge_base_is_being_opened(frame: MainWindow) -> None:
    assert not frame.has_pages
    label = frame.centralWidget()
    assert isinstance(label, QLabel) and OPENING_MESSAGE in label.text()
    assert frame.kb_label.text() == OPENING_MESSAGE
    assert not frame.stale_label.isVisible() and not frame.content_is_stale
    assert frame.current_target() is None


def test_frame_disables_what_needs_a_knowledge_base(frame: MainWindow) -> None:
    for action in (
        frame.open_action,
        frame.print_action,
        frame.preview_action,
        frame.export_action,
        frame.zoom_in_action,
        frame.legend_action,
        frame.about_action,
        frame.back_action,
        frame.forward_action,
        frame.bookmark_action,
    ):
        assert not action.isEnabled(), action.text()
    assert frame.quit_action.isEnabled() and frame.focus_search_action.isEnabled()


def test_keys_and_calls_before_the_knowledge_base_do_nothing_harmful(qtbot: QtBot, frame: MainWindow) -> None:
    frame.search_field.setFocus()
    qtbot.keyClicks(frame.search_field, "crohn")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Down, Qt.Key.Key_F6):
        qtbot.keyClick(frame.search_field, key)
    qtbot.keyClick(frame.search_field, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert frame.navigate(CROHNS) is False
    frame.toggle_bookmark()
    frame.help.show_grade_legend()
    frame.focus_next_pane()
    assert frame.help.legend_dialog is None and frame.bookmarks == []
    assert frame.search_field.text() == "crohn"  # kept for when the pages exist
    assert not frame.has_pages


def test_set_kb_builds_the_pages_once(
    qtbot: QtBot, frame: MainWindow, mini_kb: KnowledgeBase, mini_kb_path: Path
) -> None:
    with qtbot.waitSignal(frame.pages_ready, timeout=5000):
        frame.set_kb(mini_kb, mini_kb_path)
    assert frame.has_pages
    assert frame.centralWidget() is frame.page_area and frame.page_area.isAncestorOf(frame.tabs)
    assert frame.tabs.count() == 1 + len(Kind)  # the Overview, then one tab per kind
    assert frame.print_action.isEnabled() and frame.open_action.isEnabled()
    assert frame.kb_label.text().startswith("KB ")
    assert frame.navigate(CROHNS)
    with qtbot.assertNotEmitted(frame.pages_ready):
        frame.set_kb(mini_kb, mini_kb_path)
    assert frame.tabs.count() == 1 + len(Kind)


def test_the_window_input_filter_starts_with_the_pages(
    qtbot: QtBot, frame: MainWindow, mini_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app-wide filter sees every event of every object: the frame paints without it (~65 ms sooner, A/B);
    once the pages have painted it is there, and the mouse's Back button goes back."""
    from ldn_browser.ui import actions

    seen: list[int] = []
    real = actions.WindowInput.eventFilter

    def counting(self: QObject, watched: QObject, event: QEvent) -> bool:
        seen.append(1)
        return real(self, watched, event)  # type: ignore[arg-type]

    monkeypatch.setattr(actions.WindowInput, "eventFilter", counting)
    qtbot.waitExposed(frame)
    frame.repaint()
    qtbot.wait(50)
    assert not seen  # the frame painted, with the filter not yet installed
    frame.set_kb(mini_kb, None)
    assert not seen  # nor while the pages are built (making widgets sends events at once) and lay out
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=5000)  # installed just after the pages' first paint
    frame.navigate(CROHNS)
    frame.navigate("condition:fibromyalgia")
    detail = frame.entity_tabs[Kind.CONDITION].detail
    qtbot.mouseClick(detail.viewport(), Qt.MouseButton.BackButton)
    assert frame.current_target() == CROHNS


def test_query_typed_while_opening_is_answered(qtbot: QtBot, frame: MainWindow, mini_kb: KnowledgeBase) -> None:
    qtbot.keyClicks(frame.search_field, "vivid")
    frame.set_kb(mini_kb, None)
    qtbot.waitUntil(lambda: frame.search_panel.model.hit_count > 0, timeout=20_000)
    assert frame.search_panel.isVisible()
    assert frame.search_panel.model.top_hit_id() == "side_effect:vivid-dreams"


def test_last_tab_is_restored_when_the_pages_arrive(
    window: MainWindow, make_window: Callable[..., MainWindow], mini_kb: KnowledgeBase
) -> None:
    window.tabs.setCurrentIndex(4)
    window.close()
    later = make_window(kb=None, kb_path=None, build_index=False)
    later.close()  # closing the frame must not overwrite the remembered tab
    again = make_window(kb=None, kb_path=None, build_index=False)
    again.set_kb(mini_kb, None)
    assert again.tabs.currentIndex() == 4


class _PaintRecordingWindow(MainWindow):
    painted = False  # set on the instance by its first paint

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.painted = True
        super().paintEvent(event)


@pytest.mark.parametrize("read", ["in the thread pool", "before the window is shown"])
def test_run_paints_the_frame_before_loading_the_kb(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_kb_path: Path, read: str
) -> None:
    """The KB is read beside the frame's first paint; however soon the read ends, it is shown only after it."""
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if read == "before the window is shown":  # the quickest read there could be (seen on CI: a fast read, a slow paint)
        monkeypatch.setattr(app_module, "run_in_background", lambda fn, then: then(fn()))
    monkeypatch.setattr(main_window_module, "MainWindow", _PaintRecordingWindow)
    seen: dict[str, Any] = {}
    windows: list[_PaintRecordingWindow] = []  # this run's window (an earlier test's may not be collected yet)
    real_load = app_module._finish_start_kb  # on the GUI thread, after the KB was read in the thread pool

    def load(kb_path: Any) -> Any:
        (window,) = windows
        seen.update(painted=window.painted, visible=window.isVisible(), pages=window.has_pages)
        window.search_ready.connect(lambda: (seen.update(pages_after=window.has_pages), qapp.exit(0)))
        return real_load(kb_path)

    monkeypatch.setattr(app_module, "_finish_start_kb", load)
    guard = QTimer(singleShot=True, interval=10_000)  # a failure, not a hang, if search is never ready
    guard.timeout.connect(lambda: qapp.exit(9))

    def on_window(window: Any, _app: QApplication) -> None:
        windows.append(window)
        guard.start()

    try:
        assert app_module.run(kb_path=mini_kb_path, on_window=on_window) == app_module.EXIT_OK
    finally:
        guard.stop()  # after run: an exit() outside exec() would break every later event loop
    assert seen == {"painted": True, "visible": True, "pages": False, "pages_after": True}


def test_run_opens_the_search_index_only_after_the_pages_painted(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_kb_path: Path
) -> None:
    """Without a search process, the index opens in a thread that would hold the interpreter while the pages
    lay out (~250 ms later). (With one, the thread only waits: tests/ui/test_search_service_window.py.)"""
    from ldn_browser.core.search.service import DISABLE_ENV
    from ldn_browser.ui.search_controller import SearchController
    from ldn_browser.ui.self_check import StartupWatcher

    monkeypatch.setenv(DISABLE_ENV, "0")
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    order: list[str] = []
    real_build = SearchController.build_index

    def build_index(self: SearchController, kb: KnowledgeBase) -> None:
        order.append("index")
        real_build(self, kb)

    monkeypatch.setattr(SearchController, "build_index", build_index)

    def watch(window: QWidget, app: QApplication) -> None:
        assert isinstance(window, MainWindow)
        StartupWatcher(window, on_stage=order.append, on_done=lambda: app.exit(0))

    assert app_module.run(kb_path=mini_kb_path, on_window=watch) == app_module.EXIT_OK
    assert order == ["first_paint", "pages_paint", "index", "search_ready"]


def test_window_import_path_loads_neither_models_nor_search() -> None:
    """What the frame needs must not import pydantic or Whoosh (they load after the first paint), nor the
    medication check's panel and grammar (made on first use: they had cost ~5 ms before the first pages)."""
    code = (
        "import sys\n"
        "import ldn_browser.__main__, ldn_browser.cli, ldn_browser.ui.app, ldn_browser.ui.main_window\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'whoosh')\n"
        "             or m in ('ldn_browser.core.entities', 'ldn_browser.ui.entity_tab', 'ldn_browser.cli.commands',\n"
        "                      'ldn_browser.ui.meds_panel', 'ldn_browser.core.medications',\n"
        "                      'ldn_browser.core.med_grammar'))\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_paint_events_reach_the_window_filter(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> None:
    """The start-up hook and the benchmark rely on the window itself receiving a Paint event."""
    w = make_window(kb=None, kb_path=None)
    types: list[QEvent.Type] = []

    class Spy(QObject):
        def eventFilter(self, obj: object, event: QEvent) -> bool:  # noqa: N802
            types.append(event.type())
            return False

    spy = Spy(w)
    w.installEventFilter(spy)
    w.show()
    qtbot.waitUntil(lambda: QEvent.Type.Paint in types, timeout=5000)


def test_after_first_paint_falls_back_when_never_painted(qtbot: QtBot) -> None:
    """A window that is never painted (e.g. started minimised) still gets its knowledge base, once."""
    hidden = QWidget()
    qtbot.addWidget(hidden)
    calls: list[int] = []
    workers.AfterFirstPaint(hidden, lambda: calls.append(1), fallback_ms=50)
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
    hidden.show()
    qtbot.wait(100)
    assert calls == [1]


def test_after_first_paint_runs_once_after_painting(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    calls: list[int] = []
    starter = workers.AfterFirstPaint(widget, lambda: calls.append(1), fallback_ms=60_000)
    widget.show()
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)  # long before the fallback
    widget.update()
    qtbot.wait(50)
    starter.cancel()
    assert calls == [1]


def test_run_hands_the_window_to_an_extension_before_showing_it(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_kb_path: Path
) -> None:
    """The benchmarks' probe (benchmarks/app_probe.py) attaches through this hook, not through the package."""
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    seen: list[tuple[bool, bool]] = []

    def hook(window: MainWindow, app: QApplication) -> None:
        seen.append((window.isVisible(), app is qapp))
        window.search_ready.connect(lambda: app.exit(0))

    assert app_module.run(kb_path=mini_kb_path, on_window=hook) == app_module.EXIT_OK  # type: ignore[arg-type]
    assert seen == [(False, True)]


def test_the_window_reads_the_bundled_kb_without_building_a_validator(tmp_path: Path) -> None:
    """Issue 19: the bundled KB comes from its build-time snapshot; no validator is built before search is ready."""
    code = (
        "import sys\n"
        "from ldn_browser.ui import app\n"
        "from ldn_browser.ui.self_check import StartupWatcher\n"
        "seen = []\n"
        "def watch(window, qapp):\n"
        "    StartupWatcher(window, on_stage=seen.append, on_done=lambda: qapp.exit(0))\n"
        "assert app.run(on_window=watch) == 0\n"
        "from ldn_browser.core.entities import KnowledgeBase\n"
        "assert sorted(seen) == ['first_paint', 'pages_paint', 'search_ready'], seen  # search often first\n"
        "assert not KnowledgeBase.__pydantic_complete__, 'a validator or serializer was built'\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LDN_BROWSER_CACHE": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr


def test_the_search_worker_makes_the_spelling_tables_once_search_is_ready(
    qtbot: QtBot, frame: MainWindow, mini_kb: KnowledgeBase
) -> None:
    with qtbot.waitSignal(frame.search_ready, timeout=20_000):
        frame.set_kb(mini_kb, None)
    index = frame.search.index
    assert index is not None
    qtbot.waitUntil(lambda: index.vocab.tables_built, timeout=10_000)  # in the worker, after search was ready
    qtbot.keyClicks(frame.search_field, "krohns")
    qtbot.waitUntil(lambda: frame.search_panel.model.top_hit_id() == CROHNS, timeout=5_000)


def test_pyside_looks_for_its_name_in_each_module_without_keeping_the_source(tmp_path: Path) -> None:
    """PySide6 checks every module imported after it for the word "PySide6"; through ``inspect.getsource`` that
    kept each file's lines in ``linecache`` (~3 MB by the first pages, ~30 ms). ``ldn_browser.ui`` makes it read
    the bytes: the same answer for a module that names PySide6 and one that does not, and nothing kept."""
    for name, text in (("uses_qt_here", "from PySide6 import QtCore\n"), ("plain_here", "X = 1\n")):
        (tmp_path / f"{name}.py").write_text(text, encoding="utf-8")
    script = f"""
import linecache, sys
sys.path.insert(0, {str(tmp_path)!r})
from ldn_browser.core import model_options
model_options.field_docstrings = False  # as the app starts (pydantic reads the models' source for them)
import ldn_browser.ui
import ldn_browser.ui.main_window, uses_qt_here, plain_here
feature = sys.modules["PySide6.support.feature"].pyside_feature_dict
from ldn_browser.ui import page_tabs  # the pages, the models and pydantic
print(feature["uses_qt_here"], feature["plain_here"])
print(sorted(path for path in linecache.cache if "ldn_browser" in path or "pydantic" in path or "_here" in path))
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "0 -1"  # uses PySide6: switchable (0); the others ignored (-1), as PySide6 decides
    assert lines[1] == "[]"  # no module's source kept in memory
