"""Field limits (review D8): declared once in the models, visible in the generated JSON Schema, and every
text field accepts exactly its maximum. How fast ``check`` is on such a KB is a benchmark figure
(``benchmarks/reliability_bench.py``), not a timed test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel
from pydantic.functional_validators import AfterValidator

from ldn_browser.core import blocks
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import KbError, parse_kb
from ldn_browser.core.schema import export_json_schema


def _walk_schema(node: Any, where: str = "$") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") in ("string", "array"):
            out.append((where, node))
        for key, value in node.items():
            out += _walk_schema(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _walk_schema(value, f"{where}[{i}]")
    return out


def test_every_string_and_list_in_the_schema_is_bounded() -> None:
    schema = json.loads(export_json_schema())
    unbounded = []
    for where, node in _walk_schema(schema):
        if node["type"] == "array" and "maxItems" not in node:
            unbounded.append(where)
        if node["type"] == "string" and not ({"maxLength", "enum", "format", "const"} & node.keys()):
            unbounded.append(where)
    assert unbounded == []


@pytest.mark.parametrize(
    ("definition", "field", "limit"),
    [
        ("Source", "doi", blocks.MAX_DOI),
        ("Source", "id", blocks.MAX_ID),
        ("Source", "pmid", 9),
        ("Source", "pmcid", 12),
        ("RegisteredTrial", "registry_id", blocks.MAX_REGISTRY_ID),
        ("Source", "title", blocks.MAX_TITLE),
        ("Source", "summary", blocks.MAX_TEXT),
    ],
)
def test_identifier_and_text_limits_are_in_the_schema(definition: str, field: str, limit: int) -> None:
    schema = json.loads(export_json_schema())
    prop = schema["$defs"][definition]["properties"][field]
    found = [n.get("maxLength") for _, n in _walk_schema(prop) if n["type"] == "string"]
    assert limit in found, prop


# -- every text field at its maximum ---------------------------------------------------------------------


def _text_limit(metadata: list[Any]) -> int | None:
    """The max_length of a KB text type (Title, Alias, Text), recognised by its text validator."""
    if not any(isinstance(m, AfterValidator) and m.func is blocks._kb_text for m in metadata):
        return None
    return next(getattr(m, "max_length", None) for m in metadata if getattr(m, "max_length", None))


def _maximise(annotation: Any, metadata: list[Any], value: Any, seen: list[int]) -> Any:
    limit = _text_limit(metadata)
    if limit is not None and isinstance(value, str):
        seen.append(limit)
        return (value + " " + "x" * limit)[:limit]  # the words stay first, so searches still find them
    if hasattr(annotation, "__metadata__"):  # Annotated[str, ...] inside an Optional or a tuple
        return _maximise(get_args(annotation)[0], list(annotation.__metadata__), value, seen)
    origin = get_origin(annotation)
    if origin is Union or str(origin) == "types.UnionType":
        for arg in get_args(annotation):
            if arg is not type(None):
                return _maximise(arg, metadata, value, seen)
    if origin is tuple and isinstance(value, list):
        (item,) = [a for a in get_args(annotation) if a is not Ellipsis]
        return [_maximise(item, [], v, seen) for v in value]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        return _maximise_model(annotation, value, seen)
    return value


def _maximise_model(model: type[BaseModel], data: dict[str, Any], seen: list[int]) -> dict[str, Any]:
    out = dict(data)
    for name, field in model.model_fields.items():
        if name in out:
            out[name] = _maximise(field.annotation, list(field.metadata), out[name], seen)
    return out


def test_every_text_field_accepts_its_maximum_and_not_one_more(mini_kb_path: Path) -> None:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    seen: list[int] = []
    maximal = _maximise_model(KnowledgeBase, data, seen)
    assert {blocks.MAX_TITLE, blocks.MAX_ALIAS, blocks.MAX_TEXT} <= set(seen) and len(seen) >= 90  # all 94 texts
    kb = parse_kb(json.dumps(maximal).encode(), "maximal.json")
    assert len(kb.conditions[0].summary) == blocks.MAX_TEXT and len(kb.conditions[0].title) == blocks.MAX_TITLE
    one_more = json.loads(json.dumps(maximal))
    one_more["conditions"][0]["summary"] += "x"
    with pytest.raises(KbError, match="at most 20000 characters"):
        parse_kb(json.dumps(one_more).encode(), "too_long.json")


def test_longest_identifiers_are_accepted(mini_kb_path: Path) -> None:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["sources"][0]["doi"] = "10.1234/" + "x" * (blocks.MAX_DOI - 8)
    data["conditions"][0]["registered_trials"] = [
        {
            "registry_id": "NCT" + "0" * (blocks.MAX_REGISTRY_ID - 3),
            "title": "t",
            "checked": "2025-01-01",
            "seen_at": "x",
        }
    ]
    old_id = data["claims"][0]["id"]
    new_id = "claim:" + "a" * (blocks.MAX_ID - 6)
    text = json.dumps(data).replace(json.dumps(old_id), json.dumps(new_id))
    kb = parse_kb(text.encode(), "long_ids.json")
    assert kb.get(new_id) is not None
    too_long = text.replace(json.dumps(new_id), json.dumps(new_id + "a"))
    with pytest.raises(KbError, match="at most 120 characters"):
        parse_kb(too_long.encode(), "too_long_id.json")
