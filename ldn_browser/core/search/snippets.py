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


def _apostrophe_s(word: str) -> str:
    esc = re.escape(word)
    return esc[:-1] + "['’]?s" if len(word) > 2 and word.endswith("s") else esc


def _form_pattern(form: str) -> str:
    esc = re.escape(form)
    return esc + r"[\w'’]*" if len(form) >= 4 else esc + r"(?:['’]s)?(?!\w)"


@lru_cache(maxsize=256)
def _form_regex(forms: tuple[str, ...], runs: tuple[tuple[str, ...], ...] = ()) -> re.Pattern[str] | None:
    """Words beginning with one of *forms*, and runs of two or more words of one of *runs* (a name written out:
    "systemic lupus erythematosus", never "systemic" alone in "systemic sclerosis")."""
    parts = []
    for run in runs:
        # a name's words are folded without apostrophes ("crohns"): the text may keep them ("Crohn's disease")
        alts = [
            _form_pattern(w).replace(re.escape(w), _apostrophe_s(w), 1) for w in sorted(set(run), key=len, reverse=True)
        ]
        word = "(?:" + "|".join(alts) + ")"
        parts.append(rf"{word}(?:[\s/-]+{word})+")
    parts += [_form_pattern(form) for form in sorted(set(forms), key=len, reverse=True) if form]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _prepared(part: str) -> tuple[str, str]:
    """A piece of KB text as shown (cleaned, NFC) and folded for matching: the same for every query that shows it
    (~10 % of a search's time when made again for each hit)."""
    shown = unicodedata.normalize("NFC", clean_text(part))
    return shown, fold_same_length(shown)


def make_snippet(
    parts: Iterable[str],
    forms: Sequence[str],
    *,
    width: int = 200,
    runs: tuple[tuple[str, ...], ...] = (),
    typed: Sequence[str] = (),
    typed_in: int | None = None,
) -> Snippet:
    """Pick a part with a match and cut a window of about *width* chars around its first match.

    The part chosen is the first with a word the user typed (*typed*, among *forms*: "tramadol" shows where
    tramadol is named, not where the entry's title words are), else the first with any match, else the first; the
    window starts at that word. Only the first *typed_in* parts (all if None) are chosen for a typed word ahead of
    other matches: a source's citation, its last part, shows for "colitis" only when nothing else matches (the
    journal "J Crohns Colitis"). Every piece of KB text is HTML-escaped; only the ``<b class="match">`` tags are
    markup.
    """
    parts = tuple(parts)
    rx = _form_regex(tuple(forms), runs) if forms or runs else None
    wanted = _form_regex(tuple(t for t in typed if t))
    limit = len(parts) + typed_in if typed_in is not None and typed_in < 0 else typed_in
    first: tuple[str, str, list[tuple[int, int]]] | None = None
    picked = None
    for n, raw in enumerate(parts if rx is not None else ()):
        if first is not None and limit is not None and n >= limit:
            break  # only the first match is wanted now: found already
        part, folded = _prepared(raw)  # lazily: most hits match in their first part
        found = [m.span() for m in rx.finditer(folded)] if rx is not None else []
        if not found:
            continue
        first = first or (part, folded, found)
        if wanted is None:
            break
        if (limit is None or n < limit) and any(wanted.search(folded, a, b) for a, b in found):
            picked = (part, folded, found)
            break
    chosen, folded, spans = picked or first or ((_prepared(parts[0]) if parts else ("", "")) + ([],))
    centre = next((sp for sp in spans if wanted is not None and wanted.search(folded, *sp)), None)
    centre = centre or (spans[0] if spans else None)
    start, end = _window(chosen, centre, width)
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


def _window(text: str, centre: tuple[int, int] | None, width: int) -> tuple[int, int]:
    """About *width* characters of *text* cut at spaces, starting a little before the match at *centre*."""
    if len(text) <= width:
        return 0, len(text)
    if centre is None:
        end = text.rfind(" ", 0, width)
        return 0, end if end > width // 2 else width
    at, until = centre
    start = 0 if until <= width * 3 // 4 else max(0, at - width // 4)  # a match near the start: from the start
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > until else end
    return start, end
