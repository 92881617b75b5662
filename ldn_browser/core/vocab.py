"""The knowledge base's controlled vocabulary: kinds, grades, directions, designs and their labels.

Plain enumerations with no pydantic, so the command line and the window frame can use them without
paying for the models (start-up). ``ldn_browser.core.entities`` re-exports every name.
"""

from __future__ import annotations

from enum import StrEnum

# ---------------------------------------------------------------------------------------------
# Enumerations


class Kind(StrEnum):
    """The kinds of KB entry, in tab order; also the prefix of every id."""

    CONDITION = "condition"
    MECHANISM = "mechanism"
    CONTRAINDICATION = "contraindication"
    INTERACTION = "interaction"
    SIDE_EFFECT = "side_effect"
    DOSING = "dosing"
    PRESCRIBING = "prescribing"
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

    def noun(self, count: int) -> str:
        """The noun for *count* entries of this kind in running text: "side effect", "dosing entries"."""
        one, many = _KIND_LABELS[self][2:]
        return one if count == 1 else many

    def counted(self, count: int) -> str:
        """*count* entries of this kind in running text, e.g. "1 side effect", "7 dosing entries"."""
        return f"{count} {self.noun(count)}"


_KIND_LABELS = {  # label, plural (tab titles), then the nouns a count takes in a sentence
    Kind.CONDITION: ("Condition", "Conditions", "condition", "conditions"),
    Kind.MECHANISM: ("Mechanism", "Mechanisms", "mechanism", "mechanisms"),
    Kind.CONTRAINDICATION: ("Contraindication", "Contraindications", "contraindication", "contraindications"),
    Kind.INTERACTION: ("Interaction", "Interactions", "interaction", "interactions"),
    Kind.SIDE_EFFECT: ("Side effect", "Side effects", "side effect", "side effects"),
    Kind.DOSING: ("Dosing", "Dosing", "dosing entry", "dosing entries"),
    Kind.PRESCRIBING: ("Prescribing topic", "Prescribing", "prescribing topic", "prescribing topics"),
    Kind.SOURCE: ("Source", "Sources", "source", "sources"),
    Kind.CLAIM: ("Claim", "Claims", "claim", "claims"),
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


class Basis(StrEnum):
    """What a statement rests on when it is not graded with GRADE.

    Label and pharmacology statements are not weak evidence: they show their basis instead of an
    efficacy grade. "No studies found" is distinct from "very low" certainty.
    """

    LABEL = "label"
    PHARMACOLOGY = "pharmacology"
    NO_STUDIES = "no_studies"

    @property
    def label(self) -> str:
        """Human label, e.g. "Product label"."""
        return _BASIS_TEXT[self][0]

    @property
    def badge_text(self) -> str:
        """What the badge says, e.g. "Label · not graded"."""
        return _BASIS_TEXT[self][1]

    @property
    def accessible_name(self) -> str:
        """Screen-reader text, e.g. "Basis: product label; not an evidence grade"."""
        return _BASIS_TEXT[self][2]

    @property
    def rank(self) -> int:
        """Sorts below every grade (0)."""
        return 0


_BASIS_TEXT = {
    Basis.LABEL: ("Product label", "Label · not graded", "Basis: product label; not an evidence grade"),
    Basis.PHARMACOLOGY: (
        "Receptor pharmacology",
        "Pharmacology · not graded",
        "Basis: receptor pharmacology; not an evidence grade",
    ),
    Basis.NO_STUDIES: ("No studies found", "No studies found", "No clinical studies found; not graded"),
}

Rating = Grade | Basis
"""What a badge shows: a GRADE certainty, or the basis of an ungraded statement."""


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


class PrescribingTopic(StrEnum):
    """What a prescribing entry is about."""

    PHARMACOKINETICS = "pharmacokinetics"
    HEPATIC = "hepatic_impairment"
    RENAL = "renal_impairment"
    MONITORING = "monitoring"
    COUNSELLING = "counselling"
    PERIOPERATIVE = "perioperative"
    FORMULATION = "formulation"
    REGULATORY = "regulatory"

    @property
    def label(self) -> str:
        """Human label, e.g. "Renal impairment"."""
        return self.value.replace("_", " ").capitalize()


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
    SINGLE_BLIND_CONTROLLED = "single_blind_controlled"
    NON_RANDOMISED_CONTROLLED = "non_randomised_controlled"
    SECONDARY_ANALYSIS = "secondary_analysis"
    OPEN_LABEL_TRIAL = "open_label_trial"
    COHORT_REGISTRY = "cohort_registry"
    CASE_SERIES = "case_series"
    PRECLINICAL = "preclinical"
    NARRATIVE_REVIEW = "narrative_review"
    EXPERT_OPINION = "expert_opinion"
    TRIAL_PROTOCOL = "trial_protocol"
    CONFERENCE_ABSTRACT = "conference_abstract"
    REGISTRY_RESULTS = "registry_results"
    REGULATORY = "regulatory"
    LAY_ARTICLE = "lay_article"

    @property
    def label(self) -> str:
        """Human label, e.g. "Crossover RCT"."""
        return _DESIGN_LABELS[self]

    @property
    def is_randomised(self) -> bool:
        """True for randomised trials (parallel or crossover)."""
        return self in RANDOMISED_DESIGNS


_DESIGN_LABELS = {
    StudyDesign.SYSTEMATIC_REVIEW: "Systematic review",
    StudyDesign.RCT: "RCT",
    StudyDesign.CROSSOVER_RCT: "Crossover RCT",
    StudyDesign.SINGLE_BLIND_CONTROLLED: "Single-blind placebo-controlled trial",
    StudyDesign.NON_RANDOMISED_CONTROLLED: "Non-randomised controlled trial",
    StudyDesign.SECONDARY_ANALYSIS: "Secondary analysis of a trial",
    StudyDesign.OPEN_LABEL_TRIAL: "Open-label trial",
    StudyDesign.COHORT_REGISTRY: "Cohort / registry",
    StudyDesign.CASE_SERIES: "Case series",
    StudyDesign.PRECLINICAL: "Preclinical",
    StudyDesign.NARRATIVE_REVIEW: "Narrative review",
    StudyDesign.EXPERT_OPINION: "Expert opinion",
    StudyDesign.TRIAL_PROTOCOL: "Trial protocol (no results)",
    StudyDesign.CONFERENCE_ABSTRACT: "Conference abstract",
    StudyDesign.REGISTRY_RESULTS: "Registry results",
    StudyDesign.REGULATORY: "Regulatory / label",
    StudyDesign.LAY_ARTICLE: "Lay article",
}
TRIAL_DESIGNS = frozenset({StudyDesign.RCT, StudyDesign.CROSSOVER_RCT})
"""Randomised trials: what the per-condition trial count counts (each trial once)."""
RANDOMISED_DESIGNS = TRIAL_DESIGNS
"""Designs a moderate or high grade may rest on; a systematic review counts only if it pools RCTs."""


class Verification(StrEnum):
    """How completely a source's details were confirmed against its own record."""

    FULL = "full"
    PARTIAL = "partial"

    @property
    def mark(self) -> str:
        """ "†" after a partly confirmed source wherever it is cited in a table; "" when fully confirmed."""
        return "" if self is Verification.FULL else "†"

    @property
    def label(self) -> str:
        """Human label, e.g. "details partly confirmed (see where they were confirmed)"."""
        return _VERIFICATION_LABELS[self]


_VERIFICATION_LABELS = {
    Verification.FULL: "details confirmed against the source's own record",
    Verification.PARTIAL: "details partly confirmed (some only at secondary pages; see where below)",
}

PARTLY_CONFIRMED_NOTE = (
    "† Details of this source (journal, date, size or results) were only partly confirmed against its own "
    "record; its page says where they were checked."
)
"""The note under a table that cites a partly confirmed source (screen and paper)."""
