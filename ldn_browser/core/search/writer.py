"""Writing a new index: Whoosh's segment writer, with postings kept per term and written a block at a time.

Whoosh's writer puts every posting into a pool as a 5-tuple, sorts all of them, then feeds them one by
one to the codec, which checks and buffers each and asks the segment for its field length every time.
At 10,000 entries that is 850,000 postings for 50,000 terms, and the build took 9.5 s. Here the pool
keeps each term's postings together (only the terms are sorted), field lengths are read once per
document, and each block of a term's postings is handed to Whoosh's own block encoder at once.

The files written are byte for byte those of Whoosh's own writer with the same codec (checked by
``tests/core/test_search_writer.py``). What this module does not handle goes through Whoosh's own
path: documents with boosts, fields with spelling words, vectors or columns, codecs that inline
short posting lists.
"""

from __future__ import annotations

import gc
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search.documents import EntryText, entry_text

_Posting = tuple[int, float, bytes | None]
"""(document number, weight, encoded value): one posting of a term."""


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
    """Whoosh's posting pool interface, keeping each field's terms and each term's postings together.

    Whoosh sorts all postings as (field, term, document, weight, value) tuples. Here they are grouped
    by field and term; a term's postings arrive in document order (documents are added in order), so
    sorting the fields, then the terms, gives the same order (a list is sorted only if it arrived
    out of order, as when a segment is merged in).
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, list[_Posting]]] = {}
        self.in_order = True

    @property
    def fieldnames(self) -> set[str]:
        """The fields with postings (Whoosh's ``PostingPool.fieldnames``)."""
        return set(self.fields)

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one (field, term, document, weight, value) posting (Whoosh's ``PostingPool.add``)."""
        terms = self.fields.setdefault(item[0], {})
        found = terms.get(item[1])
        posting = (item[2], item[3], item[4])
        if found is None:
            terms[item[1]] = [posting]
        else:
            if found[-1] > posting:
                self.in_order = False
            found.append(posting)

    def terms(self) -> Iterator[tuple[str, bytes, list[_Posting]]]:
        """(field, term, postings in Whoosh's order) for every term, in Whoosh's order."""
        for field in sorted(self.fields):
            terms = self.fields[field]
            for term in sorted(terms):
                postings = terms[term]
                if not self.in_order:
                    postings.sort()
                yield field, term, postings

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Every posting in Whoosh's order, as Whoosh's tuples (its own interface, for its other callers)."""
        for field, term, postings in self.terms():
            for docnum, weight, value in postings:
                yield field, term, docnum, weight, value

    def cleanup(self) -> None:
        """Drop the postings (Whoosh's pool removes its temporary runs here)."""
        self.fields.clear()


def _write_term(
    fieldwriter: W3FieldWriter, term: bytes, postings: list[_Posting], lengths: Sequence[int | None]
) -> None:
    """Write one term's *postings* as ``start_term``, ``add`` per posting and ``finish_term`` would.

    The same blocks of Whoosh's ``W3PostingsWriter`` (``blocklimit`` postings each, the last one's
    length negative, every block counted into the term's ``W3TermInfo``), computed a block at a time.
    """
    codec = fieldwriter._codec
    limit, compression = codec._blocklimit, codec._compression
    fixedsize = fieldwriter._format.fixed_value_size()
    postfile = fieldwriter._postfile
    info = W3TermInfo()
    start = postfile.tell()
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(postings)
    for first in range(0, count, limit):
        docnums, given, encoded = zip(*(postings if count <= limit else postings[first : first + limit]), strict=True)
        weights = array("f", given)
        heaviest = max(given)
        heaviest = heaviest if heaviest > 0 else 0
        known = [n for n in map(lengths.__getitem__, docnums) if n]
        shortest = min(known) if known else None
        longest = max(known) if known else 0
        # W3TermInfo.add_block
        info._weight += sum(weights)
        info._df += len(docnums)
        info._minlength = shortest if info._minlength is None else min(info._minlength, shortest)
        info._maxlength = max(info._maxlength, longest)
        info._maxweight = max(info._maxweight, heaviest)
        if info._minid is None:
            info._minid = docnums[0]
        info._maxid = docnums[-1]
        # W3PostingsWriter._write_block: (delta ids, weights, values), pickled, then the block's info
        deltas = tuple(map(sub, docnums, (0, *docnums[:-1])))
        same = weights.count(weights[0]) == len(weights)
        mini_weights = (None if weights[0] == 1.0 else weights[0]) if same else tuple(weights)
        if fixedsize is None or fixedsize < 0:
            mini_values: Any = tuple(v for v in encoded if v)
        else:
            mini_values = None if fixedsize == 0 else b"".join(v for v in encoded if v)
        data = dumps((deltas, mini_weights, mini_values), 2)
        if compression:
            data = zlib.compress(data, compression)
        head = dumps(
            (len(docnums), docnums[-1], heaviest, compression, length_to_byte(shortest), length_to_byte(longest)), 2
        )
        size = len(head) + len(data)
        parts += (pack_int(-size if first + limit >= count else size), head, data)
    block = b"".join(parts)
    postfile.write(block)
    info.set_extent(start, len(block))
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + term, info.to_bytes())


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the term pool above and postings written a block at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = _TermPool()
        self._plain = all(
            not field.separate_spelling() and not field.vector and not field.column_type
            for _name, field in self.schema.items()
        )
        """True when no field has spelling words, vectors or columns (the lean ``add_document`` and flush apply)."""

    def add_document(self, **fields: Any) -> None:
        """Add one document, as Whoosh's ``SegmentWriter.add_document`` does for plain fields.

        Each field's words go straight into the pool's term lists (Whoosh builds a 5-tuple per posting
        for its pool). Documents with boosts (``_boost`` keywords) or fields with spelling words,
        vectors or columns go through Whoosh's own method.
        """
        if not self._plain or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema = self.schema
        names = sorted(fields)
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        docnum = self.docnum
        pool = self.pool.fields
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    terms = pool.get(name)
                    if terms is None:
                        terms = pool[name] = {}
                    for term, freq, weight, encoded in field.index(value):
                        length += freq
                        found = terms.get(term)
                        if found is None:
                            terms[term] = [(docnum, weight * 1.0, encoded)]  # * the field boost, as Whoosh
                        else:
                            found.append((docnum, weight * 1.0, encoded))
                    if not field.scorable:
                        length = 0
                perdoc.add_field(name, field, value if field.stored else None, length)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def per_document_reader(self) -> Any:
        """The new segment's per-document reader, with field lengths read once per document."""
        reader = super().per_document_reader()
        return _LengthTable(reader, [name for name, field in self.schema.items() if field.scorable])

    def _flush_segment(self) -> None:
        fieldwriter = self.fieldwriter
        if not (isinstance(fieldwriter, W3FieldWriter) and self._plain and fieldwriter._codec._inlinelimit == 1):
            super()._flush_segment()  # spelling words, or a codec that inlines short posting lists: Whoosh's way
            return
        self.perdocwriter.close()
        table = self.per_document_reader()
        count = table.doc_count_all()
        try:
            current: str | None = None
            lengths: Sequence[int | None] = ()
            for field, term, postings in self.pool.terms():
                if field != current:
                    if current is not None:
                        fieldwriter.finish_field()
                    fieldwriter.start_field(field, self.schema[field])
                    current = field
                    found = table.lengths(field)
                    # a field without lengths (the id): Whoosh asks the reader per posting (0)
                    lengths = found if found is not None else [table.doc_field_length(d, field) for d in range(count)]
                _write_term(fieldwriter, term, postings, lengths)
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
