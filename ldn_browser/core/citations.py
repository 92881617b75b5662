"""Citations of sources: one Vancouver reference (Copy citation) and RIS records (Export references…).

Both are built only from the fields a source has; a missing field is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldn_browser.core.entities import Entry, KnowledgeBase, Source
from ldn_browser.core.text_policy import with_stop
from ldn_browser.core.vocab import Kind

VANCOUVER_MAX_AUTHORS = 6
"""Vancouver lists up to six authors, then "et al."."""


def vancouver(source: Source) -> str:
    """The source as one Vancouver reference: authors. Title. Journal. Year;volume(issue):pages. doi. PMID."""
    parts: list[str] = []
    if source.authors:
        names = list(source.authors[:VANCOUVER_MAX_AUTHORS])
        parts.append(", ".join(names) + (", et al." if len(source.authors) > VANCOUVER_MAX_AUTHORS else "."))
    parts.append(with_stop(source.title))
    where = ""
    if source.journal:
        where = with_stop(source.journal)
    if source.year:
        where += f" {source.year}"
        where += f";{source.citation_detail}." if source.citation_detail else "."
    elif source.citation_detail:
        where += f" {source.citation_detail}."
    if where:
        parts.append(where.strip())
    if source.doi:
        parts.append(f"doi:{source.doi}")
    if source.pmid:
        parts.append(f"PMID: {source.pmid}")
    return " ".join(parts)


def page_sources(kb: KnowledgeBase, entry: Entry) -> list[Source]:
    """The distinct sources a page cites, in page order (a source page: the source itself)."""
    if isinstance(entry, Source):
        return [entry]
    return list(kb.sources_of(ref for _path, ref, kind in entry.references() if kind is Kind.SOURCE))


def ris(sources: Iterable[Source]) -> str:
    """RIS records (one ``TY  - JOUR`` … ``ER  -`` block per source), CRLF line ends as the format asks."""
    lines: list[str] = []
    for s in sources:
        lines.append("TY  - " + ("JOUR" if s.journal else "GEN"))
        lines += [f"AU  - {a}" for a in s.authors]
        lines.append(f"TI  - {s.title}")
        if s.journal:
            lines.append(f"JO  - {s.journal}")
        if s.year:
            lines.append(f"PY  - {s.year}")
        if s.citation_detail:
            lines.append(f"N1  - {s.citation_detail}")
        if s.doi:
            lines.append(f"DO  - {s.doi}")
        if s.pmid:
            lines.append(f"AN  - PMID:{s.pmid}")
        if url := s.pubmed_url or s.doi_url:
            lines.append(f"UR  - {url}")
        lines.append(f"ID  - {s.id}")
        lines.append("ER  - ")
    return "".join(line + "\r\n" for line in lines)


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """RIS text read back into records (tag → values); used by the tests and by nothing that guesses."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.splitlines():
        if len(line) < 5 or line[2:5] != "  -":
            continue
        tag, value = line[:2], line[6:]
        if tag == "TY":
            current = {}
        if current is None:
            raise ValueError(f"RIS line before TY: {line!r}")
        if tag == "ER":
            records.append(current)
            current = None
            continue
        current.setdefault(tag, []).append(value)
    return records
