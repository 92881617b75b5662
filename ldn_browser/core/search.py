"""Full-text search over every KB entry kind (Whoosh), behind one small Qt-free interface.

``open_search_index(kb, cache_dir)`` returns a :class:`SearchIndex`; ``SearchIndex.search(text)``
takes plain values and returns immutable :class:`SearchResults`; the UI never sees Whoosh objects.

Design (see the tests in ``tests/core/test_search*.py`` and ``benchmarks/search_bench.py``):

* Fields: ``title`` > ``aliases`` > ``cite`` (authors, year, journal, identifiers) > ``text`` (summary and body),
  stemmed and folded (accents, apostrophes, case); ``names`` holds the unstemmed words of titles and
  aliases and feeds prefix completion, typo correction and "did you mean".
* Queries are built here, not by Whoosh's parser: each word becomes an OR over the fields of its exact
  form, its completions (as-you-type), its spelling corrections (only for unknown words) and the titles
  of entries it is an alias of; words are AND-ed (OR-ed when nothing matches them all). Each expanded
  term remembers why it is there, so every hit can say how it matched.
* Prefix completion and spelling use an in-memory sorted term list (bisect) and a bucketed
  Damerau-Levenshtein corrector built on :class:`whoosh.spelling.Corrector` (candidates whose
  letter sets differ too much are skipped before computing a distance): no wildcard or
  Levenshtein-automaton expansion on the hot path.
* Speed (``benchmarks/search_bench.py``): completions search only titles and aliases; an alias expands
  to its entry's title only for short-titled conditions, side effects, contraindications, mechanisms
  and dosing entries, and only when the word is not common in the text anyway; recent answers are
  kept in a small LRU (users retype). Building uses a one-pass analyzer, a counted ``text`` field and
  a segment writer that tabulates field lengths once, all checked against Whoosh's own by the tests.
* Index lifecycle: ``cache_dir/search-v{INDEX_VERSION}-{digest}``; built in a temporary sibling and
  swapped in with ``os.replace``; validated on reuse; any cache problem means a rebuild or an in-memory
  index, never an exception. One searcher is kept open for the life of the index.
"""

from __future__ import annotations

import bisect
import gc
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.formats import Frequency
from whoosh.spelling import Corrector
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.system import pack_uint
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import (
    Claim,
    Condition,
    Contraindication,
    Direction,
    Dosing,
    Grade,
    Kind,
    KnowledgeBase,
    Mechanism,
    SideEffect,
    Source,
)
from ldn_browser.core.kb import kb_digest
from ldn_browser.core.search_text import (
    SYNTAX_NOTICE,
    Clause,
    FoldingAnalyzer,
    ParsedQuery,
    alias_analyzer,
    exact_analyzer,
    fold,
    is_stop_word,
    make_snippet,
    parse_query_text,
    stemming_analyzer,
    words,
)

log = logging.getLogger(__name__)

INDEX_VERSION = 4
"""Bump whenever the schema, the analyzers, the codec or the document layout change."""

_RESULT_CACHE_SIZE = 256
"""Recent answers kept per index (users retype and step back through the same prefixes)."""

_READY_FILE = "READY"
_INDEX_PREFIX = "search-v"

# ---------------------------------------------------------------------------------------------
# Public interface


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
        direction: direction of effect (conditions only).
        matched: human explanations of how the entry matched, e.g. "title", "alias “RA”",
            "typo: fibromyalga → fibromyalgia", "prefix “fibro”".
        score: relevance (higher is better; only comparable within one result list).
    """

    entity_id: str
    kind: Kind
    title: str
    snippet_html: str
    snippet_text: str
    grade: Grade | None
    direction: Direction | None
    matched: tuple[str, ...]
    score: float


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


# ---------------------------------------------------------------------------------------------
# Schema and documents

_NAME_FIELDS = ("title", "aliases")
"""Fields searched for as-you-type completions (the completion vocabulary is the title and alias words)."""
_SYNONYM_KINDS = frozenset({Kind.CONDITION, Kind.SIDE_EFFECT, Kind.CONTRAINDICATION, Kind.MECHANISM, Kind.DOSING})
"""Kinds whose single-word aliases expand to the entry's title (see ``_QueryBuilder.clause_query``)."""
_SYNONYM_MAX_WORDS = 8
"""Titles with more content words than this are not used as synonym expansions."""
_SYNONYM_MIN_DF_CAP = 50
"""Words in the text of more than max(this, 2 % of the entries) are not expanded as synonyms."""

FIELD_WEIGHTS: dict[str, float] = {
    "title": 6.0,
    "aliases": 5.0,
    "cite": 4.0,
    "text": 1.5,
}
"""Query-time boosts per field: title > aliases > citation > text (summary and body)."""

FIELD_LABELS = {"title": "title", "aliases": "alias", "cite": "citation",
                "text": "text"}

KIND_PRIOR: dict[Kind, float] = {
    Kind.CONDITION: 1.3,
    Kind.SIDE_EFFECT: 1.2,
    Kind.CONTRAINDICATION: 1.2,
    Kind.MECHANISM: 1.1,
    Kind.DOSING: 1.1,
    Kind.CLAIM: 0.9,
    Kind.SOURCE: 0.85,
}
"""Multiplies scores so that, on equal text evidence, the entries a clinician looks up come first."""


class CountedText(TEXT):
    """A position-less TEXT field that counts its words in one pass when indexing.

    Gives exactly the postings of :class:`~whoosh.fields.TEXT` with ``phrase=False`` and a
    :class:`~ldn_browser.core.search_text.FoldingAnalyzer`, without a Token and three generator
    steps per word: most of the 10,000-entry build goes into the long summary and body texts.
    """

    def index(self, value: Any, **kwargs: Any) -> Any:
        """(utf-8 word, frequency, weight, encoded frequency) for each distinct word of *value*."""
        analyzer = self.analyzer
        if type(self.format) is Frequency and isinstance(analyzer, FoldingAnalyzer) and isinstance(value, str) \
                and not kwargs:
            boost = self.format.field_boost
            return [(word.encode("utf-8"), freq, freq * boost, pack_uint(freq))
                    for word, freq in Counter(analyzer.index_words(value)).items()]
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    """The one Whoosh schema (bump :data:`INDEX_VERSION` when changing it)."""
    stem = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stem),
        aliases=TEXT(analyzer=alias_analyzer()),
        cite=TEXT(analyzer=exact_analyzer()),
        text=CountedText(analyzer=stem, phrase=False),
    )


@dataclass(frozen=True)
class _EntryText:
    """The searchable text of one entry, and what the UI needs to show a hit."""

    entry_id: str
    kind: Kind
    title: str
    aliases: tuple[str, ...]
    summary: str
    body: tuple[str, ...]
    cite: tuple[tuple[str, str], ...]
    grade: Grade | None
    direction: Direction | None
    citation: str = ""

    @property
    def snippet_parts(self) -> tuple[str, ...]:
        """Texts a snippet may be cut from, in order of preference."""
        parts = (self.summary, *self.body, self.citation) if self.citation else (self.summary, *self.body)
        return tuple(p for p in parts if p)

    def document(self) -> dict[str, str]:
        """The Whoosh document."""
        return {
            "id": self.entry_id,
            "title": self.title,
            "aliases": "\n".join(self.aliases),
            "cite": "\n".join(value for _, value in self.cite),
            "text": "\n".join((self.summary, *self.body)),
        }


def _entry_text(entry: Any) -> _EntryText:
    body: list[str] = []
    cite: list[tuple[str, str]] = []
    summary = getattr(entry, "summary", "") or ""
    grade: Grade | None = None
    direction: Direction | None = None
    if isinstance(entry, Condition):
        grade, direction = entry.evidence.grade, entry.evidence.direction
        body.append(entry.evidence.rationale)
        for study in entry.studies:
            body.extend(x for x in (study.population, study.dose, study.result) if x)
        if entry.doses_studied:
            body.append(entry.doses_studied)
        body.extend(entry.caveats)
    elif isinstance(entry, Mechanism):
        if entry.details:
            body.append(entry.details)
        body.extend(entry.caveats)
        body.append(entry.evidence_type.label)
    elif isinstance(entry, Contraindication):
        grade = entry.certainty.grade
        body.extend((entry.action, entry.severity.label, entry.certainty.rationale))
    elif isinstance(entry, SideEffect):
        grade = entry.certainty.grade
        body.extend((entry.frequency, entry.timing, entry.management, entry.certainty.rationale))
    elif isinstance(entry, Dosing):
        grade = entry.certainty.grade
        if entry.details:
            body.append(entry.details)
        for step in entry.schedule:
            body.append(" — ".join(x for x in (step.step, step.dose, step.note) if x))
        body.append(entry.certainty.rationale)
    elif isinstance(entry, Source):
        cite.extend(("author", a) for a in entry.authors)
        if entry.year:
            cite.append(("year", str(entry.year)))
        if entry.journal:
            cite.append(("journal", entry.journal))
        for label, value in (("PMID", entry.pmid), ("PMCID", entry.pmcid), ("DOI", entry.doi)):
            if value:
                cite.append((label, value))
        cite.extend(("registry", r) for r in entry.registry_ids)
        body.append(entry.design.label)
        if entry.citation_detail:
            body.append(entry.citation_detail)
    elif isinstance(entry, Claim):
        summary = entry.statement
        body.extend((entry.evidence_summary, entry.verdict.label))
    citation = ""
    if isinstance(entry, Source):
        bits = [", ".join(entry.authors), str(entry.year) if entry.year else "",
                " ".join(x for x in (entry.journal, entry.citation_detail) if x)]
        ids = [f"{lbl} {value}" for lbl, value in cite if lbl not in ("author", "year", "journal")]
        citation = ". ".join(b for b in bits + ids if b)
    return _EntryText(
        entry_id=entry.id,
        kind=entry.kind,
        title=entry.title,
        aliases=tuple(entry.aliases),
        summary=summary,
        body=tuple(body),
        cite=tuple(cite),
        grade=grade,
        direction=direction,
        citation=citation,
    )


# ---------------------------------------------------------------------------------------------
# Vocabulary: prefix completion and spelling


class _Vocabulary(Corrector):
    """Unstemmed title/alias words with document frequencies: completion (bisect) and spelling.

    Spelling suggestions go through Whoosh's :class:`~whoosh.spelling.Corrector` interface
    (``suggest(word, limit, maxdist, prefix)``); candidates are bucketed by first letter and length
    and checked with a bounded Damerau-Levenshtein distance (transpositions count as one edit).
    """

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.terms = sorted(frequencies)
        self.freq = frequencies
        self._buckets: dict[tuple[str, int], list[tuple[str, frozenset[str]]]] = {}
        for term in self.terms:
            if not term.isdigit():
                self._buckets.setdefault((term[0], len(term)), []).append((term, frozenset(term)))

    def __contains__(self, word: str) -> bool:
        return word in self.freq

    def complete(self, prefix: str, limit: int = 5, scan: int = 5000) -> list[str]:
        """Up to *limit* words starting with *prefix* (not *prefix* itself), most frequent first."""
        start = bisect.bisect_left(self.terms, prefix)
        found: list[str] = []
        for term in self.terms[start : start + scan]:
            if not term.startswith(prefix):
                break
            if term != prefix:
                found.append(term)
        found.sort(key=lambda t: (-self.freq[t], len(t), t))
        return found[:limit]

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        if not text:
            return
        first = text[0]
        letters = frozenset(text)
        max_letter_diff = 2 * maxdist  # one edit changes at most two letters of the set difference
        for length in range(max(1, len(text) - maxdist), len(text) + maxdist + 1):
            for term, term_letters in self._buckets.get((first, length), ()):
                if len(letters ^ term_letters) > max_letter_diff or term == text or term[:prefix] != text[:prefix]:
                    continue
                dist = damerau_levenshtein(text, term, maxdist)
                if dist <= maxdist:
                    yield -dist + min(self.freq[term], 100) / 1000.0, term


# ---------------------------------------------------------------------------------------------
# Query building with explanations

_Origin = tuple[str, ...]
"""(kind, typed word, detail, entry id): ("exact", w, "", ""), ("prefix", w, completion, ""),
("typo", w, correction, ""), ("synonym", w, alias as written, id of the entry that has the alias)."""


class _QueryBuilder:
    """Turns parsed clauses into a Whoosh query, remembering why each term is in it."""

    def __init__(self, index: SearchIndex) -> None:
        self.ix = index
        self.origins: dict[tuple[str, str], set[_Origin]] = {}
        self.forms: set[str] = set()
        self.corrections: dict[str, str] = {}

    def _note(self, field: str, term: str, origin: _Origin) -> None:
        self.origins.setdefault((field, term), set()).add(origin)

    def word_query(self, word: str, boost: float, origin: _Origin, fields: Iterable[str] | None = None) -> wq.Query | None:
        """An OR over the fields of the analysed *word*; None when no field indexes it."""
        subs: list[wq.Query] = []
        for field in fields or FIELD_WEIGHTS:
            tokens = self.ix._analyse(field, word)
            if not tokens:
                continue
            for tok in tokens:
                self._note(field, tok, origin)
                self.forms.add(tok)
            weight = FIELD_WEIGHTS[field] * boost
            if len(tokens) == 1:
                subs.append(wq.Term(field, tokens[0], boost=weight))
            else:
                subs.append(wq.And([wq.Term(field, t) for t in tokens], boost=weight))
        self.forms.add(word)
        if not subs:
            return None
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def clause_query(self, clause: Clause) -> wq.Query | None:
        """The alternatives for one clause (exact, completions, corrections, synonyms)."""
        if clause.is_phrase:
            return self._phrase_query(clause)
        word = clause.words[0]
        if is_stop_word(word) and not clause.prefix:
            alts = [q for q in (self.word_query(word, 1.0, ("exact", word, "", ""), ("aliases", "cite")),) if q]
            return alts[0] if alts else None
        alts: list[wq.Query] = []
        exact = self.word_query(word, 1.0, ("exact", word, "", ""))
        known = self.ix._known(word)
        if exact is not None:
            alts.append(exact)
        completions: list[str] = []
        if clause.prefix and (len(word) >= 3 or clause.explicit_prefix) and not word.isdigit():
            completions = self.ix._vocab.complete(word, limit=5)
            for comp in completions:
                q = self.word_query(comp, 0.7 if known else 0.9, ("prefix", word, comp, ""), _NAME_FIELDS)
                if q is not None:
                    alts.append(q)
        if not known and not completions and len(word) >= 4 and not any(ch.isdigit() for ch in word):
            maxdist = 1 if len(word) <= 5 else 2
            for corr in self.ix._vocab.suggest(word, limit=2, maxdist=maxdist, prefix=1):
                self.corrections.setdefault(word, corr)
                q = self.word_query(corr, 0.8, ("typo", word, corr, ""))
                if q is not None:
                    alts.append(q)
        synonyms = self.ix._synonyms.get(word, ())
        if synonyms and self.ix._text_frequency(word) > self.ix._synonym_max_df:
            synonyms = ()  # a common word has evidence of its own; expanding it only costs time
        for alias, owner in synonyms[:3]:
            title_words = [w for w in words(self.ix._texts[owner].title) if not is_stop_word(w)]
            parts = [self.word_query(w, 0.4, ("synonym", word, alias, owner), ("title", "text"))
                     for w in title_words]
            if parts and all(p is not None for p in parts):
                alts.append(wq.And(parts))  # type: ignore[arg-type]
        if not alts:
            return None
        return alts[0] if len(alts) == 1 else wq.Or(alts)

    def _phrase_query(self, clause: Clause) -> wq.Query | None:
        subs: list[wq.Query] = []
        for field in FIELD_WEIGHTS:
            tokens: list[str] = []
            for w in clause.words:
                tokens.extend(self.ix._analyse(field, w))
            if not tokens:
                continue
            for tok in tokens:
                self._note(field, tok, ("exact", tok, "", ""))
                self.forms.add(tok)
            weight = FIELD_WEIGHTS[field] * 1.5
            if len(tokens) == 1:
                subs.append(wq.Term(field, tokens[0], boost=weight))
            elif self.ix._schema[field].format.supports("positions"):
                subs.append(wq.Phrase(field, tokens, boost=weight))
            else:  # summary and body keep no positions (faster builds): all the words must occur
                subs.append(wq.And([wq.Term(field, t) for t in tokens], boost=weight))
        self.forms.update(clause.words)
        if not subs:
            return None
        return wq.Or(subs)

    def build(self, parsed: ParsedQuery, *, any_word: bool) -> wq.Query | None:
        """The whole query: groups OR-ed; clauses AND-ed (OR-ed with *any_word*); negations removed."""
        group_queries: list[wq.Query] = []
        for group in parsed.groups:
            positive: list[wq.Query] = []
            negative: list[wq.Query] = []
            missing = False
            for clause in group:
                q = self.clause_query(clause)
                if clause.negated:
                    if q is not None:
                        negative.append(q)
                elif q is None:
                    missing = True
                else:
                    positive.append(q)
            if not positive or (missing and not any_word):
                continue
            gq: wq.Query = positive[0] if len(positive) == 1 else (wq.Or(positive) if any_word else wq.And(positive))
            if negative:
                gq = wq.AndNot(gq, wq.Or(negative))
            group_queries.append(gq)
        if not group_queries:
            return None
        return group_queries[0] if len(group_queries) == 1 else wq.Or(group_queries)


# ---------------------------------------------------------------------------------------------
# The index


class SearchIndex:
    """A Whoosh index over one KB with a long-lived searcher.

    Attributes:
        storage_note: why the index is not where it was asked to be (e.g. kept in memory), or None.
        built_now: True when this instance built the index (False when a valid cache was reused).
        location: the index folder, or None for an in-memory index.
    """

    def __init__(self, kb: KnowledgeBase, ix: Any, *, storage_note: str | None, built_now: bool,
                 location: Path | None) -> None:
        self.storage_note = storage_note
        self.built_now = built_now
        self.location = location
        self._kb = kb
        self._ix = ix
        self._lock = threading.Lock()
        self._searcher = ix.searcher()
        self._reader = self._searcher.reader()
        self._schema = ix.schema
        self._texts = {e.id: _entry_text(e) for e in kb.entries()}
        self._doc_ids: dict[int, str] = {}
        for docnum, stored in self._reader.iter_docs():
            self._doc_ids[docnum] = stored["id"]
        if sorted(self._doc_ids.values()) != sorted(self._texts):
            raise _StaleIndex("index documents do not match the KB entries")
        by_kind: dict[Kind, set[int]] = {}
        by_grade: dict[Grade, set[int]] = {}
        for docnum, eid in self._doc_ids.items():
            text = self._texts[eid]
            by_kind.setdefault(text.kind, set()).add(docnum)
            if text.grade is not None:
                by_grade.setdefault(text.grade, set()).add(docnum)
        self._by_kind = {k: frozenset(v) for k, v in by_kind.items()}
        self._by_grade = {g: frozenset(v) for g, v in by_grade.items()}
        self._filters: dict[tuple[frozenset[Kind] | None, frozenset[Grade] | None], frozenset[int] | None] = {}
        freqs: dict[str, int] = {}
        for text in self._texts.values():
            for word in set(words(" ".join((text.title, *text.aliases)))):
                freqs[word] = freqs.get(word, 0) + 1
        self._vocab = _Vocabulary(freqs)
        self._synonyms: dict[str, list[tuple[str, str]]] = {}
        for text in self._texts.values():
            # Only short names of the entries people look up expand ("RA" → rheumatoid arthritis):
            # sources and claims carry topic tags as aliases, and expanding a tag into a long
            # article title adds a huge AND to every query without finding anything new.
            if text.kind not in _SYNONYM_KINDS or not 0 < len(
                [w for w in words(text.title) if not is_stop_word(w)]) <= _SYNONYM_MAX_WORDS:
                continue
            for alias in text.aliases:
                alias_words = words(alias)
                if len(alias_words) == 1 and fold(text.title) != alias_words[0]:
                    self._synonyms.setdefault(alias_words[0], []).append((alias, text.entry_id))
        self._analysis_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self._name_keys: dict[str, tuple[tuple[str, ...], ...]] = {}  # filled lazily by _names
        self._known_cache: dict[str, bool] = {}
        self._df_cache: dict[str, int] = {}
        self._summary_cache: dict[str, frozenset[str]] = {}
        self._synonym_max_df = max(_SYNONYM_MIN_DF_CAP, len(self._doc_ids) // 50)
        self._results: OrderedDict[tuple[str, frozenset[Kind] | None, frozenset[Grade] | None, int],
                                   SearchResults] = OrderedDict()
        self._closed = False

    # -- helpers used by the query builder -------------------------------------------------------

    def _analyse(self, field: str, word: str) -> tuple[str, ...]:
        key = (field, word)
        cached = self._analysis_cache.get(key)
        if cached is None:
            cached = tuple(self._schema[field].process_text(word, mode="query"))
            if len(self._analysis_cache) > 50_000:
                self._analysis_cache.clear()
            self._analysis_cache[key] = cached
        return cached

    def _names(self, entry_id: str) -> tuple[tuple[str, ...], ...]:
        """The analysed title and aliases of an entry (title first), computed on first use."""
        names = self._name_keys.get(entry_id)
        if names is None:
            text = self._texts[entry_id]
            names = tuple(self._analyse("aliases", name) for name in (text.title, *text.aliases))
            self._name_keys[entry_id] = names
        return names

    def _text_frequency(self, word: str) -> int:
        """How many entries have the analysed *word* in their text (summary and body)."""
        cached = self._df_cache.get(word)
        if cached is None:
            cached = max((self._reader.doc_frequency("text", tok) for tok in self._analyse("text", word)), default=0)
            if len(self._df_cache) > 50_000:
                self._df_cache.clear()
            self._df_cache[word] = cached
        return cached

    def _known(self, word: str) -> bool:
        """True when some field indexes the word (in its analysed form)."""
        cached = self._known_cache.get(word)
        if cached is None:
            cached = word in self._vocab or any(
                self._reader.doc_frequency(field, tok) > 0
                for field in FIELD_WEIGHTS
                for tok in self._analyse(field, word)
            )
            if len(self._known_cache) > 50_000:
                self._known_cache.clear()
            self._known_cache[word] = cached
        return cached

    def _filter(self, kinds: Iterable[Kind] | None, grades: Iterable[Grade] | None) -> frozenset[int] | None:
        kset = frozenset(Kind(k) for k in kinds) if kinds is not None else None
        gset = frozenset(Grade(g) for g in grades) if grades is not None else None
        key = (kset, gset)
        if key not in self._filters:
            docs: set[int] | None = None
            if kset is not None:
                docs = set().union(*(self._by_kind.get(k, frozenset()) for k in kset))
            if gset is not None:
                gdocs = set().union(*(self._by_grade.get(g, frozenset()) for g in gset))
                docs = gdocs if docs is None else docs & gdocs
            self._filters[key] = frozenset(docs) if docs is not None else None
        return self._filters[key]

    # -- public ---------------------------------------------------------------------------------

    def search(self, text: str, *, kinds: Iterable[Kind] | None = None, grades: Iterable[Grade] | None = None,
               limit: int = 20) -> SearchResults:
        """Search the KB; never raises for any *text*.

        Args:
            text: what the user typed (words, "phrases", OR, NOT/-word, word*); the last word is
                completed as a prefix unless the text ends with a space.
            kinds: only entries of these kinds (None: all).
            grades: only entries with these GRADE certainties (entries without a grade are excluded).
            limit: at most this many hits.

        Returns:
            The hits, best first, with a "did you mean" suggestion and a notice where relevant.
        """
        query_text = text if isinstance(text, str) else str(text)
        try:
            with self._lock:
                kset = frozenset(Kind(k) for k in kinds) if kinds is not None else None
                gset = frozenset(Grade(g) for g in grades) if grades is not None else None
                key = (query_text, kset, gset, int(limit))
                cached = self._results.get(key)
                if cached is not None:
                    self._results.move_to_end(key)
                    return cached
                results = self._search(query_text, kset, gset, int(limit))
                if not self._closed:
                    self._results[key] = results
                    if len(self._results) > _RESULT_CACHE_SIZE:
                        self._results.popitem(last=False)
                return results
        except Exception:  # noqa: BLE001 - the search box must never raise
            log.exception("search failed for %r", query_text[:100])
            return SearchResults(query_text, (), None, "Search failed for this text; try other words")

    def close(self) -> None:
        """Close the searcher and the index; later searches return no hits."""
        with self._lock:
            self._results.clear()
            if not self._closed:
                self._closed = True
                self._searcher.close()
                self._ix.close()

    def _clear_result_cache(self) -> None:
        """Forget recent answers (the benchmark uses this to time uncached searches)."""
        with self._lock:
            self._results.clear()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------------

    def _search(self, text: str, kinds: Iterable[Kind] | None, grades: Iterable[Grade] | None,
                limit: int) -> SearchResults:
        if self._closed:
            return SearchResults(text, (), None, "Search index is closed")
        limit = max(0, min(int(limit), 500))
        parsed = parse_query_text(text)
        notice = SYNTAX_NOTICE if parsed.syntax_ignored else None
        if limit == 0 or not parsed.groups:
            return SearchResults(text, (), None, notice)
        docs = self._filter(kinds, grades)
        if docs is not None and not docs:
            return SearchResults(text, (), None, notice)
        builder = _QueryBuilder(self)
        q = builder.build(parsed, any_word=False)
        results = self._run(q, docs, limit) if q is not None else []
        if not results and sum(1 for c in parsed.clauses if not c.negated) > 1:
            builder = _QueryBuilder(self)
            q = builder.build(parsed, any_word=True)
            results = self._run(q, docs, limit) if q is not None else []
        suggestion = self._suggestion(parsed, builder.corrections)
        results = self._boost_name_matches(results, parsed)[:limit]
        hits = tuple(self._hit(docnum, score, terms, builder) for docnum, score, terms in results)
        return SearchResults(text, hits, suggestion, notice)

    def _run(self, q: wq.Query, docs: frozenset[int] | None, limit: int) -> list[tuple[int, float, list[tuple[str, str]]]]:
        fetch = max(limit * 2, 30)
        res = self._searcher.search(q, limit=fetch, filter=set(docs) if docs is not None else None, terms=True)
        rows: list[tuple[int, float, list[tuple[str, str]]]] = []
        for hit in res:
            eid = self._doc_ids[hit.docnum]
            prior = KIND_PRIOR[self._texts[eid].kind]
            terms = [(f, t.decode("utf-8") if isinstance(t, bytes) else t) for f, t in (hit.matched_terms() or ())]
            rows.append((hit.docnum, float(hit.score or 0.0) * prior, terms))
        return rows

    def _boost_name_matches(self, rows: list[tuple[int, float, list[tuple[str, str]]]],
                            parsed: ParsedQuery) -> list[tuple[int, float, list[tuple[str, str]]]]:
        """Entries whose whole title or an alias is the query come first, then those whose name starts with it.

        An exact name match ranks above every other hit ("SLE" is lupus's alias: it must not lose to an entry
        whose several names merely start with "sle"); names that start with the query only get a boost.
        """
        clauses = [c for c in parsed.clauses if not c.negated]
        if not clauses or len(parsed.groups) != 1:
            return rows
        key: list[str] = []
        for c in clauses:
            for w in c.words:
                key.extend(self._analyse("aliases", w))
        raw_last = clauses[-1].words[-1] if clauses[-1].prefix and not clauses[-1].is_phrase else None
        if not key:
            return rows
        tkey = tuple(key)
        out = []
        exact: set[int] = set()
        for docnum, score, terms in rows:
            factor = 1.0
            for i, name in enumerate(self._names(self._doc_ids[docnum])):
                if name == tkey:
                    factor = max(factor, 2.5 if i == 0 else 2.0)
                    exact.add(docnum)
                elif raw_last and len(name) >= len(tkey) and name[: len(tkey) - 1] == tkey[:-1] and (
                    name[len(tkey) - 1].startswith(raw_last) or name[len(tkey) - 1].startswith(tkey[-1])
                ):
                    factor = max(factor, 1.6 if i == 0 else 1.4)
            out.append((docnum, score * factor, terms))
        out.sort(key=lambda r: (r[0] not in exact, -r[1], self._doc_ids[r[0]]))
        return out

    def _suggestion(self, parsed: ParsedQuery, corrections: dict[str, str]) -> str | None:
        if not corrections:
            return None
        out: list[str] = []
        changed = False
        for group_no, group in enumerate(parsed.groups):
            if group_no:
                out.append("OR")
            for clause in group:
                if clause.is_phrase:
                    out.append('"' + " ".join(clause.words) + '"')
                    continue
                word = clause.words[0]
                repl = corrections.get(word)
                changed |= repl is not None
                out.append(("-" if clause.negated else "") + (repl or clause.display))
        return " ".join(out) if changed else None

    def _hit(self, docnum: int, score: float, terms: list[tuple[str, str]], builder: _QueryBuilder) -> SearchHit:
        text = self._texts[self._doc_ids[docnum]]
        matched = self._explain(text, terms, builder)
        snippet = make_snippet(text.snippet_parts, sorted(builder.forms))
        return SearchHit(
            entity_id=text.entry_id,
            kind=text.kind,
            title=text.title,
            snippet_html=snippet.html,
            snippet_text=snippet.text,
            grade=text.grade,
            direction=text.direction,
            matched=matched,
            score=round(score, 4),
        )

    def _summary_terms(self, text: _EntryText) -> frozenset[str]:
        """The analysed words of an entry's summary (to tell a summary match from a body match)."""
        cached = self._summary_cache.get(text.entry_id)
        if cached is None:
            cached = frozenset(self._schema["text"].process_text(text.summary, mode="index"))
            self._summary_cache[text.entry_id] = cached
        return cached

    def _explain(self, text: _EntryText, terms: list[tuple[str, str]], builder: _QueryBuilder) -> tuple[str, ...]:
        fields: list[str] = []
        reasons: list[str] = []
        exact_words: set[str] = set()
        other: list[_Origin] = []
        order = list(FIELD_WEIGHTS)
        for field, term in sorted(terms, key=lambda ft: order.index(ft[0]) if ft[0] in order else 99):
            origins = builder.origins.get((field, term), set())
            if origins and all(o[0] == "synonym" and o[3] == text.entry_id for o in origins):
                continue  # the entry's own alias expanded to its own title: the alias match explains it
            if field == "aliases":
                candidates = [a for a in text.aliases if term in self._analyse(field, a)]
                typed = {o[1] for o in origins}
                alias = next((a for a in candidates if fold(a) in typed), candidates[0] if candidates else None)
                label = f"alias “{alias}”" if alias else FIELD_LABELS[field]
            elif field == "cite":
                label = next((f"{lbl} “{value}”" for lbl, value in text.cite if term in self._analyse("cite", value)),
                             "citation")
            elif field == "text":
                label = "summary" if term in self._summary_terms(text) else FIELD_LABELS[field]
            else:
                label = FIELD_LABELS.get(field, field)
            if label not in fields:
                fields.append(label)
            for origin in origins:
                if origin[0] == "exact":
                    exact_words.add(origin[1])
                else:
                    other.append(origin)
        for kind, typed, detail, owner in sorted(set(other)):
            if typed in exact_words:
                continue  # the word itself matched; the expansion adds nothing to explain
            if kind == "prefix":
                item = f"prefix “{typed}”"
            elif kind == "typo":
                item = f"typo: {typed} → {detail}"
            elif owner != text.entry_id:
                item = f"synonym “{detail}” → {self._texts[owner].title}"
            else:
                continue
            if item not in reasons:
                reasons.append(item)
        if "summary" in fields and "text" in fields and fields.index("text") < fields.index("summary"):
            fields.remove("text")
            fields.insert(fields.index("summary") + 1, "text")  # the summary is the better explanation
        return tuple(fields + reasons)


class _StaleIndex(Exception):
    """The index on disk does not match the KB."""


# ---------------------------------------------------------------------------------------------
# Building and opening


class _LengthTable:
    """A new segment's field lengths, read once per document and field instead of once per posting.

    Whoosh asks for the length of the posting's field in its document for every posting it writes
    (to keep per-block length bounds); through the column reader that is a quarter of the build.
    """

    def __init__(self, reader: Any, fieldnames: Iterable[str]) -> None:
        self._reader = reader
        count = reader.doc_count_all()
        self._lengths = {name: [reader.doc_field_length(d, name) for d in range(count)] for name in fieldnames}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The length of *fieldname* in document *docnum* (as the wrapped reader answers it)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None or not 0 <= docnum < len(lengths):
            return self._reader.doc_field_length(docnum, fieldname, default)
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer, with the field lengths tabulated before the postings are written."""

    def per_document_reader(self) -> Any:
        """The new segment's per-document reader, with field lengths cached per document."""
        reader = super().per_document_reader()
        return _LengthTable(reader, [name for name, field in self.schema.items() if field.scorable])


def _write_index(ix: Any, kb: KnowledgeBase, progress: Callable[[int, int], None] | None) -> None:
    entries = kb.entries()
    total = len(entries)
    # Uncompressed posting blocks: zlib took a fifth of a cold build, and the index is small.
    writer = _SegmentWriter(ix, codec=W3Codec(compression=0), limitmb=256)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small tuples: the cyclic GC would add 30-50 % to the build
    try:
        step = max(1, total // 50)
        for i, entry in enumerate(entries, 1):
            writer.add_document(**_entry_text(entry).document())
            if progress is not None and (i % step == 0 or i == total):
                progress(i, total)
        writer.commit(optimize=True)
    except BaseException:
        writer.cancel()
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    if progress is not None and total == 0:
        progress(0, 0)


class _MemoryStorage(RamStorage):
    """RAM storage whose writer spills posting runs to a private temporary folder.

    Whoosh's ``RamStorage.temp_storage`` uses the fixed folder ``$TMPDIR/MAIN.tmp``, shared by every
    process and thread building an in-memory index at the same time (one deletes the other's runs).
    """

    def __init__(self) -> None:
        super().__init__()
        self._scratch: list[str] = []

    def temp_storage(self, name: str | None = None) -> FileStorage:
        """A private scratch folder (removed by :meth:`remove_scratch`)."""
        folder = tempfile.mkdtemp(prefix="ldn-search-runs-")
        self._scratch.append(folder)
        return FileStorage(folder).create()

    def remove_scratch(self) -> None:
        """Delete the scratch folders once the index is written.

        The writer removes its own, but Whoosh's per-document writer leaves an empty one behind.
        """
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._scratch.clear()


def _build_in_memory(kb: KnowledgeBase, progress: Callable[[int, int], None] | None, note: str | None) -> SearchIndex:
    storage = _MemoryStorage()
    try:
        ix = storage.create_index(build_schema())
        _write_index(ix, kb, progress)
    finally:
        storage.remove_scratch()
    return SearchIndex(kb, ix, storage_note=note, built_now=True, location=None)


def _index_dir(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{_INDEX_PREFIX}{INDEX_VERSION}-{digest[:20]}"


def _open_existing(kb: KnowledgeBase, path: Path, digest: str) -> SearchIndex | None:
    """Open a valid cached index, or None when it is missing, incomplete, stale or corrupt."""
    try:
        if (path / _READY_FILE).read_text(encoding="utf-8").strip() != f"{INDEX_VERSION} {digest}":
            return None
    except (OSError, UnicodeDecodeError):
        return None
    with warnings.catch_warnings():
        # Whoosh leaves the file it failed to read open: it is finalised when the traceback goes.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = whoosh_index.open_dir(str(path))
        except Exception as e:  # noqa: BLE001 - any failure to read the cache means "rebuild"
            log.warning("search index at %s unusable (%s: %s); rebuilding", path, type(e).__name__, str(e))
            ix = None
        if ix is not None:
            try:
                return SearchIndex(kb, ix, storage_note=None, built_now=False, location=path)
            except Exception as e:  # noqa: BLE001
                log.warning("search index at %s unusable (%s: %s); rebuilding", path, type(e).__name__, str(e))
                try:
                    ix.close()
                except Exception:  # noqa: BLE001
                    pass
        gc.collect()
    return None


def _remove_tree(path: Path) -> None:
    """Delete a folder, first renaming it aside so that a half-deleted folder is never reused."""
    if not path.exists():
        return
    trash = path.with_name(f".trash-{uuid.uuid4().hex}")
    try:
        os.replace(path, trash)
    except OSError:
        trash = path
    shutil.rmtree(trash, ignore_errors=True)


def _clean_old(cache_dir: Path, keep: Path) -> None:
    """Remove other versions' indexes and leftovers older than a day (best effort)."""
    now = time.time()
    try:
        children = list(cache_dir.iterdir())
    except OSError:
        return
    for child in children:
        if child == keep or not child.name.startswith((_INDEX_PREFIX, ".tmp-search", ".trash-")):
            continue
        try:
            old = now - child.stat().st_mtime > 86_400
        except OSError:
            continue
        if old or child.name.startswith(".trash-"):
            shutil.rmtree(child, ignore_errors=True)


def open_search_index(kb: KnowledgeBase, cache_dir: Path | None, *,
                      progress: Callable[[int, int], None] | None = None) -> SearchIndex:
    """Open the search index for *kb*: reuse a valid cache, or build one.

    Args:
        kb: the knowledge base to index.
        cache_dir: folder for the on-disk cache (e.g. ``paths.user_cache_dir()``); None for an
            in-memory index.
        progress: called with (entries indexed, total) while building; never called on reuse.

    Returns:
        The index. Cache problems (corrupt, stale, unwritable) never raise: the index is rebuilt, or
        kept in memory with ``storage_note`` saying why.
    """
    if cache_dir is None:
        return _build_in_memory(kb, progress, None)
    digest = kb_digest(kb)
    cache_dir = Path(cache_dir)
    final = _index_dir(cache_dir, digest)
    found = _open_existing(kb, final, digest)
    if found is not None:
        return found
    tmp: Path | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-search-", dir=cache_dir))
        ix = FileStorage(str(tmp)).create_index(build_schema())
        _write_index(ix, kb, progress)
        ix.close()
        (tmp / _READY_FILE).write_text(f"{INDEX_VERSION} {digest}\n", encoding="utf-8")
    except Exception as e:  # noqa: BLE001 - unwritable or full cache: keep the index in memory
        log.warning("cannot write the search index under %s (%s); keeping it in memory", cache_dir, str(e))
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return _build_in_memory(kb, progress, "index kept in memory: cache folder not writable")
    try:
        os.replace(tmp, final)
    except OSError:
        # Another instance got there first (or a corrupt index is in the way).
        other = _open_existing(kb, final, digest)
        if other is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            other.built_now = True
            return other
        _remove_tree(final)
        try:
            os.replace(tmp, final)
        except OSError:
            final = tmp  # use our own copy where it is
    result = _open_existing(kb, final, digest)
    if result is None:
        log.warning("freshly built search index at %s could not be opened; keeping it in memory", final)
        return _build_in_memory(kb, None, "index kept in memory: cache folder unusable")
    result.built_now = True
    _clean_old(cache_dir, final)
    return result
