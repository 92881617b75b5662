"""The search results the UI and the CLI see: plain frozen values, no Whoosh objects."""

from __future__ import annotations

from dataclasses import dataclass

from ldn_browser.core.vocab import Direction, Grade, Kind, Rating, Verdict


class SearchError(RuntimeError):
    """Search failed for a reason other than the query's syntax (a bug or a broken index).

    Expected query-syntax problems never raise: they fall back to plain words with a notice.
    ``cache_discarded`` is True when the on-disk index it came from was marked bad (it is rebuilt
    the next time it is opened): the caller may open the index again and retry once.
    """

    def __init__(self, message: str, *, cache_discarded: bool = False) -> None:
        super().__init__(message)
        self.cache_discarded = cache_discarded


@dataclass(frozen=True)
class SearchHit:
    """One search result, ready to display.

    Attributes:
        entity_id: the entry's id, e.g. "condition:crohns-disease".
        kind: the entry's kind.
        title: the entry's title (plain text).
        snippet_html: escaped KB text, matches wrapped in ``<b class="match">…</b>``.
        snippet_text: the same snippet without markup.
        grade: GRADE certainty where the entry has one.
        rating: what the entry's badge shows: its grade, or the basis of an ungraded statement.
        direction: direction of effect (conditions only).
        matched: human explanations of how the entry matched, e.g. "title", "alias “RA”",
            "typo: fibromyalga → fibromyalgia", "prefix “fibro”".
        score: relevance (higher is better; only comparable within one result list).
        verdict: a claim's verdict (a lay claim is never shown as a bare statement); None for other kinds.
    """

    entity_id: str
    kind: Kind
    title: str
    snippet_html: str
    snippet_text: str
    grade: Grade | None
    rating: Rating | None
    direction: Direction | None
    matched: tuple[str, ...]
    score: float
    verdict: Verdict | None = None


@dataclass(frozen=True)
class SearchResults:
    """The answer to one query.

    Attributes:
        query: the text searched for, as given.
        hits: best first.
        suggestion: a corrected query ("did you mean"), or None.
        notice: a message for the user, e.g. that search syntax was ignored, or None.
    """

    query: str
    hits: tuple[SearchHit, ...]
    suggestion: str | None = None
    notice: str | None = None
