"""The kind registry: one declaration per kind of KB entry; everything else derives from it.

A :class:`KindSpec` names, for one :class:`~ldn_browser.core.vocab.Kind`, its pydantic model, whether
it carries a GRADE certainty, its search prior and searchable text, its list columns, and its detail
and sheet renderers. Validation (the entry lists of :class:`KnowledgeBase`), the search documents, the
tabs and their columns, the detail pages, the printable sheets and the CLI ``--kind`` choices all read
this table. ``tests/core/test_kinds.py`` fails, naming the missing piece, when a kind lacks one.

Adding a kind: a member of ``Kind`` (with its labels) in ``vocab.py``; its model and a list field in
``entities.py``; its page function in ``entry_pages.py``; its sheet function in ``sheet_entries.py``;
one :class:`KindSpec` here. See ``docs/architecture.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ldn_browser.core import entry_pages, sheet_entries
from ldn_browser.core.entities import (
    Claim,
    Condition,
    Contraindication,
    Dosing,
    Entry,
    Interaction,
    KnowledgeBase,
    Mechanism,
    Prescribing,
    SideEffect,
    Source,
)
from ldn_browser.core.pages import format_date
from ldn_browser.core.presentation import (
    SEVERITY_ORDER,
    direction_sort_key,
    direction_text,
    grade_sort_key,
    verdict_text,
)
from ldn_browser.core.vocab import Kind


@dataclass(frozen=True)
class SearchFields:
    """The searchable text of one entry besides its title and aliases.

    Attributes:
        summary: The entry's main text (snippets prefer it).
        body: Further texts, searched with the summary.
        cite: (label, value) pairs of bibliographic data (authors, year, journal, identifiers).
        names: (name, match note) pairs searched like aliases, e.g. ("Percocet", "Percocet → oxycodone"): a hit
            on one says which of the entry's drugs the product contains.
    """

    summary: str
    body: tuple[str, ...] = ()
    cite: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of an entry table: header, text, sort key, and whether it shows a grade badge."""

    header: str
    text: Callable[[KnowledgeBase, Any], str]
    sort_key: Callable[[KnowledgeBase, Any], str | int]
    shows_grade: bool = False
    description: str = ""
    """The header's tooltip, where the header is short ("RCTs": "Randomised trials …"); else the header."""


class TitleName(StrEnum):
    """How much of a kind's titles names the entry's subject (what a synonym of it marks in snippets)."""

    WHOLE = "whole"
    """The whole title, alternative names in brackets included: "Systemic sclerosis (scleroderma)"."""
    LEAD = "lead"
    """The words before a bracket, a colon or ", including": the rest qualifies ("Renal impairment (… excreted in
    urine)", "Opioid analgesics, including combination products")."""
    NONE = "none"
    """None: the title is a heading ("Counselling points (sourced only)")."""


_LEAD_END = re.compile(r"\s*[(:]|,\s+(?:including|such as|e\.g\.)\s")


def title_lead(title: str) -> str:
    """The words of *title* before a bracket, a colon or ", including" (:attr:`TitleName.LEAD`): "Opioid
    analgesics" of "Opioid analgesics, including combination products (contraindicated)"."""
    return _LEAD_END.split(title, maxsplit=1)[0]


@dataclass(frozen=True)
class KindSpec:
    """Everything the app needs to know about one kind of entry.

    Attributes:
        kind: The kind (also the id prefix; its labels are ``kind.label`` and ``kind.plural``).
        model: The pydantic model of its entries.
        graded: True when its entries carry a GRADE certainty (``entry.certainty_info``).
        search_prior: Multiplies search scores, so that on equal text evidence the entries a
            clinician looks up come first (conditions > side effects, contraindications > ...).
        expands_aliases: A one-word alias also searches the entry's title ("RA" → rheumatoid
            arthritis); off for kinds whose aliases are topic tags (sources, claims).
        title_name: What of the title names the subject (:class:`TitleName`): where an alias expands to
            the title, those words are marked in the hits' snippets ("RA" marks "rheumatoid arthritis"),
            and no others ("is LDN addictive" must not mark "points" and "sourced" in every snippet).
        search_fields: The entry's searchable text besides title and aliases.
        columns: The columns of its tab's list.
        render_page: The body of its detail page.
        render_sheet: Its printable sheet (without the page header).
    """

    kind: Kind
    model: type[Entry]
    graded: bool
    search_prior: float
    expands_aliases: bool
    title_name: TitleName
    search_fields: Callable[[Any], SearchFields]
    columns: tuple[Column, ...]
    render_page: Callable[[KnowledgeBase, Any, entry_pages.PageOptions], str]
    render_sheet: Callable[[KnowledgeBase, Any], str]

    @property
    def list_key(self) -> str:
        """The KB's list of entries of this kind (a field of :class:`KnowledgeBase`)."""
        return KnowledgeBase.list_name(self.kind)


# ---------------------------------------------------------------------------------------------
# Columns


def _title(_kb: KnowledgeBase, e: Entry) -> str:
    return e.title


def _title_key(_kb: KnowledgeBase, e: Entry) -> str:
    return e.title.casefold()


def title_column(header: str) -> Column:
    """The first column: the entry's title, sorted case-insensitively."""
    return Column(header, _title, _title_key)


def _grade_text(_kb: KnowledgeBase, e: Entry) -> str:
    c = e.certainty_info
    return c.rating.badge_text if c else ""


def _grade_key(_kb: KnowledgeBase, e: Entry) -> int:
    c = e.certainty_info
    return grade_sort_key(c.rating if c else None)


def _direction_text(_kb: KnowledgeBase, e: Entry) -> str:
    return direction_text(e.direction) if e.direction else ""


def _direction_key(_kb: KnowledgeBase, e: Entry) -> int:
    return direction_sort_key(e.direction)


GRADE_COLUMN = Column("Certainty", _grade_text, _grade_key, shows_grade=True)
DIRECTION_COLUMN = Column("Direction", _direction_text, _direction_key)


def _attr(header: str, text: Callable[[Any], str], key: Callable[[Any], str | int], description: str = "") -> Column:
    return Column(header, lambda _kb, e: text(e), lambda _kb, e: key(e), description=description)


MATRIX_COLUMNS: tuple[Column, ...] = (
    title_column("Condition"),
    GRADE_COLUMN,
    DIRECTION_COLUMN,
    Column(
        "RCTs",
        lambda kb, c: str(kb.randomised_trial_count(c)),
        lambda kb, c: kb.randomised_trial_count(c),
        description="Randomised trials among the key studies, each trial counted once",
    ),
    _attr(
        "Reviewed",
        lambda c: format_date(c.last_reviewed),
        lambda c: c.last_reviewed.isoformat(),
        description="Last reviewed",
    ),
)
"""The Overview tab's evidence matrix: one row per condition (short headers leave the condition names room on a
laptop screen: "Randomised trials" and "Last reviewed" cut "Ulcerative colitis and i…" at 1280×720)."""


# ---------------------------------------------------------------------------------------------
# Search text


def _condition_text(c: Condition) -> SearchFields:
    body = [c.evidence.rationale]
    for study in c.studies:
        body.extend(x for x in (study.population, study.dose, study.result) if x)
    if c.doses_studied:
        body.append(c.doses_studied)
    body.extend(c.caveats)
    body.extend(t.title for t in c.registered_trials)
    return SearchFields(c.summary, tuple(body), tuple(("registry", t.registry_id) for t in c.registered_trials))


def _mechanism_text(m: Mechanism) -> SearchFields:
    return SearchFields(m.summary, (*((m.details,) if m.details else ()), *m.caveats, m.evidence_type.label))


def _contraindication_text(c: Contraindication) -> SearchFields:
    return SearchFields(c.summary, (c.action, c.severity.label, c.certainty.rationale))


def _interaction_text(i: Interaction) -> SearchFields:
    generics = " ".join(n for m in i.members for n in (*m.names, *m.salts))
    covered = {n.casefold() for m in i.members for n in m.names}  # "Percocet → oxycodone": what makes it this entry
    products = tuple(
        (p.name, f"{p.name} → {', '.join(c for c in p.contains if c.casefold() in covered)}") for p in i.products
    )
    names = tuple((n, f"generic “{n}”") for m in i.members for n in m.names)  # "levothyroxine" names the entry
    return SearchFields(
        i.summary, (generics, i.action, i.severity.label, i.certainty.rationale), names=names + products
    )


def _prescribing_text(p: Prescribing) -> SearchFields:
    countries = tuple(f"{r.country}: {r.status}" for r in p.regulatory)
    return SearchFields(p.summary, (p.topic.label, *p.points, *countries, p.certainty.rationale))


def _side_effect_text(s: SideEffect) -> SearchFields:
    return SearchFields(s.summary, (s.frequency, s.timing, s.management, s.certainty.rationale))


def _dosing_text(d: Dosing) -> SearchFields:
    steps = tuple(" — ".join(x for x in (s.step, s.dose, s.note) if x) for s in d.schedule)
    return SearchFields(d.summary, (*((d.details,) if d.details else ()), *steps, d.certainty.rationale))


def _source_text(s: Source) -> SearchFields:
    cite: list[tuple[str, str]] = [("author", a) for a in s.authors]
    if s.year:
        cite.append(("year", str(s.year)))
    if s.journal:
        cite.append(("journal", s.journal))
    for label, value in (("PMID", s.pmid), ("PMCID", s.pmcid), ("DOI", s.doi)):
        if value:
            cite.append((label, value))
    cite.extend(("registry", r) for r in s.registry_ids)
    body = (s.design.label, *((s.citation_detail,) if s.citation_detail else ()))
    return SearchFields(s.summary, body, tuple(cite))


def _claim_text(c: Claim) -> SearchFields:
    return SearchFields(c.statement, (c.evidence_summary, c.verdict.label))


# ---------------------------------------------------------------------------------------------
# The registry

KIND_SPECS: dict[Kind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            kind=Kind.CONDITION,
            model=Condition,
            graded=True,
            search_prior=1.3,  # what clinicians look up most: a condition wins a tie
            expands_aliases=True,
            title_name=TitleName.WHOLE,
            search_fields=_condition_text,
            columns=(title_column("Condition"), GRADE_COLUMN, DIRECTION_COLUMN),
            render_page=entry_pages.condition_page,
            render_sheet=sheet_entries.condition_sheet,
        ),
        KindSpec(
            kind=Kind.MECHANISM,
            model=Mechanism,
            graded=False,
            search_prior=1.1,
            expands_aliases=True,
            title_name=TitleName.LEAD,
            search_fields=_mechanism_text,
            columns=(
                title_column("Mechanism"),
                _attr("Evidence type", lambda m: m.evidence_type.label, lambda m: m.evidence_type.label),
            ),
            render_page=entry_pages.mechanism_page,
            render_sheet=sheet_entries.mechanism_sheet,
        ),
        KindSpec(
            kind=Kind.CONTRAINDICATION,
            model=Contraindication,
            graded=True,
            search_prior=1.2,  # safety questions ("tramadol") must find the contraindication
            expands_aliases=True,
            title_name=TitleName.LEAD,
            search_fields=_contraindication_text,
            columns=(
                title_column("Contraindication"),
                GRADE_COLUMN,
                _attr("Severity", lambda c: c.severity.label, lambda c: SEVERITY_ORDER[c.severity]),
            ),
            render_page=entry_pages.contraindication_page,
            render_sheet=sheet_entries.contraindication_sheet,
        ),
        KindSpec(
            kind=Kind.INTERACTION,
            model=Interaction,
            graded=True,
            search_prior=1.25,  # "Percocet", "loperamide": a drug name must find what LDN means for it first
            expands_aliases=True,
            title_name=TitleName.LEAD,
            search_fields=_interaction_text,
            columns=(
                title_column("Drug or class"),
                GRADE_COLUMN,
                _attr("Severity", lambda i: i.severity.label, lambda i: SEVERITY_ORDER[i.severity]),
            ),
            render_page=entry_pages.interaction_page,
            render_sheet=sheet_entries.interaction_sheet,
        ),
        KindSpec(
            kind=Kind.SIDE_EFFECT,
            model=SideEffect,
            graded=True,
            search_prior=1.2,  # "vivid dreams" is a side-effect question
            expands_aliases=True,
            title_name=TitleName.LEAD,
            search_fields=_side_effect_text,
            columns=(title_column("Side effect"), GRADE_COLUMN),
            render_page=entry_pages.side_effect_page,
            render_sheet=sheet_entries.side_effect_sheet,
        ),
        KindSpec(
            kind=Kind.DOSING,
            model=Dosing,
            graded=True,
            search_prior=1.1,
            expands_aliases=True,
            title_name=TitleName.NONE,
            search_fields=_dosing_text,
            columns=(title_column("Topic"), GRADE_COLUMN),
            render_page=entry_pages.dosing_page,
            render_sheet=sheet_entries.dosing_sheet,
        ),
        KindSpec(
            kind=Kind.PRESCRIBING,
            model=Prescribing,
            graded=True,
            search_prior=1.1,  # like dosing: practical prescriber questions ("half-life", "renal")
            expands_aliases=True,
            title_name=TitleName.NONE,
            search_fields=_prescribing_text,
            columns=(
                title_column("Topic"),
                GRADE_COLUMN,
                _attr("About", lambda p: p.topic.label, lambda p: p.topic.label),
            ),
            render_page=entry_pages.prescribing_page,
            render_sheet=sheet_entries.prescribing_sheet,
        ),
        KindSpec(
            kind=Kind.SOURCE,
            model=Source,
            graded=False,
            search_prior=0.85,  # a paper mentioning a condition must not outrank the condition itself
            expands_aliases=False,
            title_name=TitleName.NONE,
            search_fields=_source_text,
            columns=(
                _attr("Citation", lambda s: s.short_citation, lambda s: s.short_citation.casefold()),
                _attr("Design", lambda s: s.design.label, lambda s: s.design.label),
                _attr("n", lambda s: str(s.n or ""), lambda s: s.n or 0),
            ),
            render_page=entry_pages.source_page,
            render_sheet=sheet_entries.source_sheet,
        ),
        KindSpec(
            kind=Kind.CLAIM,
            model=Claim,
            graded=False,
            search_prior=0.9,  # claims repeat condition words; the evidence entry comes first
            expands_aliases=False,
            title_name=TitleName.NONE,
            search_fields=_claim_text,
            columns=(
                title_column("Claim"),
                _attr("Verdict", lambda c: verdict_text(c.verdict), lambda c: c.verdict.label),
            ),
            render_page=entry_pages.claim_page,
            render_sheet=sheet_entries.claim_sheet,
        ),
    )
}
"""One :class:`KindSpec` per :class:`Kind`, in the order of the tabs."""


def spec(kind: Kind) -> KindSpec:
    """The registry record of *kind* (a KeyError names a kind missing from the registry)."""
    try:
        return KIND_SPECS[kind]
    except KeyError:
        raise KeyError(f"kind {kind.value!r} is not in the kind registry (ldn_browser/core/kinds.py)") from None


def spec_of(entry: Entry) -> KindSpec:
    """The registry record of an entry's kind."""
    return spec(entry.kind)
