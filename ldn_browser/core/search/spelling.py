"""Spellings a one-edit corrector misses: sound-alike names and lay word forms.

* :func:`sound_key` is a small phonetic key for English medical names: "chrons", "krohns" and
  "crohns" share ``krns``; "sorriasis" and "psoriasis" share ``srss``; "diarea" and "diarrhoea"
  share ``dr``. Spelling by ear changes letters a clinician hears the same (c/k, ph/f, a silent h,
  doubled letters, vowels), which edit distance counts as several edits, often at the first letter.
* :func:`lay_lemmas` gives the base forms a lay word may stand for ("itchy" → "itch", "nauseous" →
  "nausea", "painful" → "pain"); the caller keeps only those the index knows.

* :func:`regional_variants` gives the British or American spelling of a word ("tumour" ↔ "tumor",
  "oedema" → "edema", "fibre" ↔ "fiber").
* :func:`is_common_word` tells a real English word from a typo: a word of SCOWL's size-35 lists
  (about 40,000 words, American and British; ``lexicon/``) is not a misspelling even where the KB
  lacks it, so "fibre" is not respelled "fibro", "genetic" not "generic", "patent" not "patient".

All are used only for words the index does not know, and only against the KB's own names
(titles, aliases, product names), so a common body word never wins over an entry's name.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

_START = (("ps", "s"), ("pn", "n"), ("kn", "n"), ("wr", "r"), ("gn", "n"), ("x", "z"))
"""Silent or changed first letters: "psoriasis" sounds like "soriasis"."""

_SOUNDS = (
    ("sch", "sk"),
    ("ph", "f"),
    ("ck", "k"),
    ("ch", "k"),
    ("qu", "kw"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
)
"""Letter groups spelled differently for the same sound (applied in order)."""

_SOFT = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")

MIN_SOUND_KEY = 2
"""Keys shorter than this ("d") say too little to match on."""

_SAME_SOUND = frozenset(frozenset(pair) for pair in ("ck", "kq", "sz", "cs", "gj", "fv", "iy"))
_QUIET = frozenset("aeiouyhw")


def same_letters_by_ear(word: str, name: str) -> bool:
    """True when the two spellings differ only in letters heard alike: a letter sounded the same
    (c/k, s/z, g/j…), or vowels, h and w ("krohns"/"crohns", "diarea"/"diarrhoea"), or one silent
    letter alone ("sorriasis"/"psoriasis"), or "ph" heard as "f" ("phentanyl"/"fentanyl"). "sickle" and "scale"
    share a key but differ in i, k and a."""
    diff = frozenset(word.replace("ph", "f")) ^ frozenset(name.replace("ph", "f"))
    loud = diff - _QUIET
    if not loud:  # vowels only: too weak a sign in a short word ("gout" is not "gut"), or two vowels apart
        return len(diff) <= 2 and min(len(word), len(name)) >= 5 and abs(_vowels(word) - _vowels(name)) <= 1
    if len(loud) == 1:
        return diff == loud
    return diff == loud and loud in _SAME_SOUND


def _vowels(word: str) -> int:
    """How many vowels *word* has: "ssris" (1) is no spelling by ear of "series" (3); "diarea" (4) is of
    "diarrhoea" (5)."""
    return sum(1 for ch in word if ch in "aeiouy")


def sound_key(word: str) -> str:
    """The phonetic key of a folded word: consonant sounds in order, the first letter kept."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return ""
    for old, new in _START:
        if w.startswith(old):
            w = new + w[len(old) :]
            break
    w = _SOFT.sub("s", w)
    w = _SOFT_G.sub("j", w)
    for old, new in _SOUNDS:
        w = w.replace(old, new)
    w = w.replace("c", "k")
    first, rest = w[0], w[1:].replace("h", "").replace("w", "")
    key = first + _VOWELS.sub("", rest)
    return _REPEATS.sub(r"\1", key)


_LAY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("iness", "y"),  # sleepiness → sleepy
    ("ousness", "ea"),
    ("eous", "ea"),  # nauseous → nausea (via "nause-ous")
    ("ous", "ea"),
    ("ous", "a"),
    ("ful", ""),  # painful → pain
    ("ish", ""),  # feverish → fever
    ("ness", ""),
    ("iness", ""),
    ("ily", "y"),
    ("y", ""),  # itchy → itch, achy → ach(e)
    ("y", "e"),  # achy → ache
    ("ed", ""),  # bloated → bloat
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("itic", "itis"),  # arthritic → arthritis
    ("etic", "esia"),  # anaesthetic → anaesthesia
    ("mt", "m"),  # dreamt → dream
    ("s", ""),
)
"""Lay word endings and what the base form ends with instead."""


def lay_lemmas(word: str) -> tuple[str, ...]:
    """Candidate base forms of a lay word, most specific ending first (the caller checks the index)."""
    out: list[str] = []
    for suffix, replacement in _LAY_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + replacement
            if base != word and base not in out:
                out.append(base)
    return tuple(out)


_REGIONAL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"our", "or"),  # tumour → tumor, behaviour → behavior
        (r"(?<=[a-z])or(?=(s|ed|ing|al)?$)", "our"),
        (r"(?<=[bt])re(?=[sd]?$)", "er"),  # fibre → fiber, centre → center, litres → liters
        (r"(?<=[bt])er(?=s?$)", "re"),
        (r"(?<=[a-z])is(?=(e|es|ed|ing|ation|ations)$)", "iz"),  # randomised → randomized
        (r"(?<=[a-z])iz(?=(e|es|ed|ing|ation|ations)$)", "is"),
        (r"(?<=[a-z])ys(?=(e|es|ed|ing)$)", "yz"),  # analyse → analyze
        (r"(?<=[a-z])yz(?=(e|es|ed|ing)$)", "ys"),
        (r"ae", "e"),  # anaemia → anemia, paediatric → pediatric
        (r"oe", "e"),  # oedema → edema, diarrhoea → diarrhea
        (r"(?<![aeo])e(?=[a-z])", "ae"),  # not a final "e": "fibre" is not "fibroe"
        (r"(?<![aeo])e(?=[a-z])", "oe"),
        (r"ogue$", "og"),
        (r"(?<=[a-z])og$", "ogue"),
    )
)
"""British and American spellings: each pattern, at one place in the word, changes into the other."""


def regional_variants(word: str) -> tuple[str, ...]:
    """The word with one British spelling made American or the other way round (the caller keeps the known ones)."""
    out: list[str] = []
    for pattern, replacement in _REGIONAL:
        for match in pattern.finditer(word):
            variant = word[: match.start()] + replacement + word[match.end() :]
            if variant != word and variant not in out:
                out.append(variant)
    return tuple(out)


LEXICON = Path(__file__).resolve().parent / "lexicon" / "common-english.txt.gz"
"""SCOWL size-35 words, American and British, lower-case, four letters or more (tools/make_lexicon.py); gzip keeps
the bundle within its size budget."""


@functools.cache
def read_lexicon() -> frozenset[str]:
    """The lexicon's words, read once (~10 ms; the search worker does it with the spelling tables)."""
    return frozenset(gzip.decompress(LEXICON.read_bytes()).decode("utf-8").split())


def is_common_word(word: str) -> bool:
    """Whether *word* is a real English word of the lexicon."""
    return word in read_lexicon()


_INFLECTIONS = ("s", "es", "l", "al", "ly", "y", "ic")
"""What one form of a word adds to another ("bacteria" → "bacterial", "painfully" → "painful")."""


def same_word_inflected(word: str, other: str) -> bool:
    """Whether one of the two is the other plus an inflection: the only respelling a real word gets."""
    short, long = sorted((word, other), key=len)
    return long.startswith(short) and long[len(short) :] in _INFLECTIONS
