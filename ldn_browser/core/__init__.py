"""Qt-free core: knowledge-base models, loading, search and sheet HTML.

Nothing in this package may import PySide6 (checked by tests/core/test_no_qt_imports.py).
"""
