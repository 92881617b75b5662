"""HTML for the desktop app's detail pages: pure functions, every piece of KB text escaped.

The HTML stays inside Qt's *Supported HTML Subset* (tables, ``<b>``, inline colours). Every
cross-reference is an internal link ``ldn:<id>`` (for example ``ldn:condition:crohns-disease``);
"why this grade" pages are ``ldn:why:<id>``. The only external links are a source's PubMed,
PubMed Central and DOI addresses, which the UI opens in the system browser when clicked.

No Qt here: the caller says whether the palette is dark so badge colours can be chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ldn_browser.core.entities import (
    AnyEntry,
    Certainty,
    Claim,
    Condition,
    Contraindication,
    Direction,
    Dosing,
    Evidence,
    Grade,
    KnowledgeBase,
    Mechanism,
    SideEffect,
    Source,
    Verdict,
)
from ldn_browser.core.pages import OVERVIEW_TARGET, WHY_PREFIX, badge_colours, format_date, href


# ---------------------------------------------------------------------------------------------
# Entry facts shared with the UI


def certainty_of(entry: AnyEntry) -> Certainty | None:
    """The GRADE certainty of an entry, if its kind is graded."""
    if isinstance(entry, Condition):
        return entry.evidence
    if isinstance(entry, (Contraindication, SideEffect, Dosing)):
        return entry.certainty
    return None


def grade_of(entry: AnyEntry) -> Grade | None:
    """The entry's grade, or None for mechanisms, sources and claims."""
    certainty = certainty_of(entry)
    return certainty.grade if certainty is not None else None


def direction_of(entry: AnyEntry) -> Direction | None:
    """Direction of effect (conditions only)."""
    return entry.evidence.direction if isinstance(entry, Condition) else None


# ---------------------------------------------------------------------------------------------
# Small HTML pieces


def _e(text: str) -> str:
    return escape(text, quote=True)


def _link(target: str, text: str) -> str:
    return f'<a href="{_e(href(target))}">{_e(text)}</a>'


def _para(text: str) -> str:
    """A paragraph; blank lines in KB text start new paragraphs."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{_e(p).replace(chr(10), '<br>')}</p>" for p in parts)


def grade_badge_html(grade: Grade, *, dark: bool, target: str | None = None) -> str:
    """A badge: word and GRADE symbols on a coloured cell, optionally linking to *target*."""
    colours = badge_colours(grade, dark=dark)
    text = f"&nbsp;{_e(grade.badge_text).replace(' ', '&nbsp;')}&nbsp;"
    style = f"color:{colours.text}; background-color:{colours.background}; font-weight:600; text-decoration:none"
    if target is not None:
        inner = f'<a href="{_e(href(target))}" style="{style}" title="{_e(grade.accessible_name)}">{text}</a>'
    else:
        inner = f'<span style="{style}" title="{_e(grade.accessible_name)}">{text}</span>'
    return inner


def direction_html(direction: Direction) -> str:
    """Direction of effect in words with its glyph, e.g. "Direction: ↑ Benefit"."""
    return f"Direction of effect: <b>{_e(direction.symbol)} {_e(direction.label)}</b>"


def _h1(entry: AnyEntry) -> str:
    return (
        f'<h1 style="margin-bottom:2px">{_e(entry.title)}</h1>'
        f'<p style="margin-top:0"><i>{_e(entry.kind.label)}</i>'
        + (f" &middot; also: {_e(', '.join(entry.aliases))}" if entry.aliases else "")
        + "</p>"
    )


def _h2(text: str) -> str:
    return f'<h3 style="margin-top:14px; margin-bottom:4px">{_e(text)}</h3>'


def _list(items: Iterable[str]) -> str:
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul style='margin-top:2px'>{rows}</ul>" if rows else ""


def _source_line(source: Source) -> str:
    bits = [_link(source.id, source.short_citation)]
    bits.append(_e(source.title))
    meta = [source.design.label]
    if source.n is not None:
        meta.append(f"n = {source.n}")
    bits.append(f"<i>({_e('; '.join(meta))})</i>")
    return " ".join(bits)


def _sources_section(kb: KnowledgeBase, source_ids: Iterable[str], heading: str = "Sources") -> str:
    seen: list[str] = []
    for sid in source_ids:
        if sid not in seen and kb.get(sid) is not None:
            seen.append(sid)
    if not seen:
        return ""
    return _h2(heading) + _list(_source_line(kb.source(sid)) for sid in seen)


def _certainty_block(entry: AnyEntry, certainty: Certainty, *, dark: bool, inline: bool) -> str:
    if not inline:
        return ""
    why = WHY_PREFIX + entry.id
    out = (
        "<p>Certainty of evidence: "
        + grade_badge_html(certainty.grade, dark=dark, target=why)
        + f" &nbsp;{_link(why, 'Why this grade?')}</p>"
    )
    if isinstance(certainty, Evidence):
        out += f"<p>{direction_html(certainty.direction)}</p>"
    return out


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A ruled table; *widths* are column percentages, 0 for "as narrow as the content", -1 for no wrapping."""
    pct = widths or [0] * len(headers)

    def attrs(w: int) -> str:
        return f" width='{w}%'" if w > 0 else " style='white-space:nowrap'" if w < 0 else ""

    head = "".join(f"<th align='left'{attrs(w)}>{_e(h)}</th>" for h, w in zip(headers, pct))
    body = "".join(
        "<tr>" + "".join(f"<td valign='top'{attrs(w)}>{cell}</td>" for cell, w in zip(row, pct)) + "</tr>"
        for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' "
        "style='border-collapse:collapse; border-color:#8a8a8a; padding:3px'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def _studies_table(kb: KnowledgeBase, condition: Condition) -> str:
    rows = []
    for study in condition.studies:
        source = kb.source(study.source_id)
        rows.append(
            [
                _link(source.id, source.short_citation),
                _e(source.design.label),
                _e(str(source.n)) if source.n is not None else "&ndash;",
                _e(study.population),
                _e(study.dose) if study.dose else "not reported",
                _e(study.result),
                f"{_e(study.direction.symbol)} {_e(study.direction.label)}",
            ]
        )
    return _table(
        ["Study", "Design", "n", "Population", "Dose", "Result", "Direction"], rows, [16, 0, -1, 22, 14, 28, -1]
    )


# ---------------------------------------------------------------------------------------------
# Pages


def render_target(kb: KnowledgeBase, target: str, *, dark: bool = False, inline_certainty: bool = True) -> str:
    """HTML for any page target: an entry id, ``why:<id>`` or ``overview``.

    Args:
        kb: The knowledge base.
        target: What to show.
        dark: Pick badge colours for a dark palette.
        inline_certainty: Put the grade badge and direction into the page; False when the UI
            shows them as widgets above the page.
    """
    if target.startswith(WHY_PREFIX):
        return render_why(kb, target[len(WHY_PREFIX) :], dark=dark)
    if target == OVERVIEW_TARGET:
        return render_overview(kb, dark=dark)
    return render_entry(kb, target, dark=dark, inline_certainty=inline_certainty)


def render_entry(kb: KnowledgeBase, entry_id: str, *, dark: bool = False, inline_certainty: bool = True) -> str:
    """The detail page of one entry."""
    entry = kb.get(entry_id)
    if entry is None:
        return f"<p>No entry with id <code>{_e(entry_id)}</code> in this knowledge base.</p>"
    body = _h1(entry)
    if isinstance(entry, Condition):
        body += _condition(kb, entry, dark=dark, inline=inline_certainty)
    elif isinstance(entry, Mechanism):
        body += _mechanism(kb, entry)
    elif isinstance(entry, Contraindication):
        body += _contraindication(kb, entry, dark=dark, inline=inline_certainty)
    elif isinstance(entry, SideEffect):
        body += _side_effect(kb, entry, dark=dark, inline=inline_certainty)
    elif isinstance(entry, Dosing):
        body += _dosing(kb, entry, dark=dark, inline=inline_certainty)
    elif isinstance(entry, Source):
        body += _source(kb, entry, dark=dark)
    elif isinstance(entry, Claim):
        body += _claim(kb, entry)
    return body


def _condition(kb: KnowledgeBase, c: Condition, *, dark: bool, inline: bool) -> str:
    out = _certainty_block(c, c.evidence, dark=dark, inline=inline)
    out += _h2("Bottom line") + _para(c.summary)
    out += (
        f"<p>Randomised trials among the key studies: <b>{kb.randomised_trial_count(c)}</b> &middot; "
        f"last reviewed {_e(format_date(c.last_reviewed))}</p>"
    )
    if c.studies:
        out += _h2("Key studies") + _studies_table(kb, c)
    if c.doses_studied:
        out += _h2("Doses studied") + _para(c.doses_studied)
    if c.caveats:
        out += _h2("Caveats") + _list(_e(x) for x in c.caveats)
    mechanisms = kb.mechanisms_for(c.id)
    if mechanisms:
        out += _h2("Proposed mechanisms") + _list(
            f"{_link(m.id, m.title)} <i>({_e(m.evidence_type.label)})</i>" for m in mechanisms
        )
    out += _sources_section(kb, [*c.evidence.source_ids, *(s.source_id for s in c.studies)])
    return out


def _mechanism(kb: KnowledgeBase, m: Mechanism) -> str:
    out = f"<p>Evidence type: <b>{_e(m.evidence_type.label)}</b> (mechanisms are not GRADE-rated)</p>"
    out += _h2("Summary") + _para(m.summary)
    if m.details:
        out += _h2("Details") + _para(m.details)
    if m.caveats:
        out += _h2("Caveats") + _list(_e(x) for x in m.caveats)
    conditions = [kb.get(cid) for cid in m.condition_ids]
    if conditions:
        out += _h2("Invoked for") + _list(_link(c.id, c.title) for c in conditions if c is not None)
    out += _sources_section(kb, m.source_ids)
    return out


def _contraindication(kb: KnowledgeBase, c: Contraindication, *, dark: bool, inline: bool) -> str:
    out = f"<p>Severity: <b>{_e(c.severity.label)}</b></p>"
    out += _certainty_block(c, c.certainty, dark=dark, inline=inline)
    out += _h2("Why") + _para(c.summary)
    out += _h2("What to do") + _para(c.action)
    out += _sources_section(kb, c.certainty.source_ids)
    return out


def _side_effect(kb: KnowledgeBase, s: SideEffect, *, dark: bool, inline: bool) -> str:
    out = _certainty_block(s, s.certainty, dark=dark, inline=inline)
    out += _h2("Summary") + _para(s.summary)
    out += _h2("Frequency") + _para(s.frequency)
    out += _h2("Timing") + _para(s.timing)
    out += _h2("Management") + _para(s.management)
    out += _sources_section(kb, s.certainty.source_ids)
    return out


def _dosing(kb: KnowledgeBase, d: Dosing, *, dark: bool, inline: bool) -> str:
    out = _certainty_block(d, d.certainty, dark=dark, inline=inline)
    out += _h2("Summary") + _para(d.summary)
    if d.details:
        out += _h2("Details") + _para(d.details)
    if d.schedule:
        rows = [[_e(s.step), _e(s.dose), _e(s.note) if s.note else ""] for s in d.schedule]
        out += _h2("Schedule") + _table(["Step", "Dose", "Note"], rows)
    out += _sources_section(kb, d.certainty.source_ids)
    return out


def _source(kb: KnowledgeBase, s: Source, *, dark: bool) -> str:
    del dark
    facts: list[str] = []
    if s.authors:
        facts.append(f"<b>Authors:</b> {_e(', '.join(s.authors))}")
    where = ", ".join(x for x in (s.journal or "", str(s.year) if s.year else "", s.citation_detail or "") if x)
    if where:
        facts.append(f"<b>Published:</b> {_e(where)}")
    facts.append(f"<b>Design:</b> {_e(s.design.label)}")
    facts.append(f"<b>Participants (n):</b> {_e(str(s.n)) if s.n is not None else 'not reported'}")
    if s.registry_ids:
        facts.append(f"<b>Registration:</b> {_e(', '.join(s.registry_ids))}")
    facts.append(f"<b>Verification:</b> {_e(s.verification.value)}")
    out = "<p>" + "<br>".join(facts) + "</p>"
    links = []
    if s.pubmed_url:
        links.append(f'<a href="{_e(s.pubmed_url)}">PubMed {_e(s.pmid or "")}</a>')
    if s.pmcid:
        links.append(f'<a href="{_e(f"https://pmc.ncbi.nlm.nih.gov/articles/{s.pmcid}/")}">PubMed Central {_e(s.pmcid)}</a>')
    if s.doi_url:
        links.append(f'<a href="{_e(s.doi_url)}">DOI {_e(s.doi or "")}</a>')
    if links:
        out += "<p>Open in your browser: " + " &middot; ".join(links) + "</p>"
    out += _h2("Key finding") + _para(s.summary)
    citing = [kb.get(eid) for eid in kb.cited_by(s.id)]
    if citing:
        out += _h2("Cited by") + _list(
            f"{_link(e.id, e.title)} <i>({_e(e.kind.label)})</i>" for e in citing if e is not None
        )
    return out


_VERDICT_GLYPH = {
    Verdict.SUPPORTED: "✓",
    Verdict.PARTLY_SUPPORTED: "≈",
    Verdict.UNSUPPORTED: "✗",
    Verdict.MISATTRIBUTED: "⚠",
    Verdict.NOT_FOUND: "?",
}


def verdict_text(verdict: Verdict) -> str:
    """Verdict with a glyph that reads without colour, e.g. "✗ Unsupported"."""
    return f"{_VERDICT_GLYPH[verdict]} {verdict.label}"


def _claim(kb: KnowledgeBase, c: Claim) -> str:
    out = _h2("What circulates") + _para(c.statement)
    out += f"<p>Verdict: <b>{_e(verdict_text(c.verdict))}</b></p>"
    out += _h2("What the evidence shows") + _para(c.evidence_summary)
    out += _sources_section(kb, c.reference_ids, heading="Correct references")
    out += _sources_section(kb, c.repeated_in, heading="Repeated in")
    return out


def render_why(kb: KnowledgeBase, entry_id: str, *, dark: bool = False) -> str:
    """The "why this grade" page: the grade, its rationale and the studies behind it."""
    entry = kb.get(entry_id)
    certainty = certainty_of(entry) if entry is not None else None
    if entry is None or certainty is None:
        return f"<p>No graded entry with id <code>{_e(entry_id)}</code>.</p>"
    out = f"<h1>Why this grade?</h1><p>{_link(entry.id, entry.title)} <i>({_e(entry.kind.label)})</i></p>"
    out += "<p>" + grade_badge_html(certainty.grade, dark=dark) + f" &nbsp;{_e(certainty.grade.accessible_name)}</p>"
    if isinstance(certainty, Evidence):
        out += f"<p>{direction_html(certainty.direction)} (shown separately from certainty)</p>"
    legend = {item.grade: item.meaning for item in kb.meta.grade_legend}
    out += f"<p><i>{_e(certainty.grade.label)}:</i> {_e(legend.get(certainty.grade, ''))}</p>"
    out += _h2("Rationale") + _para(certainty.rationale)
    if isinstance(entry, Condition) and entry.studies:
        out += _h2("Studies") + _studies_table(kb, entry)
    rows = []
    for sid in certainty.source_ids:
        s = kb.source(sid)
        rows.append(
            [_link(s.id, s.short_citation), _e(s.design.label), _e(str(s.n)) if s.n is not None else "&ndash;", _e(s.summary)]
        )
    out += _h2("Sources the grade rests on") + _table(["Source", "Design", "n", "Key finding"], rows, [22, 0, -1, 58])
    return out


def render_overview(kb: KnowledgeBase, *, dark: bool = False) -> str:
    """Overview text: what LDN is and dosing at a glance (the evidence matrix is a table view)."""
    out = "<h2 style='margin-bottom:4px'>What LDN is</h2>"
    out += _para(kb.meta.about) if kb.meta.about else "<p>No description in this knowledge base.</p>"
    if kb.dosing:
        out += "<h2 style='margin-bottom:4px'>Dosing at a glance</h2>"
        for d in kb.dosing:
            out += (
                f"<p style='margin-bottom:2px'><b>{_link(d.id, d.title)}</b> &nbsp;"
                + grade_badge_html(d.certainty.grade, dark=dark, target=WHY_PREFIX + d.id)
                + f"</p><p style='margin-top:0'>{_e(d.summary)}</p>"
            )
    if kb.contraindications:
        out += "<h2 style='margin-bottom:4px'>Do not use / take care</h2>"
        out += _list(
            f"{_link(c.id, c.title)} &ndash; <b>{_e(c.severity.label)}</b>: {_e(c.action)}" for c in kb.contraindications
        )
    out += f"<p><i>{_e(kb.meta.disclaimer)}</i></p>"
    return out


def render_grade_legend(kb: KnowledgeBase, *, dark: bool = False) -> str:
    """The evidence-grade legend for Help."""
    rank = {g: g.rank for g in Grade}
    rows = [
        [grade_badge_html(item.grade, dark=dark), _e(item.grade.accessible_name), _e(item.meaning)]
        for item in sorted(kb.meta.grade_legend, key=lambda i: -rank[i.grade])
    ]
    out = "<h2>Evidence grades (GRADE)</h2>"
    out += "<p>Each badge shows the word and the number of filled circles (⊕) out of four; colour is only an extra cue.</p>"
    out += _table(["Badge", "Meaning for screen readers", "What it means"], rows)
    out += "<h3>Direction of effect</h3><p>Shown separately from certainty:</p>"
    out += _list(f"<b>{_e(d.symbol)}</b> {_e(d.label)}" for d in Direction)
    return out


def render_about(kb: KnowledgeBase, *, app_version: str) -> str:
    """The About box: app and KB versions, content date and disclaimer."""
    return (
        "<h2>LDN Browser</h2>"
        f"<p>App version {_e(app_version)}<br>"
        f"Knowledge base version {_e(kb.meta.kb_version)}<br>"
        f"Content as of {_e(format_date(kb.meta.content_as_of))}</p>"
        f"<p>{_e(kb.meta.disclaimer)}</p>"
        "<p>This app works offline: it never fetches anything. PubMed and DOI links open in your browser only when you click them.</p>"
    )
