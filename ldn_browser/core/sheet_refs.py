"""Numbered references on sheets: cited in order of first citation, listed in full or compactly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ldn_browser.core.entities import KnowledgeBase, Source, StudyDesign
from ldn_browser.core.presentation import escape_text
from ldn_browser.core.text_policy import with_stop


def text(value: str) -> str:
    """KB text for paper (the sheets' one cleaner and escaper)."""
    return escape_text(value, line_breaks=True)


class _References:
    """Numbers sources in order of first citation, per sheet."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._numbers: dict[str, int] = {}

    def number(self, source_id: str) -> int:
        return self._numbers.setdefault(source_id, len(self._numbers) + 1)

    def cite(self, source_ids: Iterable[str]) -> str:
        """Citation marker like "[1, 3–5]" in small type (empty for no sources)."""
        numbers = sorted({self.number(s) for s in source_ids})
        if not numbers:
            return ""
        return f' <span class="cite">[{_ranges(numbers)}]</span>'

    def html(self, *, compact: bool = False) -> str:
        """The numbered reference list: two columns reading across (1 2, 3 4…: a page break keeps the order; read
        down, page 2 had held 1–4 and 9–12 and page 3 5–8), or one run-on paragraph when *compact*."""
        if not self._numbers:
            return ""
        numbered = sorted(self._numbers.items(), key=lambda item: item[1])
        if compact:
            listed = "; ".join(f"<b>{n}.</b>&nbsp;{_short_reference(self._kb.source(sid))}" for sid, n in numbered)
            listed += "."
            return f'<h2>References</h2><p class="refs" style="font-size: 6.4pt;">{listed}</p>'
        items = [
            f'<td width="3%" style="padding: 1px;">{n}.</td>'
            f'<td width="45%" style="padding: 1px;">{_reference(self._kb.source(sid))}</td>'
            for sid, n in numbered
        ]
        left, right = items[0::2], items[1::2]
        blank = '<td width="3%"></td><td width="45%"></td>'
        gap = '<td width="4%"></td>'  # between the columns: a long reference must not run into the next number
        rows = [f"<tr>{a}{gap}{right[i] if i < len(right) else blank}</tr>" for i, a in enumerate(left)]
        return (
            "<h2>References</h2>"
            '<table class="refs" width="100%" cellspacing="0" cellpadding="1">' + "".join(rows) + "</table>"
        )


SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "II", "III"})
MAX_INITIALS = 3
"""Vancouver initials ("JF") are at most this many capitals."""


def _surname(author: str) -> str:
    """The family name of a Vancouver-style author ("de Carvalho JF" → "de Carvalho", "Guttuso T Jr" → "Guttuso")."""
    words = author.split()
    while len(words) > 1 and (words[-1] in SUFFIXES or (words[-1].isupper() and len(words[-1]) <= MAX_INITIALS)):
        words.pop()
    return " ".join(words)


def _first_author_year(src: Source) -> str:
    """ "Smith et al. 2011", "Raknes & Småbrekke 2020", "de Carvalho et al. 2023"."""
    if not src.authors:
        who = "Anonymous"
    elif len(src.authors) == 2:
        who = f"{_surname(src.authors[0])} & {_surname(src.authors[1])}"
    else:
        who = _surname(src.authors[0]) + (" et al." if len(src.authors) > 2 else "")
    return f"{who} {src.year}" if src.year else f"{who} n.d."


def _short_reference(src: Source) -> str:
    """First author, year, journal and PMID (or the title for labels and reports): for "LDN at a glance", which
    keeps to two pages (no stop after the year: the journal is in italics)."""
    if src.authors:
        who = _first_author_year(src)
        where = f" <i>{text(src.journal)}</i>" if src.journal else ""
    else:
        who, where = src.title.rstrip("."), ""
    found = [i for i in _identifiers(src) if not i.startswith("doi:")][:1]  # one short identifier to look it up by
    pmid = f", {found[0]}" if found else ""
    return f"{text(who)}{where}{pmid}"  # "Smith et al. 2011 Dig Dis Sci, PMID …" (the journal in italics)


def _identifiers(src: Source) -> list[str]:
    """PMID, PMCID, DOI, then trial registrations, as printed (escaped)."""
    ids = [f"{label} {text(value)}" for label, value in (("PMID", src.pmid), ("PMCID", src.pmcid)) if value]
    if src.doi:
        ids.append(f"doi:{text(src.doi)}")
    ids.extend(f"<span style='white-space:nowrap'>{text(r)}</span>" for r in src.registry_ids)
    return ids


def _reference(src: Source) -> str:
    """Compact Vancouver-style reference: authors, journal year;detail, PMID, DOI.

    The title is given only where the authors or the journal are not known (labels, guidelines,
    records whose authors were not confirmed): "Drugs 2017" alone finds nothing.
    """
    pieces = []
    if src.authors:
        authors = ", ".join(src.authors[:3])
        pieces.append(text(f"{authors}, et al." if len(src.authors) > 3 else with_stop(authors)))
    if not src.journal or not src.authors:
        pieces.append(text(with_stop(src.title)))
    where = " ".join(x for x in (src.journal, str(src.year) if src.year else None) if x)
    if src.citation_detail:
        where = f"{where};{src.citation_detail}" if where else src.citation_detail
    if where:
        pieces.append(f"<i>{text(where.rstrip('.'))}</i>." if src.journal else text(with_stop(where)))
    ids = _identifiers(src)
    if ids:
        pieces.append(" · ".join(ids) + ".")
    if src.design in (StudyDesign.LAY_ARTICLE, StudyDesign.TRIAL_PROTOCOL):
        label = src.design.label.replace(" (", ", ").replace(")", "")  # "(Trial protocol, no results)": no nesting
        pieces.append(f'<span class="muted">({text(label)})</span>')
    return " ".join(pieces)


def _ranges(numbers: Sequence[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}" if prev > start + 1 else f"{start}, {prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)
