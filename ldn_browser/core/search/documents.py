"""The Whoosh schema and one pure function from a KB entry to its search document.

What an entry contributes (its summary, body and citation fields) is declared once per kind in the
kind registry (:mod:`ldn_browser.core.kinds`); this module only lays it out in fields.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from ldn_browser.core.entities import Claim, Entry, KnowledgeBase, Source
from ldn_browser.core.kinds import spec_of
from ldn_browser.core.search.analysis import FoldingAnalyzer, alias_analyzer, exact_analyzer, stemming_analyzer
from ldn_browser.core.vocab import Direction, Grade, Kind, Rating, Severity, Verdict

INDEX_VERSION = 7
"""Bump whenever the schema, the analyzers, the codec or the document layout change."""


_PACKED = [pack_uint(n) for n in range(256)]
"""Whoosh's encoded frequency of 0-255 (most words occur a few times in an entry)."""


_ONCE: dict[int, bytes] = {}
"""Encoded single positions made so far (a field holds a few hundred words: this stays small)."""


_ONCE_BY_VALUE: dict[bytes, bytes] = {}


def _encoded_once(pos: int) -> bytes:
    """Whoosh's encoding of the positions of a word that occurs once, at *pos* (``Positions().encode([pos])``)."""
    encoded = _ONCE.get(pos)
    if encoded is None:
        encoded = _ONCE[pos] = Positions().encode([pos])
        _ONCE_BY_VALUE[encoded] = encoded
    return encoded


_SHARED_FREQUENCIES = {encoded: encoded for encoded in _PACKED}
_ONE = pack_uint(1)


def shared_values(values: list[bytes | None], *, positions: bool) -> Iterable[bytes | None]:
    """*values* (of a field with or without *positions*), each the object the fields' ``index`` gives for it
    whenever it gives the same one every time.

    Postings are pickled in blocks, and a pickle writes an object it has written before as a reference:
    values read back from another process are made those same objects again, so the blocks are the same.
    """
    if not positions:
        return map(_SHARED_FREQUENCIES.get, values, values)
    known = _ONCE_BY_VALUE.get
    return [
        found if value is not None and (found := known(value)) is not None else _shared_position(value)
        for value in values
    ]


def _shared_position(encoded: bytes | None) -> bytes | None:
    if encoded is not None and len(encoded) > 4 and encoded.startswith(_ONE):  # one position: (1, [position])
        once = _encoded_once(pickle.loads(encoded[4:])[0])  # noqa: S301 - our own values, from our own fork
        if once == encoded:
            return once
    return encoded


class CountedText(TEXT):
    """A position-less TEXT field that counts its words in one pass when indexing.

    Gives exactly the postings of :class:`~whoosh.fields.TEXT` with ``phrase=False`` and a
    :class:`~ldn_browser.core.search.analysis.FoldingAnalyzer`, without a Token and three generator
    steps per word: most of the 10,000-entry build goes into the long summary and body texts.
    """

    def index(self, value: Any, **kwargs: Any) -> Any:
        """(utf-8 word, frequency, weight, encoded frequency) for each distinct word of *value*."""
        analyzer = self.analyzer
        if (
            type(self.format) is Frequency
            and isinstance(analyzer, FoldingAnalyzer)
            and isinstance(value, str)
            and not kwargs
        ):
            boost = self.format.field_boost
            return [
                (term, freq, freq * boost, _PACKED[freq] if freq < 256 else pack_uint(freq))
                for term, freq in analyzer.term_counts(value).items()
            ]
        return super().index(value, **kwargs)


class PositionedText(TEXT):
    """A TEXT field with positions (phrase search) that collects each word's positions in one pass.

    Gives exactly the postings of :class:`~whoosh.fields.TEXT` with a
    :class:`~ldn_browser.core.search.analysis.FoldingAnalyzer`, without a Token per word.
    """

    def index(self, value: Any, **kwargs: Any) -> Any:
        """(utf-8 word, frequency, weight, encoded positions) for each distinct word of *value*."""
        analyzer = self.analyzer
        fmt = self.format
        if type(fmt) is Positions and isinstance(analyzer, FoldingAnalyzer) and isinstance(value, str) and not kwargs:
            first, found = analyzer.positioned_terms(value)
            places: dict[bytes, list[int]] = {}
            for pos, term in enumerate(found, first):
                at = places.get(term)
                if at is None:
                    places[term] = [pos]
                else:
                    at.append(pos)
            boost = fmt.field_boost
            return [
                (term, len(at), float(len(at)) * boost, _encoded_once(at[0]) if len(at) == 1 else fmt.encode(at))
                for term, at in places.items()
            ]
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    """The one Whoosh schema (bump :data:`INDEX_VERSION` when changing it)."""
    stem = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=PositionedText(analyzer=stem),
        aliases=PositionedText(analyzer=alias_analyzer()),
        cite=PositionedText(analyzer=exact_analyzer()),
        text=CountedText(analyzer=stem, phrase=False),
    )


@dataclass(frozen=True)
class EntryText:
    """The searchable text of one entry, and what the UI needs to show a hit."""

    entry_id: str
    kind: Kind
    title: str
    aliases: tuple[str, ...]
    summary: str
    body: tuple[str, ...]
    cite: tuple[tuple[str, str], ...]
    grade: Grade | None
    rating: Rating | None
    direction: Direction | None
    citation: str = ""
    verdict: Verdict | None = None
    """A claim's verdict (what the evidence says of it); None for other kinds."""
    name_notes: tuple[tuple[str, str], ...] = ()
    """(alias, how a match on it is explained), e.g. ("Percocet", "Percocet → oxycodone")."""
    severity: Severity | None = None
    """An interaction's or contraindication's severity: of two entries a drug's name names, the stricter leads."""

    @property
    def snippet_parts(self) -> tuple[str, ...]:
        """Texts a snippet may be cut from, in order of preference."""
        parts = (self.summary, *self.body, self.citation) if self.citation else (self.summary, *self.body)
        return tuple(p for p in parts if p)

    def document(self) -> dict[str, str]:
        """The Whoosh document."""
        return {
            "id": self.entry_id,
            "title": self.title,
            "aliases": "\n".join(self.aliases),
            "cite": "\n".join(_surname(value) if label == "author" else value for label, value in self.cite),
            "text": "\n".join((self.summary, *self.body)),
        }


def entry_text(entry: Entry, kb: KnowledgeBase | None = None) -> EntryText:
    """The search document of *entry*, from its kind's declared search fields.

    With *kb*, the entry that ``kb.naltrexone`` links also carries the naltrexone products ("Contrave →
    naltrexone"), so searching a product's name finds what the medication check links.
    """
    fields = spec_of(entry).search_fields(entry)
    names = fields.names
    if kb is not None and kb.naltrexone is not None and kb.naltrexone.entry_id == entry.id:
        drug = kb.naltrexone.drug.name
        names = (*names, *((p.name, f"{p.name} → {drug}") for p in kb.naltrexone.products))
    citation = ""
    if isinstance(entry, Source):
        bits = [
            ", ".join(entry.authors),
            str(entry.year) if entry.year else "",
            " ".join(x for x in (entry.journal, entry.citation_detail) if x),
        ]
        ids = [f"{lbl} {value}" for lbl, value in fields.cite if lbl not in ("author", "year", "journal")]
        citation = ". ".join(b for b in bits + ids if b)
    certainty = entry.certainty_info
    return EntryText(
        entry_id=entry.id,
        kind=entry.kind,
        title=entry.title,
        aliases=(*entry.aliases, *(name for name, _ in names)),
        summary=fields.summary,
        body=tuple(x for x in fields.body if x),
        cite=fields.cite,
        grade=certainty.grade if certainty is not None else None,
        rating=certainty.rating if certainty is not None else None,
        direction=entry.direction,
        citation=citation,
        verdict=entry.verdict if isinstance(entry, Claim) else None,
        name_notes=names,
        severity=getattr(entry, "severity", None),
    )


_INITIALS_RE = re.compile(r"\s+[A-Z]{1,4}$")


def _surname(author: str) -> str:
    """An author as searched: the surname, without the initials ("Friedman HS" → "Friedman"), so that an
    acronym typed alone ("HS", "ED") is not taken for somebody's initials."""
    return _INITIALS_RE.sub("", author.strip())
