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


def _written(text: str, kb: KnowledgeBase) -> list[tuple[str | None, str | None]]:
    return [(f.drug, f.details.written_as) for f in check_medications(text, kb)]


@pytest.mark.parametrize(
    "heading",
    [
        "Outpatient Medications Marked as Taking for the 11/20/26 encounter (from the past 720 hour(s))",
        "Repeat Templates",
        "Acute Issues",
        "Medicines to take home",
        "Medications started this admission",
        "Changes to medication:",
        "New medications started:",
    ],
)
def test_a_section_of_current_medicines_ends_a_stopped_section(bundled_kb: KnowledgeBase, heading: str) -> None:
    """Epic's and SystmOne's next heading had not ended "Discontinued Medications": a current oxycodone read as past."""
    text = f"Discontinued Medications\ntramadol 50 MG tablet\n{heading}\noxycodone 5 MG tablet every 4 hours prn"
    assert _written(text, bundled_kb) == [("tramadol", "past"), ("oxycodone", None)]


@pytest.mark.parametrize("heading", ["Medicines stopped:", "Medications stopped", "Medicines stopped on admission:"])
def test_a_discharge_letters_stopped_heading_opens_a_stopped_section(bundled_kb: KnowledgeBase, heading: str) -> None:
    assert _written(f"{heading}\nCo-codamol 30/500 2 qds", bundled_kb) == [("codeine", "past")]


@pytest.mark.parametrize(
    "line",
    [
        "Stopped: tramadol, codeine",
        "Previously tried: tramadol, codeine",
        "Previous analgesics tried: tramadol, codeine",
    ],
)
def test_every_item_after_a_stopped_lead_is_stopped(bundled_kb: KnowledgeBase, line: str) -> None:
    """Only the first item had read as stopped; codeine after the comma read as current."""
    assert _written(line, bundled_kb) == [("tramadol", "past"), ("codeine", "past")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("No known drug allergies - takes codeine linctus at night", [("codeine", None)]),
        ("NKDA - on tramadol 50mg bd", [("tramadol", None)]),
        ("Allergic to codeine; takes tramadol 50mg prn", [("codeine", "allergy"), ("tramadol", None)]),
    ],
)
def test_a_medicine_beside_no_allergy_or_after_an_allergy_is_taken(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, str | None]]
) -> None:
    """ "No known drug allergies" had made a current codeine an allergy, and "takes tramadol" joined the allergy."""
    assert _written(line, bundled_kb) == expected


@pytest.mark.parametrize("line", ["low dose naltraxone 4.5mg", "ld naltrexone 3mg", "Naltrexon 4,5 mg zur Nacht"])
def test_ldn_written_loosely_is_the_same_drug(bundled_kb: KnowledgeBase, line: str) -> None:
    """ "low" and "LD" had been "another medication" beside the patient's LDN."""
    [found] = check_medications(line, bundled_kb)
    assert (found.drug, found.status) == ("naltrexone", Status.SAME_DRUG)


def test_epics_no_medications_on_file_line_gives_no_item(bundled_kb: KnowledgeBase) -> None:
    """It had offered Filnarine SR (a morphine brand) as a close name: "treat it as an opioid"."""
    assert check_medications("No current facility-administered medications on file prior to visit.", bundled_kb) == ()


def test_t_hash_3_is_tylenol_number_3(bundled_kb: KnowledgeBase) -> None:
    """ "T#3 x2" (Canadian notes) had been "not recognised"; "T3" alone stays unrecognised (also liothyronine)."""
    [found] = check_medications("T#3 x2", bundled_kb)
    assert (found.drug, found.status) == ("codeine", Status.INTERACTION)


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("Low dose naltrexone 4.5mg (for MS)", "naltrexone"),
        ("Gabapentin 300mg tds (MS pain)", "gabapentin"),
        ("Ibuprofen 400mg tds (AKI)", "ibuprofen"),
        ("Penicillin - anaphylaxis", "phenoxymethylpenicillin"),
    ],
)
def test_what_a_medicine_is_for_is_no_other_medication(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    """ "MS" after "for" or before a symptom is multiple sclerosis, and AKI or anaphylaxis a note: all had been
    "recognised only in part … may be another medication"."""
    [found] = check_medications(line, bundled_kb)
    assert found.drug is not None and found.drug.startswith(drug) and found.status is not Status.NOT_RECOGNISED


def test_ms_alone_offers_morphine_and_says_to_treat_it_as_one(bundled_kb: KnowledgeBase) -> None:
    """ "MS 10 q4h" (morphine sulfate in notes) had been "not recognised" with no close name and no opioid warning;
    it stays unsure (never read as safe: MS is also multiple sclerosis)."""
    [found] = check_medications("MS 10 q4h", bundled_kb)
    assert found.status is Status.NOT_RECOGNISED
    assert found.suggestions == ("morphine",) and "Every close name is an opioid" in found.action


def test_after_no_allergies_the_medicines_named_are_taken(bundled_kb: KnowledgeBase) -> None:
    """ "Allergies: none. Meds: tramadol 50mg qds" had made the tramadol an allergy."""
    assert _written("Allergies: none. Meds: tramadol 50mg qds", bundled_kb) == [("tramadol", None)]
    assert _written("Allergies: codeine (rash), penicillin", bundled_kb)[0] == ("codeine", "allergy")
