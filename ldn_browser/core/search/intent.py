"""What a query names beyond its words: a source by its first author and year ("Smith 2007").

(What a question asks for, "how does LDN work?", is read with the words: ``query_text.QUESTION_KINDS``.)
"""

from __future__ import annotations

import re

from ldn_browser.core.search.analysis import fold
from ldn_browser.core.search.documents import EntryText
from ldn_browser.core.search.query_text import ParsedQuery

_YEAR = re.compile(r"^(19|20)\d\d$")


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
