"""The one text policy in the window: a hostile KB never becomes markup, a link, a mnemonic or a shortcut.

A KB whose every title, alias and text starts with a local image, a live link, ``&`` and a tab is
loaded; every page is shown, searches run (one typed query is markup too), entries are
bookmarked and visited, an export and a KB error are triggered. Then every widget that can show
KB text is walked: labels, tooltips (widgets' and item models'), menus, the result delegate's rich
text, the detail pages, message boxes and the export progress dialog (review D4, D5, D16, D18).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ldn_browser.core.kb import parse_kb
from ldn_browser.core.links import is_allowed_external_url
from ldn_browser.ui import app as app_module
from ldn_browser.ui.dialogs import Dialogs
from ldn_browser.ui.main_window import MainWindow
from ldn_browser.ui.search_panel import SearchResultsModel, hit_html

MARK = '<img src="file:///tmp/probe.png">'
HOSTILE = MARK + '<a href="http://127.0.0.1:8765/pwn">R&D&&x\tCtrl+Q</a> '
"""What every KB text starts with: a local image, a live link, a mnemonic, a fake shortcut column."""
PATH_MARK = "<img src=probe.png>"
"""A file name can hold markup too (no slashes)."""
TEXT_KEYS = {"title", "summary", "statement", "action", "dose", "note", "rationale", "population", "result"}


def _poison(value: Any) -> Any:
    if isinstance(value, dict):
        out = {
            k: (HOSTILE + v[:150] if k in TEXT_KEYS and isinstance(v, str) else _poison(v)) for k, v in value.items()
        }
        if isinstance(out.get("aliases"), list):
            out["aliases"] = [*out["aliases"], HOSTILE.strip()]
        return out
    if isinstance(value, list):
        return [_poison(v) for v in value]
    return value


@pytest.fixture
def hostile_kb_path(mini_kb_path: Path, tmp_path: Path) -> Path:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data = {k: (_poison(v) if k != "meta" else v) for k, v in data.items()}
    path = tmp_path / f"{PATH_MARK}.json"  # the file name is hostile too (shown in the status bar tooltip)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _interpreted(text: str) -> bool:
    """True when *text* would be rendered with the hostile markup live."""
    return MARK in text or PATH_MARK in text or 'href="http://127.0.0.1' in text


def _labels(root: QWidget) -> Iterator[QLabel]:
    yield from root.findChildren(QLabel)


def _assert_label_safe(label: QLabel) -> None:
    text = label.text()
    assert not label.openExternalLinks() or not _interpreted(text), label.objectName()
    if label.textFormat() != Qt.TextFormat.PlainText:  # rich, or Qt's guess: the markup must be escaped
        assert not _interpreted(text), f"{label.objectName() or type(label.parent()).__name__}: {text[:120]}"


def _all_indexes(view: QAbstractItemView) -> Iterator[QModelIndex]:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(model.rowCount(root)):
        for col in range(columns):
            yield model.index(row, col)


def _walk(window: MainWindow) -> dict[str, int]:
    """Assert nothing is interpreted anywhere; count what was looked at (so the walk cannot be empty)."""
    seen = {"labels": 0, "tooltips": 0, "menu_items": 0, "pages": 0, "hits": 0}
    roots = [window, *(w for w in QApplication.topLevelWidgets() if w is not window)]
    for root in roots:
        for label in _labels(root):
            _assert_label_safe(label)
            seen["labels"] += 1
        for widget in root.findChildren(QWidget):
            assert not _interpreted(widget.toolTip()), type(widget).__name__
        for view in root.findChildren(QAbstractItemView):
            for index in _all_indexes(view):
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if tip:
                    assert not _interpreted(str(tip)), str(tip)[:120]
                    seen["tooltips"] += 1
                if isinstance(view.model(), SearchResultsModel) and (hit := index.data(SearchResultsModel.HitRole)):
                    assert not _interpreted(hit_html(hit, dark=False, muted="#777"))
                    seen["hits"] += 1
    for action in window.findChildren(QAction):
        text = action.text()
        if "R&&D" in text or "R&D" in text:
            assert "\t" not in text, text
            assert "&" not in text.replace("&&", ""), f"a mnemonic in {text!r}"
            seen["menu_items"] += 1
    for page in window.tabs.findChildren(QWidget):
        if hasattr(page, "refused_resources"):
            doc: QTextDocument = page.document()  # type: ignore[attr-defined]
            html = doc.toHtml()
            assert "<img" not in html and not page.refused_resources  # type: ignore[attr-defined]
            for href in _hrefs(html):
                assert href.startswith("ldn:") or is_allowed_external_url(href), href
            seen["pages"] += 1
    return seen


def _hrefs(html: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]*)"', html)


@pytest.fixture
def hostile_window(qtbot: QtBot, make_window: Callable[..., MainWindow], hostile_kb_path: Path) -> MainWindow:
    kb = parse_kb(hostile_kb_path.read_bytes(), hostile_kb_path)
    w = make_window(kb=kb, kb_path=hostile_kb_path)
    w.show()
    qtbot.waitUntil(lambda: w.is_search_ready, timeout=20_000)
    return w


def test_hostile_kb_is_never_interpreted_in_any_widget(hostile_window: MainWindow, qtbot: QtBot) -> None:
    w = hostile_window
    assert w.kb is not None
    for entry in w.kb.entries():
        assert w.navigate(entry.id)
        if len(w.entry_menus.bookmarks) < 4:
            w.entry_menus.toggle(entry.id)
    w.navigate("overview")
    for query in ("crohn", MARK + " crohn"):
        w.search_field.setText(query)
        qtbot.waitUntil(lambda q=query: q in w.search_panel.status_label.text(), timeout=10_000)
        assert w.search_panel.model.hit_count > 0
    seen = _walk(w)
    assert all(seen.values()), seen  # every kind of sink was looked at


def test_error_dialogs_show_kb_markup_as_text(
    hostile_window: MainWindow, monkeypatch: pytest.MonkeyPatch, mini_kb_path: Path, tmp_path: Path
) -> None:
    """D4: a KB error quoting a hostile key, shown by the window and at start-up, links to nothing."""
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["meta"] = {
        '<a href="file:///etc/passwd"><span style="font-size:60px">CLICK</span></a>' + MARK: 1,
        **data["meta"],
    }
    bad = tmp_path / "errlink.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    boxes: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        boxes.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", capture)
    hostile_window.dialogs = Dialogs(hostile_window)
    assert not hostile_window.open_kb(bad)
    from ldn_browser.core.kb import KbError, load_kb

    with pytest.raises(KbError) as info:
        load_kb(bad)
    app_module.report_kb_error(info.value, using_bundled=True)
    assert len(boxes) == 2
    for box in boxes:
        texts = [label.text() for label in box.findChildren(QLabel)]
        assert any("CLICK" in t for t in texts), texts  # the message is there, as text
        for label in box.findChildren(QLabel):
            assert label.textFormat() == Qt.TextFormat.PlainText and not label.openExternalLinks()


def test_export_progress_label_is_plain_text(hostile_window: MainWindow, dialogs: Any, tmp_path: Path) -> None:
    assert hostile_window.kb is not None
    hostile_window.navigate(hostile_window.kb.conditions[0].id)
    dialogs.save_answer = tmp_path / "sheet.pdf"
    job = hostile_window.printer.export_page()
    assert job is not None and isinstance(job.wait(), int) and (tmp_path / "sheet.pdf").exists()
    dialog = hostile_window.printer.output.last_progress
    assert isinstance(dialog, QWidget)
    labels = dialog.findChildren(QLabel)
    assert labels and any("Exporting" in label.text() for label in labels)
    for label in labels:
        _assert_label_safe(label)
