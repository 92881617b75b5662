"""The bundled knowledge base: minimums, grading rules and the facts that matter most."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ldn_browser.core.entities import (
    RANDOMISED_DESIGNS,
    Claim,
    Condition,
    Direction,
    EvidenceType,
    Grade,
    Kind,
    KnowledgeBase,
    StudyDesign,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
PROJECT = Path(__file__).resolve().parents[2]

MINIMUMS = {
    Kind.CONDITION: 22,
    Kind.MECHANISM: 6,
    Kind.CONTRAINDICATION: 7,
    Kind.SIDE_EFFECT: 7,
    Kind.DOSING: 4,
    Kind.SOURCE: 45,
    Kind.CLAIM: 15,
}

REQUIRED_CONDITIONS = [
    "rheumatoid arthritis",
    "lupus",
    "crohn",
    "ulcerative colitis",
    "multiple sclerosis",
    "psoriasis",
    "psoriatic arthritis",
    "fibromyalgia",
    "hashimoto",
    "systemic sclerosis",
    "sj[öo]gren",
    "ankylosing spondylitis",
    "complex regional pain",
    "osteoarthritis",
    "depress",
    "cancer",
    "chronic pain",
    "long covid",
    "diabetic neuropathy",
    "hailey",
]


def _condition(kb: KnowledgeBase, pattern: str) -> Condition:
    matches = [c for c in kb.conditions if re.search(pattern, c.title, re.IGNORECASE)]
    assert matches, f"no condition titled like {pattern!r}"
    return matches[0]


@pytest.mark.parametrize("kind", list(MINIMUMS))
def test_bundled_kb_meets_minimum_counts(bundled_kb: KnowledgeBase, kind: Kind) -> None:
    assert len(bundled_kb.entries(kind)) >= MINIMUMS[kind]


@pytest.mark.parametrize("pattern", REQUIRED_CONDITIONS)
def test_every_required_condition_is_present(bundled_kb: KnowledgeBase, pattern: str) -> None:
    _condition(bundled_kb, pattern)


def test_no_condition_is_graded_high(bundled_kb: KnowledgeBase) -> None:
    assert [c.id for c in bundled_kb.conditions if c.evidence.grade is Grade.HIGH] == []


def test_every_moderate_grade_rests_on_randomised_evidence(bundled_kb: KnowledgeBase) -> None:
    for c in bundled_kb.conditions:
        if c.evidence.grade is Grade.MODERATE:
            designs = {bundled_kb.source(s).design for s in c.evidence.source_ids}
            assert designs & RANDOMISED_DESIGNS, c.id


def test_fibromyalgia_cites_both_recent_negative_rcts(bundled_kb: KnowledgeBase) -> None:
    fm = _condition(bundled_kb, "fibromyalgia")
    negative = {"source:bested2023-fm-rct", "source:bruun2024-final"}
    assert negative <= set(fm.evidence.source_ids)
    studies = {s.source_id: s for s in fm.studies}
    assert negative <= set(studies)
    assert all(studies[s].direction is Direction.NO_BENEFIT for s in negative)
    assert fm.evidence.direction is not Direction.BENEFIT


def test_ms_shows_positive_and_null_qol_trials_side_by_side(bundled_kb: KnowledgeBase) -> None:
    ms = _condition(bundled_kb, "multiple sclerosis")
    ids = {s.source_id for s in ms.studies}
    assert {"source:cree2010-ms-qol", "source:sharafaddinzadeh2010-ms"} <= ids


def test_rheumatoid_arthritis_cites_the_null_arthritis_rct(bundled_kb: KnowledgeBase) -> None:
    ra = _condition(bundled_kb, "rheumatoid arthritis")
    assert "source:beaudette2023-arthritis-rct" in {s.source_id for s in ra.studies}
    assert ra.evidence.grade in (Grade.LOW, Grade.VERY_LOW)


def test_crohns_is_low_certainty_benefit_from_two_rcts(bundled_kb: KnowledgeBase) -> None:
    cd = _condition(bundled_kb, "crohn")
    assert cd.evidence.grade is Grade.LOW and cd.evidence.direction is Direction.BENEFIT
    assert {"source:smith2011-crohns-rct", "source:smith2013-peds-crohns"} <= {s.source_id for s in cd.studies}


@pytest.mark.parametrize("name", ["lupus", "ankylosing"])
def test_no_studies_is_shown_as_such_not_as_very_low(bundled_kb: KnowledgeBase, name: str) -> None:
    from ldn_browser.core.entities import Basis

    entry = _condition(bundled_kb, name)
    assert entry.evidence.grade is None and entry.evidence.basis is Basis.NO_STUDIES
    assert entry.evidence.rating.badge_text == "No studies found"
    assert bundled_kb.randomised_trial_count(entry) == 0


def test_every_condition_has_summary_rationale_and_review_date(bundled_kb: KnowledgeBase) -> None:
    for c in bundled_kb.conditions:
        assert c.summary and c.evidence.rationale and c.last_reviewed, c.id


def test_every_claim_has_a_verdict_and_a_lay_source(bundled_kb: KnowledgeBase) -> None:
    for claim in bundled_kb.claims:
        assert isinstance(claim, Claim) and claim.verdict
        assert all(bundled_kb.source(s).design is StudyDesign.LAY_ARTICLE for s in claim.repeated_in)


def test_known_misattributions_are_recorded(bundled_kb: KnowledgeBase) -> None:
    text = {c.id: (c.title + " " + c.statement).lower() for c in bundled_kb.claims}
    assert any("annals of neurology" in t for t in text.values())
    assert any("clinics in rheumatic" in t for t in text.values())


def test_five_seed_articles_are_lay_sources(bundled_kb: KnowledgeBase) -> None:
    lay = [s for s in bundled_kb.sources if s.design is StudyDesign.LAY_ARTICLE]
    assert len(lay) >= 5


def test_opioid_contraindication_lists_common_drugs(bundled_kb: KnowledgeBase) -> None:
    opioid = next(c for c in bundled_kb.contraindications if "opioid" in c.title.lower())
    aliases = {a.lower() for a in opioid.aliases}
    for drug in (
        "morphine",
        "oxycodone",
        "hydrocodone",
        "codeine",
        "tramadol",
        "tapentadol",
        "fentanyl",
        "methadone",
        "buprenorphine",
    ):
        assert drug in aliases, drug


def test_tlr4_mechanism_carries_the_isomer_caveat(bundled_kb: KnowledgeBase) -> None:
    tlr4 = next(m for m in bundled_kb.mechanisms if "tlr4" in m.title.lower())
    text = " ".join([tlr4.summary, tlr4.details or "", *tlr4.caveats]).lower()
    assert "(+)" in text or "isomer" in text
    assert tlr4.evidence_type is not EvidenceType.HUMAN


def test_meta_has_disclaimer_legend_and_date(bundled_kb: KnowledgeBase) -> None:
    assert "off-label" in bundled_kb.meta.disclaimer.lower()
    assert len(bundled_kb.meta.grade_legend) == 4


def test_no_trial_protocol_counts_as_a_trial(bundled_kb: KnowledgeBase) -> None:
    protocols = {s.id for s in bundled_kb.sources if s.design is StudyDesign.TRIAL_PROTOCOL}
    for c in bundled_kb.conditions:
        for sid in c.evidence.source_ids:
            if sid in protocols:
                assert c.evidence.grade is not Grade.MODERATE


@pytest.mark.skipif(not (SHARED / "tools").is_dir(), reason="../shared/tools is not beside this checkout")
@pytest.mark.parametrize("tool", ["seed_overlap.py", "check_citations.py"])
def test_shared_content_checks_pass(tool: str) -> None:
    r = subprocess.run(
        [sys.executable, str(SHARED / "tools" / tool), str(PROJECT)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr


_SEE_THE = re.compile(r"\(see (?:also )?the ([^)]+?) (?:entry|contraindication|prescribing topic|precaution entry)\)")


def test_every_see_the_entry_reference_names_another_entry(bundled_kb: KnowledgeBase) -> None:
    """'(see the pregnancy entry)' must lead somewhere: another entry whose title or aliases hold its words
    (the thyroid interaction's advice pointed to a 'thyroid hormone replacement entry' that does not exist)."""
    generic = {"the", "and", "of", "entry", "topic"}
    for entry in bundled_kb.entries():
        text = entry.model_dump_json()
        for phrase in _SEE_THE.findall(text):
            wanted = {w for w in re.findall(r"[a-z]+", phrase.lower()) if w not in generic}
            others = [
                e for e in bundled_kb.entries()
                if e.id != entry.id
                and wanted <= set(re.findall(r"[a-z]+", " ".join((e.title, *getattr(e, "aliases", ()))).lower()))
            ]
            assert others, f"{entry.id}: '(see the {phrase} …)' names no other entry"


def test_the_gi_survey_is_read_from_its_full_abstract(bundled_kb: KnowledgeBase) -> None:
    """The PubMed abstract of the GI survey lost text ("15 were markedly improved, 32 were moderately worse"); the
    full abstract has 32 moderately improved. No entry may report the cut reading (review 2026-12-03)."""
    for entry in bundled_kb.entries():
        text = entry.model_dump_json()
        assert not re.search(r"32 (were )?moderately worse|more patients with IBS and bacterial overgrowth worse", text)
    ibs = bundled_kb.get("condition:irritable-bowel-syndrome")
    assert ibs is not None and "58 of 85" in ibs.summary


def test_a_rationale_does_not_repeat_its_label_or_the_kb_history(bundled_kb: KnowledgeBase) -> None:
    """The page and the sheet label a rationale ("Why this grade?", "Why moderate certainty:"); 20 rationales began
    "Why this grade:" again, and one told of KB 1.0's grade, which belongs in the changelog (tester, 2026-12-03)."""
    found = re.findall(r'"rationale":"((?:Why this grade|[^"]*\b1\.0 graded)[^"]{0,40})', bundled_kb.model_dump_json())
    assert found == []
