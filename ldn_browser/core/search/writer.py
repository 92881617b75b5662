"""Writing a new index: Whoosh's segment writer, with postings kept per term and written a block at a time.

Whoosh's writer puts every posting into a pool as a 5-tuple, sorts all of them, then feeds them one by
one to the codec, which checks and buffers each and asks the segment for its field length every time.
At 10,000 entries that is 850,000 postings for 50,000 terms, and the build took 9.5 s. Here the pool
keeps each term's postings together (only the terms are sorted), field lengths are read once per
document, and each block of a term's postings is handed to Whoosh's own block encoder at once.

The files written are byte for byte those of Whoosh's own writer with the same codec (checked by
``tests/core/test_search_writer.py``); anything this module does not handle (a merge, spelling words)
goes through Whoosh's path unchanged.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search.documents import EntryText, entry_text

_Posting = tuple[str, bytes, int, float, bytes | None]
"""(field name, term bytes, document number, weight, encoded value): Whoosh's pool item."""


class _LengthTable:
    """A new segment's field lengths, read once per document and field instead of once per posting."""

    def __init__(self, reader: Any, fieldnames: Iterable[str]) -> None:
        self._reader = reader
        count = reader.doc_count_all()
        self._lengths = {name: [reader.doc_field_length(d, name) for d in range(count)] for name in fieldnames}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """The length of *fieldname* in document *docnum* (as the wrapped reader answers it)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None or not 0 <= docnum < len(lengths):
            found: int | None = self._reader.doc_field_length(docnum, fieldname, default)
            return found
        value: int | None = lengths[docnum]
        return value

    def lengths(self, fieldname: str) -> Sequence[int | None] | None:
        """Every document's length of *fieldname*, or None for a field without lengths."""
        return self._lengths.get(fieldname)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class _TermPool:
    """Whoosh's posting pool interface, keeping each (field, term)'s postings in one list.

    Whoosh sorts all postings by (field, term, document, …); within a term they arrive here in
    document order already, so sorting the terms and then each term's short list gives the same order.
    """

    def __init__(self) -> None:
        self._terms: dict[tuple[str, bytes], list[_Posting]] = {}
        self.fieldnames: set[str] = set()

    def add(self, item: _Posting) -> None:
        """Add one posting (Whoosh's ``PostingPool.add``)."""
        key = (item[0], item[1])
        found = self._terms.get(key)
        if found is None:
            self._terms[key] = [item]
            self.fieldnames.add(item[0])
        else:
            found.append(item)

    def terms(self) -> Iterator[tuple[str, bytes, list[_Posting]]]:
        """(field, term, postings in Whoosh's order) for every term, in Whoosh's order."""
        for key in sorted(self._terms):
            postings = self._terms[key]
            postings.sort()
            yield key[0], key[1], postings

    def iter_postings(self) -> Iterator[_Posting]:
        """Every posting in Whoosh's order (Whoosh's own interface, for its other callers)."""
        for _field, _term, postings in self.terms():
            yield from postings

    def cleanup(self) -> None:
        """Drop the postings (Whoosh's pool removes its temporary runs here)."""
        self._terms.clear()


def _add_postings(fieldwriter: W3FieldWriter, postings: list[_Posting], lengths: Sequence[int | None] | None) -> None:
    """Buffer one term's *postings* into *fieldwriter*'s postings writer, a block at a time.

    Leaves the writer exactly as ``add(docnum, weight, value, length)`` per posting would: every full
    block written but the last one still buffered (``finish_term`` writes or inlines it).
    """
    writer = fieldwriter._postwriter
    limit = writer._blocklimit
    for start in range(0, len(postings), limit):
        chunk = postings[start : start + limit]
        if start:
            writer._write_block()
        docnums = [p[2] for p in chunk]
        weights = [p[3] for p in chunk]
        writer._ids = array("I", docnums)
        writer._weights = array("f", weights)
        writer._values = [p[4] for p in chunk if p[4]]
        heaviest = max(weights)
        writer._maxweight = heaviest if heaviest > 0 else 0
        if lengths is not None:
            known = [n for n in (lengths[d] for d in docnums) if n]
            writer._minlength = min(known) if known else None
            writer._maxlength = max(known) if known else 0


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the term pool above and postings written a block at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = _TermPool()

    def per_document_reader(self) -> Any:
        """The new segment's per-document reader, with field lengths read once per document."""
        reader = super().per_document_reader()
        return _LengthTable(reader, [name for name, field in self.schema.items() if field.scorable])

    def _flush_segment(self) -> None:
        fieldwriter = self.fieldwriter
        if not isinstance(fieldwriter, W3FieldWriter) or not isinstance(self.pool, _TermPool):
            super()._flush_segment()
            return
        self.perdocwriter.close()
        table = self.per_document_reader()
        try:
            current: str | None = None
            lengths: Sequence[int | None] | None = None
            for field, term, postings in self.pool.terms():
                if field != current:
                    if current is not None:
                        fieldwriter.finish_field()
                    fieldwriter.start_field(field, self.schema[field])
                    current, lengths = field, table.lengths(field)
                    if lengths is None:  # e.g. the id field: Whoosh records length 0 for each posting
                        lengths = [table.doc_field_length(d, field) for d in range(table.doc_count_all())]
                if postings[0][2] == -1:  # Whoosh's marker for spelling words, which it skips here too
                    postings = [p for p in postings if p[2] != -1]
                    if not postings:
                        continue
                fieldwriter.start_term(term)
                _add_postings(fieldwriter, postings, lengths)
                fieldwriter.finish_term()
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.close()
        finally:
            table.close()


def write_index(ix: Any, kb: KnowledgeBase, progress: Callable[[int, int], None] | None) -> dict[str, EntryText]:
    """Index every entry of *kb* into *ix*; returns the entries' search texts (the index reuses them)."""
    entries = kb.entries()
    total = len(entries)
    # Uncompressed posting blocks: zlib took a fifth of a cold build, and the index is small.
    writer = _SegmentWriter(ix, codec=W3Codec(compression=0), limitmb=256)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small tuples: the cyclic GC would add 30-50 % to the build
    try:
        step = max(1, total // 50)
        texts: dict[str, EntryText] = {}
        for i, entry in enumerate(entries, 1):
            text = texts[entry.id] = entry_text(entry, kb)
            writer.add_document(**text.document())
            if progress is not None and (i % step == 0 or i == total):
                progress(i, total)
        writer.commit(optimize=True)
    except BaseException:
        writer.cancel()
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    if progress is not None and total == 0:
        progress(0, 0)
    return texts
