"""Text handling for search: folding, Whoosh analyzers, query-text parsing and snippets.

Kept apart from :mod:`ldn_browser.core.search` so the pure-text parts can be tested without an index.
Nothing here imports Qt.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh.analysis import Analyzer, RegexTokenizer, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

# ---------------------------------------------------------------------------------------------
# Folding: accents, apostrophes, case

_APOSTROPHES = "'’‘ʼ`´′ʹ"
_DROP_APOSTROPHES = dict.fromkeys(map(ord, _APOSTROPHES), None)
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPECIAL_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
                                  "đ": "d", "Đ": "d", "ı": "i", "ß": "ss", "þ": "th"})


def fold(text: str) -> str:
    """Lower-case, strip accents and drop apostrophes: "Sjögren’s" → "sjogrens", "Crohn's" → "crohns"."""
    text = text.translate(_DROP_APOSTROPHES)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return _COMBINING_RE.sub("", text).casefold()


def _same_length_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    for ch, repl in {"ø": "o", "Ø": "O", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ł": "l", "Ł": "L",
                     "đ": "d", "Đ": "D", "ı": "i", "ß": "s", "þ": "t"}.items():
        table[ord(ch)] = repl
    return table


_SAME_LENGTH_FOLD = _same_length_fold_table()


def fold_same_length(text: str) -> str:
    """Strip accents one character for one character, so match offsets map back to *text* (NFC)."""
    return text.translate(_SAME_LENGTH_FOLD)


# ---------------------------------------------------------------------------------------------
# Analyzers (pickled into the index schema: bump INDEX_VERSION in search.py when they change)

WORD_PATTERN = r"\w+(?:\.?\w+)*"
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


class FoldingAnalyzer(Tokenizer):
    """Fold, tokenize, optionally drop English stop words and Porter-stem, in one pass.

    Produces exactly the tokens of ``FoldingTokenizer() | StopFilter(minsize=1) | StemFilter()``
    (positions renumbered over the kept words, as :class:`~whoosh.analysis.StopFilter` does), but
    without a generator per filter: indexing spends most of its time here.
    """

    def __init__(self, *, stop: bool, stem: bool) -> None:
        self.stop = stop
        self.stem = stem

    def index_words(self, value: str) -> list[str]:
        """The indexed words of *value*, in order: the texts of the tokens ``self(value)`` yields."""
        found = _WORD_RE.findall(fold(value))
        if self.stop:
            found = [w for w in found if w not in STOP_WORDS]
        if self.stem:
            cache = _STEM_CACHE
            found = [cache.get(w) or _stem(w) for w in found]
        return found

    def __call__(self, value: str, positions: bool = False, chars: bool = False,  # type: ignore[no-untyped-def]
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: object):
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


# ---------------------------------------------------------------------------------------------
# Query text

SYNTAX_NOTICE = "Search syntax ignored: searched for the words instead"
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_WORD_CHARS = 40

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_RAW_TOKEN_RE = re.compile(r'"[^"]*"|[^\s"]+|"')
_SYNTAX_CHARS_RE = re.compile(r"[:()\[\]{}^~?*+!\\<>=|&]")


@dataclass(frozen=True)
class Clause:
    """One unit of a parsed query: a word or a quoted phrase.

    Attributes:
        words: folded words (one for a word, several for a phrase).
        display: the text as the user typed it (for "did you mean").
        negated: excluded with NOT or a leading minus.
        prefix: the last word may be completed (as-you-type or an explicit ``*``).
        explicit_prefix: the user typed ``word*``.
    """

    words: tuple[str, ...]
    display: str
    negated: bool = False
    prefix: bool = False
    explicit_prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        """True for a quoted phrase of two or more words."""
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    """A query as OR-separated groups of AND-ed clauses, plus whether syntax had to be ignored."""

    groups: list[list[Clause]] = field(default_factory=list)
    syntax_ignored: bool = False

    @property
    def clauses(self) -> list[Clause]:
        """All clauses of all groups."""
        return [c for g in self.groups for c in g]


def clean_query_text(text: str) -> str:
    """Normalise Unicode, remove control and invisible characters, cap the length."""
    if not isinstance(text, str):
        text = str(text)
    text = text[: MAX_QUERY_CHARS * 2]
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL_RE.sub(" ", text).translate(_QUOTES)
    return text[:MAX_QUERY_CHARS]


def parse_query_text(text: str) -> ParsedQuery:
    """Parse the small query language: words, "quoted phrases", OR, AND, NOT/-word, word*.

    Anything else that looks like syntax (``field:``, brackets, ``~``, ``^``, a lone operator, an
    unbalanced quote ...) is dropped and the words are searched for; ``syntax_ignored`` is then set.
    The last word is marked for prefix completion unless the text ends with whitespace.
    """
    cleaned = clean_query_text(text)
    parsed = ParsedQuery()
    as_you_type = bool(cleaned) and not cleaned[-1].isspace()
    raw_tokens = _RAW_TOKEN_RE.findall(cleaned)
    group: list[Clause] = []
    negate_next = False
    pending_or = False
    for i, raw in enumerate(raw_tokens):
        last = i == len(raw_tokens) - 1
        if raw == '"':
            parsed.syntax_ignored = True
            continue
        if raw in ("AND", "&&"):
            if not group or last:
                parsed.syntax_ignored = True
            continue
        if raw in ("OR", "||"):
            if not group or last or pending_or:
                parsed.syntax_ignored = True
                continue
            pending_or = True
            continue
        if raw == "NOT":
            if last or negate_next:
                parsed.syntax_ignored = True
            negate_next = True
            continue
        if pending_or:
            parsed.groups.append(group)
            group = []
            pending_or = False
        negated, negate_next = negate_next, False
        if raw.startswith('"'):
            inner = raw[1:-1]
            if _SYNTAX_CHARS_RE.search(inner):
                parsed.syntax_ignored = True
            ws = tuple(w[:MAX_WORD_CHARS] for w in words(inner))
            if ws:
                group.append(Clause(ws, inner.strip(), negated=negated))
            continue
        if raw.startswith("-") and len(raw) > 1 and not raw[1:].startswith("-"):
            negated, raw = True, raw[1:]
        explicit_prefix = False
        body = raw
        if body.endswith("*") and len(body.rstrip("*")) >= 2 and not _SYNTAX_CHARS_RE.search(body.rstrip("*")):
            explicit_prefix = True
            body = body.rstrip("*")
        if _SYNTAX_CHARS_RE.search(body):
            parsed.syntax_ignored = True
            body = _SYNTAX_CHARS_RE.sub(" ", body)
        ws = [w[:MAX_WORD_CHARS] for w in words(body)]
        for j, w in enumerate(ws):
            is_last_word = j == len(ws) - 1
            prefix = is_last_word and (explicit_prefix or (last and as_you_type and not negated))
            group.append(Clause((w,), w if len(ws) > 1 else body, negated=negated, prefix=prefix,
                                explicit_prefix=explicit_prefix and is_last_word))
    if negate_next or pending_or:
        parsed.syntax_ignored = True
    parsed.groups.append(group)
    parsed.groups = [g[:MAX_CLAUSES] for g in parsed.groups if any(not c.negated for c in g)]
    return parsed


# ---------------------------------------------------------------------------------------------
# Snippets


@dataclass(frozen=True)
class Snippet:
    """A snippet as escaped HTML (matches in ``<b class="match">``) and as plain text."""

    html: str
    text: str
    matched: bool


@lru_cache(maxsize=256)
def _form_regex(forms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        if not form:
            continue
        esc = re.escape(form)
        parts.append(esc + r"[\w'’]*" if len(form) >= 4 else esc + r"(?:['’]s)?(?!\w)")
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def match_spans(text: str, forms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans in *text* (NFC) of words beginning with one of the folded *forms*."""
    rx = _form_regex(tuple(forms))
    if rx is None:
        return []
    return [m.span() for m in rx.finditer(fold_same_length(text))]


def make_snippet(parts: Iterable[str], forms: Sequence[str], *, width: int = 200) -> Snippet:
    """Pick the first part with a match (or the first part) and cut a window of about *width* chars.

    Every piece of KB text is HTML-escaped; only the ``<b class="match">`` tags are markup.
    """
    first: str | None = None
    chosen: str | None = None
    spans: list[tuple[int, int]] = []
    for part in parts:
        part = unicodedata.normalize("NFC", part)
        if first is None:
            first = part
        spans = match_spans(part, forms) if forms else []
        if spans:
            chosen = part
            break
    if chosen is None:
        chosen, spans = (first or ""), []
    start, end = _window(chosen, spans, width)
    spans = [(max(a, start), min(b, end)) for a, b in spans if b > start and a < end]
    html_parts: list[str] = []
    pos = start
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(chosen) else ""
    for a, b in spans:
        html_parts.append(html.escape(chosen[pos:a]))
        html_parts.append('<b class="match">' + html.escape(chosen[a:b]) + "</b>")
        pos = b
    html_parts.append(html.escape(chosen[pos:end]))
    body_html = "".join(html_parts)
    text = chosen[start:end]
    return Snippet(html=prefix + body_html + suffix, text=prefix + text + suffix, matched=bool(spans))


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    if not spans:
        end = text.rfind(" ", 0, width)
        return 0, end if end > width // 2 else width
    centre = spans[0][0]
    start = max(0, centre - width // 4)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[0][1] else end
    return start, end
