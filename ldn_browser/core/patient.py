"""Patient-facing KB content: the leaflet, the titration calendar's texts and defaults, the wallet card.

Every patient statement is a plain-language simplification of one clinical entry (``entry_id``), and
that entry carries the sources; :func:`check_patient_links` (called by ``KnowledgeBase``'s validator)
refuses a statement whose entry is missing or is not a clinical entry, and a condition whose grade
and direction have no plain wording. No fact lives here that is not in the linked entry.
"""

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from ldn_browser.core.blocks import MAX_SHORT_LIST, Alias, CrossReferenceError, EntityId, KbModel, Text, Title
from ldn_browser.core.vocab import Basis, Direction, Grade, Kind

if TYPE_CHECKING:
    from ldn_browser.core.entities import AnyEntry

CONDITION_PLACEHOLDER = "{condition}"
"""Where the condition's name goes in an evidence wording."""

CLINICAL_KINDS = frozenset(
    {Kind.CONDITION, Kind.CONTRAINDICATION, Kind.INTERACTION, Kind.SIDE_EFFECT, Kind.DOSING, Kind.PRESCRIBING}
)
"""Kinds a patient statement may simplify (they carry sources and a certainty)."""

Mg = Annotated[float, Field(gt=0, le=100)]


class LeafletPart(StrEnum):
    """The leaflet's sections, in print order; each appears exactly once."""

    WHAT = "what"
    EVIDENCE = "evidence"
    HOW_TO_TAKE = "how_to_take"
    SIDE_EFFECTS = "side_effects"
    OPIOIDS = "opioids"
    PREGNANCY = "pregnancy"
    CONTACT = "contact"


class PatientStatement(KbModel):
    """One plain-language statement and the clinical entry it simplifies."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
    """One to three short sentences in plain words."""
    entry_id: EntityId
    """The clinical entry (condition, contraindication, interaction, side effect, dosing, prescribing) it simplifies."""


class LeafletSection(KbModel):
    """A section of the leaflet: a heading and its statements."""

    part: LeafletPart
    heading: Title
    statements: tuple[PatientStatement, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)


class EvidenceWording(KbModel):
    """How the leaflet words a condition's evidence, by its grade (or basis) and direction.

    The text holds ``{condition}``; the statement is linked to the condition it is printed for.
    """

    rating: Grade | Basis
    direction: Direction | None = None
    """None: any direction not given its own wording."""
    text: Text

    @model_validator(mode="after")
    def _has_placeholder(self) -> Self:
        if self.text.count(CONDITION_PLACEHOLDER) != 1:
            raise ValueError(f"text must contain {CONDITION_PLACEHOLDER} exactly once")
        return self


class Term(KbModel):
    """A medical term the leaflet explains where it first uses it."""

    term: Alias
    """The term as printed, e.g. "off-label"."""
    explanation: Text
    """Words of the explanation; they must be in the first statement that uses the term."""


class PlainName(KbModel):
    """How a condition is named mid-sentence when its title's first letter must stay as it is."""

    condition_id: EntityId
    name: Title


class DoseLimits(KbModel):
    """The low-dose range the calendar checks doses against, from the dosing entries."""

    low_min_mg: Mg
    low_max_mg: Mg
    """Above this the calendar warns (outside the low-dose definition)."""
    range_entry_id: EntityId
    standard_mg: Mg
    """At or above this the dose is the standard (not a low) dose: refused."""
    standard_entry_id: EntityId


class TitrationDefaults(KbModel):
    """The calendar dialog's starting values: the most common study practice, labelled as practice."""

    start_mg: Mg
    step_mg: Annotated[float, Field(ge=0, le=100)]
    interval_days: Annotated[int, Field(ge=1, le=90)]
    target_mg: Mg
    time_of_day: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    note: PatientStatement
    """Where the defaults come from, for the prescriber (practice, not evidence)."""


class TitrationContent(KbModel):
    """The calendar sheet's texts."""

    title: Title
    evidence: tuple[PatientStatement, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """What is known about titration (no trial compared schemes); the first links the dosing entry."""
    defaults: TitrationDefaults
    limits: DoseLimits


class CardContent(KbModel):
    """The wallet card: what the bearer takes and what it means for opioid pain relief."""

    front_title: Title
    front: tuple[PatientStatement, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    back_title: Title
    back: tuple[PatientStatement, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """For the emergency team (the label's plan)."""
    fields: tuple[Title, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """Blank lines to fill in: name, dose, prescriber, phone."""


class PatientContent(KbModel):
    """Everything printed for patients; ``KnowledgeBase.patient``."""

    leaflet_title: Title
    disclaimer: Text
    """Printed in the footer of the patient leaflet and calendar."""
    sections: tuple[LeafletSection, ...] = Field(max_length=MAX_SHORT_LIST)
    evidence_heading: Title
    """Heading of the condition's evidence section in a per-condition leaflet ({condition} allowed)."""
    evidence_wording: tuple[EvidenceWording, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    terms: tuple[Term, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    plain_names: tuple[PlainName, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Names for conditions whose title is not lower-cased mid-sentence by the usual rule (eponyms)."""
    titration: TitrationContent
    card: CardContent

    @model_validator(mode="after")
    def _every_part_once_in_order(self) -> Self:
        parts = [s.part for s in self.sections]
        if parts != list(LeafletPart):
            raise ValueError("sections must be, in this order, one each of: " + ", ".join(p.value for p in LeafletPart))
        return self

    def section(self, part: LeafletPart) -> LeafletSection:
        """The section of *part* (each is present: checked at load)."""
        return next(s for s in self.sections if s.part is part)

    def wording_for(self, rating: Grade | Basis, direction: Direction) -> EvidenceWording | None:
        """The evidence wording for a grade and direction (a direction-specific one first)."""
        exact = [w for w in self.evidence_wording if w.rating == rating and w.direction is direction]
        if exact:
            return exact[0]
        return next((w for w in self.evidence_wording if w.rating == rating and w.direction is None), None)

    def statements(self) -> Iterator[tuple[str, PatientStatement]]:
        """(location within ``patient``, statement) of every statement."""
        for i, section in enumerate(self.sections):
            for j, st in enumerate(section.statements):
                yield f"sections[{i}].statements[{j}]", st
        for j, st in enumerate(self.titration.evidence):
            yield f"titration.evidence[{j}]", st
        yield "titration.defaults.note", self.titration.defaults.note
        for j, st in enumerate(self.card.front):
            yield f"card.front[{j}]", st
        for j, st in enumerate(self.card.back):
            yield f"card.back[{j}]", st


def check_patient_links(patient: PatientContent | None, by_id: Mapping[str, "AnyEntry"]) -> None:
    """Every statement simplifies an existing clinical entry; every condition's evidence has a wording.

    Raises:
        CrossReferenceError: Naming the location under ``patient`` and what is wrong.
    """
    if patient is None:
        return
    links = [(f"{loc}.entry_id", st.entry_id) for loc, st in patient.statements()]
    limits = patient.titration.limits
    links += [(f"plain_names[{j}].condition_id", n.condition_id) for j, n in enumerate(patient.plain_names)]
    links += [
        ("titration.limits.range_entry_id", limits.range_entry_id),
        ("titration.limits.standard_entry_id", limits.standard_entry_id),
    ]
    for loc, entry_id in links:
        target = by_id.get(entry_id)
        if target is None:
            raise CrossReferenceError(
                f"patient.{loc}", f"links unknown entry {entry_id!r}; link the clinical entry the text simplifies"
            )
        if target.kind not in CLINICAL_KINDS:
            raise CrossReferenceError(
                f"patient.{loc}",
                f"links {entry_id!r}, a {target.kind.value}; patient text must simplify a clinical entry "
                "(condition, contraindication, interaction, side effect, dosing or prescribing)",
            )
    for entry in by_id.values():
        if entry.kind is Kind.CONDITION:
            ev = entry.certainty_info
            assert ev is not None and entry.direction is not None
            if patient.wording_for(ev.rating, entry.direction) is None:
                raise CrossReferenceError(
                    "patient.evidence_wording",
                    f"no plain wording for {ev.rating.value} evidence with direction {entry.direction.value} "
                    f"(needed by {entry.id}); add one",
                )
    if limits.low_min_mg >= limits.low_max_mg or limits.low_max_mg >= limits.standard_mg:
        raise CrossReferenceError("patient.titration.limits", "need low_min_mg < low_max_mg < standard_mg")
