"""Snippets: a window of KB text around the first match, escaped, matches marked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ldn_browser.core.presentation import clean_text, escape_text
from ldn_browser.core.search.analysis import fold_same_length

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


def _spans(folded: str, forms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans in *folded* (a text through ``fold_same_length``) of words beginning with one of *forms*."""
    rx = _form_regex(tuple(forms))
    return [m.span() for m in rx.finditer(folded)] if rx is not None else []


@lru_cache(maxsize=1024)
def _prepared(part: str) -> tuple[str, str]:
    """A piece of KB text as shown (cleaned, NFC) and folded for matching: the same for every query that shows it
    (~10 % of a search's time when made again for each hit)."""
    shown = unicodedata.normalize("NFC", clean_text(part))
    return shown, fold_same_length(shown)


def make_snippet(parts: Iterable[str], forms: Sequence[str], *, width: int = 200) -> Snippet:
    """Pick the first part with a match (or the first part) and cut a window of about *width* chars.

    Every piece of KB text is HTML-escaped; only the ``<b class="match">`` tags are markup.
    """
    first: str | None = None
    chosen: str | None = None
    spans: list[tuple[int, int]] = []
    for raw in parts:
        part, folded = _prepared(raw)
        if first is None:
            first = part
        spans = _spans(folded, forms) if forms else []
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
        html_parts.append(escape_text(chosen[pos:a]))
        html_parts.append('<b class="match">' + escape_text(chosen[a:b]) + "</b>")
        pos = b
    html_parts.append(escape_text(chosen[pos:end]))
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
