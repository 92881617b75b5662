"""The index writer (core/search/writer.py) writes exactly the files Whoosh's own writer writes.

Both build the same documents with the same codec into memory; the segment files must be equal byte for
byte once the random segment name is taken out. The generated KB has terms with thousands of postings
(many blocks each), terms with one (inlined) and fields whose length is zero in some documents.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search.documents import build_schema, entry_text
from ldn_browser.core.search.writer import _TermPool, write_index


def _segment_files(storage: RamStorage) -> dict[str, bytes]:
    """Each segment file's bytes, with the (random) segment name replaced by a fixed one."""
    out: dict[str, bytes] = {}
    for name in storage.list():
        if name.endswith((".toc", "WRITELOCK")):
            continue  # the table of contents names the segment and the time; the lock is empty
        segment = name.split("_", 1)[1].split(".", 1)[0]
        data = storage.open_file(name).read()
        out[name.replace(segment, "SEG")] = data.replace(segment.encode(), b"SEG")
    return out


def _whoosh_built(kb: KnowledgeBase) -> dict[str, bytes]:
    storage = RamStorage()
    ix = storage.create_index(build_schema())
    writer = SegmentWriter(ix, codec=W3Codec(compression=0), limitmb=256)
    for entry in kb.entries():
        writer.add_document(**entry_text(entry, kb).document())
    writer.commit(optimize=True)
    return _segment_files(storage)


def _ours(kb: KnowledgeBase) -> dict[str, bytes]:
    storage = RamStorage()
    write_index(storage.create_index(build_schema()), kb, None)
    return _segment_files(storage)


@pytest.fixture(scope="module")
def generated_kb(generated_kb_of: Callable[[int], KnowledgeBase]) -> KnowledgeBase:
    return generated_kb_of(1_500)


def test_bundled_kb_index_is_byte_for_byte_whooshs(bundled_kb: KnowledgeBase) -> None:
    theirs = _whoosh_built(bundled_kb)
    assert theirs and _ours(bundled_kb) == theirs


def test_large_kb_index_with_many_blocks_is_byte_for_byte_whooshs(generated_kb: KnowledgeBase) -> None:
    pool = _TermPool()
    blocks: dict[int, int] = {}
    for docnum, entry in enumerate(generated_kb.entries()):
        for word in set(entry_text(entry, generated_kb).document()["text"].split()):
            pool.add(("text", word.encode(), docnum, 1.0, None))
    for _field, _term, postings in pool.terms():
        blocks[len(postings) // 128] = blocks.get(len(postings) // 128, 0) + 1
    assert max(blocks) >= 3 and blocks.get(0, 0) > 100  # long (multi-block) and short terms
    assert _ours(generated_kb) == _whoosh_built(generated_kb)


def test_term_pool_gives_whooshs_posting_order() -> None:
    pool = _TermPool()
    items = [
        ("title", b"b", 0, 1.0, None),
        ("aliases", b"z", 0, 2.0, b"\x01"),
        ("title", b"a", 1, 1.0, None),
        ("title", b"b", 1, 3.0, None),
        ("aliases", b"z", 2, 1.0, b"\x02"),
        ("title", b"a", 0, 1.5, None),  # out of document order (as a merge may add them)
    ]
    for item in items:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(items)
    assert pool.fieldnames == {"title", "aliases"}


def test_boosted_documents_go_through_whooshs_add_document_and_give_its_files(mini_kb: KnowledgeBase) -> None:
    """A document with a ``_boost`` keyword is added Whoosh's way, into the same term pool."""
    from ldn_browser.core.search.writer import _SegmentWriter

    def built(writer_class: type[SegmentWriter]) -> dict[str, bytes]:
        storage = RamStorage()
        writer = writer_class(storage.create_index(build_schema()), codec=W3Codec(compression=0))
        for i, entry in enumerate(mini_kb.entries()):
            document = entry_text(entry, mini_kb).document()
            writer.add_document(**document, **({"_boost": 2.0} if i % 3 == 0 else {}))
        writer.commit(optimize=True)
        return _segment_files(storage)

    assert built(_SegmentWriter) == built(SegmentWriter)
