"""The medication check: a pasted medication list, line by line, against the KB's interaction entries.

:func:`check_medications` gives exactly one :class:`MedicationFinding` per medication, in input order: the
drug recognised (a generic name), the product it was recognised as, the interaction entry it maps to with
its severity, action and sources; or, honestly, that the KB has no data for a recognised drug, or that the
line was not recognised (with close names). Names come from the KB's vocabulary (:mod:`ldn_browser.core.drugs`);
how lines are written is grammar (:mod:`~ldn_browser.core.med_grammar`, :mod:`~ldn_browser.core.med_context`). No Qt.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from whoosh.support.levenshtein import damerau_levenshtein

from ldn_browser.core.drugs import Product
from ldn_browser.core.entities import Interaction, KnowledgeBase
from ldn_browser.core.med_context import NOTES as WRITTEN_AS_NOTES
from ldn_browser.core.med_grammar import (
    MAX_ITEM_CHARS,
    RELEASE,
    Details,
    Item,
    is_grammar,
    joined_parts,
    key,
    parse_details,
    split_items,
    tokens,
)
from ldn_browser.core.med_partial import no_data_message, partly_text, unrecognised_parts
from ldn_browser.core.med_spelling import deletion_index, same_start, sound, variants
from ldn_browser.core.presentation import (
    SEVERITY_ORDER,
    SEVERITY_PALETTES,
    UNRECOGNISED_PALETTE,
    BadgeColours,
    Palette,
    severity_text,
)
from ldn_browser.core.vocab import Severity

EMPTY_MESSAGE = "No medications to check: paste or type the medication list, one medication per line."
PLAIN_FORMS = frozenset({"tablet", "capsule"})
"""Forms too ordinary to name the product by ("fentanyl patch" yes, "oxycodone tablet" no)."""
BRAND_STEM_MIN = 4
"""A brand without its release suffix is a name of its own only this long or longer (not "Oxy" of "Oxy IR")."""
TYPO_MIN_LENGTH = 5
"""A word this long or longer may be one edit from a known name and still be recognised."""
TYPO_WORDS = 16
"""Typos are looked for among an item's first this many words (the drug name leads a line; a long GP-system line
is otherwise directions and notes): names written exactly are found anywhere, in time linear in the line."""
SHORTHAND_MIN = 3
"""A word this long or longer that starts a known name ("oxy", "tram") is offered the name as a close name."""
CLOSE_TWO_EDITS_FROM = 7
"""A close name may be two edits from a word this long or longer; from a shorter word, one edit only."""


class Status(StrEnum):
    """What the check found for one line."""

    INTERACTION = "interaction"
    SAME_DRUG = "same_drug"
    NO_DATA = "no_data"
    NOT_RECOGNISED = "not_recognised"
    NOT_CHECKED = "not_checked"

    @property
    def label(self) -> str:
        """Human label, e.g. "No data"."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.INTERACTION: "Interaction entry",
    Status.SAME_DRUG: "Same drug as LDN",
    Status.NO_DATA: "No data",
    Status.NOT_RECOGNISED: "Not recognised",
    Status.NOT_CHECKED: "Not checked",
}


STATUS_GLYPH = {Status.SAME_DRUG: "=", Status.NO_DATA: "○", Status.NOT_RECOGNISED: "?", Status.NOT_CHECKED: "…"}
"""Glyphs of the findings without a severity (a severity has its own, see ``presentation.SEVERITY_GLYPH``)."""


def badge_text(finding: MedicationFinding) -> str:
    """What a finding's badge says, word and glyph: "✖ Contraindicated", "○ No data", "? Not recognised"."""
    if finding.severity is not None:
        return severity_text(finding.severity)
    return f"{STATUS_GLYPH[finding.status]} {finding.status.label}"


def finding_colours(finding: MedicationFinding, palette: Palette) -> BadgeColours:
    """The badge colours of a finding: its severity's, or the colour of a line not recognised."""
    if finding.status is Status.NOT_RECOGNISED:
        return UNRECOGNISED_PALETTE[palette]
    return SEVERITY_PALETTES[palette][finding.severity]


def _summary_rank(finding: MedicationFinding) -> int:
    if finding.severity is not None:
        return SEVERITY_ORDER[finding.severity]
    return len(SEVERITY_ORDER) + list(STATUS_GLYPH).index(finding.status)


def summary_counts(findings: Iterable[MedicationFinding]) -> list[tuple[str, int]]:
    """(badge text, how many) by severity: contraindicated, avoid, caution, then same drug as LDN, no data,
    not recognised, not checked; only those present."""
    counts: dict[str, int] = {}
    ranks: dict[str, int] = {}
    for f in findings:
        label = badge_text(f)
        counts[label] = counts.get(label, 0) + 1
        ranks.setdefault(label, _summary_rank(f))
    return sorted(counts.items(), key=lambda item: ranks[item[0]])


def summary_text(findings: Iterable[MedicationFinding]) -> str:
    """E.g. "3 ✖ Contraindicated · 8 ○ No data · 3 ? Not recognised" (see :func:`summary_counts`)."""
    return " · ".join(f"{n} {label}" for label, n in summary_counts(findings))


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


@dataclass(frozen=True)
class MedicationFinding:
    """What one pasted medication means for LDN.

    Attributes:
        line: Its 1-based line in the input (items cut at commas share a line).
        input: The medication as typed (bullets and numbering removed).
        status: Interaction entry, same drug as LDN (naltrexone itself), no data, not recognised, or not
            checked (too long).
        drug: The generic name recognised, or None.
        product: What it was recognised as besides the generic: a brand or combination ("Percocet"), a
            salt ("oxycodone hydrochloride"), several generics ("oxycodone + paracetamol") or a form
            ("fentanyl patch"); None for a bare generic name.
        contains: The product's generics (or the generic alone).
        entry_id, entry_title: The interaction entry it maps to (for naltrexone itself, the entry the KB
            links), or None.
        severity: The interaction entry's severity, or None (no interaction entry).
        action: What to do (the entry's action), or the honest "no data" / "not recognised" statement.
        sources: (source id, short citation) of what the entry rests on.
        matched: How it was recognised, e.g. "Percocet → oxycodone", "typo: percocett → Percocet".
        details: Dose, quantity, frequency, route, form and salt as written.
        suggestions: Close names for a line that was not recognised.
        also: Other drugs recognised on the same line (the finding is for the strongest).
        other_entries: Other entries the same drug is in (e.g. codeine: also cough products).
    """

    line: int
    input: str
    status: Status
    drug: str | None = None
    product: str | None = None
    contains: tuple[str, ...] = ()
    entry_id: str | None = None
    entry_title: str | None = None
    severity: Severity | None = None
    action: str = ""
    sources: tuple[tuple[str, str], ...] = ()
    matched: str = ""
    details: Details = field(default_factory=Details)
    suggestions: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    other_entries: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``meds --json`` object: the contract keys first, then the details."""
        d = self.details
        return {
            "input": self.input,
            "drug": self.drug,
            "product": self.product,
            "severity": self.severity.value if self.severity is not None else None,
            "entry_id": self.entry_id,
            "action": self.action,
            "sources": [{"id": sid, "citation": cite} for sid, cite in self.sources],
            "line": self.line,
            "status": self.status.value,
            "matched": self.matched or None,
            "contains": list(self.contains),
            "dose": d.dose,
            "quantity": d.quantity,
            "frequency": d.frequency,
            "route": d.route,
            "form": d.form,
            "written_as": d.written_as,
            "suggestions": list(self.suggestions),
            "also": list(self.also),
            "other_entries": list(self.other_entries),
        }


# ---------------------------------------------------------------------------------------------
# Vocabulary


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
                self._add(m.name, Recognition(m.name, entry, None, m.name, "generic"))
                for s in m.synonyms:
                    self._add(s, Recognition(m.name, entry, None, s, "other name"))
                for s in m.salts:
                    self._add(s, Recognition(m.name, entry, None, s, "salt"))
            for p in entry.products:
                drug = next(canonical[c.casefold()] for c in p.contains if c.casefold() in canonical)
                self._add(p.name, Recognition(drug, entry, p, p.name, "product"))
        if kb.naltrexone is not None:
            self._add_naltrexone(kb)
        for d in kb.other_drugs:
            self._add(d.name, Recognition(d.name, None, None, d.name, "generic"))
            for s in d.synonyms:
                self._add(s, Recognition(d.name, None, None, s, "other name"))
            for s in d.salts:
                self._add(s, Recognition(d.name, None, None, s, "salt"))
            for p in d.products:
                self._add(p.name, Recognition(d.name, None, p, p.name, "product"))
        self._add_brands_without_release_suffix()
        for recs in self.names.values():
            recs.sort(key=lambda r: (r.rank, order.get(r.entry.id, 99) if r.entry else 99))
        self.keys = sorted(self.names)
        self._one_edit = deletion_index((k for k in self.keys if len(k) >= TYPO_MIN_LENGTH), depth=1)
        self._two_edits = deletion_index((k for k in self.keys if len(k) >= 4), depth=2)
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

    def _add_naltrexone(self, kb: KnowledgeBase) -> None:
        n = kb.naltrexone
        assert n is not None
        d = n.drug
        self._add(d.name, Recognition(d.name, None, None, d.name, "generic", n.generic_action))
        for s in d.synonyms:
            self._add(s, Recognition(d.name, None, None, s, "other name", n.generic_action))
        for s in d.salts:
            self._add(s, Recognition(d.name, None, None, s, "salt", n.generic_action))
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
                if len(words) > 1 and words[-1] in RELEASE and len(stem := key(words[:-1])) >= BRAND_STEM_MIN:
                    stems.setdefault(stem, []).append(rec)
        for stem, recs in stems.items():
            if stem not in self.names:
                self.names[stem] = recs

    def _add(self, name: str, rec: Recognition) -> None:
        words = tokens(name)
        if not words:
            return
        self.max_words = max(self.max_words, len(words))
        recs = self.names.setdefault(key(words), [])
        if not any(r.drug == rec.drug and r.entry is rec.entry and r.product is rec.product for r in recs):
            recs.append(rec)

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
        found = {k for v in variants(word, 2) for k in self._two_edits.get(v, ())}
        scored = sorted((damerau_levenshtein(word, k, edits), k) for k in found if k != word and same_start(word, k))
        out = [k for d, k in scored if d <= edits]
        if len(word) < TYPO_MIN_LENGTH:
            out += self._shorthand(word, limit)
        else:
            at = bisect.bisect_left(self.keys, word)
            out += [
                k for k in self.keys[at : at + limit] if k.startswith(word) and k != word and len(k) <= 2 * len(word)
            ]
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


_CACHE: list[tuple[KnowledgeBase, DrugVocabulary]] = []


def vocabulary(kb: KnowledgeBase) -> DrugVocabulary:
    """The vocabulary of *kb* (built once per KB object; the last two are kept)."""
    for known, vocab in _CACHE:
        if known is kb:
            return vocab
    vocab = DrugVocabulary(kb)
    _CACHE[:] = [*_CACHE[-1:], (kb, vocab)]
    return vocab


# ---------------------------------------------------------------------------------------------
# The check


@dataclass(frozen=True)
class _Match:
    start: int
    recs: list[Recognition]
    n: int = 1
    typed: str = ""
    """The word as typed when it was recognised as a typo."""


def check_medications(text: str, kb: KnowledgeBase) -> tuple[MedicationFinding, ...]:
    """One finding per medication in *text*, in order (empty for text with no medication lines)."""
    vocab = vocabulary(kb)
    items, unchecked = split_items(text)
    findings = [finding for item in items for finding in _check_joined(item, vocab)]
    if unchecked:
        last = items[-1].line if items else 1
        findings.append(
            MedicationFinding(
                line=last,
                input=f"… and {unchecked} more",
                status=Status.NOT_CHECKED,
                action=f"Not checked: only the first {len(items)} medications are checked at a time; "
                f"{unchecked} more were not. Check them in a second list.",
            )
        )
    return tuple(findings)


def _check_joined(item: Item, vocab: DrugVocabulary) -> list[MedicationFinding]:
    """The finding of *item*, or one per medication where the line joins several ("Tylenol #3 and Antabuse": the
    disulfiram caution is a finding of its own, counted, not a note on the codeine one). A line is cut only when
    each part names a drug, and never inside one product that holds them all ("co-codamol 30/500")."""
    whole = _check_item(item, vocab)
    if not whole.also:
        return [whole]  # one drug, or one product holding every drug named
    parts = [_check_item(Item(item.line, part, item.written_as), vocab) for part in joined_parts(item.text)]
    if len(parts) > 1 and all(p.status is not Status.NOT_RECOGNISED for p in parts):
        return parts
    return [whole]


def _find(words: list[str], vocab: DrugVocabulary) -> list[_Match]:
    matches: list[_Match] = []
    used = [False] * len(words)
    i = 0
    while i < len(words):
        for n in range(min(vocab.max_words, len(words) - i), 0, -1):
            recs = vocab.names.get(key(words[i : i + n]))
            if recs and not (n == 1 and words[i].isdigit()):
                matches.append(_Match(i, recs, n))
                used[i : i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    for i, w in enumerate(words[:TYPO_WORDS]):  # typos: a word (or two written apart) one edit from a name
        if used[i] or not w.isalpha() or is_grammar(w):
            continue
        candidates = [w]
        if i + 1 < len(words) and not used[i + 1] and words[i + 1].isalpha() and not is_grammar(words[i + 1]):
            candidates.insert(0, w + words[i + 1])
        for cand in candidates:
            keys = vocab.typo(cand)
            drugs = {(r.drug, r.entry.id if r.entry else None) for k in keys for r in vocab.names[k][:1]}
            if keys and len(drugs) == 1:
                matches.append(_Match(i, vocab.names[keys[0]], 1 if cand == w else 2, typed=cand))
                used[i] = True
                if cand != w:
                    used[i + 1] = True
                break
    return sorted(matches, key=lambda m: m.start)


def _check_item(item: Item, vocab: DrugVocabulary) -> MedicationFinding:
    if len(item.text) > MAX_ITEM_CHARS:
        return MedicationFinding(
            line=item.line,
            input=item.text[:80] + "…",
            status=Status.NOT_CHECKED,
            action=f"Not checked: this line is {len(item.text):,} characters long (a medication line has at most "
            f"{MAX_ITEM_CHARS}). Put one medication on each line.",
        )
    words = tokens(item.text)
    matches = _find(words, vocab)
    details = parse_details(item.text, item.written_as)
    if not matches:
        return _not_recognised(item, words, vocab, details)
    best = min(matches, key=lambda m: (m.recs[0].rank, m.start))
    rec, combined = _combination(best.recs, words, vocab)
    drugs = list(dict.fromkeys(m.recs[0].drug for m in matches))
    also = tuple(d for d in drugs if d != rec.drug and d.casefold() not in {c.casefold() for c in combined})
    generics = [m.recs[0].drug for m in matches if m.recs[0].how != "product"]
    if rec.product is not None:
        product: str | None = rec.product.name
        contains = tuple(rec.product.contains)
    elif combined:
        product, contains = " + ".join(combined), combined
    elif rec.how == "salt":
        product, contains = rec.name, (rec.drug,)
    elif len(generics) > 1:
        product, contains = " + ".join(dict.fromkeys(generics)), tuple(dict.fromkeys(generics))
    elif details.salt and rec.how != "other name":
        product, contains = f"{rec.drug} {details.salt}", (rec.drug,)
    elif details.form and details.form not in PLAIN_FORMS:
        product, contains = f"{rec.drug} {details.form}", (rec.drug,)
    else:
        product, contains = None, (rec.drug,)
    matched = f"{rec.name} → {rec.drug}" if rec.name.casefold() != rec.drug.casefold() else rec.drug
    if best.typed:
        matched = f"typo: {best.typed} → {rec.name}" + (f" → {rec.drug}" if rec.name != rec.drug else "")
    others = tuple(dict.fromkeys(r.entry.id for r in best.recs[1:] if r.entry is not None and r.entry is not rec.entry))
    kb = vocab.kb
    if rec.same_drug:
        return _same_drug(item, vocab, rec, product, contains, matched, details, also)
    if rec.entry is None and (unknown := unrecognised_parts(words, [(m.start, m.n) for m in matches], vocab.names)):
        return MedicationFinding(
            item.line, item.text, Status.NOT_RECOGNISED, action=partly_text(matched, unknown), matched=matched,
            details=details, suggestions=tuple(unknown),
        )  # fmt: skip
    if rec.entry is None:
        return MedicationFinding(
            line=item.line, input=item.text, status=Status.NO_DATA, drug=rec.drug, product=product,
            contains=contains, action=no_data_message(kb, rec.drug), matched=matched, details=details, also=also,
        )  # fmt: skip
    entry = rec.entry
    sources = tuple((s.id, s.short_citation) for s in kb.sources_of(entry.certainty.source_ids))
    return MedicationFinding(
        line=item.line, input=item.text, status=Status.INTERACTION, drug=rec.drug, product=product,
        contains=contains, entry_id=entry.id, entry_title=entry.title, severity=entry.severity,
        action=entry.action, sources=sources, matched=matched, details=details, also=also, other_entries=others,
    )  # fmt: skip


def _combination(
    recs: list[Recognition], words: list[str], vocab: DrugVocabulary
) -> tuple[Recognition, tuple[str, ...]]:
    """The recognition of the line's drug, and the contents of the combination product it names by its generics.

    A line that names every ingredient of a product of one of the drug's entries ("hydrocodone/homatropine" is
    Hycodan, a cough product; "buprenorphine/naloxone" is Suboxone, agonist treatment) takes that entry, and the
    other ingredients are not other drugs on the line. Else the first recognition (the strictest entry)."""
    if recs[0].how == "product" or len(words) < 2:
        return recs[0], ()
    said = {key(words[i : i + n]) for n in (1, 2) for i in range(len(words) - n + 1)}
    for rec in recs:
        for keys, contains in vocab.combinations.get(rec.entry.id, ()) if rec.entry is not None else ():
            if all(k in said for k in keys):
                return rec, contains
    return recs[0], ()


def _same_drug(
    item: Item, vocab: DrugVocabulary, rec: Recognition, product: str | None, contains: tuple[str, ...],
    matched: str, details: Details, also: tuple[str, ...],
) -> MedicationFinding:  # fmt: skip
    """Naltrexone itself: the KB's action, and what the KB says of a product's other ingredients."""
    kb, n = vocab.kb, vocab.kb.naltrexone
    assert n is not None
    action = rec.same_drug
    for other in contains:
        if other.casefold() == rec.drug.casefold():
            continue
        known = vocab.names.get(key(tokens(other)))
        entry = known[0].entry if known else None
        if entry is not None:
            action += f" It also contains {other}: see {entry.title} ({severity_text(entry.severity)})."
        else:
            action += f" It also contains {other}. " + no_data_message(kb, other)
    target = kb.get(n.entry_id)
    return MedicationFinding(
        line=item.line, input=item.text, status=Status.SAME_DRUG, drug=rec.drug, product=product,
        contains=contains, entry_id=n.entry_id, entry_title=target.title if target is not None else None,
        action=action, sources=tuple((s.id, s.short_citation) for s in kb.sources_of(n.source_ids)),
        matched=matched, details=details, also=also,
    )  # fmt: skip


def brief_action(finding: MedicationFinding) -> str:
    """What a row shows: an interaction entry's first sentence (the rest is on the entry's page), else all of it.

    A same-drug finding keeps every sentence: its duplicate warning is not in its first one.
    """
    text = short_action(finding.action) if finding.status is Status.INTERACTION else finding.action
    return f"{WRITTEN_AS_NOTES[note]} {text}" if (note := finding.details.written_as) else text


def short_action(action: str) -> str:
    """The first sentence of an action (the full text is on the entry's page)."""
    cut = re.search(r"(?<=[a-z)])\.\s+(?=[A-Z])", action)
    return action[: cut.start() + 1] if cut else action


def _not_recognised(item: Item, words: list[str], vocab: DrugVocabulary, details: Details) -> MedicationFinding:
    close: list[str] = []
    candidates = [w for w in words if w.isalpha() and not is_grammar(w)][:4]
    for w in candidates:
        for k in vocab.close(w):
            name = vocab.names[k][0].name
            if name not in close:
                close.append(name)
    close = close[:3]
    text = "Not recognised: no drug or product in this knowledge base matches this line."
    if close:
        text += f" Close names: {', '.join(close)}."
    text += " Check the spelling or write the generic name; an unrecognised line is not evidence of safety with LDN."
    return MedicationFinding(
        line=item.line, input=item.text, status=Status.NOT_RECOGNISED, action=text, details=details,
        suggestions=tuple(close),
    )  # fmt: skip
