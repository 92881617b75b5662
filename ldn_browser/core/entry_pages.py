"""The body of each kind's detail page (the title block and dispatch are in :mod:`detail`).

One function per kind, each ``(kb, entry, options) -> html``; the kind registry
(:mod:`ldn_browser.core.kinds`) names which one renders which kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldn_browser.core.entities import (
    Claim,
    Condition,
    Contraindication,
    Dosing,
    Interaction,
    KnowledgeBase,
    Mechanism,
    Prescribing,
    SideEffect,
    Source,
)
from ldn_browser.core.html import (
    bullets,
    certainty_block,
    column_widths,
    e,
    h2,
    link,
    para,
    safety_box,
    sources_section,
    stacked,
    table,
    unbroken,
)
from ldn_browser.core.links import pmc_url
from ldn_browser.core.pages import CITE_PREFIX, format_date
from ldn_browser.core.presentation import direction_text, verdict_text
from ldn_browser.core.vocab import PARTLY_CONFIRMED_NOTE, StudyDesign


@dataclass(frozen=True)
class PageOptions:
    """How a page is rendered.

    Attributes:
        dark: Pick badge colours for a dark palette.
        inline_certainty: Put the grade badge and direction into the page (False when the UI shows
            them as widgets above it).
        width_chars: The width the view has, in characters: wide tables keep every column readable
            or become stacked cards (:func:`ldn_browser.core.html.table`). None: as wide as needed.
    """

    dark: bool = False
    inline_certainty: bool = True
    width_chars: int | None = None


INDIRECT_MARK = "<br><i>other or mixed population</i>"
"""After the design of a key study marked ``indirect``: it is not counted among the condition's trials."""


def studies_table(kb: KnowledgeBase, condition: Condition, width_chars: int | None = None) -> str:
    """A condition's key studies: citation, design, n, population, dose, result, direction.

    Too narrow for seven readable columns (*width_chars*), it is one card per study instead.
    """
    rows = []
    cards = []
    for study in condition.studies:
        source = kb.source(study.source_id)
        n = f" &middot; n = {e(str(source.n))}" if source.n is not None else ""
        heading = f"<b>{link(source.id, source.short_citation)}{source.verification.mark}</b> "
        cards.append(
            [
                heading + f"&nbsp;{e(source.design.label)}{n}{INDIRECT_MARK if study.indirect else ''}",
                f"<i>Population:</i> {e(study.population)}",
                f"<i>Dose:</i> {e(study.dose) if study.dose else 'not reported'}",
                f"<i>Result:</i> {e(study.result)}",
                f"<i>Direction:</i> <b>{e(direction_text(study.direction))}</b>",
            ]
        )
        rows.append(
            [
                link(source.id, source.short_citation) + source.verification.mark,
                e(source.design.label) + (INDIRECT_MARK if study.indirect else ""),
                e(str(source.n)) if source.n is not None else "&ndash;",
                e(study.population),
                e(study.dose) if study.dose else "not reported",
                e(study.result),
                e(direction_text(study.direction)),
            ]
        )
    headers = ["Study", "Design", "n", "Population", "Dose", "Result", "Direction"]
    widths = [16, 0, -1, 22, 14, 28, -1]
    partly = any(kb.source(st.source_id).verification.mark for st in condition.studies)
    note = f"<p><small>{e(PARTLY_CONFIRMED_NOTE)}</small></p>" if partly else ""
    if width_chars is not None and column_widths(headers, rows, widths, width_chars) is None:
        return stacked(cards) + note
    return table(headers, rows, widths, width_chars=width_chars) + note


def review_count(kb: KnowledgeBase, c: Condition) -> int:
    """Systematic reviews (and meta-analyses) of the condition's own population among its key studies: beside
    the trial count, so that "0 randomised trials" over a review that pools seven does not read as no trials."""
    designs = {st.source_id: kb.source(st.source_id).design for st in c.studies if not st.indirect}
    return sum(design is StudyDesign.SYSTEMATIC_REVIEW for design in designs.values())


def condition_page(kb: KnowledgeBase, c: Condition, opts: PageOptions) -> str:
    """Bottom line, trial count, key studies, doses, caveats, mechanisms and sources."""
    out = safety_box(kb, dark=opts.dark, first_only=True)
    out += certainty_block(c, c.evidence, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("Bottom line") + para(c.summary)
    reviews = review_count(kb, c)
    indirect = len(kb.randomised_trials(c, indirect=True))  # RA: the arthritis pilot is listed, but is no RA trial
    out += (
        f"<p>Randomised trials among the key studies: <b>{kb.randomised_trial_count(c)}</b>"
        + (f" (and {indirect} in another or mixed population, not counted)" if indirect else "")
        + " &middot; "
        + (f"systematic reviews: <b>{reviews}</b> &middot; " if reviews else "")
        + f"last reviewed {e(format_date(c.last_reviewed))}</p>"
    )
    if c.studies:
        out += h2("Key studies") + studies_table(kb, c, opts.width_chars)
    if c.registered_trials:
        rows = [
            [unbroken(t.registry_id), e(t.title), e(t.status or "not seen"),
             e({True: "yes", False: "no", None: "not seen"}[t.results_posted]), e(format_date(t.checked))]
            for t in c.registered_trials
        ]  # fmt: skip
        out += h2("Registered trials without published results") + table(
            ["Registry id", "Trial", "Status", "Results posted", "Checked"],
            rows,
            [0, 50, 0, 0, -1],
            width_chars=opts.width_chars,
        )
    if c.doses_studied:
        out += h2("Doses studied") + para(c.doses_studied)
    if c.caveats:
        out += h2("Caveats") + bullets(e(x) for x in c.caveats)
    mechanisms = kb.mechanisms_for(c.id)
    if mechanisms:
        out += h2("Proposed mechanisms") + bullets(
            f"{link(m.id, m.title)} <i>({e(m.evidence_type.label)})</i>" for m in mechanisms
        )
    out += sources_section(kb, [*c.evidence.source_ids, *(s.source_id for s in c.studies)])
    return out


def mechanism_page(kb: KnowledgeBase, m: Mechanism, opts: PageOptions) -> str:
    """Evidence type, summary, details, caveats, conditions and sources."""
    del opts
    out = f"<p>Evidence type: <b>{e(m.evidence_type.label)}</b> (mechanisms are not GRADE-rated)</p>"
    out += h2("Summary") + para(m.summary)
    if m.details:
        out += h2("Details") + para(m.details)
    if m.caveats:
        out += h2("Caveats") + bullets(e(x) for x in m.caveats)
    conditions = [kb.get(cid) for cid in m.condition_ids]
    if conditions:
        out += h2("Invoked for") + bullets(link(c.id, c.title) for c in conditions if c is not None)
    out += sources_section(kb, m.source_ids)
    return out


def contraindication_page(kb: KnowledgeBase, c: Contraindication, opts: PageOptions) -> str:
    """Severity, certainty, why, what to do and sources."""
    out = f"<p>Severity: <b>{e(c.severity.label)}</b></p>"
    out += certainty_block(c, c.certainty, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("Why") + para(c.summary)
    out += h2("What to do") + para(c.action)
    out += sources_section(kb, c.certainty.source_ids)
    return out


def interaction_page(kb: KnowledgeBase, i: Interaction, opts: PageOptions) -> str:
    """Severity, certainty, what to do and what happens first (a clinician opens it for that), then the drugs it
    covers and the products that contain them (the opioid entry lists over 150), then sources."""
    out = f"<p>Severity: <b>{e(i.severity.label)}</b></p>"
    out += certainty_block(i, i.certainty, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("What to do") + para(i.action)
    out += h2("What happens") + para(i.summary)
    out += h2("Drugs") + f"<p>{e(', '.join(m.display for m in i.members))}</p>"
    if i.products:
        out += h2("Products") + f"<p>{e('; '.join(p.display for p in i.products))}</p>"
    out += sources_section(kb, i.certainty.source_ids)
    return out


def prescribing_page(kb: KnowledgeBase, p: Prescribing, opts: PageOptions) -> str:
    """Topic, summary, the facts as a list, status by country, basis and sources."""
    out = f"<p>Topic: <b>{e(p.topic.label)}</b></p>"
    out += certainty_block(p, p.certainty, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("Summary") + para(p.summary)
    if p.points:
        out += h2("Details") + bullets(e(x) for x in p.points)
    if p.regulatory:
        rows = [
            [e(r.country), e(r.status), ", ".join(link(s, kb.source(s).short_citation) for s in r.source_ids)]
            for r in p.regulatory
        ]
        out += h2("By country") + table(
            ["Country", "Status", "Source"], rows, [16, 60, 24], width_chars=opts.width_chars
        )
    out += sources_section(kb, [*p.certainty.source_ids, *(s for r in p.regulatory for s in r.source_ids)])
    return out


def side_effect_page(kb: KnowledgeBase, s: SideEffect, opts: PageOptions) -> str:
    """Certainty, summary, frequency, timing, management and sources."""
    out = certainty_block(s, s.certainty, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("Summary") + para(s.summary)
    out += h2("Frequency") + para(s.frequency)
    out += h2("Timing") + para(s.timing)
    out += h2("Management") + para(s.management)
    out += sources_section(kb, s.certainty.source_ids)
    return out


def dosing_page(kb: KnowledgeBase, d: Dosing, opts: PageOptions) -> str:
    """Certainty, summary, details, schedule table and sources."""
    out = certainty_block(d, d.certainty, dark=opts.dark, inline=opts.inline_certainty)
    out += h2("Summary") + para(d.summary)
    if d.details:
        out += h2("Details") + para(d.details)
    if d.schedule:
        rows = [[e(s.step), e(s.dose), e(s.note) if s.note else ""] for s in d.schedule]
        out += h2("Schedule") + table(["Step", "Dose", "Note"], rows, width_chars=opts.width_chars)
    out += sources_section(kb, d.certainty.source_ids)
    return out


def source_page(kb: KnowledgeBase, s: Source, opts: PageOptions) -> str:
    """Bibliographic facts, external links, key finding and what cites the source."""
    del opts
    facts: list[str] = []
    if s.authors:
        facts.append(f"<b>Authors:</b> {e(', '.join(s.authors))}")
    where = ", ".join(x for x in (s.journal or "", str(s.year) if s.year else "", s.citation_detail or "") if x)
    if where:
        facts.append(f"<b>Published:</b> {e(where)}")
    facts.append(f"<b>Design:</b> {e(s.design.label)}")
    facts.append(f"<b>Participants (n):</b> {e(str(s.n)) if s.n is not None else 'not reported'}")
    if s.registry_ids:
        facts.append(f"<b>Registration:</b> {', '.join(unbroken(r) for r in s.registry_ids)}")
    if s.trial_of is not None and (trial := kb.get(s.trial_of)) is not None:
        facts.append(f"<b>Part of the trial:</b> {link(trial.id, trial.title)} (counted once, as that trial)")
    facts.append(f"<b>Verification:</b> {e(s.verification.label)}")
    out = "<p>" + "<br>".join(facts) + "</p>"
    links = []
    if s.pubmed_url:
        links.append(f'<a href="{e(s.pubmed_url)}">PubMed {e(s.pmid or "")}</a>')
    if s.pmcid:
        links.append(f'<a href="{e(pmc_url(s.pmcid))}">PubMed Central {e(s.pmcid)}</a>')
    if s.doi_url:
        links.append(f'<a href="{e(s.doi_url)}">DOI {e(s.doi or "")}</a>')
    if links:
        out += "<p>Open in your browser: " + " &middot; ".join(links) + "</p>"
    out += f"<p>{link(CITE_PREFIX + s.id, 'Copy citation')} (Vancouver) &middot; File › Export references… (RIS)</p>"
    out += h2("Key finding") + para(s.summary)
    citing = [kb.get(eid) for eid in kb.cited_by(s.id)]
    if citing:
        out += h2("Cited by") + bullets(
            f"{link(c.id, c.title)} <i>({e(c.kind.label)})</i>" for c in citing if c is not None
        )
    return out


def claim_page(kb: KnowledgeBase, c: Claim, opts: PageOptions) -> str:
    """What circulates, the verdict, what the evidence shows, and the references."""
    del opts
    out = h2("What circulates") + para(c.statement)
    out += f"<p>Verdict: <b>{e(verdict_text(c.verdict))}</b></p>"
    out += h2("What the evidence shows") + para(c.evidence_summary)
    out += sources_section(kb, c.reference_ids, heading="Correct references")
    out += sources_section(kb, c.repeated_in, heading="Repeated in")
    return out
