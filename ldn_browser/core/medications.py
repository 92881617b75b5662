"""The medication check: a pasted medication list, line by line, against the KB's interaction entries.

:func:`check_medications` gives exactly one :class:`MedicationFinding` per medication, in input order: the
drug recognised (a generic name), the product it was recognised as, the interaction entry it maps to with
its severity, action and sources; or, honestly, that the KB has no data for a recognised drug, or that the
line was not recognised (with close names). Names come from the KB's vocabulary (:mod:`~ldn_browser.core.med_vocab`);
how lines are written is grammar (:mod:`~ldn_browser.core.med_grammar`, :mod:`~ldn_browser.core.med_context`). No Qt.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.med_context import NOTES as WRITTEN_AS_NOTES
from ldn_browser.core.med_context import leads_list, written_as
from ldn_browser.core.med_grammar import (
    MAX_ITEM_CHARS,
    MAX_LINE_CHARS,
    Details,
    Item,
    ends_directions,
    is_grammar,
    joined_parts,
    key,
    leads_in,
    parse_details,
    split_items,
    tokens,
)
from ldn_browser.core.med_partial import listed_brands, no_data_message, partly_text, unrecognised_parts
from ldn_browser.core.med_products import combination, written_together
from ldn_browser.core.med_vocab import DrugVocabulary, Recognition, vocabulary
from ldn_browser.core.presentation import (
    SEVERITY_ORDER,
    SEVERITY_PALETTES,
    UNRECOGNISED_PALETTE,
    BadgeColours,
    Palette,
    severity_text,
)
from ldn_browser.core.search.query_text import FILLER_WORDS
from ldn_browser.core.search.spelling import is_common_word
from ldn_browser.core.shorthand import CLOSE_SHORTHAND
from ldn_browser.core.vocab import Severity

EMPTY_MESSAGE = "No medications to check: paste or type the medication list, one medication per line."
PLAIN_FORMS = frozenset({"tablet", "capsule"})
"""Forms too ordinary to name the product by ("fentanyl patch" yes, "oxycodone tablet" no)."""
TYPO_WORDS = 16
"""Typos are looked for among an item's first this many words (the drug name leads a line; a long GP-system line
is otherwise directions and notes): names written exactly are found anywhere, in time linear in the line."""


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
    """E.g. "3 ✖ Contraindicated · 8 ○ No data · 3 ? Not recognised" (see :func:`summary_counts`), and how many of
    them were written as an allergy or as stopped ("(2 written as an allergy or as stopped)"): counted, not dropped."""
    findings = tuple(findings)
    noted = sum(1 for f in findings if f.details.written_as)
    text = " · ".join(f"{n} {label}" for label, n in summary_counts(findings))
    return text + (f" ({noted} of them written as an allergy or as stopped)" if noted else "")


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
# The check


@dataclass(frozen=True)
class _Match:
    start: int
    recs: list[Recognition]
    n: int = 1
    typed: str = ""
    """The word as typed when it was recognised as a typo."""


def check_medications(text: str, kb: KnowledgeBase, *, close_names: bool = True) -> tuple[MedicationFinding, ...]:
    """One finding per medication in *text*, in order (empty for text with no medication lines).

    Without *close_names* a line not recognised offers none (search only asks which drugs have no data: the
    close-name index, ~12 MB, is then never built in the search process)."""
    vocab = vocabulary(kb)
    items, unchecked = split_items(text)
    findings = [
        finding
        for item in items
        for finding in (
            _check_long(item, vocab) if len(item.text) > MAX_ITEM_CHARS else _check_joined(item, vocab, close_names)
        )
    ]
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


def _check_joined(
    item: Item, vocab: DrugVocabulary, close_names: bool = True, *, prose: bool = False
) -> list[MedicationFinding]:
    """The finding of *item*, or one per medication where the line joins several ("Tylenol #3 and Antabuse": the
    disulfiram caution is a finding of its own, counted, not a note on the codeine one). A line is cut only when
    each part names a drug, and never inside one product that holds them all ("co-codamol 30/500")."""
    whole = _check_item(item, vocab, close_names, prose=prose)
    if not whole.also:
        return [whole]  # one drug, or one product holding every drug named
    # a note's sentences, each naming its own medicines ("takes morphine. also fentanyl patch", "… for breakthrough
    # pain. Also on hydromorphone 1.3mg"): one finding each, not one with the others "also on this line"
    sentences = [s for s in _FULL_STOP.split(item.text) if _names_a_drug(tokens(s), vocab)]
    if len(sentences) > 1:
        return [
            finding
            for s in sentences
            for finding in _check_joined(
                Item(item.line, s, written_as(s, item.context), item.context),
                vocab,
                close_names,
                prose=prose or len(item.text) > PROSE_CHARS,  # a short line's other words may still be a name
            )
        ]
    pieces = joined_parts(item.text)
    context = item.context
    if len(pieces) == 1:
        pieces = _cut_before_drugs(item.text, vocab)  # medications of their own: each as its own words say
    elif leads_list(pieces[0]):
        context = written_as(pieces[0], context)  # "Allergic to codeine and morphine": the lead is the list's
    if len(pieces) == 1:
        return [whole]  # nowhere to cut
    parts = [  # each part as a line of its own, always shorter: it may be cut again
        finding
        for p in pieces
        for finding in _check_joined(
            Item(item.line, p, written_as(p, context), item.context), vocab, close_names, prose=prose
        )
    ]
    return parts if all(p.status is not Status.NOT_RECOGNISED for p in parts) else [whole]


PROSE_CHARS = 200
"""A line longer than this, cut into sentences, is a note: the words beside a drug's name are its own, no name."""
_FULL_STOP = re.compile(r"(?<=[a-z)\]][.!?])\s+", re.I)


LONG_PIECE_CHARS = 400
"""A sentence of an over-long line is searched for medicine names in pieces of about this many characters."""


def _check_long(item: Item, vocab: DrugVocabulary) -> list[MedicationFinding]:
    """*item*, over :data:`MAX_ITEM_CHARS` (a free-text note pasted as one line): not checked as one medication, but
    each sentence (or piece of a long one) in its first :data:`MAX_LINE_CHARS` characters that names a medicine by
    its name is checked, so that an opioid in a long note is never missed. Typos are not read in such text."""
    searched = item.text[:MAX_LINE_CHARS]
    pieces = [
        piece
        for sentence in _FULL_STOP.split(searched)
        for piece in (textwrap.wrap(sentence, LONG_PIECE_CHARS) if len(sentence) > LONG_PIECE_CHARS else [sentence])
    ]
    found = [
        finding
        for piece in pieces
        if _names_a_drug(tokens(piece), vocab)
        for finding in _check_joined(
            Item(item.line, piece, written_as(piece, item.context), item.context), vocab, prose=True
        )
    ]
    beyond = len(item.text) > MAX_LINE_CHARS
    named = list(dict.fromkeys(f.drug for f in found if f.drug))
    where = f"its first {MAX_LINE_CHARS:,} characters" if beyond else "it"
    said = (
        f" Medicines named in {where}, each checked below: {', '.join(named)}."
        if named
        else (f" No medicine is named in {where}.")
    )
    if beyond:  # a 28,000-character note: the last 8,000 characters were never read
        said += f" The other {len(item.text) - MAX_LINE_CHARS:,} characters were not checked."
    note = MedicationFinding(
        line=item.line,
        input=item.text[:80] + "…",
        status=Status.NOT_CHECKED,
        action=f"Not checked as one medication: this line is {len(item.text):,} characters long (a medication line "
        f"has at most {MAX_ITEM_CHARS}).{said} Put one medication on each line.",
    )
    return [note, *found]


def _names_a_drug(words: list[str], vocab: DrugVocabulary) -> bool:
    """*words* hold a medicine's name as written (no typo), with a word or two of its own beside it."""
    return any(
        key(words[i : i + n]) in vocab.names and not words[i].isdigit()
        for i in range(len(words))
        for n in range(1, min(vocab.max_words, len(words) - i) + 1)
    )


_CHUNK = re.compile(r"\S+")
_STATUS_WORDS = frozenset({"stopped", "discontinued", "ceased", "allergy", "allergic", "intolerance", "intolerant"})
"""Words after a drug that say how it was written and end what is said of it."""


def _cut_before_drugs(text: str, vocab: DrugVocabulary) -> list[str]:
    """*text* cut before each drug's name that follows another drug's directions, where no joining word says so
    ("Oxycodone 5mg prn Levothyroxine 100mcg od": two medications pasted onto one line, each to be checked and
    counted; the levothyroxine caution had been a note on the oxycodone finding). The directions end where a dose,
    unit, frequency or route does, or, once the drug before has a dose, at any word that does not lead into what
    follows ("Tramadol 50 mg q6h PRN pain Sertraline 100 mg": the reason "pain" ends them). Never after such a word
    ("warfarin 5mg with tramadol 50mg" stays one line naming two drugs); [*text*] if nowhere."""
    cuts = [0]
    for chunk in _CHUNK.finditer(text):
        before = tokens(text[cuts[-1] : chunk.start()])
        if not before or leads_in(before[-1]):
            continue
        found = _find(tokens(text[chunk.start() :])[: vocab.max_words], vocab)  # a name starting here
        if not found or found[0].start != 0:
            continue
        previous = _find(before, vocab)
        if (
            previous
            and (
                ends_directions(before[-1])
                or before[-1] in _STATUS_WORDS  # "tramadol (stopped) oxycodone 5mg qds"
                or any(w.isdigit() for w in before[previous[0].start + previous[0].n :])
            )
        ):
            cuts.append(chunk.start())
    bounds = [*cuts, len(text)]
    return [text[a:b].strip(" \t-–—") for a, b in itertools.pairwise(bounds)]  # "… prn - sertraline 50mg"


def _find(words: list[str], vocab: DrugVocabulary) -> list[_Match]:
    matches: list[_Match] = []
    used = [False] * len(words)
    i = 0
    while i < len(words):
        for n in range(min(vocab.max_words, len(words) - i), 0, -1):
            recs = vocab.names.get(key(words[i : i + n])) or (n == 1 and vocab.plural(words[i])) or None
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
        common = is_common_word(w)  # "ultra" is no typo of Ultram: a common word is read as a drug without data only
        candidates = [w]
        if i + 1 < len(words) and not used[i + 1] and words[i + 1].isalpha() and not is_grammar(words[i + 1]):
            candidates.insert(0, w + words[i + 1])
        for cand in candidates:
            keys = vocab.typo(cand)
            drugs = {(r.drug, r.entry.id if r.entry else None) for k in keys for r in vocab.names[k][:1]}
            if keys and len(drugs) == 1 and not (common and cand == w and next(iter(drugs))[1] is not None):
                matches.append(_Match(i, vocab.names[keys[0]], 1 if cand == w else 2, typed=cand))
                used[i] = True
                if cand != w:
                    used[i + 1] = True
                break
    return sorted(matches, key=lambda m: m.start)


def _check_item(
    item: Item, vocab: DrugVocabulary, close_names: bool = True, *, prose: bool = False
) -> MedicationFinding:
    """The finding of one medication; in *prose* (a long note's sentence) the words beside a drug's name are the
    note's, never read as a name recognised only in part."""
    if len(item.text) > MAX_ITEM_CHARS:
        return MedicationFinding(
            line=item.line,
            input=item.text[:80] + "…",
            status=Status.NOT_CHECKED,
            action=f"Not checked: this line is {len(item.text):,} characters long (a medication line has at most "
            f"{MAX_ITEM_CHARS}). Put one medication on each line.",
        )
    words = tokens(item.text)
    if "free" in words:  # "codeine-free cough syrup", "tramadol-free": the drug it is free of is not on the line
        free = {i for i, w in enumerate(words) if w == "free" and words[i + 1 : i + 2] not in (["base"], ["acid"])}
        words = [w for i, w in enumerate(words) if i not in free and i + 1 not in free]  # "morphine free base" stays
    matches = _find(words, vocab)
    details = parse_details(item.text, item.written_as)
    if not matches:
        return _not_recognised(item, words, vocab, details, close_names)
    best = min(matches, key=lambda m: (m.recs[0].rank, m.start))
    rec, combined = combination(best.recs, words, vocab, item.text)
    drugs = list(dict.fromkeys(m.recs[0].drug for m in matches))
    also = tuple(d for d in drugs if d != rec.drug and d.casefold() not in {c.casefold() for c in combined})
    named = [m for m in matches if m.recs[0].how != "product"]
    generics = [m.recs[0].drug for m in named]
    apart = not written_together(words, [(m.start, m.start + m.n) for m in named], "/" in item.text or "+" in item.text)
    if rec.product is not None:
        product: str | None = rec.product.name
        contains = tuple(rec.product.contains)
    elif combined:
        product, contains = " + ".join(combined), combined
    elif rec.how == "salt":
        product, contains = rec.name, (rec.drug,)
    elif len(generics) > 1 and not apart:  # "codeine (allergy) tramadol 50mg" names two medications, not one product
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
    spans = [(m.start, m.n) for m in matches]
    unknown = unrecognised_parts(words, spans, vocab.names) if rec.entry is None and not prose else []
    if unknown and (brands := listed_brands(item.text, spans, [m.recs[0].drug for m in matches], vocab.partners)):
        if taken := [w for w in unknown if w in brands]:
            shown = ", ".join(w.upper() for w in taken)
            what = "a brand name" if len(taken) == 1 else "brand names"
            matched += f" ({shown}: read as {what} in brackets, as Epic lists them)"
        unknown = [w for w in unknown if w not in brands]
    if unknown:
        opioids = _all_opioid_close_names(unknown, vocab) if close_names else []
        return MedicationFinding(
            item.line, item.text, Status.NOT_RECOGNISED, action=partly_text(matched, unknown, opioids), matched=matched,
            details=details, suggestions=tuple(unknown),
        )  # fmt: skip
    if rec.same_drug:  # after the unrecognised parts: "naltrexone (TROXYCA ER)" holds oxycodone too
        return _same_drug(item, vocab, rec, product, contains, matched, details, also)
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


def _all_opioid_close_names(unknown: list[str], vocab: DrugVocabulary) -> list[str]:
    """The close names of the unrecognised words of a line, when there are some and all are contraindicated opioids
    (pharmacy-label shorthand: "OXYCOD/APAP", "HYDROCOD BIT/APAP"); else []."""
    recs = [vocab.names[k][0] for w in unknown[:3] if w.isalpha() for k in vocab.close(w)]
    if recs and all(r.entry is not None and r.entry.severity is Severity.CONTRAINDICATED for r in recs):
        return list(dict.fromkeys(r.drug for r in recs))[:3]
    return []


def _not_recognised(
    item: Item, words: list[str], vocab: DrugVocabulary, details: Details, close_names: bool = True
) -> MedicationFinding:
    close: list[str] = []
    contraindicated: list[bool] = []  # per close name: is it a drug LDN is contraindicated with?
    candidates = (
        [  # a common word of five letters or more ("ultra" of Gaviscon Ultra) names no close drug, nor does a
            # word of a sentence ("her" had offered heroin for "Seen today with her daughter")
            w
            for w in words
            if w.isalpha() and not is_grammar(w) and w not in FILLER_WORDS and not (len(w) >= 5 and is_common_word(w))
        ][:4]
        if close_names
        else []
    )
    shorthand = [CLOSE_SHORTHAND[w] for w in words if close_names and CLOSE_SHORTHAND.get(w) in vocab.names]
    for k in [*shorthand, *(k for w in candidates for k in vocab.close(w))]:  # "MS 10 q4h": morphine first
        rec = vocab.names[k][0]
        if rec.name not in close:
            close.append(rec.name)
            contraindicated.append(rec.entry is not None and rec.entry.severity is Severity.CONTRAINDICATED)
    close = close[:3]
    text = "Not recognised: no drug or product in this knowledge base matches this line."
    if close:
        text += f" Close names: {', '.join(close)}."
    if close and all(contraindicated[: len(close)]):  # "fentynal patch", "tapendatol": never read as safe
        text += " Every close name is an opioid LDN is contraindicated with: treat it as one until it is confirmed."
    elif opioids := [name for name, strict in zip(close, contraindicated, strict=False) if strict]:  # one or two
        text += (
            f" Of these, {' and '.join(opioids)} {'is an opioid' if len(opioids) == 1 else 'are opioids'} LDN is"
            " contraindicated with: confirm which drug this is before starting LDN."
        )
    text += " Check the spelling or write the generic name; an unrecognised line is not evidence of safety with LDN."
    return MedicationFinding(
        line=item.line, input=item.text, status=Status.NOT_RECOGNISED, action=text, details=details,
        suggestions=tuple(close),
    )  # fmt: skip
