"""The KB drug vocabulary models: members as drugs, products that must contain a member, markets, name sources."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from ldn_browser.core.drugs import Drug, NameSource, Product
from ldn_browser.core.entities import Interaction, KnowledgeBase
from ldn_browser.core.paths import default_kb_path


def _interaction(**changes: Any) -> dict[str, Any]:
    data = json.loads(default_kb_path().read_text(encoding="utf-8"))["interactions"][0]
    data.update(changes)
    return data


def test_a_bare_string_member_is_a_drug_with_a_name() -> None:
    entry = Interaction.model_validate(_interaction(members=["oxycodone"], products=[]))
    assert entry.members == (Drug(name="oxycodone"),)


def test_a_product_must_contain_one_of_the_entry_members() -> None:
    product = {"name": "Coumadin", "contains": ["warfarin"]}
    with pytest.raises(ValidationError, match="product 'Coumadin' contains warfarin, none of which is a member"):
        Interaction.model_validate(_interaction(products=[product]))


def test_a_product_name_is_listed_once() -> None:
    twice = [{"name": "Percocet", "contains": ["oxycodone"]}, {"name": "percocet", "contains": ["oxycodone"]}]
    with pytest.raises(ValidationError, match="listed twice"):
        Interaction.model_validate(_interaction(products=twice))


def test_markets_are_region_codes_and_sources_are_web_pages() -> None:
    with pytest.raises(ValidationError):
        Product(name="X", contains=("oxycodone",), markets=("EU (SE)",))
    with pytest.raises(ValidationError):
        NameSource(url="dailymed label", title="t")
    assert Product(name="X", contains=("oxycodone",), markets=("US", "IE")).display == "X (oxycodone)"


def test_display_names_show_other_names_and_notes() -> None:
    assert Drug(name="pethidine", synonyms=("meperidine",)).display == "pethidine (meperidine)"
    assert Drug(name="buprenorphine", note="analgesic patch").display == "buprenorphine (analgesic patch)"


def test_the_bundled_vocabulary_records_where_names_were_confirmed(bundled_kb: KnowledgeBase) -> None:
    products = [p for e in bundled_kb.interactions for p in e.products]
    confirmed = [p for p in products if p.source is not None]
    assert len(confirmed) >= 100
    assert all(p.source.url.startswith(("https://", "http://")) and p.source.checked_at for p in confirmed)
    carried = [p for p in products if p.source is None]
    assert all(p.note and "KB 1.1" in p.note for p in carried)  # carried over, and said so
    assert all(d.source is not None for d in bundled_kb.other_drugs)


def _naltrexone(**changes: Any) -> dict[str, Any]:
    data = json.loads(default_kb_path().read_text(encoding="utf-8"))
    data["naltrexone"].update(changes)
    return data


def test_a_naltrexone_product_must_contain_naltrexone() -> None:
    data = _naltrexone(products=[{"name": "Wellbutrin XL", "contains": ["bupropion"]}])
    with pytest.raises(ValidationError, match="product 'Wellbutrin XL' contains bupropion, none of which is a member"):
        KnowledgeBase.model_validate(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entry_id": "dosing:no-such-entry"}, "naltrexone.entry_id"),
        ({"entry_id": "source:naltrexone-label"}, "is not a clinical entry"),
        ({"source_ids": ["dosing:usual-range"]}, "naltrexone.source_ids"),
        ({"source_ids": ["source:does-not-exist"]}, "is not a source an action can rest on"),
        ({"source_ids": ["source:seed-s0"]}, "'source:seed-s0' is not a source an action can rest on"),  # lay
    ],
)
def test_the_naltrexone_declaration_links_an_entry_and_rests_on_sources(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        KnowledgeBase.model_validate(_naltrexone(**changes))


def test_the_naltrexone_declaration_needs_an_ldn_name_and_a_source() -> None:
    for changes in ({"ldn_names": []}, {"source_ids": []}):
        with pytest.raises(ValidationError):
            KnowledgeBase.model_validate(_naltrexone(**changes))
