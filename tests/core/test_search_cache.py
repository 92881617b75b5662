"""Search-index lifecycle: reuse, stale digest, corruption, unwritable folder, concurrent builds."""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from ldn_browser.core.entities import Grade, Kind, KnowledgeBase
from ldn_browser.core.search import SearchIndex, open_search_index


def _open(kb: KnowledgeBase, cache: Path) -> tuple[SearchIndex, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    index = open_search_index(kb, cache, progress=lambda done, total: calls.append((done, total)))
    return index, calls


def test_second_open_reuses_cache(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    first, calls = _open(mini_kb, tmp_path)
    assert first.built_now and calls and calls[-1] == (len(mini_kb.entries()), len(mini_kb.entries()))
    assert first.location is not None and first.location.parent == tmp_path
    first.close()
    second, calls = _open(mini_kb, tmp_path)
    assert not second.built_now and calls == []
    assert second.search("crohn").hits[0].entity_id == "condition:crohns-disease"
    assert second.storage_note is None
    second.close()


def test_stale_digest_rebuilds(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    _open(mini_kb, tmp_path)[0].close()
    data: dict[str, Any] = mini_kb.model_dump(mode="json")
    data["conditions"][1]["title"] = "Fibromyalgia syndrome renamed"
    changed = KnowledgeBase.model_validate(data)
    index, calls = _open(changed, tmp_path)
    assert index.built_now and calls
    assert index.search("renamed").hits[0].entity_id == "condition:fibromyalgia"


def test_corrupt_segment_rebuilds(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    index, _ = _open(mini_kb, tmp_path)
    location = index.location
    index.close()
    assert location is not None
    for f in location.iterdir():
        if f.suffix in (".seg", ".toc"):
            f.write_bytes(b"\x00garbage" * 10)
    again, calls = _open(mini_kb, tmp_path)
    assert again.built_now and calls
    assert again.search("crohn").hits[0].entity_id == "condition:crohns-disease"


def test_unwritable_cache_keeps_index_in_memory(
    mini_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    real_mkdtemp = tempfile.mkdtemp

    def denied(*args: object, dir: str | None = None, **kwargs: object) -> str:  # noqa: A002 - mkdtemp's name
        if dir is not None and Path(dir).resolve().is_relative_to(locked.resolve()):
            raise PermissionError(13, "Permission denied", dir)  # root ignores chmod, so simulate it
        return real_mkdtemp(*args, dir=dir, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    index, _ = _open(mini_kb, locked / "cache")
    assert index.location is None and index.storage_note and "memory" in index.storage_note
    assert index.search("crohn").hits


def test_cache_path_that_is_a_file_keeps_index_in_memory(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    index, _ = _open(mini_kb, blocker)
    assert index.location is None and index.storage_note and "memory" in index.storage_note
    assert index.search("crohn").hits[0].entity_id == "condition:crohns-disease"


def test_concurrent_builds_both_work(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    results: list[SearchIndex] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(open_search_index(mini_kb, tmp_path))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and len(results) == 2
    for index in results:
        assert index.search("crohn").hits[0].entity_id == "condition:crohns-disease"
    third = open_search_index(mini_kb, tmp_path)
    assert not third.built_now


def test_close_then_search_is_safe(mini_kb: KnowledgeBase) -> None:
    index = open_search_index(mini_kb, None)
    index.close()
    index.close()
    assert index.search("crohn").hits == ()


def test_repeated_search_reuses_the_answer_per_scope(mini_kb: KnowledgeBase) -> None:
    index = open_search_index(mini_kb, None)
    first = index.search("crohn")
    assert index.search("crohn") is first
    scoped = index.search("crohn", kinds=[Kind.SOURCE])
    assert scoped is not first and scoped.hits and all(h.kind is Kind.SOURCE for h in scoped.hits)
    assert index.search("crohn", kinds=(k for k in [Kind.SOURCE])) is scoped
    assert index.search("crohn", grades=[Grade.HIGH]).hits == ()
    assert index.search("crohn", limit=1).hits == first.hits[:1]
    index.close()
    assert index.search("crohn").hits == ()


def test_in_memory_build_leaves_no_scratch_folders(
    mini_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    index = open_search_index(mini_kb, None)
    assert index.search("crohn").hits[0].entity_id == "condition:crohns-disease"
    assert list(tmp_path.iterdir()) == []


def test_another_kb_passes_the_prebuilt_index_by_without_a_warning(
    mini_kb: KnowledgeBase, bundled_kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``--kb other.json`` used to print "search index at …/prebuilt not reused …; rebuilding" every time."""
    from ldn_browser.core.search.cache import write_prebuilt_index

    prebuilt = write_prebuilt_index(bundled_kb, tmp_path / "prebuilt")
    with caplog.at_level(logging.WARNING, logger="ldn_browser.core.search.cache"):
        index = open_search_index(mini_kb, tmp_path / "cache", prebuilt=prebuilt)
    assert index.location is not None and index.location.parent == tmp_path / "cache"
    assert [r.getMessage() for r in caplog.records] == []
    index.close()
    segment = next(prebuilt.glob("*.seg"))
    segment.write_bytes(segment.read_bytes() + b"x")  # a damaged prebuilt index is still said
    with caplog.at_level(logging.WARNING, logger="ldn_browser.core.search.cache"):
        open_search_index(bundled_kb, tmp_path / "cache", prebuilt=prebuilt).close()
    assert any("prebuilt" in r.getMessage() and "not reused" in r.getMessage() for r in caplog.records)
