"""Query building: each typed word becomes an OR of its exact form, completions, corrections and synonyms.

Each expanded term remembers why it is in the query (its origin), so every hit can say how it matched.
Prefix completion and spelling use an in-memory sorted term list (bisect) and a bucketed
Damerau-Levenshtein corrector built on :class:`whoosh.spelling.Corrector`.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from whoosh import query as wq
from whoosh.spelling import Corrector
from whoosh.support.levenshtein import damerau_levenshtein

from ldn_browser.core.kinds import TitleName, title_lead
from ldn_browser.core.med_grammar import UNITS
from ldn_browser.core.search.analysis import is_stop_word, words
from ldn_browser.core.search.query_text import Clause, ParsedQuery
from ldn_browser.core.search.ranking import (
    FIELD_WEIGHTS,
    NAME_FIELDS,
    PHRASE_BOOST,
    PREFIX_BOOST_KNOWN,
    PREFIX_BOOST_UNKNOWN,
    SHORT_TYPO_LETTERS,
    SYNONYM_BOOST,
    TITLE_NAME,
    TYPO_BOOST,
    TYPO_TWO_EDITS_FROM,
)
from ldn_browser.core.search.snippets import Snippet, make_snippet
from ldn_browser.core.search.spelling import (
    MIN_SOUND_KEY,
    is_common_word,
    lay_lemmas,
    read_lexicon,
    regional_variants,
    same_letters_by_ear,
    same_word_inflected,
    sound_key,
)

if TYPE_CHECKING:
    from ldn_browser.core.search.documents import EntryText
    from ldn_browser.core.search.index import SearchIndex


_SpellingTables = tuple[dict[tuple[str, int], list[tuple[str, frozenset[str]]]], dict[str, list[str]]]
"""Vocabulary words by (first letter, length), each with its letter set; and by sound key."""


class Vocabulary(Corrector):
    """Unstemmed title/alias words with document frequencies: completion (bisect) and spelling.

    Spelling suggestions go through Whoosh's :class:`~whoosh.spelling.Corrector` interface
    (``suggest(word, limit, maxdist, prefix)``); candidates are bucketed by first letter and length
    and checked with a bounded Damerau-Levenshtein distance (transpositions count as one edit).
    """

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.terms = sorted(frequencies)
        self.freq = frequencies
        self._tables: _SpellingTables | None = None
        self._tables_lock = threading.Lock()

    @property
    def tables_built(self) -> bool:
        """Whether the spelling tables exist yet (they are made on first use, or by :meth:`warm`)."""
        return self._tables is not None

    def warm(self) -> None:
        """Make the spelling tables and read the lexicon now (the search worker does, just after the index is ready)."""
        self._spelling_tables()
        read_lexicon()

    def _spelling_tables(self) -> _SpellingTables:
        """Candidates by (first letter, length) and by sound key: ~12 ms for the bundled KB, so not at opening."""
        tables = self._tables
        if tables is not None:
            return tables
        with self._tables_lock:
            if self._tables is None:
                buckets: dict[tuple[str, int], list[tuple[str, frozenset[str]]]] = {}
                sounds: dict[str, list[str]] = {}
                for term in self.terms:
                    if not term.isdigit():
                        buckets.setdefault((term[0], len(term)), []).append((term, frozenset(term)))
                        if len(term) >= 4:
                            sounds.setdefault(sound_key(term), []).append(term)
                self._tables = (buckets, sounds)
            return self._tables

    def sounds_like(self, word: str, limit: int = 2) -> list[str]:
        """Names spelled by ear the same way ("krohns" → "crohns"), closest spelling first.

        Only names within a few edits of the word (about a third of its letters) count.
        """
        key = sound_key(word)
        if len(key) < MIN_SOUND_KEY:
            return []
        bound = max(2, len(word) // 3)
        scored = []
        for term in self._spelling_tables()[1].get(key, ()):
            if term != word and abs(len(term) - len(word)) <= bound and same_letters_by_ear(word, term):
                dist = damerau_levenshtein(word, term, bound)
                if dist <= bound:
                    scored.append((dist, -self.freq[term], term))
        return [term for _d, _f, term in sorted(scored)[:limit]]

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
        buckets = self._spelling_tables()[0]
        for length in range(max(1, len(text) - maxdist), len(text) + maxdist + 1):
            for term, term_letters in buckets.get((first, length), ()):
                if len(letters ^ term_letters) > max_letter_diff or term == text or term[:prefix] != text[:prefix]:
                    continue
                dist = damerau_levenshtein(text, term, maxdist)
                if dist <= maxdist:
                    yield -dist + min(self.freq[term], 100) / 1000.0, term


# ---------------------------------------------------------------------------------------------
# Query building with explanations

Origin = tuple[str, ...]
"""(kind, typed word, detail, entry id): ("exact", w, "", ""), ("prefix", w, completion, ""),
("typo", w, correction, ""), ("form", w, base form, ""), ("spelling", w, British or American spelling, ""),
("synonym", w, alias as written, id of the entry that has the alias)."""


_DOSE_RE = re.compile(r"(\d+(?:\.\d+)?)(" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")")
"""A dose typed as one word, "50mg" or "0.5mg": the number and a unit of the medication grammar's."""

ACRONYM_FIELDS = ("aliases", "cite")
"""Where an acronym whose stem is another word is looked for (see :meth:`QueryBuilder.clause_query`)."""


_OPPOSITES = (("hyper", "hypo"), ("hypo", "hyper"))
"""Prefixes of opposite conditions: "hyperthyroidism" is no typo of "hypothyroidism", whatever the edit distance."""


def _opposite(word: str, other: str) -> bool:
    """*other* starts with the prefix opposite to *word*'s (hyper-/hypo-): another condition, not a typo of it."""
    return any(word.startswith(a) and other.startswith(b) for a, b in _OPPOSITES)


def named_words(title: str, name: TitleName) -> frozenset[str]:
    """The words of what *title* names (*name*, its kind's): those a synonym of it marks in snippets.

    "dialysis" (renal impairment's alias) marks "renal" and "impairment", not "urine" from its title's bracket in
    every snippet; "is LDN addictive" marks none of "Counselling points (sourced only)", a heading.
    """
    if name is TitleName.NONE:
        return frozenset()
    named = words(title_lead(title) if name is TitleName.LEAD else title)
    return frozenset(w for w in named if not is_stop_word(w))


class QueryBuilder:
    """Turns parsed clauses into a Whoosh query, remembering why each term is in it."""

    def __init__(self, index: SearchIndex, *, respell_real_words: bool = False) -> None:
        """*respell_real_words*: also respell real English words the KB lacks ("bowl" → "bowel"), which only
        the rest of the query can confirm: the caller sets it for the all-words pass of a query of several
        words, and drops it when no entry's name joins the respelling to another word of the query
        (:attr:`real_word_respellings`)."""
        self.ix = index
        self.respell_real_words = respell_real_words
        self.real_word_respellings: dict[str, list[str]] = {}
        """Real words respelled under :attr:`respell_real_words` ("bowl": ["bowel"]), for the caller to confirm."""
        self.origins: dict[tuple[str, str], set[Origin]] = {}
        self.forms: set[str] = set()
        """The words (and their analysed forms) marked in snippets."""
        self.typed: dict[str, set[str]] = {}
        """Each word as typed, and those of :attr:`forms` searched for it (itself, its completions and respellings;
        not a synonym's expansion): a hit's snippet shows where they are, unless the word names the hit."""
        self.expanded_to: dict[str, set[str]] = {}
        """Each word typed that a synonym expanded, and the entries it names ("sle": the SLE entry)."""
        self.runs: set[tuple[str, ...]] = set()
        """Names a synonym stands for, marked where two or more of their words stand together ("SLE": "systemic
        lupus erythematosus", not "systemic" in "systemic sclerosis")."""
        self.corrections: dict[str, str] = {}
        """Each respelled word and what it was searched as (typos, forms and spellings alike: ranking uses them)."""
        self.typos: set[str] = set()
        """The respelled words that were typos (a "did you mean" names them; a form or a spelling is no mistake)."""

    def _note(self, field: str, term: str, origin: Origin) -> None:
        self.origins.setdefault((field, term), set()).add(origin)

    def word_query(
        self, word: str, boost: float, origin: Origin, fields: Iterable[str] | None = None, *, marked: bool = True
    ) -> wq.Query | None:
        """An OR over the fields of the analysed *word*; None when no field indexes it.

        *marked*: the word and its forms are marked in the snippets (:attr:`forms`)."""
        subs: list[wq.Query] = []
        for field in fields or FIELD_WEIGHTS:
            tokens = self.ix.analyse(field, word)
            if not tokens:
                continue
            for tok in tokens:
                self._note(field, tok, origin)
            if marked:
                self.forms.update(tokens)
                if origin[0] != "synonym":
                    self.typed.setdefault(origin[1], set()).update(tokens)
            weight = FIELD_WEIGHTS[field] * boost
            if len(tokens) == 1:
                subs.append(wq.Term(field, tokens[0], boost=weight))
            else:
                subs.append(wq.And([wq.Term(field, t) for t in tokens], boost=weight))
        if marked:
            self.forms.add(word)
            if origin[0] != "synonym":
                self.typed.setdefault(origin[1], set()).add(word)
        if not subs:
            return None
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def snippet(self, text: EntryText, title_words: Iterable[str]) -> Snippet:
        """*text*'s snippet for this query: where a word typed is named ("tramadol" in the contraindications), unless
        the word names the entry itself, in its title or as a condition's synonym ("SLE", "IBD" for Crohn's disease):
        then the summary from its start."""

        # a condition's synonym is another name for it; another kind's is often a member ("tramadol" of the opioids)
        whole = TITLE_NAME[text.kind] is TitleName.WHOLE

        in_title = frozenset(title_words)

        def names_it(word: str) -> bool:
            return set(word.split()) <= in_title or (whole and text.entry_id in self.expanded_to.get(word, ()))

        return make_snippet(
            text.snippet_parts,
            sorted(self.forms),
            runs=tuple(sorted(self.runs)),
            typed=sorted({f for word, found in self.typed.items() if not names_it(word) for f in found}),
            typed_in=-1 if text.citation else None,  # a source's citation shows only when nothing else matches
        )

    def clause_query(self, clause: Clause) -> wq.Query | None:
        """The alternatives for one clause (exact, completions, corrections, synonyms)."""
        if clause.is_phrase:
            return self._phrase_query(clause)
        word = clause.words[0]
        if is_stop_word(word) and not clause.prefix:
            # A stop word on its own ("the", "it", "ALL") only counts as a name or a citation word.
            return self.word_query(word, 1.0, ("exact", word, "", ""), ("aliases", "cite"))
        alts: list[wq.Query] = []
        acronym = clause.display.isupper() and len(clause.display) <= 5  # "PCOS" is meant as typed, not "plos"
        # An acronym whose stem is another word ("ALS" stems to "al", as in "et al."; "IBS" to "ib") is looked
        # for only among names and citations, where it is written as one; in running text the stem would match.
        stems_away = acronym and self.ix.analyse("text", word) != (word,)
        # And among names only if some name is written so: "EDS" must not find the alias "ED" by its stem.
        fields = (ACRONYM_FIELDS if word in self.ix.vocab else ("cite",)) if stems_away else None
        exact = self.word_query(word, 1.0, ("exact", word, "", ""), fields)
        known = self.ix.known(word)
        if exact is not None:
            alts.append(exact)
        completions: list[str] = []
        # An acronym typed in capitals that the KB knows ("SLE") is complete: "sleep" is not what it means.
        complete = clause.prefix and (len(word) >= 3 or clause.explicit_prefix) and not word.isdigit()
        if complete and not (acronym and known):
            completions = self.ix.vocab.complete(word, limit=5)
            for comp in completions:
                q = self.word_query(
                    comp, PREFIX_BOOST_KNOWN if known else PREFIX_BOOST_UNKNOWN, ("prefix", word, comp, ""), NAME_FIELDS
                )
                if q is not None:
                    alts.append(q)
        if not known and (dose := _DOSE_RE.fullmatch(word)) and all(self.ix.known(part) for part in dose.groups()):
            # "50mg" is written "50 mg" in the KB: the two words as a phrase ("4.5mg" is an alias of its own)
            as_written = self._phrase_query(Clause(dose.groups(), clause.display))
            if as_written is not None:
                alts.append(as_written)
        if not known and not completions and not acronym and len(word) >= 4 and not any(ch.isdigit() for ch in word):
            respellings, how = self._respellings(word)
            for corr in respellings:
                self.corrections.setdefault(word, corr)
                if how == "typo":
                    self.typos.add(word)
                q = self.word_query(corr, TYPO_BOOST, (how, word, corr, ""))
                if q is not None:
                    alts.append(q)
        synonyms = self.ix.synonyms.get(word, ())
        if synonyms and self.ix.text_frequency(word) > self.ix.synonym_max_df:
            synonyms = ()  # a common word has evidence of its own; expanding it only costs time
        for alias, owner in synonyms[:3]:
            owner_text = self.ix.texts[owner]
            title_words = [w for w in words(owner_text.title) if not is_stop_word(w)]
            self.expanded_to.setdefault(word, set()).add(owner)
            alone, named = self.ix.named_words[owner]
            if len(named) > 1:
                self.runs.add(tuple(sorted(named)))
            marked = alone
            origin = ("synonym", word, alias, owner)
            parts = [
                self.word_query(w, SYNONYM_BOOST, origin, ("title", "text"), marked=w in marked) for w in title_words
            ]
            if parts and all(p is not None for p in parts):
                alts.append(wq.And(parts))
        if not alts:
            return None
        return alts[0] if len(alts) == 1 else wq.Or(alts)

    def _respellings(self, word: str) -> tuple[list[str], str]:
        """What an unknown word may stand for, and how: its lay base form ("itchy" → "itch": ``"form"``) or its
        British or American spelling ("tumor" → "tumour": ``"spelling"``) if the index has it, else the KB's
        names one edit away (two from 9 letters), else names that sound the same (``"typo"``).

        A real English word the KB lacks ("fibre", "genetic") is not a typo: it only gets a form of itself
        ("bacteria" → "bacterial"), unless :attr:`respell_real_words` lets the rest of the query decide."""
        lemmas = [lemma for lemma in lay_lemmas(word) if self.ix.known(lemma)]
        if lemmas:
            return lemmas[:1], "form"
        variants = [variant for variant in regional_variants(word) if self.ix.known(variant)]
        if variants:
            return variants[:1], "spelling"
        maxdist = 1 if len(word) < TYPO_TWO_EDITS_FROM else 2
        # a four-letter word keeps its first two letters ("lups" → lupus), or "pcos" became "plos" (PLoS One)
        keep = 2 if len(word) <= SHORT_TYPO_LETTERS else 1
        found = list(self.ix.vocab.suggest(word, limit=2, maxdist=maxdist, prefix=keep))
        found = [f for f in found or self.ix.vocab.sounds_like(word) if not _opposite(word, f)]
        if found and is_common_word(word):
            itself = [other for other in found if same_word_inflected(word, other)]
            if not self.respell_real_words or itself == found:
                return itself, "form"
            self.real_word_respellings[word] = found  # only another word needs the rest of the query to agree
        return found, "typo"

    def _phrase_query(self, clause: Clause) -> wq.Query | None:
        subs: list[wq.Query] = []
        for field in FIELD_WEIGHTS:
            tokens: list[str] = []
            for w in clause.words:
                tokens.extend(self.ix.analyse(field, w))
            if not tokens:
                continue
            for tok in tokens:
                self._note(field, tok, ("exact", tok, "", ""))
                self.forms.add(tok)
                self.typed.setdefault(" ".join(clause.words), set()).add(tok)
            weight = FIELD_WEIGHTS[field] * PHRASE_BOOST
            if len(tokens) == 1:
                subs.append(wq.Term(field, tokens[0], boost=weight))
            elif self.ix.schema[field].format.supports("positions"):
                subs.append(wq.Phrase(field, tokens, boost=weight))
            else:  # summary and body keep no positions (faster builds): all the words must occur
                subs.append(wq.And([wq.Term(field, t) for t in tokens], boost=weight))
        self.forms.update(clause.words)
        self.typed.setdefault(" ".join(clause.words), set()).update(clause.words)
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


def named_by_synonyms(
    texts: dict[str, EntryText], owners: set[str]
) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each of *owners*, the words of its name (its kind's :data:`TITLE_NAME`) that no other entry's name has,
    and all of them: "SLE" marks "lupus" and "erythematosus" anywhere, "systemic" only beside them."""
    names = {eid: named_words(text.title, TITLE_NAME[text.kind]) for eid, text in texts.items()}
    count: dict[str, int] = {}
    for name in names.values():
        for word in name:
            count[word] = count.get(word, 0) + 1
    return {owner: (frozenset(w for w in names[owner] if count[w] == 1), names[owner]) for owner in owners}
