"""The sheet's structure read back from core (sheet_outline), and grades that read without colour."""

from __future__ import annotations

import html
import re

import pytest

from ldn_browser.core.entities import Grade, KnowledgeBase
from ldn_browser.core.sheet import SheetDocument, build_sheet, sheet_outline

_SYMBOLS = re.compile("[⊕◯]{4}")
_BY_SYMBOL = {g.symbol: g.label for g in Grade}


def _plain(doc: SheetDocument) -> str:
    body = doc.html[doc.html.index("<body>") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def grade_symbols_without_word(text: str) -> list[str]:
    """Every GRADE symbol run not next to its word ("Low ⊕⊕◯◯" or "⊕⊕◯◯ low"), with context."""
    bad = []
    for m in _SYMBOLS.finditer(text):
        word = _BY_SYMBOL[m[0]].lower()
        before = text[: m.start()].rstrip().lower()
        after = text[m.end() :].lstrip().lower()
        if not (before.endswith(word) or after.startswith(word)):
            bad.append(text[max(0, m.start() - 40) : m.end() + 10])
    return bad


def test_outline_lists_each_sheet_with_its_headings(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, ["condition:crohns-disease", "condition:fibromyalgia"], overview=True)
    outlines = sheet_outline(doc)
    assert [o.title for o in outlines] == ["LDN at a glance", "Crohn's disease", "Fibromyalgia"]
    crohns = outlines[1]
    assert crohns.headings == (
        "Crohn's disease",
        "Bottom line",
        "Key studies",
        "Dosing and titration",
        "Contraindications, precautions and interactions",
        "Side effects and their management",
        "References",
    )
    assert crohns.items[:2] == ("Clinician summary · low-dose", "Crohn's disease")
    assert all(len(item.split()) <= 4 or item in crohns.headings for item in crohns.items)
    for heading in crohns.headings:  # headings are items too, in the same order
        assert heading in crohns.items
    assert [h for h in crohns.items if h in crohns.headings] == list(crohns.headings)


def test_outline_matches_the_parts(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, ["condition:crohns-disease", "condition:fibromyalgia"], overview=True)
    assert [p.title for p in doc.parts] == [o.title for o in sheet_outline(doc)]
    for part in doc.parts:
        alone = SheetDocument(title=part.title, html=part.html, footer=doc.footer)
        assert "page-break-before" not in part.html
        assert sheet_outline(alone) == [o for o in sheet_outline(doc) if o.title == part.title]


@pytest.mark.parametrize("overview", [False, True])
def test_every_grade_reads_as_word_and_symbols(bundled_kb: KnowledgeBase, overview: bool) -> None:
    doc = build_sheet(bundled_kb, [c.id for c in bundled_kb.conditions], overview=overview)
    text = _plain(doc)
    assert _SYMBOLS.search(text)
    assert grade_symbols_without_word(text) == []
