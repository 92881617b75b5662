"""Index-cache faults from the hardening issue: killed builds, truncated segments, a full disk.

Every case must end with a working index (rebuilt on disk, or in memory with a note).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import open_search_index


def _index_dirs(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_dir())


def _assert_works(index: object) -> None:
    hits = index.search("crohn").hits  # type: ignore[attr-defined]
    assert hits and hits[0].entity_id == "condition:crohns-disease"


def test_build_killed_half_way_leaves_nothing_that_breaks_the_next_start(
    mini_kb: KnowledgeBase, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    half = cache / ".tmp-search-killed"  # what a build killed before its atomic swap leaves behind
    half.mkdir()
    (half / "MAIN_abc.toc").write_bytes(b"\x00\x01partial")
    (half / "MAIN_abc_seg.seg").write_bytes(b"garbage")
    index = open_search_index(mini_kb, cache)
    _assert_works(index)
    assert index.storage_note is None
    index.close()


@pytest.mark.parametrize("keep_bytes", [0, 7, 100])
def test_truncated_segment_files_rebuild(mini_kb: KnowledgeBase, tmp_path: Path, keep_bytes: int) -> None:
    cache = tmp_path / "cache"
    open_search_index(mini_kb, cache).close()
    (index_dir,) = _index_dirs(cache)
    segments = [p for p in index_dir.iterdir() if p.suffix in (".seg", ".toc", ".trm", ".pst", ".vps", ".fdt")]
    assert segments
    for seg in segments:
        data = seg.read_bytes()
        seg.write_bytes(data[:keep_bytes])
    index = open_search_index(mini_kb, cache)
    _assert_works(index)
    index.close()
    reopened = open_search_index(mini_kb, cache)  # the rebuilt cache is valid again
    _assert_works(reopened)
    reopened.close()


def test_full_disk_keeps_index_in_memory_with_a_note(
    mini_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    real_create_file = FileStorage.create_file

    def no_space_in_cache(self: FileStorage, name: str, **kwargs: object) -> object:
        if Path(self.folder).resolve().is_relative_to(cache.resolve()):  # the disk holding the cache is full
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return real_create_file(self, name, **kwargs)

    monkeypatch.setattr(FileStorage, "create_file", no_space_in_cache)
    index = open_search_index(mini_kb, cache)
    _assert_works(index)
    assert index.storage_note and "memory" in index.storage_note
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp")], "half-written index left behind"
    index.close()
