"""Search uses the KB drug vocabulary: a product finds its interaction entry, matched as "Percocet → oxycodone"."""

from __future__ import annotations

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.search import SearchIndex, open_search_index


@pytest.fixture(scope="module")
def index(bundled_kb: KnowledgeBase) -> SearchIndex:
    return open_search_index(bundled_kb, None)


@pytest.mark.parametrize(
    ("query", "entry_id", "note"),
    [
        ("Percocet", "interaction:opioid-analgesics", "Percocet → oxycodone"),
        ("percocet", "interaction:opioid-analgesics", "Percocet → oxycodone"),
        ("Longtec", "interaction:opioid-analgesics", "Longtec → oxycodone"),
        ("Tramacet", "interaction:opioid-analgesics", "Tramacet → tramadol"),
        ("Suboxone", "interaction:opioid-agonist-treatment", "Suboxone → buprenorphine"),
        ("Euthyrox", "interaction:thyroid-hormones", "Euthyrox → levothyroxine"),
        ("Advagraf", "interaction:immunosuppressants", "Advagraf → tacrolimus"),
        ("Lomotil", "interaction:opioid-antidiarrhoeals", "Lomotil → diphenoxylate"),
        ("Kapake", "interaction:opioid-analgesics", "Kapake → codeine"),
        ("Solpadol", "interaction:opioid-analgesics", "Solpadol → codeine"),
        ("Gee's linctus", "interaction:opioid-antitussives", "Gee's Linctus → morphine"),
        ("pholcodine", "interaction:opioid-antitussives", "generic “pholcodine”"),
    ],
)
def test_a_product_name_finds_its_entry_and_says_what_it_contains(
    index: SearchIndex, query: str, entry_id: str, note: str
) -> None:
    hits = index.search(query).hits
    assert hits and hits[0].entity_id == entry_id
    assert note in hits[0].matched


def test_every_product_reaches_its_search_document(index: SearchIndex, bundled_kb: KnowledgeBase) -> None:
    for entry in bundled_kb.interactions:
        text = index.texts[entry.id]
        notes = dict(text.name_notes)
        for product in entry.products:
            assert product.name in text.aliases
            assert notes[product.name].startswith(f"{product.name} → ")


def test_a_lay_alias_still_explains_itself_as_an_alias(index: SearchIndex) -> None:
    hits = index.search("MOUD").hits
    assert hits and hits[0].entity_id == "interaction:opioid-agonist-treatment"
    assert "alias “MOUD”" in hits[0].matched


@pytest.mark.parametrize("product", ["Contrave", "Mysimba", "Revia", "Vivitrol"])
def test_a_naltrexone_product_finds_the_entry_the_medication_check_links(
    index: SearchIndex, bundled_kb: KnowledgeBase, product: str
) -> None:
    assert bundled_kb.naltrexone is not None
    hits = index.search(product).hits
    assert hits and hits[0].entity_id == bundled_kb.naltrexone.entry_id
    assert f"{product} → naltrexone" in hits[0].matched
