"""The names of the entries (titles and aliases, analysed) and the ranking they give: a query that is an entry's name,
starts it, or names it inside a longer question comes first (see :meth:`EntryNames.rank`)."""

from __future__ import annotations

from collections.abc import Callable

from ldn_browser.core.search.analysis import fold, words
from ldn_browser.core.search.documents import EntryText
from ldn_browser.core.search.intent import author_year, wrote
from ldn_browser.core.search.query_text import DOSE_WORDS, DRUG_NAMES, FILLER_WORDS, SHORTHAND, ParsedQuery
from ldn_browser.core.search.ranking import (
    ALIAS_PREFIX_FACTOR,
    EXACT_ALIAS_FACTOR,
    EXACT_TITLE_FACTOR,
    NAMED_IN_QUERY_FACTOR,
    NEARLY_TYPED_LETTERS,
    TELLING_WORD_TITLE_FACTOR,
    TITLE_PREFIX_FACTOR,
)
from ldn_browser.core.vocab import Kind, Severity

OPIOID_WORDS = frozenset(
    {"opioid", "opioids", "opiate", "opiates", "narcotic", "narcotics", "painkiller", "painkillers", "bupe", "mat"}
)
"""Words for opioids a search never leaves out (after NOT or a minus), whatever the entries' names."""
TAKES_OPIOIDS = frozenset({"opioids", "opiates", "narcotics", "painkillers"})
"""Words that say a patient takes opioids ("on opioids", "long term opiates"): the opioid rule is among the hits."""

Rows = list[tuple[int, float, list[tuple[str, str]]]]
"""Hits as the index scores them: (document number, score, matched (field, term) pairs)."""


def nearly_typed(name: tuple[str, ...], key: tuple[str, ...], last: str) -> bool:
    """The query is the name with its last word typed all but the last letters ("oxycodon" → oxycodone)."""
    if len(name) != len(key) or name[:-1] != key[:-1]:
        return False
    whole = name[-1]
    return len(last) >= 5 and whole.startswith(last) and len(whole) - len(last) <= NEARLY_TYPED_LETTERS


def inside(name: tuple[str, ...], key: tuple[str, ...]) -> bool:
    """The whole *name* stands, in order and unbroken, inside the longer query *key*."""
    n = len(name)
    if not 0 < n < len(key) or name[0] not in key:  # most names share no word with the query: no slicing then
        return False
    first = name[0]
    return any(key[i : i + n] == name for i in range(len(key) - n + 1) if key[i] == first)


def _as_it(words_: tuple[str, ...], drug: frozenset[str]) -> tuple[str, ...]:
    """*words_* with each of the drug's names (analysed) as "it", "low dose" before one included, so a question
    names LDN however it is called ("is low-dose naltrexone safe" asks "is LDN safe")."""
    out: list[str] = []
    for w in words_:
        if w in drug:
            if out[-2:] == ["low", "dose"]:
                del out[-2:]
            w = "it"
        out.append(w)
    return tuple(out)


STRICTEST_FIRST = (Severity.CONTRAINDICATED, Severity.AVOID, Severity.CAUTION)
"""Severities in the order entries a drug's own name names are listed: the strictest advice first."""

PAPERS_AND_CLAIMS = frozenset({Kind.SOURCE, Kind.CLAIM})
"""Kinds whose titles and aliases speak of topics rather than name them (a paper's title, a lay claim)."""


def names_the_entry(kind: Kind, position: int, whole: bool) -> bool:
    """Whether a query matching name *position* of an entry (0: its title; *whole*: all of it) names that entry.

    A claim's or a paper's aliases are the topics it mentions ("arthritis", "compounding pharmacy") as well as its
    names, and its title may only start with a topic ("Compounding pharmacy web page on fillers", "LDN can reset
    the immune system"): such a match is no more the entry's name than a topic's word is. Its whole title is.
    """
    if kind in PAPERS_AND_CLAIMS:
        return position == 0 and whole
    return True


class EntryNames:
    """Each entry's analysed names, made on first use, and the name ranking of a result list."""

    def __init__(
        self,
        texts: dict[str, EntryText],
        doc_ids: dict[int, str],
        analyse: Callable[[str, str], tuple[str, ...]],
        word_weight: Callable[[str], float],
    ) -> None:
        self.texts, self._doc_ids = texts, doc_ids
        self._analyse, self._word_weight = analyse, word_weight
        self._keys: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._title_words: dict[str, list[str]] = {}
        self._question_keys: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._drug_keys: dict[str, frozenset[tuple[str, ...]]] = {}
        self._drugs_by_first: dict[str, list[tuple[tuple[str, ...], int]]] | None = None
        self._conditions_by_first: dict[str, list[tuple[tuple[str, ...], int]]] | None = None
        self._asked_by: dict[tuple[str, ...], list[int]] | None = None
        self._filler_terms: tuple[frozenset[str], frozenset[str]] | None = None
        self._dose_keys: frozenset[str] | None = None

    def asked(self, said: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
        """Each alias that is a question found whole in *said* (what was typed, analysed with its question words),
        with the document of the entry it names: "how long does LDN take to work for fibromyalgia" asks "how long"
        of the entry on treatment duration. The aliases of every entry are sorted out on the first question."""
        fillers, drug = self._question_terms()
        # the drug's name in either as "it": "when will LDN work" asks "when will it work", and "when to take
        # naltrexone" asks "when to take LDN"
        said_it = _as_it(said, drug)
        dose = self.dose_terms()
        if len(said) < 2 or not any(w in fillers or w in dose for w in said_it):  # "low dose naltrexone" is "it"
            return []
        if self._asked_by is None:
            asked_by: dict[tuple[str, ...], list[int]] = {}
            for docnum, entry_id in self._doc_ids.items():
                for question in self.questions(entry_id):
                    asked_by.setdefault(_as_it(question, drug), []).append(docnum)
            self._asked_by = asked_by
        plain = fillers | drug
        found = [
            (q, n)
            for q, docs in self._asked_by.items()
            # a question of question words only ("is LDN safe") names its entry only as the whole query: inside a
            # longer one ("is LDN safe in pregnancy") the rest of the query is the topic
            if q == said_it or (inside(q, said_it) and any(t not in plain for t in q))
            for n in docs
        ]
        # the longest question asked wins: "how long does LDN block opioids" asks that, not "how long" (to work), and
        # "how long to hold LDN before surgery" asks "hold LDN before surgery"
        longest = max((len(q) for q, _ in found), default=0)
        typed_for_it = tuple(w for w in said if w not in said_it)  # "LDN", "low dose naltrexone": the "it" asked of
        return [(q + typed_for_it if "it" in q else q, n) for q, n in found if len(q) == longest]

    def _question_terms(self) -> tuple[frozenset[str], frozenset[str]]:
        """The question words and the drug's names, analysed as the aliases are (made once)."""
        if self._filler_terms is None:
            self._filler_terms = (
                frozenset(t for w in FILLER_WORDS for t in self._analyse("aliases", w)),
                frozenset(t for w in DRUG_NAMES for t in self._analyse("aliases", w)),
            )
        return self._filler_terms

    def dose_terms(self) -> frozenset[str]:
        """:data:`DOSE_WORDS` analysed as the aliases are (made once)."""
        if self._dose_keys is None:
            self._dose_keys = frozenset(t for w in DOSE_WORDS for t in self._analyse("aliases", w))
        return self._dose_keys

    def title_words(self, entry_id: str) -> list[str]:
        """The words of an entry's title, folded as typed (not analysed), once per entry, not for every hit."""
        found = self._title_words.get(entry_id)
        if found is None:
            found = self._title_words[entry_id] = [fold(w) for w in words(self.texts[entry_id].title)]
        return found

    def of(self, entry_id: str) -> tuple[tuple[str, ...], ...]:
        """The analysed title and aliases of an entry (title first), computed on first use."""
        names = self._keys.get(entry_id)
        if names is None:
            text = self.texts[entry_id]
            names = tuple(self._analyse("aliases", name) for name in (text.title, *text.aliases))
            self._keys[entry_id] = names
        return names

    def questions(self, entry_id: str) -> tuple[tuple[str, ...], ...]:
        """The analysed aliases of an entry that are questions ("how long to work", "when will it work"): a
        topic word among the question words a query loses (so only the whole typed text can match them)."""
        names = self._question_keys.get(entry_id)
        if names is None:
            found = []
            for alias in self.texts[entry_id].aliases:
                surface = words(alias)
                if (surface and all(w in DOSE_WORDS for w in surface)) or (
                    any(w in FILLER_WORDS for w in surface)
                    and (len(surface) >= 3 or any(w not in FILLER_WORDS and w not in DRUG_NAMES for w in surface))
                ):  # "how long", "when will it work" (a question of question words only, but a whole one), "dose"
                    found.append(self._analyse("aliases", alias))
            names = self._question_keys[entry_id] = tuple(found)
        return names

    def drugs(self, entry_id: str) -> frozenset[tuple[str, ...]]:
        """The analysed generic and product names an entry covers (interactions; empty for other kinds)."""
        names = self._drug_keys.get(entry_id)
        if names is None:
            names = frozenset(self._analyse("aliases", n) for n, _ in self.texts[entry_id].name_notes)
            self._drug_keys[entry_id] = names
        return names

    def drugs_named(self, parsed: ParsedQuery, corrections: dict[str, str]) -> list[tuple[tuple[str, ...], int]]:
        """Each drug or product name an interaction entry covers that stands whole in the query, with that entry's
        document: "how long after stopping oxycodone …", "methadone 60ml" and "codeine phosphate 30mg" name their
        drugs, whose entries must be among the hits whatever else the query says (made on first use)."""
        key = self._key(parsed, corrections) + tuple(
            t for c in parsed.beyond if not c.negated for w in c.words for t in self._analyse("aliases", w)
        )  # however long the query: "MTX 15mg weekly, folic acid, … gabapentin 300 tds, tramadol 50mg"
        if not key:
            return []
        by_first = self._by_first()
        found: list[tuple[tuple[str, ...], int]] = []
        for token in dict.fromkeys(key):
            found += [(n, d) for n, d in by_first.get(token, ()) if n == key or inside(n, key)]
        return found

    def conditions_named(self, parsed: ParsedQuery, corrections: dict[str, str]) -> list[int]:
        """The condition entries whose title or an alias stands whole in a query of several words ("MS pain",
        "multiple sclerosis pain"): among the hits even where the other words are not in the entry."""
        key = self._key(parsed, corrections)
        if len(key) < 2:
            return []
        if self._conditions_by_first is None:
            by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
            for docnum, entry_id in self._doc_ids.items():
                if self.texts[entry_id].kind is Kind.CONDITION:
                    for name in self.of(entry_id):
                        if name:
                            by_first.setdefault(name[0], []).append((name, docnum))
            self._conditions_by_first = by_first
        found = [d for t in dict.fromkeys(key) for n, d in self._conditions_by_first.get(t, ()) if inside(n, key)]
        return list(dict.fromkeys(found))

    def _by_first(self) -> dict[str, list[tuple[tuple[str, ...], int]]]:
        """The drug and product names of the interaction entries by their first analysed word (made once)."""
        if self._drugs_by_first is None:
            by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
            for docnum, entry_id in self._doc_ids.items():
                for name in self.drugs(entry_id):
                    if name:
                        by_first.setdefault(name[0], []).append((name, docnum))
            self._drugs_by_first = by_first
        return self._drugs_by_first

    def is_drug(self, text: str) -> bool:
        """*text* is the whole name of a drug or product an interaction entry covers ("tramadol", "Suboxone")."""
        name = self._analyse("aliases", text)
        return bool(name) and any(n == name for n, _ in self._by_first().get(name[0], ()))

    def never_excluded(self, text: str) -> bool:
        """*text* (typed after NOT or a minus) names a drug, starts a drug's or product's name, or is a word for
        opioids ("-tramadol", "-co codamol", "NOT tylenol 3", "-tramadol,codeine", "-opioids", "-oxy")."""
        for word in words(text):
            word = SHORTHAND.get(word, word)
            analysed = self._analyse("aliases", word)
            if word in OPIOID_WORDS or (analysed and analysed[0] in self._by_first()):
                return True
        return False

    def only_in_brand_names(
        self, docnum: int, terms: list[tuple[str, str]], key: tuple[str, ...], common: frozenset[str]
    ) -> bool:
        """A hit that matched a common word of the query (*common*: analysed) only inside product names not typed
        whole ("max dose": Solpadeine Max; "headache relief": Syndol Headache Relief; "take 2 capsules"): it is not
        about the query."""
        entry_id = self._doc_ids[docnum]
        products = self.drugs(entry_id)
        if not products:
            return False
        fields: dict[str, set[str]] = {}
        for field, term in terms:
            fields.setdefault(term, set()).add(field)
        for term, where in fields.items():
            if where != {"aliases"} or term not in common:
                continue
            holding = [n for n in self.of(entry_id) if term in n]
            if holding and all(n in products and n != key and not inside(n, key) for n in holding):
                return True
        return False

    def _key(self, parsed: ParsedQuery, corrections: dict[str, str]) -> tuple[str, ...]:
        """The query's words as names are compared: analysed, respelled where corrected, without negated words."""
        return tuple(
            t
            for c in parsed.clauses
            if not c.negated
            for w in c.words
            for t in self._analyse("aliases", corrections.get(w, w))
        )

    def strictness(self, docnum: int) -> int:
        """0 for a contraindicated entry, then avoid, caution, and entries with no severity."""
        severity = self.texts[self._doc_ids[docnum]].severity
        return len(STRICTEST_FIRST) if severity is None else STRICTEST_FIRST.index(severity)

    def rank(
        self,
        rows: Rows,
        parsed: ParsedQuery,
        corrections: dict[str, str],
        asked: frozenset[int] = frozenset(),
    ) -> Rows:
        """Entries whose whole title or an alias is the query come first, then those whose name starts with it.

        An exact name match ranks above every other hit ("SLE" is lupus's alias: it must not lose to an entry
        whose several names merely start with "sle"); names that start with the query only get a boost.
        A respelled word counts as its respelling ("fibromyalga pain" is about fibromyalgia). An alias that is
        a question ("how long") found whole in what was typed (*asked*: their documents, from :meth:`asked`:
        "how long does LDN take to work?"), or a drug's name within it (:meth:`drugs_named`: "methadone 60ml"),
        names its entry as exactly as its title would; among those, the strictest severity first.
        """
        clauses = [c for c in parsed.clauses if not c.negated]
        if not clauses or len(parsed.groups) != 1:
            return rows
        tkey = self._key(parsed, corrections)
        raw_last = clauses[-1].words[-1] if clauses[-1].prefix and not clauses[-1].is_phrase else None
        if not tkey:
            return rows
        # As typed (respelled where corrected), unstemmed: "pain" is not "Painful".
        typed = [fold(corrections.get(w, w)) for c in clauses for w in c.words]
        # In a query of several words, the title holding its most telling word is the topic asked about:
        # "fibromyalgia pain" is about fibromyalgia, not about chronic pain.
        telling = max(sorted(set(tkey)), key=self._word_weight) if len(set(tkey)) > 1 else None  # ties: first in order
        out = []
        exact: set[int] = set()
        named_exactly: set[int] = set()  # a source by the author and year the query names, above all
        titled: set[int] = set()
        spoken_of: set[int] = set()
        who = author_year(parsed)
        for docnum, score, terms in rows:
            factor = 1.0
            text = self.texts[self._doc_ids[docnum]]
            if who is not None and text.kind is Kind.SOURCE and wrote(text, *who):
                named_exactly.add(docnum)
            names = self.of(self._doc_ids[docnum])
            if docnum in asked:  # a question alias, or a drug's name, found whole in the query
                factor = EXACT_ALIAS_FACTOR
                exact.add(docnum)
                named_exactly.add(docnum)
            title_words = self.title_words(text.entry_id)
            if telling is not None and names and telling in names[0]:
                factor = TELLING_WORD_TITLE_FACTOR
            if telling is not None and any(telling in name and inside(name, tkey) for name in names):
                factor = max(factor, NAMED_IN_QUERY_FACTOR)  # "RA pain": RA (its alias) is the topic
            for i, name in enumerate(names):
                starts_title = i == 0 and len(name) > len(tkey) and title_words[: len(typed)] == typed
                if name == tkey or starts_title or (raw_last and nearly_typed(name, tkey, raw_last)):
                    # "insomnia" names "Insomnia and sleep disturbance": above a claim tagged "insomnia"
                    factor = max(factor, EXACT_TITLE_FACTOR if i == 0 else EXACT_ALIAS_FACTOR)
                    if not names_the_entry(text.kind, i, name == tkey):
                        continue  # boosted, but not above the entries the topic names
                    exact.add(docnum)
                    if i == 0 and text.kind not in PAPERS_AND_CLAIMS:
                        titled.add(docnum)
                    elif text.kind in PAPERS_AND_CLAIMS:
                        spoken_of.add(docnum)  # a paper or claim by its whole title: after the entries named
                    if name in self.drugs(self._doc_ids[docnum]):
                        named_exactly.add(docnum)  # a drug's own name: its interaction entry, before topic tags
                elif (
                    raw_last
                    and len(name) >= len(tkey)
                    and name[: len(tkey) - 1] == tkey[:-1]
                    and (name[len(tkey) - 1].startswith(raw_last) or name[len(tkey) - 1].startswith(tkey[-1]))
                ):
                    factor = max(factor, TITLE_PREFIX_FACTOR if i == 0 else ALIAS_PREFIX_FACTOR)
            out.append((docnum, score * factor, terms))
        out.sort(
            key=lambda r: (
                r[0] not in named_exactly,
                self.strictness(r[0]) if r[0] in named_exactly else 0,  # "morphine": contraindicated before avoid
                r[0] not in exact,
                r[0] not in titled,
                r[0] in spoken_of,
                -r[1],
                self._doc_ids[r[0]],
            )
        )
        return out
