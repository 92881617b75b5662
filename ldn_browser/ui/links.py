"""Opening links and files outside the app: the one place that calls ``QDesktopServices.openUrl``.

External links pass :func:`ldn_browser.core.links.refusal_reason` (https, built by the app from a
validated identifier); a local file passes only if this session exported it (the PDF or its
folder, from the export notice). Everything else is refused and logged, never opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ldn_browser.core.links import refusal_reason

log = logging.getLogger(__name__)

_exported: set[Path] = set()
"""Files written by an export in this session (and so their folders) that Open may show."""

Opener = Callable[[QUrl], object]


def remember_export(path: Path) -> None:
    """Allow :func:`open_url` to open *path* (a PDF just written) and its folder."""
    _exported.add(Path(path).resolve())


def local_refusal(url: QUrl) -> str | None:
    """Why a ``file:`` URL may not be opened (None for an exported file or its folder)."""
    path = Path(url.toLocalFile()).resolve()
    if path in _exported or any(path == p.parent for p in _exported):
        return None
    return "not a file this session exported"


def open_url(url: QUrl, opener: Opener | None = None) -> bool:
    """Open *url* if the policy allows it; False if refused (logged) or if nothing could open it."""
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    reason = local_refusal(url) if url.isLocalFile() else refusal_reason(text)
    if reason is not None:
        log.warning("refused to open %r: %s", text[:200], reason)
        return False
    return bool((opener or QDesktopServices.openUrl)(url))
