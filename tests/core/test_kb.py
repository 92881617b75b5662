"""Loading KB files: valid ones load; every defect gives one KbError naming file and location."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import MAX_KB_BYTES, KbError, kb_digest, load_kb, parse_kb

INVALID = Path(__file__).parents[1] / "data" / "invalid"

# file name -> (expected location, a fragment of the message)
EXPECTED: dict[str, tuple[str, str]] = {
    "bad_date.json": ("$.meta.content_as_of", "valid date"),
    "bad_design.json": ("$.sources[0].design", "rct"),
    "bad_direction.json": ("$.conditions[0].evidence.direction", "no_benefit"),
    "bad_doi.json": ("$.sources[1].doi", "invalid DOI"),
    "bad_grade.json": ("$.conditions[0].evidence.grade", "very_low"),
    "bad_id_format.json": ("$.conditions[0].id", "kind:slug"),
    "bad_pmid.json": ("$.sources[0].pmid", "digits only"),
    "bad_severity.json": ("$.contraindications[0].severity", "contraindicated"),
    "bad_verdict.json": ("$.claims[0].verdict", "misattributed"),
    "claim_repeated_in_not_lay.json": ("$.claims[0].repeated_in[0]", "lay articles"),
    "claim_without_lay_source.json": ("$.claims[0].repeated_in", "at least one id"),
    "deeply_nested.json": ("", "nested too deeply"),
    "duplicate_id.json": ("$.sources[4].id", "duplicate id 'source:smith2007-crohns-ol'"),
    "duplicate_key.json": ("", "appears twice"),
    "empty.json": ("", "empty"),
    "empty_title.json": ("$.conditions[0].title", "at least 1 character"),
    "evidence_without_sources.json": ("$.conditions[0].evidence.source_ids", "at least one id"),
    "extra_field.json": ("$.conditions[0].efficacy", "unknown field"),
    "high_grade_on_open_label.json": ("$.side_effects[0].certainty.grade", "randomised"),
    "id_kind_mismatch.json": ("$.conditions[0]", "use 'condition:<slug>'"),
    "incomplete_grade_legend.json": ("$.meta.grade_legend", "at least 4"),
    "list_instead_of_object.json": ("$.conditions[0].evidence", "valid dictionary"),
    "malformed.json": ("5:3", "malformed JSON"),
    "mechanism_with_grade.json": ("$.mechanisms[0].evidence_type", "hypothesis"),
    "missing_field.json": ("$.conditions[0].summary", "required field is missing"),
    "missing_meta.json": ("$.meta", "required field is missing"),
    "moderate_without_rct.json": ("$.conditions[1].evidence.grade", "lower the grade"),
    "negative_n.json": ("$.sources[0].n", "greater than or equal to 1"),
    "not_utf8.json": ("18:22", "not valid UTF-8"),
    "reviewed_after_content_date.json": ("$.conditions[0].last_reviewed", "after the KB's content date 2025-06-30"),
    "top_level_array.json": ("$", "JSON object"),
    "truncated.json": ("12:40", "malformed JSON"),
    "unknown_kind_prefix.json": ("$.mechanisms[0].condition_ids[0]", "unknown kind 'disease'"),
    "unknown_source_id.json": ("$.conditions[0].evidence.source_ids[0]", "unknown id 'source:does-not-exist'"),
    "whitespace_only.json": ("", "empty"),
    "wrong_kind_reference.json": ("$.mechanisms[0].condition_ids[0]", "expected a condition"),
    "wrong_schema_version.json": ("$.schema_version", "'1'"),
    "wrong_type.json": ("$.sources[0].year", "valid integer"),
}


def test_invalid_corpus_is_fully_covered() -> None:
    assert sorted(p.name for p in INVALID.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_kb_invalid_file_names_file_and_location(name: str) -> None:
    location, fragment = EXPECTED[name]
    with pytest.raises(KbError) as info:
        load_kb(INVALID / name)
    err = info.value
    assert err.path == INVALID / name
    assert err.location == location
    assert fragment in err.message
    first = err.lines()[0]
    assert first.startswith(f"{INVALID / name}:")
    assert "Traceback" not in first


def test_load_kb_valid_mini_kb(mini_kb_path: Path) -> None:
    kb = load_kb(mini_kb_path)
    assert isinstance(kb, KnowledgeBase)
    assert kb.get("condition:crohns-disease") is not None


def test_load_kb_accepts_byte_order_mark(tmp_path: Path, mini_kb_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + mini_kb_path.read_bytes())
    assert load_kb(path).meta.kb_version == "0.1.0"


def test_load_kb_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KbError, match="file not found"):
        load_kb(tmp_path / "nope.json")


def test_load_kb_directory(tmp_path: Path) -> None:
    with pytest.raises(KbError, match="is a directory"):
        load_kb(tmp_path)


def test_load_kb_unreadable_file(tmp_path: Path, mini_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.json"
    path.write_bytes(mini_kb_path.read_bytes())

    real_open = os.open

    def deny(name: object, *args: object, **kwargs: object) -> int:
        if Path(str(name)) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)  # root can read anything, so simulate the denial
    with pytest.raises(KbError, match="cannot read: Permission denied"):
        load_kb(path)


def test_load_kb_refuses_huge_file_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:  # sparse: 50 MB of nothing, written instantly
        f.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_KB_BYTES
    with pytest.raises(KbError, match="MB"):
        load_kb(path)


def test_parse_kb_reports_several_problems(mini_kb_path: Path) -> None:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["conditions"][0]["evidence"]["grade"] = "strong"
    data["sources"][0]["pmid"] = "abc"
    with pytest.raises(KbError) as info:
        parse_kb(json.dumps(data).encode(), "x.json")
    locations = {p.location for p in info.value.problems}
    assert {"$.conditions[0].evidence.grade", "$.sources[0].pmid"} <= locations


def test_kb_is_immutable(mini_kb: KnowledgeBase) -> None:
    with pytest.raises(Exception, match="frozen"):
        mini_kb.conditions[0].title = "changed"  # type: ignore[misc]
    assert isinstance(mini_kb.conditions, tuple)
    assert isinstance(mini_kb.conditions[0].aliases, tuple)


def test_kb_digest_is_stable_and_content_sensitive(mini_kb_path: Path) -> None:
    a = load_kb(mini_kb_path)
    b = load_kb(mini_kb_path)
    assert kb_digest(a) == kb_digest(b)
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["conditions"][0]["title"] = "Crohn disease"
    assert kb_digest(parse_kb(json.dumps(data).encode())) != kb_digest(a)


def test_a_truncated_file_is_named_in_a_whole_sentence_with_line_and_column() -> None:
    """Fresh-eyes tester: "…:954:21: malformed JSON: Unterminated string starting at" stopped mid-sentence (json's
    message leaves out the position it names). The sentence names it, and says the file may be cut short."""
    with pytest.raises(KbError) as info:
        load_kb(INVALID / "truncated.json")
    assert info.value.location == "12:40"
    message = info.value.message
    assert message.startswith("malformed JSON: unterminated string starting at line 12, column 40;"), message
    assert "cut short" in message


def test_a_json_syntax_error_inside_the_file_names_its_line_and_column() -> None:
    with pytest.raises(KbError) as info:
        load_kb(INVALID / "malformed.json")
    message = info.value.message
    assert message == "malformed JSON: expecting property name enclosed in double quotes at line 5, column 3"
