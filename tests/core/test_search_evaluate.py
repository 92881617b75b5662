"""The tree scorer (core/search/evaluate.py) scores exactly like Whoosh's own matchers.

Every query of the case files, and the benchmark's query kinds, are built with the app's query
builder and scored both ways over the bundled KB: the same documents, the same scores, and the
same top documents in the same order.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import SearchIndex, open_search_index
from ldn_browser.core.search.evaluate import TreeScorer, UnsupportedQueryError, top
from ldn_browser.core.search.query import QueryBuilder
from ldn_browser.core.search.query_text import parse_query_text

DATA = Path(__file__).parents[1] / "data"
EXTRA = [
    "can I use LDN with tramadol",
    "is LDN safe in pregnancy?",
    "fibro",
    "rheumatiod arthritis",
    "crohn -surgery",
    "lupus OR sjogren",
    "RA",
    "vivid dreams ",
]


def _queries() -> list[str]:
    found: list[str] = list(EXTRA)
    for name in ("search-cases.json", "search-cases-extra.json", "search-cases-clinician.json"):
        data: Any = json.loads((DATA / name).read_text(encoding="utf-8"))
        found.extend(c["query"] for c in (data["cases"] if isinstance(data, dict) else data))
    return sorted(set(found))


@pytest.fixture(scope="module")
def index(bundled_kb: KnowledgeBase) -> SearchIndex:
    return open_search_index(bundled_kb, None)


def _whoosh_scores(index: SearchIndex, q: wq.Query) -> dict[int, float]:
    return {hit.docnum: float(hit.score or 0.0) for hit in index._searcher.search(q, limit=None, terms=True)}


def test_scores_equal_whoosh_on_every_case_query(index: SearchIndex) -> None:
    scorer = TreeScorer(index._reader, index.schema)
    compared = 0
    for text in _queries():
        parsed = parse_query_text(text)
        for any_word in (False, True):
            q = QueryBuilder(index).build(parsed, any_word=any_word)
            if q is None:
                continue
            try:
                ours = scorer.scores(q)
            except UnsupportedQueryError:
                assert "Phrase" in repr(q), text
                continue
            theirs = _whoosh_scores(index, q)
            assert set(ours) == set(theirs), text
            for d, s in theirs.items():
                assert math.isclose(ours[d], s, rel_tol=1e-9), (text, d, ours[d], s)
            assert [d for d, _ in top(ours, None, 30)] == [
                h.docnum for h in index._searcher.search(q, limit=30, terms=True)  # as the app asked Whoosh
            ], text
            compared += 1
    assert compared > 100


def test_and_branches_scored_on_the_smallest_branch_and_repeats_equal_whoosh(index: SearchIndex) -> None:
    """An AND scores its smallest branch whole and the others only on that branch's documents, and a branch that
    recurs in the tree is scored once (an abbreviation's expansions share words): hand-made trees with big and small
    branches, nested ANDs, AND NOT, boosts and one-child compounds give Whoosh's documents and scores."""
    scorer = TreeScorer(index._reader, index.schema)

    def term(field: str, word: str, boost: float = 1.0) -> wq.Term:
        return wq.Term(field, index.analyse(field, word)[0], boost=boost)

    big = wq.Or([term("title", "naltrexone", 2.4), term("text", "naltrexone", 0.6), term("text", "dose")])
    pain = wq.Or([term("title", "pain", 2.0), term("text", "pain", 0.5)])
    small = term("title", "fibromyalgia", 3.0)
    trees = [
        wq.And([big, small]),
        wq.And([small, big, pain]),
        wq.Or([wq.And([big, pain, small]), wq.And([big, pain, term("text", "crohn")]), big]),
        wq.And([big, wq.And([pain, small], boost=1.5)]),
        wq.And([big, wq.AndNot(pain, small)]),
        wq.And([small, wq.AndNot(big, pain)]),  # scored on the fibromyalgia titles only
        wq.And([wq.Or([pain]), wq.And([small], boost=4.0), big], boost=0.7),
        wq.And([big, term("text", "zzzznotaword")]),
    ]
    for q in trees:
        ours, theirs = scorer.scores(q), _whoosh_scores(index, q)
        assert set(ours) == set(theirs), q
        for d, s in theirs.items():
            assert math.isclose(ours[d], s, rel_tol=1e-9), (q, d, ours[d], s)
    assert set(scorer.scores(trees[0])) and not scorer.scores(trees[-1])
    assert set(scorer.scores(trees[5])) < set(scorer.scores(trees[0]))  # the AND NOT dropped some


def test_matched_terms_are_the_matching_branches(index: SearchIndex) -> None:
    scorer = TreeScorer(index._reader, index.schema)
    parsed = parse_query_text("rheumatoid arthritis ")
    q = QueryBuilder(index).build(parsed, any_word=False)
    assert q is not None
    best = top(scorer.scores(q), None, 5)
    terms = scorer.matched_terms(q, [d for d, _ in best])
    for docnum, _ in best:
        stored = set(terms[docnum])
        assert ("title", "rheumatoid") in stored or any(t[1].startswith("rheumat") for t in stored)
    # a term of an AND that does not match as a whole is not reported
    crohn, lupus = index.analyse("title", "crohn")[0], index.analyse("title", "lupus")[0]
    lonely = wq.Or([wq.And([wq.Term("title", crohn), wq.Term("title", "zzzz")]), wq.Term("title", lupus)])
    docs = list(scorer.scores(lonely))
    assert docs and all(scorer.matched_terms(lonely, docs)[d] == [("title", lupus)] for d in docs)


def test_top_breaks_ties_by_document_number() -> None:
    assert top({5: 1.0, 3: 1.0, 9: 2.0, 1: 0.5}, None, 3) == [(9, 2.0), (3, 1.0), (5, 1.0)]
    assert top({5: 1.0, 3: 1.0, 9: 2.0}, frozenset({5, 3}), 1) == [(3, 1.0)]


def test_phrases_are_left_to_whoosh(index: SearchIndex) -> None:
    scorer = TreeScorer(index._reader, index.schema)
    with pytest.raises(UnsupportedQueryError):
        scorer.scores(wq.Phrase("title", ["low", "dose"]))
    assert index.search('"low dose"').hits  # the index answers phrases through Whoosh


def test_term_tables_stay_within_their_budget(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import ldn_browser.core.search.evaluate as evaluate

    monkeypatch.setattr(evaluate, "POSTINGS_BUDGET", 50)
    scorer = TreeScorer(index._reader, index.schema)
    for word in ("ldn", "pain", "dose", "naltrexon", "opioid", "trial", "patient"):
        scorer.term_scores("text", word)
    assert scorer._held <= max(50, max(len(t) for t in scorer._tables.values()))
    assert len(scorer._tables) < 7
