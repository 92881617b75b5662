"""Writing a new index: Whoosh's segment writer, with postings kept per term and written a block at a time.

Whoosh's writer puts every posting into a pool as a 5-tuple, sorts all of them, then feeds them one by
one to the codec, which checks and buffers each and asks the segment for its field length every time.
At 10,000 entries that is 850,000 postings for 50,000 terms, and the build took 9.5 s. Here the pool
keeps each term's postings together in one flat list (only the terms are sorted), field lengths are read
once per document, and each block of a term's postings is handed to Whoosh's own block encoder at once.

A large KB is written by two processes (:mod:`ldn_browser.core.search.forked`): a forked copy of this one
reads the second half of the entries while this one reads the first, then encodes the postings of the
last terms while this one encodes the first. Both halves are pure Python, so threads would share one
interpreter lock; the machine has a second core.

The files written are byte for byte those of Whoosh's own writer with the same codec (checked by
``tests/core/test_search_writer.py``, in one process and in two). What this module does not handle goes
through Whoosh's own path: documents with boosts, fields with spelling words, vectors or columns, codecs
that inline short posting lists.
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
from whoosh.filedb import filetables
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import Entry, KnowledgeBase
from ldn_browser.core.search import forked
from ldn_browser.core.search.documents import EntryText, entry_text, shared_values
from ldn_browser.core.search.evaluate import field_lengths

_Postings = list[Any]
"""One term's postings, flat: document number, weight, encoded value, then the next posting's three."""

_Terms = dict[str, dict[bytes, _Postings]]
"""Field name → term (UTF-8) → its postings."""

_Stored = list[tuple[str, Any, int]]
"""One document's fields for the per-document writer: (name, stored value or None, length)."""

PARALLEL_MIN_ENTRIES = 2_000
"""A KB with at least this many entries is written by two processes (when :func:`forked.available`)."""


class _LengthTable:
    """A new segment's field lengths, read once per document and field instead of once per posting."""

    def __init__(self, reader: Any, fieldnames: Iterable[str]) -> None:
        self._reader = reader
        count = reader.doc_count_all()
        self._lengths = {name: field_lengths(reader, name, count) for name in fieldnames}

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
    by field and term, flat (:data:`_Postings`); a term's postings arrive in document order (documents
    are added in order), so sorting the fields, then the terms, gives the same order (a term's postings
    are sorted only if they arrived out of order, as when a segment is merged in).
    """

    def __init__(self) -> None:
        self.fields: _Terms = {}
        self.in_order = True

    @property
    def fieldnames(self) -> set[str]:
        """The fields with postings (Whoosh's ``PostingPool.fieldnames``)."""
        return set(self.fields)

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Add one (field, term, document, weight, value) posting (Whoosh's ``PostingPool.add``)."""
        terms = self.fields.setdefault(item[0], {})
        found = terms.get(item[1])
        if found is None:
            terms[item[1]] = [item[2], item[3], item[4]]
        else:
            if (found[-3], found[-2], found[-1]) > item[2:]:
                self.in_order = False
            found += item[2:]

    def merge(self, later: _Terms) -> None:
        """Add the postings of documents that all come after those already in the pool."""
        for field, terms in later.items():
            mine = self.fields.setdefault(field, {})
            for term, postings in terms.items():
                found = mine.get(term)
                if found is None:
                    mine[term] = postings
                else:
                    found += postings

    def terms(self) -> Iterator[tuple[str, bytes, _Postings]]:
        """(field, term, postings in Whoosh's order) for every term, in Whoosh's order."""
        for field in sorted(self.fields):
            terms = self.fields[field]
            for term in sorted(terms):
                postings = terms[term]
                if not self.in_order:
                    ordered = sorted(zip(postings[0::3], postings[1::3], postings[2::3], strict=True))
                    postings[:] = [part for posting in ordered for part in posting]
                yield field, term, postings

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Every posting in Whoosh's order, as Whoosh's tuples (its own interface, for its other callers)."""
        for field, term, postings in self.terms():
            for docnum, weight, value in zip(postings[0::3], postings[1::3], postings[2::3], strict=True):
                yield field, term, docnum, weight, value

    def cleanup(self) -> None:
        """Drop the postings (Whoosh's pool removes its temporary runs here)."""
        self.fields.clear()


def _index_document(schema: Any, docnum: int, fields: dict[str, Any], pool: _Terms) -> _Stored:
    """Put the words of document *docnum* into *pool*; returns what the per-document writer is given for it.

    What Whoosh's ``SegmentWriter.add_document`` does for plain fields, without a 5-tuple per posting.
    """
    stored: _Stored = []
    for name in sorted(fields):
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
                    terms[term] = [docnum, weight, encoded]
                else:
                    found += (docnum, weight, encoded)
            if not field.scorable:
                length = 0
        stored.append((name, value if field.stored else None, length))
    return stored


def _encode_term(
    postings: _Postings, lengths: Sequence[int | None], limit: int, compression: int, fixedsize: int | None
) -> tuple[bytes, W3TermInfo]:
    """One term's *postings* as ``start_term``, ``add`` per posting and ``finish_term`` would write them.

    The same blocks of Whoosh's ``W3PostingsWriter`` (``limit`` postings each, the last one's length
    negative, every block counted into the term's ``W3TermInfo``), computed a block at a time; returns
    the bytes to write and the term's info (its extent not yet set).
    """
    info = W3TermInfo()
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(postings) // 3
    step = 3 * limit
    for first in range(0, len(postings), step):
        chunk = postings if count <= limit else postings[first : first + step]
        docnums, given, encoded = chunk[0::3], chunk[1::3], chunk[2::3]
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
        parts += (pack_int(-size if first + step >= len(postings) else size), head, data)
    return b"".join(parts), info


_Encoding = tuple[bytes, list[tuple[bytes, bytes, int, int]]]
"""Terms encoded away from the file: their blocks, and per term (key, info without extent, offset in the
blocks, length)."""

_INFO_SIZE = W3TermInfo._struct.size
"""The bytes of a term's info before its extent (``W3TermInfo.to_bytes``: then the offset and the length)."""


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the term pool above and postings written a block at a time.

    *parallel*: encode the postings of the last terms in a forked process (see the module's docstring).
    """

    def __init__(self, *args: Any, parallel: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = _TermPool()
        self.parallel = parallel
        self._plain = all(
            not field.separate_spelling() and not field.vector and not field.column_type
            for _name, field in self.schema.items()
        )
        """True when no field has spelling words, vectors or columns (the lean ``add_document`` and flush apply)."""

    @property
    def plain(self) -> bool:
        """True when documents can be read by :func:`_index_document` (and so in another process)."""
        return self._plain

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
        self._check_fields(self.schema, sorted(fields))
        self.perdocwriter.start_doc(self.docnum)
        try:
            stored = _index_document(self.schema, self.docnum, fields, self.pool.fields)
        except Exception:
            self.perdocwriter.cancel_doc()
            raise
        self._finish_document(stored)

    def add_indexed(self, later: _Terms, documents: Sequence[_Stored]) -> None:
        """Add documents whose words another process put into *later* (numbered from this writer's next one)."""
        self._check_state()
        for field, terms in later.items():
            positions = self.schema[field].format.supports("positions")
            for postings in terms.values():
                postings[2::3] = shared_values(postings[2::3], positions=positions)
        for stored in documents:
            self.perdocwriter.start_doc(self.docnum)
            self._finish_document(stored)
        self.pool.merge(later)

    def _finish_document(self, stored: _Stored) -> None:
        perdoc, schema = self.perdocwriter, self.schema
        for name, value, length in stored:
            perdoc.add_field(name, schema[name], value, length)
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
        try:
            self._write_terms(fieldwriter, table)
            fieldwriter.close()
        finally:
            table.close()

    def _write_terms(self, fieldwriter: W3FieldWriter, table: _LengthTable) -> None:
        """Every term's postings into the segment, in Whoosh's order (the last ones encoded by a forked process)."""
        count = table.doc_count_all()
        codec = fieldwriter._codec
        limit, compression = codec._blocklimit, codec._compression
        keyed: list[tuple[bytes, _Postings, Sequence[int | None], int | None]] = []
        field, prefix, fixedsize = None, b"", None
        doc_lengths: Sequence[int | None] = ()
        for name, term, postings in self.pool.terms():
            if name != field:
                field = name
                fieldwriter.start_field(field, self.schema[field])  # numbers the fields in Whoosh's order
                fieldwriter.finish_field()
                prefix = pack_ushort(fieldwriter._fieldmap[field])
                found = table.lengths(field)
                # a field without lengths (the id): Whoosh asks the reader per posting (0)
                doc_lengths = found if found is not None else field_lengths(table._reader, field, count)
                fixedsize = self.schema[field].format.fixed_value_size()
            keyed.append((prefix + term, postings, doc_lengths, fixedsize))

        def encode(part: Sequence[tuple[bytes, _Postings, Sequence[int | None], int | None]]) -> _Encoding:
            blocks, infos, at = [], [], 0
            for key, postings, doc_lengths, fixedsize in part:
                block, info = _encode_term(postings, doc_lengths, limit, compression, fixedsize)
                info.set_extent(at, len(block))
                infos.append((key, info.to_bytes()[:_INFO_SIZE], at, len(block)))
                blocks.append(block)
                at += len(block)
            return b"".join(blocks), infos

        split = _split_point(keyed) if self.parallel else len(keyed)
        rest = forked.Forked(lambda: encode(keyed[split:])) if split < len(keyed) else None
        try:
            _write_encoded(fieldwriter, encode(keyed[:split]))
        except BaseException:
            if rest is not None:
                rest.cancel()
            raise
        if rest is not None:
            # None: the forked process failed (logged), and this one encodes the rest
            _write_encoded(fieldwriter, rest.result() or encode(keyed[split:]))


def _write_encoded(fieldwriter: W3FieldWriter, encoding: _Encoding) -> None:
    """Append encoded terms to the segment's postings and term index, as ``finish_term`` adds each.

    The term index rows go in at once, as Whoosh's ``OrderedHashWriter.add`` writes them one by one.
    """
    blocks, infos = encoding
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    base = postfile.tell()
    postfile.write(blocks)
    if not infos:
        return
    if infos[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{infos[0][0]!r}")
    dbfile, hashfn, buckets, index = tindex.dbfile, tindex.hashfn, tindex.buckets, tindex.index
    pos = dbfile.tell()
    rows: list[bytes] = []
    for key, info, at, length in infos:
        value = info + pack_long(base + at) + pack_int(length)
        index.append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        rows += (filetables._lengths.pack(len(key), len(value)), key, value)
        pos += filetables._lengths.size + len(key) + len(value)
    dbfile.write(b"".join(rows))
    tindex.lastkey = infos[-1][0]


_PARENT_SHARE = 0.4
"""The share of the encoding this process keeps: it also writes the term index for all terms."""

_PARENT_HALF = 0.45
"""The share of the entries this process reads: it also writes every document's stored fields and lengths."""


def _split_point(keyed: Sequence[tuple[bytes, _Postings, Any, Any]]) -> int:
    """Where the terms encoded here end and those encoded by the forked process begin (by estimated work)."""
    costs = [6 + len(postings) // 3 for _key, postings, _lengths, _size in keyed]  # a term's overhead ~ 6 postings
    goal, done = sum(costs) * _PARENT_SHARE, 0
    for i, cost in enumerate(costs):
        done += cost
        if done >= goal:
            return i + 1
    return len(keyed)


def _index_entries(
    schema: Any, kb: KnowledgeBase, entries: Sequence[Entry], first: int
) -> tuple[list[EntryText], _Terms, list[_Stored]]:
    """The search texts, postings and per-document fields of *entries*, numbered from *first* (the forked half)."""
    texts, pool, documents = [], {}, []  # type: ignore[var-annotated]
    for docnum, entry in enumerate(entries, first):
        text = entry_text(entry, kb)
        texts.append(text)
        documents.append(_index_document(schema, docnum, text.document(), pool))
    return texts, pool, documents


def uses_two_processes(entries: int) -> bool:
    """Whether :func:`write_index` has a forked process write half of a KB of *entries* entries, here and now."""
    return entries >= PARALLEL_MIN_ENTRIES and forked.available()


def write_index(
    ix: Any, kb: KnowledgeBase, progress: Callable[[int, int], None] | None, *, parallel: bool | None = None
) -> dict[str, EntryText]:
    """Index every entry of *kb* into *ix*; returns the entries' search texts (the index reuses them).

    *parallel*: whether a forked process does half of the work (None: :func:`uses_two_processes`).
    """
    entries = kb.entries()
    total = len(entries)
    if parallel is None:
        parallel = uses_two_processes(total)
    # Uncompressed posting blocks: zlib took a fifth of a cold build, and the index is small.
    writer = _SegmentWriter(ix, codec=W3Codec(compression=0), limitmb=256, parallel=parallel)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic GC would add 30-50 % to the build
    later: forked.Forked[tuple[list[EntryText], _Terms, list[_Stored]]] | None = None
    try:
        half = round(total * _PARENT_HALF) if parallel and writer.plain else total
        later = forked.Forked(lambda: _index_entries(writer.schema, kb, entries[half:], half)) if half < total else None
        step = max(1, half // 50)
        texts: dict[str, EntryText] = {}
        for i, entry in enumerate(entries[:half], 1):
            text = texts[entry.id] = entry_text(entry, kb)
            writer.add_document(**text.document())
            if progress is not None and (i % step == 0 or i == half):
                # with a forked half, both halves go at about the same pace: the share of the whole read so far
                progress(i if later is None else min(total - 1, i * total // half), total)
        if later is not None:
            found = later.result()
            if found is None:  # the forked process failed (logged): this one reads the rest
                found = _index_entries(writer.schema, kb, entries[half:], half)
            rest, pool, documents = found
            texts.update((text.entry_id, text) for text in rest)
            writer.add_indexed(pool, documents)
            if progress is not None:
                progress(total, total)
        writer.commit(optimize=True)
    except BaseException:
        if later is not None:
            later.cancel()
        writer.cancel()
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    if progress is not None and total == 0:
        progress(0, 0)
    return texts
