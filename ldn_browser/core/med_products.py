"""Which combination product a line names by its generics, and whether names on a line are written as one product's.

"oxycodone/paracetamol 5/325" names one product; "morphine 10mg naltrexone 4.5mg" names two medications. No Qt.
"""

from __future__ import annotations

import itertools

from ldn_browser.core.med_grammar import UNITS, key
from ldn_browser.core.med_vocab import DrugVocabulary, Recognition


def combination(
    recs: list[Recognition], words: list[str], vocab: DrugVocabulary, text: str
) -> tuple[Recognition, tuple[str, ...]]:
    """The recognition of the line's drug, and the contents of the combination product it names by its generics.

    A line that names every ingredient of a product of one of the drug's entries ("hydrocodone/homatropine" is
    Hycodan, a cough product; "buprenorphine/naloxone" is Suboxone, agonist treatment) takes that entry, and the
    other ingredients are not other drugs on the line. The names must be written together, as one product's are
    ("morphine/naltrexone", "buprenorphine and naloxone", "buprenorphine 8 mg / naloxone 2 mg"), not as two
    medications ("morphine 10mg naltrexone 4.5mg": LDN itself beside an opioid). Else the first recognition (the
    strictest entry)."""
    if recs[0].how == "product" or len(words) < 2:
        return recs[0], ()
    spans: dict[str, list[tuple[int, int]]] = {}
    for n in (1, 2):
        for i in range(len(words) - n + 1):
            spans.setdefault(key(words[i : i + n]), []).append((i, i + n))
    slashed = "/" in text or "+" in text
    for rec in recs:
        for keys, contains in vocab.combinations.get(rec.entry.id, ()) if rec.entry is not None else ():
            placings = itertools.product(*(spans[k] for k in keys)) if all(k in spans for k in keys) else ()
            if any(written_together(words, sorted(chosen), slashed) for chosen in placings):
                return rec, contains
    return recs[0], ()


_TOGETHER = frozenset({"and", "with", "plus", "w"})


def written_together(words: list[str], spans: list[tuple[int, int]], slashed: bool) -> bool:
    """The names at *spans* (in order) are written as one product's: only a joining word between them, or, where
    the line has a slash or a plus, only the strength of the name before ("buprenorphine 8 mg / naloxone 2 mg")."""
    for (_, end), (start, _) in itertools.pairwise(spans):
        gap = words[end:start]
        if end > start or not (
            all(w in _TOGETHER for w in gap) or (slashed and all(w[0].isdigit() or w in UNITS for w in gap))
        ):
            return False
    return True
