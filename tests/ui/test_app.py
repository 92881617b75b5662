"""Start-up: invalid KB files are reported; the bundled KB is used instead when possible, else exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ldn_browser.core.paths import default_kb_path
from ldn_browser.ui import app as app_module


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    seen: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(
        app_module, "report_kb_error", lambda error, *, using_bundled: seen.append((error.lines(), using_bundled))
    )
    return seen


def test_invalid_kb_falls_back_to_bundled(qapp: object, tmp_path: Path, reports: list[tuple[list[str], bool]]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    loaded = app_module._load_start_kb(bad)
    assert loaded is not None and loaded[1] == default_kb_path()
    assert len(reports) == 1
    lines, using_bundled = reports[0]
    assert using_bundled and lines[0].startswith(f"{bad}:1:")


def test_run_exits_2_when_no_kb_is_usable(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reports: list[tuple[list[str], bool]]
) -> None:
    resources = tmp_path / "resources"
    (resources / "kb").mkdir(parents=True)
    (resources / "kb" / "ldn_kb.json").write_text("[]", encoding="utf-8")
    monkeypatch.setenv("LDN_BROWSER_RESOURCES", str(resources))
    assert app_module.run(kb_path=None) == app_module.EXIT_BAD_KB
    assert reports and reports[0][1] is False


def test_cache_dir_is_none_when_not_creatable(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(blocker / "cache"))
    assert app_module.cache_dir() is None


def test_valid_kb_path_loads_without_report(
    qapp: object, tmp_path: Path, mini_kb_path: Path, reports: list[tuple[list[str], bool]]
) -> None:
    copy = tmp_path / "kb.json"
    shutil.copy(mini_kb_path, copy)
    loaded = app_module._load_start_kb(copy)
    assert loaded is not None and loaded[1] == copy and reports == []


def test_app_icon_has_every_bundled_size(qapp: QApplication) -> None:
    from ldn_browser.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == [16, 32, 64, 128, 256]


def _collector_at_each_stage(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, search_first: bool) -> dict[str, bool]:
    """Start the app and note, at each start-up stage and once all are reached ("done"), whether gc is on."""
    import gc

    from ldn_browser.ui.self_check import StartupWatcher

    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path / "cache"))
    seen: dict[str, bool] = {}

    def attach(window: object, app: QApplication) -> None:
        def done() -> None:
            seen["done"] = gc.isenabled()
            window.hide()  # type: ignore[attr-defined]
            app.exit(0)

        StartupWatcher(window, on_stage=lambda stage: seen.setdefault(stage, gc.isenabled()), on_done=done)  # type: ignore[arg-type]
        if search_first:
            window.pages_ready.connect(window.search_ready.emit)  # type: ignore[attr-defined] # ready as pages are built

    assert gc.isenabled()
    assert app_module.run(on_window=attach) == 0
    return seen


def test_garbage_collector_is_paused_during_start_up_and_on_once_search_is_ready(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    seen = _collector_at_each_stage(monkeypatch, tmp_path, search_first=False)
    assert seen["first_paint"] is False and seen["pages_paint"] is False  # paused while the window starts
    assert seen["done"] is True and gc.isenabled()  # on again once search is ready (and after run)


def test_search_ready_before_the_pages_paint_keeps_the_collector_paused_until_they_have(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search process often has its index open before the pages are built: a collection then (the collector
    turned on at search ready) would delay the pages, so it waits for both."""
    import gc

    seen = _collector_at_each_stage(monkeypatch, tmp_path, search_first=True)
    order = list(seen)  # the frame may paint before or after them: the KB is read while it is made
    assert order.index("search_ready") < order.index("pages_paint")
    assert seen["pages_paint"] is False  # still paused when the pages paint, though search was ready before
    assert seen["done"] is True and gc.isenabled()


def test_the_app_launched_without_arguments_builds_no_parser(
    monkeypatch: pytest.MonkeyPatch, mini_kb_path: Path
) -> None:
    """``ldn-browser`` alone, the usual launch, opens the app on the bundled KB without building the argument parser
    (~10 ms of subcommands and options before the window); with options it parses them as before."""
    import gc

    import ldn_browser.cli as cli
    from ldn_browser.cli import parser
    from ldn_browser.core.search.service import SearchService

    def no_parser() -> None:
        raise AssertionError("the parser was built")

    opened: list[Path | None] = []
    monkeypatch.setattr(SearchService, "start", classmethod(lambda cls, kb_path, command=None: None))
    monkeypatch.setattr(app_module, "run", lambda **kw: opened.append(kw["kb_path"]) or 0)
    real_parser = parser.build_parser
    monkeypatch.setattr(parser, "build_parser", no_parser)
    monkeypatch.setattr(cli, "build_parser", no_parser, raising=False)  # wherever main would find it
    collecting = gc.isenabled()
    try:
        assert cli.main([]) == 0
        monkeypatch.setattr(parser, "build_parser", real_parser)
        monkeypatch.setattr(cli, "build_parser", real_parser, raising=False)
        assert cli.main(["--kb", str(mini_kb_path)]) == 0
    finally:
        if collecting:
            gc.enable()  # the real run turns it on again; the stand-in does not
    assert opened == [None, mini_kb_path]


def test_the_app_takes_the_search_process_the_bundle_started_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle's run-time hook starts the search process and pauses the collector before PyInstaller's Qt hook
    (``cli.start_app_early``): the launch without arguments uses that process, not a second one, and turns the
    collector on again as it was before the hook paused it; it is taken once, and a launch on another KB starts
    its own."""
    import gc

    import ldn_browser.cli as cli
    from ldn_browser.core.search.service import SearchService

    early, later = object(), object()
    started: list[Path] = []

    def start(cls: type, kb_path: Path, command: object = None) -> object:
        started.append(kb_path)
        return early if len(started) == 1 else later

    runs: list[dict[str, object]] = []
    monkeypatch.setattr(SearchService, "start", classmethod(start))
    monkeypatch.setattr(app_module, "run", lambda **kw: runs.append(kw) or 0)
    collecting = gc.isenabled()
    gc.enable()
    try:
        cli.start_app_early()
        assert not gc.isenabled()  # paused by the hook, before Qt
        assert cli.main([]) == 0
        assert cli._started_early is None
        assert cli.main(["--kb", "other.json"]) == 0
    finally:
        if not collecting:
            gc.disable()
    assert started == [default_kb_path(), Path("other.json")]  # one process for the bundled KB, not two
    assert runs[0]["search_service"] is early and runs[0]["collect_garbage"] is True
    assert runs[1]["search_service"] is later and runs[1]["kb_path"] == Path("other.json")


def test_the_bundle_hook_starts_the_search_process_before_qt(tmp_path: Path) -> None:
    """``packaging/rthook_search_service.py`` in the window's process of a launch without arguments: the search
    process is running and the collector paused before anything has imported PySide6."""
    import subprocess
    import sys

    hook = Path(__file__).resolve().parents[2] / "packaging" / "rthook_search_service.py"
    script = f"""
import gc, runpy, sys
sys.argv = ["ldn-browser"]
runpy.run_path({str(hook)!r})
import ldn_browser.cli as cli
collecting, service = cli._started_early
assert service is not None and service.running, "no search process"
assert "PySide6" not in sys.modules and "shiboken6" not in sys.modules, "Qt imported"
print("ok", collecting, gc.isenabled())
service.close()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "True", "False"]


def test_the_dialog_for_a_truncated_kb_says_where_in_a_whole_sentence(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--kb` a truncated file: the start-up dialog ended in "…: Unterminated string starting at"."""
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "trunc.json"
    bad.write_text('{"schema_version": "1",\n  "meta": {"kb_version": "1.0', encoding="utf-8")
    boxes: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        boxes.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    assert app_module._load_start_kb(bad) is not None  # the bundled KB instead
    assert len(boxes) == 1
    shown = boxes[0].informativeText()
    assert f"{bad}:2:26: malformed JSON: unterminated string starting at line 2, column 26; " in shown, shown
    assert shown.endswith("it may be cut short (an incomplete copy or download)"), shown
