"""Printable clinician summary sheets as HTML in Qt's supported rich-text subset (no Qt here).

``build_sheet`` returns a :class:`SheetDocument`: the HTML of one or more sheets plus the footer
text. ``ldn_browser.ui.printing`` lays it out on pages and draws the footer with page numbers.

Rules the HTML keeps (tested in ``tests/core/test_sheet.py``):

* Every KB string goes through :func:`text`, which removes bidirectional and other control
  characters and escapes with :func:`html.escape`; no KB text ever becomes markup.
* Only tags and CSS properties from Qt's "Supported HTML Subset" are used (see ``ALLOWED_TAGS``
  and ``ALLOWED_CSS``); no links, images, scripts or ``@page`` rules.
* Grades read without colour: the word plus GRADE symbols ("Low ⊕⊕◯◯"); colour is a third cue.
* Each sheet starts with an ``<h1>``; every sheet after the first has ``page-break-before: always``
  on that heading (an empty break ``<div>`` would leave a blank line at the top of the page).
  ``SheetDocument.parts`` also gives each sheet on its own, which is how the printer lays them out.

:func:`sheet_outline` reads a document's structure back (headings, first words of paragraphs and
table rows, per sheet): the reference the printed output is checked against.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ldn_browser.core.entities import (
    Certainty,
    Condition,
    Contraindication,
    Direction,
    Dosing,
    Entry,
    Grade,
    Interaction,
    KnowledgeBase,
    PrescribingTopic,
    Rating,
    Severity,
    SideEffect,
)
from ldn_browser.core.entry_pages import INDIRECT_MARK, review_count
from ldn_browser.core.presentation import (
    BADGE_PALETTES,
    DIRECTION_ORDER,
    PRINT_SEVERITY_COLOUR,
    SEVERITY_ORDER,
    Palette,
    badge_colours,
    clean_text,
)
from ldn_browser.core.sheet_html import (  # noqa: F401 - re-exported: the sheet API
    ALLOWED_ATTRIBUTES,
    ALLOWED_CSS,
    ALLOWED_TAGS,
    OUTLINE_WORDS,
    SheetOutline,
    _OutlineParser,
    sheet_outline,
)
from ldn_browser.core.sheet_refs import _first_author_year, _reference, _References, _short_reference, text  # noqa: F401
from ldn_browser.core.vocab import PARTLY_CONFIRMED_NOTE, Basis

GRADE_COLOURS: dict[Grade, tuple[str, str]] = {
    grade: (colours.text, colours.background) for grade, colours in BADGE_PALETTES[Palette.PRINT].items()
}
"""(text, background) per grade from the print palette: a third cue after the word and the symbols."""


_INK = "#1d2a33"
_ACCENT = "#1f4e5f"
_MUTED = "#5a6670"
_RULE = "#c9d1d8"
_HEAD_BG = "#eef2f5"

_STYLE = f"""
body {{ color: {_INK}; font-size: 8.5pt; }}
h1 {{ font-size: 17pt; font-weight: bold; color: {_INK}; margin-top: 0px; margin-bottom: 2px; }}
h2 {{ font-size: 10pt; font-weight: bold; color: {_ACCENT}; margin-top: 9px; margin-bottom: 3px; }}
p {{ margin-top: 0px; margin-bottom: 3px; line-height: 115%; }}
ul {{ margin-top: 0px; margin-bottom: 2px; -qt-list-indent: 1; }}
li {{ margin-bottom: 0px; }}
table.grid {{ border-collapse: collapse; margin-top: 1px; margin-bottom: 3px; }}
table.grid th {{ background-color: {_HEAD_BG}; font-size: 7pt; font-weight: bold; color: {_MUTED};
  text-align: left; vertical-align: bottom; padding: 2px; border-width: 0px; border-bottom-width: 1px;
  border-bottom-style: solid; border-bottom-color: {_RULE}; }}
table.grid td {{ font-size: 7.5pt; vertical-align: top; padding: 2px; border-width: 0px; border-bottom-width: 1px;
  border-bottom-style: solid; border-bottom-color: {_RULE}; }}
.overline {{ font-size: 7.5pt; color: {_MUTED}; }}
.label {{ font-size: 6.5pt; }}
.muted {{ color: {_MUTED}; }}
.note {{ font-size: 7.5pt; color: {_MUTED}; }}
.cite {{ font-size: 7pt; color: {_MUTED}; }}
.refs {{ font-size: 7pt; }}
""".strip()

_NOT_REPORTED = '<span class="muted">not reported</span>'


@dataclass(frozen=True)
class SheetPart:
    """One sheet of a document on its own, for laying out and printing sheet by sheet.

    Attributes:
        title: The sheet's ``<h1>`` text, e.g. "Crohn's disease" or "LDN at a glance".
        html: A complete HTML document holding only this sheet (no page break before its title).
    """

    title: str
    html: str


@dataclass(frozen=True)
class SheetDocument:
    """One printable document: one sheet, or several (a pack), ready for ``ui.printing``.

    Attributes:
        title: Document title, e.g. "Crohn's disease: LDN summary"; used as PDF title and dialog caption.
        html: The sheets in Qt's rich-text subset; each sheet starts with an ``<h1>``.
        footer: Footer text without page numbers: first line "KB x.y.z · printed YYYY-MM-DD",
            second line the KB disclaimer. The printer prefixes "Page n of N · " to the first line.
        parts: The same sheets one by one, in order (each starts on a new page when printed).
    """

    title: str
    html: str
    footer: str
    parts: tuple[SheetPart, ...] = ()


def build_sheet(
    kb: KnowledgeBase,
    condition_ids: Sequence[str],
    *,
    overview: bool = False,
    printed_on: dt.date | None = None,
) -> SheetDocument:
    """Build the HTML of the overview sheet and/or one sheet per condition.

    Args:
        kb: The knowledge base.
        condition_ids: Conditions to include, in order; several make a pack, one sheet each.
        overview: Put the "LDN at a glance" overview sheet first.
        printed_on: Date shown in the footer (default: today).

    Returns:
        The document; sheets after the first start on a new page.

    Raises:
        ValueError: If there is nothing to print or an id is not a condition in ``kb``.
    """
    if not condition_ids and not overview:
        raise ValueError("nothing to print: give at least one entry id, or overview=True")
    from ldn_browser.core.kinds import spec_of  # the registry's sheet renderers (it imports this module's pieces)

    entries: list[Entry] = []
    for cid in dict.fromkeys(condition_ids):  # an id given twice prints once, where it first appears
        entry = kb.get(cid)
        if entry is None:
            raise ValueError(f"{cid!r} is not an entry in this KB")
        entries.append(entry)
    conditions = entries
    printed_on = printed_on or dt.date.today()

    sheets: list[str] = []
    parts: list[SheetPart] = []
    if overview:
        sheets.append(_overview_sheet(kb, new_page=False))
        parts.append(SheetPart("LDN at a glance", _page_html(sheets[-1])))
    for i, shown in enumerate(entries):
        new_page = overview or i > 0
        if isinstance(shown, Condition):
            sheets.append(_condition_sheet(kb, shown, new_page=new_page))
            alone = sheets[-1] if len(sheets) == 1 else _condition_sheet(kb, shown, new_page=False)
        else:
            sheets.append(_starting_a_page(spec_of(shown).render_sheet(kb, shown), new_page=new_page))
            alone = sheets[-1] if len(sheets) == 1 else spec_of(shown).render_sheet(kb, shown)
        parts.append(SheetPart(clean_text(shown.title), _page_html(alone)))
    page_html = _page_html("\n".join(sheets))

    names = (["LDN at a glance"] if overview else []) + [c.title for c in conditions]
    if len(names) == 1:
        first = conditions[0] if conditions else None
        if first is None:
            title = "LDN at a glance"
        elif isinstance(first, Condition):
            title = f"{first.title}: LDN summary"
        else:
            title = f"{first.title}: LDN {first.kind.label.lower()} sheet"
    elif len(names) <= 3:
        title = "LDN summaries: " + "; ".join(names)
    else:
        title = f"LDN summary pack: {len(names)} sheets"
    footer = sheet_footer(kb, printed_on)
    return SheetDocument(title=clean_text(title), html=page_html, footer=footer, parts=tuple(parts))


def sheet_footer(kb: KnowledgeBase, printed_on: dt.date) -> str:
    """The footer of every printed page: "KB x.y.z · printed YYYY-MM-DD", then the disclaimer."""
    return f"KB {kb.meta.kb_version} · printed {printed_on.isoformat()}\n{clean_text(kb.meta.disclaimer)}"


def page_html(body: str) -> str:
    """A complete sheet document around *body* (the sheets' stylesheet)."""
    return _page_html(body)


def _page_html(body: str) -> str:
    return f"<html><head><style>\n{_STYLE}\n</style></head><body>\n{body}\n</body></html>\n"


# -- sheets ---------------------------------------------------------------------------------------


_CONDITION_SHEET_DOSING = 2
"""A condition sheet shows the first dosing entries of the KB (usual range, titration) to stay within 2 pages."""

_CONDITION_SHEET_SAFETY_ROWS = 16
"""At most this many contraindication, precaution and interaction rows on a condition sheet, most severe first.

The bundled KB has 15, all shown; a larger KB's condition sheet says how many more, by severity, are on
"LDN at a glance" (which lists them all), so a pack of many condition sheets stays a few pages each.
"""

_CONDITION_SHEET_SIDE_EFFECTS = 12
"""At most this many side-effect rows on a condition sheet (the bundled KB has 9); the rest are counted."""


def _condition_sheet(kb: KnowledgeBase, c: Condition, *, new_page: bool) -> str:
    refs = _References(kb)
    ev = c.evidence
    parts = [
        _header("Clinician summary · low-dose naltrexone (LDN)", c.title, new_page=new_page),
        _badge_row(
            ev.rating,
            ev.direction,
            f"Content as of {kb.meta.content_as_of.isoformat()} · reviewed {c.last_reviewed.isoformat()}",
        ),
        "<h2>Bottom line</h2>",
        f"<p>{text(c.summary)}{refs.cite(ev.source_ids)}</p>",
        f'<p class="note"><b>{_why_label(ev.rating)}:</b> {text(ev.rationale)}</p>',
    ]
    if c.caveats:  # the evidence's caveats belong to the bottom line, not under the safety box
        parts.append('<p class="note"><b>Caveats</b></p>')
        parts.append('<ul class="note">' + "".join(f"<li>{text(cv)}</li>" for cv in c.caveats) + "</ul>")
    parts.append(_safety_box(kb, refs))

    parts.append("<h2>Key studies</h2>")
    if c.studies:
        rows = []
        for st in c.studies:
            src = kb.source(st.source_id)
            n = f"n = {src.n}" if src.n else "n not reported"
            rows.append(
                "<tr>"
                f"<td><b>{text(_first_author_year(src))}{src.verification.mark}</b>{refs.cite([src.id])}"
                f'<br><span class="muted">{text(st.population)}</span></td>'
                f"<td>{text(src.design.label)}<br>{n}{INDIRECT_MARK if st.indirect else ''}</td>"
                f"<td>{text(st.dose) if st.dose else _NOT_REPORTED}</td>"
                f"<td>{_direction_mark(st.direction)} {text(st.result)}</td>"
                "</tr>"
            )
        parts.append(_grid(("Study", "Design, size", "Dose", "Result"), (26, 14, 18, 42), rows))
        trials = kb.randomised_trial_count(c)
        partly = any(kb.source(st.source_id).verification.mark for st in c.studies)
        reviews = review_count(kb, c)
        also = f" (and {reviews} systematic review{'s' if reviews != 1 else ''})" if reviews else ""
        if indirect := len(kb.randomised_trials(c, indirect=True)):  # RA: the arthritis pilot is listed, no RA trial
            also += f", and {indirect} in another or mixed population, not counted"
        parts.append(
            f'<p class="note">{trials} randomised trial{"s" if trials != 1 else ""} among the key studies{also}; '
            "null and negative results are listed too." + (f" {text(PARTLY_CONFIRMED_NOTE)}" if partly else "") + "</p>"
        )
    else:
        parts.append('<p class="muted">No key studies recorded.</p>')

    parts.append("<h2>Dosing and titration</h2>")
    if c.doses_studied:
        parts.append(f"<p><b>Doses studied for {text(c.title)}:</b> {text(c.doses_studied)}</p>")
    elif c.evidence.rating is Basis.NO_STUDIES:  # SLE: 4.5 mg printed alone had read as a dose for it
        parts.append(
            f"<p><b>No dose has been studied for {text(c.title)}</b>, because no study of LDN in it was found. "
            "What follows comes from studies of other conditions and is not a dose for this one.</p>"
        )
    parts.append(_dosing(kb.dosing[:_CONDITION_SHEET_DOSING], None))
    if len(kb.dosing) > _CONDITION_SHEET_DOSING:
        parts.append(
            '<p class="note">Formulation, dose definitions and special groups: see the “LDN at a glance” sheet.</p>'
        )
    parts.append("<h2>Contraindications, precautions and interactions</h2>")
    parts.append(_safety_table(kb, refs, limit=_CONDITION_SHEET_SAFETY_ROWS))
    parts.append("<h2>Side effects and their management</h2>")
    parts.append(_side_effects(kb.side_effects, limit=_CONDITION_SHEET_SIDE_EFFECTS))
    parts.append(
        f'<p class="note" style="margin-top: 4px;">{_key()} Dosing and safety statements show their own certainty; '
        "side-effect frequencies, titration schedules and the full texts are on each entry's own sheet "
        "(open its page in the app, then Ctrl+P).</p>"
    )
    parts.append(refs.html())
    return "\n".join(p for p in parts if p)


def _overview_sheet(kb: KnowledgeBase, *, new_page: bool) -> str:
    refs = _References(kb)
    overline = (
        f"Clinician summary · low-dose naltrexone (LDN) · content as of {kb.meta.content_as_of.isoformat()} · "
        f"{len(kb.conditions)} conditions · {len(kb.sources)} sources"
    )
    parts = [_header(overline, "LDN at a glance", new_page=new_page)]
    parts.append(_safety_box(kb, refs))
    parts.append("<h2>Evidence by condition</h2>")
    if kb.conditions:
        parts.append(_evidence_matrix(kb))
    else:
        parts.append('<p class="muted">No conditions recorded.</p>')
    pharmacology = [p for p in kb.prescribing if p.topic is PrescribingTopic.PHARMACOKINETICS]
    parts.append("<h2>Dosing and pharmacology</h2>" if pharmacology else "<h2>Dosing</h2>")
    lines = [(d.title, d.certainty, d.summary) for d in kb.dosing]
    parts.append(_glance_lines(lines + [(p.title, p.certainty, p.summary) for p in pharmacology], refs))
    parts.append("<h2>Contraindications, precautions and interactions</h2>")
    parts.append(_safety_table(kb, refs))
    parts.append("<h2>Side effects</h2>")
    listed = " · ".join(
        f"<b>{text(x.title)}</b> {_certainty_mark(x.certainty.rating)}{refs.cite(x.certainty.source_ids)}"
        for x in kb.side_effects
    )
    parts.append(f"<p>{listed}</p>")
    parts.append(
        f'<p class="note" style="margin-top: 4px;">{_key()} Every entry has its own sheet with the full text '
        "(Ctrl+P in the app).</p>"
    )
    parts.append(refs.html(compact=True))
    return "\n".join(p for p in parts if p)


# -- sections -------------------------------------------------------------------------------------


def _evidence_matrix(kb: KnowledgeBase) -> str:
    """Conditions grouped by certainty and direction, most certain and most favourable first.

    One row per (certainty, direction) pair that occurs; each condition with its count of distinct
    randomised trials. A matrix of 35 conditions takes about a dozen lines, so "LDN at a glance"
    opens with it and fits two pages.
    """
    groups: dict[tuple[Rating, Direction], list[Condition]] = {}
    for c in kb.conditions:
        groups.setdefault((c.evidence.rating, c.evidence.direction), []).append(c)
    order = sorted(groups, key=lambda key: (-key[0].rank, _direction_rank(key[1])))
    rows = []
    for rating, direction in order:
        names = []
        for c in sorted(groups[(rating, direction)], key=lambda c: c.title.lower()):
            trials = kb.randomised_trial_count(c)
            count = f' <span class="muted">({trials} RCT{"s" if trials != 1 else ""})</span>' if trials else ""
            names.append(f"{text(c.title)}{count}")
        rows.append(
            f"<tr>{_grade_cell(rating)}"
            f"<td>{_direction_mark(direction)}&nbsp;{text(direction.label).replace(' ', '&nbsp;')}</td>"
            f"<td>{' · '.join(names)}</td></tr>"
        )
    head = ("Certainty (GRADE)", "Direction", "Conditions (RCTs: distinct randomised trials in its own population)")
    return _grid(head, (17, 12, 71), rows)


def _header(overline: str, title: str, *, new_page: bool) -> str:
    brk = " page-break-before: always;" if new_page else ""
    return f'<p class="overline" style="margin-bottom: 0px;{brk}">{text(overline)}</p><h1>{text(title)}</h1>'


def _why_label(rating: Rating) -> str:
    """ "Why low certainty" for a grade, "What it rests on" for a basis."""
    return f"Why {text(rating.label.lower())} certainty" if isinstance(rating, Grade) else "What it rests on"


def _badge_row(grade: Rating, direction: Direction, note: str) -> str:
    colours = badge_colours(grade, palette=Palette.PRINT)
    fg, bg = colours.text, colours.background
    return (
        '<table cellspacing="0" cellpadding="0" style="margin-top: 3px; margin-bottom: 2px;"><tr>'
        f'<td style="background-color: {bg}; color: {fg}; padding: 4px; border-width: 1px; border-style: solid; '
        f'border-color: {fg};"><span class="label">CERTAINTY</span>&nbsp; '
        f"<b>{text(grade.badge_text)}</b></td>"
        '<td style="padding: 4px;">&nbsp;</td>'
        f'<td style="padding: 4px; border-width: 1px; border-style: solid; border-color: {_RULE};">'
        f'<span class="label muted">DIRECTION</span>&nbsp; <b>{_direction_mark(direction)} '
        f"{text(direction.label)}</b></td>"
        f'<td style="padding: 4px; vertical-align: middle;"><span class="note">&nbsp;&nbsp;{text(note)}</span></td>'
        "</tr></table>"
    )


def _certainty_mark(rating: Rating) -> str:
    """Certainty of a dosing or safety statement, small and muted: word and symbols ("Low ⊕⊕◯◯") or the basis."""
    return f'<span class="cite">{text(rating.badge_text)}</span>'


def _dosing(items: Sequence[Dosing], refs: _References | None) -> str:
    """Dosing entries; with ``refs`` (overview) also their schedules and citations."""
    if not items:
        return '<p class="muted">No dosing information recorded.</p>'
    out: list[str] = []
    schedules_left_out: list[Dosing] = []
    for d in _dosing_order(items):
        cite = refs.cite(d.certainty.source_ids) if refs else ""
        out.append(
            f'<p style="margin-bottom: 2px;"><b>{text(d.title)}</b> {_certainty_mark(d.certainty.rating)} '
            f"· {text(d.summary)}{cite}</p>"
        )
        if d.schedule and refs is None:
            schedules_left_out.append(d)
        elif d.schedule:
            rows = [
                f"<tr><td>{text(s.step)}</td><td><b>{text(s.dose)}</b></td>"
                f"<td>{text(s.note) if s.note else ''}</td></tr>"
                for s in d.schedule
            ]
            out.append(_grid(("Schedule", "Dose", "Note"), (38, 22, 40), rows))
    for d in schedules_left_out:  # not on "LDN at a glance" either (it keeps to two pages): on the entry's own sheet
        out.append(f'<p class="note">The schedules reported in studies are on the “{text(d.title)}” sheet.</p>')
    return "\n".join(out)


def _dosing_order(items: Sequence[Dosing]) -> list[Dosing]:
    """Entries with a schedule (titration) after the first: range first, then how to get there."""
    return sorted(items, key=lambda d: 0 if d is items[0] else 1 if d.schedule else 2)


def _first_sentences(value: str, count: int) -> str:
    """The first *count* sentences of KB text (a sentence ends with ". " before a capital or a digit)."""
    found = list(re.finditer(r"[.!?](?=\s+[A-Z0-9(])", value))
    return value if len(found) < count else value[: found[count - 1].end()]


def _glance_lines(items: Sequence[tuple[str, Certainty, str]], refs: _References) -> str:
    """One compact line per entry: title, grade or basis, the first sentence, citations."""
    return "".join(
        f'<p style="margin-bottom: 1px;"><b>{text(title)}</b> {_certainty_mark(cert.rating)} · '
        f"{text(_first_sentences(body, 1))}{refs.cite(cert.source_ids)}</p>"
        for title, cert, body in items
    )


def _safety_table(kb: KnowledgeBase, refs: _References, *, limit: int | None = None) -> str:
    """Contraindications, precautions and interactions in one compact table: severity, basis, first step.

    With ``limit``, only the first rows (most severe first) and a note counting the rest by severity.
    """
    safety: list[Contraindication | Interaction] = sorted(
        [*kb.contraindications, *kb.interactions], key=lambda x: SEVERITY_ORDER[x.severity]
    )
    shown, rest = (safety, []) if limit is None else (safety[:limit], safety[limit:])
    rows = [
        f"<tr><td><b>{text(x.title)}</b>{refs.cite(x.certainty.source_ids)}</td>"
        f"<td>{_severity(x.severity)}<br>{_certainty_mark(x.certainty.rating)}</td>"
        f"<td>{text(_first_sentences(x.action, 1))}</td></tr>"
        for x in shown
    ]
    head = ("Contraindication, precaution or drug", "Severity", "What to do (first step; full text on its own sheet)")
    if not rows:
        return '<p class="muted">None recorded.</p>'
    counts: dict[str, int] = {}
    for x in rest:
        counts[x.severity.label.lower()] = counts.get(x.severity.label.lower(), 0) + 1
    by = ", ".join(f"{n} {label}" for label, n in counts.items())
    return _grid(head, (34, 16, 50), rows) + _left_out_note(
        len(rest), "contraindications, precautions and interactions", by
    )


def _left_out_note(count: int, what: str, by: str = "") -> str:
    """ "12 more contraindications, precautions and interactions (5 contraindicated, 7 caution) are on …"."""
    if not count:
        return ""
    detail = f" ({text(by)})" if by else ""
    return (
        f'<p class="note"><b>{count} more {text(what)}</b>{detail} are listed on the '
        "“LDN at a glance” sheet and in the app.</p>"
    )


def _safety_box(kb: KnowledgeBase, refs: _References) -> str:
    """ "Before prescribing": the KB's safety points in a ruled box, one row each, each cited."""
    if not kb.meta.safety_points:
        return ""
    cells = [
        f'<b style="color: {PRINT_SEVERITY_COLOUR};">Before prescribing</b>',
        *(f"• {text(p.text)}{refs.cite(p.source_ids)}" for p in kb.meta.safety_points),
    ]

    def edge(i: int) -> str:  # one ruled box round all rows: Qt rules every cell of a bordered table
        ruled = ["left", "right"] + (["top"] if i == 0 else []) + (["bottom"] if i == len(cells) - 1 else [])
        return " ".join(
            f"border-{side}-width: {1 if side in ruled else 0}px; border-{side}-style: "
            f"{'solid' if side in ruled else 'none'}; border-{side}-color: {PRINT_SEVERITY_COLOUR};"
            for side in ("top", "right", "bottom", "left")
        )

    # the text kept off the rule on either side (Tester, 2026-12-07: it had run to the right border)
    rows = "".join(
        f'<tr><td style="{edge(i)} padding-left: 6px; padding-right: 6px;">{cell}</td></tr>'
        for i, cell in enumerate(cells)
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="2" '
        f'style="margin-top: 4px; margin-bottom: 4px; border-collapse: collapse; border-width: 0px;">{rows}</table>'
    )


def _side_effects(items: Sequence[SideEffect], *, limit: int | None = None) -> str:
    """Side effects with their certainty, grouped by shared management; with ``limit``, the first only.

    Side effects that share the same management text share one row (names listed, the advice once),
    never a merged cell: Qt prints a cell spanning rows only on the page where it starts, so the rows
    continued on the next page would show no advice.
    """
    if not items:
        return '<p class="muted">None recorded.</p>'
    if limit is not None and len(items) > limit:
        return _side_effects(items[:limit]) + _left_out_note(len(items) - limit, "side effects")
    groups: dict[str, list[SideEffect]] = {}
    for se in items:
        groups.setdefault(se.management, []).append(se)
    rows = [
        "<tr><td>"
        + " · ".join(f"<b>{text(se.title)}</b>&nbsp;{_certainty_mark(se.certainty.rating)}" for se in group)
        + f"</td><td>{text(management)}</td></tr>"
        for management, group in groups.items()
    ]
    return _grid(("Side effects", "Management"), (50, 50), rows)


def _key() -> str:
    grades = " · ".join(f"{g.symbol} {g.label.lower()}" for g in Grade)
    directions = " · ".join(f"{d.symbol} {d.label.lower()}" for d in Direction)
    return f"<b>Key.</b> Certainty of evidence (GRADE): {grades}. Direction of effect: {directions}."


# -- small pieces ---------------------------------------------------------------------------------


def _grid(headers: Sequence[str], widths: Sequence[int], rows: Sequence[str]) -> str:
    head = "".join(f'<th width="{w}%">{text(h)}</th>' for h, w in zip(headers, widths, strict=True))
    return (
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _grade_cell(grade: Rating) -> str:
    colours = badge_colours(grade, palette=Palette.PRINT)
    fg, bg = colours.text, colours.background
    # Attributes, not an inline style: Qt drops the stylesheet's cell borders on cells with a style attribute.
    label = text(grade.badge_text).replace(" ", "&nbsp;")  # "Very low ⊕◯◯◯" never splits over two lines
    return f'<td bgcolor="{bg}"><span style="color: {fg};"><b>{label}</b></span></td>'


def _direction_mark(direction: Direction) -> str:
    return f"<b>{text(direction.symbol)}</b>"


def _direction_rank(direction: Direction) -> int:
    return DIRECTION_ORDER[direction]


def _severity(severity: Severity) -> str:
    if severity is Severity.CONTRAINDICATED:
        return f'<b style="color: {PRINT_SEVERITY_COLOUR};">{text(severity.label)}</b>'
    if severity is Severity.AVOID:
        return f"<b>{text(severity.label)}</b>"
    return text(severity.label)


def _starting_a_page(sheet_html: str, *, new_page: bool) -> str:
    """A sheet that starts on a new page: the break goes on its first paragraph (the overline)."""
    if not new_page:
        return sheet_html
    return sheet_html.replace('<p class="overline">', '<p class="overline" style="page-break-before: always;">', 1)


def condition_sheet_body(kb: KnowledgeBase, c: Condition) -> str:
    """One condition's sheet, starting with its ``<h1>`` (the kind registry's sheet renderer)."""
    return _condition_sheet(kb, c, new_page=False)
