"""The URL policy in the window (review D4): refused URLs are logged and never reach the desktop."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from ldn_browser.ui import links
from ldn_browser.ui.dialogs import Dialogs

HOSTILE = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<b>x</b>",
    "http://127.0.0.1:8765/pwn",
    "https://127.0.0.1/",
    "https://doi.org.evil.example/10.1234/x",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_open_url_refuses_and_logs(url: str, caplog: pytest.LogCaptureFixture) -> None:
    opened: list[str] = []
    with caplog.at_level(logging.WARNING, logger="ldn_browser.ui.links"):
        assert not links.open_url(QUrl(url), opener=lambda u: opened.append(u.toString()) or True)
    assert opened == []
    assert "refused to open" in caplog.text


def test_open_url_opens_a_built_link() -> None:
    opened: list[str] = []
    assert links.open_url(
        QUrl("https://pubmed.ncbi.nlm.nih.gov/21380937/"), opener=lambda u: opened.append(u.toString()) or True
    )
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/21380937/"]


def test_exported_file_and_its_folder_only(tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-")
    opened: list[str] = []
    assert not links.open_url(QUrl.fromLocalFile(str(pdf)), opener=lambda u: opened.append(u.toString()) or True)
    links.remember_export(pdf)
    assert links.open_url(QUrl.fromLocalFile(str(pdf)), opener=lambda u: opened.append(u.toString()) or True)
    assert links.open_url(QUrl.fromLocalFile(str(tmp_path)), opener=lambda u: opened.append(u.toString()) or True)
    assert not links.open_url(QUrl.fromLocalFile("/etc/passwd"), opener=lambda u: opened.append(u.toString()) or True)
    assert len(opened) == 2


def test_dialogs_route_every_url_through_the_policy(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The window's one opener (Dialogs.open_url) never hands a hostile URL to QDesktopServices."""
    from PySide6.QtWidgets import QWidget

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda u: opened.append(u.toString()) or True))
    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs = Dialogs(parent)
    for url in HOSTILE:
        dialogs.open_url(QUrl(url))
    dialogs.open_url(QUrl("https://doi.org/10.1007/s10620-010-1560-y"))
    assert opened == ["https://doi.org/10.1007/s10620-010-1560-y"]


def test_window_link_clicks_pass_the_policy(window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A click on a detail-page link reaches the desktop only for a link the app built."""
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda u: opened.append(u.toString()) or True))
    window.dialogs = Dialogs(window)
    for url in [*HOSTILE, "https://pubmed.ncbi.nlm.nih.gov/21380937/"]:
        window.reading.open_url(QUrl(url))
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/21380937/"]
    assert QGuiApplication.clipboard().text() not in HOSTILE  # a refused link is never copied


def test_open_url_says_when_nothing_could_open_an_allowed_link() -> None:
    """QDesktopServices.openUrl returns False when no browser is set up: the window then shows the address."""
    assert links.open_url(QUrl("https://pubmed.ncbi.nlm.nih.gov/21380937/"), opener=lambda u: False) is False
