"""Building blocks of the KB models: field types, the strict base model, certainty, studies, metadata.

Re-exported by :mod:`ldn_browser.core.entities` (the one module callers import models from).
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ldn_browser.core import model_options, text_policy, validators
from ldn_browser.core.vocab import Basis, Direction, Grade, Rating

# Field limits: identifiers tight, texts generous, lists capped. They are part of the generated JSON
# Schema (maxLength, maxItems); the loader checks list lengths before building any model (core/kb.py).

MAX_ID = 120
"""Characters of an entry id (the longest bundled id has 52)."""
MAX_DOI = 300
"""Characters of a DOI (the longest bundled DOI has 32; registered DOIs stay far below 300)."""
MAX_REGISTRY_ID = 80
"""Characters of a trial registration such as "EudraCT 2019-000852-32 / NL9259"."""
MAX_TITLE = 300
MAX_ALIAS = 120
MAX_TEXT = 20_000
MAX_ENTRIES_PER_LIST = 10_000
"""Entries of one kind (the README's performance goals are set for 10,000 entries)."""
MAX_ENTRIES_TOTAL = 20_000
"""Entries in all."""
MAX_ITEMS = 2_000
"""Items of any list inside an entry or the metadata (the loader's cap before models are built)."""
MAX_IDS = 300
"""Ids in one list of references."""
MAX_SHORT_LIST = 100
"""Aliases, authors, studies, caveats, schedule rows, points and similar lists."""


def _kb_text(value: str) -> str:
    problem = text_policy.kb_text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE), AfterValidator(_kb_text)
]


Alias = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ALIAS), AfterValidator(_kb_text)
]


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT), AfterValidator(_kb_text)
]


EntityId = Annotated[str, StringConstraints(max_length=MAX_ID), AfterValidator(validators.entity_id)]


Pmid = Annotated[
    str, AfterValidator(validators.pmid), Field(json_schema_extra={"pattern": validators.PMID_PATTERN, "maxLength": 9})
]


Pmcid = Annotated[
    str,
    AfterValidator(validators.pmcid),
    Field(json_schema_extra={"pattern": validators.PMCID_PATTERN, "maxLength": 12}),
]


Doi = Annotated[str, StringConstraints(max_length=MAX_DOI), AfterValidator(validators.doi)]


RegistryId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=MAX_REGISTRY_ID),
    AfterValidator(validators.registry_id),
]


Count = Annotated[int, Strict()]
"""An integer written as one (``true`` or ``17.0`` are typos, not 1 and 17)."""


Flag = Annotated[bool, Strict()]
"""``true`` or ``false`` only (not ``"yes"`` or ``1``)."""


class KbModel(BaseModel):
    """Base of every KB model: immutable, strict about unknown fields."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        use_attribute_docstrings=model_options.field_docstrings,  # JSON Schema descriptions; see model_options
        validate_default=True,
        defer_build=model_options.defer_build,  # see model_options
    )


class CrossReferenceError(ValueError):
    """Raised by the root validator; carries the JSON location of the offending value."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class Certainty(KbModel):
    """How certain a statement is: a GRADE grade, or the basis of an ungraded statement (exactly one).

    A statement that rests on the product label or on receptor pharmacology shows that basis
    ("Label · not graded"), never a low efficacy grade that would invite reading it as weak.
    """

    grade: Grade | None = None
    """GRADE certainty of the evidence behind the statement (None when *basis* is given)."""
    basis: Basis | None = None
    """What an ungraded statement rests on: label, pharmacology, or no studies found."""
    rationale: Text
    """Why this grade (or this basis): study designs, risk of bias, imprecision, indirectness."""
    source_ids: tuple[EntityId, ...] = Field(default=(), max_length=MAX_IDS)
    """Sources the statement rests on (never lay articles); at least one unless no studies were found."""
    claims_checked: tuple[EntityId, ...] = Field(default=(), max_length=MAX_IDS)
    """Lay articles whose claims on this topic were checked: shown apart, never as a basis."""

    @field_validator("source_ids")
    @classmethod
    def _needs_sources(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if not value and info.data.get("basis") is not Basis.NO_STUDIES:
            raise ValueError("at least one id is needed (only a 'no_studies' basis may have none)")
        return value

    @model_validator(mode="after")
    def _grade_or_basis(self) -> Self:
        if (self.grade is None) == (self.basis is None):
            raise ValueError("give exactly one of grade (a GRADE level) or basis (label, pharmacology, no_studies)")
        return self

    @property
    def rating(self) -> Rating:
        """What the badge shows: the grade, or the basis."""
        rating = self.grade if self.grade is not None else self.basis
        assert rating is not None  # checked by the validator
        return rating


class Evidence(Certainty):
    """Efficacy evidence: certainty plus direction of effect, which are kept separate."""

    direction: Direction
    """Which way the evidence points (benefit, no benefit, mixed, unclear)."""

    @model_validator(mode="after")
    def _efficacy_basis(self) -> Self:
        if self.basis is not None and self.basis is not Basis.NO_STUDIES:
            raise ValueError("efficacy evidence is graded, or has basis 'no_studies'; label/pharmacology do not apply")
        if self.basis is Basis.NO_STUDIES and self.direction is not Direction.UNCLEAR:
            raise ValueError("with no studies found the direction of effect is 'unclear'")
        return self


class Study(KbModel):
    """One key study behind a condition entry; design and n come from the source."""

    source_id: EntityId
    """The source reporting the study."""
    population: Text
    """Who was studied, e.g. "40 adults with active Crohn's disease"."""
    dose: Text | None = None
    """Dose and duration as reported; None where the source did not confirm it."""
    result: Text
    """Main result in plain words, including null and negative results."""
    direction: Direction
    """Direction of this study's main result."""
    indirect: Flag = False
    """The population is not (only) this condition's, e.g. a mixed arthritis pilot: not counted as its trial."""


class RegisteredTrial(KbModel):
    """A trial registered for a condition whose results were not found: so a reader can judge publication bias."""

    registry_id: RegistryId
    """E.g. "NCT03008590" or "ACTRN12623000172606"."""
    title: Title
    status: Title | None = None
    """Registry status as seen (e.g. "completed", "terminated"); None where not seen."""
    results_posted: Flag | None = None
    """Whether results were posted on the registry; None where not seen."""
    checked: dt.date
    """When the registry record was last looked at."""
    seen_at: Text
    """Where the record was seen."""


class DoseStep(KbModel):
    """A row of a titration or dosing schedule table."""

    step: Title
    """Label of the step, e.g. "Week 1"."""
    dose: Title
    """Dose at this step, e.g. "1.5 mg at night"."""
    note: Text | None = None
    """What to watch for or when to move on."""


class GradeLegendItem(KbModel):
    """One row of the evidence-grade legend shown in Help and on sheets."""

    grade: Grade
    meaning: Text


class SafetyPoint(KbModel):
    """One line of the safety box shown on the Overview, on "LDN at a glance" and on every condition sheet."""

    text: Text
    """The rule, in one or two sentences."""
    entry_id: EntityId
    """The entry that explains it (a contraindication, interaction or prescribing topic)."""
    source_ids: tuple[EntityId, ...] = Field(min_length=1, max_length=MAX_IDS)


class Change(StrEnum):
    """What happened to an entry in a release."""

    ADDED = "added"
    CHANGED = "changed"
    REGRADED = "regraded"
    CORRECTED = "corrected"
    REMOVED = "removed"


class ChangeItem(KbModel):
    """One change in a release, with one line why: to an entry, or to a part of the KB that is not an entry."""

    entry_id: EntityId | None = None
    """The entry that changed."""
    part: Title | None = None
    """What changed when it is not an entry, e.g. "Patient leaflet" (exactly one of ``entry_id`` and ``part``)."""
    change: Change
    why: Text

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.entry_id is None) == (self.part is None):
            raise ValueError(
                "a changelog item names exactly one of entry_id (an entry) and part (what changed that is not an "
                "entry, e.g. 'Patient leaflet')"
            )
        return self

    @property
    def subject(self) -> str:
        """The entry id or the part's name."""
        return self.entry_id or self.part or ""


class Release(KbModel):
    """One KB release."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$", max_length=20)]
    date: dt.date
    summary: Text
    items: tuple[ChangeItem, ...] = Field(default=(), max_length=MAX_ITEMS)


class Meta(KbModel):
    """KB-wide metadata."""

    kb_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$", max_length=20)]
    """Version of the KB content, e.g. "1.0.0"."""
    content_as_of: dt.date
    """Date up to which the literature was reviewed."""
    disclaimer: Text
    """Shown in About and on every printed page."""
    grade_legend: tuple[GradeLegendItem, ...] = Field(min_length=4, max_length=4)
    """Meaning of each GRADE level, one row per level."""
    about: Text | None = None
    """What LDN is, shown on the Overview tab."""
    safety_points: tuple[SafetyPoint, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """What every prescriber must know before starting, shown first wherever LDN is summarised."""
    changelog: tuple[Release, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """What changed in each KB release, newest first (the app shows it as "What's new")."""

    @model_validator(mode="after")
    def _legend_covers_all_grades(self) -> Self:
        grades = [item.grade for item in self.grade_legend]
        if sorted(grades) != sorted(Grade):
            raise ValueError("grade_legend must have exactly one row for each of high, moderate, low, very_low")
        return self


class RegulatoryStatus(KbModel):
    """Whether and how LDN can be supplied in one country."""

    country: Title
    status: Text
    source_ids: tuple[EntityId, ...] = Field(min_length=1, max_length=MAX_IDS)


def check_review_dates(content_as_of: dt.date, reviewed: Iterable[tuple[str, str, dt.date]]) -> None:
    """No entry is reviewed after the KB's content date (*reviewed*: location, id and date of each review): a sheet
    printing "content as of 1 Dec" beside "reviewed 3 Dec" contradicts itself."""
    for location, entry_id, date in reviewed:
        if date > content_as_of:
            raise CrossReferenceError(
                location,
                f"{entry_id} was reviewed on {date.isoformat()}, after the KB's content date "
                f"{content_as_of.isoformat()}: move meta.content_as_of on (and the changelog's date)",
            )
