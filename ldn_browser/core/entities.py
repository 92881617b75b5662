"""Pydantic models of the knowledge base (KB): the single source of truth for its shape.

The JSON Schema in ``resources/kb/ldn_kb.schema.json`` is generated from these models
(``ldn-browser export-schema``); never edit it by hand.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import ClassVar, Literal, Self, get_args

from pydantic import Field, PrivateAttr, model_validator

from ldn_browser.core import links, text_policy, validators
from ldn_browser.core.blocks import (  # noqa: F401 - re-exported (see __all__)
    MAX_ENTRIES_PER_LIST,
    MAX_IDS,
    MAX_ITEMS,
    MAX_SHORT_LIST,
    Alias,
    Certainty,
    Change,
    ChangeItem,
    Count,
    CrossReferenceError,
    Doi,
    DoseStep,
    EntityId,
    Evidence,
    Flag,
    GradeLegendItem,
    KbModel,
    Meta,
    Pmcid,
    Pmid,
    RegisteredTrial,
    RegistryId,
    RegulatoryStatus,
    Release,
    SafetyPoint,
    Study,
    Text,
    Title,
    check_review_dates,
)
from ldn_browser.core.drugs import Drug, Naltrexone, OtherDrug, Product, check_naltrexone_links, check_products
from ldn_browser.core.patient import PatientContent, check_patient_links
from ldn_browser.core.vocab import (  # re-exported (see __all__): the models' vocabulary
    RANDOMISED_DESIGNS,
    TRIAL_DESIGNS,
    Basis,
    Direction,
    EvidenceType,
    Grade,
    Kind,
    PrescribingTopic,
    Rating,
    Severity,
    StudyDesign,
    Verdict,
    Verification,
)

__all__ = [
    "StatedEntry",
    "SafetyPoint",
    "RegisteredTrial",
    "Basis",
    "Change",
    "ChangeItem",
    "Interaction",
    "Prescribing",
    "PrescribingTopic",
    "Rating",
    "RegulatoryStatus",
    "Release",
    "Alias",
    "AnyEntry",
    "Certainty",
    "Claim",
    "Condition",
    "Contraindication",
    "CrossReferenceError",
    "Direction",
    "Doi",
    "DoseStep",
    "Dosing",
    "EntityId",
    "Entry",
    "Evidence",
    "EvidenceType",
    "Grade",
    "GradeLegendItem",
    "KbModel",
    "Kind",
    "KnowledgeBase",
    "Mechanism",
    "Meta",
    "Pmcid",
    "Pmid",
    "RANDOMISED_DESIGNS",
    "Severity",
    "SideEffect",
    "Source",
    "Study",
    "StudyDesign",
    "TRIAL_DESIGNS",
    "Text",
    "Title",
    "Verdict",
    "Verification",
    "references",
]

# ---------------------------------------------------------------------------------------------
# Entries


class Entry(KbModel):
    """Fields every entry has."""

    KIND: ClassVar[Kind]

    id: EntityId
    """Unique id ``kind:slug``; the kind must match the list the entry is in."""
    title: Title
    """Display title."""
    aliases: tuple[Alias, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Abbreviations, synonyms, spellings, lay terms and drug names; they feed search."""

    @model_validator(mode="after")
    def _id_matches_kind(self) -> Self:
        if validators.id_kind(self.id) != self.KIND.value:
            raise ValueError(
                f"id {self.id!r} is in the {self.KIND.value} list but starts with "
                f"{validators.id_kind(self.id)!r}; use '{self.KIND.value}:<slug>'"
            )
        return self

    @property
    def kind(self) -> Kind:
        """The entry's kind."""
        return self.KIND

    @property
    def certainty_info(self) -> Certainty | None:
        """The GRADE certainty of the entry, or None for kinds that are not graded."""
        return None

    @property
    def direction(self) -> Direction | None:
        """Direction of effect, for kinds that carry one."""
        return None

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """Yield (path within the entry, referenced id, expected kind) for every cross-reference."""
        certainty = self.certainty_info
        if certainty is not None:
            path = self._certainty_field()
            for j, sid in enumerate(certainty.source_ids):
                yield f"{path}.source_ids[{j}]", sid, Kind.SOURCE
            for j, sid in enumerate(certainty.claims_checked):
                yield f"{path}.claims_checked[{j}]", sid, Kind.SOURCE

    def _certainty_field(self) -> str:
        return "certainty"

    @property
    def slug(self) -> str:
        """The part of the id after the colon."""
        return self.id.split(":", 1)[1]


class StatedEntry(Entry):
    """An entry that makes one statement with a certainty (a GRADE grade or a basis) and its sources."""

    certainty: Certainty
    """How certain the statement is, and what it rests on."""

    @property
    def certainty_info(self) -> Certainty:
        """The certainty (or basis) of the statement."""
        return self.certainty


class Condition(Entry):
    """A condition LDN has been tried for, with the evidence for it."""

    KIND: ClassVar[Kind] = Kind.CONDITION
    summary: Text
    """Bottom line in GRADE wording (2-5 sentences)."""
    evidence: Evidence
    studies: tuple[Study, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Key studies, null and negative ones included."""
    doses_studied: Text | None = None
    """Doses used in studies of this condition."""
    caveats: tuple[Text, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    last_reviewed: dt.date
    registered_trials: tuple[RegisteredTrial, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Registered trials with no results found (publication bias); see docs/evidence-sweep.md."""

    @property
    def certainty_info(self) -> Certainty:
        """The efficacy evidence (certainty and direction)."""
        return self.evidence

    @property
    def direction(self) -> Direction:
        """Direction of effect of the evidence."""
        return self.evidence.direction

    def _certainty_field(self) -> str:
        return "evidence"

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """Evidence sources, then each key study's source."""
        yield from super().references()
        for j, study in enumerate(self.studies):
            yield f"studies[{j}].source_id", study.source_id, Kind.SOURCE


class Mechanism(Entry):
    """A proposed mechanism of action; rated by evidence type, not GRADE."""

    KIND: ClassVar[Kind] = Kind.MECHANISM
    summary: Text
    details: Text | None = None
    evidence_type: EvidenceType
    """The strongest kind of evidence the mechanism rests on."""
    caveats: tuple[Text, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    source_ids: tuple[EntityId, ...] = Field(min_length=1, max_length=MAX_IDS)
    condition_ids: tuple[EntityId, ...] = Field(default=(), max_length=MAX_IDS)
    """Conditions this mechanism is invoked for."""

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """Sources, then the conditions the mechanism is invoked for."""
        for j, sid in enumerate(self.source_ids):
            yield f"source_ids[{j}]", sid, Kind.SOURCE
        for j, cid in enumerate(self.condition_ids):
            yield f"condition_ids[{j}]", cid, Kind.CONDITION


class Contraindication(StatedEntry):
    """A contraindication or precaution, with what to do."""

    KIND: ClassVar[Kind] = Kind.CONTRAINDICATION
    severity: Severity
    summary: Text
    action: Text
    """What the prescriber should do."""


class SideEffect(StatedEntry):
    """An adverse effect, with what is known of its frequency, timing and management."""

    KIND: ClassVar[Kind] = Kind.SIDE_EFFECT
    summary: Text
    frequency: Text
    timing: Text
    management: Text


class Dosing(StatedEntry):
    """A dosing topic: range, titration, formulation, definitions, special populations."""

    KIND: ClassVar[Kind] = Kind.DOSING
    summary: Text
    details: Text | None = None
    schedule: tuple[DoseStep, ...] = Field(default=(), max_length=MAX_SHORT_LIST)


class Interaction(StatedEntry):
    """A drug or drug class and what taking it with LDN means."""

    KIND: ClassVar[Kind] = Kind.INTERACTION
    members: tuple[Drug, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """The generic drugs it covers, with their salts and other names."""
    products: tuple[Product, ...] = Field(default=(), max_length=MAX_ITEMS)
    """Brand, combination and generic products containing a member (the medication check and search use them)."""
    severity: Severity
    summary: Text
    """What happens, and why (mechanism)."""
    action: Text
    """What the prescriber should do."""

    @model_validator(mode="after")
    def _products_contain_members(self) -> Self:
        check_products(self.members, self.products, self.id)
        return self


class Prescribing(StatedEntry):
    """What a prescriber needs besides efficacy: pharmacology, monitoring, counselling, supply."""

    KIND: ClassVar[Kind] = Kind.PRESCRIBING
    topic: PrescribingTopic
    summary: Text
    points: tuple[Text, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """The facts, one per item (shown as a list)."""
    regulatory: tuple[RegulatoryStatus, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Status by country (regulatory topics)."""

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """The certainty's sources, then each country's sources."""
        yield from super().references()
        for j, status in enumerate(self.regulatory):
            for k, sid in enumerate(status.source_ids):
                yield f"regulatory[{j}].source_ids[{k}]", sid, Kind.SOURCE


class Source(Entry):
    """A publication or document; which entries cite it is derived, never stored."""

    KIND: ClassVar[Kind] = Kind.SOURCE
    authors: tuple[Title, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Authors as "Surname AB"; empty where not confirmed."""
    year: Count | None = Field(default=None, ge=1900, le=2100)
    journal: Title | None = None
    citation_detail: Title | None = None
    """Volume, issue and pages, e.g. "56(7):2088-97"."""
    pmid: Pmid | None = None
    pmcid: Pmcid | None = None
    doi: Doi | None = None
    registry_ids: tuple[RegistryId, ...] = Field(default=(), max_length=MAX_SHORT_LIST)
    """Trial registrations, e.g. "NCT00663117"."""
    design: StudyDesign
    n: Count | None = Field(default=None, ge=1)
    """Participants (or patients/cases); None where not applicable or not confirmed."""
    trial_of: EntityId | None = None
    """For a secondary analysis or follow-up: the source of the trial it belongs to (counted once)."""
    pools_rcts: Flag = False
    """For a systematic review: it pools randomised trials (what a moderate or high grade may rest on)."""
    summary: Text
    """Key finding in plain words."""
    verification: Verification
    confirmed_at: tuple[Text, ...] = Field(min_length=1, max_length=MAX_SHORT_LIST)
    """Where the details were confirmed (pages read, or the bibliography entry)."""

    @property
    def pubmed_url(self) -> str | None:
        """Canonical PubMed link."""
        return links.pubmed_url(self.pmid) if self.pmid else None

    @property
    def doi_url(self) -> str | None:
        """Canonical DOI link."""
        return links.doi_url(self.doi) if self.doi else None

    @property
    def short_citation(self) -> str:
        """E.g. "Smith JP et al. 2011. Dig Dis Sci"."""
        if not self.authors:
            who = text_policy.shortened(self.title, 48)
        elif len(self.authors) == 1:
            who = self.authors[0]
        elif len(self.authors) == 2:
            who = f"{self.authors[0]}, {self.authors[1]}"
        else:
            who = f"{self.authors[0]} et al."
        text = f"{text_policy.with_stop(who)} {self.year or 'n.d.'}"  # never "prescri…. n.d."
        return f"{text_policy.with_stop(text)} {self.journal}" if self.journal else text

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """The trial this source is a secondary analysis or follow-up of."""
        if self.trial_of is not None:
            yield "trial_of", self.trial_of, Kind.SOURCE


class Claim(Entry):
    """A statement circulating in lay articles, and what the evidence shows."""

    KIND: ClassVar[Kind] = Kind.CLAIM
    statement: Text
    """The claim as it circulates, paraphrased."""
    verdict: Verdict
    evidence_summary: Text
    """What the evidence actually shows."""
    reference_ids: tuple[EntityId, ...] = Field(default=(), max_length=MAX_IDS)
    """The correct reference(s), where there is one."""
    repeated_in: tuple[EntityId, ...] = Field(min_length=1, max_length=MAX_IDS)
    """Lay-article sources that repeat the claim."""

    def references(self) -> Iterator[tuple[str, str, Kind]]:
        """The correct references, then the lay articles that repeat the claim."""
        for j, sid in enumerate(self.reference_ids):
            yield f"reference_ids[{j}]", sid, Kind.SOURCE
        for j, sid in enumerate(self.repeated_in):
            yield f"repeated_in[{j}]", sid, Kind.SOURCE


AnyEntry = Condition | Mechanism | Contraindication | Interaction | SideEffect | Dosing | Prescribing | Source | Claim


class KnowledgeBase(KbModel):
    """The root: metadata plus one list per entry kind; cross-references are checked here."""

    schema_version: Literal["1"] = "1"
    meta: Meta
    conditions: tuple[Condition, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    mechanisms: tuple[Mechanism, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    contraindications: tuple[Contraindication, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    interactions: tuple[Interaction, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    side_effects: tuple[SideEffect, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    dosing: tuple[Dosing, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    prescribing: tuple[Prescribing, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    sources: tuple[Source, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    claims: tuple[Claim, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    patient: PatientContent | None = None
    """Patient leaflet, titration calendar and wallet card texts (core/patient.py); each links a clinical entry."""
    other_drugs: tuple[OtherDrug, ...] = Field(default=(), max_length=MAX_ENTRIES_PER_LIST)
    """Drugs the medication check recognises that have no interaction entry ("no data", not "not recognised")."""
    naltrexone: Naltrexone | None = None
    """Naltrexone itself: LDN's names and the products containing it (a duplicate in the medication check)."""

    _by_id_cache: dict[str, AnyEntry] | None = PrivateAttr(default=None)
    _citations_cache: dict[str, tuple[str, ...]] | None = PrivateAttr(default=None)
    _digest_cache: str | None = PrivateAttr(default=None)  # kb.kb_digest, once computed (kept in the snapshot)

    @classmethod
    def entry_lists(cls) -> tuple[tuple[str, Kind], ...]:
        """(field name, kind) of every entry list, in declaration order: derived from the fields."""
        return _entry_lists(cls)

    @classmethod
    def list_name(cls, kind: Kind) -> str:
        """The field holding the entries of *kind*."""
        for name, k in cls.entry_lists():
            if k is kind:
                return name
        raise KeyError(f"no entry list for kind {kind.value!r}; add a tuple[...] field to KnowledgeBase")

    def entries(self, kind: Kind | None = None) -> tuple[AnyEntry, ...]:
        """All entries, or those of one kind, in file order."""
        if kind is not None:
            return tuple(getattr(self, self.list_name(kind)))
        out: list[AnyEntry] = []
        for name, _ in self.entry_lists():
            out.extend(getattr(self, name))
        return tuple(out)

    def get(self, entry_id: str) -> AnyEntry | None:
        """The entry with this id, or None."""
        return self._by_id().get(entry_id)

    def source(self, source_id: str) -> Source:
        """The source with this id (ids are checked at load, so a KeyError is a bug)."""
        entry = self._by_id()[source_id]
        assert isinstance(entry, Source)
        return entry

    def sources_of(self, source_ids: Iterable[str]) -> tuple[Source, ...]:
        """The distinct sources among *source_ids*, in first-mention order (unknown ids skipped)."""
        found: dict[str, Source] = {}
        for sid in source_ids:
            entry = self.get(sid)
            if isinstance(entry, Source):
                found.setdefault(sid, entry)
        return tuple(found.values())

    def cited_by(self, source_id: str) -> tuple[str, ...]:
        """Ids of the entries that cite a source (derived, never stored)."""
        return self._citations().get(source_id, ())

    def mechanisms_for(self, condition_id: str) -> tuple[Mechanism, ...]:
        """Mechanisms invoked for a condition."""
        return tuple(m for m in self.mechanisms if condition_id in m.condition_ids)

    def trial_root(self, source_id: str) -> Source:
        """The trial a source belongs to: itself, or the trial it is a secondary analysis or follow-up of."""
        source = self.source(source_id)
        seen = {source.id}
        while source.trial_of is not None and source.trial_of not in seen:
            seen.add(source.trial_of)
            source = self.source(source.trial_of)
        return source

    def randomised_trials(self, condition: Condition, *, indirect: bool = False) -> tuple[Source, ...]:
        """The distinct randomised trials in the condition's own population among its key studies.

        A secondary analysis or follow-up counts as its trial, once; a study marked ``indirect``
        (a mixed or other population) is not this condition's trial: *indirect* gives those instead.
        """
        found: dict[str, Source] = {}
        for study in condition.studies:
            if study.indirect != indirect:
                continue
            root = self.trial_root(study.source_id)
            if root.design in TRIAL_DESIGNS:
                found.setdefault(root.id, root)
        return tuple(found.values())

    def randomised_trial_count(self, condition: Condition) -> int:
        """Number of distinct randomised trials in the condition's own population (see :meth:`randomised_trials`)."""
        return len(self.randomised_trials(condition))

    def _by_id(self) -> dict[str, AnyEntry]:
        if self._by_id_cache is None:
            self._by_id_cache = {e.id: e for e in self.entries()}
        return self._by_id_cache

    def _citations(self) -> dict[str, tuple[str, ...]]:
        if self._citations_cache is None:
            acc: dict[str, list[str]] = {}
            for entry in self.entries():
                for _, ref, _expected in entry.references():
                    if validators.id_kind(ref) == Kind.SOURCE.value and entry.id not in acc.setdefault(ref, []):
                        acc[ref].append(entry.id)
            self._citations_cache = {k: tuple(v) for k, v in acc.items()}
        return self._citations_cache

    # -- validation ------------------------------------------------------------------------------

    @model_validator(mode="after")
    def _check_references(self) -> Self:
        seen: dict[str, str] = {}
        lists = self.entry_lists()
        for list_name, _ in lists:
            for i, entry in enumerate(getattr(self, list_name)):
                loc = f"{list_name}[{i}].id"
                if entry.id in seen:
                    raise CrossReferenceError(
                        loc, f"duplicate id {entry.id!r} (first used at {seen[entry.id]}); give each entry its own id"
                    )
                seen[entry.id] = loc
        by_id = {e.id: e for e in self.entries()}
        for list_name, _ in lists:
            for i, entry in enumerate(getattr(self, list_name)):
                for path, ref, expected in entry.references():
                    loc = f"{list_name}[{i}].{path}"
                    target = by_id.get(ref)
                    if target is None:
                        raise CrossReferenceError(
                            loc, f"{entry.id} refers to unknown id {ref!r}; add that entry or correct the id"
                        )
                    if target.kind is not expected:
                        raise CrossReferenceError(
                            loc,
                            f"{entry.id} refers to {ref!r}, which is a {target.kind.value}; "
                            f"expected a {expected.value}",
                        )
                    lay = isinstance(target, Source) and target.design is StudyDesign.LAY_ARTICLE
                    field = path.split("[", 1)[0].split(".")[-1]
                    if field in ("repeated_in", "claims_checked") and isinstance(target, Source) and not lay:
                        raise CrossReferenceError(
                            loc,
                            f"{entry.id}: {field} must list lay articles, but {ref!r} is a {target.design.value}",
                        )
                    if field in ("source_ids", "source_id", "reference_ids") and lay:
                        raise CrossReferenceError(
                            loc,
                            f"{entry.id} rests on the lay article {ref!r}; lay articles are never a basis: "
                            "move it to claims_checked (or cite the publication it reports)",
                        )
                    if field == "trial_of" and (ref == entry.id or not isinstance(target, Source)):
                        raise CrossReferenceError(loc, f"{entry.id}: trial_of must name another source, the trial")
                certainty = entry.certainty_info
                if certainty is not None:
                    path = entry._certainty_field()
                    if certainty.grade in (Grade.MODERATE, Grade.HIGH):
                        sources = [by_id[s] for s in certainty.source_ids if isinstance(by_id.get(s), Source)]
                        if not any(_supports_high_grade(s) for s in sources if isinstance(s, Source)):
                            raise CrossReferenceError(
                                f"{list_name}[{i}].{path}.grade",
                                f"{entry.id} is graded {certainty.grade.value}, but none of its sources is a "
                                "randomised trial or a systematic review that pools randomised trials; lower the "
                                "grade to low or very_low, or cite the trial",
                            )
        for k, point in enumerate(self.meta.safety_points):
            if point.entry_id not in by_id:
                raise CrossReferenceError(f"meta.safety_points[{k}].entry_id", f"unknown id {point.entry_id!r}")
            for m, sid in enumerate(point.source_ids):
                target = by_id.get(sid)
                if not isinstance(target, Source) or target.design is StudyDesign.LAY_ARTICLE:
                    raise CrossReferenceError(
                        f"meta.safety_points[{k}].source_ids[{m}]", f"{sid!r} is not a source a rule can rest on"
                    )
        check_patient_links(self.patient, by_id)
        check_naltrexone_links(self.naltrexone, by_id)
        reviews = ((f"conditions[{i}].last_reviewed", c.id, c.last_reviewed) for i, c in enumerate(self.conditions))
        check_review_dates(self.meta.content_as_of, reviews)
        return self


def _supports_high_grade(source: Source) -> bool:
    """A randomised trial, or a systematic review that pools randomised trials."""
    return source.design in RANDOMISED_DESIGNS or (source.design is StudyDesign.SYSTEMATIC_REVIEW and source.pools_rcts)


def _entry_lists(model: type[KnowledgeBase]) -> tuple[tuple[str, Kind], ...]:
    found: list[tuple[str, Kind]] = []
    for name, field in model.model_fields.items():
        args = get_args(field.annotation)
        if args and isinstance(args[0], type) and issubclass(args[0], Entry):
            found.append((name, args[0].KIND))
    return tuple(found)


def references(entry: AnyEntry) -> Iterator[tuple[str, str]]:
    """Yield (path within the entry, referenced id) for every cross-reference."""
    for path, ref, _kind in entry.references():
        yield path, ref
