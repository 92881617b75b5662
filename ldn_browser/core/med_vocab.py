"""The medication check's vocabulary: every drug and product name of a KB, by lookup key, with typo, sound and
close-name indexes (no Qt here). Built once per KB object (:func:`vocabulary`); :mod:`ldn_browser.core.medications`
looks a pasted line's words up in it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from whoosh.support.levenshtein import damerau_levenshtein

from ldn_browser.core.drugs import Drug, Product
from ldn_browser.core.entities import Interaction, KnowledgeBase
from ldn_browser.core.med_grammar import RELEASE, key, tokens
from ldn_browser.core.med_spelling import deletion_index, same_start, sound, variants
from ldn_browser.core.presentation import SEVERITY_ORDER

BRAND_STEM_MIN = 4
"""A brand without its release suffix is a name of its own only this long or longer (not "Oxy" of "Oxy IR"), or
three capitals ("MST" of "MST Continus", "DHC" of "DHC Continus": written so in notes)."""
TYPO_MIN_LENGTH = 5
"""A word this long or longer may be one edit from a known name and still be recognised."""
SHORTHAND_MIN = 3
"""A word this long or longer that starts a known name ("oxy", "tram") is offered the name as a close name."""
CLOSE_TWO_EDITS_FROM = 7
"""A close name may be two edits from a word this long or longer; from a shorter word, one edit only."""


@dataclass(frozen=True)
class Recognition:
    """One way a name in the vocabulary is recognised.

    Attributes:
        drug: The generic name it stands for.
        entry: The interaction entry, or None for a recognised drug without one.
        product: The product record when the name is a product's.
        name: The name as written in the KB ("Percocet", "meperidine", "oxycodone hydrochloride").
        how: "product", "generic", "other name", "salt" or "LDN".
        same_drug: For naltrexone itself (``KnowledgeBase.naltrexone``): the KB's action for this name; else "".
    """

    drug: str
    entry: Interaction | None
    product: Product | None
    name: str
    how: str
    same_drug: str = ""

    @property
    def rank(self) -> int:
        """Strongest severity first, then naltrexone itself; a drug without an entry last."""
        if self.entry is not None:
            return SEVERITY_ORDER[self.entry.severity]
        return len(SEVERITY_ORDER) + (0 if self.same_drug else 1)


class DrugVocabulary:
    """Every drug and product name of a KB, by lookup key, with typo and close-name indexes."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names: dict[str, list[Recognition]] = {}
        self.max_words = 1
        order = {e.id: i for i, e in enumerate(kb.interactions)}
        for entry in kb.interactions:
            canonical = {n.casefold(): m.name for m in entry.members for n in m.names}
            for m in entry.members:
                self._add_drug(m, entry)
            for p in entry.products:
                drug = next(canonical[c.casefold()] for c in p.contains if c.casefold() in canonical)
                self._add(p.name, Recognition(drug, entry, p, p.name, "product"))
        if kb.naltrexone is not None:
            self._add_naltrexone(kb)
        for d in kb.other_drugs:
            self._add_drug(d, None)
            for p in d.products:
                self._add(p.name, Recognition(d.name, None, p, p.name, "product"))
        self._add_brands_without_release_suffix()
        for recs in self.names.values():
            recs.sort(key=lambda r: (r.rank, order.get(r.entry.id, 99) if r.entry else 99))
        self.keys = sorted(self.names)
        self._one_edit = deletion_index((k for k in self.keys if len(k) >= TYPO_MIN_LENGTH), depth=1)
        self._two_edits_index: dict[str, tuple[str, ...]] | None = None  # made on the first close-name look-up
        self._sounds: dict[str, list[str]] = {}  # "fentanyl" → ["fentanyl"], "morfine" → ["morphine"]
        for k in self.keys:
            if len(k) >= TYPO_MIN_LENGTH and ("ph" in k or "f" in k):
                self._sounds.setdefault(sound(k), []).append(k)
        self._sound_edit = deletion_index(self._sounds, depth=1)
        self.combinations: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
            entry.id: [
                (tuple(key(tokens(c)) for c in p.contains), p.contains) for p in entry.products if len(p.contains) > 1
            ]
            for entry in kb.interactions
        }
        """Per interaction entry, its combination products: the lookup key of each content, and the contents."""
        contents = {c for entry in kb.interactions for p in entry.products if len(p.contains) > 1 for c in p.contains}
        self.partners = frozenset(r.drug.casefold() for c in contents for r in self.names.get(key(tokens(c)), [])) | {
            c.casefold() for c in contents
        }
        if kb.naltrexone is not None:  # Embeda and Troxyca hold an opioid with naltrexone
            self.partners |= {kb.naltrexone.drug.name.casefold()}
        """Drugs sold with an opioid in one product (paracetamol, ibuprofen, aspirin, naltrexone…), by generic name."""

    def _add_naltrexone(self, kb: KnowledgeBase) -> None:
        n = kb.naltrexone
        assert n is not None
        d = n.drug
        self._add_drug(d, None, n.generic_action)
        for s in n.ldn_names:
            self._add(s, Recognition(d.name, None, None, s, "LDN", n.ldn_action))
        for p in n.products:
            self._add(p.name, Recognition(d.name, None, p, p.name, "product", n.product_action))

    def _add_brands_without_release_suffix(self) -> None:
        """A product named with a release suffix ("Xtampza ER", "Envarsus XR") is also found by its brand alone
        ("Xtampza 18mg bd"), unless that brand is a name of its own ("Nucynta"): the suffix says how the product
        is released, not what it contains. Strength words ("Forte") are not suffixes: they can mark other contents."""
        stems: dict[str, list[Recognition]] = {}
        for recs in self.names.values():
            for rec in recs:
                words = tokens(rec.product.name) if rec.how == "product" and rec.product is not None else []
                if len(words) > 1 and words[-1] in RELEASE and _brand_stem(rec.name, stem := key(words[:-1])):
                    stems.setdefault(stem, []).append(rec)
        for stem, recs in stems.items():
            if stem not in self.names:
                self.names[stem] = recs

    def _add_drug(self, d: Drug, entry: Interaction | None, same_drug: str = "") -> None:
        """A generic drug by its name, its other names and its salts (*entry*: its interaction entry, or None)."""
        self._add(d.name, Recognition(d.name, entry, None, d.name, "generic", same_drug))
        for s in d.synonyms:
            self._add(s, Recognition(d.name, entry, None, s, "other name", same_drug))
        for s in d.salts:
            self._add(s, Recognition(d.name, entry, None, s, "salt", same_drug))

    def _add(self, name: str, rec: Recognition) -> None:
        words = tokens(name)
        if not words:
            return
        self.max_words = max(self.max_words, len(words))
        recs = self.names.setdefault(key(words), [])
        if not any(r.drug == rec.drug and r.entry is rec.entry and r.product is rec.product for r in recs):
            recs.append(rec)

    def plural(self, word: str) -> list[Recognition]:
        """A product's name in the plural, as written in notes ("Percs", "Vicodins"): its recognitions, or []."""
        singular = word[:-1] if len(word) > BRAND_STEM_MIN and word.endswith("s") and word.isalpha() else ""
        recs = self.names.get(singular, [])
        return recs if recs and recs[0].how == "product" else []

    def typo(self, word: str) -> list[str]:
        """Keys exactly one edit from *word* (which is not a key itself)."""
        if len(word) < TYPO_MIN_LENGTH or len(word) > 40:
            return []
        found = {k for v in variants(word, 1) for k in self._one_edit.get(v, ())}
        out = {k for k in found if k != word and damerau_levenshtein(word, k, 1) <= 1}
        if "f" in word or "ph" in word:  # written as it sounds: "phentanyl", "morfine", "buprenorfine"
            said = sound(word)
            near = {s for v in variants(said, 1) for s in self._sound_edit.get(v, ())}
            out |= {k for s in near if damerau_levenshtein(said, s, 1) <= 1 for k in self._sounds[s] if k != word}
        return sorted(out)

    def close(self, word: str, limit: int = 3) -> list[str]:
        """Up to *limit* keys really close to *word*: sharing its first letter or sound, and one edit from it
        (two from a word of :data:`CLOSE_TWO_EDITS_FROM` letters or more); or, for a word of 5 letters or more,
        a key that starts with it and is at most twice as long ("tramad" → tramadol)."""
        if len(word) < SHORTHAND_MIN or len(word) > 16:
            return []
        if len(word) < 4:
            return self._shorthand(word, limit)
        edits = 2 if len(word) >= CLOSE_TWO_EDITS_FROM else 1
        if self._two_edits_index is None:
            self._two_edits_index = deletion_index((k for k in self.keys if len(k) >= 4), depth=2)
        found = {k for v in variants(word, 2) for k in self._two_edits_index.get(v, ())}
        scored = sorted((damerau_levenshtein(word, k, edits), k) for k in found if k != word and same_start(word, k))
        out = [k for d, k in scored if d <= edits]
        if len(word) < TYPO_MIN_LENGTH:
            out += self._shorthand(word, limit)
        else:
            at = bisect.bisect_left(self.keys, word)
            starting = [
                k for k in self.keys[at : at + 50] if k.startswith(word) and k != word and len(k) <= 2 * len(word)
            ]
            starting.sort(key=lambda k: (self.names[k][0].how != "generic", len(k)))  # "morph": morphine before brands
            out += starting
        return list(dict.fromkeys(out))[:limit]

    def _shorthand(self, word: str, limit: int) -> list[str]:
        """A key of each of up to *limit* drugs starting with a short *word* ("oxy", "tram"), the generic name where
        one starts so: shorthand is offered as a close name to confirm, never recognised."""
        by_drug: dict[str, str] = {}
        generic = False
        for stem in (word, word[:-1]):  # then the last letter as a slip: "bupe" is bupr(enorphine)'s shorthand
            at = bisect.bisect_left(self.keys, stem)
            starting: list[str] = []
            for k in self.keys[at : at + 400]:
                if not k.startswith(stem):
                    break
                starting.append(k)
            # generic names first ("oxy": oxycodone before OxyNorm), the strictest entry first ("bup": buprenorphine,
            # contraindicated, before bupropion, no data), then the shortest
            starting.sort(key=lambda k: (self.names[k][0].how != "generic", self.names[k][0].rank, len(k)))
            for k in starting:
                rec = self.names[k][0]
                held = by_drug.get(rec.drug)
                if k != word and (held is None or (rec.how == "generic" and self.names[held][0].how != "generic")):
                    by_drug[rec.drug] = k  # a drug by its generic name where one is found ("Bupeaze" → buprenorphine)
                    generic = generic or rec.how == "generic"
            if generic or len(word) < 4:
                break
        return list(by_drug.values())[:limit]


def _brand_stem(name: str, stem: str) -> bool:
    """Whether *stem* (a product *name* without its release suffix) names the product (see :data:`BRAND_STEM_MIN`)."""
    first = name.split()[0]
    return len(stem) >= BRAND_STEM_MIN or (len(stem) == len(first) == 3 and first.isupper() and first.isalpha())


_CACHE: list[tuple[KnowledgeBase, DrugVocabulary]] = []


def vocabulary(kb: KnowledgeBase) -> DrugVocabulary:
    """The vocabulary of *kb* (built once per KB object; the last two are kept)."""
    for known, vocab in _CACHE:
        if known is kb:
            return vocab
    vocab = DrugVocabulary(kb)
    _CACHE[:] = [*_CACHE[-1:], (kb, vocab)]
    return vocab
