"""Detail-page HTML: escaping, internal links for every cross-reference, external links, staleness."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pytest

from ldn_browser.core import detail, pages
from ldn_browser.core.entities import KnowledgeBase, references
from ldn_browser.core.kb import KbError, parse_kb

HOSTILE = '<script>alert("x")</script> & <img src="https://evil.example/p.png">'


@pytest.fixture(scope="module")
def hostile_kb(mini_kb_path: Path) -> KnowledgeBase:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["meta"]["about"] = HOSTILE
    data["conditions"][0]["title"] = HOSTILE
    data["conditions"][0]["summary"] = HOSTILE
    data["conditions"][0]["evidence"]["rationale"] = HOSTILE
    data["conditions"][0]["studies"][0]["result"] = HOSTILE
    data["sources"][0]["title"] = HOSTILE
    data["claims"][0]["statement"] = HOSTILE
    return parse_kb(json.dumps(data).encode(), "hostile.json")


def test_render_escapes_all_kb_text(hostile_kb: KnowledgeBase) -> None:
    pages = [detail.render_target(hostile_kb, e.id) for e in hostile_kb.entries()]
    pages.append(detail.render_why(hostile_kb, "condition:crohns-disease"))
    pages.append(detail.render_overview(hostile_kb))
    for html in pages:
        assert "<script>" not in html
        assert "<img" not in html
        assert "evil.example" not in html or "&lt;img" in html
    assert "&lt;script&gt;" in detail.render_entry(hostile_kb, "condition:crohns-disease")


def test_every_cross_reference_is_an_internal_link(bundled_kb: KnowledgeBase) -> None:
    for entry in bundled_kb.entries():
        html = detail.render_entry(bundled_kb, entry.id)
        for _path, ref in references(entry):
            assert f'href="ldn:{ref}"' in html, (entry.id, ref)


def test_only_pubmed_pmc_and_doi_links_are_external(bundled_kb: KnowledgeBase) -> None:
    allowed = ("https://pubmed.ncbi.nlm.nih.gov/", "https://doi.org/", "https://pmc.ncbi.nlm.nih.gov/")
    for entry in bundled_kb.entries():
        for target in (entry.id, f"why:{entry.id}"):
            for link in re.findall(r'href="([^"]+)"', detail.render_target(bundled_kb, target)):
                assert link.startswith("ldn:") or link.startswith(allowed), link
    assert "src=" not in detail.render_overview(bundled_kb)


def test_source_page_has_pubmed_and_doi_links(mini_kb: KnowledgeBase) -> None:
    html = detail.render_entry(mini_kb, "source:smith2011-crohns-rct")
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21380937/"' in html
    assert 'href="https://doi.org/10.1007/s10620-011-1653-7"' in html
    assert 'href="ldn:condition:crohns-disease"' in html  # cited by


def test_condition_page_has_study_table_with_design_and_n(mini_kb: KnowledgeBase) -> None:
    html = detail.render_entry(mini_kb, "condition:crohns-disease")
    assert "Key studies" in html
    assert re.search(r"<td[^>]*>RCT</td>", html)
    assert re.search(r"<td[^>]*>40</td>", html)
    assert "Low&nbsp;⊕⊕◯◯" in html and "↑ Benefit" in html


def test_an_interaction_says_what_to_do_before_listing_its_products(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-04: on the opioid entry "What to do" came after ~25 lines of brand names (1.5 screens down)."""
    from ldn_browser.core.sheet_entries import interaction_sheet

    entry = bundled_kb.get("interaction:opioid-analgesics")
    html = detail.render_entry(bundled_kb, "interaction:opioid-analgesics")
    assert html.index("What to do") < html.index("What happens") < html.index("Products") < html.index("Percocet")
    sheet = interaction_sheet(bundled_kb, entry)  # type: ignore[arg-type]
    assert sheet.index("What to do") < sheet.index("Products:") < sheet.index("Percocet")


def test_inline_certainty_can_be_left_to_the_ui(mini_kb: KnowledgeBase) -> None:
    html = detail.render_target(mini_kb, "condition:crohns-disease", inline_certainty=False)
    assert "⊕⊕◯◯" not in html


def test_why_page_shows_rationale_and_sources(mini_kb: KnowledgeBase) -> None:
    html = detail.render_why(mini_kb, "condition:crohns-disease")
    assert "Two small RCTs" in html
    assert "Certainty: low, 2 of 4" in html
    assert 'href="ldn:source:smith2011-crohns-rct"' in html


@pytest.mark.parametrize("target", ["condition:nope", "why:source:smith2011-crohns-rct", "why:condition:nope"])
def test_unknown_or_ungraded_targets_render_a_message(mini_kb: KnowledgeBase, target: str) -> None:
    assert "No " in detail.render_target(mini_kb, target)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("ldn:condition:crohns-disease", "condition:crohns-disease"),
        ("ldn:why:dosing:x", "why:dosing:x"),
        ("ldn:", None),
        ("https://doi.org/1", None),
        ("file:///etc/passwd", None),
    ],
)
def test_parse_href(url: str, target: str | None) -> None:
    assert pages.parse_href(url) == target


@pytest.mark.parametrize(
    ("as_of", "today", "stale"),
    [
        (dt.date(2025, 6, 30), dt.date(2026, 6, 29), False),
        (dt.date(2025, 6, 30), dt.date(2026, 6, 30), True),
        (dt.date(2025, 1, 31), dt.date(2026, 1, 30), False),
        (dt.date(2025, 1, 31), dt.date(2026, 2, 28), True),
        (dt.date(2025, 6, 30), dt.date(2025, 1, 1), False),
    ],
)
def test_is_content_stale(as_of: dt.date, today: dt.date, stale: bool) -> None:
    assert pages.is_content_stale(as_of, today) is stale


def test_grade_legend_and_about(mini_kb: KnowledgeBase) -> None:
    legend = detail.render_grade_legend(mini_kb)
    for item in mini_kb.meta.grade_legend:
        assert item.grade.badge_text.replace(" ", "&nbsp;") in legend  # never split across lines
    about = detail.render_about(mini_kb, app_version="9.9")
    assert "0.1.0" in about and "30 Jun 2025" in about and "not a substitute" in about


def test_screen_pages_and_snippets_drop_bidi_overrides_like_paper(mini_kb_path: Path) -> None:
    """One cleaner for screen, snippets and paper: a right-to-left override never reaches any of them."""
    from ldn_browser.core.search import open_search_index
    from ldn_browser.core.sheet import build_sheet

    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["conditions"][0]["summary"] = "Crohn \u202etxet desrever\u202c and \u2066isolated\u2069 zero\u200bwidth words."
    data["conditions"][0]["title"] = "Crohn\u202e disease"
    with pytest.raises(KbError, match="U\\+202E"):  # refused at validation (D13) ...
        parse_kb(json.dumps(data).encode(), "bidi.json")
    kb = parse_kb(mini_kb_path.read_bytes(), "mini.json")  # ... and cleaned by every renderer all the same
    hostile = kb.conditions[0].model_copy(
        update={"summary": data["conditions"][0]["summary"], "title": "Crohn\u202e disease"}
    )
    kb = kb.model_copy(update={"conditions": (hostile, *kb.conditions[1:])})
    cid = kb.conditions[0].id
    outputs = [detail.render_entry(kb, cid), build_sheet(kb, [cid]).html]
    hit = open_search_index(kb, None).search("reversed OR desrever OR crohn").hits[0]
    outputs += [hit.snippet_html, hit.snippet_text]
    for text in outputs:
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b]", text), text[:200]


def test_partly_confirmed_sources_are_marked_where_they_are_cited(bundled_kb) -> None:  # type: ignore[no-untyped-def]
    """A grade resting on a source whose details were only partly confirmed says so on the page and on paper."""
    from ldn_browser.core.entry_pages import studies_table
    from ldn_browser.core.sheet import build_sheet
    from ldn_browser.core.vocab import PARTLY_CONFIRMED_NOTE, Verification

    fibro = bundled_kb.get("condition:fibromyalgia")
    partial = [st for st in fibro.studies if bundled_kb.source(st.source_id).verification is Verification.PARTIAL]
    assert partial  # INNOVA: journal and date not confirmed
    page = studies_table(bundled_kb, fibro)
    assert page.count("†") >= len(partial) + 1 and "only partly confirmed" in page
    sheet = build_sheet(bundled_kb, ["condition:fibromyalgia"]).html
    assert "†" in sheet and PARTLY_CONFIRMED_NOTE.split(" (")[0].replace("† ", "") in sheet
    full = [c for c in bundled_kb.conditions
            if c.studies and all(bundled_kb.source(s.source_id).verification is Verification.FULL for s in c.studies)]
    if full:
        assert "†" not in studies_table(bundled_kb, full[0])


def test_a_condition_with_a_review_of_trials_says_so_beside_its_trial_count(bundled_kb: KnowledgeBase) -> None:
    """Chronic pain read "Randomised trials among the key studies: 0" over a review pooling 7 RCTs (tester)."""
    from ldn_browser.core.sheet import build_sheet

    page = " ".join(re.sub(r"<[^>]+>", "", detail.render_entry(bundled_kb, "condition:chronic-pain")).split())
    assert "Randomised trials among the key studies: 0 · systematic reviews: 2 ·" in unescape(page)
    sheet = " ".join(re.sub(r"<[^>]+>", "", build_sheet(bundled_kb, ["condition:chronic-pain"]).html).split())
    assert "0 randomised trials among the key studies (and 2 systematic reviews);" in unescape(sheet)
    plain = " ".join(re.sub(r"<[^>]+>", "", detail.render_entry(bundled_kb, "condition:multiple-sclerosis")).split())
    assert "systematic reviews" not in plain.split("Key studies")[0]
