"""The printable "LDN medication check": one row per medication, on one page for a usual list (no Qt here).

The sheet follows the other sheets' rules (:mod:`ldn_browser.core.sheet`): every string escaped, Qt's HTML
subset only, severities as glyph and word with colour as the third cue; the date and KB version head the
page, and the footer the printer draws on every page repeats them with the disclaimer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.medications import STATUS_GLYPH, MedicationFinding, Status, badge_text, brief_action
from ldn_browser.core.pages import format_date
from ldn_browser.core.presentation import SEVERITY_GLYPH, SEVERITY_PALETTES, Palette
from ldn_browser.core.sheet import SheetDocument, SheetPart, page_html, sheet_footer
from ldn_browser.core.sheet_refs import text

SHEET_TITLE = "LDN medication check"


def medication_sheet(
    kb: KnowledgeBase, findings: Sequence[MedicationFinding], *, printed_on: dt.date | None = None
) -> SheetDocument:
    """The medication check as a printable document.

    Raises:
        ValueError: When there is nothing to print (no findings).
    """
    if not findings:
        raise ValueError("nothing to print: check a medication list first")
    printed_on = printed_on or dt.date.today()
    counts = Counter(badge_text(f) for f in findings)
    summary = " · ".join(f"{n} {label}" for label, n in counts.most_common())
    rows = "".join(_row(f) for f in findings)
    head = "".join(
        f'<th width="{w}%">{text(h)}</th>'
        for h, w in (("Line", 5), ("As written", 24), ("Recognised as", 21), ("LDN", 16), ("What to do", 34))
    )
    body = (
        f'<p class="overline">Medication check · low-dose naltrexone (LDN)</p><h1>{text(SHEET_TITLE)}</h1>'
        f'<p class="note">Checked {text(format_date(printed_on))} · KB {text(kb.meta.kb_version)}, content as of '
        f"{text(format_date(kb.meta.content_as_of))} · {len(findings)} medication"
        f"{'s' if len(findings) != 1 else ''}: {text(summary)}</p>"
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="note"><b>Key.</b> {text(_key())} The full advice, and what it rests on, is on each row’s '
        "interaction entry in the app. “No data” means this knowledge base has no entry for the drug; it is "
        "not evidence that there is no interaction. “Same drug as LDN” means the line names naltrexone itself: "
        "LDN, or a product that contains naltrexone (a duplicate).</p>"
    )
    html = page_html(body)
    return SheetDocument(
        title=SHEET_TITLE, html=html, footer=sheet_footer(kb, printed_on), parts=(SheetPart(SHEET_TITLE, html),)
    )


def _key() -> str:
    severities = " · ".join(f"{glyph} {sev.label.lower()}" for sev, glyph in SEVERITY_GLYPH.items())
    others = " · ".join(f"{glyph} {s.label[:1].lower()}{s.label[1:]}" for s, glyph in STATUS_GLYPH.items())
    return f"{severities} · {others}."


def _row(f: MedicationFinding) -> str:
    colours = SEVERITY_PALETTES[Palette.PRINT][f.severity]
    label = text(badge_text(f)).replace(" ", "&nbsp;", 1)
    badge = f'<td bgcolor="{colours.background}"><span style="color: {colours.text};"><b>{label}</b></span>'
    if f.entry_title:
        badge += f'<br><span class="cite">{text(f.entry_title)}</span>'
    recognised = text(f.matched) if f.matched else '<span class="muted">—</span>'
    if f.product and f.product not in f.matched:
        recognised += f'<br><span class="cite">{text(f.product)}</span>'
    if f.status is Status.NOT_RECOGNISED:
        action = "Not recognised: check the spelling or write the generic name." + (
            f" Close names: {', '.join(f.suggestions)}." if f.suggestions else ""
        )
    else:
        action = brief_action(f)
    if f.also:
        action += f" Also on this line: {', '.join(f.also)}."
    return (
        f'<tr><td align="right">{f.line}</td><td>{text(f.input)}</td><td>{recognised}</td>{badge}</td>'
        f"<td>{text(action)}</td></tr>"
    )
