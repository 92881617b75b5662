"""Full-text search over every KB entry kind (Whoosh), behind one small Qt-free front door.

``open_search_index(kb, cache_dir)`` returns a :class:`SearchIndex`; ``SearchIndex.search(text)``
takes plain values and returns immutable :class:`SearchResults`; the UI and the CLI import only
this module and never see Whoosh objects. Importing it imports none of them: each name
(and Whoosh, for the index) comes with its first use.

The package (see ``docs/architecture.md``):

* ``results``: the value types (:class:`SearchHit`, :class:`SearchResults`, :class:`SearchError`).
* ``analysis``: folding, tokenizers and analyzers; ``query_text``: what the user typed, as clauses.
* ``documents``: the schema and one pure function from an entry to its document (from the kind registry).
* ``query``: expanding words (completions, corrections, synonyms) into a Whoosh query.
* ``ranking``: every boost and factor, named, with the reason for its value.
* ``explain``: how a hit matched, in words; ``snippets``: the text shown under a hit.
* ``index``: the searcher and ranking of one KB; ``cache``: build, open, cache and fall back.

Errors: unsupported query syntax falls back to plain words with a notice; anything else raises
:class:`SearchError` (logged), which the window shows as an error state and the CLI as one line.
"""

from typing import TYPE_CHECKING, Any

from ldn_browser.core.search import _imports  # noqa: F401, I001 - first: before any Whoosh module

if TYPE_CHECKING:
    from ldn_browser.core.search.cache import open_search_index
    from ldn_browser.core.search.documents import INDEX_VERSION
    from ldn_browser.core.search.index import SearchIndex
    from ldn_browser.core.search.query_text import SYNTAX_NOTICE
    from ldn_browser.core.search.results import SearchError, SearchHit, SearchResults

_LAZY = {
    "open_search_index": "cache",
    "INDEX_VERSION": "documents",
    "SearchIndex": "index",
    "SYNTAX_NOTICE": "query_text",
    "SearchError": "results",
    "SearchHit": "results",
    "SearchResults": "results",
}
"""Every name, imported on first use: the modules with Whoosh in them, and the result types too, so that the
search process's client (:mod:`~ldn_browser.core.search.service`), which the command line imports before Qt,
costs only what it uses (the result types come with the first answer)."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "INDEX_VERSION",
    "SYNTAX_NOTICE",
    "SearchError",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "open_search_index",
]
