"""The KB's JSON Schema, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.paths import schema_path


def export_json_schema() -> str:
    """The JSON Schema of the knowledge base as formatted text (ends with a newline)."""
    schema = KnowledgeBase.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LDN Browser knowledge base"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: Path) -> None:
    """Write the schema to *path*.

    In the frozen bundle the models' source is not there to read field docstrings from, so the schema
    generated from them at build time (``resources/kb/ldn_kb.schema.json``, kept fresh by a test) is copied.
    """
    if getattr(sys, "frozen", False) and schema_path().is_file():
        path.write_bytes(schema_path().read_bytes())
        return
    path.write_text(export_json_schema(), encoding="utf-8")
