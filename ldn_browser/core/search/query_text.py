"""What the user typed, as clauses: quotes, OR, NOT/-word, prefixes; syntax never raises.

Anything that looks like query syntax the app does not support is searched for as words, with a notice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ldn_browser.core.search.analysis import words

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
    text = str(text)[: MAX_QUERY_CHARS * 2]  # str(): callers outside the type checker pass other objects
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
        ws = tuple(w[:MAX_WORD_CHARS] for w in words(body))
        for j, w in enumerate(ws):
            is_last_word = j == len(ws) - 1
            prefix = is_last_word and (explicit_prefix or (last and as_you_type and not negated))
            group.append(
                Clause(
                    (w,),
                    w if len(ws) > 1 else body,
                    negated=negated,
                    prefix=prefix,
                    explicit_prefix=explicit_prefix and is_last_word,
                )
            )
    if negate_next or pending_or:
        parsed.syntax_ignored = True
    parsed.groups.append(group)
    parsed.groups = [g[:MAX_CLAUSES] for g in parsed.groups if any(not c.negated for c in g)]
    return parsed
