"""The medication check: every product family, line grammar, combinations, typos, honest answers, order, bad input."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.med_grammar import (
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    MAX_LINE_CHARS,
    is_grammar,
    key,
    parse_details,
    split_items,
    tokens,
)
from ldn_browser.core.medications import (
    Status,
    badge_text,
    brief_action,
    check_medications,
    no_data_message,
    short_action,
    summary_counts,
    summary_text,
    vocabulary,
)
from ldn_browser.core.pages import format_date
from ldn_browser.core.vocab import Severity

CASES_FILE = Path(__file__).parents[1] / "data" / "meds-cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]
OPIOIDS = "interaction:opioid-analgesics"
COUGH = "interaction:opioid-antitussives"


def one(kb: KnowledgeBase, line: str):  # type: ignore[no-untyped-def]
    findings = check_medications(line, kb)
    assert len(findings) == 1, findings
    return findings[0]


# -- the clinicians' case file -------------------------------------------------------------------


def test_case_file_is_large_and_covers_every_interaction_entry(bundled_kb: KnowledgeBase) -> None:
    assert len(CASES) >= 150
    assert bundled_kb.naltrexone is not None
    linked = {c["entry_id"] for c in CASES} - {None, bundled_kb.naltrexone.entry_id}
    assert linked == {e.id for e in bundled_kb.interactions}
    assert {c["status"] for c in CASES} == {"interaction", "same_drug", "no_data", "not_recognised"}
    assert any(c["pasted"] != c["input"] for c in CASES)  # bullets and numbering as pasted


def test_case_file_pasted_as_one_list_gives_one_finding_per_line_in_order(bundled_kb: KnowledgeBase) -> None:
    text = "\n".join(c["pasted"] for c in CASES)
    findings = check_medications(text, bundled_kb)
    assert len(findings) == len(CASES)
    for number, (case, found) in enumerate(zip(CASES, findings, strict=True), 1):
        got = (found.line, found.input, found.status.value, found.drug, found.entry_id)
        assert got == (number, case["input"], case["status"], case["drug"], case["entry_id"]), case["pasted"]
        assert (found.severity.value if found.severity else None) == case["severity"], case["pasted"]


# -- every name in the vocabulary -----------------------------------------------------------------


def test_every_product_maps_to_its_entry(bundled_kb: KnowledgeBase) -> None:
    checked = 0
    for entry in bundled_kb.interactions:
        for product in entry.products:
            found = one(bundled_kb, f"{product.name} one tab bd")  # no digit: "Lenoltec 1" is Lenoltec No. 1
            assert found.entry_id == entry.id, product.name
            assert found.severity is entry.severity
            assert found.product is not None and key(tokens(found.product)) == key(tokens(product.name))
            assert found.drug in {m.name for m in entry.members}
            assert found.action == entry.action and found.sources
            checked += 1
    assert checked >= 100


def test_every_generic_other_name_and_salt_maps_to_an_entry_covering_it(bundled_kb: KnowledgeBase) -> None:
    for entry in bundled_kb.interactions:
        for member in entry.members:
            for name in (*member.names, *member.salts):
                if "," in name:
                    continue  # "thyroid, porcine": a comma separates medications when typed
                found = one(bundled_kb, f"{name} 10 mg od")
                assert found.drug == member.name, name
                assert entry.id in (found.entry_id, *found.other_entries), name


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("tramadol", OPIOIDS), ("tapentadol", OPIOIDS), ("codeine", OPIOIDS), ("dihydrocodeine", OPIOIDS),
        ("hydrocodone", OPIOIDS), ("oxycodone", OPIOIDS), ("hydromorphone", OPIOIDS), ("morphine", OPIOIDS),
        ("oxymorphone", OPIOIDS), ("fentanyl", OPIOIDS), ("pethidine", OPIOIDS), ("meperidine", OPIOIDS),
        ("levorphanol", OPIOIDS), ("pentazocine", OPIOIDS), ("nalbuphine", OPIOIDS), ("butorphanol", OPIOIDS),
        ("buprenorphine", OPIOIDS), ("methadone", "interaction:opioid-agonist-treatment"),
        ("codeine linctus", "interaction:opioid-antitussives"), ("loperamide", "interaction:opioid-antidiarrhoeals"),
        ("diphenoxylate", "interaction:opioid-antidiarrhoeals"), ("thioridazine", "interaction:thioridazine"),
        ("levothyroxine", "interaction:thyroid-hormones"), ("liothyronine", "interaction:thyroid-hormones"),
        ("desiccated thyroid", "interaction:thyroid-hormones"), ("tacrolimus", "interaction:immunosuppressants"),
        ("ciclosporin", "interaction:immunosuppressants"), ("disulfiram", "interaction:disulfiram"),
    ],
)  # fmt: skip
def test_each_family_of_the_issue_is_recognised(bundled_kb: KnowledgeBase, name: str, entry_id: str) -> None:
    assert one(bundled_kb, name).entry_id == entry_id


def test_every_other_drug_says_no_data_honestly(bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.other_drugs
    for drug in bundled_kb.other_drugs:
        for name in (*drug.names, *(p.name for p in drug.products)):
            found = one(bundled_kb, f"{name} 5 mg")
            assert (found.status, found.drug, found.entry_id, found.severity) == (Status.NO_DATA, drug.name, None, None)
            assert found.action == no_data_message(bundled_kb, drug.name)


def test_no_data_message_names_the_drug_and_the_content_date(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "warfarin 5mg")
    assert found.action == (
        f"No LDN interaction data for warfarin in this knowledge base (content as of "
        f"{format_date(bundled_kb.meta.content_as_of)}): this is not evidence that none exists."
    )
    assert badge_text(found) == "○ No data" and found.sources == ()


def test_the_vocabulary_holds_no_grammar_word(bundled_kb: KnowledgeBase) -> None:
    """Drug names are data and grammar is code: no name in the KB is a dose, unit, form or frequency word."""
    assert not [k for k in vocabulary(bundled_kb).names if is_grammar(k)]


# -- combinations, salts, forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "drug", "product", "contains"),
    [
        ("co-codamol 30/500 2 qds prn", "codeine", "co-codamol", ("codeine", "paracetamol")),
        ("Tylenol #3 1-2 tabs q4-6h", "codeine", None, ("codeine", "paracetamol")),
        ("Percocet 5/325", "oxycodone", "Percocet", ("oxycodone", "paracetamol")),
        ("oxycodone/paracetamol 5/325", "oxycodone", "oxycodone + paracetamol", ("oxycodone", "paracetamol")),
        ("oxycodone hydrochloride 10mg", "oxycodone", "oxycodone hydrochloride", ("oxycodone",)),
        ("oxycodone HCl 10mg", "oxycodone", "oxycodone hydrochloride", ("oxycodone",)),
        ("fentanyl patch 25 mcg/h", "fentanyl", "fentanyl patch", ("fentanyl",)),
        ("oxycodone 5mg tablets", "oxycodone", None, ("oxycodone",)),
    ],
)
def test_combinations_salts_and_forms(
    bundled_kb: KnowledgeBase, line: str, drug: str, product: str | None, contains: tuple[str, ...]
) -> None:
    found = one(bundled_kb, line)
    assert found.drug == drug and found.contains == contains
    if product is not None:
        assert found.product == product
    elif "Tylenol" in line:
        assert found.product is not None and found.product.startswith("Tylenol")
    else:
        assert found.product is None


@pytest.mark.parametrize(
    ("line", "product", "drug"),
    [
        ("Xtampza 18mg bd", "Xtampza ER", "oxycodone"),
        ("hysingla 30 mg mane", "Hysingla ER", "hydrocodone"),
        ("Tuzistra 5 ml bd", "Tuzistra XR", "codeine"),
        ("Astagraf 3mg od", "Astagraf XL", "tacrolimus"),
        ("xtampsa 9 mg", "Xtampza ER", "oxycodone"),  # a typo of the brand alone, too
    ],
)
def test_a_brand_written_without_its_release_suffix_is_that_product(
    bundled_kb: KnowledgeBase, line: str, product: str, drug: str
) -> None:
    """Clinicians write "Xtampza 18mg", not "Xtampza ER 18mg": the ER says how it is released, not what is in it."""
    f = one(bundled_kb, line)
    assert (f.status, f.product, f.drug) == (Status.INTERACTION, product, drug)


def test_a_strength_word_is_not_dropped_from_a_brand(bundled_kb: KnowledgeBase) -> None:
    """ "Forte" can mark other contents than the plain brand's: "Codapane" alone is not read as Codapane Forte,
    it is offered as a close name to check."""
    f = one(bundled_kb, "Codapane 2 tabs qid")
    assert f.status is Status.NOT_RECOGNISED
    assert "Codapane Forte" in f.suggestions


def test_a_product_says_which_drug_makes_it_this_entry(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "Percocet 5/325")
    assert found.matched == "Percocet → oxycodone"
    assert badge_text(found) == "✖ Contraindicated"


def test_the_strongest_drug_on_a_line_wins_and_the_others_are_named(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "warfarin 5mg with tramadol 50mg")  # not joined as two medications: one finding
    assert found.drug == "tramadol" and found.severity is Severity.CONTRAINDICATED
    assert found.also == ("warfarin",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("warfarin 5mg and tramadol 50mg", [("warfarin", None), ("tramadol", Severity.CONTRAINDICATED)]),
        ("Tylenol #3 and Antabuse", [("codeine", Severity.CONTRAINDICATED), ("disulfiram", Severity.CAUTION)]),
        ("Eltroxin & Prograf", [("levothyroxine", Severity.CAUTION), ("tacrolimus", Severity.CAUTION)]),
        ("levothyroxine/tacrolimus", [("levothyroxine", Severity.CAUTION), ("tacrolimus", Severity.CAUTION)]),
        ("metformin + sertraline", [("metformin", None), ("sertraline", None)]),
    ],
)
def test_medications_joined_on_one_line_are_each_checked_and_counted(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, Severity | None]]
) -> None:
    """ "Tylenol #3 and Antabuse": the disulfiram caution is a finding of its own (it was a note on the codeine one,
    uncounted, with no advice of its own)."""
    found = check_medications(line, bundled_kb)
    assert [(f.drug, f.severity) for f in found] == expected
    assert all(f.line == 1 and not f.also for f in found)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Oxycodone 5mg prn Levothyroxine 100mcg od",
         [("Oxycodone 5mg prn", "oxycodone", Severity.CONTRAINDICATED),
          ("Levothyroxine 100mcg od", "levothyroxine", Severity.CAUTION)]),
        ("Metformin 500 mg bd Sertraline 50 mg od Eltroxin 75 mcg mane",
         [("Metformin 500 mg bd", "metformin", None), ("Sertraline 50 mg od", "sertraline", None),
          ("Eltroxin 75 mcg mane", "levothyroxine", Severity.CAUTION)]),
        ("Amitriptyline 10mg at night Tramadol 50mg qds",
         [("Amitriptyline 10mg at night", "amitriptyline", None),
          ("Tramadol 50mg qds", "tramadol", Severity.CONTRAINDICATED)]),
        # directions that end on a reason or a note, not a frequency (second tester, 2026-12-07): the loperamide,
        # levothyroxine and thioridazine cautions had been "also on this line" of one oxycodone finding
        ("Tramadol 50 mg q6h PRN pain Sertraline 100 mg once daily",
         [("Tramadol 50 mg q6h PRN pain", "tramadol", Severity.CONTRAINDICATED),
          ("Sertraline 100 mg once daily", "sertraline", None)]),
        (("Imodium 2mg after each loose stool Oxycodone 5 mg every 4 hours as needed for pain "
          "Synthroid 100 mcg every morning on empty stomach Mellaril 25 mg at night"),
         [("Imodium 2mg after each loose stool", "loperamide", Severity.CAUTION),
          ("Oxycodone 5 mg every 4 hours as needed for pain", "oxycodone", Severity.CONTRAINDICATED),
          ("Synthroid 100 mcg every morning on empty stomach", "levothyroxine", Severity.CAUTION),
          ("Mellaril 25 mg at night", "thioridazine", Severity.CAUTION)]),
    ],
)  # fmt: skip
def test_medications_pasted_onto_one_line_are_each_checked_and_counted(
    bundled_kb: KnowledgeBase, line: str, expected: list[tuple[str, str, Severity | None]]
) -> None:
    """A list whose line breaks were lost in pasting (fresh-eyes tester, 2026-12-07): a drug's name after another's
    directions starts a medication of its own. It had been one finding, "oxycodone (oxycodone + levothyroxine)", as if
    one combination product, with the levothyroxine caution reduced to "also on this line"."""
    found = check_medications(line, bundled_kb)
    assert [(f.input, f.drug, f.severity) for f in found] == expected
    assert all(f.line == 1 and not f.also and "+" not in (f.product or "") for f in found)  # none a combination
    assert sum(n for _, n in summary_counts(found)) == len(expected)  # each medication counted, under its own verdict


@pytest.mark.parametrize(
    "line",
    [
        "oxycodone/paracetamol 5/325",
        "co-codamol 30/500",
        "paracetamol and codeine tablets and water",
        "warfarin 5mg daily with tramadol 50mg",  # "with" leads into what follows, even after a dose
    ],
)
def test_a_line_is_not_cut_inside_one_product_or_at_a_word_that_is_no_drug(
    bundled_kb: KnowledgeBase, line: str
) -> None:
    assert len(check_medications(line, bundled_kb)) == 1


def test_a_drug_in_two_entries_names_the_other(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "codeine 30mg")
    assert found.entry_id == OPIOIDS and "interaction:opioid-antitussives" in found.other_entries


# -- typos and unknown names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "drug"),
    [("percocett 5/325", "oxycodone"), ("Oxycontn 20mg", "oxycodone"), ("Tramadl 50mg", "tramadol"),
     ("Suboxon 8mg", "buprenorphine"), ("levothyroxin 50mcg", "levothyroxine"), ("co-codamal 30/500", "codeine"),
     ("warfrin 3mg", "warfarin"), ("SYNTHRIOD 100mcg", "levothyroxine")],
)  # fmt: skip
def test_one_edit_typos_are_recognised_and_said_so(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    found = one(bundled_kb, line)
    assert found.drug == drug
    assert found.matched.startswith(f"typo: {tokens(line)[0]}")


@pytest.mark.parametrize(
    ("line", "drug"),
    [("phentanyl patch 25mcg/h", "fentanyl"), ("Morfine sulfate 10mg", "morphine"),
     ("buprenorfine 5mcg patch", "buprenorphine"), ("hydromorfone 2mg", "hydromorphone"),
     ("Phentanil lozenge", "fentanyl")],
)  # fmt: skip
def test_names_written_as_they_sound_are_typos(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    """ "ph" typed "f" (or "f" typed "ph") is one slip, not two edits (tester, 2026-12-03: phentanyl, morfine)."""
    found = one(bundled_kb, line)
    assert (found.drug, found.status) == (drug, Status.INTERACTION)
    assert found.matched.startswith(f"typo: {tokens(line)[0]}")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("oxy 5mg prn", {"oxycodone", "oxymorphone"}), ("tram 50mg qds", {"tramadol"}), ("morph 10mg", {"morphine"}),
     ("fent patch", {"fentanyl"}), ("meth 40mg", {"methadone"}), ("bupe 8mg SL", {"buprenorphine"})],
)  # fmt: skip
def test_shorthand_is_offered_but_never_recognised(bundled_kb: KnowledgeBase, line: str, expected: set[str]) -> None:
    """Ward shorthand ("oxy", "tram") names a drug the clinician must confirm: a close name, not a guess."""
    found = one(bundled_kb, line)
    assert found.status is Status.NOT_RECOGNISED and found.drug is None
    assert expected <= set(found.suggestions), found.suggestions


def test_shorthand_offers_the_strictest_drug_first(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-03: for "Bup/Nal 8/2" the first close name was bupropion (no data), not buprenorphine."""
    assert one(bundled_kb, "Bup/Nal 8/2").suggestions[0] == "buprenorphine"


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("MSIR 15mg q4h prn", "morphine"),
        ("OxyIR 5 mg q6h prn", "oxycodone"),
        ("perc 10/325 1 tab q6h", "oxycodone"),
        ("Tylenol 2 1-2 tabs q4h prn", "codeine"),  # Tylenol with Codeine No. 2 (it read 'recognised only in part')
    ],
)
def test_the_short_names_opioids_go_by_in_notes_are_recognised(bundled_kb: KnowledgeBase, line: str, drug: str) -> None:
    """Tester, 2026-12-03: these read "Not recognised", so an opioid looked like an unknown line."""
    found = one(bundled_kb, line)
    assert found.drug == drug and found.severity is Severity.CONTRAINDICATED


@pytest.mark.parametrize(
    ("line", "unknown"),
    [("HC/APAP 10/325", "hc"), ("Tylenol 1", "tylenol 1"), ("Tylenol 5 1-2 tabs q4h prn", "tylenol 5")],
)
def test_a_line_recognised_only_in_part_is_not_shown_as_no_data(
    bundled_kb: KnowledgeBase, line: str, unknown: str
) -> None:
    """Tester, 2026-12-04: hydrocodone/APAP and Tylenol with codeine No. 1 and 2 read as plain paracetamol, 'No
    data', the opioid unseen. A line whose other words may name a drug is not recognised, naming both parts."""
    found = one(bundled_kb, line)
    assert found.status is Status.NOT_RECOGNISED
    assert "paracetamol" in found.matched and f"“{unknown}”" in found.action


@pytest.mark.parametrize(
    "line",
    [
        "Tylenol 500mg 2 tabs qid prn",
        "Tylenol Extra Strength 500 mg",
        "metformin XR 1000mg daily with evening meal",
        "levothyroxine 75mcg od on empty stomach",
        "APAP 500 1-2 tabs q6h prn HA",
        "Warfarin 3mg OD as per INR",
        "methotrexate 15mg weekly (Mondays)",
        "sertraline 50mg once daily in the morning",
    ],
)
def test_directions_and_notes_on_a_line_are_not_taken_for_another_drug(bundled_kb: KnowledgeBase, line: str) -> None:
    assert one(bundled_kb, line).status is not Status.NOT_RECOGNISED


def test_headings_and_nothing_taken_lines_are_not_medications(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-04: "Current meds:", "NKDA", "nil" and "none" each got a full "Not recognised" warning."""
    pasted = (
        "Current meds:\n- Humira 40mg\nNKDA\nnil\nNone.\nRepeat medications:\ntramadol 50mg: 1-2 qds\n"
        "REPEAT MEDICATION\nAllergies: nil known\nNil by mouth\nOXYCODONE 5MG\n"
    )
    found = check_medications(pasted, bundled_kb)
    assert [(f.line, f.drug) for f in found] == [(2, "adalimumab"), (7, "tramadol"), (11, "oxycodone")]
    assert [f.drug for f in check_medications("Tramadol:\n50mg qds\nCo-codamol:", bundled_kb)][::2] == [
        "tramadol",
        "codeine",
    ]  # a drug's name before a colon is a medication, not a heading


def test_an_allergy_line_or_section_says_so_and_keeps_the_drugs_verdict(bundled_kb: KnowledgeBase) -> None:
    """GP records list allergies beside current medicines: "Allergies: codeine (rash)" read as a codeine prescription.
    The opioid is still found and its verdict kept (never dropped), but the row says how it was written."""
    pasted = (
        "Allergies: codeine (rash), penicillin\nAllergic to morphine\n\nDrug allergies:\nMST Continus 10mg\n"
        "tramadol\n\nsertraline 50mg od\nDrug allergies:\noxycodone\nCurrent medications:\ncodeine 30mg qds\n"
    )
    found = check_medications(pasted, bundled_kb)
    got = [(f.line, f.drug, f.details.written_as) for f in found]
    assert got == [
        (1, "codeine", "allergy"),
        (1, "phenoxymethylpenicillin", "allergy"),  # penicillin (no data), still an allergy
        (2, "morphine", "allergy"),
        (5, "morphine", "allergy"),
        (6, "tramadol", "allergy"),
        (8, "sertraline", None),  # a blank line ended the section
        (10, "oxycodone", "allergy"),
        (12, "codeine", None),  # "Current medications:" ended it
    ]
    assert all(f.severity is Severity.CONTRAINDICATED for f in found if f.drug in ("codeine", "morphine"))
    first = brief_action(found[0])
    assert first.startswith("Written as an allergy or intolerance") and "7 to 10 days" in first
    assert found[0].to_json()["written_as"] == "allergy" and found[-1].to_json()["written_as"] is None


def test_the_summary_counts_lines_written_as_an_allergy_or_stopped(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-04: "4 ✖ Contraindicated" counted a codeine allergy and a stopped tramadol without saying so."""
    found = check_medications("Allergies: codeine\ntramadol - stopped\noxycodone 5mg\n", bundled_kb)
    assert summary_text(found) == "3 ✖ Contraindicated (2 of them written as an allergy or as stopped)"
    assert summary_text(found[2:]) == "1 ✖ Contraindicated"


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("tramadol 50mg prn - stopped", "past"),
        ("Oxycodone (discontinued)", "past"),
        ("Previous: oxycodone stopped 2024", "past"),
        ("hx of tramadol use", "past"),
        ("morphine - no longer taking", "past"),
        ("tramadol 50mg - to be stopped before surgery", None),  # a plan: taken now
        ("tramadol 50mg qds, stop if drowsy", None),
        ("codeine allergy", "allergy"),
        ("tramadol 50mg bd", None),
    ],
)
def test_a_stopped_or_past_medicine_says_so_and_keeps_the_drugs_verdict(
    bundled_kb: KnowledgeBase, line: str, written: str | None
) -> None:
    f = one(bundled_kb, line)
    assert f.severity is Severity.CONTRAINDICATED and f.details.written_as == written
    assert brief_action(f).startswith("Written as") is (written is not None)


def test_a_heading_without_a_colon_ends_an_allergy_or_past_section(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-04: after "Past medications", current opioids under "Current medications" (no colon) were
    labelled "Written as stopped"; "MEDICATIONS ON ADMISSION" and "Home medications" likewise."""
    pasted = (
        "Past medications\nmorphine 10mg\nCurrent medications\noxycodone 5mg\nAllergies:\ncodeine\n"
        "MEDICATIONS ON ADMISSION\nMST 10mg bd\nAllergies\nlatex\nHome medications\ntramadol 50mg\n"
    )
    got = [(f.line, f.drug, f.details.written_as) for f in check_medications(pasted, bundled_kb)]
    assert got == [
        (2, "morphine", "past"),
        (4, "oxycodone", None),
        (6, "codeine", "allergy"),
        (8, "morphine", None),
        (10, None, "allergy"),
        (12, "tramadol", None),
    ]


def test_after_visit_summary_and_gp_record_headings_are_no_medications(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-04: Epic's "STOP taking:" and UK "Regular:", "PRN:", "Current repeats" got verdicts."""
    pasted = (
        "START taking:\nlevothyroxine 50mcg\nSTOP taking:\ntramadol 50mg\nCONTINUE taking:\noxycodone 5mg\n"
        "Current repeats\nsertraline 50mg\nRegular:\ncodeine 30mg\nPRN:\nOTC / herbal:\nAcute (last 3 months):\n"
    )
    got = [(f.line, f.drug, f.details.written_as) for f in check_medications(pasted, bundled_kb)]
    assert got == [(2, "levothyroxine", None), (4, "tramadol", "past"), (6, "oxycodone", None),
                   (8, "sertraline", None), (10, "codeine", None)]  # fmt: skip


def test_a_previous_medications_section_is_past_use_and_no_heading_hides_a_drug(bundled_kb: KnowledgeBase) -> None:
    pasted = "Previous medications:\nMST Continus 10mg bd\nStopped:\ntramadol\n\nOld tramadol:\nPrevious tramadol:\n"
    got = [(f.line, f.drug, f.details.written_as) for f in check_medications(pasted, bundled_kb)]
    assert got == [(2, "morphine", "past"), (4, "tramadol", "past"), (6, "tramadol", None), (7, "tramadol", "past")]


@pytest.mark.parametrize("line", ["fentynal patch 25", "tapendatol 50mg bd", "suboxen 8mg"])
def test_a_line_whose_close_names_are_all_opioids_says_to_treat_it_as_one(bundled_kb: KnowledgeBase, line: str) -> None:
    """Tester, 2026-12-04: search corrects these to the opioid entry; the check showed only 'not recognised'."""
    f = one(bundled_kb, line)
    assert f.status is Status.NOT_RECOGNISED  # never recognised by a guess ...
    assert "Every close name is an opioid LDN is contraindicated with" in f.action  # ... but never read as safe
    assert "Every close name" not in one(bundled_kb, "bupe 16mg").action  # buprenorphine or bupropion: unsure


@pytest.mark.parametrize(("line", "opioid"), [("bupe 16mg", "buprenorphine"), ("meth 40mg", "methadone")])
def test_a_close_name_that_is_an_opioid_is_named_as_one(bundled_kb: KnowledgeBase, line: str, opioid: str) -> None:
    """ "bupe 8mg SL" is buprenorphine on most lists, but bupropion is also close: the line must say which close name
    is an opioid before LDN is started, not only "not recognised" (left alone in session 39)."""
    f = one(bundled_kb, line)
    assert f.status is Status.NOT_RECOGNISED and opioid in f.suggestions
    assert f"Of these, {opioid} is an opioid LDN is contraindicated with" in f.action


@pytest.mark.parametrize("line", ["predni 5mg", "ator 20mg", "zzqx 5mg"])
def test_no_opioid_is_named_among_close_names_that_have_none(bundled_kb: KnowledgeBase, line: str) -> None:
    assert "opioid" not in one(bundled_kb, line).action


def test_t3_is_not_taken_for_tylenol_number_3(bundled_kb: KnowledgeBase) -> None:
    """ "T3 25mcg" is liothyronine in most notes (and Tylenol #3 in some): never codeine by a guess."""
    assert one(bundled_kb, "T3 25mcg").drug != "codeine"


@pytest.mark.parametrize("line", ["tab 2 daily", "eye drops", "cream bd", "fish oil caps", "asa 81"])
def test_everyday_words_are_not_offered_drug_names(bundled_kb: KnowledgeBase, line: str) -> None:
    assert one(bundled_kb, line).suggestions == ()


@pytest.mark.parametrize(
    ("brand", "generics"),
    [("Hycodan", "hydrocodone/homatropine 5/1.5mg"), ("Suboxone", "buprenorphine/naloxone 8/2mg SL"),
     ("Suboxone", "Buprenorphine and naloxone film"), ("Targin", "oxycodone/naloxone 10/5 bd"),
     ("Percocet", "oxycodone/paracetamol 5/325"), ("Lomotil", "diphenoxylate with atropine")],
)  # fmt: skip
def test_a_combination_named_by_its_generics_is_its_brand(bundled_kb: KnowledgeBase, brand: str, generics: str) -> None:
    """Tester, 2026-12-03: "Hycodan" was a cough product (avoid) but "hydrocodone/homatropine" an analgesic
    (contraindicated), and "buprenorphine/naloxone" was cut into buprenorphine (analgesics) and naloxone (no data)."""
    by_brand, by_generics = one(bundled_kb, brand), one(bundled_kb, generics)
    assert (by_generics.entry_id, by_generics.severity) == (by_brand.entry_id, by_brand.severity)
    assert by_generics.also == () and set(by_generics.contains) == set(by_brand.contains)


def test_two_edits_are_not_recognised_but_suggested(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "Percoxett 5/325")
    assert found.status is Status.NOT_RECOGNISED and found.drug is None and found.entry_id is None
    assert "Percocet" in found.suggestions and "Percocet" in found.action
    assert "not evidence of safety" in found.action


def test_an_unknown_line_is_not_recognised_with_no_guess(bundled_kb: KnowledgeBase) -> None:
    found = one(bundled_kb, "Zopiclone 7.5mg ON")
    assert (found.status, found.drug, found.severity, found.entry_id) == (Status.NOT_RECOGNISED, None, None, None)
    assert found.details.frequency == "at night"  # the grammar is still read
    assert badge_text(found) == "? Not recognised"


# -- grammar --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30mg BID", {"dose": "30 mg", "frequency": "twice daily"}),
        ("10mg/5ml", {"dose": "10 mg/5 ml"}),
        ("2 tablets qds", {"quantity": "2 tablets", "frequency": "four times daily", "form": "tablet"}),
        ("1-2 tabs q4-6h prn", {"quantity": "1-2 tablets", "frequency": "every 4-6 hours, as needed"}),
        ("prn", {"frequency": "as needed"}),
        ("nocte", {"frequency": "at night"}),
        ("patch 25 mcg/h", {"dose": "25 mcg/h", "form": "patch"}),
        ("12 micrograms/hour", {"dose": "12 mcg/h"}),
        ("30mg ER", {"dose": "30 mg", "form": "extended release"}),
        ("100mg SR bd", {"form": "sustained release", "frequency": "twice daily"}),
        ("75 micrograms OD", {"dose": "75 mcg", "frequency": "once daily"}),
        ("8mg SL", {"route": "sublingual"}),
        ("50mg IM stat", {"route": "intramuscular", "frequency": "once (stat)"}),
        ("30/500", {"dose": "30/500"}),
        ("hydrochloride 5mg", {"salt": "hydrochloride"}),
        ("tartrate", {"salt": "tartrate"}),
        ("7.5mg ON", {"frequency": "at night"}),
        ("modified release 10mg", {"form": "modified release"}),
        ("1,000 mg", {"dose": "1,000 mg"}),
    ],
)
def test_doses_units_frequencies_routes_forms_and_salts(text: str, expected: dict[str, str]) -> None:
    details = parse_details(text)
    for name, value in expected.items():
        assert getattr(details, name) == value, (text, name)


def test_on_without_a_dose_is_not_a_frequency() -> None:
    assert parse_details("on hold").frequency is None


def test_separators_bullets_and_numbering() -> None:
    items, extra = split_items(
        "• Oxycontin 20mg BD\n\n- warfarin 5mg; metformin 1,000 mg bd, amlodipine 5mg\n"
        "1. co-codamol 30/500\n2) Oxycodone 5 mg, 1-2 tabs, q4h prn\n* Butrans 5 mcg/h, change weekly\n"
        "\tTylenol #3 • Synthroid 50mcg\n   \n"
    )
    assert extra == 0
    assert [(i.line, i.text) for i in items] == [
        (1, "Oxycontin 20mg BD"),
        (3, "warfarin 5mg"),
        (3, "metformin 1,000 mg bd"),
        (3, "amlodipine 5mg"),
        (4, "co-codamol 30/500"),
        (5, "Oxycodone 5 mg, 1-2 tabs, q4h prn"),
        (6, "Butrans 5 mcg/h, change weekly"),
        (7, "Tylenol #3"),
        (7, "Synthroid 50mcg"),
    ]


def test_case_and_spacing_do_not_matter(bundled_kb: KnowledgeBase) -> None:
    for line in ("MS CONTIN 30MG", "ms contin 30mg", "MSContin 30 mg", "ms-contin 30mg", "Co Codamol 30/500"):
        assert one(bundled_kb, line).status is Status.INTERACTION, line


def test_short_action_is_the_first_sentence() -> None:
    assert short_action("Do not co-prescribe. Ask about every opioid.") == "Do not co-prescribe."
    assert short_action("Caution (label). Then more.") == "Caution (label)."


# -- bad input ------------------------------------------------------------------------------------


def test_empty_and_blank_text_give_no_finding(bundled_kb: KnowledgeBase) -> None:
    assert check_medications("", bundled_kb) == ()
    assert check_medications(" \n\t\n•\n- \n", bundled_kb) == ()


def test_ten_thousand_lines_give_ten_thousand_findings_in_order(bundled_kb: KnowledgeBase) -> None:
    lines = ["Oxycontin 20mg BD", "warfarin 5mg", "xyzzy"] * 3334
    findings = check_medications("\n".join(lines[:10_000]), bundled_kb)
    assert len(findings) == 10_000
    assert [f.line for f in findings] == list(range(1, 10_001))
    assert [f.status for f in findings[:3]] == [Status.INTERACTION, Status.NO_DATA, Status.NOT_RECOGNISED]


def test_a_ten_megabyte_line_is_reported_not_searched(bundled_kb: KnowledgeBase) -> None:
    first, *found = check_medications("oxycodone " * 999_999 + "oxycodone!", bundled_kb)
    assert first.status is Status.NOT_CHECKED and "10,000,000 characters" in first.action
    assert len(first.input) <= 81 and f"at most {MAX_ITEM_CHARS}" in first.action
    assert f"Medicines named in its first {MAX_LINE_CHARS:,} characters" in first.action
    assert f"The other {10_000_000 - MAX_LINE_CHARS:,} characters were not checked." in first.action  # said, not left
    assert found and {(f.drug, f.status) for f in found} == {("oxycodone", Status.INTERACTION)}
    assert len(found) <= MAX_LINE_CHARS // 100  # only the first characters are searched, in pieces


def test_too_many_items_are_counted_in_one_last_finding(bundled_kb: KnowledgeBase) -> None:
    findings = check_medications("\n".join(["x"] * (MAX_ITEMS + 5)), bundled_kb)
    assert len(findings) == MAX_ITEMS + 1
    assert findings[-1].status is Status.NOT_CHECKED and "5 more" in findings[-1].action


def test_binary_junk_gives_findings_never_an_error(bundled_kb: KnowledgeBase) -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(50_000)).decode("latin-1")
    findings = check_medications(junk, bundled_kb)
    lines = [n for n, raw in enumerate(junk.splitlines(), 1) if raw.strip()]
    assert findings and {f.line for f in findings} <= set(lines)
    assert all(f.action for f in findings)


def test_medication_badges_keep_7_to_1_contrast_in_every_palette() -> None:
    from ldn_browser.core.presentation import SEVERITY_PALETTES, Palette, contrast_ratio

    for palette in Palette:
        for severity in (*Severity, None):
            colours = SEVERITY_PALETTES[palette][severity]
            assert contrast_ratio(colours.text, colours.background) >= 7.0, (palette, severity)


# -- naltrexone itself: LDN and the products containing it (KnowledgeBase.naltrexone) --------------


@pytest.mark.parametrize(
    ("line", "how"),
    [
        ("LDN 4.5mg", "ldn"),
        ("low dose naltrexone", "ldn"),
        ("Low-dose naltrexone 3 mg nocte", "ldn"),
        ("naltrexone 50mg", "generic"),
        ("naltrexone hydrochloride 50 mg tablet", "generic"),
        ("Contrave", "product"),
        ("Mysimba 8/90 2 tabs bd", "product"),
        ("Vivitrol 380 mg IM monthly", "product"),
        ("Revia 50 mg daily (alcohol)", "product"),
    ],
)
def test_naltrexone_itself_is_the_same_drug_as_ldn(bundled_kb: KnowledgeBase, line: str, how: str) -> None:
    n = bundled_kb.naltrexone
    assert n is not None
    f = one(bundled_kb, line)
    assert (f.status, f.drug, f.severity, f.entry_id) == (Status.SAME_DRUG, "naltrexone", None, n.entry_id)
    assert f.entry_title == bundled_kb.get(n.entry_id).title  # type: ignore[union-attr]
    assert [sid for sid, _ in f.sources] == list(n.source_ids)
    action = {"ldn": n.ldn_action, "generic": n.generic_action, "product": n.product_action}[how]
    assert f.action.startswith(action)  # the KB's words, nothing of the check's own
    assert badge_text(f) == "= Same drug as LDN"
    assert f.to_json()["status"] == "same_drug" and f.to_json()["severity"] is None


def test_every_declared_naltrexone_product_is_recognised_and_was_confirmed(bundled_kb: KnowledgeBase) -> None:
    n = bundled_kb.naltrexone
    assert n is not None and {p.name for p in n.products} >= {"Contrave", "Mysimba", "Revia", "Vivitrol"}
    for p in n.products:
        f = one(bundled_kb, p.name)
        assert (f.status, f.product, f.contains) == (Status.SAME_DRUG, p.name, p.contains)
        assert p.source is not None and p.source.url.startswith("https://") and p.source.checked_at


def test_a_duplicate_warns_and_never_advises_beyond_the_kb(bundled_kb: KnowledgeBase) -> None:
    f = one(bundled_kb, "Vivitrol")
    assert (
        f.action.startswith("Duplicate naltrexone")
        and "no source in this knowledge base covers taking both" in f.action
    )
    g = one(bundled_kb, "naltrexone 50mg")
    assert "duplicates LDN" in g.action and "check with the prescriber" in g.action


def test_a_combination_names_what_the_kb_says_of_its_other_ingredient(bundled_kb: KnowledgeBase) -> None:
    f = one(bundled_kb, "Contrave 8/90mg 2 tabs BD")
    assert f.contains == ("naltrexone", "bupropion")
    assert f.action.endswith("It also contains bupropion. " + no_data_message(bundled_kb, "bupropion"))


def test_an_interaction_on_the_same_line_outranks_naltrexone(bundled_kb: KnowledgeBase) -> None:
    f = one(bundled_kb, "tramadol 50mg with LDN 4.5mg")
    assert (f.status, f.drug, f.also) == (Status.INTERACTION, "tramadol", ("naltrexone",))


def test_the_names_come_from_the_kb_not_the_code(bundled_kb: KnowledgeBase) -> None:
    kb = bundled_kb.model_copy(update={"naltrexone": None})
    assert [one(kb, line).status for line in ("LDN 4.5mg", "Contrave")] == [Status.NOT_RECOGNISED] * 2


# -- review fixes (medication check, 2026-12) -----------------------------------------------------

GP_REPEAT_LINE = (
    "Tramadol 50mg capsules - Take ONE or TWO capsules up to FOUR times a day when required for pain, maximum "
    "EIGHT capsules in 24 hours (Repeat, last issued 12-Nov-2026, 100 capsules), review due 01-Feb-2027, "
    "authorised by Dr A Smith, issued via EPS to the pharmacy on the High Street, notes: patient counselled on "
    "dependence risk and on driving, taking it for chronic back pain since 2024 with a physiotherapy review"
)


def test_a_long_gp_system_repeat_line_is_one_medication_and_its_opioid_is_found(bundled_kb: KnowledgeBase) -> None:
    assert 300 < len(GP_REPEAT_LINE) <= MAX_ITEM_CHARS
    found = one(bundled_kb, GP_REPEAT_LINE)
    assert (found.status, found.drug, found.entry_id) == (Status.INTERACTION, "tramadol", OPIOIDS)
    assert found.input == GP_REPEAT_LINE


def test_a_comma_inside_brackets_does_not_split_a_medication() -> None:
    items, _ = split_items("Morphine 10mg (Repeat, Boots pharmacy), paracetamol 1g; Sertraline (50mg, warfarin")
    texts = [i.text for i in items]
    # an opening bracket never closed protects nothing: "warfarin" is its own medication
    assert texts == ["Morphine 10mg (Repeat, Boots pharmacy)", "paracetamol 1g", "Sertraline (50mg", "warfarin"]


def test_a_line_up_to_the_limit_is_checked_and_one_beyond_it_is_not(bundled_kb: KnowledgeBase) -> None:
    filler = " take as directed by the prescriber"
    line = "oxycodone 5mg" + filler * ((MAX_ITEM_CHARS - 13) // len(filler))
    assert len(line) <= MAX_ITEM_CHARS and MAX_ITEM_CHARS >= 1_000
    assert one(bundled_kb, line).drug == "oxycodone"
    note, found = check_medications(line + filler, bundled_kb)
    assert note.status is Status.NOT_CHECKED and "Medicines named in it, each checked below: oxycodone." in note.action
    assert found.drug == "oxycodone" and found.status is Status.INTERACTION  # before: no ✖ for the opioid


def test_a_long_note_is_searched_for_the_medicines_it_names(bundled_kb: KnowledgeBase) -> None:
    """A clinic letter pasted as one line (no commas to cut it at): each medicine it names is checked by its own
    sentence, typos not read."""
    note = (
        "Seen today with her daughter who helps with her tablets. " * 20
        + "She takes MST Continus 10mg twice daily and sertraline 50mg. "
        + "She asked about low dose naltrexone for her fibromyalgia and wonders whether it could help her sleep. " * 5
    )
    first, *found = check_medications(note, bundled_kb)
    assert first.status is Status.NOT_CHECKED and first.input.endswith("…") and len(first.input) == 81
    assert [(f.drug, f.status, f.details.written_as) for f in found] == [
        ("morphine", Status.INTERACTION, None),
        ("sertraline", Status.NO_DATA, None),
        *[("naltrexone", Status.SAME_DRUG, None)] * 5,
    ]
    assert "each checked below: morphine, sertraline, naltrexone." in first.action


def test_a_long_line_naming_no_medicine_says_so(bundled_kb: KnowledgeBase) -> None:
    [found] = check_medications("Reviewed in clinic and plan discussed with the family. " * 30, bundled_kb)
    assert found.status is Status.NOT_CHECKED and "No medicine is named in it." in found.action


@pytest.mark.parametrize(
    "line",
    ["Folic acid 5mg weekly", "acid", "water", "patient", "review", "repeat", "issued", "pain relief", "cream",
     "sugar", "vitamin D", "insulin", "Senna 7.5mg", "Lactulose 10ml", "Zopiclone 7.5mg ON", "Quinine 300mg",
     "Fybogel sachet", "Gaviscon 10ml", "Adcal D3", "Movicol 1 sachet"],
)  # fmt: skip
def test_no_close_name_for_common_words_and_unrelated_drugs(bundled_kb: KnowledgeBase, line: str) -> None:
    found = one(bundled_kb, line)
    if found.status is Status.NOT_RECOGNISED:
        opioid_names = {r.name for recs in vocabulary(bundled_kb).names.values() for r in recs if r.entry is not None}
        assert not set(found.suggestions) & opioid_names, found.suggestions
        assert found.suggestions == (), found.suggestions


@pytest.mark.parametrize(
    ("line", "close"),
    [("Bupremorphinne 5mcg patch", "buprenorphine"), ("Percoxett 5/325", "Percocet"), ("Oxykodome 5mg", "oxycodone")],
)
def test_close_names_are_really_close(bundled_kb: KnowledgeBase, line: str, close: str) -> None:
    found = one(bundled_kb, line)
    assert found.status is Status.NOT_RECOGNISED and close in found.suggestions


def test_a_close_name_shares_the_first_letter_and_is_one_edit_from_a_short_word(bundled_kb: KnowledgeBase) -> None:
    vocab = vocabulary(bundled_kb)
    assert "actiq" not in vocab.close("acid")  # two edits from a four-letter word: unrelated
    assert all(k[0] == "z" or k[0] in "sx" for k in vocab.close("zaldiat"))


def test_the_summary_is_by_severity(bundled_kb: KnowledgeBase) -> None:
    text = "warfarin 5mg\nxyzzy\nSynthroid 100mcg\nImodium 2mg\nLDN 4.5mg\nOxycontin 20mg\nwarfarin 1mg\nHycodan"
    labels = [label for label, _ in summary_counts(check_medications(text, bundled_kb))]
    order = ["✖ Contraindicated", "⚠ Avoid", "△ Caution", "= Same drug as LDN", "○ No data", "? Not recognised"]
    assert labels == [label for label in order if label in labels] and labels[0] == "✖ Contraindicated"
    assert "○ No data" in labels and labels.index("○ No data") < labels.index("? Not recognised")
    summary = summary_text(check_medications(text, bundled_kb))
    assert summary.startswith("1 ✖ Contraindicated") and "2 ○ No data · 1 ? Not recognised" in summary


@pytest.mark.parametrize(
    ("line", "drug", "entry_id"),
    [("diamorphine 5mg sc", "diamorphine", OPIOIDS), ("Pholcodine linctus 10ml", "pholcodine", COUGH),
     ("Gee's linctus 5ml qds", "morphine", COUGH), ("opiate squill linctus", "morphine", COUGH),
     ("co-proxamol 2 qds", "dextropropoxyphene", OPIOIDS), ("Kapake 30/500", "codeine", OPIOIDS),
     ("Solpadol caplets", "codeine", OPIOIDS), ("Codipar 15/500", "codeine", OPIOIDS),
     ("Migraleve 2 tabs", "codeine", OPIOIDS), ("Syndol", "codeine", OPIOIDS)],
)  # fmt: skip
def test_uk_opioid_products_and_cough_linctuses_are_flagged(
    bundled_kb: KnowledgeBase, line: str, drug: str, entry_id: str
) -> None:
    found = one(bundled_kb, line)
    assert (found.status, found.drug, found.entry_id) == (Status.INTERACTION, drug, entry_id)
    entry = bundled_kb.get(entry_id)
    assert entry is not None
    recorded = [p for p in entry.products if p.name.casefold() == (found.product or "").casefold()]
    assert all(p.source is not None for p in recorded)  # every new name records where it was confirmed


def test_the_printed_check_keeps_the_not_recognised_caveat(bundled_kb) -> None:  # type: ignore[no-untyped-def]
    """Paper says what the screen says: an unrecognised line is not evidence of safety."""
    from ldn_browser.core.sheet_meds import medication_sheet

    findings = check_medications("zzqx blorbine 10mg", bundled_kb)
    html = " ".join(medication_sheet(bundled_kb, findings).html.split())
    assert "not evidence of safety with LDN" in html


def test_the_printed_check_has_blanks_for_the_patient_and_the_checker(bundled_kb: KnowledgeBase) -> None:
    """A check filed in a chart must say whose list it was and who checked it (tester, 2026-12-03)."""
    from ldn_browser.core.sheet_meds import medication_sheet

    sheet = medication_sheet(bundled_kb, check_medications("tramadol 50mg", bundled_kb))
    first_part = re.sub(r"<[^>]+>", "", sheet.parts[0].html)
    for label in ("Patient:", "Date of birth:", "Checked by:"):
        assert re.search(re.escape(label) + r"\s*_{10,}", first_part), label


def test_an_opioid_row_names_the_opioid_free_interval_in_its_first_step(bundled_kb: KnowledgeBase) -> None:
    """The row shows the action's first sentence only: 'Do not co-prescribe.' alone left out the label's 7 to 10
    days without opioids before the first dose (tester, 2026-12-03)."""
    from ldn_browser.core.medications import brief_action

    shown = brief_action(one(bundled_kb, "tramadol 50mg"))
    assert shown.startswith("Do not co-prescribe") and "7 to 10 days" in shown and "(label)" in shown


@pytest.mark.parametrize(
    "line",
    ["Folic acid 5mg tablets - one weekly, not on MTX day", "Oxycontin 20mg, take with food",
     "paracetamol 1g qds, avoid if drowsy", "tramadol 50mg, stop if dizzy", "Lyrica 75mg, except at weekends"],
)  # fmt: skip
def test_a_comma_before_an_instruction_does_not_cut_the_line(bundled_kb: KnowledgeBase, line: str) -> None:
    """Tester, 2026-12-03: "…, not on MTX day" was checked as a medication of its own (one more 'not recognised')."""
    assert [f.input for f in check_medications(line, bundled_kb)] == [line]


def test_a_comma_between_medications_still_cuts_the_line(bundled_kb: KnowledgeBase) -> None:
    assert [f.drug for f in check_medications("warfarin 5mg, metformin 500mg, codeine 30mg", bundled_kb)] == [
        "warfarin", "metformin", "codeine",
    ]  # fmt: skip
