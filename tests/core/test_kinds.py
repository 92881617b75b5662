"""The kind registry is complete: every kind declares every part, and everything else derives from it."""

from __future__ import annotations

import dataclasses

import pytest

from ldn_browser.core import validators
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kinds import KIND_SPECS, KindSpec, spec
from ldn_browser.core.search.documents import entry_text
from ldn_browser.core.search.ranking import KIND_PRIOR
from ldn_browser.core.vocab import Kind

REQUIRED = [f.name for f in dataclasses.fields(KindSpec)]


def _missing_parts(kind: Kind) -> list[str]:
    """What a kind lacks, in words a developer can act on."""
    if kind not in KIND_SPECS:
        return [f"a KindSpec for {kind.value!r} in ldn_browser/core/kinds.py KIND_SPECS"]
    s = KIND_SPECS[kind]
    missing = [f"{kind.value}: KindSpec.{name}" for name in REQUIRED if getattr(s, name) in (None, (), "")]
    if s.model.KIND is not kind:
        missing.append(f"{kind.value}: model {s.model.__name__}.KIND is {s.model.KIND.value!r}")
    if kind not in {k for _n, k in KnowledgeBase.entry_lists()}:
        missing.append(f"{kind.value}: a tuple[{s.model.__name__}, ...] list field on KnowledgeBase (entities.py)")
    if kind.value not in validators.KINDS:
        missing.append(f"{kind.value}: id prefix in validators.KINDS")
    try:
        kind.label, kind.plural, kind.noun(1)  # noqa: B018 - the labels must exist
    except KeyError:
        missing.append(f"{kind.value}: labels in vocab._KIND_LABELS")
    if not s.columns or s.columns[0].shows_grade:
        missing.append(f"{kind.value}: a first list column naming the entry")
    if s.graded and not any(c.shows_grade for c in s.columns):
        missing.append(f"{kind.value}: a grade column (the kind is graded)")
    return missing


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_declares_every_part(kind: Kind) -> None:
    assert _missing_parts(kind) == []


def test_registry_has_no_kind_the_vocabulary_lacks() -> None:
    assert list(KIND_SPECS) == list(Kind)
    assert [k for _, k in KnowledgeBase.entry_lists()] == list(Kind)


def test_completeness_check_names_a_missing_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(KIND_SPECS, Kind.CLAIM)
    assert _missing_parts(Kind.CLAIM) == ["a KindSpec for 'claim' in ldn_browser/core/kinds.py KIND_SPECS"]
    with pytest.raises(KeyError, match="not in the kind registry"):
        spec(Kind.CLAIM)


def test_completeness_check_names_a_missing_part(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dataclasses.replace(KIND_SPECS[Kind.DOSING], columns=())
    monkeypatch.setitem(KIND_SPECS, Kind.DOSING, broken)
    assert "dosing: KindSpec.columns" in _missing_parts(Kind.DOSING)


@pytest.mark.parametrize("kind", list(Kind))
def test_graded_flag_matches_the_entries(bundled_kb: KnowledgeBase, kind: Kind) -> None:
    entries = bundled_kb.entries(kind)
    assert entries, f"the bundled KB has no {kind.value} to check"
    assert all((e.certainty_info is not None) is spec(kind).graded for e in entries)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_page_sheet_and_search_document(bundled_kb: KnowledgeBase, kind: Kind) -> None:
    from ldn_browser.core.entry_pages import PageOptions

    entry = bundled_kb.entries(kind)[0]
    s = spec(kind)
    page = s.render_page(bundled_kb, entry, PageOptions())
    sheet = s.render_sheet(bundled_kb, entry)
    doc = entry_text(entry)
    assert "<h3" in page  # at least one section
    assert "<h1>" in sheet and entry.title.split()[0].replace("'", "&#x27;") in sheet
    assert doc.title == entry.title and doc.summary
    assert KIND_PRIOR[kind] == s.search_prior


def test_list_key_is_derived_from_the_kb_fields() -> None:
    assert spec(Kind.SIDE_EFFECT).list_key == "side_effects"
    assert spec(Kind.DOSING).list_key == "dosing"
