"""The build-time snapshot of the validated KB (core/snapshot.py): used only for exactly its bytes and code.

Reading it skips validation, so every way it could be the wrong KB must mean "validate as usual": other
bytes (even of the same length), other code or versions, a damaged or foreign pickle, a file that is not
a regular file. It must never raise, and a KB read from it is the KB validation gives.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ldn_browser.core import kb as kb_module
from ldn_browser.core import snapshot
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import kb_digest, load_kb, parse_kb
from ldn_browser.core.paths import default_kb_path


@pytest.fixture
def made(tmp_path: Path, mini_kb_path: Path) -> tuple[bytes, Path]:
    raw = mini_kb_path.read_bytes()
    return raw, snapshot.write(raw, parse_kb(raw), tmp_path / "snap")


def _restamp(folder: Path, **changes: object) -> None:
    stamp = json.loads((folder / "kb.stamp.json").read_text(encoding="utf-8"))
    stamp.update(changes)
    (folder / "kb.stamp.json").write_text(json.dumps(stamp), encoding="utf-8")


def test_a_snapshot_reads_back_the_kb_validation_gives(made: tuple[bytes, Path]) -> None:
    raw, folder = made
    validated = parse_kb(raw)
    read = snapshot.read(raw, folder)
    assert isinstance(read, KnowledgeBase) and read is not validated
    assert read.model_dump() == validated.model_dump() and read.entries() == validated.entries()
    assert read._digest_cache is not None and kb_digest(read) == kb_digest(validated)
    assert read.get(validated.conditions[0].id) == validated.conditions[0]


def test_other_bytes_of_the_same_length_are_validated(made: tuple[bytes, Path]) -> None:
    raw, folder = made
    i = raw.index(b"Crohn")
    other = raw[:i] + b"Krohn" + raw[i + 5 :]
    assert len(other) == len(raw)
    assert snapshot.read(other, folder) is None and not snapshot.is_current(other, folder)
    assert snapshot.read(raw + b" ", folder) is None


@pytest.mark.parametrize(
    "changes",
    [{"code": "0" * 64}, {"pydantic": "2.0.0"}, {"python": "3.99"}, {"app": "0.9"}, {"format": 0}],
    ids=["other code", "other pydantic", "other python", "other app", "other format"],
)
def test_a_snapshot_of_other_code_or_versions_is_not_used(made: tuple[bytes, Path], changes: dict[str, object]) -> None:
    raw, folder = made
    _restamp(folder, **changes)
    assert snapshot.read(raw, folder) is None


def test_a_changed_core_source_file_means_validation(
    made: tuple[bytes, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    raw, folder = made
    core = tmp_path / "core"
    core.mkdir()
    for path in Path(snapshot.__file__).parent.glob("*.py"):
        (core / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(snapshot, "_CORE", core)
    assert snapshot.read(raw, folder) is not None  # the same sources
    (core / "validators.py").write_bytes((core / "validators.py").read_bytes() + b"\n# a rule changed\n")
    assert snapshot.read(raw, folder) is None


def test_a_damaged_or_foreign_pickle_is_reported_and_validated_instead(
    made: tuple[bytes, Path], caplog: pytest.LogCaptureFixture
) -> None:
    raw, folder = made
    data = bytearray((folder / "kb.pickle").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "kb.pickle").write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        assert snapshot.read(raw, folder) is None
    assert "damaged" in caplog.text
    foreign = pickle.dumps({"not": "a KB"})
    (folder / "kb.pickle").write_bytes(foreign)
    _restamp(folder, pickle_sha256=snapshot._sha256(foreign))
    assert snapshot.read(raw, folder) is None
    garbage = b"\x80\x05not a pickle"
    (folder / "kb.pickle").write_bytes(garbage)
    _restamp(folder, pickle_sha256=snapshot._sha256(garbage))
    assert snapshot.read(raw, folder) is None
    assert "unusable" in caplog.text


@pytest.mark.parametrize("stamp", [None, "", "{not json", "[]", '{"kb_bytes": "many"}'])
def test_a_missing_or_broken_stamp_means_validation(made: tuple[bytes, Path], stamp: str | None) -> None:
    raw, folder = made
    if stamp is None:
        (folder / "kb.stamp.json").unlink()
    else:
        (folder / "kb.stamp.json").write_text(stamp, encoding="utf-8")
    assert snapshot.read(raw, folder) is None and not snapshot.matches_file(folder / "kb.pickle", folder)


def test_only_a_regular_file_with_the_bytes_matches(
    made: tuple[bytes, Path], tmp_path: Path, mini_kb_path: Path
) -> None:
    raw, folder = made
    assert snapshot.matches_file(mini_kb_path, folder)
    copy = tmp_path / "copy.json"
    copy.write_bytes(raw)
    assert snapshot.matches_file(copy, folder)  # the same bytes anywhere are the same validated KB
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert not snapshot.matches_file(fifo, folder)  # returns at once: a FIFO is never opened
    assert not snapshot.matches_file(tmp_path, folder)
    assert not snapshot.matches_file(tmp_path / "missing.json", folder)


def test_load_kb_reads_the_snapshot_instead_of_validating(
    made: tuple[bytes, Path], monkeypatch: pytest.MonkeyPatch, mini_kb_path: Path
) -> None:
    _raw, folder = made
    monkeypatch.setattr(snapshot, "SNAPSHOT_DIR", folder)

    def no_validation(*_args: object) -> KnowledgeBase:
        raise AssertionError("validated although the snapshot matches")

    monkeypatch.setattr(kb_module, "parse_kb", no_validation)
    assert load_kb(mini_kb_path).conditions


def test_the_checkout_ships_a_current_snapshot_of_the_bundled_kb() -> None:
    """tools/dev.py builds it with the search index (tools/build_index.py); the wheel and the bundle carry it."""
    assert snapshot.matches_file(default_kb_path()), "run python3 tools/build_index.py"


def test_with_a_snapshot_the_models_build_no_validator_to_read_the_bundled_kb() -> None:
    """As the window starts (``defer_build``): reading the KB and its search index build no pydantic validator."""
    code = textwrap.dedent(
        """
        from ldn_browser.core import model_options, snapshot
        from ldn_browser.core.paths import default_kb_path
        model_options.defer_build = snapshot.matches_file(default_kb_path())
        assert model_options.defer_build
        from ldn_browser.core.entities import KnowledgeBase
        from ldn_browser.core.kb import load_kb
        from ldn_browser.core.search import open_search_index
        index = open_search_index(load_kb(default_kb_path()), None)
        assert index.search("crohns").hits
        assert not KnowledgeBase.__pydantic_complete__, "a validator or serializer was built"
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_a_frozen_bundle_compares_the_versions_without_sources(
    made: tuple[bytes, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle's snapshot is made from the sources it is built from; inside it there are none to hash."""
    raw, folder = made
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(snapshot, "_CORE", folder / "no-sources-here")
    assert snapshot.read(raw, folder) is not None
    _restamp(folder, app="0.9")
    assert snapshot.read(raw, folder) is None
