"""What a query names or asks for, beyond its words: an entry's name inside a question, an author and
year, a kind of entry ("how does LDN work?" asks for the mechanisms).

:func:`intent_factors` gives, per hit, a ranking factor and whether the hit is one the query names
exactly (those rank above all others). It runs on the hits the engine found, after scoring.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ldn_browser.core.search.analysis import fold
from ldn_browser.core.search.documents import EntryText
from ldn_browser.core.search.query_text import ParsedQuery
from ldn_browser.core.search.ranking import ASKED_KIND_FACTOR, CONTAINED_NAME_FACTOR
from ldn_browser.core.vocab import Kind

_YEAR = re.compile(r"^(19|20)\d\d$")


def contains(key: Sequence[str], name: Sequence[str]) -> bool:
    """True when *name* (two words or more) appears, in order and unbroken, inside the longer *key*."""
    n = len(name)
    return 2 <= n < len(key) and any(tuple(key[i : i + n]) == tuple(name) for i in range(len(key) - n + 1))


def author_year(parsed: ParsedQuery) -> tuple[str, str] | None:
    """("smith", "2007") for a query that is an author's name and a year, in either order."""
    clauses = [c for c in parsed.clauses if not c.negated and not c.is_phrase]
    if len(parsed.groups) != 1 or len(clauses) != 2:
        return None
    first, second = clauses[0].words[0], clauses[1].words[0]
    if _YEAR.match(second) and not first.isdigit():
        return first, second
    if _YEAR.match(first) and not second.isdigit():
        return second, first
    return None


def wrote(text: EntryText, author: str, year: str) -> bool:
    """The source *text* has an author whose surname is *author* and was published in *year*."""
    if not re.search(rf"\b{year}\b", text.citation):  # "Smith JP, Stock H, …, 2007, Am J Gastroenterol"
        return False
    surnames = {fold(value).split()[0] for label, value in text.cite if label == "author" and value.strip()}
    return author in surnames


def intent_factors(
    texts: Sequence[EntryText], key: Sequence[str], names: Callable[[str], Sequence[Sequence[str]]], parsed: ParsedQuery
) -> list[tuple[float, bool]]:
    """For each hit: (factor, named exactly).

    * a hit whose title or alias of two words or more stands inside a longer query ("why does LDN cause
      vivid dreams") gets :data:`CONTAINED_NAME_FACTOR`: the side effect named outranks claims mentioning it;
    * a source by the author in the year a query names ("Smith 2007") is named exactly;
    * a hit of the kind a question asks for ("how does LDN work") gets :data:`ASKED_KIND_FACTOR`.
    """
    who = author_year(parsed)
    out = []
    for text in texts:
        factor, exact = 1.0, False
        if any(contains(key, name) for name in names(text.entry_id)):
            factor = CONTAINED_NAME_FACTOR
        if who is not None and text.kind is Kind.SOURCE and wrote(text, *who):
            exact = True
        if parsed.asks_for is not None and text.kind is parsed.asks_for:
            factor *= ASKED_KIND_FACTOR
        out.append((factor, exact))
    return out
