"""The search index over one KB: one long-lived searcher, filters by kind and grade, ranked hits.

Built and opened by :mod:`ldn_browser.core.search.cache`; queried through :meth:`SearchIndex.search`.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import query as wq

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.pages import format_date
from ldn_browser.core.search.analysis import fold, is_stop_word, words
from ldn_browser.core.search.documents import EntryText, entry_text
from ldn_browser.core.search.evaluate import TreeScorer, UnsupportedQueryError, top
from ldn_browser.core.search.explain import explain
from ldn_browser.core.search.names import TAKES_OPIOIDS, EntryNames, Rows, inside
from ldn_browser.core.search.query import QueryBuilder, Vocabulary, named_by_synonyms
from ldn_browser.core.search.query_text import (
    SYNTAX_NOTICE,
    ParsedQuery,
    clean_query_text,
    is_weak,
    only_weak_words,
    parse_query_text,
    tylenol_numbers,
    without_words,
)
from ldn_browser.core.search.ranking import (
    FALLBACK_MIN_WEIGHT,
    FIELD_WEIGHTS,
    KIND_PRIOR,
    RESULT_CACHE_SIZE,
    SYNONYM_KINDS,
    SYNONYM_MAX_WORDS,
    SYNONYM_MIN_DF_CAP,
)
from ldn_browser.core.search.results import SearchError, SearchHit, SearchResults
from ldn_browser.core.search.spelling import is_common_word
from ldn_browser.core.text_policy import quoted_query
from ldn_browser.core.vocab import Grade, Kind

log = logging.getLogger(__name__)


NOT_COVERED = "“{query}” is not covered in this knowledge base (content as of {date})."
"""The honest answer when nothing matches well: said instead of listing weak hits."""
_JOINED_DOSE = re.compile(r"\b([A-Za-z][A-Za-z-]{2,})(\d[\d.,/]*(?:mg|mcg|ml|g)?)\b")
"""A dose written onto a drug's name ("tramadol50mg", "percocet5/325"): read apart when the letters are a drug."""
PARTLY_COVERED = "Nothing in this knowledge base (content as of {date}) mentions {words}: the hits match the rest."
"""Said above hits that match only part of the query ("child with autism": paediatric dosing, not autism)."""
KEPT_IN = "A drug is never left out of a search: {names} searched for too, so its interactions show."
"""Said when a drug's name followed NOT or a minus ("ldn -tramadol"): searched for all the same."""
PRODUCT_QUALIFIERS = frozenset({"max", "co", "pm"})
QUESTION_WORDS = frozenset({"how", "what", "when", "why", "which", "who", "is", "are", "can", "does", "do", "will"})
"""Words that make an alias a question asked ("how long", "when will it work"), not a name ("ME/CFS")."""
"""Short words that qualify a product's name ("Solpadeine Max"), as the lexicon's common words do ("Plus", "Forte")."""


class StaleIndexError(Exception):
    """The index on disk does not match the KB."""


class SearchIndex:
    """A Whoosh index over one KB with a long-lived searcher.

    Attributes:
        storage_note: why the index is not where it was asked to be (e.g. kept in memory), or None.
        built_now: True when this instance built the index (False when a valid cache was reused).
        location: the index folder, or None for an in-memory index.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        ix: Any,
        *,
        storage_note: str | None,
        built_now: bool,
        location: Path | None,
        texts: dict[str, EntryText] | None = None,
    ) -> None:
        self.storage_note = storage_note
        self.built_now = built_now
        self.location = location
        self.on_failure: Callable[[BaseException], bool] | None = None
        """Called when the engine fails; True if it marked the on-disk cache bad (set by ``cache``)."""
        self._kb = kb
        self._ix = ix
        self._lock = threading.Lock()
        self._searcher = ix.searcher()
        self._reader = self._searcher.reader()
        self.schema = ix.schema
        self._scorer = TreeScorer(self._reader, self.schema)
        self._scorer.prepare()
        self.texts = texts if texts is not None else {e.id: entry_text(e, kb) for e in kb.entries()}
        self._doc_ids: dict[int, str] = {}
        for docnum, stored in self._reader.iter_docs():
            self._doc_ids[docnum] = stored["id"]
        if sorted(self._doc_ids.values()) != sorted(self.texts):
            raise StaleIndexError("index documents do not match the KB entries")
        rule_id = kb.meta.safety_points[0].entry_id if kb.meta.safety_points else None  # the opioid rule
        self._rule_doc = next((n for n, eid in self._doc_ids.items() if eid == rule_id), None)
        by_kind: dict[Kind, set[int]] = {}
        by_grade: dict[Grade, set[int]] = {}
        for docnum, eid in self._doc_ids.items():
            text = self.texts[eid]
            by_kind.setdefault(text.kind, set()).add(docnum)
            if text.grade is not None:
                by_grade.setdefault(text.grade, set()).add(docnum)
        self._by_kind = {k: frozenset(v) for k, v in by_kind.items()}
        self._by_grade = {g: frozenset(v) for g, v in by_grade.items()}
        self._filters: dict[tuple[frozenset[Kind] | None, frozenset[Grade] | None], frozenset[int] | None] = {}
        freqs: dict[str, int] = {}
        for text in self.texts.values():
            for word in set(words(" ".join((text.title, *text.aliases)))):
                freqs[word] = freqs.get(word, 0) + 1
        self.vocab = Vocabulary(freqs)
        self.synonyms: dict[str, list[tuple[str, str]]] = {}
        for text in self.texts.values():
            # Only short names of the entries people look up expand ("RA" → rheumatoid arthritis):
            # sources and claims carry topic tags as aliases, and expanding a tag into a long
            # article title adds a huge AND to every query without finding anything new.
            if (
                text.kind not in SYNONYM_KINDS
                or not 0 < len([w for w in words(text.title) if not is_stop_word(w)]) <= SYNONYM_MAX_WORDS
            ):
                continue
            for alias in text.aliases:
                alias_words = words(alias)
                if len(alias_words) == 1 and fold(text.title) != alias_words[0]:
                    self.synonyms.setdefault(alias_words[0], []).append((alias, text.entry_id))
        self.named_words = named_by_synonyms(
            self.texts, {owner for pairs in self.synonyms.values() for _, owner in pairs}
        )
        """For each entry a synonym expands to, the words of its name a snippet marks on their own (those no other
        entry's name has) and all its name's words (marked where they stand together)."""
        self._analysis_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self.names = EntryNames(self.texts, self._doc_ids, self.analyse, self._word_weight)
        self._known_cache: dict[str, bool] = {}
        self._df_cache: dict[str, int] = {}
        self._weight_cache: dict[str, float] = {}
        self._partners: frozenset[str] | None = None
        self._summary_cache: dict[str, frozenset[str]] = {}
        self.synonym_max_df = max(SYNONYM_MIN_DF_CAP, len(self._doc_ids) // 50)
        self._results: OrderedDict[tuple[str, frozenset[Kind] | None, frozenset[Grade] | None, int], SearchResults] = (
            OrderedDict()
        )
        self._closed = False

    # -- helpers used by the query builder -------------------------------------------------------

    def analyse(self, field: str, word: str) -> tuple[str, ...]:
        key = (field, word)
        cached = self._analysis_cache.get(key)
        if cached is None:
            cached = tuple(self.schema[field].process_text(word, mode="query"))
            if len(self._analysis_cache) > 50_000:
                self._analysis_cache.clear()
            self._analysis_cache[key] = cached
        return cached

    def text_frequency(self, word: str) -> int:
        """How many entries have the analysed *word* in their text (summary and body)."""
        cached = self._df_cache.get(word)
        if cached is None:
            cached = max((self._reader.doc_frequency("text", tok) for tok in self.analyse("text", word)), default=0)
            if len(self._df_cache) > 50_000:
                self._df_cache.clear()
            self._df_cache[word] = cached
        return cached

    def known(self, word: str) -> bool:
        """True when some field indexes the word (in its analysed form)."""
        cached = self._known_cache.get(word)
        if cached is None:
            cached = word in self.vocab or any(
                self._reader.doc_frequency(field, tok) > 0
                for field in FIELD_WEIGHTS
                for tok in self.analyse(field, word)
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

    def search(
        self, text: str, *, kinds: Iterable[Kind] | None = None, grades: Iterable[Grade] | None = None, limit: int = 20
    ) -> SearchResults:
        """Search the KB; any *text* is a valid query (unsupported syntax falls back to words).

        Args:
            text: what the user typed (words, "phrases", OR, NOT/-word, word*); the last word is
                completed as a prefix unless the text ends with a space.
            kinds: only entries of these kinds (None: all).
            grades: only entries with these GRADE certainties (entries without a grade are excluded).
            limit: at most this many hits.

        Returns:
            The hits, best first, with a "did you mean" suggestion and a notice where relevant.

        Raises:
            ValueError: *kinds* or *grades* holds an unknown value.
            SearchError: The engine failed (a bug or a damaged index); logged with its traceback.
        """
        query_text = text if isinstance(text, str) else str(text)
        kset = frozenset(Kind(k) for k in kinds) if kinds is not None else None  # ValueError: caller's mistake
        gset = frozenset(Grade(g) for g in grades) if grades is not None else None
        try:
            with self._lock:
                key = (query_text, kset, gset, int(limit))
                cached = self._results.get(key)
                if cached is not None:
                    self._results.move_to_end(key)
                    return cached
                results = self._search(query_text, kset, gset, int(limit))
                if not self._closed:
                    self._results[key] = results
                    if len(self._results) > RESULT_CACHE_SIZE:
                        self._results.popitem(last=False)
                return results
        except Exception as exc:
            # Not a syntax problem (those fall back to words inside _search): a bug or a broken index.
            # It is logged with its traceback and raised, so the window and the CLI show an error state.
            log.exception("search failed for %r", query_text[:100])
            discarded = self.on_failure(exc) if self.on_failure is not None else False
            raise SearchError(f"search failed: {type(exc).__name__}: {exc}", cache_discarded=discarded) from exc

    def close(self) -> None:
        """Close the searcher and the index; later searches return no hits."""
        with self._lock:
            self._results.clear()
            if not self._closed:
                self._closed = True
                self._searcher.close()
                self._ix.close()

    def clear_result_cache(self, *, term_tables: bool = False) -> None:
        """Forget recent answers, and with *term_tables* the scored postings too (the benchmark times both)."""
        with self._lock:
            self._results.clear()
            if term_tables:
                self._scorer.clear()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------------

    def _search(
        self, text: str, kinds: Iterable[Kind] | None, grades: Iterable[Grade] | None, limit: int
    ) -> SearchResults:
        if self._closed:
            return SearchResults(text, (), None, "Search index is closed")
        limit = max(0, min(int(limit), 500))
        text_read = _JOINED_DOSE.sub(lambda m: f"{m[1]} {m[2]}" if self.names.is_drug(m[1]) else m[0], text)
        text_read = tylenol_numbers(text_read)  # "T#3", "T3 tylenol" (but "T3" alone is liothyronine)
        parsed = parse_query_text(text_read, self.names.never_excluded, self._combined_with())
        notice = SYNTAX_NOTICE if parsed.syntax_ignored else None
        if parsed.kept_in:
            kept = list(dict.fromkeys(parsed.kept_in))
            notice = KEPT_IN.format(names=", ".join(f"“{w}”" for w in kept) + (" was" if len(kept) == 1 else " were"))
        if limit == 0 or not parsed.groups:
            return SearchResults(text, (), None, notice)
        docs = self._filter(kinds, grades)
        if docs is not None and not docs:
            return SearchResults(text, (), None, notice)
        said = tuple(self.analyse("aliases", clean_query_text(text_read)))
        questions = self.names.asked(said)
        asked_only = False  # "how long before LDN works": the question is the whole query ("long" is no topic)
        if questions:  # "how long … for fibromyalgia": "how long" names its entry; the rest is the topic asked about
            rest = without_words(parsed, {t for q, _ in questions for t in q}, self.analyse)
            # only a question asked in words ("how long", "is LDN addictive"), not a name holding a filler ("ME/CFS")
            asked_only = rest is parsed and any(w in QUESTION_WORDS for q, _ in questions for w in q)
            parsed = rest
            questions = [(q, n) for q, n in questions if docs is None or n in docs]
        several_words = sum(1 for c in parsed.clauses if not c.negated) > 1
        partly: str | None = None  # "child with autism": what the hits leave out
        builder = QueryBuilder(self, respell_real_words=several_words)  # "irritable bowl syndrome": "bowel"
        if parsed.only_question_words and parsed.asks_for is not None:  # "how does LDN work?": the mechanisms
            asked = sorted(n for n, eid in self._doc_ids.items() if self.texts[eid].kind is parsed.asks_for)
            if parsed.asks_for is Kind.INTERACTION:  # "what drugs interact with LDN": the opioids first
                asked.sort(key=self.names.strictness)
            shown = [n for n in asked if docs is None or n in docs][:limit]
            return SearchResults(text, tuple(self._hit(n, 1.0, [], builder) for n in shown), None, notice)
        q = builder.build(parsed, any_word=False)  # built for what the snippets mark, if not run
        results = self._about_the_query(
            self._run(q, docs, limit) if q is not None and not asked_only else [], parsed, builder
        )
        if (
            builder.real_word_respellings
            and not asked_only
            and not self._names_confirm(results, parsed, builder.real_word_respellings)
        ):
            # No entry's name joins a real word's respelling to the rest of the query ("irritable bowl syndrome"
            # is IBS, but "small fibre neuropathy" is not "small fibro neuropathy" and "genetic testing" is not
            # "generic testing"): the word stays as typed.
            builder = QueryBuilder(self)
            q = builder.build(parsed, any_word=False)
            results = self._about_the_query(self._run(q, docs, limit) if q is not None else [], parsed, builder)
        if not results and several_words and not asked_only:
            builder = QueryBuilder(self)
            q = builder.build(parsed, any_word=True)
            results = self._about_the_query(self._run(q, docs, limit) if q is not None else [], parsed, builder)
            results = self._carrying_the_query(results, parsed, builder)
            if results and (unknown := self._unknown_words(parsed, builder)):
                partly = PARTLY_COVERED.format(
                    date=format_date(self._kb.meta.content_as_of), words=" or ".join(f"“{w}”" for w in unknown)
                )
        if only_weak_words(parsed):
            results = []  # "3", "d", "the": no entry is about a numeral, a letter or a stop word
        found = {row[0] for row in results}
        top = max((row[1] for row in results), default=1.0)
        if self._names_a_dosing_entry(results):  # "crohns dose children": paediatric dosing leads
            questions = [(q, n) for q, n in questions if not set(q) <= self.names.dose_terms()]
        results += [(n, top, [("aliases", t) for t in q]) for q, n in questions if n not in found]
        found = {row[0] for row in results}
        drugs = self.names.drugs_named(parsed, builder.corrections)
        for name, n in drugs:  # "methadone 60ml": the drug's entry, whatever else the query says
            if n not in found and (docs is None or n in docs):
                results.append((n, top, [("aliases", t) for t in name]))
                found.add(n)
        if not drugs and (rule := self._opioid_rule(parsed, docs)) is not None and rule not in found:
            results.append((rule, top, []))  # "patient on long term opioids": the opioid rule among the hits
            found.add(rule)
        if drugs:  # "fibro + tramadol", "MS patient on Percocet": the topic beside the drug as well
            results += [row for row in self._topic_rows(parsed, drugs, docs, limit) if row[0] not in found]
        found = {row[0] for row in results}  # "MS pain": the condition, whether or not its entry says "pain"
        results += [(n, top, []) for n in self.names.conditions_named(parsed, builder.corrections)
                    if n not in found and (docs is None or n in docs)]  # fmt: skip
        typos = {word: builder.corrections[word] for word in builder.typos}  # a form or a spelling is no mistake
        suggestion = self._suggestion(parsed, typos) if results else None  # never a dead end
        named = frozenset(n for _, n in questions) | frozenset(n for _, n in drugs)  # named as exactly as a title
        results = self.names.rank(results, parsed, builder.corrections, named)[:limit]
        hits = tuple(self._hit(docnum, score, terms, builder) for docnum, score, terms in results)
        if not hits and notice is None and docs is None:
            notice = self._not_covered(text)
        elif notice is None and docs is None:  # "Tylenol": paracetamol has no data (Tylenol with Codeine is a hit)
            notice = self._no_data_notice(text_read, [h.entity_id for h in hits]) or partly
        return SearchResults(text, hits, suggestion, notice)

    def _names_a_dosing_entry(self, rows: Rows) -> bool:
        """A dosing entry's name holds a word of the query that no condition's name does: "children" names
        paediatric dosing, but "crohns" in its title "(Crohn's pilot)" names the condition."""
        kind = {row[0]: self.texts[self._doc_ids[row[0]]].kind for row in rows}
        named = [(row[0], t) for row in rows for f, t in row[2] if f in ("title", "aliases")]
        conditions = {t for n, t in named if kind[n] is Kind.CONDITION}
        return any(kind[n] is Kind.DOSING and t not in conditions for n, t in named)

    def _names_confirm(
        self,
        rows: list[tuple[int, float, list[tuple[str, str]]]],
        parsed: ParsedQuery,
        respellings: dict[str, list[str]],
    ) -> bool:
        """Whether, for each respelled real word, a hit's title or alias holds a respelling and another typed word."""
        typed = [w for c in parsed.clauses if not c.negated for w in c.words if not is_weak(w)]
        for word, found in respellings.items():
            spelt = {t for f in found for t in self.analyse("aliases", f)}
            others = {t for w in typed if w != word for t in self.analyse("aliases", w)}
            if not any(
                spelt & set(name) and others & set(name)
                for row in rows
                for name in self.names.of(self._doc_ids[row[0]])
            ):
                return False
        return True

    def _about_the_query(self, rows: Rows, parsed: ParsedQuery, builder: QueryBuilder) -> Rows:
        """*rows* without the hits that matched a common word only inside a product's name (:meth:`EntryNames.
        only_in_brand_names`)."""
        typed = [w for c in parsed.clauses if not c.negated for w in c.words]
        common = frozenset(
            t for w in typed if w in PRODUCT_QUALIFIERS or is_common_word(w) for t in self.analyse("aliases", w)
        )
        if not common:
            return rows
        key = tuple(t for w in typed for t in self.analyse("aliases", builder.corrections.get(w, w)))
        return [row for row in rows if not self.names.only_in_brand_names(row[0], row[2], key, common)]

    def _topic_rows(
        self, parsed: ParsedQuery, drugs: list[tuple[tuple[str, ...], int]], docs: frozenset[int] | None, limit: int
    ) -> Rows:
        """The hits for what a query says besides the drugs it names, if it says anything else."""
        rest = without_words(parsed, {t for name, _ in drugs for t in name}, self.analyse)
        if rest is parsed or parsed.only_question_words or only_weak_words(rest):
            return []
        builder = QueryBuilder(self)
        q = builder.build(rest, any_word=False)
        rows = self._about_the_query(self._run(q, docs, limit) if q is not None else [], rest, builder)
        if not rows and len(rest.clauses) > 1:
            q = builder.build(rest, any_word=True)
            rows = self._about_the_query(self._run(q, docs, limit) if q is not None else [], rest, builder)
            rows = self._carrying_the_query(rows, rest, builder)
        return rows

    def _unknown_words(self, parsed: ParsedQuery, builder: QueryBuilder) -> list[str]:
        """The query's words (as typed) that no entry has in any field, even respelled ("autism")."""
        return [
            c.display.strip("?!.,;")
            for c in parsed.clauses
            if not c.negated
            and not c.is_phrase
            and c.words[0].isalpha()
            and len(c.words[0]) >= 3
            and c.words[0] not in builder.corrections
            and self._word_weight(c.words[0]) >= math.log(len(self._doc_ids) + 1) + 1.0
        ]

    def _not_covered(self, text: str) -> str:
        """Why nothing matched: a drug the KB knows without an entry ("No LDN interaction data for warfarin…"),
        else a topic not covered."""
        return self._no_data_notice(text) or NOT_COVERED.format(
            query=quoted_query(text), date=format_date(self._kb.meta.content_as_of)
        )

    def _no_data_notice(self, text: str, hits: Sequence[str] = ()) -> str | None:
        """What the query says of each drug it names that the KB knows without an entry, or None.

        A drug named only inside a hit's own name is no drug asked about: "naloxone challenge" is a hit's alias, so
        "no data for naloxone" is not said above it."""
        from ldn_browser.core.med_partial import no_data_message
        from ldn_browser.core.medications import Status, check_medications

        drugs: list[str] = []  # "LDN with Humira?": LDN is what is asked about, adalimumab the drug without data
        combined: list[str] = []  # "naltrexone bupropion": Contrave's other drug, whose data no naltrexone page gives
        for finding in check_medications(text, self._kb, close_names=False):
            if finding.status is Status.NO_DATA and finding.drug is not None:
                drugs.append(finding.drug)
            elif finding.status is Status.SAME_DRUG:
                combined += [f.drug for d in finding.also for f in check_medications(d, self._kb, close_names=False)[:1]
                             if f.status is Status.NO_DATA and f.drug is not None]  # fmt: skip
        key = tuple(self.analyse("aliases", clean_query_text(text)))
        named = {t for eid in hits for name in self.names.of(eid) if name == key or inside(name, key) for t in name}
        drugs = [d for d in drugs if not set(self.analyse("aliases", d)) <= named or len(set(named)) <= 1] + combined
        if drugs:  # "No LDN interaction data for warfarin in this knowledge base …"
            return " ".join(no_data_message(self._kb, d) for d in dict.fromkeys(drugs))
        return None

    def _opioid_rule(self, parsed: ParsedQuery, docs: frozenset[int] | None) -> int | None:
        """The document of the KB's first safety rule (the opioid rule) when the query says the patient takes opioids
        ("on opioids", "long term opiates", "narcotics"), else None."""
        rule = self._rule_doc
        if rule is None or not any(w in TAKES_OPIOIDS for c in parsed.clauses if not c.negated for w in c.words):
            return None
        return rule if docs is None or rule in docs else None

    def _combined_with(self) -> frozenset[str]:
        """The drugs a naltrexone product combines naltrexone with ("bupropion": Contrave, Mysimba); made once."""
        if self._partners is None:
            nal = self._kb.naltrexone
            self._partners = frozenset(
                d.lower() for p in (nal.products if nal else ()) for d in p.contains if nal and d != nal.drug.name
            )
        return self._partners

    def _word_weight(self, word: str) -> float:
        """Inverse document frequency of a query word over all fields (unknown words weigh most); cached."""
        cached = self._weight_cache.get(word)
        if cached is None:
            if len(self._weight_cache) > 50_000:
                self._weight_cache.clear()
            cached = self._weight_cache[word] = self._compute_word_weight(word)
        return cached

    def _compute_word_weight(self, word: str) -> float:
        count = len(self._doc_ids) or 1
        df = max(
            (self.reader_frequency(field, tok) for field in FIELD_WEIGHTS for tok in self.analyse(field, word)),
            default=0,
        )
        return math.log((count + 1) / (df + 1)) + 1.0

    def reader_frequency(self, field: str, token: str) -> int:
        """How many entries have *token* in *field*."""
        return int(self._reader.doc_frequency(field, token))

    def _carrying_the_query(
        self, rows: list[tuple[int, float, list[tuple[str, str]]]], parsed: ParsedQuery, builder: QueryBuilder
    ) -> list[tuple[int, float, list[tuple[str, str]]]]:
        """Any-word hits whose matched words carry most of the query's weight ("hair loss" ≠ "loss of analgesia")."""
        typed = [w for c in parsed.clauses if not c.negated for w in c.words if not is_weak(w)]
        weights = {w: self._word_weight(w) for w in typed}
        total = sum(weights.values()) or 1.0
        key = tuple(t for c in parsed.clauses if not c.negated for w in c.words for t in self.analyse("aliases", w))
        kept = []
        for row in rows:
            matched = {o[1] for ft in row[2] for o in builder.origins.get(ft, ())}
            if sum(weights.get(w, 0.0) for w in matched) / total >= FALLBACK_MIN_WEIGHT or self._names_in(
                self._doc_ids[row[0]], key
            ):
                kept.append(row)
        return kept

    def _names_in(self, entry_id: str, key: tuple[str, ...]) -> bool:
        """One of the entry's own names (title or alias, not only weak words) stands whole in the query:
        "MS fatigue" is about MS even though no entry has both words; "hair loss" names no entry."""
        return any(
            name and not all(is_weak(t) for t in name) and (name == key or inside(name, key))
            for name in self.names.of(entry_id)
        )

    def _run(
        self, q: wq.Query, docs: frozenset[int] | None, limit: int
    ) -> list[tuple[int, float, list[tuple[str, str]]]]:
        fetch = max(limit * 2, 30)
        try:
            best = top(self._scorer.scores(q), docs, fetch)
        except UnsupportedQueryError:  # a phrase: Whoosh's own matchers score it
            return self._run_whoosh(q, docs, fetch)
        terms = self._scorer.matched_terms(q, [docnum for docnum, _ in best])
        return [
            (docnum, score * KIND_PRIOR[self.texts[self._doc_ids[docnum]].kind], terms[docnum])
            for docnum, score in best
        ]

    def _run_whoosh(
        self, q: wq.Query, docs: frozenset[int] | None, fetch: int
    ) -> list[tuple[int, float, list[tuple[str, str]]]]:
        res = self._searcher.search(q, limit=fetch, filter=set(docs) if docs is not None else None, terms=True)
        rows: list[tuple[int, float, list[tuple[str, str]]]] = []
        for hit in res:
            eid = self._doc_ids[hit.docnum]
            prior = KIND_PRIOR[self.texts[eid].kind]
            terms = [(f, t.decode("utf-8") if isinstance(t, bytes) else t) for f, t in (hit.matched_terms() or ())]
            rows.append((hit.docnum, float(hit.score or 0.0) * prior, terms))
        return rows

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

    def _hit(self, docnum: int, score: float, terms: list[tuple[str, str]], builder: QueryBuilder) -> SearchHit:
        text = self.texts[self._doc_ids[docnum]]
        matched = explain(self, text, terms, builder)
        snippet = builder.snippet(text, self.names.title_words(text.entry_id))
        return SearchHit(
            entity_id=text.entry_id,
            kind=text.kind,
            title=text.title,
            snippet_html=snippet.html,
            snippet_text=snippet.text,
            grade=text.grade,
            rating=text.rating,
            direction=text.direction,
            matched=matched,
            score=round(score, 4),
            verdict=text.verdict,
        )

    def summary_terms(self, text: EntryText) -> frozenset[str]:
        """The analysed words of an entry's summary (to tell a summary match from a body match)."""
        cached = self._summary_cache.get(text.entry_id)
        if cached is None:
            cached = frozenset(self.schema["text"].process_text(text.summary, mode="index"))
            self._summary_cache[text.entry_id] = cached
        return cached
