"""What reading the KB and opening its search index import: nothing they do not use (issue 19, start-up).

Each module named here cost tens of milliseconds before the first pages or before search was ready,
for nothing the app does: asyncio (through Whoosh's ``cached_property`` backport) and
importlib.metadata (pydantic looking for plugins by entry point). Checked in a fresh interpreter, as
the app starts.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def test_opening_and_searching_the_index_does_not_import_asyncio() -> None:
    loaded = _modules_after(
        """
        from ldn_browser.core.kb import load_kb
        from ldn_browser.core.paths import default_kb_path
        from ldn_browser.core.search import open_search_index
        index = open_search_index(load_kb(default_kb_path()), None)
        assert index.search("crohns").hits
        reader = index._reader
        assert reader.deleted_docs_set == frozenset() and reader.deleted_docs_set is reader.deleted_docs_set
        """
    )
    assert "whoosh.reading" in loaded
    assert "asyncio" not in loaded


def test_the_cached_property_backport_is_left_alone_when_already_imported() -> None:
    loaded = _modules_after(
        """
        import asyncio, cached_property
        real = cached_property.cached_property
        import ldn_browser.core.search
        import whoosh.reading
        assert whoosh.reading.cached_property is real
        """
    )
    assert "cached_property" in loaded


def test_reading_the_kb_does_not_look_for_pydantic_plugins() -> None:
    loaded = _modules_after(
        """
        from ldn_browser.core.kb import KbError, load_kb, parse_kb
        from ldn_browser.core.paths import default_kb_path
        assert load_kb(default_kb_path()).conditions
        try:
            parse_kb(b'{"schema_version": "1.0", "conditions": [{"id": 7}]}')
        except KbError as e:
            assert e.problems  # still validated, still named
        else:
            raise AssertionError("an invalid KB was accepted")
        """
    )
    assert "pydantic.plugin._loader" in loaded
    assert "importlib.metadata" not in loaded


def test_pydantics_own_plugin_loader_is_left_alone_when_already_imported() -> None:
    _modules_after(
        """
        import pydantic.plugin._loader as real
        from ldn_browser.core.kb import load_kb
        from ldn_browser.core.paths import default_kb_path
        import sys
        assert sys.modules["pydantic.plugin._loader"] is real and load_kb(default_kb_path()).conditions
        """
    )
