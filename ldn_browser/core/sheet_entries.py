"""Printable sheets of the kinds other than conditions, in the sheet's HTML subset (no links).

Each function returns one sheet body starting with its ``<h1>``; :func:`ldn_browser.core.sheet.build_sheet`
adds the page break, the stylesheet and the footer. Grades are printed as word plus symbols.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldn_browser.core.entities import (
    Certainty,
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
from ldn_browser.core.presentation import PRINT_SEVERITY_COLOUR, Palette, badge_colours, verdict_text
from ldn_browser.core.sheet_refs import text as t
from ldn_browser.core.vocab import Severity


def _head(entry: Entry, overline: str) -> str:
    return f'<p class="overline">{t(overline)}</p><h1>{t(entry.title)}</h1>'


def _section(heading: str, body: str) -> str:
    return f"<h2>{t(heading)}</h2><p>{t(body)}</p>" if body else ""


def grade_mark(certainty: Certainty) -> str:
    """The grade as word and symbols on its print colour, e.g. "Low ⊕⊕◯◯"."""
    colours = badge_colours(certainty.rating, palette=Palette.PRINT)
    return (
        f'<span style="background-color: {colours.background}; color: {colours.text};">'
        f"<b>&nbsp;{t(certainty.rating.badge_text)}&nbsp;</b></span>"
    )


def _badge(certainty: Certainty) -> str:
    """The grade (or basis) line, shown right under the title."""
    label = "Certainty of evidence" if certainty.grade is not None else "Basis"
    return f"<p>{label}: {grade_mark(certainty)}</p>"


def _why(certainty: Certainty) -> str:
    """Why this grade (or what it rests on), shown before the references."""
    return _section("Why this grade" if certainty.grade is not None else "What it rests on", certainty.rationale)


def _references(kb: KnowledgeBase, source_ids: Iterable[str], heading: str = "References") -> str:
    sources = kb.sources_of(source_ids)
    if not sources:
        return ""
    items = "".join(f"<li>{reference_text(s)}</li>" for s in sources)
    return f'<h2>{t(heading)}</h2><ol class="refs">{items}</ol>'


def reference_text(src: Source) -> str:
    """Authors, title, journal year;detail and identifiers of a source, as one line."""
    bits = [src.short_citation] if src.authors else []
    bits.append(src.title)
    if src.citation_detail:
        bits.append(src.citation_detail)
    ids = [f"PMID {src.pmid}" if src.pmid else "", f"doi:{src.doi}" if src.doi else "", *src.registry_ids]
    if any(ids):
        bits.append(" · ".join(i for i in ids if i))
    return t(". ".join(b.rstrip(". ") for b in bits) + ".")


def condition_sheet(kb: KnowledgeBase, c: Condition) -> str:
    """The condition summary sheet (built by :mod:`ldn_browser.core.sheet`)."""
    from ldn_browser.core.sheet import condition_sheet_body  # the sheet module builds on this one

    return condition_sheet_body(kb, c)


def mechanism_sheet(kb: KnowledgeBase, m: Mechanism) -> str:
    """A proposed mechanism: evidence type, summary, details, caveats, conditions and references."""
    out = _head(m, "Proposed mechanism · LDN")
    out += f"<p>Evidence type: <b>{t(m.evidence_type.label)}</b> (mechanisms are not GRADE-rated)</p>"
    out += _section("Summary", m.summary) + _section("Details", m.details or "")
    if m.caveats:
        out += "<h2>Caveats</h2><ul>" + "".join(f"<li>{t(x)}</li>" for x in m.caveats) + "</ul>"
    names = [c.title for c in (kb.get(cid) for cid in m.condition_ids) if c is not None]
    if names:
        out += _section("Invoked for", "; ".join(names))
    return out + _references(kb, m.source_ids)


def contraindication_sheet(kb: KnowledgeBase, c: Contraindication) -> str:
    """A contraindication: severity, action, why, certainty and references."""
    out = _head(c, "Contraindication or precaution · LDN")
    colour = f' style="color: {PRINT_SEVERITY_COLOUR};"' if c.severity is Severity.CONTRAINDICATED else ""
    out += f"<p>Severity: <b{colour}>{t(c.severity.label)}</b></p>"
    out += _badge(c.certainty) + _section("What to do", c.action) + _section("Why", c.summary)
    return out + _why(c.certainty) + _references(kb, c.certainty.source_ids)


def interaction_sheet(kb: KnowledgeBase, i: Interaction) -> str:
    """An interaction: severity, what to do, what happens, drugs and products (a long list: after the advice),
    basis and references."""
    out = _head(i, "Interaction · LDN")
    colour = f' style="color: {PRINT_SEVERITY_COLOUR};"' if i.severity is Severity.CONTRAINDICATED else ""
    out += f"<p>Severity: <b{colour}>{t(i.severity.label)}</b></p>"
    out += _badge(i.certainty) + _section("What to do", i.action) + _section("What happens", i.summary)
    out += _section("Drugs", ", ".join(m.display for m in i.members))
    if i.aliases:
        out += f'<p class="note">Also known as: {t(", ".join(i.aliases))}</p>'
    if i.products:
        out += f'<p class="note">Products: {t(", ".join(p.name for p in i.products))}</p>'
    return out + _why(i.certainty) + _references(kb, i.certainty.source_ids)


def prescribing_sheet(kb: KnowledgeBase, p: Prescribing) -> str:
    """A prescribing topic: summary, facts, status by country, basis and references."""
    out = _head(p, f"Prescribing · {p.topic.label} · LDN") + _badge(p.certainty) + _section("Summary", p.summary)
    if p.points:
        out += "<h2>Details</h2><ul>" + "".join(f"<li>{t(x)}</li>" for x in p.points) + "</ul>"
    if p.regulatory:
        rows = "".join(f"<tr><td>{t(r.country)}</td><td>{t(r.status)}</td></tr>" for r in p.regulatory)
        out += (
            '<h2>By country</h2><table class="grid" width="100%" cellspacing="0" cellpadding="3">'
            '<thead><tr><th width="20%">Country</th><th width="80%">Status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    sources = [*p.certainty.source_ids, *(s for r in p.regulatory for s in r.source_ids)]
    return out + _why(p.certainty) + _references(kb, sources)


def side_effect_sheet(kb: KnowledgeBase, s: SideEffect) -> str:
    """A side effect: frequency, timing, management, certainty and references."""
    out = _head(s, "Side effect · LDN") + _badge(s.certainty)
    out += _section("Summary", s.summary) + _section("How often", s.frequency) + _section("When", s.timing)
    out += _section("Management", s.management)
    return out + _why(s.certainty) + _references(kb, s.certainty.source_ids)


def dosing_sheet(kb: KnowledgeBase, d: Dosing) -> str:
    """A dosing topic: summary, details, its schedule table, certainty and references."""
    out = (
        _head(d, "Dosing · LDN")
        + _badge(d.certainty)
        + _section("Summary", d.summary)
        + _section("Details", d.details or "")
    )
    if d.schedule:
        rows = "".join(
            f"<tr><td>{t(s.step)}</td><td>{t(s.dose)}</td><td>{t(s.note or '')}</td></tr>" for s in d.schedule
        )
        out += (
            '<h2>Schedule</h2><table class="grid" width="100%" cellspacing="0" cellpadding="3">'
            '<thead><tr><th width="22%">Step</th><th width="28%">Dose</th><th width="50%">Note</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return out + _why(d.certainty) + _references(kb, d.certainty.source_ids)


def source_sheet(kb: KnowledgeBase, s: Source) -> str:
    """A source: bibliographic facts, key finding and the entries that cite it."""
    out = _head(s, f"Source · {s.design.label}")
    facts = [f"<b>Citation:</b> {reference_text(s)}", f"<b>Design:</b> {t(s.design.label)}"]
    facts.append(f"<b>Participants (n):</b> {s.n if s.n is not None else 'not reported'}")
    out += "<p>" + "<br>".join(facts) + "</p>" + _section("Key finding", s.summary)
    citing = [e for e in (kb.get(i) for i in kb.cited_by(s.id)) if e is not None]
    if citing:
        out += "<h2>Cited by</h2><ul>" + "".join(f"<li>{t(e.title)} ({t(e.kind.label)})</li>" for e in citing) + "</ul>"
    return out


def claim_sheet(kb: KnowledgeBase, c: Claim) -> str:
    """A circulating claim: the claim, the verdict, what the evidence shows and the references."""
    out = _head(c, "Claim checked · LDN") + _section("What circulates", c.statement)
    out += f"<p>Verdict: <b>{t(verdict_text(c.verdict))}</b></p>"
    out += _section("What the evidence shows", c.evidence_summary)
    return out + _references(kb, c.reference_ids, "Correct references") + _references(kb, c.repeated_in, "Repeated in")
