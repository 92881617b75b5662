"""A medication line recognised only in part: the words that may name another drug (no Qt here).

"HC/APAP 10/325" is hydrocodone with paracetamol, and "Tylenol 1" Tylenol with codeine No. 1: the vocabulary
knows "APAP" and "Tylenol" but neither "HC" nor a "Tylenol" numbered 1. Reading such a line as plain
paracetamol ("No data") would hide an opioid; the line is shown as not recognised instead, naming the part
that was recognised and the part that was not.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.med_grammar import UNITS, is_grammar, key, tokens
from ldn_browser.core.pages import format_date
from ldn_browser.core.search.spelling import is_common_word

SHORT_WORDS = frozenset(
    """a an and or of in on at to for by via per with w c s x am pm mg the my me his her new old one two
    i is it be do can did was are has had may get got how why who you we
    dose not no nil use as if up dr gp ha bp htn dm gerd oa ra uti sob nv inr ecg lft lfts
    mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday
    mondays tuesdays wednesdays thursdays fridays saturdays sundays
    aki ckd copd ibs ibd chf cva tia dvt gord t2dm renal hepatic anaphylaxis rash hives urticaria""".split()  # noqa: SIM905
)
"""Short words and indication shorthand of a medication line that name no drug ("for HA", "for BP"); the lexicon of
common words starts at four letters."""
PRODUCT_NUMBER_DIGITS = 2
"""A number after a name may be the product's number ("Tylenol 1"; a dose has a unit or more digits)."""


def no_data_message(kb: KnowledgeBase, drug: str) -> str:
    """The honest answer for a recognised drug with no entry."""
    return (
        f"No LDN interaction data for {drug} in this knowledge base (content as of "
        f"{format_date(kb.meta.content_as_of)}): this is not evidence that none exists."
    )


def unrecognised_parts(
    words: Sequence[str], spans: Sequence[tuple[int, int]], names: Mapping[str, object]
) -> list[str]:
    """The words of a line outside its recognised names (*spans*: start and length) that may name a drug.

    A word may name a drug unless it is grammar (a dose, unit, form, route, frequency), a common English word or
    a short word of :data:`SHORT_WORDS`. A number right after a recognised name counts when the vocabulary has
    the name with other numbers ("Tylenol 1" beside "Tylenol 3" and "Tylenol 4") but not with this one.
    """
    used = [False] * len(words)
    ends: dict[int, str] = {}
    for start, n in spans:
        used[start : start + n] = [True] * n
        ends[start + n] = key(list(words[start : start + n]))
    unknown: list[str] = []
    for i, word in enumerate(words):
        if used[i]:
            continue
        if word.isdigit():
            is_dose = len(word) > PRODUCT_NUMBER_DIGITS or (i + 1 < len(words) and words[i + 1] in UNITS)
            if i in ends and not is_dose and _numbered_family(ends[i], word, names):
                unknown.append(f"{words[i - 1]} {word}")
            continue
        if word == "ms" and _indication(words, i):
            continue  # "LDN 4.5mg (for MS)", "gabapentin (MS pain)": multiple sclerosis, not morphine sulfate
        if word.isalpha() and len(word) > 1 and word not in SHORT_WORDS and not is_grammar(word):
            unknown += [] if is_common_word(word) else [word]
    return unknown


_MS_SYMPTOMS = frozenset({"pain", "fatigue", "spasticity", "spasms", "symptoms", "relapse", "flare"})


def _indication(words: Sequence[str], i: int) -> bool:
    """Word *i* ("ms") follows "for" or comes before a symptom: what the medicine is for."""
    return (i > 0 and words[i - 1] == "for") or (i + 1 < len(words) and words[i + 1] in _MS_SYMPTOMS)


def _numbered_family(name: str, number: str, names: Mapping[str, object]) -> bool:
    numbered = [k for k in names if k.startswith(name) and k[len(name) :].isdigit()]
    return bool(numbered) and f"{name}{number}" not in names


def partly_text(matched: str, unknown: Sequence[str], opioids: Sequence[str] = ()) -> str:
    """The action of a line recognised in part; *opioids*: the close names of its unrecognised part, when every one
    is an opioid LDN is contraindicated with ("OXYCOD/APAP 7.5-325": oxycodone)."""
    shown = ", ".join(f"“{w}”" for w in unknown[:3])
    warning = (
        f" The unrecognised part is close to {', '.join(opioids)}, and every close name is an opioid LDN is "
        "contraindicated with: treat it as one until it is confirmed."
        if opioids
        else ""
    )
    return (
        f"Recognised only in part: {matched}, but not {shown}, which may be another medication (an opioid in a "
        f"combination, say).{warning} Check the spelling or write the generic names; an unrecognised part is not "
        "evidence of safety with LDN."
    )


_LISTED_BRANDS = re.compile(r"^\s*([^()]+?)\s*\(([^()]*[A-Z][^()]*)\)")


def listed_brands(
    text: str, spans: Sequence[tuple[int, int]], drugs: Sequence[str], partners: Collection[str]
) -> frozenset[str]:
    """The words of the brand names an Epic list writes in capitals after the generic name, or an empty set.

    "lisinopril (PRINIVIL,ZESTRIL) 10 MG tablet": the brackets name the same medicine, so a brand the vocabulary
    lacks is not another drug. Only when the generic before the brackets is recognised (*spans* and *drugs*: the
    line's recognised names and their generics) and is not sold with an opioid in one product (*partners*:
    "acetaminophen (ENDOCET)" stays recognised only in part). Known names in the brackets are matched as usual.
    """
    m = _LISTED_BRANDS.match(text)
    if m is None or m.group(2) != m.group(2).upper():
        return frozenset()
    generic_words = len(tokens(m.group(1)))
    before = [d for (start, n), d in zip(spans, drugs, strict=True) if start + n <= generic_words]
    if not before or any(d.casefold() in partners for d in before):
        return frozenset()
    return frozenset(tokens(m.group(2)))
