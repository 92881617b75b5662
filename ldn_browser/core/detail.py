"""HTML for the desktop app's pages: dispatch to the kind registry, plus the pages of no kind.

The HTML stays inside Qt's *Supported HTML Subset* (tables, ``<b>``, inline colours). Every
cross-reference is an internal link ``ldn:<id>`` (for example ``ldn:condition:crohns-disease``);
"why this grade" pages are ``ldn:why:<id>``. The only external links are a source's PubMed,
PubMed Central and DOI addresses, which the UI opens in the system browser when clicked.

No Qt here: the caller says whether the palette is dark so badge colours can be chosen.
"""

from __future__ import annotations

from ldn_browser.core.entities import (
    Basis,
    Condition,
    Direction,
    Entry,
    Evidence,
    Grade,
    KnowledgeBase,
    PrescribingTopic,
)
from ldn_browser.core.entry_pages import PageOptions, studies_table
from ldn_browser.core.html import bullets as _list
from ldn_browser.core.html import direction_line as direction_html
from ldn_browser.core.html import e as _e
from ldn_browser.core.html import grade_badge as grade_badge_html
from ldn_browser.core.html import h2 as _h2
from ldn_browser.core.html import link as _link
from ldn_browser.core.html import para as _para
from ldn_browser.core.html import safety_box, sources_section
from ldn_browser.core.html import table as _table
from ldn_browser.core.kinds import spec_of
from ldn_browser.core.pages import OVERVIEW_TARGET, WHY_PREFIX, format_date

__all__ = [
    "direction_html",
    "grade_badge_html",
    "render_about",
    "render_entry",
    "render_grade_legend",
    "render_whats_new",
    "render_overview",
    "render_target",
    "render_why",
]


BASIS_MEANING = {
    Basis.LABEL: "the statement comes from the product label (standard-dose naltrexone); it is a rule to follow, "
    "not an efficacy result, so it carries no GRADE grade.",
    Basis.PHARMACOLOGY: "the statement follows from how naltrexone acts on opioid receptors; it is not an efficacy "
    "result, so it carries no GRADE grade.",
    Basis.NO_STUDIES: "no clinical study was found, so there is no estimate to grade; this is not the same as very "
    "low certainty.",
}
"""What each basis means, shown on the "what this rests on" page."""


def _h1(entry: Entry) -> str:
    return (
        f'<h1 style="margin-bottom:2px">{_e(entry.title)}</h1>'
        f'<p style="margin-top:0"><i>{_e(entry.kind.label)}</i>'
        + (f" &middot; also: {_e(', '.join(entry.aliases))}" if entry.aliases else "")
        + "</p>"
    )


def render_target(
    kb: KnowledgeBase,
    target: str,
    *,
    dark: bool = False,
    inline_certainty: bool = True,
    width_chars: int | None = None,
) -> str:
    """HTML for any page target: an entry id, ``why:<id>`` or ``overview``.

    Args:
        kb: The knowledge base.
        target: What to show.
        dark: Pick badge colours for a dark palette.
        inline_certainty: Put the grade badge and direction into the page; False when the UI
            shows them as widgets above the page.
        width_chars: The view's width in characters (tables fit it or become cards); None: no limit.
    """
    if target.startswith(WHY_PREFIX):
        return render_why(kb, target[len(WHY_PREFIX) :], dark=dark, width_chars=width_chars)
    if target == OVERVIEW_TARGET:
        return render_overview(kb, dark=dark)
    return render_entry(kb, target, dark=dark, inline_certainty=inline_certainty, width_chars=width_chars)


def render_entry(
    kb: KnowledgeBase,
    entry_id: str,
    *,
    dark: bool = False,
    inline_certainty: bool = True,
    width_chars: int | None = None,
) -> str:
    """The detail page of one entry: its title block, then its kind's page body."""
    entry = kb.get(entry_id)
    if entry is None:
        return f"<p>No entry with id <code>{_e(entry_id)}</code> in this knowledge base.</p>"
    options = PageOptions(dark=dark, inline_certainty=inline_certainty, width_chars=width_chars)
    page = _h1(entry) + spec_of(entry).render_page(kb, entry, options)
    certainty = entry.certainty_info
    if certainty is not None and certainty.claims_checked:
        page += sources_section(kb, certainty.claims_checked, heading="Lay articles checked (not a basis)")
    return page


def render_why(kb: KnowledgeBase, entry_id: str, *, dark: bool = False, width_chars: int | None = None) -> str:
    """The "why this grade" page: the grade, its rationale and the studies behind it."""
    entry = kb.get(entry_id)
    certainty = entry.certainty_info if entry is not None else None
    if entry is None or certainty is None:
        return f"<p>No graded entry with id <code>{_e(entry_id)}</code>.</p>"
    rating = certainty.rating
    heading = "Why this grade?" if certainty.grade is not None else "What this rests on"
    out = f"<h1>{heading}</h1><p>{_link(entry.id, entry.title)} <i>({_e(entry.kind.label)})</i></p>"
    out += "<p>" + grade_badge_html(rating, dark=dark) + f" &nbsp;{_e(rating.accessible_name)}</p>"
    if isinstance(certainty, Evidence):
        out += f"<p>{direction_html(certainty.direction)} (shown separately from certainty)</p>"
    if certainty.grade is not None:
        legend = {item.grade: item.meaning for item in kb.meta.grade_legend}
        out += f"<p><i>{_e(certainty.grade.label)}:</i> {_e(legend.get(certainty.grade, ''))}</p>"
    else:
        out += f"<p><i>{_e(rating.label)}:</i> {_e(BASIS_MEANING[certainty.basis])}</p>" if certainty.basis else ""
    out += _h2("Rationale") + _para(certainty.rationale)
    if isinstance(entry, Condition) and entry.studies:
        out += _h2("Studies") + studies_table(kb, entry, width_chars)
    rows = []
    for sid in certainty.source_ids:
        s = kb.source(sid)
        rows.append(
            [
                _link(s.id, s.short_citation),
                _e(s.design.label),
                _e(str(s.n)) if s.n is not None else "&ndash;",
                _e(s.summary),
            ]
        )
    if rows:
        out += _h2("Sources it rests on") + _table(
            ["Source", "Design", "n", "Key finding"], rows, [22, 0, -1, 58], width_chars=width_chars
        )
    checked = [kb.source(sid) for sid in certainty.claims_checked]
    if checked:
        out += _h2("Lay articles checked (not a basis)") + _list(
            f"{_link(s.id, s.short_citation)} {_e(s.title)}" for s in checked
        )
    return out


def safety_box_html(kb: KnowledgeBase, *, dark: bool = False) -> str:
    """ "Before prescribing": the KB's safety points, each linking to the entry that explains it."""
    return safety_box(kb, dark=dark)


def render_overview(kb: KnowledgeBase, *, dark: bool = False) -> str:
    """Overview text: the safety box, what LDN is, dosing, safety and pharmacology (the matrix is a table view)."""
    out = safety_box_html(kb, dark=dark)
    out += "<h2 style='margin-bottom:4px'>What LDN is</h2>"
    out += _para(kb.meta.about) if kb.meta.about else "<p>No description in this knowledge base.</p>"
    if kb.dosing:
        out += "<h2 style='margin-bottom:4px'>Dosing at a glance</h2>"
        for d in kb.dosing:
            out += (
                f"<p style='margin-bottom:2px'><b>{_link(d.id, d.title)}</b> &nbsp;"
                + grade_badge_html(d.certainty.rating, dark=dark, target=WHY_PREFIX + d.id)
                + f"</p><p style='margin-top:0'>{_e(d.summary)}</p>"
            )
    if kb.contraindications:
        out += "<h2 style='margin-bottom:4px'>Do not use / take care</h2>"
        out += _list(
            f"{_link(c.id, c.title)} &ndash; <b>{_e(c.severity.label)}</b>: {_e(c.action)}"
            for c in kb.contraindications
        )
    if kb.interactions:
        out += "<h2 style='margin-bottom:4px'>Interactions</h2>"
        out += _list(
            f"{_link(i.id, i.title)} &ndash; <b>{_e(i.severity.label)}</b>: {_e(i.action)}" for i in kb.interactions
        )
    pharmacology = [p for p in kb.prescribing if p.topic is PrescribingTopic.PHARMACOKINETICS]
    if pharmacology:
        out += "<h2 style='margin-bottom:4px'>Pharmacology</h2>"
        for p in pharmacology:
            out += f"<p><b>{_link(p.id, p.title)}</b> &nbsp;{grade_badge_html(p.certainty.rating, dark=dark)}</p>"
            out += _para(p.summary)
    out += f"<p><i>{_e(kb.meta.disclaimer)}</i></p>"
    return out


def render_grade_legend(kb: KnowledgeBase, *, dark: bool = False, width_chars: int | None = None) -> str:
    """The evidence-grade legend for Help."""
    rank = {g: g.rank for g in Grade}
    rows = [
        [grade_badge_html(item.grade, dark=dark), _e(item.grade.accessible_name), _e(item.meaning)]
        for item in sorted(kb.meta.grade_legend, key=lambda i: -rank[i.grade])
    ]
    out = "<h2>Evidence grades (GRADE)</h2>"
    out += (
        "<p>Each badge shows the word and the number of filled circles (⊕) out of four; "
        "colour is only an extra cue.</p>"
    )
    out += _table(["Badge", "Meaning for screen readers", "What it means"], rows, width_chars=width_chars)
    out += "<h3>Not graded</h3><p>Some statements are not efficacy results and show what they rest on instead:</p>"
    out += _table(
        ["Badge", "What it means"],
        [[grade_badge_html(b, dark=dark), _e(BASIS_MEANING[b])] for b in Basis],
        width_chars=width_chars,
    )
    out += "<h3>Direction of effect</h3><p>Shown separately from certainty:</p>"
    out += _list(f"<b>{_e(d.symbol)}</b> {_e(d.label)}" for d in Direction)
    return out


def render_whats_new(kb: KnowledgeBase, *, width_chars: int | None = None) -> str:
    """The KB's changelog, newest release first: what was added, changed or regraded, and why."""
    if not kb.meta.changelog:
        return "<p>This knowledge base has no changelog.</p>"
    out = "<h2>What's new in the knowledge base</h2>"
    for release in kb.meta.changelog:
        out += f"<h3>Version {_e(release.version)} &middot; {_e(format_date(release.date))}</h3>"
        out += _para(release.summary)
        rows = []
        for item in release.items:
            entry = kb.get(item.entry_id) if item.entry_id else None
            name = _link(entry.id, entry.title) if entry is not None else _e(item.subject)
            rows.append([name, _e(item.change.value.capitalize()), _e(item.why)])
        if rows:
            out += _table(["Entry", "Change", "Why"], rows, [30, 0, 60], width_chars=width_chars)
    return out


def render_about(kb: KnowledgeBase, *, app_version: str) -> str:
    """The About box: app and KB versions, content date and disclaimer."""
    return (
        "<h2>LDN Browser</h2>"
        f"<p>App version {_e(app_version)}<br>"
        f"Knowledge base version {_e(kb.meta.kb_version)}<br>"
        f"Content as of {_e(format_date(kb.meta.content_as_of))}</p>"
        f"<p>{_e(kb.meta.disclaimer)}</p>"
        "<p>This app works offline: it never fetches anything. "
        "PubMed and DOI links open in your browser only when you click them.</p>"
    )
