"""How clinicians write a medication line: separators, bullets, doses, units, frequencies, routes, salts, forms.

This is grammar, not vocabulary: no drug or product name appears here (those are in the KB, see
:mod:`ldn_browser.core.drugs`). :func:`split_items` cuts pasted text into one item per medication, in order;
:func:`tokens` turns an item (or a vocabulary name) into the comparable words the matcher looks up; and
:func:`parse_details` reads the dose, frequency, route, form and salt written around the drug name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ldn_browser.core.med_context import (
    INLINE_LEAD,
    ends_section,
    heading_context,
    is_lead,
    piece_context,
    without_lead,
    written_as,
)
from ldn_browser.core.salts import SALTS
from ldn_browser.core.shorthand import TYLENOL_NUMBER

MAX_ITEM_CHARS = 1_000
"""A medication longer than this is reported as too long, not searched (bounded time on any input). A GP
system's repeat line with its directions, issue dates and review notes runs to several hundred characters."""
MAX_ITEMS = 20_000
"""At most this many items are checked; the rest are reported in one finding, never dropped silently."""
MAX_LINE_CHARS = 20_000
"""A line longer than this is not split on commas (it is one item, and too long)."""


@dataclass(frozen=True)
class Item:
    """One medication as pasted: its 1-based input line and its text (bullets and numbering removed)."""

    line: int
    text: str
    written_as: str | None = None
    """How it was written besides naming a drug: ``"allergy"``, ``"past"`` (see :mod:`ldn_browser.core.med_context`)."""
    context: str | None = None
    """What its line's lead-in or section says of it, before its own words (a medication cut out of the item is
    read from its own words and this, never from its neighbours': "Oxycodone 5mg prn codeine allergy")."""


# ---------------------------------------------------------------------------------------------
# Separators and bullets

_BULLET = r"[-*•·‣◦▪●○–—>]"
_LEADING = re.compile(rf"^\s*(?:{_BULLET}+|\(?\d{{1,3}}[.)](?!\d)|\(?[a-z][.)](?=\s)|\[\s?[x ]?\])\s*", re.IGNORECASE)
_SPLIT = re.compile(r"[;•·‣◦▪●\t]|,(?!\d{1,3}(?!\d))|(?<!\d),")
"""Semicolons, inline bullets, tabs and commas, but not a thousands comma ("1,000 mg")."""
_BRACKETS = re.compile(r"[()\[\]{}]")
_JOINED = re.compile(r"\s+(?:and|&|\+)\s+|(?<=[a-z]{2})\s*/\s*(?=[a-z]{2})", re.IGNORECASE)
"""Where one line may name two medications: "Tylenol #3 and Antabuse", "levothyroxine/tacrolimus" (not "30/500",
nor the "w/" of "with")."""


_STRENGTHS = re.compile(r"\d\s*/\s*\d")
"""A combination's strengths ("5/325"): its names joined by a slash are one product ("oxycodone/paracetamol 5/325")."""


def joined_parts(text: str) -> list[str]:
    """*text* cut where it joins medications with "and", "&", "+" or a slash between words (unless strengths follow
    as "5/325": then the slash names one combination); [*text*] if nowhere."""
    if len(text) > MAX_ITEM_CHARS:
        return [text]
    pieces: list[str] = []
    at = 0
    for m in _JOINED.finditer(text):
        if "/" in m.group() and _STRENGTHS.search(text, m.end()):
            continue
        pieces.append(text[at : m.start()])
        at = m.end()
    pieces.append(text[at:])
    parts = [p.strip() for p in pieces]
    return [p for p in parts if p] or [text]


def split_items(text: str) -> tuple[list[Item], int]:
    """The items of *text* in order, and how many were left unchecked beyond :data:`MAX_ITEMS`.

    Each non-blank line is cut at semicolons, commas and inline bullets. A piece that starts with grammar
    (a dose, a frequency, "change", "max": "Oxycodone 5 mg, 1-2 tabs, q4h prn") belongs to the piece before.
    A blank line or a bare bullet is not a medication and gives no item.
    """
    items: list[Item] = []
    extra = 0
    section: str | None = None  # an allergy or stopped-medicines section, until a blank line or another heading
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            section = None
            continue
        if len(raw) <= MAX_ITEM_CHARS and (opened := heading_context(_strip_bullets(raw))) is not None:
            section = opened or None
            continue
        if _list_heading(_strip_bullets(raw)) or ends_section(_strip_bullets(raw)):
            section = None  # "Current medications:", "Restarted: tramadol 50mg"
        pieces = [(raw, False)] if len(raw) > MAX_LINE_CHARS else _pieces(raw)
        kept: list[tuple[str, bool]] = []  # a medication, and whether it starts a sentence
        for piece, starts in pieces:
            cleaned = _strip_bullets(piece)
            if not cleaned or _no_medication(cleaned) or (not kept and _only_a_date(cleaned)):
                continue
            if kept and (_continues(cleaned) or _only_a_date(cleaned)) and not is_lead(cleaned):
                kept[-1] = (f"{kept[-1][0]}{' ' if starts else ', '}{cleaned}", kept[-1][1])
            else:
                kept.append((cleaned, starts))
        context = section
        for piece, starts in kept:
            if len(items) < MAX_ITEMS:
                context = piece_context(piece, section if starts else context)  # "Allergies: none. Meds: tramadol"
                items.append(Item(number, piece, written_as(piece, context), context))
            else:
                extra += 1
    return items, extra


_SENTENCE_END = re.compile(
    r"(?<![A-Za-z])(?!(?i:dr|mr|mrs|ms|prof|st|no)\.)([A-Za-z)\]]{2,}[.!?])\s+(?=[A-Za-z])|(\s+\|)\s+(?=\S)"
)
"""A full stop after a word ("Allergies: codeine (rash). Oxycodone 5mg prn", "… penicillin. morphine 10mg"), not
after a title ("Dr. Patel"), or a bar between fields ("Allergies: penicillin | morphine 10mg bd")."""


def _pieces(raw: str) -> list[tuple[str, bool]]:
    """*raw* cut at its separators (:func:`_split_line`), with whether each piece starts a new sentence: a statement
    with a lead-in or with words of its own about how a medicine is taken ends at its full stop or bar ("Allergies:
    penicillin. Tramadol 50mg": only penicillin is an allergy; "Stopped tramadol. Now on oxycodone 5mg": only
    tramadol is stopped); any other full stop cuts nothing ("Oxycodone 5mg. Take one every 4 hours")."""
    text = _cut_at_leads(_NOTHING_STOP.sub(r"\1;", raw))
    marked = _SENTENCE_END.sub(lambda m: f"{m[1]}\x1e" if m[1] else "\x1d", text)
    sentences: list[list[str]] = []
    for sentence, joiner in zip(re.split("[\x1d\x1e]", marked), [" ", *re.findall("[\x1d\x1e]", marked)], strict=True):
        pieces = _split_line(sentence)
        if sentences and not any(_says_how(p) for p in (*sentences[-1], pieces[0])):
            sentences[-1][-1] += (" | " if joiner == "\x1d" else " ") + pieces[0]  # the stop or bar cuts nothing
            sentences[-1] += pieces[1:]
        else:
            sentences.append(pieces)
    return [(piece, n > 0 and i == 0) for n, pieces in enumerate(sentences) for i, piece in enumerate(pieces)]


def _says_how(piece: str) -> bool:
    """*piece* has a lead-in ("Allergies:", "Stopped:", "Meds:") or its own words on how it is taken ("Stopped
    tramadol", "codeine allergy")."""
    cleaned = _strip_bullets(piece)
    return is_lead(cleaned) or written_as(cleaned, None) is not None


def _cut_at_leads(raw: str) -> str:
    """*raw* with a semicolon before each lead-in after its start. An allergy lead-in is cut where it follows a full
    stop, a bar or a dash, or ends a medication's directions ("Percocet 5/325 prn Allergies: penicillin"), so that
    only what follows it is an allergy; not after a word that may be the allergy's own ("codeine allergy: rash") or a
    heading's ("Known drug allergies:"). Any other lead-in ("Meds:", "Current:", "Stopped:") is cut wherever it
    stands, unless a heading's word comes before it ("Current meds:")."""
    if len(raw) > MAX_LINE_CHARS:
        return raw

    def cut(m: re.Match[str]) -> str:
        before = tokens(raw[: m.start()])
        if m.group("other") is not None:
            return m.group() if before and before[-1] in _HEADING_WORDS else ";"
        ends = m.group("sep").strip() or (before and ends_directions(before[-1]))
        return ";" if ends else m.group()

    return INLINE_LEAD.sub(cut, raw)


_HEADING_WORDS = frozenset({"current", "regular", "repeat", "home", "acute", "discharge", "usual", "active", "my"})


_NOTHING_STOP = re.compile(r"\b(none|nil|nkda|nka|nkfa)\.\s+(?=\S)", re.I)
"""A full stop after "none" ("Allergies: none. Meds: tramadol 50mg"): the end of one statement, cut like a semicolon."""
_NOTHING_TAKEN = frozenset({
    "nkda", "nka", "nkfa", "nil", "none", "nil regular", "none regular", "no known drug allergies",
    "no known allergies", "no regular medications", "no regular medication",
    "no current medications", "no medications", "nil known", "nil by mouth", "nbm", "none known",
    "no current facility-administered medications on file prior to visit",  # Epic
    "no current outpatient medications on file prior to visit", "no current facility-administered medications on file",
    "no current outpatient medications on file", "no current medications on file",
})  # fmt: skip
"""Lines of a pasted list that say there is nothing to check: they name no medication and give no item."""
_HEADING = re.compile(
    r"^(?:[A-Za-z/&()'-]+ ){0,4}(?:meds|medications?|medicines?|drugs|prescriptions?|repeats?|rx|items|list)\s*:$",
    re.I,
)
"""A list's heading line ("Current meds:", "Repeat medications:"): a few words ending in a word for a list of
medicines, and a colon with nothing after it. A drug's name before a colon ("Tramadol:") is no heading."""


_COLUMN_WORDS = frozenset({
    "medication", "medications", "medicine", "drug", "name", "generic", "brand", "dose", "dosage", "strength", "start",
    "started", "end", "stop", "date", "dates", "frequency", "route", "sig", "instructions", "directions", "quantity",
    "qty", "refills", "prescriber", "prescribed", "by", "status", "comments", "indication", "form", "last", "filled",
    "dispensed", "dispense", "refill", "pharmacy", "notes", "supply", "ordered",
})  # fmt: skip
"""The words of a pasted table's header row ("Medication | Dose | Start Date | End Date"): no medication."""


_DATED = frozenset({"ended", "issued", "issue", "reviewed", "review", "due", "from", "until", "to", "on", "since"})
"""Words a printout writes before a date ("Ended 01-Mar-2026", "last issue 2 June 2026")."""


def _only_a_date(piece: str) -> bool:
    """ "03 Mar 2025", "Ended 01-Mar-2026", "review due 01-Feb-2027": a date, part of the piece before if any."""
    return bool(_DATE.search(fold(piece))) and all(w in _COLUMN_WORDS or w in _DATED for w in tokens(piece))


def _no_medication(piece: str) -> bool:
    """A heading ("Current meds:", "REPEAT MEDICATION" in capitals), a table's header row ("End Date"), a statement
    that nothing is taken ("NKDA", "nil", "Allergies: nil known"): no medication."""
    said = tokens(piece)
    return (
        _list_heading(piece)
        or " ".join(without_lead(piece).casefold().rstrip(".").split()) in _NOTHING_TAKEN
        or (bool(said) and all(w in _COLUMN_WORDS for w in said) and not any(c.isdigit() for c in piece))
    )


_BARE_HEADING = re.compile(
    r"^(?:(?:current|home|regular|repeat|acute|usual|active|discharge|admission|other|otc|prn|my)\s+)?"
    r"(?:medications?|meds|medicines?|drugs|prescriptions?)(?:\s+(?:on|at)\s+(?:admission|discharge))?:?$"
    r"|^(?:start|continue|change how you take|keep) taking(?: these(?: medications| medicines)?)?:?$"
    r"|^(?:current )?repeats:?$|^(?:regular|prn|acute|otc|otc ?/ ?herbal|herbal)(?: \(last \d+ months?\))?:$"
    r"|^(?:current )?(?:outpatient |inpatient )?(?:medications?|meds)(?: on file)?(?: prior to (?:visit|admission))?:?$"
    r"|^(?:the )?patient'?s (?:current )?(?:medications?|meds):?$",
    re.I,
)
"""A list's heading written without a colon ("Current medications", "Home meds", "MEDICATIONS ON ADMISSION"): only
these fixed words, so a line naming a drug is never one."""


def _list_heading(piece: str) -> bool:
    """ "Current meds:", "Repeat medications:", without its colon in capitals ("REPEAT MEDICATION"), or one of the
    usual headings without a colon (:data:`_BARE_HEADING`): a heading, which also ends an allergy or past section."""
    text = " ".join(piece.split())
    return (
        bool(_HEADING.match(text))
        or (text.isupper() and bool(_HEADING.match(text + ":")))
        or bool(_BARE_HEADING.match(text))
    )


def _split_line(raw: str) -> list[str]:
    """*raw* cut at its separators, except a comma or semicolon inside brackets ("(Repeat, last issued …, 100
    capsules)", Epic's brand lists "(PROVENTIL HFA;VENTOLIN HFA)").

    An opening bracket never closed protects nothing: its commas split as usual.
    """
    if not _BRACKETS.search(raw):
        return _SPLIT.split(raw)
    inside = [False] * len(raw)
    opened: list[int] = []
    for m in _BRACKETS.finditer(raw):
        if m.group() in "([{":
            opened.append(m.start())
        elif opened:
            start = opened.pop()
            if not opened:
                inside[start : m.start()] = [True] * (m.start() - start)
    pieces: list[str] = []
    at = 0
    for m in _SPLIT.finditer(raw):
        if m.group() in ",;" and inside[m.start()]:  # Epic: "(PROVENTIL HFA;VENTOLIN HFA)"
            continue
        pieces.append(raw[at : m.start()])
        at = m.end()
    pieces.append(raw[at:])
    return pieces


def _strip_bullets(piece: str) -> str:
    out = piece.strip()
    if len(out) > MAX_ITEM_CHARS:
        return out
    for _ in range(3):  # "1. - oxycodone"
        stripped = _LEADING.sub("", out, count=1).strip()
        if stripped == out:
            break
        out = stripped
    return out


_CONTINUATION = frozenset({
    "change", "apply", "then", "max", "maximum", "after", "before", "until", "reduce", "reducing", "increase",
    "increasing", "use", "used", "usually", "only", "since", "via", "on", "off", "held", "hold", "withheld",
    "stopped", "prescribed", "started", "continue", "wean", "weaning", "titrate", "titrating", "with", "plus",
    "repeat", "review", "reviewed", "last", "next", "issued", "issue", "authorised", "authorized", "notes", "note",
    "supply", "dispense", "dispensed", "quantity", "qty", "acute", "due", "expires", "expiry",
    "not", "avoid", "except", "unless", "but", "skip", "stop", "omit", "leave", "take", "taken", "for", "as",
})  # fmt: skip
"""Words that start the rest of a medication after a comma ("…, change weekly", "…, max 8 daily", "…, not on
methotrexate day", "…, take with food", and a GP system's "…, review due 01-Feb-2027", "…, last issued 12-Nov-2026")."""


def _continues(piece: str) -> bool:
    """A comma piece that starts with a dose, a frequency or another word of grammar continues the one before."""
    words = tokens(piece)
    if (
        len(words) > 1
        and words[0] in _TAKES
        and words[1].isalpha()
        and not is_grammar(words[1])
        and (words[1] not in _NOT_A_NAME)
    ):
        return False  # "Allergic to codeine; takes tramadol 50mg prn": a medicine of its own, not the allergy's
    return bool(words) and (words[0][0].isdigit() or is_grammar(words[0]) or words[0] in _CONTINUATION)


_TAKES = frozenset({"takes", "taking", "take", "on", "uses", "using"})
_NOT_A_NAME = frozenset({"it", "this", "these", "them", "that", "those", "only", "now", "regularly", "also", "all"})


# ---------------------------------------------------------------------------------------------
# Tokens


_HASH_NUMBER = re.compile(r"(?:#|\bno\.?\s*)(?=\d)")
_WITH = re.compile(r"\bw/")
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:[ ]{_MONTH},?[ ]|-{_MONTH}-|/{_MONTH}/|\.{_MONTH}\.)(?:\d{{4}}|\d{{2}})\b"
    rf"|\b\d{{1,2}}-{_MONTH}(?![a-z])"
    rf"|\b{_MONTH}[ ]\d{{1,2}}(?:st|nd|rd|th)?,?[ ]\d{{4}}\b"
    rf"|\b{_MONTH}[ ,/-]+(?:\d{{4}}|'\d{{2}})\b|\b{_MONTH}-\d{{2}}\b"
)
"""A date written with its month's name ("12-Sep-2026", "03 Mar 2025", "Jun 2026", "Sep 12, 2026"): the month is no
medication ("Mar" had been a close name of Marol, a tramadol brand; "nov" another medication)."""


def fold(text: str) -> str:
    """Lower case without accents; micro signs as "u" ("µg" → "ug")."""
    if text.isascii():
        return text.casefold()
    text = text.replace("µ", "u").replace("μ", "u")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    """Comparable words: folded, "#3" and "No. 3" both "3", "w/" as "with", "+" as "plus", letters and digits apart
    ("30mg" → "30", "mg"). Hyphens and spaces separate words; :func:`key` joins them, so "co-codamol" meets
    "co codamol"."""
    folded = _WITH.sub("with ", fold(text)).replace("+", " plus ")  # "Nurofen+" is Nurofen Plus (codeine)
    folded = _HASH_NUMBER.sub(" ", TYLENOL_NUMBER.sub(r"tylenol \1", _DATE.sub(" ", folded)))
    return _WORD.findall(folded)


def key(words: list[str] | tuple[str, ...]) -> str:
    """The lookup key of a run of words: joined without spaces ("MS Contin", "mscontin" and "ms-contin" meet)."""
    return "".join(words)


# ---------------------------------------------------------------------------------------------
# Grammar words

UNITS: dict[str, str] = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "mgs": "mg",
    "mcg": "mcg", "ug": "mcg", "microgram": "mcg", "micrograms": "mcg", "mcgs": "mcg",
    "g": "g", "gram": "g", "grams": "g", "gm": "g",
    "ml": "ml", "mls": "ml", "millilitre": "ml", "millilitres": "ml", "milliliter": "ml", "milliliters": "ml",
    "l": "l", "unit": "units", "units": "units", "iu": "units", "mmol": "mmol", "nanograms": "ng", "ng": "ng",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
}  # fmt: skip
"""Unit words and how they are shown."""

FREQUENCIES: dict[str, str] = {
    "od": "once daily", "qd": "once daily", "daily": "once daily", "om": "in the morning",
    "bd": "twice daily", "bid": "twice daily", "bds": "twice daily",
    "tds": "three times daily", "tid": "three times daily",
    "qds": "four times daily", "qid": "four times daily",
    "nocte": "at night", "on": "at night", "qhs": "at night", "hs": "at night", "qpm": "in the evening",
    "mane": "in the morning", "qam": "in the morning",
    "prn": "as needed", "nightly": "at night", "stat": "once (stat)", "weekly": "weekly", "qw": "weekly",
    "qwk": "weekly",
    "monthly": "monthly",
    "alternate": "alternate days", "eod": "alternate days", "qod": "alternate days",
}  # fmt: skip
"""Frequency abbreviations (one word) and what they mean."""

_FREQUENCY_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bq\s?(\d+(?:\s?-\s?\d+)?)\s?h(?:rs?|ours?)?\b"), "every {0} hours"),
    (re.compile(r"\bevery (\d+(?:\s?(?:-|to)\s?\d+)?) ?h(?:rs?|ours?)?\b"), "every {0} hours"),
    (re.compile(r"\b(\d+(?:\s?-\s?\d+)?) ?hourly\b"), "every {0} hours"),
    (
        re.compile(r"\b(?:once a day|once daily|1 ?x ?daily|one a day|1 times? (?:a |per )?day|1 times? daily)\b"),
        "once daily",
    ),
    (re.compile(r"\b(?:twice a day|twice daily|2 ?x ?daily|2 times (?:a |per )?day|2 times daily)\b"), "twice daily"),
    (
        re.compile(r"\b(?:three times a day|three times daily|3 ?x ?daily|3 times (?:a |per )?day|3 times daily)\b"),
        "three times daily",
    ),
    (
        re.compile(r"\b(?:four times a day|four times daily|4 ?x ?daily|4 times (?:a |per )?day|4 times daily)\b"),
        "four times daily",
    ),
    (re.compile(r"\b(?:at night|at bedtime|before bed)\b"), "at night"),
    (re.compile(r"\b(?:as needed|as required|when required|if needed)\b"), "as needed"),
    (re.compile(r"\bevery (\d+) days\b"), "every {0} days"),
    (re.compile(r"\b(?:q\s?|every )1\s?(?:wks?|weeks?|w)\b"), "weekly"),
    (re.compile(r"\b(?:q\s?|every )(?!1\s?(?:wks?|weeks?|w)\b)(\d+)\s?(?:wks?|weeks?|w)\b"), "every {0} weeks"),
    (re.compile(r"\bonce (?:a |per )?week(?:ly)?\b"), "weekly"),
)

ROUTES: dict[str, str] = {
    "po": "oral", "oral": "oral", "orally": "oral", "sl": "sublingual", "sublingual": "sublingual",
    "iv": "intravenous", "im": "intramuscular", "sc": "subcutaneous", "sq": "subcutaneous",
    "subcut": "subcutaneous", "subcutaneous": "subcutaneous", "td": "transdermal", "transdermal": "transdermal",
    "top": "topical", "topical": "topical", "pr": "rectal", "rectal": "rectal", "inh": "inhaled",
    "inhaled": "inhaled", "buccal": "buccal", "nasal": "intranasal", "intranasal": "intranasal", "in": "",
    "ng": "",
}  # fmt: skip
"""Route abbreviations ("in" and "ng" are too ambiguous to report but are never a drug word)."""

FORMS: dict[str, str] = {
    "tab": "tablet", "tabs": "tablet", "tablet": "tablet", "tablets": "tablet", "cap": "capsule",
    "caps": "capsule", "capsule": "capsule", "capsules": "capsule", "patch": "patch", "patches": "patch",
    "liquid": "liquid", "solution": "solution", "soln": "solution", "syrup": "syrup", "linctus": "linctus",
    "elixir": "elixir", "suspension": "suspension", "susp": "suspension", "drops": "drops", "injection": "injection",
    "inj": "injection", "film": "film", "films": "film", "spray": "spray", "lozenge": "lozenge",
    "suppository": "suppository", "supp": "suppository", "sachet": "sachet", "sachets": "sachet",
    "granules": "granules", "inhaler": "inhaler", "puff": "puff", "puffs": "puff", "cream": "cream", "gel": "gel",
    "implant": "implant", "depot": "depot", "dispersible": "dispersible", "effervescent": "effervescent",
    "soluble": "soluble", "melt": "melt", "lolly": "lozenge", "pen": "pen", "odt": "orodispersible tablet",
    "orodispersible": "orodispersible tablet", "caplet": "caplet", "caplets": "caplet", "tb": "tablet",
    "turbohaler": "inhaler", "accuhaler": "inhaler", "evohaler": "inhaler", "easyhaler": "inhaler",
    "ellipta": "inhaler", "respimat": "inhaler", "handihaler": "inhaler", "diskus": "inhaler",
}  # fmt: skip
"""Dosage-form words and how they are shown."""

RELEASE: dict[str, str] = {
    "er": "extended release", "xr": "extended release", "xl": "extended release", "sr": "sustained release",
    "mr": "modified release", "cr": "controlled release", "la": "long acting", "ir": "immediate release",
    "cd": "controlled delivery", "retard": "prolonged release", "continus": "prolonged release",
}  # fmt: skip
"""Release abbreviations (the long forms, "modified release", are read from the words)."""

_RELEASE_WORDS = frozenset({"modified", "extended", "prolonged", "sustained", "controlled", "slow", "immediate",
                            "release", "released", "acting", "long", "short", "delayed"})  # fmt: skip


_FILLER = frozenset({
    "and", "with", "plus", "take", "takes", "taking", "to", "of", "the", "a", "an", "for", "per", "x", "by",
    "mouth", "one", "two", "three", "four", "half", "each", "every", "times", "time", "day", "days", "week",
    "at", "night", "morning", "evening", "bedtime", "as", "needed", "required", "when", "if", "once", "twice",
    "hourly", "dose", "doses", "strength", "forte", "max", "q", "up", "then", "or", "s", "am", "pm", "t",
    "usp", "bp", "generic", "brand", "release", "tablet", "qty", "rx", "sig", "no", "new", "old",
    "be", "gastro", "resistant", "cfc", "free", "pre", "filled", "prefilled",  # dm+d: "gastro-resistant", "CFC free"
    "act", "actuation", "actuations", "inhale", "instil", "instill", "insert", "apply", "place", "chew", "dissolve",
    "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",  # Epic: "MCG/ACT", "every 6 (six) hours"
    "hfa", "route", "nare", "nares", "nostril", "nostrils", "lungs", "skin", "tongue", "into", "onto", "under",
    "zur", "nacht", "morgens", "abends", "taglich", "tgl",  # a German Medikationsplan: "4,5 mg zur Nacht"
    "low", "ld",  # "low dose naltraxone", "LD naltrexone 3mg" (LD, also a loading dose)
    "weeks", "wk", "wks", "w", "month", "months",  # "Humira 40mg q2wk", "q2w", "every 3 months"
    "es", "ds",  # "Tylenol ES" (extra strength), "Bactrim DS" (double strength)
    "meds", "med", "dhx", "current", "regular",  # lead-ins kept in the item's text: "Meds: naltrexone 4.5mg"
})  # fmt: skip
"""Words around a drug name that are never the drug."""

_ABBREVIATED = re.compile(r"^(?:q\d+h?|\d+h|x\d+)$")


def is_grammar(word: str) -> bool:
    """True for a dose, unit, frequency, route, form, release, salt or filler word (never a drug name)."""
    return (
        word in UNITS or word in FREQUENCIES or word in ROUTES or word in FORMS or word in RELEASE
        or word in SALTS or word in _RELEASE_WORDS or word in _FILLER or bool(_ABBREVIATED.match(word))
    )  # fmt: skip


_JOINING = frozenset({
    "and", "with", "plus", "or", "to", "of", "the", "a", "an", "for", "per", "x", "by", "as", "when", "if", "take",
    "takes", "taking", "then", "in", "on",
})  # fmt: skip
"""Grammar that leads into what follows ("warfarin 5mg with tramadol 50mg"), so ends no medication's directions."""


def leads_in(word: str) -> bool:
    """True for grammar that leads into what follows ("with", "and", "plus"): no medication's directions end there."""
    return word in _JOINING


def ends_directions(word: str) -> bool:
    """True for a word that can end one medication's directions before another medication's name ("…5mg prn",
    "…100mcg od", "…10 mg at night", "…50"): a number, or grammar other than a word leading into what follows."""
    return word.isdigit() or (is_grammar(word) and word not in _JOINING)


# ---------------------------------------------------------------------------------------------
# Details written around the name

_NUM = r"\d+(?:[.,]\d+)?"
_DOSE = re.compile(
    rf"(?<![\w.])({_NUM}(?:\s*(?:/|-|–|to)\s*{_NUM})*)\s*"
    r"(mg|mcg|ug|micrograms?|milligrams?|g|grams?|ml|mls|units?|iu|mmol|%)"
    r"(?:\s*/\s*(\d+(?:\.\d+)?)?\s*(ml|h|hr|hour|24\s*h(?:ours?)?|dose|actuation))?(?![a-z])"
)
_STRENGTH = re.compile(r"(?<![\d/.])(\d+(?:\.\d+)?/\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?)(?![\d/])")
_QUANTITY = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+)?|one|two|half)\s*"
    r"(tabs?|tablets?|caps?|capsules?|puffs?|drops?|patch(?:es)?|sachets?|films?|spoonfuls?|sprays?)\b"
)


@dataclass(frozen=True)
class Details:
    """What a line says besides the drug: each None when not written."""

    dose: str | None = None
    """E.g. "30 mg", "10 mg/5 ml", "25 mcg/h", "30/500"."""
    quantity: str | None = None
    """E.g. "2 tablets", "1-2 tablets"."""
    frequency: str | None = None
    """E.g. "twice daily", "every 4-6 hours", "as needed" (several joined with ", ")."""
    route: str | None = None
    form: str | None = None
    """Dosage form and release, e.g. "patch", "tablet, extended release"."""
    salt: str | None = None
    """E.g. "hydrochloride"."""
    written_as: str | None = None
    """``"allergy"`` or ``"past"`` where the line says so (:mod:`ldn_browser.core.med_context`)."""


_SPELLED_NUMBER = re.compile(
    r"\s*\((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty[- ]four|forty[- ]eight|"
    r"seventy[- ]two)\)"
)
"""Epic's number spelled out after the digits: "every 4 (four) hours", "2 (two) times daily"."""
_ROUTE_PHRASES = (("by mouth", "oral"), ("into the lungs", "inhaled"), ("each nare", "intranasal"),
                  ("each nostril", "intranasal"), ("under the tongue", "sublingual"),
                  ("under the skin", "subcutaneous"), ("onto the skin", "transdermal"))  # fmt: skip


def parse_details(text: str, written_as: str | None = None) -> Details:
    """Read the dose, quantity, frequency, route, form and salt of one item (bounded: items are short)."""
    folded = _SPELLED_NUMBER.sub("", fold(text[:MAX_ITEM_CHARS]))
    dose = None
    if m := _DOSE.search(folded):
        unit = UNITS.get(m.group(2).rstrip("s"), UNITS.get(m.group(2), m.group(2)))
        dose = f"{m.group(1).replace(' ', '')} {unit}"
        if m.group(4):
            per = UNITS.get(m.group(4).replace(" ", ""), m.group(4).replace(" ", ""))
            dose += f"/{m.group(3) + ' ' if m.group(3) else ''}{per}"
    elif m := _STRENGTH.search(folded):
        dose = m.group(1)
    quantity = None
    if q := _QUANTITY.search(folded):
        count, unit = q.group(1).replace(" ", ""), FORMS.get(q.group(2), q.group(2))
        quantity = f"{count} {unit}" if count in ("1", "one", "half") else f"{count} {unit}s"
    frequencies: list[str] = []
    rest = folded  # without the phrases read, so "2 times daily" does not also give "daily" alone
    for pattern, label in _FREQUENCY_PHRASES:
        for fm in pattern.finditer(folded):
            shown = label.format(*(g.replace(" ", "") for g in fm.groups()))
            if shown not in frequencies:
                frequencies.append(shown)
        rest = pattern.sub(" ", rest)
    words = tokens(folded)
    rest_words = tokens(rest)
    for i, w in enumerate(rest_words):
        if w == "on" and not any(x[0].isdigit() for x in rest_words[:i]):
            continue  # "ON" (at night) only after a dose: "on hold" is not a frequency
        if w in FREQUENCIES and FREQUENCIES[w] not in frequencies:
            frequencies.append(FREQUENCIES[w])
    route = next((ROUTES[w] for w in words if ROUTES.get(w)), None)
    route = route or next((shown for phrase, shown in _ROUTE_PHRASES if phrase in folded), None)
    forms = [FORMS[w] for w in words if w in FORMS and not (q and w == q.group(2))]
    release = [RELEASE[w] for w in words if w in RELEASE]
    for phrase in ("modified release", "extended release", "prolonged release", "sustained release",
                   "slow release", "controlled release", "immediate release", "delayed release"):  # fmt: skip
        if phrase in folded and phrase not in release:
            release.append(phrase)
    if not forms and q:
        forms = [FORMS.get(q.group(2), q.group(2))]
    form = ", ".join(dict.fromkeys([*forms, *release])) or None
    salt = next((SALTS[w] for w in words if w in SALTS and w != "base"), None)
    return Details(dose, quantity, ", ".join(frequencies) or None, route, form, salt, written_as)
