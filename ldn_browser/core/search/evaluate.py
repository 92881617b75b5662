"""Scoring a query tree over whole posting lists, instead of Whoosh's document-at-a-time matchers.

Whoosh walks a tree of Python matcher objects one document at a time, and asking which terms
matched (``terms=True``) turns off its block skipping. At 10,000 entries an OR of a word's exact
form, completions, corrections and synonyms over four fields took 20-70 ms that way, almost all of
it in ``UnionMatcher.next``/``IntersectionMatcher.skip_to`` (pyinstrument).

Here each term's BM25F score is computed once per document it occurs in (the index never
changes, so the per-term table is cached, bounded by postings held) and the tree is combined
with dictionaries: OR adds the scores of the branches that match, AND keeps documents every
branch matches and adds their scores, AND NOT drops the documents of its negative branch, and a
boost multiplies. These are Whoosh's own rules (``UnionMatcher``, ``IntersectionMatcher``,
``AndNotMatcher``, ``WrappingMatcher``, ``BM25FScorer``); the tests compare the two on every query
of the case files. Which terms matched is worked out only for the documents kept.

Queries this module does not know (phrases) return None, and the caller uses Whoosh.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterable
from math import log
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

Scores = dict[int, float]
Term = tuple[str, str]

POSTINGS_BUDGET = 200_000
"""At most this many (document, score) pairs are kept across the cached term tables (about 20 MB)."""

_K1 = 1.2
_B = 0.75


_LENGTH_OF_BYTE = [None, *(byte_to_length(b) for b in range(1, 256))]
"""A field length as Whoosh's segment reader gives it back from its stored byte (None for 0: an empty field)."""


def field_lengths(reader: Any, field: str, count: int, default: int | None = 0) -> list[int | None]:
    """``reader.doc_field_length(d, field, default)`` for each of the first *count* documents, in one pass.

    *reader* is a segment reader or its per-document reader. Whoosh's codec keeps a field's lengths as
    one byte per document in a column: that column is read at once (a 10,000-entry index has 40,000
    lengths, read one by one in ~0.15 s). Any other reader is asked document by document.
    """
    perdoc = reader if isinstance(reader, W3PerDocReader) else getattr(reader, "_perdoc", None)
    if isinstance(perdoc, W3PerDocReader) and not getattr(reader, "is_closed", False):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            return [default] * count
        if type(column) is NumericColumn.Reader and column._typecode == "B":
            stored = column._dbfile.get(column._basepos, min(column._count, count))
            return [*map(_LENGTH_OF_BYTE.__getitem__, stored), *([None] * (count - len(stored)))]
    return [reader.doc_field_length(d, field, default) for d in range(count)]


class UnsupportedQueryError(Exception):
    """The query holds a node this evaluator does not score like Whoosh does (e.g. a phrase)."""


class TreeScorer:
    """BM25F scores of Term/And/Or/AndNot trees over one index reader (Whoosh's default weighting)."""

    def __init__(self, reader: Any, schema: Any) -> None:
        self._reader = reader
        self._schema = schema
        self._doc_count = reader.doc_count_all()
        self._live_count = reader.doc_count() or 1
        self._lengths: dict[str, list[int]] = {}
        self._avg: dict[str, float] = {}
        self._tables: OrderedDict[Term, Scores] = OrderedDict()
        self._held = 0

    def prepare(self) -> None:
        """Read every scorable field's lengths now (once per index, off the UI thread), not on a first query."""
        for name, field in self._schema.items():
            if field.scorable:
                self._field_lengths(name)

    def clear(self) -> None:
        """Forget the scored term tables (field lengths stay: they are per index)."""
        self._tables.clear()
        self._held = 0

    # -- per-term tables ------------------------------------------------------------------------

    def _field_lengths(self, field: str) -> list[int]:
        found = self._lengths.get(field)
        if found is not None:
            return found
        reader = self._reader
        # an empty field's length is None, as Whoosh's reader gives it (and as it was read document by document)
        lengths: list[int] = field_lengths(reader, field, self._doc_count, 1)  # type: ignore[assignment]
        self._lengths[field] = lengths
        self._avg[field] = (reader.field_length(field) / self._live_count) or 1
        return lengths

    def term_scores(self, field: str, text: str) -> Scores:
        """{docnum: unboosted BM25F score} of one term (empty when no document has it); cached."""
        key = (field, text)
        table = self._tables.get(key)
        if table is not None:
            self._tables.move_to_end(key)
            return table
        table = self._compute(field, text)
        self._tables[key] = table
        self._held += len(table)
        while self._held > POSTINGS_BUDGET and len(self._tables) > 1:
            _, old = self._tables.popitem(last=False)
            self._held -= len(old)
        return table

    def _compute(self, field: str, text: str) -> Scores:
        if field not in self._schema:
            return {}
        try:
            btext = self._schema[field].to_bytes(text)
        except ValueError:
            return {}
        reader = self._reader
        if (field, btext) not in reader:
            return {}
        ids, weights = _read_postings(reader.postings(field, btext))
        if not self._schema[field].scorable:  # Whoosh's WeightScorer: the posting weight itself
            return dict(zip(ids, weights, strict=True))
        idf = log(self._doc_count / (reader.doc_frequency(field, btext) + 1)) + 1
        lengths = self._field_lengths(field)
        avgfl = self._avg[field]
        k1p1 = _K1 + 1
        return {
            d: idf * ((w * k1p1) / (w + _K1 * ((1 - _B) + _B * lengths[d] / avgfl)))
            for d, w in zip(ids, weights, strict=True)
        }

    # -- trees ----------------------------------------------------------------------------------

    def scores(self, q: wq.Query) -> Scores:
        """{docnum: score} of every document *q* matches; raises :class:`UnsupportedQueryError` for other nodes.

        A branch that occurs more than once in the tree is scored once: an abbreviation's expansions share
        their first words ("RA": three names beginning "rheumatoid arthritis" at 10,000 entries), and each
        repeat re-added the same thousands of documents.
        """
        return self._scores(q, {})

    def _scores(self, q: wq.Query, seen: dict[wq.Query, Scores]) -> Scores:
        """:meth:`scores` of *q*; *seen* holds the And/Or branches scored so far in this tree (read, never changed)."""
        if isinstance(q, wq.Term):
            table = self.term_scores(q.fieldname, q.text)
            boost = q.boost
            return {d: s * boost for d, s in table.items()} if boost != 1.0 else dict(table)
        if isinstance(q, wq.AndNot):
            excluded = self._scores(q.b, seen)
            return {d: v for d, v in self._scores(q.a, seen).items() if d not in excluded}
        if type(q) not in (wq.And, wq.Or):
            raise UnsupportedQueryError(type(q).__name__)
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            return self._scores(subs[0], seen)  # Whoosh ignores a one-child compound's own boost
        done = seen.get(q)
        if done is not None:
            return done
        if isinstance(q, wq.And):
            # The branch with the fewest documents is scored whole, then each other branch (smallest first) only on
            # the documents every branch before it matched; the scores are added in the tree's order, as Whoosh does.
            sizes = [self._size(s) for s in subs]
            order = sorted(range(len(subs)), key=sizes.__getitem__)
            parts: list[Scores] = [{}] * len(subs)
            cand = parts[order[0]] = self._scores(subs[order[0]], seen)
            for i in order[1:]:
                cand = parts[i] = self._scores_within(subs[i], cand)
            out = self._and(parts)
        else:  # each branch's scores added straight in (a term's from its cached table), in the branches' order
            out = {}
            get = out.get
            for s in subs:
                if isinstance(s, wq.Term):
                    boost = s.boost
                    for d, v in self.term_scores(s.fieldname, s.text).items():
                        out[d] = get(d, 0.0) + v * boost
                else:
                    for d, v in self._scores(s, seen).items():
                        out[d] = get(d, 0.0) + v
        if q.boost != 1.0:
            boost = q.boost
            out = {d: v * boost for d, v in out.items()}
        seen[q] = out
        return out

    def _size(self, q: wq.Query) -> int:
        """At most how many documents *q* matches (a term's exactly), to order an AND's branches."""
        if isinstance(q, wq.Term):
            return len(self.term_scores(q.fieldname, q.text))
        if isinstance(q, wq.AndNot):
            return self._size(q.a)
        subs = getattr(q, "subqueries", ())
        if not subs:
            return 0
        sizes = [self._size(s) for s in subs]
        return min(sizes) if isinstance(q, wq.And) else sum(sizes)

    def _scores_within(self, q: wq.Query, cand: Scores) -> Scores:
        """:meth:`scores` of *q* for the documents in *cand* only: the same value for each, added in the same order."""
        if isinstance(q, wq.Term):
            table = self.term_scores(q.fieldname, q.text)
            boost = q.boost
            if len(cand) < len(table):
                found = {d: v for d in cand if (v := table.get(d)) is not None}
            else:
                found = {d: v for d, v in table.items() if d in cand}
            return {d: v * boost for d, v in found.items()} if boost != 1.0 else found
        if isinstance(q, wq.AndNot):
            excluded = self._scores_within(q.b, cand)
            return {d: v for d, v in self._scores_within(q.a, cand).items() if d not in excluded}
        if type(q) not in (wq.And, wq.Or):
            raise UnsupportedQueryError(type(q).__name__)
        subs = q.subqueries
        if not subs:
            return {}
        if len(subs) == 1:
            return self._scores_within(subs[0], cand)
        if isinstance(q, wq.And):
            out = self._and([self._scores_within(s, cand) for s in subs])
        else:
            out = {}
            get = out.get
            for s in subs:
                for d, v in self._scores_within(s, cand).items():
                    out[d] = get(d, 0.0) + v
        if q.boost != 1.0:
            boost = q.boost
            out = {d: v * boost for d, v in out.items()}
        return out

    @staticmethod
    def _and(parts: list[Scores]) -> Scores:
        smallest = min(parts, key=len)
        out: Scores = {}
        for d in smallest:
            total = 0.0
            for p in parts:
                v = p.get(d)
                if v is None:
                    break
                total += v
            else:
                out[d] = total
        return out

    def matched_terms(self, q: wq.Query, docnums: Iterable[int]) -> dict[int, list[Term]]:
        """For each of *docnums* (documents *q* matches), the (field, text) terms of the branches that match it.

        One walk of the tree for all the documents: a term counts where its branch matches (every
        part of an AND), in the order the terms appear in the query.
        """
        out: dict[int, list[Term]] = {d: [] for d in docnums}
        self._collect(q, frozenset(out), out)
        return out

    def _match(self, q: wq.Query, cand: frozenset[int]) -> frozenset[int]:
        if not cand:
            return cand
        if isinstance(q, wq.Term):
            table = self.term_scores(q.fieldname, q.text)
            return frozenset(d for d in cand if d in table)
        if isinstance(q, wq.AndNot):
            positive = self._match(q.a, cand)
            return positive - self._match(q.b, positive)
        if isinstance(q, wq.And):
            for s in q.subqueries:
                cand = self._match(s, cand)
            return cand
        found: frozenset[int] = frozenset()
        for s in q.subqueries:
            found |= self._match(s, cand - found)
        return found

    def _collect(self, q: wq.Query, cand: frozenset[int], out: dict[int, list[Term]]) -> None:
        if not cand:
            return
        if isinstance(q, wq.Term):
            table = self.term_scores(q.fieldname, q.text)
            term = (q.fieldname, q.text)
            for d in cand:
                if d in table:
                    out[d].append(term)
        elif isinstance(q, wq.AndNot):
            self._collect(q.a, cand, out)
        elif isinstance(q, wq.And):
            matched = self._match(q, cand)
            for s in q.subqueries:
                self._collect(s, matched, out)
        else:
            for s in q.subqueries:
                self._collect(s, cand, out)


def top(scores: Scores, allowed: frozenset[int] | None, limit: int) -> list[tuple[int, float]]:
    """The *limit* best (docnum, score) pairs, best first, ties by docnum (as Whoosh's top collector)."""
    if allowed is not None:
        scores = {d: s for d, s in scores.items() if d in allowed}
    if limit <= 0:
        return []
    if len(scores) > limit:
        # The limit-th best score bounds what can make the list; only those are sorted.
        floor = heapq.nlargest(limit, scores.values())[-1]
        items = [(d, s) for d, s in scores.items() if s >= floor]
    else:
        items = list(scores.items())
    items.sort(key=lambda ds: (-ds[1], ds[0]))
    return items[:limit]


def _read_postings(m: Any) -> tuple[list[int], list[float]]:
    """All document numbers and weights of a posting list, a block at a time where the codec allows."""
    ids: list[int] = []
    weights: list[float] = []
    block_reader = all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_atend"))
    while m.is_active():
        if block_reader and m._i == 0:
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
            if m._atend:
                break
            continue
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights
