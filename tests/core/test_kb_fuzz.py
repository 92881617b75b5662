"""Random mutations of a valid KB either validate or raise the one KB error type."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import KbError, parse_kb

MINI = json.loads((Path(__file__).parents[1] / "data" / "mini_kb.json").read_text(encoding="utf-8"))

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "high",
            "moderate",
            "rct",
            "source:smith2011-crohns-rct",
            "condition:fibromyalgia",
            "lay_article",
            "2025-01-01",
            "10.1000/x",
            "PMC1",
            "<script>alert(1)</script>",
        ]
    ),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


ALL_PATHS = [p for p in _paths(MINI) if p]


def _apply(doc: Any, path: tuple[Any, ...], action: str, value: Any) -> None:
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    elif action == "add_key" and isinstance(parent[key], dict):
        parent[key]["unexpected"] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "duplicate", "add_key"]), _values),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_kb_validates_or_raises_kb_error(mutations: list[tuple[tuple[Any, ...], str, Any]]) -> None:
    doc = copy.deepcopy(MINI)
    for path, action, value in mutations:
        try:
            _apply(doc, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or changed this path
    raw = json.dumps(doc).encode()
    try:
        kb = parse_kb(raw, "mutated.json")
    except KbError as e:
        assert e.problems and all(line.startswith("mutated.json") for line in e.lines())
    else:
        assert isinstance(kb, KnowledgeBase)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_kb_error(raw: bytes) -> None:
    try:
        parse_kb(raw, "bytes.json")
    except KbError as e:
        assert e.lines()[0].startswith("bytes.json")
