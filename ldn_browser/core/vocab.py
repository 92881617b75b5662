"""The knowledge base's controlled vocabulary: kinds, grades, directions, designs and their labels.

Plain enumerations with no pydantic, so the command line and the window frame can use them without
paying for the models (start-up). ``ldn_browser.core.entities`` re-exports every name.
"""

from __future__ import annotations

from enum import StrEnum

# ---------------------------------------------------------------------------------------------
# Enumerations


class Kind(StrEnum):
    """The seven kinds of KB entry; also the prefix of every id."""

    CONDITION = "condition"
    MECHANISM = "mechanism"
    CONTRAINDICATION = "contraindication"
    SIDE_EFFECT = "side_effect"
    DOSING = "dosing"
    SOURCE = "source"
    CLAIM = "claim"

    @property
    def label(self) -> str:
        """Singular human label, e.g. "Side effect"."""
        return _KIND_LABELS[self][0]

    @property
    def plural(self) -> str:
        """Plural human label, e.g. "Side effects"."""
        return _KIND_LABELS[self][1]


_KIND_LABELS = {
    Kind.CONDITION: ("Condition", "Conditions"),
    Kind.MECHANISM: ("Mechanism", "Mechanisms"),
    Kind.CONTRAINDICATION: ("Contraindication", "Contraindications"),
    Kind.SIDE_EFFECT: ("Side effect", "Side effects"),
    Kind.DOSING: ("Dosing", "Dosing"),
    Kind.SOURCE: ("Source", "Sources"),
    Kind.CLAIM: ("Claim", "Claims"),
}


class Grade(StrEnum):
    """GRADE certainty of evidence."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"

    @property
    def rank(self) -> int:
        """Number of filled circles: 4 (high) to 1 (very low)."""
        return _GRADE_RANK[self]

    @property
    def label(self) -> str:
        """Human word, e.g. "Very low"."""
        return self.value.replace("_", " ").capitalize()

    @property
    def symbol(self) -> str:
        """GRADE symbols, e.g. "⊕⊕◯◯" for low: text, never colour alone."""
        return "⊕" * self.rank + "◯" * (4 - self.rank)

    @property
    def badge_text(self) -> str:
        """Word plus symbols, e.g. "Low ⊕⊕◯◯"."""
        return f"{self.label} {self.symbol}"

    @property
    def accessible_name(self) -> str:
        """Screen-reader text, e.g. "Certainty: low, 2 of 4"."""
        return f"Certainty: {self.label.lower()}, {self.rank} of 4"


_GRADE_RANK = {Grade.HIGH: 4, Grade.MODERATE: 3, Grade.LOW: 2, Grade.VERY_LOW: 1}


class Direction(StrEnum):
    """Direction of effect, kept separate from the certainty of the evidence."""

    BENEFIT = "benefit"
    NO_BENEFIT = "no_benefit"
    MIXED = "mixed"
    UNCLEAR = "unclear"

    @property
    def label(self) -> str:
        """Human label, e.g. "No benefit"."""
        return self.value.replace("_", " ").capitalize()

    @property
    def symbol(self) -> str:
        """A glyph that reads without colour: ↑ benefit, ○ no benefit, ± mixed, ? unclear."""
        return _DIRECTION_SYMBOL[self]


_DIRECTION_SYMBOL = {
    Direction.BENEFIT: "↑",
    Direction.NO_BENEFIT: "○",
    Direction.MIXED: "±",
    Direction.UNCLEAR: "?",
}


class EvidenceType(StrEnum):
    """What kind of evidence a mechanism rests on (mechanisms are not GRADE-rated)."""

    HUMAN = "human"
    ANIMAL = "animal"
    IN_VITRO = "in_vitro"
    HYPOTHESIS = "hypothesis"

    @property
    def label(self) -> str:
        """Human label, e.g. "In vitro"."""
        return {"human": "Human data", "animal": "Animal data", "in_vitro": "In vitro", "hypothesis": "Hypothesis"}[
            self.value
        ]


class Severity(StrEnum):
    """How strongly a contraindication or precaution applies."""

    CONTRAINDICATED = "contraindicated"
    AVOID = "avoid"
    CAUTION = "caution"

    @property
    def label(self) -> str:
        """Human label, e.g. "Contraindicated"."""
        return self.value.capitalize()


class Verdict(StrEnum):
    """What the evidence says about a circulating claim."""

    SUPPORTED = "supported"
    PARTLY_SUPPORTED = "partly_supported"
    UNSUPPORTED = "unsupported"
    MISATTRIBUTED = "misattributed"
    NOT_FOUND = "not_found"

    @property
    def label(self) -> str:
        """Human label, e.g. "Partly supported"."""
        return self.value.replace("_", " ").capitalize()


class StudyDesign(StrEnum):
    """Design of a source, used for grading rules and shown as a tag."""

    SYSTEMATIC_REVIEW = "systematic_review"
    RCT = "rct"
    CROSSOVER_RCT = "crossover_rct"
    OPEN_LABEL_TRIAL = "open_label_trial"
    COHORT_REGISTRY = "cohort_registry"
    CASE_SERIES = "case_series"
    PRECLINICAL = "preclinical"
    NARRATIVE_REVIEW = "narrative_review"
    EXPERT_OPINION = "expert_opinion"
    TRIAL_PROTOCOL = "trial_protocol"
    REGULATORY = "regulatory"
    LAY_ARTICLE = "lay_article"

    @property
    def label(self) -> str:
        """Human label, e.g. "Crossover RCT"."""
        return _DESIGN_LABELS[self]

    @property
    def is_randomised(self) -> bool:
        """True for randomised trials and systematic reviews (what moderate/high grades need)."""
        return self in RANDOMISED_DESIGNS


_DESIGN_LABELS = {
    StudyDesign.SYSTEMATIC_REVIEW: "Systematic review",
    StudyDesign.RCT: "RCT",
    StudyDesign.CROSSOVER_RCT: "Crossover RCT",
    StudyDesign.OPEN_LABEL_TRIAL: "Open-label trial",
    StudyDesign.COHORT_REGISTRY: "Cohort / registry",
    StudyDesign.CASE_SERIES: "Case series",
    StudyDesign.PRECLINICAL: "Preclinical",
    StudyDesign.NARRATIVE_REVIEW: "Narrative review",
    StudyDesign.EXPERT_OPINION: "Expert opinion",
    StudyDesign.TRIAL_PROTOCOL: "Trial protocol (no results)",
    StudyDesign.REGULATORY: "Regulatory / label",
    StudyDesign.LAY_ARTICLE: "Lay article",
}
RANDOMISED_DESIGNS = frozenset({StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.RCT, StudyDesign.CROSSOVER_RCT})
TRIAL_DESIGNS = frozenset({StudyDesign.RCT, StudyDesign.CROSSOVER_RCT})


class Verification(StrEnum):
    """How completely a source's details were confirmed against its own record."""

    FULL = "full"
    PARTIAL = "partial"
