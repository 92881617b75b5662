"""The index writer (core/search/writer.py) writes exactly the files Whoosh's own writer writes.

Both build the same documents with the same codec into memory; the segment files must be equal byte for
byte once the random segment name is taken out. The generated KB has terms with thousands of postings
(many blocks each), terms with one (inlined) and fields whose length is zero in some documents.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import SegmentWriter

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import forked, writer
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


# -- two processes (core/search/forked.py) --------------------------------------------------------------------


def _answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each forked process asked for its result, whether it gave one (True) or failed (False)."""
    answers: list[bool] = []
    result = forked.Forked.result

    def recorded(self: forked.Forked[object]) -> object:
        value = result(self)
        answers.append(value is not None)
        return value

    monkeypatch.setattr(forked.Forked, "result", recorded)
    return answers


def _ours_in(kb: KnowledgeBase, parallel: bool) -> dict[str, bytes]:
    storage = RamStorage()
    write_index(storage.create_index(build_schema()), kb, None, parallel=parallel)
    return _segment_files(storage)


def test_large_kb_written_by_two_processes_is_byte_for_byte_whooshs(
    generated_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half of the entries read and the last terms encoded by a forked process: the same files, byte for byte."""
    answers = _answers(monkeypatch)
    assert _ours_in(generated_kb, parallel=True) == _whoosh_built(generated_kb)
    assert answers == [True, True]  # the entries' second half, then the last terms' postings


def test_bundled_kb_written_by_two_processes_is_byte_for_byte_whooshs(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _answers(monkeypatch)
    assert _ours_in(bundled_kb, parallel=True) == _whoosh_built(bundled_kb)
    assert answers == [True, True]


def test_a_failing_second_process_is_logged_and_its_part_done_here(
    generated_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Both forked parts fail (only in the forked process): the index is still whole, and the failures are logged."""
    parent = os.getpid()
    index_entries, encode_term = writer._index_entries, writer._encode_term

    def only_here(work: Callable[..., object]) -> Callable[..., object]:
        def guarded(*args: object) -> object:
            if os.getpid() != parent:
                raise RuntimeError("broken in the forked process")
            return work(*args)

        return guarded

    monkeypatch.setattr(writer, "_index_entries", only_here(index_entries))
    monkeypatch.setattr(writer, "_encode_term", only_here(encode_term))
    answers = _answers(monkeypatch)
    with caplog.at_level(logging.WARNING, logger=forked.__name__):
        assert _ours_in(generated_kb, parallel=True) == _whoosh_built(generated_kb)
    assert answers == [False, False]
    failures = [r.getMessage() for r in caplog.records if "second process" in r.getMessage()]
    assert len(failures) == 2 and all("broken in the forked process" in m for m in failures)


def test_a_second_process_that_cannot_start_leaves_the_work_here(
    generated_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No process to spare (a limit on processes or memory): the build is done in one process, not failed."""

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    answers = _answers(monkeypatch)
    with caplog.at_level(logging.WARNING, logger=forked.__name__):
        assert _ours_in(generated_kb, parallel=True) == _whoosh_built(generated_kb)
    assert answers == [False, False]
    assert sum("could not be started" in r.getMessage() for r in caplog.records) == 2


def test_a_killed_second_process_is_reported_as_no_answer() -> None:
    """A forked process that ends without answering (killed, crashed) gives None, not a hang or an exception."""
    job = forked.Forked(lambda: os._exit(3))
    assert job.result() is None
    assert job.exitcode == 3


def test_an_error_before_the_result_is_asked_stops_the_second_process() -> None:
    import time

    job = forked.Forked(lambda: time.sleep(60))
    job.cancel()
    assert job.exitcode is not None and job.exitcode < 0  # stopped by a signal, not left to finish


def test_large_kbs_use_two_processes_only_where_a_fork_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forked, "_os_threads", lambda: 1)
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.delenv(forked.DISABLE_ENV, raising=False)
    assert forked.available() == sys.platform.startswith("linux")
    assert not writer.uses_two_processes(writer.PARALLEL_MIN_ENTRIES - 1)
    assert writer.uses_two_processes(writer.PARALLEL_MIN_ENTRIES) == sys.platform.startswith("linux")
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)  # e.g. the window's process, with Qt's threads
    assert not forked.available()
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forked, "_os_threads", lambda: 3)  # threads that never ran Python (a Qt thread pool's)
    assert not forked.available()
    monkeypatch.setattr(forked, "_os_threads", lambda: None)  # no /proc: Python's own count decides
    assert forked.available() == sys.platform.startswith("linux")
    in_a_thread: list[bool] = []  # a worker thread (the window builds a KB opened later in one)
    worker = threading.Thread(target=lambda: in_a_thread.append(forked.available()))
    worker.start()
    worker.join()
    assert in_a_thread == [False]
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda _pid: {0}, raising=False)  # one core
    assert not forked.available()
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setenv(forked.DISABLE_ENV, "0")
    assert not forked.available()


def test_write_index_picks_two_processes_by_itself_for_a_large_kb(
    mini_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "PARALLEL_MIN_ENTRIES", len(mini_kb.entries()))
    monkeypatch.setattr(forked, "available", lambda: True)
    answers = _answers(monkeypatch)
    storage = RamStorage()
    write_index(storage.create_index(build_schema()), mini_kb, None)
    assert answers == [True, True]
    monkeypatch.setattr(forked, "available", lambda: False)
    write_index(RamStorage().create_index(build_schema()), mini_kb, None)
    assert answers == [True, True]  # no fork


@pytest.mark.parametrize("seen_here", [True, False], ids=["values-seen-here", "values-made-only-in-the-fork"])
def test_values_read_back_from_another_process_are_the_shared_objects_again(
    seen_here: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pickle repeats an object it has seen as a reference, so the blocks depend on which values are one object."""
    import pickle

    from ldn_browser.core.search import documents
    from ldn_browser.core.search.documents import shared_values

    schema = build_schema()
    fields = (
        # a frequency over 255 is made anew each time (not shared); lower ones are one object each
        ("text", "naltrexone low dose naltrexone " + " ".join(["pain"] * 300), False),
        # a word once: its position is one object; a word twice: its positions are made anew
        ("title", "low dose naltrexone for low pain", True),
    )
    for name, text, positions in fields:

        def values(field: str = name, value: str = text) -> list[bytes]:
            return [encoded for _term, _freq, _weight, encoded in schema[field].index(value)]

        given, given_again = values(), values()
        one_object = [a is b for a, b in zip(given, given_again, strict=True)]
        assert any(one_object) and not all(one_object)
        back = pickle.loads(pickle.dumps(given))
        assert back == given and not any(a is b for a, b in zip(back, given, strict=True))
        if not seen_here:  # as in this process when only the forked one had read a word at that position
            monkeypatch.setattr(documents, "_ONCE", {})
            monkeypatch.setattr(documents, "_ONCE_BY_VALUE", {})
        again = list(shared_values(back, positions=positions))
        assert again == given
        assert [a is b for a, b in zip(again, values(), strict=True)] == one_object


def test_field_lengths_read_at_once_are_those_read_one_by_one(generated_kb: KnowledgeBase) -> None:
    """The lengths column read in one pass gives what Whoosh's reader gives per document (None for an empty field)."""
    from ldn_browser.core.search.evaluate import field_lengths

    ix = RamStorage().create_index(build_schema())
    write_index(ix, generated_kb, None, parallel=False)
    with ix.reader() as reader:
        count = reader.doc_count_all()
        empty = 0
        for field in ("title", "aliases", "cite", "text", "id"):
            for default in (0, 1, None):
                one_by_one = [reader.doc_field_length(d, field, default) for d in range(count)]
                assert field_lengths(reader, field, count, default) == one_by_one
                assert field_lengths(reader._perdoc, field, count, default) == one_by_one
                empty += one_by_one.count(None)
        assert empty > 0  # fields empty in some documents (and the id, which has no lengths) were compared


def test_field_lengths_of_another_reader_are_asked_one_by_one() -> None:
    from ldn_browser.core.search.evaluate import field_lengths

    class Reader:
        def doc_field_length(self, docnum: int, field: str, default: int = 0) -> int:
            return docnum * 10 + default

    assert field_lengths(Reader(), "text", 3, 1) == [1, 11, 21]


def test_progress_with_two_processes_rises_to_the_whole_kb(generated_kb: KnowledgeBase) -> None:
    """This process reads 45 % of the entries; its progress counts for the whole KB, as both halves go together."""
    calls: list[tuple[int, int]] = []
    ix = RamStorage().create_index(build_schema())
    write_index(ix, generated_kb, lambda d, t: calls.append((d, t)), parallel=True)
    total = len(generated_kb.entries())
    done = [d for d, t in calls if t == total]
    assert len(done) == len(calls) >= 20 and done == sorted(done)
    assert done[-1] == total and done[-2] >= total * 0.9  # close to the whole before the forked half is added
