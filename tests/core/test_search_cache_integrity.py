"""Cache integrity (review D9): a damaged index is never reused, and a search failure is never "no hits".

On 1.0, 6 of 20 seeded bit-flip runs left the cache in use with failing or wrong searches on every
later start, and ``search --json`` printed ``[]`` with exit 0.
"""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

import pytest

from ldn_browser.cli import main
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import SearchError, open_search_index
from ldn_browser.core.search.index import SearchIndex

QUERIES = ["crohn", "fibromyalgia", "vivid dreams", "naltrexone", "side effects", "low dose", "sleep", "pain"]


def _answers(index: SearchIndex) -> dict[str, list[str]]:
    return {q: [h.entity_id for h in index.search(q, limit=30).hits] for q in QUERIES}


def _index_dir(cache: Path) -> Path:
    (found,) = [p for p in cache.iterdir() if p.is_dir() and p.name.startswith("search-v")]
    return found


def _index_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != "READY" and not p.name.endswith("WRITELOCK"))


@pytest.fixture
def baseline(mini_kb: KnowledgeBase) -> dict[str, list[str]]:
    index = open_search_index(mini_kb, None)
    answers = _answers(index)
    index.close()
    assert answers["crohn"][0] == "condition:crohns-disease"
    return answers


def test_ready_stamp_records_a_digest_of_every_index_file(mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    open_search_index(mini_kb, tmp_path).close()
    folder = _index_dir(tmp_path)
    stamp = (folder / "READY").read_text(encoding="utf-8").splitlines()
    named = {line.split(" ", 1)[1] for line in stamp[1:]}
    assert named == {p.name for p in _index_files(folder)} and named
    assert all(len(line.split(" ", 1)[0]) == 64 for line in stamp[1:])


def test_one_flipped_byte_in_any_index_file_means_a_rebuild(
    mini_kb: KnowledgeBase, tmp_path: Path, baseline: dict[str, list[str]]
) -> None:
    open_search_index(mini_kb, tmp_path).close()
    for victim in _index_files(_index_dir(tmp_path)):
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0x01
        victim.write_bytes(bytes(data))
        index = open_search_index(mini_kb, tmp_path)
        assert index.built_now, f"a flipped byte in {victim.name} went unnoticed"
        assert _answers(index) == baseline
        index.close()


@pytest.mark.parametrize("seed", range(20))
def test_seeded_bit_flips_never_leave_a_damaged_cache_in_use(
    mini_kb: KnowledgeBase, tmp_path: Path, baseline: dict[str, list[str]], seed: int
) -> None:
    """The review's 20 seeded runs of 1 to 30 bit flips in the segment file."""
    rng = random.Random(seed)
    open_search_index(mini_kb, tmp_path).close()
    (seg,) = [p for p in _index_files(_index_dir(tmp_path)) if p.suffix == ".seg"]
    data = bytearray(seg.read_bytes())
    for _ in range(rng.randint(1, 30)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    seg.write_bytes(bytes(data))
    for _start in range(2):  # this start and the next
        index = open_search_index(mini_kb, tmp_path)
        assert _answers(index) == baseline
        index.close()


def test_a_read_error_during_a_search_marks_the_cache_bad(
    mini_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_search_index(mini_kb, tmp_path).close()
    index = open_search_index(mini_kb, tmp_path)
    assert not index.built_now

    def decode_error(*_args: object, **_kwargs: object) -> None:
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(index, "_search", decode_error)
    with pytest.raises(SearchError) as info:
        index.search("crohn")
    assert info.value.cache_discarded
    assert not (_index_dir(tmp_path) / "READY").exists()
    index.close()
    monkeypatch.undo()
    rebuilt = open_search_index(mini_kb, tmp_path)
    assert rebuilt.built_now and rebuilt.search("crohn").hits


def test_cli_search_rebuilds_a_cache_that_fails_and_answers(
    mini_kb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path))
    assert main(["--kb", str(mini_kb_path), "search", "crohn", "--json"]) == 0  # builds the cache
    capsys.readouterr()
    real = SearchIndex._search
    calls: list[bool] = []

    def fail_on_the_cached_index(self: SearchIndex, *args: object) -> object:
        if not self.built_now and not calls:
            calls.append(True)
            raise struct.error("bad posting block")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "_search", fail_on_the_cached_index)
    assert main(["--kb", str(mini_kb_path), "search", "crohn", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert calls and hits and hits[0]["id"] == "condition:crohns-disease"


def test_cli_search_that_keeps_failing_is_exit_1_never_an_empty_list(
    mini_kb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LDN_BROWSER_CACHE", str(tmp_path))
    assert main(["--kb", str(mini_kb_path), "search", "crohn", "--json"]) == 0
    capsys.readouterr()

    def always(*_args: object, **_kwargs: object) -> None:
        raise struct.error("bad posting block")

    monkeypatch.setattr(SearchIndex, "_search", always)
    assert main(["--kb", str(mini_kb_path), "search", "crohn", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "failed" in captured.err
