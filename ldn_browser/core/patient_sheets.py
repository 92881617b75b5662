"""The patient documents as HTML in the sheets' Qt subset (no Qt here): leaflet, dose calendar, wallet card.

The words come from ``kb.patient`` (each statement simplifies a clinical entry); this module only
arranges them. Black and greys only, so every document prints the same in grayscale. The leaflet and
the calendar are :class:`~ldn_browser.core.sheet.SheetDocument` values printed by ``ui.printing`` like
the clinician sheets; the card is a :class:`CardDocument` laid out by ``ui.card_printing``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ldn_browser.core.entities import Condition, Grade, KnowledgeBase
from ldn_browser.core.kinds import title_lead
from ldn_browser.core.patient import CONDITION_PLACEHOLDER, LeafletPart, PatientContent, PatientStatement
from ldn_browser.core.presentation import clean_text
from ldn_browser.core.sheet import SheetDocument, SheetPart
from ldn_browser.core.sheet_refs import text
from ldn_browser.core.titration import CalendarDay, TitrationPlan, calendar_days, format_mg
from ldn_browser.core.vocab import Basis, Direction

CARD_WIDTH_MM = 85.6
CARD_HEIGHT_MM = 54.0
"""ISO/IEC 7810 ID-1, the size of a bank card: each face of the wallet card."""

TICK_BOX = "☐"

_STYLE = """
body { color: #000000; font-size: 10.5pt; }
h1 { font-size: 17pt; font-weight: bold; margin-top: 0px; margin-bottom: 4px; }
h2 { font-size: 12pt; font-weight: bold; margin-top: 10px; margin-bottom: 3px; }
p { margin-top: 0px; margin-bottom: 4px; line-height: 120%; }
ul { margin-top: 0px; margin-bottom: 2px; -qt-list-indent: 1; }
li { margin-bottom: 2px; line-height: 120%; }
.overline { font-size: 8.5pt; color: #444444; }
.note { font-size: 8pt; color: #444444; }
table.grid { border-collapse: collapse; margin-top: 2px; margin-bottom: 4px; }
table.grid th { font-size: 8.5pt; font-weight: bold; text-align: left; padding: 3px; border-width: 0px;
  border-bottom-width: 1px; border-bottom-style: solid; border-bottom-color: #000000; }
table.warn td { font-size: 11pt; padding: 6px; border-width: 2px; border-style: solid; border-color: #000000; }
table.grid td { font-size: 9.5pt; padding: 2px; border-width: 0px; border-bottom-width: 1px;
  border-bottom-style: solid; border-bottom-color: #999999; }
""".strip()

_CARD_STYLE = """
body { color: #000000; font-size: 8pt; }
p { margin-top: 0px; margin-bottom: 2px; }
p.title { font-size: 11pt; font-weight: bold; margin-bottom: 3px; }
p.field { margin-top: 7px; margin-bottom: 0px; }
.note { font-size: 5.5pt; color: #444444; }
""".strip()


@dataclass(frozen=True)
class CardDocument:
    """The wallet card: the HTML of each face (85.6 × 54 mm), printed side by side to fold."""

    title: str
    front_html: str
    back_html: str


def _patient(kb: KnowledgeBase) -> PatientContent:
    if kb.patient is None:
        raise ValueError("this knowledge base has no patient content (the 'patient' key)")
    return kb.patient


def _page(body: str, style: str = _STYLE) -> str:
    return f"<html><head><style>\n{style}\n</style></head><body>\n{body}\n</body></html>\n"


def _footer(kb: KnowledgeBase, printed_on: dt.date) -> str:
    return f"KB {kb.meta.kb_version} · printed {printed_on.isoformat()}\n{text(_patient(kb).disclaimer)}"


def _list(statements: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{text(s)}</li>" for s in statements) + "</ul>"


def plain_name(kb: KnowledgeBase, condition: Condition) -> str:
    """The condition's name mid-sentence: the title with a lower-case first letter, unless it is a name.

    A title keeps its capital when its first word has another capital or an apostrophe ("Crohn's",
    "HIV/AIDS", "Hailey-Hailey"), when a later word starts with a capital ("Gulf War illness"), or when
    ``patient.plain_names`` gives the name ("Darier disease").
    """
    for named in _patient(kb).plain_names:
        if named.condition_id == condition.id:
            return named.name
    title = condition.title
    words = title.split()
    first = words[0]
    keep = any(c.isupper() for c in first[1:]) or "'" in first or "’" in first
    keep = keep or any(w[:1].isupper() for w in words[1:])
    return title if keep else title[:1].lower() + title[1:]


@dataclass(frozen=True)
class LeafletText:
    """The leaflet's printed statements by section, in order: what the readability test measures."""

    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    entry_ids: tuple[str, ...]

    @property
    def statements(self) -> tuple[str, ...]:
        """Every statement in print order."""
        return tuple(s for _, items in self.sections for s in items)


def leaflet_text(kb: KnowledgeBase, condition_id: str | None = None) -> LeafletText:
    """The leaflet's headings and statements, generic or for one condition (pure data, no HTML).

    Raises:
        ValueError: If the KB has no patient content, or *condition_id* is not a condition.
    """
    patient = _patient(kb)
    condition: Condition | None = None
    if condition_id is not None:
        entry = kb.get(condition_id)
        if not isinstance(entry, Condition):
            raise ValueError(f"{condition_id!r} is not a condition in this KB; try 'ldn-browser list --kind condition'")
        condition = entry
    sections: list[tuple[str, tuple[str, ...]]] = []
    linked: list[str] = []
    for section in patient.sections:
        statements: list[PatientStatement] = list(section.statements)
        heading = section.heading
        extra: list[str] = []
        if section.part is LeafletPart.EVIDENCE:
            extra = [_overview_statement(kb)]
            linked += [c.id for c in kb.conditions]
            if condition is not None:
                name = plain_name(kb, condition)
                wording = patient.wording_for(condition.evidence.rating, condition.evidence.direction)
                assert wording is not None  # every condition has one: checked at load
                heading = patient.evidence_heading.replace(CONDITION_PLACEHOLDER, name)
                extra.insert(0, wording.text.replace(CONDITION_PLACEHOLDER, name))
                linked.append(condition.id)
                # examples from other conditions are for the general leaflet only
                statements = [s for s in statements if not s.entry_id.startswith("condition:")]
        linked += [s.entry_id for s in statements]
        sections.append((heading, (*extra, *(s.text for s in statements))))
    title = patient.leaflet_title
    return LeafletText(title, tuple(sections), tuple(dict.fromkeys(linked)))


def _overview_statement(kb: KnowledgeBase) -> str:
    """How many conditions were studied and what the studies of each found, in four groups that add up: too weak to
    say, better studies finding little or no benefit, better studies suggesting some benefit, and none found
    (derived from the KB's grades and directions, so a patient is never left to guess about the rest)."""
    studied = [c for c in kb.conditions if c.evidence.rating is not Basis.NO_STUDIES]
    weak = sum(1 for c in studied if c.evidence.rating is Grade.VERY_LOW)
    graded = [c for c in studied if c.evidence.rating is not Grade.VERY_LOW]
    no_help = [_short_name(kb, c) for c in graded if c.evidence.direction is Direction.NO_BENEFIT]
    helps = [_short_name(kb, c) for c in graded if c.evidence.direction is Direction.BENEFIT]
    other = len(graded) - len(no_help) - len(helps)
    unstudied = len(kb.conditions) - len(studied)  # listed because LDN is used or promoted for them
    out = [
        f"Researchers have tried LDN for {len(studied)} illnesses.",
        f"For {weak}, the studies are too weak to say if it helps.",
    ]
    if no_help:
        out.append(f"For {_count(no_help)}, better studies found little or no benefit.")
    if helps:
        out.append(f"For {_count(helps)}, small trials suggest it may help.")
    if other:
        out.append(f"For {other} more, the studies disagree.")
    if unstudied:
        out.append(f"For {unstudied} more, no studies were found.")
    return " ".join(out)


def _short_name(kb: KnowledgeBase, condition: Condition) -> str:
    """The plain name without a bracket at its end, for a list in brackets ("chronic pain (general)")."""
    return re.sub(r"\s*\([^()]*\)$", "", plain_name(kb, condition))


def _count(names: list[str]) -> str:
    """ "4 (fibromyalgia, osteoarthritis, cancer, chronic pain)", or the one name ("Crohn's disease")."""
    return names[0] if len(names) == 1 else f"{len(names)} ({', '.join(names)})"


def build_leaflet(
    kb: KnowledgeBase, condition_id: str | None = None, *, printed_on: dt.date | None = None
) -> SheetDocument:
    """The patient leaflet ("Low-dose naltrexone: information for patients"), generic or for one condition."""
    printed_on = printed_on or dt.date.today()
    content = leaflet_text(kb, condition_id)
    condition = kb.get(condition_id) if condition_id else None
    about = f" · {condition.title}" if condition is not None else ""
    parts = [
        (
            f'<p class="overline">Patient information{text(about)} · KB {text(kb.meta.kb_version)}, '
            f"content as of {kb.meta.content_as_of.isoformat()}</p>"
        ),
        f"<h1>{text(content.title)}</h1>",
    ]
    for heading, statements in content.sections:
        parts.append(f"<h2>{text(heading)}</h2>")
        parts.append(_list(statements))
    # each entry by the lead of its title ("Opioid analgesics", not "…, including combination products (…)"): the
    # note names where a statement comes from, in as little room as it can on a two-page leaflet
    titles = "; ".join(
        dict.fromkeys(
            title_lead(e.title)
            for i in content.entry_ids
            if (e := kb.get(i)) and not i.startswith("condition:")
        )
    )
    parts.append(
        f'<p class="note" style="margin-top: 8px;">About this leaflet: written from the LDN Browser knowledge base '
        f"{text(kb.meta.kb_version)} (content as of {kb.meta.content_as_of.isoformat()}). Each statement simplifies "
        f"a clinical entry that lists its sources: {text(titles)}; and the condition entries.</p>"
    )
    body = "\n".join(parts)
    title = content.title + (f" ({condition.title})" if condition is not None else "")
    return SheetDocument(
        title=clean_text(title),
        html=_page(body),
        footer=_footer(kb, printed_on),
        parts=(SheetPart(content.title, _page(body)),),
    )


def _date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def build_titration_sheet(
    kb: KnowledgeBase, plan: TitrationPlan, *, printed_on: dt.date | None = None
) -> SheetDocument:
    """The dated dose calendar: the schedule (and the prescriber's note on it), one row per day with a tick box, what
    to watch for, when to call.

    A dose outside the low-dose range (confirmed by the prescriber) is stated in a box under the title on
    page 1. The side effects, opioid medicines and contact sections are the leaflet's statements.
    """
    patient = _patient(kb)
    printed_on = printed_on or dt.date.today()
    days = calendar_days(plan)
    reached = next(d for d in days if d.dose_mg == plan.target_mg)
    title = patient.titration.title
    schedule = f"Start on {_date(plan.start)} with {format_mg(plan.dose_mg)}, once a day {plan.time_of_day}."
    if plan.step_mg:
        schedule += (
            f" Every {plan.every_days} day{'s' if plan.every_days != 1 else ''}, take {format_mg(plan.step_mg)} more, "
            f"until you take {format_mg(plan.target_mg)} a day (from {_date(reached.date)})."
        )
    schedule += f" The calendar runs to {_date(days[-1].date)}."
    fields = " &nbsp; ".join(f"<b>{text(f)}:</b> ____________________" for f in patient.card.fields if f != "LDN dose")
    parts = [
        f'<p class="overline">Patient dose calendar · low-dose naltrexone (LDN) · KB {text(kb.meta.kb_version)}</p>',
        f"<h1>{text(title)}</h1>",
        _dose_warning(plan),
        f"<p>{fields}</p>",
        "<h2>My schedule</h2>",
        f"<p>{text(schedule)}</p>",
        # beside the schedule it is about; at the end it had sat alone on a third page
        "<h2>For the prescriber</h2>",
        _prescriber_notes(kb, plan),
        "<h2>Day by day</h2>",
        _calendar_table(days),
        "<h2>Side effects to watch for</h2>",
        _list(s.text for s in patient.section(LeafletPart.SIDE_EFFECTS).statements),
        f"<h2>{text(patient.section(LeafletPart.OPIOIDS).heading)}</h2>",
        _list(s.text for s in patient.section(LeafletPart.OPIOIDS).statements),
        "<h2>When to contact your doctor</h2>",
        _list(s.text for s in patient.section(LeafletPart.CONTACT).statements),
    ]
    body = "\n".join(p for p in parts if p)
    return SheetDocument(
        title=clean_text(
            f"{title}: {format_mg(plan.dose_mg)} to {format_mg(plan.target_mg)} from {plan.start.isoformat()}"
        ),
        html=_page(body),
        footer=_footer(kb, printed_on),
        parts=(SheetPart(title, _page(body)),),
    )


def _dose_warning(plan: TitrationPlan) -> str:
    """The box under the title when the prescriber confirmed a dose outside the low-dose range ("" otherwise)."""
    if not plan.warnings:
        return ""
    doses = " ".join(f"{text(w[:1].upper() + w[1:])}." for w in plan.warnings)
    return (
        '<table class="warn" width="100%" cellspacing="0" cellpadding="6" border="2" style="margin-bottom: 6px;">'
        "<tr><td>"
        f"<b>Dose check: outside the low-dose range.</b> {doses} The prescriber chose to print this calendar "
        "anyway. Check the dose with your doctor or pharmacist before you take it.</td></tr></table>"
    )


def _calendar_table(days: Sequence[CalendarDay]) -> str:
    rows = "".join(
        "<tr>"
        f"<td>Day {d.day}</td><td>{text(_date(d.date))}</td>"
        f"<td>{_dose_cell(d)}</td>"
        f'<td align="center">{TICK_BOX}</td><td></td>'
        "</tr>"
        for d in days
    )
    head = "".join(
        f'<th width="{w}%">{h}</th>' for h, w in (("Day", 10), ("Date", 20), ("Dose", 22), ("Taken", 10), ("Notes", 38))
    )
    return (
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _dose_cell(d: CalendarDay) -> str:
    dose = text(format_mg(d.dose_mg))
    if not d.changed:
        return dose
    return f"<b>{dose} (new dose)</b>" if d.day > 1 else f"<b>{dose}</b>"


def _prescriber_notes(kb: KnowledgeBase, plan: TitrationPlan) -> str:
    patient = _patient(kb)
    out = []
    for st in patient.titration.evidence:
        entry = kb.get(st.entry_id)
        assert entry is not None  # checked at load
        badge = f", {entry.certainty_info.rating.badge_text}" if entry.certainty_info is not None else ""
        out.append(f"{text(st.text)} See the dosing entry “{text(entry.title)}” ({text(entry.id)}{text(badge)}).")
    d = patient.titration.defaults
    asked = (plan.dose_mg, plan.step_mg, plan.every_days, plan.target_mg, plan.time_of_day)
    default = (Decimal(str(d.start_mg)), Decimal(str(d.step_mg)), d.interval_days, Decimal(str(d.target_mg)))
    if asked == (*default, d.time_of_day):
        out.append(text(d.note.text))  # it describes the default schedule: only on a calendar that follows it
    return "".join(f'<p class="note">{line}</p>' for line in out)


def build_card(kb: KnowledgeBase) -> CardDocument:
    """The wallet card's two faces: what the bearer takes and the fields; the label's emergency plan."""
    card = _patient(kb).card
    fields = "".join(f'<p class="field"><b>{text(f)}:</b> ____________________________</p>' for f in card.fields)
    front = (
        f'<p class="title">{text(card.front_title)}</p>'
        + "".join(f"<p>{text(s.text)}</p>" for s in card.front)
        + fields
    )
    basis = f"From the naltrexone label as summarised in LDN Browser KB {kb.meta.kb_version}."  # no KB id for staff
    back = (
        f'<p class="title">{text(card.back_title)}</p>'
        + "".join(f"<p>{text(s.text)}</p>" for s in card.back)
        + f'<p class="note">{text(basis)}</p>'
    )
    return CardDocument(
        title="LDN wallet card", front_html=_page(front, _CARD_STYLE), back_html=_page(back, _CARD_STYLE)
    )
