"""The bundled KB's index, built at build/install time: opened read-only when it is the KB's; else the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import open_search_index
from ldn_browser.core.search.cache import PREBUILT_DIR, prebuilt_is_current, write_prebuilt_index
from ldn_browser.core.search.documents import INDEX_VERSION


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_prebuilt_index_is_used_read_only_and_the_cache_stays_empty(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    pre = write_prebuilt_index(mini_kb, tmp_path / "prebuilt")
    assert prebuilt_is_current(mini_kb, pre)
    before = _snapshot(pre)
    calls: list[tuple[int, int]] = []
    index = open_search_index(mini_kb, tmp_path / "cache", progress=lambda d, t: calls.append((d, t)), prebuilt=pre)
    assert index.location == pre and not index.built_now and calls == []
    assert index.search("crohn").hits[0].entity_id == "condition:crohns-disease"
    index.close()
    assert _snapshot(pre) == before  # nothing written, no lock taken
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_another_kb_uses_the_user_cache(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    pre = write_prebuilt_index(mini_kb, tmp_path / "prebuilt")
    data: dict[str, Any] = mini_kb.model_dump(mode="json")
    data["conditions"][1]["title"] = "Fibromyalgia syndrome renamed"
    changed = KnowledgeBase.model_validate(data)
    assert not prebuilt_is_current(changed, pre)
    index = open_search_index(changed, tmp_path / "cache", prebuilt=pre)
    assert index.built_now and index.location is not None and index.location.parent == tmp_path / "cache"
    assert index.search("renamed").hits[0].entity_id == "condition:fibromyalgia"
    index.close()


def test_prebuilt_index_of_another_version_is_not_used(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    pre = write_prebuilt_index(mini_kb, tmp_path / "prebuilt")
    ready = pre / "READY"
    ready.write_text(ready.read_text(encoding="utf-8").replace(f"{INDEX_VERSION} ", f"{INDEX_VERSION - 1} ", 1))
    index = open_search_index(mini_kb, tmp_path / "cache", prebuilt=pre)
    assert index.built_now and index.location != pre
    index.close()


def test_damaged_prebuilt_index_falls_back_to_the_cache(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    pre = write_prebuilt_index(mini_kb, tmp_path / "prebuilt")
    for seg in pre.glob("*.seg"):
        seg.write_bytes(b"not an index")
    index = open_search_index(mini_kb, tmp_path / "cache", prebuilt=pre)
    assert index.location != pre and index.search("crohn").hits
    index.close()


def test_rebuilding_replaces_the_folder_whole(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    pre = write_prebuilt_index(mini_kb, tmp_path / "prebuilt")
    (pre / "stray").write_text("x")
    write_prebuilt_index(mini_kb, pre)
    assert not (pre / "stray").exists() and prebuilt_is_current(mini_kb, pre)
    assert [p.name for p in tmp_path.iterdir()] == ["prebuilt"]  # no temporary folder left


def test_checkout_ships_the_bundled_kb_index(bundled_kb: KnowledgeBase) -> None:
    """tools/dev.py builds it on install (tools/build_index.py); the wheel and the bundle carry it."""
    assert prebuilt_is_current(bundled_kb, PREBUILT_DIR), "run python3 tools/build_index.py"
