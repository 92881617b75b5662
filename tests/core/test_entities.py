"""Model behaviour: grades as text and symbol, derived citations, counts."""

from __future__ import annotations

import pytest

from ldn_browser.core.entities import Direction, Grade, Kind, KnowledgeBase, StudyDesign


@pytest.mark.parametrize(
    ("grade", "badge", "accessible"),
    [
        (Grade.HIGH, "High ⊕⊕⊕⊕", "Certainty: high, 4 of 4"),
        (Grade.MODERATE, "Moderate ⊕⊕⊕◯", "Certainty: moderate, 3 of 4"),
        (Grade.LOW, "Low ⊕⊕◯◯", "Certainty: low, 2 of 4"),
        (Grade.VERY_LOW, "Very low ⊕◯◯◯", "Certainty: very low, 1 of 4"),
    ],
)
def test_grade_reads_as_text_and_symbol(grade: Grade, badge: str, accessible: str) -> None:
    assert grade.badge_text == badge
    assert grade.accessible_name == accessible


def test_direction_labels_are_distinct_from_grades() -> None:
    assert [d.label for d in Direction] == ["Benefit", "No benefit", "Mixed", "Unclear"]
    assert len({d.symbol for d in Direction}) == 4


def test_randomised_designs() -> None:
    assert StudyDesign.CROSSOVER_RCT.is_randomised
    assert not StudyDesign.SYSTEMATIC_REVIEW.is_randomised  # 1.1: only an SR that pools RCTs supports moderate/high
    assert not StudyDesign.SECONDARY_ANALYSIS.is_randomised  # counted through its trial (trial_of)
    assert not StudyDesign.SINGLE_BLIND_CONTROLLED.is_randomised
    assert not StudyDesign.TRIAL_PROTOCOL.is_randomised
    assert not StudyDesign.OPEN_LABEL_TRIAL.is_randomised


def test_cited_by_is_derived(mini_kb: KnowledgeBase) -> None:
    assert mini_kb.cited_by("source:smith2011-crohns-rct") == (
        "condition:crohns-disease",
        "side_effect:vivid-dreams",
        "dosing:usual-range",
    )
    assert mini_kb.cited_by("source:seed-ra-article") == ("claim:ldn-boosts-tregs",)


def test_entries_by_kind_and_get(mini_kb: KnowledgeBase) -> None:
    assert [e.id for e in mini_kb.entries(Kind.CONDITION)] == ["condition:crohns-disease", "condition:fibromyalgia"]
    assert len(mini_kb.entries()) == 11
    assert mini_kb.get("nope:x") is None


def test_randomised_trial_count(mini_kb: KnowledgeBase) -> None:
    crohns = mini_kb.get("condition:crohns-disease")
    assert mini_kb.randomised_trial_count(crohns) == 1  # type: ignore[arg-type]


def test_source_links_are_canonical(mini_kb: KnowledgeBase) -> None:
    s = mini_kb.source("source:smith2011-crohns-rct")
    assert s.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/21380937/"
    assert s.doi_url == "https://doi.org/10.1007/s10620-011-1653-7"
    assert s.short_citation == "Smith JP et al. 2011. Dig Dis Sci"


def test_mechanisms_for(mini_kb: KnowledgeBase) -> None:
    assert [m.id for m in mini_kb.mechanisms_for("condition:crohns-disease")] == ["mechanism:opioid-receptor-rebound"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # a long label title, cut: the ellipsis ends it, no full stop after it (review: "prescri…. n.d.")
        (
            {
                "authors": [],
                "year": None,
                "journal": None,
                "title": "Naltrexone hydrochloride tablets 50 mg: prescribing information (US generic label)",
            },
            "Naltrexone hydrochloride tablets 50 mg: prescri… n.d.",
        ),
        ({"authors": [], "year": 2020, "journal": None, "title": "A guideline."}, "A guideline. 2020"),
        ({"authors": [], "year": None, "journal": "BMJ", "title": "Does LDN help?"}, "Does LDN help? n.d. BMJ"),
        ({"authors": ["Smith JP."], "year": None, "journal": "Dig Dis Sci"}, "Smith JP. n.d. Dig Dis Sci"),
        ({"authors": ["Smith JP", "Zagon IS"], "year": 2011, "journal": None}, "Smith JP, Zagon IS. 2011"),
    ],
)
def test_short_citation_never_doubles_punctuation(mini_kb: KnowledgeBase, changes: dict, expected: str) -> None:
    source = mini_kb.source("source:smith2011-crohns-rct").model_copy(update=changes)
    assert source.short_citation == expected
    assert ".." not in source.short_citation and "…." not in source.short_citation


def test_shortened_leaves_no_punctuation_before_the_ellipsis() -> None:
    from ldn_browser.core.text_policy import shortened, with_stop

    assert shortened("Tablets 50 mg. Prescribing information", 16) == "Tablets 50 mg…"
    assert shortened("short", 16) == "short"
    assert [with_stop(t) for t in ("Smith", "et al.", "cut…", "Why? ")] == ["Smith.", "et al.", "cut…", "Why?"]
