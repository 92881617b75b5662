"""Core HTML for narrow panes (columns or stacked cards), the safety box, the start page and citations."""

from __future__ import annotations

import re
from html import unescape

from ldn_browser.core import detail
from ldn_browser.core.citations import page_sources, parse_ris, ris, vancouver
from ldn_browser.core.entities import KnowledgeBase, Source
from ldn_browser.core.html import MIN_COLUMN_CHARS, column_widths, table
from ldn_browser.core.start_page import WHATS_NEW_ROWS, render_start

CROHNS = "condition:crohns-disease"


def test_wide_enough_keeps_columns_each_at_least_the_minimum() -> None:
    rows = [["a", "b", "c"]]
    widths = column_widths(["One", "Two", "Three"], rows, [50, 0, -1], 100)
    assert widths is not None and sum(widths) <= 100
    assert all(w * 100 / 100 >= MIN_COLUMN_CHARS for w in widths)  # 100 characters wide: percent = characters


def test_a_long_word_raises_its_column_minimum() -> None:
    word = "x" * 30
    assert column_widths(["A", "B"], [[word, "y"]], [50, 50], 40) is None  # 30 + 12 + rules > 40
    widths = column_widths(["A", "B"], [[word, "y"]], [10, 90], 80)
    assert widths is not None and widths[0] * 80 / 100 >= 30


def test_too_narrow_becomes_stacked_cards() -> None:
    html = table(["Study", "Design", "Result"], [["<b>S1</b>", "RCT", "better"]], [30, 0, 70], width_chars=30)
    assert "<th" not in html
    assert "<i>Design:</i> RCT" in html and "<i>Result:</i> better" in html
    assert "<th" in table(["Study", "Design", "Result"], [["S1", "RCT", "better"]], [30, 0, 70], width_chars=200)
    assert "<th" in table(["Study", "Design", "Result"], [["S1", "RCT", "better"]], [30, 0, 70])  # sheets, CLI


def test_condition_page_studies_stack_when_narrow(bundled_kb: KnowledgeBase) -> None:
    wide = detail.render_target(bundled_kb, CROHNS, width_chars=200)
    narrow = detail.render_target(bundled_kb, CROHNS, width_chars=60)
    assert "<th align='left' width=" in wide and ">Result</th>" in wide
    assert ">Result</th>" not in narrow
    crohns = bundled_kb.get(CROHNS)
    assert crohns is not None
    assert narrow.count("<i>Result:</i>") == len(crohns.studies)  # one card per study
    assert narrow.count("<i>Direction:</i>") == len(crohns.studies)


def test_every_condition_page_opens_with_the_opioid_safety_box(bundled_kb: KnowledgeBase) -> None:
    point = bundled_kb.meta.safety_points[0]
    assert "opioid" in point.text.lower()
    for condition in bundled_kb.conditions:
        html = detail.render_target(bundled_kb, condition.id, inline_certainty=False)
        box = html.index("Before prescribing")
        assert box < html.index("Bottom line"), condition.id
        assert f'href="ldn:{point.entry_id}"' in html[box : html.index("Bottom line")]
    assert "Before prescribing" in detail.render_overview(bundled_kb)


def test_start_page(bundled_kb: KnowledgeBase) -> None:
    html = unescape(render_start(bundled_kb, recent=[CROHNS], bookmarks=["source:smith2011-crohns-rct"]))
    release = bundled_kb.meta.changelog[0]
    assert f"What's new in KB {release.version}" in html
    assert 'href="ldn:condition:crohns-disease"' in html and 'href="ldn:source:smith2011-crohns-rct"' in html
    assert "Ctrl+K" in html
    assert len(re.findall(r"<tr>", html.split("What's new")[1])) == 1 + min(WHATS_NEW_ROWS, len(release.items))
    assert "Nothing viewed yet" in render_start(bundled_kb)


def test_ris_round_trip_of_a_condition_page(bundled_kb: KnowledgeBase) -> None:
    crohns = bundled_kb.get(CROHNS)
    assert crohns is not None
    sources = page_sources(bundled_kb, crohns)
    assert len(sources) >= 3
    text = ris(sources)
    assert text.endswith("ER  - \r\n")
    records = parse_ris(text)
    assert [r["ID"] for r in records] == [[s.id] for s in sources]
    for record, s in zip(records, sources, strict=True):
        assert record["TI"] == [s.title]
        assert record.get("AU", []) == list(s.authors)
        assert record.get("PY", []) == ([str(s.year)] if s.year else [])
        assert record.get("DO", []) == ([s.doi] if s.doi else [])


def test_vancouver_leaves_out_what_a_source_lacks(bundled_kb: KnowledgeBase) -> None:
    for s in bundled_kb.sources:
        text = vancouver(s)
        assert s.title.rstrip(".") in text
        assert ("doi:" in text) == bool(s.doi)
        assert ("PMID:" in text) == bool(s.pmid)
        assert ("et al." in text) == (len(s.authors) > 6)
    page = detail.render_target(bundled_kb, "source:smith2011-crohns-rct")
    assert 'href="ldn:cite:source:smith2011-crohns-rct"' in page
    assert isinstance(bundled_kb.get("source:smith2011-crohns-rct"), Source)
