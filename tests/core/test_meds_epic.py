"""Epic's medication lists as they are pasted: "generic (BRANDS) strength form" and a sig with spelled-out numbers."""

from __future__ import annotations

import pytest

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.med_grammar import parse_details
from ldn_browser.core.medications import Status, check_medications


@pytest.mark.parametrize(
    ("line", "drug", "brands"),
    [
        ("lisinopril (PRINIVIL,ZESTRIL) 10 MG tablet Take 1 tablet by mouth daily", "lisinopril", "PRINIVIL"),
        ("omeprazole (PRILOSEC) 20 MG capsule Take 1 capsule by mouth daily", "omeprazole", "PRILOSEC"),
        ("losartan (COZAAR) 50 MG tablet Take 1 tablet by mouth daily", "losartan", "COZAAR"),
        ("escitalopram oxalate (LEXAPRO) 10 MG tablet Take 1 tablet by mouth daily", "escitalopram", "LEXAPRO"),
        ("ondansetron (ZOFRAN-ODT) 4 MG disintegrating tablet Take 1 tablet every 8 (eight) hours as needed",
         "ondansetron", "ZOFRAN"),
        (("albuterol (PROVENTIL HFA;VENTOLIN HFA) 108 (90 Base) MCG/ACT inhaler Inhale 2 puffs into the lungs "
          "every 6 (six) hours as needed for wheezing"), "salbutamol", "PROVENTIL"),
    ],
)  # fmt: skip
def test_a_brand_in_capitals_after_a_recognised_generic_is_read_as_its_brand(
    bundled_kb: KnowledgeBase, line: str, drug: str, brands: str
) -> None:
    """Before: "Recognised only in part … not “prilosec”": half of a typical Epic list said to check the spelling."""
    [found] = check_medications(line, bundled_kb)  # one finding: the semicolon inside the brackets does not cut it
    assert found.status is Status.NO_DATA and found.drug == drug
    assert f"{brands}: read as a brand name in brackets" in found.matched


@pytest.mark.parametrize(
    "line",
    [
        "acetaminophen (FEVERALL) 325 MG tablet",  # a partner of opioids in combinations: the brand must be known
        "ibuprofen (ZZPROFEN) 200 MG tablet",
        "lisinopril (Prinivil) 10 mg",  # not Epic's capitals
        "amlodipine-benazepril (LOTREL) 5-20 MG capsule",  # the generic part itself is not all recognised
    ],
)
def test_other_brackets_still_say_recognised_only_in_part(bundled_kb: KnowledgeBase, line: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert found.status is Status.NOT_RECOGNISED and found.action.startswith("Recognised only in part")


@pytest.mark.parametrize(
    "line",
    [
        "oxyCODONE (ROXICODONE) 5 MG tablet Take 1 tablet by mouth every 4 (four) hours as needed for pain",
        "acetaminophen (TYLENOL WITH CODEINE #3) 300-30 MG tablet",
        "HYDROcodone-acetaminophen (NORCO) 5-325 MG per tablet",
    ],
)
def test_an_opioid_in_an_epic_line_is_still_found(bundled_kb: KnowledgeBase, line: str) -> None:
    [found] = check_medications(line, bundled_kb)
    assert found.status is Status.INTERACTION
    assert found.severity is not None and found.severity.value == "contraindicated"


def test_the_nasal_spray_sig_raises_no_opioid_alarm(bundled_kb: KnowledgeBase) -> None:
    """Before: "MCG/ACT" offered Actiq and "Each Nare" Narcan as close names ("treat it as an opioid")."""
    [found] = check_medications(
        "fluticasone (FLONASE) 50 MCG/ACT nasal spray 2 sprays by Each Nare route daily", bundled_kb
    )
    assert found.status is Status.NOT_RECOGNISED and found.suggestions == ()
    assert "opioid" not in found.action.split("Check")[0]


@pytest.mark.parametrize(
    ("sig", "frequency", "route"),
    [
        ("Take 1 tablet by mouth every 4 (four) hours as needed for pain", "every 4 hours, as needed", "oral"),
        ("Take 1 tablet by mouth 2 (two) times daily with meals", "twice daily", "oral"),
        ("Take 1 capsule by mouth 3 (three) times daily", "three times daily", "oral"),
        ("Take 1 tablet by mouth nightly", "at night", "oral"),
        ("Inhale 2 puffs into the lungs every 6 (six) hours as needed", "every 6 hours, as needed", "inhaled"),
        ("2 sprays by Each Nare route daily", "once daily", "intranasal"),
        ("Place 1 tablet under the tongue every 5 (five) minutes", None, "sublingual"),
    ],
)
def test_epic_sigs_keep_their_frequency_and_route(sig: str, frequency: str | None, route: str) -> None:
    """Before: "every 4 (four) hours as needed" was read as "as needed" only, "2 (two) times daily" as once daily."""
    details = parse_details(sig)
    assert (details.frequency, details.route) == (frequency, route)
