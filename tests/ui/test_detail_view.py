"""The detail browser never loads remote or local-file resources and never follows links itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from ldn_browser.ui.detail_view import DetailBrowser


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://example.org/x.css",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "data:image/png;base64,AAAA",
    ],
)
def test_detail_view_refuses_remote_resources(qtbot: QtBot, url: str) -> None:
    browser = DetailBrowser()
    qtbot.addWidget(browser)
    assert browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(url)) is None
    assert url in browser.refused_resources


def test_detail_view_refuses_images_in_html(qtbot: QtBot) -> None:
    browser = DetailBrowser()
    qtbot.addWidget(browser)
    browser.show()
    browser.show_html("<p>x</p><img src='https://example.org/pixel.png'><img src='file:///tmp/a.png'>")
    browser.grab()  # lay out and paint: images are requested now
    assert "https://example.org/pixel.png" in browser.refused_resources
    assert "file:///tmp/a.png" in browser.refused_resources


def test_detail_view_does_not_follow_links(qtbot: QtBot) -> None:
    browser = DetailBrowser()
    qtbot.addWidget(browser)
    assert not browser.openLinks() and not browser.openExternalLinks()
    browser.show_html("<p>page</p>")
    with qtbot.waitSignal(browser.internal_link_activated, timeout=1000) as internal:
        browser.anchorClicked.emit(QUrl("ldn:condition:crohns-disease"))
    assert internal.args == ["condition:crohns-disease"]
    with qtbot.waitSignal(browser.external_link_activated, timeout=1000) as external:
        browser.anchorClicked.emit(QUrl("https://doi.org/10.1/x"))
    assert external.args[0].toString() == "https://doi.org/10.1/x"
    assert browser.toPlainText() == "page"
    assert browser.source().isEmpty()


def test_detail_view_ignores_other_schemes(qtbot: QtBot) -> None:
    browser = DetailBrowser()
    qtbot.addWidget(browser)
    with (
        qtbot.assertNotEmitted(browser.external_link_activated),
        qtbot.assertNotEmitted(browser.internal_link_activated),
    ):
        browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
        browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
