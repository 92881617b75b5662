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


def test_a_table_header_row_is_no_medication(bundled_kb: KnowledgeBase) -> None:
    """Before: an Epic table's "End Date" offered Endone (oxycodone) as a close name: "treat it as an opioid"."""
    found = check_medications("Medication\tDose\tStart Date\tEnd Date\ncodeine 30mg\nEnd Date", bundled_kb)
    assert [f.input for f in found] == ["codeine 30mg"]


@pytest.mark.parametrize(
    ("line", "status", "drug"),
    [
        ("Codeine-free cough syrup (Benylin)", Status.NOT_RECOGNISED, None),
        ("Tramadol-free analgesic: paracetamol", Status.NO_DATA, "paracetamol"),
        ("sugar free codeine linctus", Status.INTERACTION, "codeine"),  # only the word before "free" is left out
    ],
)
def test_a_drug_a_product_is_free_of_is_not_on_the_line(
    bundled_kb: KnowledgeBase, line: str, status: Status, drug: str | None
) -> None:
    [found] = check_medications(line, bundled_kb)
    assert (found.status, found.drug) == (status, drug)
    assert not any("codein" in s.casefold() or "tramadol" in s.casefold() for s in found.suggestions)


@pytest.mark.parametrize(
    ("plain", "drug", "with_codeine"),
    [
        ("Nurofen 200mg", "ibuprofen", "Nurofen Plus"),
        ("Panamax 500mg", "paracetamol", "Panamax Co"),
        ("Pinex 500 mg", "paracetamol", "Pinex Forte"),
        ("Robaxacet caplets qid", "paracetamol", "Robaxacet-8"),  # ("Robaxacet 2" may be a numbered product)
    ],
)
def test_a_plain_brand_is_not_read_as_its_codeine_product(
    bundled_kb: KnowledgeBase, plain: str, drug: str, with_codeine: str
) -> None:
    """Before: "Robaxacet" was a typo of Robaxacet-8 (contraindicated); "Nurofen" offered only Nurofen Plus."""
    [found] = check_medications(plain, bundled_kb)
    assert (found.status, found.drug) == (Status.NO_DATA, drug) and not found.matched.startswith("typo")
    [codeine] = check_medications(with_codeine, bundled_kb)
    assert (codeine.status, codeine.drug) == (Status.INTERACTION, "codeine")


@pytest.mark.parametrize(
    ("line", "opioid"),
    [
        ("Rx# 4471825 OXYCOD/APAP 7.5-325 TB", "oxycodone"),  # US pharmacy-label shorthand
        ("HYDROCOD BIT/APAP 5-325", "hydrocodone"),
        ("APAP-COD #3", "codeine"),
    ],
)
def test_a_part_not_recognised_that_is_close_only_to_opioids_says_treat_it_as_one(
    bundled_kb: KnowledgeBase, line: str, opioid: str
) -> None:
    """Before: "Recognised only in part: APAP → paracetamol, but not “oxycod”", with no word of an opioid."""
    [found] = check_medications(line, bundled_kb)
    assert found.status is Status.NOT_RECOGNISED
    assert f"close to {opioid}" in found.action and "treat it as one until it is confirmed" in found.action
    assert found.suggestions == (tuple(found.suggestions[:1]))  # "TB" and "BIT" are grammar, not unknown words


def test_a_part_not_recognised_and_close_to_no_opioid_has_no_opioid_warning(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("omeprazole 20mg xyzzy", bundled_kb)
    assert found.status is Status.NOT_RECOGNISED and "treat it as one" not in found.action


@pytest.mark.parametrize(
    ("line", "status", "drug"),
    [
        ("Nurofen+", Status.INTERACTION, "codeine"),  # "+" is Plus: before, plain Nurofen (no data)
        ("nurofen + 2 tabs", Status.INTERACTION, "codeine"),
        ("morphine free base 10mg", Status.INTERACTION, "morphine"),  # "free base" is no "morphine-free"
        ("oxycodone free base 5 mg", Status.INTERACTION, "oxycodone"),
        ("naltrexone (TROXYCA ER) 10-1.2 MG", Status.NOT_RECOGNISED, None),  # Troxyca holds oxycodone
        ("Feminax Ultra", Status.NOT_RECOGNISED, None),  # before: "typo: ultra → Ultram", contraindicated
        ("Gaviscon Ultra 10ml", Status.NOT_RECOGNISED, None),
        ("penicillin", Status.NO_DATA, "phenoxymethylpenicillin"),  # a common word may still be a drug without data
    ],
)
def test_retest_lines(bundled_kb: KnowledgeBase, line: str, status: Status, drug: str | None) -> None:
    [found] = check_medications(line, bundled_kb)
    assert (found.status, found.drug) == (status, drug)
    assert not any(s.startswith("Ultra") for s in found.suggestions)  # no opioid close names for "ultra"


def test_still_taking_and_epic_headings_end_a_stopped_section(bundled_kb: KnowledgeBase) -> None:
    text = (
        "Stopped:\nmorphine 10mg\nStill taking:\noxycodone 5mg\n\nStopped:\ncodeine 30mg\n"
        "Current Outpatient Medications on File Prior to Visit\nhydromorphone 2mg\n"
        "Medication Sig Dispense Refill\nPatient's Medications\nMedication\tSig\tDispense\tRefill"
    )
    found = {f.input: f.details.written_as for f in check_medications(text, bundled_kb)}
    assert found == {"morphine 10mg": "past", "oxycodone 5mg": None, "codeine 30mg": "past", "hydromorphone 2mg": None}


# A fresh-eyes test of the medication check (7 Dec 2026): lead-ins in the middle of a line, drugs far apart.


def _noted(text: str, kb: KnowledgeBase) -> list[tuple[str | None, str | None]]:
    return [(f.drug, f.details.written_as) for f in check_medications(text, kb)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (  # before: every drug on the line was written as an allergy, the current Percocet too
            "Percocet 5/325 prn - sertraline 50mg - Allergies: penicillin",
            [("oxycodone", None), ("sertraline", None), ("phenoxymethylpenicillin", "allergy")],
        ),
        (
            "Meds: Percocet 5/325 prn, sertraline 50mg. Allergies: codeine (rash)",
            [("oxycodone", None), ("sertraline", None), ("codeine", "allergy")],
        ),
        ("Allergies: codeine. Meds: tramadol 50mg", [("codeine", "allergy"), ("tramadol", None)]),
        (
            "Tramadol 50mg qds Allergies: morphine, codeine",
            [("tramadol", None), ("morphine", "allergy"), ("codeine", "allergy")],
        ),
        ("sertraline 50mg | Stopped: oxycodone", [("sertraline", None), ("oxycodone", "past")]),
        ("Oxycodone 5mg prn codeine allergy", [("oxycodone", None), ("codeine", "allergy")]),
        ("Allergies: codeine (rash). Oxycodone 5mg prn", [("codeine", "allergy"), ("oxycodone", None)]),
        ("Allergies: penicillin. Tramadol 50mg", [("phenoxymethylpenicillin", "allergy"), ("tramadol", None)]),
        ("Stopped: morphine. Tramadol 50mg qds", [("morphine", "past"), ("tramadol", None)]),
        ("Oxycodone 5mg stopped Morphine 10mg bd", [("oxycodone", "past"), ("morphine", None)]),
    ],
)
def test_only_what_follows_an_allergy_or_stopped_lead_in_is_so(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, str | None]]
) -> None:
    assert _noted(line, bundled_kb) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Allergic to codeine and morphine", [("codeine", "allergy"), ("morphine", "allergy")]),
        ("codeine allergy: rash", [("codeine", "allergy")]),
        ("Known drug allergies: codeine", [("codeine", "allergy")]),
        ("Drug allergies: morphine, codeine", [("morphine", "allergy"), ("codeine", "allergy")]),
        ("Current meds: tramadol 50mg", [("tramadol", None)]),
    ],
)
def test_an_allergy_written_before_its_drugs_is_still_theirs(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, str | None]]
) -> None:
    assert _noted(line, bundled_kb) == expected


def test_ldn_written_beside_an_opioid_is_not_read_as_one_product(bundled_kb: KnowledgeBase) -> None:
    """Before: "morphine (morphine + naltrexone)", one finding, and the naltrexone line was lost."""
    found = check_medications("morphine 10mg naltrexone 4.5mg", bundled_kb)
    assert [(f.drug, f.status) for f in found] == [
        ("morphine", Status.INTERACTION),
        ("naltrexone", Status.SAME_DRUG),
    ]
    assert found[0].contains == ("morphine",)


@pytest.mark.parametrize(
    ("line", "contains"),
    [
        ("morphine/naltrexone", ("morphine", "naltrexone")),
        ("buprenorphine 8 mg / naloxone 2 mg", ("buprenorphine", "naloxone")),
        ("buprenorphine and naloxone film", ("buprenorphine", "naloxone")),
        ("Oxycodone 5 mg/paracetamol 325 mg", ("oxycodone", "paracetamol")),
    ],
)
def test_a_product_named_by_its_generics_together_is_still_one(
    bundled_kb: KnowledgeBase, line: str, contains: tuple[str, ...]
) -> None:
    [found] = check_medications(line, bundled_kb)
    assert tuple(c.casefold() for c in found.contains) == contains


def test_two_drugs_apart_on_a_line_are_not_shown_as_one_product(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("codeine tablets with tramadol 50mg", bundled_kb)
    assert found.product is None and found.also == ("tramadol",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("codeine (allergy) tramadol 50mg", [("codeine", "allergy"), ("tramadol", None)]),
        ("tramadol (stopped) oxycodone 5mg qds", [("tramadol", "past"), ("oxycodone", None)]),
        ("Stopped tramadol. Now on oxycodone 5mg", [("tramadol", "past"), ("oxycodone", None)]),
        ("Stopped: tramadol. oxycodone 5mg qds", [("tramadol", "past"), ("oxycodone", None)]),
        ("Stopped: tramadol Current: oxycodone 5mg", [("tramadol", "past"), ("oxycodone", None)]),
        ("Allergies: penicillin. morphine 10mg bd", [("phenoxymethylpenicillin", "allergy"), ("morphine", None)]),
        ("Allergies: nil known. morphine 10mg", [("morphine", None)]),
        ("Allergies - NKDA. Meds - morphine 10mg bd", [("morphine", None)]),
        ("ALLERGIES - NKDA. MEDS - morphine 10mg bd, tramadol 50mg", [("morphine", None), ("tramadol", None)]),
        ("Allergies: penicillin Meds: morphine 10mg", [("phenoxymethylpenicillin", "allergy"), ("morphine", None)]),
        (
            "sertraline 50mg | Allergies: penicillin | morphine 10mg bd",
            [("sertraline", None), ("phenoxymethylpenicillin", "allergy"), ("morphine", None)],
        ),
    ],
)
def test_a_current_opioid_is_not_read_as_an_allergy_or_stopped(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, str | None]]
) -> None:
    """A second fresh-eyes test (7 Dec 2026): each of these had marked the current opioid as an allergy or stopped."""
    assert [(f.drug, f.details.written_as) for f in check_medications(line, bundled_kb) if f.drug] == expected


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("Meds: naltrexone 4.5mg", Status.SAME_DRUG),
        ("Meds: sertraline", Status.NO_DATA),
        ("Current meds: sertraline 50mg", Status.NO_DATA),
        ("Repeat meds: sertraline 50mg", Status.NO_DATA),
    ],
)
def test_a_meds_lead_in_is_not_read_as_part_of_a_name(bundled_kb: KnowledgeBase, line: str, status: Status) -> None:
    """Before: "? Not recognised … not "meds"", which hid LDN's same-drug finding."""
    [found] = check_medications(line, bundled_kb)
    assert found.status is status


def test_a_full_stop_outside_a_lead_in_cuts_nothing(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("Oxycodone 5mg. Take one every 4 hours when needed.", bundled_kb)
    assert found.drug == "oxycodone" and found.input == "Oxycodone 5mg. Take one every 4 hours when needed."
    found = check_medications("Allergies: codeine. Rash and vomiting.", bundled_kb)
    assert [(f.drug, f.details.written_as) for f in found if f.drug] == [("codeine", "allergy")]


@pytest.mark.parametrize(
    ("line", "drug", "frequency"),
    [
        ("Humira 40mg q2wk", "adalimumab", "every 2 weeks"),  # before: "wk … may be another medication"
        ("Enbrel 50mg q1w", "etanercept", "weekly"),
        ("Methotrexate 15mg qwk", "methotrexate", "weekly"),
        ("Humira 40 mg every 2 weeks", "adalimumab", "every 2 weeks"),
    ],
)
def test_a_weekly_sig_is_read_as_a_frequency(bundled_kb: KnowledgeBase, line: str, drug: str, frequency: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert (found.status, found.drug, found.details.frequency) == (Status.NO_DATA, drug, frequency)


def test_a_strength_abbreviation_is_not_another_medication(bundled_kb: KnowledgeBase) -> None:
    """Before: "Tylenol ES" (extra strength) was recognised only in part ("not recognised: es")."""
    [found] = check_medications("Tylenol ES 500mg prn", bundled_kb)
    assert (found.status, found.drug) == (Status.NO_DATA, "paracetamol")


@pytest.mark.parametrize("line", ["kratom", "Kratom powder 2g tid", "mitragynine"])
def test_kratom_is_checked_as_an_opioid(bundled_kb: KnowledgeBase, line: str) -> None:
    """Before: "? Not recognised"; naltrexone precipitated withdrawal in an undisclosed kratom user (PMID 37448827)."""
    [found] = check_medications(line, bundled_kb)
    assert (found.status, found.entry_id, found.drug) == (Status.INTERACTION, "interaction:opioid-analgesics", "kratom")


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("dextromethorphan 30mg", "dextromethorphan"),
        ("DXM cough syrup", "dextromethorphan"),
        ("Yasmin 1 daily", "drospirenone"),
        ("ethinyl estradiol", "ethinylestradiol"),
        ("norethindrone 0.35mg", "norethisterone"),
        ("desogestrel 75mcg", "desogestrel"),
    ],
)
def test_common_drugs_without_data_are_recognised(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert (found.status, found.drug) == (Status.NO_DATA, drug)


def test_medications_cut_from_a_dashed_line_are_shown_without_the_dash(bundled_kb: KnowledgeBase) -> None:
    found = check_medications("Percocet 5/325 prn - sertraline 50mg - tramadol 50mg", bundled_kb)
    assert [f.input for f in found] == ["Percocet 5/325 prn", "sertraline 50mg", "tramadol 50mg"]


@pytest.mark.parametrize("line", ["Seen today with her daughter", "her tablets", "his usual meds"])
def test_a_word_of_a_sentence_offers_no_close_drug(bundled_kb: KnowledgeBase, line: str) -> None:
    """Before: "her" offered heroin ("treat it as one until it is confirmed") for a line of a clinic note."""
    [found] = check_medications(line, bundled_kb)
    assert found.status is Status.NOT_RECOGNISED and found.suggestions == ()


@pytest.mark.parametrize(("line", "close"), [("tram 50", "tramadol"), ("oxy 5mg", "oxycodone"), ("hero", "heroin")])
def test_shorthand_still_offers_its_drug(bundled_kb: KnowledgeBase, line: str, close: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert close in found.suggestions


def test_each_opioid_of_a_note_with_commas_gets_its_own_finding(bundled_kb: KnowledgeBase) -> None:
    """A second fresh-eyes test (7 Dec 2026): cut only at its commas, a note gave one finding per piece and the other
    opioids went into "also on this line" (and tramadol became a "tramadol patch" from the fentanyl beside it)."""
    note = (
        "Reviewed today, she takes tramadol 50mg up to four times a day. She also has a fentanyl 12 microgram patch "
        "and takes codeine linctus for cough. Stopped tapentadol last month. takes morphine. "
        "also oxycodone 5mg at night"
    )
    found = [(f.drug, f.details.written_as) for f in check_medications(note, bundled_kb) if f.drug]
    assert found == [
        ("tramadol", None),
        ("fentanyl", None),
        ("codeine", None),
        ("tapentadol", "past"),
        ("morphine", None),
        ("oxycodone", None),
    ]
    assert all(not f.also for f in check_medications(note, bundled_kb))
