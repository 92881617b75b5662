"""What reading the KB and opening its search index import: nothing they do not use (issue 19, start-up).

Each module named here cost milliseconds before the first pages or before search was ready, for nothing
the app does: asyncio (through Whoosh's ``cached_property`` backport), importlib.metadata (pydantic looking
for plugins by entry point), urllib.request with http.client, email and ssl (``whoosh.compat``), and
Whoosh's English morphology tables (``whoosh.query``). Checked in a fresh interpreter, as the app starts;
the deferred modules are checked to be the real ones as soon as anything uses them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_browser.core.search import _imports


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


def test_opening_and_searching_the_index_runs_neither_urllib_request_nor_whooshs_morphology() -> None:
    loaded = _modules_after(
        """
        import sys
        from ldn_browser.core.kb import load_kb
        from ldn_browser.core.paths import default_kb_path
        from ldn_browser.core.search import open_search_index
        index = open_search_index(load_kb(default_kb_path()), None)
        assert index.search("crohns").hits and index.search("krohns").hits and index.search("fibromyalga").hits
        for name in ("urllib.request", "whoosh.lang.morph_en"):
            assert type(sys.modules[name]).__name__ == "DeferredModule", name
        """
    )
    assert "whoosh.compat" in loaded and "whoosh.query.terms" in loaded
    assert not {"http.client", "email.parser", "ssl"} & loaded


def test_a_deferred_module_is_the_real_one_once_used() -> None:
    loaded = _modules_after(
        """
        import sys, tempfile, pathlib
        import ldn_browser.core.search
        import whoosh.compat, whoosh.query.terms
        import urllib.request
        from urllib.request import Request
        assert type(urllib.request) is type(sys) and urllib.request.__file__.endswith("urllib/request.py")
        assert Request("https://pubmed.ncbi.nlm.nih.gov/").host == "pubmed.ncbi.nlm.nih.gov"
        source = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        source.write_text("kept")
        copy, _headers = whoosh.compat.urlretrieve(source.as_uri())  # Whoosh's name calls the real function
        assert pathlib.Path(copy).read_text() == "kept"
        print(*sorted(whoosh.query.terms.variations("relapse")))
        """
    )
    assert "http.client" in loaded
    real = _modules_after("from whoosh.lang.morph_en import variations\nprint(*sorted(variations('relapse')))")
    deferred_words = _words_after_marker(loaded)
    assert deferred_words == _words_after_marker(real) and "relapses" in deferred_words


def _words_after_marker(lines: set[str]) -> set[str]:
    return {w for w in lines if w.islower() and w.startswith("relaps")}


def test_urllib_request_is_left_alone_when_already_imported() -> None:
    _modules_after(
        """
        import urllib.request
        import ldn_browser.core.search
        import whoosh.compat
        assert whoosh.compat.urlretrieve is urllib.request.urlretrieve and type(urllib.request) is type(whoosh)
        """
    )


@pytest.fixture()
def counting_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module on sys.path whose code counts its runs (and raises when asked to)."""
    (tmp_path / "ldn_counting_module.py").write_text(
        "import builtins, os, time\n"
        "builtins.ldn_counting_runs = getattr(builtins, 'ldn_counting_runs', 0) + 1\n"
        "time.sleep(0.05)\n"
        "if os.environ.get('LDN_COUNTING_FAILS'): raise RuntimeError('module code failed')\n"
        "def twice(x): return 2 * x\n"
        "VALUE = 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.ldn_counting_runs", 0, raising=False)
    monkeypatch.delitem(sys.modules, "ldn_counting_module", raising=False)
    yield "ldn_counting_module"
    sys.modules.pop("ldn_counting_module", None)


def test_a_deferred_modules_code_runs_once_whichever_threads_ask(counting_module: str) -> None:
    import builtins

    module = _imports.defer(counting_module, ("twice",))
    assert module is not None and builtins.ldn_counting_runs == 0  # type: ignore[attr-defined]
    assert _imports.defer(counting_module, ("twice",)) is None  # already in sys.modules: left alone
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(sys.modules[counting_module].VALUE)) for _ in range(6)]
    threads.append(threading.Thread(target=lambda: seen.append(module.twice(21))))  # type: ignore[attr-defined]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [42] * 7 and builtins.ldn_counting_runs == 1  # type: ignore[attr-defined]
    assert type(module) is type(sys) and module.twice(2) == 4  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        module.missing  # noqa: B018 - a name the real module lacks is still missing


def test_a_deferred_module_whose_code_fails_is_not_left_half_made(
    counting_module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_COUNTING_FAILS", "1")
    module = _imports.defer(counting_module, ())
    assert module is not None
    with pytest.raises(RuntimeError, match="module code failed"):
        module.VALUE  # noqa: B018
    assert counting_module not in sys.modules


def test_importing_the_search_process_client_loads_neither_whoosh_nor_the_models() -> None:
    """The command line imports the client before Qt; the index (Whoosh) and the models stay in the search
    process, and the result types come with the first answer."""

    def heavy(loaded: set[str]) -> list[str]:
        return sorted(
            m
            for m in loaded
            if m.split(".")[0] == "pydantic"
            or (m.startswith("whoosh.") and m not in ("whoosh.lang", "whoosh.lang.morph_en"))
            or m == "ldn_browser.core.entities"
        )

    client = _modules_after("import ldn_browser.core.search.service")
    assert not heavy(client), heavy(client)
    assert "ldn_browser.core.search.results" not in client
    answers = _modules_after("from ldn_browser.core.search import SearchError, SearchResults")
    assert not heavy(answers), heavy(answers)
