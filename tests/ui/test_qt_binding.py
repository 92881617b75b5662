"""Guard against the PySide6 6.12.0 bug that drops a reference to None on every void call (Python 3.11).

With that build, a long session (or ~50 PDF exports) ends in "Fatal Python error: none_dealloc".
pyproject.toml pins PySide6-Essentials < 6.12; this test fails if a broken build slips in.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSizeF
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication


def test_void_qt_calls_keep_none_refcount(qapp: QApplication) -> None:
    obj, size, doc = QObject(), QSizeF(), QTextDocument()
    cursor = QTextCursor(doc)
    before = sys.getrefcount(None)
    for _ in range(200):
        obj.setObjectName("x")
        size.setWidth(1.0)
        cursor.setPosition(0)
    assert sys.getrefcount(None) - before > -50, "PySide6 build leaks references to None; see pyproject.toml pin"
