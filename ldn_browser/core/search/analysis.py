"""Text analysis for search: folding (accents, apostrophes, case), tokenizers and Whoosh analyzers.

The analyzers are pickled into the index schema: bump ``INDEX_VERSION`` (``documents.py``) when they change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis import Analyzer, RegexTokenizer, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

# ---------------------------------------------------------------------------------------------
# Folding: accents, apostrophes, case

_APOSTROPHES = "'’‘ʼ`´′ʹ"
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPECIAL_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "ß": "ss",
        "þ": "th",
    }
)


_RUN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def _fold_non_ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return _COMBINING_RE.sub("", text).casefold()


def fold(text: str) -> str:
    """Lower-case, strip accents and drop apostrophes: "Sjögren’s" → "sjogrens", "Crohn's" → "crohns".

    Only the runs of non-ASCII characters are decomposed: every step works character by character
    (a combining accent is itself non-ASCII, so it stays in the run of the letters it follows).
    """
    for mark in _APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "")
    if text.isascii():
        return text.lower()
    # ASCII runs are lower-cased, the others case-folded: lower() after casefold would turn a case-folded
    # Cherokee letter back into its small form.
    return _RUN.sub(lambda m: m.group().lower() if m.group().isascii() else _fold_non_ascii(m.group()), text)


def _same_length_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    for ch, repl in {
        "ø": "o",
        "Ø": "O",
        "æ": "a",
        "Æ": "A",
        "œ": "o",
        "Œ": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "s",
        "þ": "t",
    }.items():
        table[ord(ch)] = repl
    return table


_SAME_LENGTH_FOLD = _same_length_fold_table()


def fold_same_length(text: str) -> str:
    """Strip accents one character for one character, so match offsets map back to *text* (NFC)."""
    return text.translate(_SAME_LENGTH_FOLD)


# ---------------------------------------------------------------------------------------------
# Analyzers (pickled into the index schema: bump INDEX_VERSION in search.py when they change)

WORD_PATTERN = r"\w+(?:\.\w+)*"
_WORD_RE = re.compile(WORD_PATTERN)


class FoldingTokenizer(RegexTokenizer):
    """A :class:`RegexTokenizer` that first folds case, accents and apostrophes (see :func:`fold`)."""

    def __init__(self) -> None:
        super().__init__(expression=WORD_PATTERN)

    def __call__(self, value: str, **kwargs: object):  # type: ignore[no-untyped-def]  # Whoosh's signature
        """Tokenize the folded text."""
        return super().__call__(fold(value), **kwargs)


_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 200_000


def _stem(word: str) -> str:
    """Porter stem with an unbounded-until-large dict cache (Whoosh's LFU cache is slow per call)."""
    stemmed = _STEM_CACHE.get(word)
    if stemmed is None:
        stemmed = porter_stem(word)
        if len(_STEM_CACHE) >= _STEM_CACHE_MAX:
            _STEM_CACHE.clear()
        _STEM_CACHE[word] = stemmed
    return stemmed


_TERMS: dict[tuple[bool, bool], dict[str, bytes | None]] = {}
_UNKNOWN = b"\x00unknown"
"""Not yet in the table (a folded word never contains a NUL)."""


class FoldingAnalyzer(Tokenizer):
    """Fold, tokenize, optionally drop English stop words and Porter-stem, in one pass.

    Produces exactly the tokens of ``FoldingTokenizer() | StopFilter(minsize=1) | StemFilter()``
    (positions renumbered over the kept words, as :class:`~whoosh.analysis.StopFilter` does), but
    without a generator per filter: indexing spends most of its time here.
    """

    def __init__(self, *, stop: bool, stem: bool) -> None:
        self.stop = stop
        self.stem = stem

    def _terms(self) -> dict[str, bytes | None]:
        """This analyzer's table of surface word → indexed term in UTF-8 (None for a dropped stop word)."""
        table = _TERMS.setdefault((self.stop, self.stem), {})
        if len(table) >= _STEM_CACHE_MAX:
            table.clear()
        return table

    def _term(self, word: str, table: dict[str, bytes | None]) -> bytes | None:
        term = None if self.stop and word in STOP_WORDS else (_stem(word) if self.stem else word).encode("utf-8")
        table[word] = term
        return term

    def term_counts(self, value: str) -> dict[bytes, int]:
        """How often each indexed term (UTF-8) occurs in *value*: the token texts ``self(value)`` yields, counted.

        Counts the surface words first, so each distinct word is looked up once.
        """
        counts: dict[bytes, int] = {}
        table = self._terms()
        for word, n in Counter(_WORD_RE.findall(fold(value))).items():
            term = table.get(word, _UNKNOWN)
            if term is _UNKNOWN:
                term = self._term(word, table)
            if term is not None:
                counts[term] = counts.get(term, 0) + n
        return counts

    def positioned_terms(self, value: str) -> tuple[int, list[bytes]]:
        """The indexed terms (UTF-8) of *value* in order, and the position of the first; the others follow one by one.

        As :class:`~whoosh.analysis.StopFilter` numbers them: the first kept word keeps its place among
        all the words, and the words after it are renumbered over the kept words only.
        """
        table = self._terms()
        found: list[bytes] = []
        first = 0
        for word in _WORD_RE.findall(fold(value)):
            term = table.get(word, _UNKNOWN)
            if term is _UNKNOWN:
                term = self._term(word, table)
            if term is not None:
                found.append(term)
            elif not found:
                first += 1
        return first, found

    def __call__(  # type: ignore[no-untyped-def]  # Whoosh's signature
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ):
        """Yield the (reused) :class:`~whoosh.analysis.Token` for each word of *value*."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops = STOP_WORDS if self.stop else frozenset()
        stem = _stem if self.stem else None
        folded = fold(value)
        if not tokenize:
            matches: Iterable[tuple[int, int, str]] = ((0, len(folded), folded),)
        else:
            matches = ((m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(folded))
        pos: int | None = None
        for i, (start, end, text) in enumerate(matches):
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            if text in stops or (self.stop and not text):  # StopFilter(minsize=1) also drops empty tokens
                if removestops:
                    continue
                token.stopped = True
                token.text = text
                if positions:
                    token.pos = start_pos + i
                yield token
                continue
            token.stopped = False
            token.text = stem(text) if stem is not None else text
            if positions:
                pos = start_pos + i if pos is None else pos + 1
                token.pos = pos
            yield token


def stemming_analyzer() -> Analyzer:
    """Fold, drop English stop words, Porter-stem: for titles, summaries and body text."""
    return FoldingAnalyzer(stop=True, stem=True)


def alias_analyzer() -> Analyzer:
    """Fold and stem but keep every word: abbreviations such as "MS" or "IT" must survive."""
    return FoldingAnalyzer(stop=False, stem=True)


def exact_analyzer() -> Analyzer:
    """Fold only: surface words for names, citations, prefix completion and spelling."""
    return FoldingAnalyzer(stop=False, stem=False)


def words(text: str) -> list[str]:
    """The folded words of *text*, as the analyzers see them before stemming."""
    return _WORD_RE.findall(fold(text))


def is_stop_word(word: str) -> bool:
    """True for English stop words that the body fields do not index."""
    return word in STOP_WORDS
