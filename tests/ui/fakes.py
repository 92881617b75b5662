"""Small fakes for the window tests (real Qt objects elsewhere; no Mock of Qt methods)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class FakeDialogs:
    """Stands in for :class:`ldn_browser.ui.dialogs.Dialogs`: records what was shown, answers from a script."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str, str]] = []
        self.opened_urls: list[str] = []
        self.open_answer: Path | None = None
        self.save_answer: Path | None = None
        self.save_requests: list[tuple[str, str]] = []
        self.url_opens = True
        """What open_url answers (False: no browser could be started)."""

    def error(self, title: str, text: str, details: str) -> None:
        self.errors.append((title, text, details))

    def open_kb_path(self, start: str) -> Path | None:
        return self.open_answer

    def save_pdf_path(self, title: str, suggested: str) -> Path | None:
        self.save_requests.append((title, suggested))
        return self.save_answer

    def save_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
        self.save_requests.append((title, suggested))
        return self.save_answer

    def open_url(self, url: Any) -> bool:
        self.opened_urls.append(url.toString())
        return self.url_opens
