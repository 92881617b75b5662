"""The KB's JSON Schema, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from ldn_browser.core.entities import KnowledgeBase


def export_json_schema() -> str:
    """The JSON Schema of the knowledge base as formatted text (ends with a newline)."""
    schema = KnowledgeBase.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "LDN Browser knowledge base"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schema(path: Path) -> None:
    """Write the schema to *path*."""
    path.write_text(export_json_schema(), encoding="utf-8")
