"""What a pasted medication line says about the medicine besides naming it: an allergy, or a medicine stopped.

GP records and discharge letters list allergies and stopped medicines beside current ones ("Allergies: codeine
(rash)", "Oxycodone 5 mg - stopped", a "Previous medications:" section). Such a line still names its drug and is
still checked (an opioid is never dropped: whether it is really not taken is for the clinician to confirm), but its
finding says how it was written, so that an allergy does not read as a current prescription. Read from the item's
own words, from a lead-in on its line ("Allergies: …") and from the heading of the section it is in; a blank line
or another heading ends a section.
"""

from __future__ import annotations

import re

ALLERGY = "allergy"
PAST = "past"
NOTES = {
    ALLERGY: "Written as an allergy or intolerance, not as a medicine taken: check which it is.",
    PAST: "Written as stopped or past use: confirm whether and when it was last taken.",
}
"""What a finding says first for a line written so (the check's verdict for the drug follows unchanged)."""

_ALLERGY_WORDS = r"(?:drug )?(?:allerg(?:y|ies)|intolerances?|adverse (?:drug )?reactions?|sensitivit(?:y|ies)|adrs?)"
_ALLERGY_HEADING = re.compile(
    rf"^(?:known |documented |recorded )?{_ALLERGY_WORDS}(?:\s*(?:and|&|/)\s*{_ALLERGY_WORDS})?\s*:?$", re.I
)
"""A line that is only an allergy heading: "Allergies", "Drug allergies:", "Allergies & intolerances:"."""
_ALLERGY_LEAD = re.compile(rf"^{_ALLERGY_WORDS}(?:\s*(?:and|&|/)\s*{_ALLERGY_WORDS})?\s*[:\-–]\s*\S", re.I)
"""A line that starts with one: "Allergies: codeine (rash), penicillin" (every item on it is an allergy)."""
_PAST_HEADING = re.compile(
    r"^(?:(?:previous|past|prior|former|old|stopped|discontinued|ceased|historical)\s+"
    r"(?:[a-z]+\s+){0,2}(?:meds|medications?|medicines?|drugs|prescriptions?|items|list|rx)\s*:?"
    r"|(?:previous|past|stopped|discontinued|ceased)\s*:"
    r"|(?:meds|medications?|medicines?|drugs|prescriptions?) (?:stopped|discontinued|ceased|withheld)"
    r"(?: (?:on|this|during) admission| in hospital)?\s*:?"  # a discharge letter's "Medicines stopped:"
    r"|stop taking(?: these(?: medications| medicines)?)?:?)$",  # an after-visit summary's "STOP taking:"
    re.I,
)
"""A heading of stopped medicines: "Previous medications:", "Stopped drugs", "Discontinued:". Only fixed words: a
line naming a drug ("Old tramadol:") is never taken for a heading, so it is checked."""
_ALLERGY_ITEM = re.compile(r"\ballerg(?:y|ies|ic)\b|\bintoleran(?:ce|t)\b|\banaphylaxis\b|\badr\b", re.I)
_PAST_ITEM = re.compile(
    r"(?<!to be )(?<!will be )(?<!being )(?<!not )\b(?:stopped|discontinued|ceased|d/c'?d|dc'?d)\b"
    r"|\bno longer\b|\bpreviously\b|\bformerly\b|\bhx of\b|\bh/o\b|\bhistory of\b|\bpast (?:use|history)\b"
    r"|\bin the past\b|\b(?:has|have|had) tried\b"
    r"|^(?:previous|prev|past|prior|former)\b",
    re.I,
)
"""An item written as stopped or past ("tramadol - stopped", "hx of oxycodone use", "Previous: morphine"); not a
plan ("to be stopped before surgery", "not stopped")."""
_CURRENT_WORDS = (
    r"(?:re-?started|resumed|restart|resume|continued?|continuing|current(?:ly)?(?: taking)?|active|ongoing|new|"
    r"started|changed|increased|decreased|reduced|added|(?:still )?taking)"
)
_CURRENT_HEADING = re.compile(rf"^{_CURRENT_WORDS}(?:\s+(?:meds|medications?|medicines?|drugs|items))?\s*:?$", re.I)
"""A heading of medicines taken now: "Continue:", "Restarted:", "New medications", "Active:"."""
_CURRENT_SECTION = re.compile(
    r"^(?:(?:outpatient |inpatient |home )?(?:medications?|meds) marked as taking\b.*"  # Epic: "… encounter"
    r"|repeat (?:templates?|medications?|meds|items|prescriptions?)|acute(?: (?:issues?|medications?|meds|items))?"
    r"|(?:medications?|medicines?|meds|drugs) (?:started|added|changed|commenced)"
    r"(?: (?:on|this|during) admission| in hospital)?"
    r"|(?:medications?|medicines?|meds) to take home|ttos?|discharge (?:medications?|medicines?|meds|prescription)"
    r"|changes? to (?:your )?(?:medications?|medicines?|meds)|new (?:medications?|medicines?|meds|drugs) started"
    r")\s*:?$",
    re.I,
)
"""A section of a GP record, a discharge letter or Epic that lists medicines taken now ("Repeat Templates", "Acute
Issues", "Medicines to take home", "Outpatient Medications Marked as Taking for the … encounter"): it ends a
stopped-medicines section (only fixed words: a line naming a drug is never one)."""
MAX_SECTION_CHARS = 160
_PAST_LEAD = re.compile(
    r"^(?:(?:previous(?:ly)?|past|prior|former)(?:\s+[a-z]+){0,2}|stopped|discontinued|ceased|tried)\s*[:\-–]\s*\S",
    re.I,
)
"""A line that starts with one: "Stopped: tramadol, codeine", "Previous analgesics tried: codeine, tramadol" (every
item on it, not only the first)."""
_NO_ALLERGY = re.compile(r"\bno (?:known )?(?:drug )?allerg(?:y|ies)\b|\bnk(?:d|f)?a\b", re.I)
"""An allergy word that says there is none ("No known drug allergies - takes codeine linctus"): no allergy."""
_CURRENT_LEAD = re.compile(rf"^{_CURRENT_WORDS}\s*[:\-–]\s*\S", re.I)
"""A line that starts with one: "Restarted: tramadol 50mg" (taken now, whatever section it is in)."""
MAX_HEADING_CHARS = 60


def heading_context(line: str) -> str | None:
    """For a heading line, the context it opens: :data:`ALLERGY`, :data:`PAST`, or "" (a heading of current
    medicines, which ends any context); None for a line that is no such heading."""
    text = " ".join(line.split())
    if len(text) <= MAX_SECTION_CHARS and _CURRENT_SECTION.match(text):
        return ""
    if len(text) > MAX_HEADING_CHARS:
        return None
    if _ALLERGY_HEADING.match(text):
        return ALLERGY
    if _PAST_HEADING.match(text):
        return PAST
    if _CURRENT_HEADING.match(text):
        return ""
    return None


def ends_section(line: str) -> bool:
    """A line with a lead-in of its own ("Restarted: tramadol 50mg", "Allergies: NKDA") ends the section it is in:
    a stopped-medicines section had run on over a "Continue:" list to the next blank line."""
    text = line.strip()
    return bool(_CURRENT_LEAD.match(text) or _ALLERGY_LEAD.match(text))


_MEDS_LEAD = re.compile(r"^(?:current |regular )?(?:meds|medications?|medicines?|rx)\s*(?::|\s[-–])\s*\S", re.I)
"""A piece after a sentence that starts a list of medicines taken: "Allergies: none. Meds: tramadol 50mg qds"."""


def is_lead(piece: str) -> bool:
    """*piece* starts with a lead-in ("Stopped: oxycodone"): a statement of its own, not the rest of the one before."""
    text = piece.strip()
    return any(p.match(text) for p in (_ALLERGY_LEAD, _PAST_LEAD, _MEDS_LEAD, _CURRENT_LEAD))


def piece_context(piece: str, context: str | None) -> str | None:
    """The context of *piece* and the pieces after it on its line: its own lead-in's ("Allergies: penicillin",
    "Stopped: codeine", "Meds: tramadol" for none), else *context* (the line's or its section's)."""
    text = piece.strip()
    if _ALLERGY_LEAD.match(text):
        return ALLERGY
    if _PAST_LEAD.match(text):
        return PAST
    return None if _MEDS_LEAD.match(text) or _CURRENT_LEAD.match(text) else context


INLINE_LEAD = re.compile(
    rf"(?<=\S)(?P<sep>\s*[.|]\s+|\s+[-–—]\s+|\s+)"
    rf"(?=(?P<allergy>{_ALLERGY_WORDS}(?:\s*(?:and|&|/)\s*{_ALLERGY_WORDS})?\s*:\s*\S)"
    r"|(?P<other>(?:stopped|discontinued|ceased|previous(?:ly)?)\s*:\s*\S"
    r"|(?:current |regular )?(?:meds|medications?|medicines?)\s*[:\-–]\s*\S"
    rf"|{_CURRENT_WORDS}\s*:\s*\S))",
    re.I,
)
"""A lead-in after the start of a line ("Percocet 5/325 prn - sertraline 50mg - Allergies: penicillin", "Meds:
tramadol 50mg. Allergies: codeine"): it starts a statement of its own, and its items only are allergies (or stopped,
or taken). Whether to cut there, :func:`~ldn_browser.core.med_grammar._cut_at_leads` says from the words before."""


def without_lead(text: str) -> str:
    """*text* after an allergy lead-in ("Allergies: nil known" → "nil known", "Allergies - NKDA"), else *text*."""
    if not _ALLERGY_LEAD.match(text.strip()):
        return text
    return re.split(r"\s*[:\-–]\s*", text.strip(), maxsplit=1)[-1]  # "Allergies - NKDA" → "NKDA"


def written_as(item: str, context: str | None) -> str | None:
    """How *item* was written (:data:`ALLERGY` or :data:`PAST`), from its own words first, else *context*."""
    if _ALLERGY_ITEM.search(_NO_ALLERGY.sub(" ", item)):
        return ALLERGY
    if _PAST_ITEM.search(item.strip()):
        return PAST
    return context


def leads_list(text: str) -> bool:
    """*text* starts with the words that say how a list joined by "and" was written ("Allergic to codeine and
    morphine", "Stopped tramadol and codeine"): they are the list's, not only its first medication's."""
    text = text.strip()
    return bool(_ALLERGY_ITEM.match(text) or _PAST_ITEM.match(text))
