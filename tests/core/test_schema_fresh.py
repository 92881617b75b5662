"""The committed JSON Schema is generated from the models and must not go stale."""

from __future__ import annotations

import json

from ldn_browser.core.paths import schema_path
from ldn_browser.core.schema import export_json_schema


def test_committed_schema_matches_models() -> None:
    committed = schema_path().read_text(encoding="utf-8")
    assert committed == export_json_schema(), (
        "resources/kb/ldn_kb.schema.json is stale; regenerate it with "
        "`ldn-browser export-schema resources/kb/ldn_kb.schema.json`"
    )


def test_schema_forbids_extra_fields_and_lists_kinds() -> None:
    schema = json.loads(export_json_schema())
    assert schema["additionalProperties"] is False
    for name in ("conditions", "mechanisms", "contraindications", "side_effects", "dosing", "sources", "claims"):
        assert name in schema["properties"]
    grade = schema["$defs"]["Grade"]["enum"]
    assert grade == ["high", "moderate", "low", "very_low"]
