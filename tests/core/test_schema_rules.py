"""KB 1.1 schema rules: grade or basis, lay articles never a basis, what a moderate grade needs, trial counts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ldn_browser.core.entities import Basis, KnowledgeBase
from ldn_browser.core.kb import KbError, parse_kb


@pytest.fixture(scope="module")
def base(mini_kb_path: Path) -> dict[str, Any]:
    return json.loads(mini_kb_path.read_text(encoding="utf-8"))


def _load(data: dict[str, Any]) -> KnowledgeBase:
    return parse_kb(json.dumps(data).encode(), "rules.json")


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(KbError) as info:
        _load(data)
    return "\n".join(info.value.lines())


def test_a_statement_has_a_grade_or_a_basis_never_both(base: dict[str, Any]) -> None:
    both = copy.deepcopy(base)
    both["contraindications"][0]["certainty"]["basis"] = "label"
    assert "exactly one of grade" in _error(both)
    neither = copy.deepcopy(base)
    del neither["contraindications"][0]["certainty"]["grade"]
    assert "exactly one of grade" in _error(neither)


def test_a_label_statement_shows_its_basis_not_a_grade(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    cert = data["contraindications"][0]["certainty"]
    del cert["grade"]
    cert["basis"] = "label"
    kb = _load(data)
    c = kb.contraindications[0].certainty
    assert c.grade is None and c.rating is Basis.LABEL
    assert c.rating.badge_text == "Label · not graded" and "⊕" not in c.rating.badge_text


def test_efficacy_evidence_cannot_rest_on_the_label(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    ev = data["conditions"][0]["evidence"]
    del ev["grade"]
    ev["basis"] = "label"
    assert "efficacy evidence is graded" in _error(data)


def test_no_studies_found_needs_no_source_but_unclear_direction(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    ev = data["conditions"][1]["evidence"]
    ev.pop("grade")
    ev.update(basis="no_studies", source_ids=[], direction="benefit")
    assert "direction of effect is 'unclear'" in _error(data)
    ev["direction"] = "unclear"
    assert _load(data).conditions[1].evidence.rating is Basis.NO_STUDIES


def test_graded_statement_without_sources_is_refused_at_source_ids(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["conditions"][0]["evidence"]["source_ids"] = []
    assert "conditions[0].evidence.source_ids" in _error(data)


def test_a_lay_article_is_never_what_a_statement_rests_on(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["conditions"][0]["evidence"]["source_ids"].append("source:seed-ra-article")
    message = _error(data)
    assert "lay articles are never a basis" in message and "claims_checked" in message
    data["conditions"][0]["evidence"]["source_ids"].pop()
    data["conditions"][0]["evidence"]["claims_checked"] = ["source:seed-ra-article"]
    assert _load(data).conditions[0].evidence.claims_checked == ("source:seed-ra-article",)


def test_claims_checked_lists_only_lay_articles(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    data["conditions"][0]["evidence"]["claims_checked"] = ["source:smith2011-crohns-rct"]
    assert "claims_checked must list lay articles" in _error(data)


def test_moderate_needs_an_rct_or_a_review_that_pools_rcts(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    review = copy.deepcopy(data["sources"][0])
    review.update(id="source:qualitative-review", design="systematic_review", title="A qualitative review")
    data["sources"].append(review)
    ev = data["conditions"][1]["evidence"]
    ev.update(grade="moderate", source_ids=["source:qualitative-review"])
    assert "pools randomised trials" in _error(data)
    review["pools_rcts"] = True
    assert _load(data).conditions[1].evidence.grade is not None


def test_a_secondary_analysis_counts_as_its_trial_once(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    secondary = copy.deepcopy(next(s for s in data["sources"] if s["id"] == "source:bruun2024-final"))
    secondary.update(id="source:bruun2025-secondary", design="secondary_analysis", trial_of="source:bruun2024-final")
    data["sources"].append(secondary)
    fm = data["conditions"][1]
    row = copy.deepcopy(fm["studies"][0])
    row["source_id"] = "source:bruun2025-secondary"
    fm["studies"].append(row)
    kb = _load(data)
    assert [s.id for s in kb.randomised_trials(kb.conditions[1])] == ["source:bruun2024-final"]


def test_an_indirect_trial_is_not_the_conditions_trial(base: dict[str, Any]) -> None:
    data = copy.deepcopy(base)
    for study in data["conditions"][0]["studies"]:
        study["indirect"] = True
    kb = _load(data)
    assert kb.randomised_trial_count(kb.conditions[0]) == 0


@pytest.mark.parametrize(
    ("pattern", "trials"),
    [("rheumatoid", 0), ("psoriatic", 0), ("fibromyalgia", 4), ("crohn", 2), ("lupus", 0)],
)
def test_bundled_trial_counts_count_distinct_trials_in_the_own_population(
    bundled_kb: KnowledgeBase, pattern: str, trials: int
) -> None:
    condition = next(c for c in bundled_kb.conditions if pattern in c.title.lower())
    assert bundled_kb.randomised_trial_count(condition) == trials, [
        s.id for s in bundled_kb.randomised_trials(condition)
    ]


def test_show_json_reports_randomised_trials(capsys: pytest.CaptureFixture[str]) -> None:
    from ldn_browser.cli import main

    assert main(["show", "condition:rheumatoid-arthritis", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["randomised_trials"] == 0 and data["randomised_trial_ids"] == []
