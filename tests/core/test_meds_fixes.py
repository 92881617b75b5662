"""Medication lines from a fresh-eyes test (4 Dec 2026): decimal commas, tabs, sections, brand families."""

from __future__ import annotations

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import Status, check_medications


@pytest.mark.parametrize(
    ("line", "dose"),
    [
        ("Temgesic sublingual 0,2 mg", "0,2 mg"),  # read as "2 mg" before: ten times the dose
        ("Hydromorphon-HCl AL 2,6 mg", "2,6 mg"),
        ("Zopiclon 7,5 mg", "7,5 mg"),
    ],
)
def test_a_decimal_comma_is_part_of_the_dose(bundled_kb: KnowledgeBase, line: str, dose: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert found.input == line and found.details.dose == dose


def test_a_dose_after_a_tab_keeps_its_decimal_point(bundled_kb: KnowledgeBase) -> None:
    """Before: "2.5-5ml" lost its "2." as if it were list numbering ("5-5ml" in the table and the PDF)."""
    [found] = check_medications("Oramorph 10mg/5ml oral solution\t2.5-5ml every 4 hours when required", bundled_kb)
    assert "2.5-5ml every 4 hours" in found.input and found.drug == "morphine"


@pytest.mark.parametrize(("line", "drug"), [("1. oxycodone 5mg", "oxycodone"), ("2) tramadol 50mg", "tramadol")])
def test_list_numbering_is_still_stripped(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert found.drug == drug and found.input == line[3:]


def test_commas_between_medications_still_cut_the_line(bundled_kb: KnowledgeBase) -> None:
    found = check_medications("aspirin 75mg, omeprazole 20mg\ncodeine 30,paracetamol 500", bundled_kb)
    assert [f.drug for f in found] == ["aspirin", "omeprazole", "codeine", "paracetamol"]


def test_a_current_heading_or_lead_in_ends_a_stopped_section(bundled_kb: KnowledgeBase) -> None:
    """Before: every line after "Stopped:" up to a blank line read "Written as stopped", a "Continue:" list too."""
    text = "Stopped:\nmorphine 10mg\nRestarted: tramadol 50mg\n\nDiscontinued:\ncodeine 30mg\nContinue:\n"
    text += "oxycodone 5mg q4h\n\nPrevious medications:\nfentanyl patch\nAllergies: NKDA\nhydromorphone 2mg"
    found = {f.input: f.details.written_as for f in check_medications(text, bundled_kb)}
    assert found == {
        "morphine 10mg": "past",
        "Restarted: tramadol 50mg": None,
        "codeine 30mg": "past",
        "oxycodone 5mg q4h": None,
        "fentanyl patch": "past",
        "hydromorphone 2mg": None,
    }
    assert all(f.status is Status.INTERACTION for f in check_medications(text, bundled_kb))  # verdicts unchanged
