"""The printable "LDN medication check": one row per medication, on one page for a usual list (no Qt here).

The sheet follows the other sheets' rules (:mod:`ldn_browser.core.sheet`): every string escaped, Qt's HTML
subset only, severities as glyph and word with colour as the third cue; the date and KB version head the
page, and the footer the printer draws on every page repeats them with the disclaimer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import (
    STATUS_GLYPH,
    MedicationFinding,
    badge_text,
    brief_action,
    finding_colours,
    summary_text,
)
from ldn_browser.core.pages import format_date
from ldn_browser.core.presentation import SEVERITY_GLYPH, Palette
from ldn_browser.core.sheet import SheetDocument, SheetPart, page_html, sheet_footer
from ldn_browser.core.sheet_refs import text

SHEET_TITLE = "LDN medication check"
ROWS_PER_PART = 120
"""The printed rows are laid out this many at a time, each run of rows its own sheet part (starting a page).
Qt lays a document out again from every page-break fix to its end, so one part of every row made printing time
grow with the square of the rows; parts of a bounded size keep it linear (benchmarks/med_sheet.py)."""
WRITE_IN_FIELDS = ("Patient", "Date of birth", "Checked by")
"""Blanks under the title for a pen: a printed check goes into a chart, and a list without a name is no record."""
MAX_PRINTED_ROWS = 2_000
"""At most this many rows are printed (about 115 pages); a last line says how many more were not."""


def medication_sheet(
    kb: KnowledgeBase, findings: Sequence[MedicationFinding], *, printed_on: dt.date | None = None
) -> SheetDocument:
    """The medication check as a printable document: the summary of every finding, then the first
    :data:`MAX_PRINTED_ROWS` rows in order (in parts of :data:`ROWS_PER_PART`), then what was not printed.

    Raises:
        ValueError: When there is nothing to print (no findings).
    """
    if not findings:
        raise ValueError("nothing to print: check a medication list first")
    printed_on = printed_on or dt.date.today()
    summary = summary_text(findings)
    shown = findings[:MAX_PRINTED_ROWS]
    head = "".join(
        f'<th width="{w}%">{text(h)}</th>'
        for h, w in (("Line", 5), ("As written", 24), ("Recognised as", 21), ("LDN", 16), ("What to do", 34))
    )
    tables = [
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(_row(f) for f in shown[at : at + ROWS_PER_PART])}</tbody>"
        "</table>"
        for at in range(0, len(shown), ROWS_PER_PART)
    ]
    top = (
        f'<p class="overline">Medication check · low-dose naltrexone (LDN)</p><h1>{text(SHEET_TITLE)}</h1>'
        f'<p class="note">Checked {text(format_date(printed_on))} · KB {text(kb.meta.kb_version)}, content as of '
        f"{text(format_date(kb.meta.content_as_of))} · {len(findings)} medication"
        f"{'s' if len(findings) != 1 else ''}: {text(summary)}</p>"
        f"<p>{' &nbsp; '.join(f'<b>{text(f)}:</b> ____________________' for f in WRITE_IN_FIELDS)}</p>"
    )
    bottom = ""
    if len(findings) > len(shown):
        more = len(findings) - len(shown)
        bottom += (
            f'<p class="note"><b>{more:,} more line{"s" if more != 1 else ""} not printed</b> (only the first '
            f"{len(shown):,} are): check them in the app; the summary above counts every line.</p>"
        )
    bottom += (
        f'<p class="note"><b>Key.</b> {text(_key())} The full advice, and what it rests on, is on each row’s '
        "interaction entry in the app. “No data” means this knowledge base has no entry for the drug; it is "
        "not evidence that there is no interaction. “Same drug as LDN” means the line names naltrexone itself: "
        "LDN, or a product that contains naltrexone (a duplicate).</p>"
    )
    bodies = [top + tables[0], *tables[1:]]
    bodies[-1] += bottom
    parts = tuple(SheetPart(SHEET_TITLE, page_html(body)) for body in bodies)
    return SheetDocument(
        title=SHEET_TITLE, html=page_html("".join(bodies)), footer=sheet_footer(kb, printed_on), parts=parts
    )


def _key() -> str:
    severities = " · ".join(f"{glyph} {sev.label.lower()}" for sev, glyph in SEVERITY_GLYPH.items())
    others = " · ".join(f"{glyph} {s.label[:1].lower()}{s.label[1:]}" for s, glyph in STATUS_GLYPH.items())
    return f"{severities} · {others}."


def _row(f: MedicationFinding) -> str:
    colours = finding_colours(f, Palette.PRINT)
    label = text(badge_text(f)).replace(" ", "&nbsp;", 1)
    badge = f'<td bgcolor="{colours.background}"><span style="color: {colours.text};"><b>{label}</b></span>'
    if f.entry_title:
        badge += f'<br><span class="cite">{text(f.entry_title)}</span>'
    recognised = text(f.matched) if f.matched else '<span class="muted">—</span>'
    if f.product and f.product not in f.matched:
        recognised += f'<br><span class="cite">{text(f.product)}</span>'
    action = brief_action(f)  # the words on screen: "not recognised" keeps "not evidence of safety with LDN"
    if f.also:
        action += f" Also on this line: {', '.join(f.also)}."
    return (
        f'<tr><td align="right">{f.line}</td><td>{text(f.input)}</td><td>{recognised}</td>{badge}</td>'
        f"<td>{text(action)}</td></tr>"
    )
