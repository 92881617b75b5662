"""Medication lines from GP printouts and discharge letters (fresh-eyes test, session 40), each failing before."""

from __future__ import annotations

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import Status, check_medications


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("Naproxen 500mg tablets  1 bd  12-Sep-2026", "naproxen"),  # "sep" was another medication
        ("Amitriptyline 10mg tablets Issued: 14 Nov 2026", "amitriptyline"),
        ("Methotrexate 15mg weekly (Jun 2026)", "methotrexate"),
        ("Pregabalin 75mg bd  last issue 2 June 2026", "pregabalin"),
        ("Lansoprazole 30mg od  started Sep 12, 2026", "lansoprazole"),
        ("Folic acid 5mg weekly  Mar-26", "folic acid"),
    ],
)
def test_a_date_with_its_month_named_is_no_medication(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert (found.drug, found.status) == (drug, Status.NO_DATA), found.action


@pytest.mark.parametrize("text", ["Ended 01-Mar-2026", "03 Mar 2025", "Reviewed: 3rd March 2026"])
def test_a_date_alone_gives_no_item(bundled_kb: KnowledgeBase, text: str) -> None:
    """ "Mar" had been a close name of Marol (a tramadol brand): "treat it as an opioid" for a date."""
    assert check_medications(text, bundled_kb) == ()


def test_a_month_is_still_a_drug_name_where_it_is_one(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("Marol 50mg bd", bundled_kb)
    assert found.drug == "tramadol"


def test_a_date_after_a_comma_stays_part_of_its_medication(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("Adcal-D3 chewable tablets, 1 bd, 03 Mar 2025", bundled_kb)
    assert found.input == "Adcal-D3 chewable tablets, 1 bd, 03 Mar 2025" and "Marol" not in found.action
