"""Shared test setup: Qt runs offscreen; tests that use a QApplication are marked ``gui``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import
os.environ.setdefault("LANG", "C.UTF-8")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from ldn_browser.core.entities import KnowledgeBase  # noqa: E402
from ldn_browser.core.kb import load_kb  # noqa: E402
from ldn_browser.core.paths import default_kb_path  # noqa: E402

DATA = Path(__file__).parent / "data"
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


FROZEN_ENV = "LDN_TEST_FROZEN"
"""Set to 1 to build and test the PyInstaller bundle (``.ci/run`` always does; about 90 s)."""


def _frozen_wanted() -> bool:
    return os.environ.get(FROZEN_ENV, "") not in ("", "0")


def pytest_report_header() -> str:
    """Say whether the frozen-bundle tests run, and how to turn them on."""
    if _frozen_wanted():
        return "frozen-bundle tests: on"
    return f"frozen-bundle tests: off locally (set {FROZEN_ENV}=1; .ci/run always runs them)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that asks for a QApplication as ``gui``; leave out ``frozen`` tests unless asked for."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qapp" in fixtures or "qtbot" in fixtures:
            item.add_marker(pytest.mark.gui)
    if not _frozen_wanted():
        left_out = [item for item in items if item.get_closest_marker("frozen") is not None]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if item.get_closest_marker("frozen") is None]


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """Offscreen, a 1920×1080 screen: the platform's default (800×800) is smaller than any laptop, and the
    first window is sized to the screen (``ui/window_geometry.py``)."""
    args = ["ldn-browser-tests"]
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        args += ["-platform", f"offscreen:configfile={DATA / 'offscreen-screen.json'}"]
    return args


@pytest.fixture(autouse=True)
def _qt_left_usable() -> Iterator[None]:
    """After each test, the Qt application (if one exists) is still one that every later test can use.

    Two traps met in this suite, each of which broke dozens of later tests far from its cause, are named at
    the test that set them: an in-process CLI export without the ``qapp`` fixture makes a QGuiApplication
    (no widget test can set up after it), and ``app.exit()`` called outside ``exec()`` (say by a guard
    timer that outlived ``ui.app.run``) makes every later event loop return at once, so waits never see
    a timer fire.
    """
    yield
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QCoreApplication.instance()
    if app is None:
        return
    assert isinstance(app, QApplication), (
        f"this test made a {type(app).__name__}: later widget tests cannot run; take the qapp fixture first"
    )
    loop, fired = QEventLoop(), []
    QTimer.singleShot(0, loop, lambda: (fired.append(True), loop.quit()))
    loop.exec()
    assert fired, "event loops return at once after this test: app.exit() was called outside exec()"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep caches and settings written by tests out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("LDN_BROWSER_CACHE", raising=False)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """tests/data."""
    return DATA


@pytest.fixture(scope="session")
def mini_kb_path() -> Path:
    """The small hand-written valid KB."""
    return DATA / "mini_kb.json"


@pytest.fixture(scope="session")
def mini_kb(mini_kb_path: Path) -> KnowledgeBase:
    """The small KB, loaded."""
    return load_kb(mini_kb_path)


@pytest.fixture(scope="session")
def bundled_kb() -> KnowledgeBase:
    """The real bundled KB."""
    return load_kb(default_kb_path())


@pytest.fixture(scope="session")
def generated_kb_of() -> Callable[[int], KnowledgeBase]:
    """The benchmarks' generated KB of about *n* entries (``benchmarks/gen_kb.py``), made once per size."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from gen_kb import generate_kb
    finally:
        sys.path.remove(str(BENCHMARKS))
    made: dict[int, KnowledgeBase] = {}

    def of(n: int) -> KnowledgeBase:
        if n not in made:
            made[n] = generate_kb(n)
        return made[n]

    return of
