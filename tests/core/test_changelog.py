"""The KB changelog: an item names an entry or a part of the KB; the figures in the newest items match the KB."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from ldn_browser.core.blocks import ChangeItem
from ldn_browser.core.detail import render_whats_new
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.html import link


def _why(kb: KnowledgeBase, part: str) -> str:
    found = [i.why for r in kb.meta.changelog for i in r.items if i.part == part]
    assert len(found) == 1, part
    return found[0]


def _number(text: str, pattern: str) -> int:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return int(m.group(1))


@pytest.mark.parametrize(
    "fields",
    [{}, {"entry_id": "condition:crohns-disease", "part": "Patient leaflet"}],
)
def test_a_change_item_names_exactly_one_entry_or_part(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="exactly one of entry_id"):
        ChangeItem.model_validate({**fields, "change": "added", "why": "x"})
    assert ChangeItem(part="Wallet card", change="added", why="x").subject == "Wallet card"  # type: ignore[arg-type]


def test_whats_new_names_a_part_and_links_an_entry(bundled_kb: KnowledgeBase) -> None:
    html = render_whats_new(bundled_kb)
    for part in ("Patient leaflet", "Titration calendar", "Wallet card", "Naltrexone products"):
        assert f">{part}</td>" in html
    opioids = bundled_kb.get("interaction:opioid-analgesics")
    assert opioids is not None and link(opioids.id, opioids.title) in html


def test_the_patient_items_state_the_kb_figures(bundled_kb: KnowledgeBase) -> None:
    patient = bundled_kb.patient
    assert patient is not None
    leaflet = _why(bundled_kb, "Patient leaflet")
    assert _number(leaflet, r"(\d+) sections") == len(patient.sections)
    assert _number(leaflet, r"(\d+) explained terms") == len(patient.terms)
    calendar = _why(bundled_kb, "Titration calendar")
    limits = patient.titration.limits
    assert f"{limits.low_min_mg:g}-{limits.low_max_mg:g} mg" in calendar and f"{limits.standard_mg:g} mg" in calendar
    assert f"{patient.titration.defaults.start_mg:g} mg {patient.titration.defaults.time_of_day}" in calendar
    card = _why(bundled_kb, "Wallet card")
    assert all(field.casefold() in card.casefold() for field in patient.card.fields)


def test_the_vocabulary_items_state_the_kb_counts(bundled_kb: KnowledgeBase) -> None:
    products = _why(bundled_kb, "Medication vocabulary: products")
    counts = [len(e.products) for e in bundled_kb.interactions]
    assert _number(products, r"^(\d+) brand") == sum(counts)
    assert _number(products, r"in the (\d+) interaction entries") == len(bundled_kb.interactions)
    assert [int(n) for n in re.findall(r"[a-z] (\d+)[,)]", products)] == counts  # per entry, in KB order
    sourced = sum(p.source is not None for e in bundled_kb.interactions for p in e.products)
    assert _number(products, r"; (\d+) name the page") == sourced
    # the newest release that states the total of drugs without data (1.1.0 listed 115; 1.1.3 added 5)
    totals = r"(\d+) drugs with no interaction entry \((\d+) products\)"
    others = next(i.why for r in bundled_kb.meta.changelog for i in r.items if re.search(totals, i.why))
    total = re.search(totals, others)
    assert total and (int(total[1]), int(total[2])) == (
        len(bundled_kb.other_drugs), sum(len(d.products) for d in bundled_kb.other_drugs)
    ), others
    n = bundled_kb.naltrexone
    assert n is not None
    naltrexone = _why(bundled_kb, "Naltrexone products")
    assert _number(naltrexone, r"(\d+) products containing") == len(n.products)
    assert all(p.name in naltrexone for p in n.products)
