"""What the user typed, as clauses: quotes, OR, NOT/-word, prefixes; syntax never raises.

Anything that looks like query syntax the app does not support is searched for as words, with a notice.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from ldn_browser.core.salts import SALTS
from ldn_browser.core.search.analysis import WORD_PATTERN, is_stop_word, words
from ldn_browser.core.shorthand import TYLENOL_NUMBER
from ldn_browser.core.vocab import Kind

# ---------------------------------------------------------------------------------------------
# Query text

SYNTAX_NOTICE = "Search syntax ignored: searched for the words instead"
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_WORD_CHARS = 40

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_RAW_TOKEN_RE = re.compile(r'"[^"]*"|[^\s"]+|"')
_SYNTAX_CHARS_RE = re.compile(r"[:()\[\]{}^~*+\\<>=|&]")
_JOINING_AMPERSAND_RE = re.compile(r"(?<=[^\W_])&(?=[^\W_])")
_PLAIN_PUNCTUATION_RE = re.compile(r"[()]|(?<=[^\W_])\+(?=[^\W_])")
"""Round brackets and a plus joining two words ("(tramadol)", "LDN+Suboxone"): punctuation, not syntax."""
"""An ampersand inside a word joins its letters ("A&E", "D&V"): written that way, not query syntax."""
_FIELD_PREFIXES = frozenset({"title", "aliases", "alias", "cite", "text", "body", "kind", "id", "grade"})
"""Search-engine field names a user may type before a colon; they are syntax, not words to find."""
_PUNCTUATION = "?!.,;"
"""Sentence punctuation at the end of a word is not syntax: "can I take LDN with tramadol?" is a question."""

FILLER_WORDS = frozenset(
    """the a an what whats which who whom when where why how is are was were be been am can could should
    would will shall may might must do does did i me my mine we our you your he she his her it its they
    them their this that these those there here any some about for with without to from of in on at by
    as into and or but if then than so too very just also use used using take taking taken give giving
    start starting stop stopping prescribe prescribing patient patients someone person people safe
    safely ok okay work works working help helps good best recommended advice tell know there anyone
    weird odd funny awful terrible horrible really lots evidence cause causes caused causing until till soon
    before need needs needed hx pt pts vs versus difference differences between compared compare comparison
    together same concurrently simultaneously alongside concomitant concomitantly combined combine combining
    summary overview actually even after""".split()  # noqa: SIM905 - a word list reads better
)
"""Words of a clinician's question that carry no topic ("can I use LDN with tramadol" → tramadol), and the
lay modifiers that only colour one ("weird dreams" → dreams; "RA evidence" → RA)."""

QUESTION_KINDS: tuple[tuple[re.Pattern[str], Kind, frozenset[str]], ...] = (
    (re.compile(r"\bhow (?:does|do|would|might|could) .*\bwork", re.I), Kind.MECHANISM, frozenset()),
    (
        re.compile(r"\bmechanisms?\b|\bmoa\b", re.I),  # "MOA": mechanism of action, as written in notes
        Kind.MECHANISM,
        frozenset({"mechanism", "mechanisms", "action", "moa"}),
    ),
    (
        re.compile(
            r"\bhow (?:to|do i|do you|should i|should you) (?:start|begin|take|dose|titrate)\b|\bhow much\b", re.I
        ),
        Kind.DOSING,
        frozenset({"start", "begin", "dose", "titrate", "much"}),
    ),
    (
        re.compile(
            r"\bwho (?:should|must|can|could|may)(?:n'?t| not| never|not)\b|\bwho (?:cannot|can't|cant)\b"
            r"|\bwhen not to\b|\bcontra-?indicat\w*",
            re.I,
        ),
        Kind.CONTRAINDICATION,
        frozenset(
            {
                "not",
                "never",
                "cannot",
                "can't",
                "cant",
                "shouldn't",
                "shouldnt",
                "mustn't",
                "contraindication",
                "contraindications",
                "contraindicated",
                "contra",
            }
        ),
    ),
    (
        re.compile(
            r"\b(?:what|which) (?:conditions?|diseases?|illnesses)\b|\bindications?\b|\bwhat does (?:ldn|it) treat\b"
            r"|\bwhat (?:is|can) (?:ldn|it|naltrexone|low[ -]dose naltrexone) (?:be )?used for\b"
            r"|^(?:but )?does (?:ldn|it|naltrexone) (?:really |actually |even )?work\b|\bbest evidence\b"
            r"|\bis (?:ldn|it) evidence[- ]based\b|^(?:will|would|could) (?:ldn|it) (?:help|work)(?: for)? me\b"
            r"|^is (?:ldn|it) (?:right|good|suitable) for me\b",
            re.I,
        ),
        Kind.CONDITION,
        frozenset({"conditions", "condition", "diseases", "disease", "illnesses", "indications", "indication"})
        | {"treat", "based", "right", "suitable"},
    ),
    (
        re.compile(
            r"\binteract(?:ions?|s|ing)?\b|\bdrug[- ]drug\b|\bddis?\b"  # "what drugs interact with LDN", "DDI"
            r"|\b(?:drugs?|medications?|medicines?|meds)\s+(?:not\s+to\s+(?:take|use|mix|combine)|to\s+avoid)\b"
            r"|\b(?:can'?t|cannot|can ?not)\s+be\s+(?:taken|used|mixed|combined)\s+with\b",
            re.I,
        ),
        Kind.INTERACTION,
        frozenset({"interaction", "interactions", "interact", "interacts", "interacting", "drug", "drugs"})
        | {"medication", "medications", "medicine", "medicines", "meds", "list", "all", "other", "ddi", "ddis"}
        | {"avoid", "not", "mix", "combine", "taken", "mixed", "combined", "can't", "cant", "cannot"},
    ),
    (
        re.compile(r"\b(?:side|adverse) effects?\b", re.I),
        Kind.SIDE_EFFECT,
        frozenset({"side", "adverse", "effect", "effects"}),
    ),
)
"""Questions that ask for a kind of entry rather than a topic, and the words that only ask for it:
"how does LDN work?" and "mechanism of action" ask for the mechanisms; "who should not take LDN?" and
"contraindications" for the contraindications; "vivid dreams side effect" asks for the side effect "vivid dreams"
(not for the claims that list side effects)."""

SHORTHAND = {"dz": "disease", "sx": "symptoms", "tx": "treatment", "oxy": "oxycodone", "oxys": "oxycodone",
             "bupe": "buprenorphine", "bup": "buprenorphine"}
"""Clinical shorthand as written in notes ("crohns dz", "fibro sx", "ldn w/ oxy"): searched as the word it stands for
(the Oxytrex trials, oxycodone with microgram naltrexone, led for "oxy" and read as if the pair were fine; "hx" and
"pt", which only frame a topic, are filler words)."""

SHORTHAND_PHRASES = {"w/": "with", "w/o": "without", "f/u": "follow-up", "s/e": "side effects"}
"""Shorthand written with a slash, as one token: replaced before the words are read."""

LOW_DOSE_ONLY = re.compile(
    r"(?:(?:low[ -]dose )?(?:ldn|naltrexone) )?(?:(?:start(?:ing)?|take|taking|at|on) )?(?P<mg>\d{1,2}(?:[.,]\d{1,3})?)"
    r" ?mg(?: (?:of )?(?:ldn|naltrexone))?(?: (?:at night|nightly|nocte|at bedtime|daily|once daily|od|a day|per day"
    r"|bd|twice daily|in the morning|mane|each night|every night))?",
    re.I,
)
"""A query that is only a dose in the LDN range ("ldn 3mg nightly", "1.5mg", "6 mg naltrexone"): it asks about the
dose (the dosing entries), not about every study that happened to use that dose."""
_MG = r"\d{1,2}(?:[.,]\d{1,3})? ?(?:mg)?"
DOSE_CHANGE = re.compile(
    r"(?:(?:should|can|could|do|when (?:do|should|to)|how (?:do|to)) (?:i |we |you )?)?"
    r"(?:increase|increasing|raise|raising|go up|going up|titrate|step up|reduce|reducing|lower|lowering|decrease|drop)"
    rf"(?: (?:ldn|naltrexone|the dose|my dose|dose))?(?: from)? {_MG} to {_MG}(?: (?:of )?(?:ldn|naltrexone))?",
    re.I,
)
"""A question that is only about changing the dose ("increase ldn from 1.5 to 3"): the dosing entries, not the studies
that used those doses; with a reason ("… due to dreams") it is searched as usual."""
LOW_DOSE_MAX_MG = 20.0
"""Doses up to this are LDN's range (the studies used 0.001 to 16 mg); 50 mg is the standard dose (an alias)."""

DRUG_NAMES = frozenset({"ldn", "naltrexone"})
"""The drug every entry is about: its names never narrow a search (nor does "low dose" before them)."""

DOSE_WORDS = frozenset({"dose", "doses", "dosage", "dosages", "dosing"})
"""Words that ask about the dose whatever else a query names ("fibromyalgia dose", "what dose for crohns"): an
entry with one as an alias is asked for as a question is (:meth:`EntryNames.asked`)."""


@dataclass(frozen=True)
class Clause:
    """One unit of a parsed query: a word or a quoted phrase.

    Attributes:
        words: folded words (one for a word, several for a phrase).
        display: the text as the user typed it (for "did you mean").
        negated: excluded with NOT or a leading minus.
        prefix: the last word may be completed (as-you-type or an explicit ``*``).
        explicit_prefix: the user typed ``word*``.
    """

    words: tuple[str, ...]
    display: str
    negated: bool = False
    prefix: bool = False
    explicit_prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        """True for a quoted phrase of two or more words."""
        return len(self.words) > 1


@dataclass
class ParsedQuery:
    """A query as OR-separated groups of AND-ed clauses, plus whether syntax had to be ignored."""

    groups: list[list[Clause]] = field(default_factory=list)
    syntax_ignored: bool = False
    asks_for: Kind | None = None
    """The kind of entry a question asks for (:data:`QUESTION_KINDS`), if any."""
    only_question_words: bool = False
    """Every word was a question or filler word or the drug's name: no topic was named."""
    kept_in: list[str] = field(default_factory=list)
    """Words typed after NOT or a minus that were searched for all the same: drugs' names (``never_excluded``)."""
    beyond: list[Clause] = field(default_factory=list)
    """The clauses past :data:`MAX_CLAUSES` of a group: not searched for, but a drug named there is still found (a
    pasted medication list that ends in "tramadol 50mg")."""

    @property
    def clauses(self) -> list[Clause]:
        """All clauses of all groups."""
        return [c for g in self.groups for c in g]


_AGE_RE = re.compile(r"\b(\d{1,3})[ -]?(?:years?|yrs?|y)[ -]?old\b|\b(\d{1,3}) ?yo\b", re.I)
"""An age as written ("12 year old", "85-year-old", "7yo"): a child's is the topic "children"; an adult's is none."""
CHILD_UNDER = 18


_DURATION_RE = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[.,]\d)?\s*(?:days?|weeks?|wks?|months?|mths?|years?|yrs?|hours?|hrs?|nights?)\b",
    re.I,
)
"""A length of time ("stop LDN 3 days before surgery", "3 months to work"): no topic; its number alone had matched
product numbers ("Tylenol No. 3") and its unit the texts that give a number of days."""


_DOSE_RE = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,]\d{1,3})? ?(?:mg|mcg|milligrams?)\b", re.I)
"""A dose in a longer query ("insomnia on 3mg", "headache 4.5mg"): the topic is the rest (a dose alone asks about the
dose: :data:`LOW_DOSE_ONLY`); studies that happened to use that dose had outranked the side effect."""


def _without_doses(cleaned: str) -> str:
    """*cleaned* without its doses when it says something else than a dose, a drug's name and question words."""
    sentence = " ".join(cleaned.rstrip("?!. ").split())
    if LOW_DOSE_ONLY.fullmatch(sentence) or DOSE_CHANGE.fullmatch(sentence) or not _DOSE_RE.search(cleaned):
        return cleaned
    rest = _DOSE_RE.sub(" ", cleaned)
    topic = [w for w in words(rest) if w not in FILLER_WORDS and w not in DRUG_NAMES and w not in ("low", "dose")]
    return rest if topic else cleaned


def _age(m: re.Match[str]) -> str:
    age = int(m.group(1) or m.group(2))
    return " children " if age < CHILD_UNDER else " "


def clean_query_text(text: str) -> str:
    """Normalise Unicode, remove control and invisible characters, cap the length."""
    text = str(text)[: MAX_QUERY_CHARS * 2]  # str(): callers outside the type checker pass other objects
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL_RE.sub(" ", text).translate(_QUOTES)
    return text[:MAX_QUERY_CHARS]


def parse_query_text(
    text: str, never_excluded: Callable[[str], bool] | None = None, combined_with: frozenset[str] = frozenset()
) -> ParsedQuery:
    """Parse the small query language: words, "quoted phrases", OR, AND, NOT/-word, word*.

    Anything else that looks like syntax (``field:``, brackets, ``~``, ``^``, a lone operator, an
    unbalanced quote ...) is dropped and the words are searched for; ``syntax_ignored`` is then set.
    The last word is marked for prefix completion unless the text ends with whitespace. A word for which
    *never_excluded* is true (a drug's name: "ldn -tramadol" must still show tramadol's interaction) is searched
    for even after NOT or a minus, and listed in ``kept_in``.
    """
    cleaned = clean_query_text(text)
    parsed = ParsedQuery()
    as_you_type = bool(cleaned) and not cleaned[-1].isspace()
    cleaned = _AGE_RE.sub(_age, cleaned)  # "ldn for a 12 year old": children; "85 year old on ldn": no topic
    cleaned = _without_doses(_DURATION_RE.sub("", cleaned))
    raw_tokens = _RAW_TOKEN_RE.findall(cleaned)
    group: list[Clause] = []
    negate_next = False
    pending_or = False
    for i, raw in enumerate(raw_tokens):
        last = i == len(raw_tokens) - 1
        if raw == '"':
            parsed.syntax_ignored = True
            continue
        if raw in ("AND", "&&"):
            if not group or last:
                parsed.syntax_ignored = True
            continue
        if raw in ("OR", "||"):
            if not group or last or pending_or:
                parsed.syntax_ignored = True
                continue
            pending_or = True
            continue
        if raw == "NOT":
            if last or negate_next:
                parsed.syntax_ignored = True
            negate_next = True
            continue
        if pending_or:
            parsed.groups.append(group)
            group = []
            pending_or = False
        negated, negate_next = negate_next, False
        if raw.startswith('"'):
            if negated and never_excluded is not None and never_excluded(raw[1:-1]):
                negated = False
                parsed.kept_in.append(raw[1:-1].strip())
            inner = raw[1:-1]
            if _SYNTAX_CHARS_RE.search(inner):
                parsed.syntax_ignored = True
            ws = tuple(w[:MAX_WORD_CHARS] for w in words(inner))
            if ws:
                group.append(Clause(ws, inner.strip(), negated=negated))
            continue
        if raw.startswith("-") and len(raw) > 1 and not raw[1:].startswith("-"):
            negated, raw = True, raw[1:]
        if negated and never_excluded is not None and never_excluded(raw.strip(_PUNCTUATION)):
            negated = False  # a drug is never left out: its interactions must show
            parsed.kept_in.append(raw.strip(_PUNCTUATION))
        explicit_prefix = False
        body = raw
        if body.endswith("*") and len(body.rstrip("*")) >= 2 and not _SYNTAX_CHARS_RE.search(body.rstrip("*")):
            explicit_prefix = True
            body = body.rstrip("*")
        head, colon, tail = body.partition(":")
        if colon and head.lower() in _FIELD_PREFIXES:
            parsed.syntax_ignored = True
            body = tail  # "title:crohn" searches for crohn, not for the word "title"
        elif colon:
            body = body.replace(":", " ")  # "LDN: dose?" is punctuation, not syntax
        if body in ("+", "&", "/", "=", "-"):
            continue  # "LDN + tramadol", "MS & fatigue": a joining sign, as AND
        body = _JOINING_AMPERSAND_RE.sub(" ", body)
        body = _PLAIN_PUNCTUATION_RE.sub(" ", body)
        if _SYNTAX_CHARS_RE.search(body):
            parsed.syntax_ignored = True
            body = _SYNTAX_CHARS_RE.sub(" ", body)
        if body.lower() in SHORTHAND_PHRASES:
            body = SHORTHAND_PHRASES[body.lower()]  # "w/" is "with", "f/u" is "follow-up"
        ws = tuple(SHORTHAND.get(w, w)[:MAX_WORD_CHARS] for w in words(body))
        pieces = re.findall(WORD_PATTERN, body)  # the same words as typed (case kept: "ME" in "ME/CFS")
        for j, w in enumerate(ws):
            is_last_word = j == len(ws) - 1
            prefix = is_last_word and (explicit_prefix or (last and as_you_type and not negated))
            group.append(
                Clause(
                    (w,),
                    (pieces[j] if len(pieces) == len(ws) else w) if len(ws) > 1 else body,
                    negated=negated,
                    prefix=prefix,
                    explicit_prefix=explicit_prefix and is_last_word,
                )
            )
    if negate_next or pending_or:
        parsed.syntax_ignored = True
    parsed.groups.append(group)
    contents = [_content(g, combined_with) for g in parsed.groups if any(not c.negated for c in g)]
    parsed.groups = [c[:MAX_CLAUSES] for c in contents]
    parsed.beyond = [clause for c in contents for clause in c[MAX_CLAUSES:]]
    asked = next(((kind, consumed) for pattern, kind, consumed in QUESTION_KINDS if pattern.search(cleaned)), None)
    consumed = asked[1] if asked else frozenset()
    if asked:
        parsed.asks_for = asked[0]
        parsed.groups = [_without(g, consumed) for g in parsed.groups]
    parsed.only_question_words = bool(parsed.groups) and all(
        not c.negated and not c.is_phrase and (_is_filler(c) or c.words[0] in consumed) for c in parsed.clauses
    )
    if asked is None:  # a dose alone, or a change of dose alone, asks about dosing
        sentence = " ".join(cleaned.rstrip("?!. ").split())
        dose = LOW_DOSE_ONLY.fullmatch(sentence)
        if (dose and float(dose.group("mg").replace(",", ".")) <= LOW_DOSE_MAX_MG) or DOSE_CHANGE.fullmatch(sentence):
            parsed.asks_for, parsed.only_question_words = Kind.DOSING, True
    return parsed


def _without(group: list[Clause], consumed: frozenset[str]) -> list[Clause]:
    """The group without the words that only ask for a kind, unless nothing else would be left."""
    kept = [c for c in group if c.negated or c.is_phrase or c.words[0] not in consumed]
    return kept if any(not c.negated for c in kept) else group


def _is_filler(clause: Clause) -> bool:
    return (
        clause.words[0] in DRUG_NAMES
        or clause.words[0] in FILLER_WORDS
        or clause.words == ("low",)
        or (clause.words == ("dose",))
    )


def _is_acronym(display: str) -> bool:
    return len(display) >= 2 and display.isupper() and display.isalpha()


def _content(group: list[Clause], combined_with: frozenset[str] = frozenset()) -> list[Clause]:
    """The group without question/filler words and the drug's own names, unless nothing else is left.

    Kept: a filler typed as an acronym ("ME" in "ME/CFS") and a roman "I"/"II" after an acronym ("CRPS I").
    """
    drop: set[int] = set()
    salts: set[int] = set()
    combined = any(not c.is_phrase and c.words[0] in combined_with for c in group)  # "naltrexone bupropion"
    for i, clause in enumerate(group):
        if clause.negated or clause.is_phrase:
            continue
        word, shown = clause.words[0], clause.display.strip(_PUNCTUATION)
        if word in DRUG_NAMES and not (combined and word == "naltrexone"):
            drop.add(i)
            if i >= 2 and group[i - 1].words == ("dose",) and group[i - 2].words == ("low",):
                drop.update((i - 1, i - 2))
            salt = i + 1  # "naltrexone hydrochloride", "naltrexone HCl": the salt is part of the drug's name
            while salt < len(group) and not group[salt].is_phrase and group[salt].words[0] in SALTS:
                salts.add(salt)
                salt += 1
        elif word == "time" and i > 0 and group[i - 1].words == ("same",):
            drop.add(i)  # "LDN with opioids at the same time": the opioids
        elif word in FILLER_WORDS and not _is_acronym(shown):
            after_acronym = i > 0 and _is_acronym(group[i - 1].display) and word in ("i", "ii")
            if not after_acronym:
                drop.add(i)
    kept = [c for i, c in enumerate(group) if i not in drop | salts]
    if not any(not c.negated for c in kept):
        return [c for i, c in enumerate(group) if i not in salts]  # the drug's name alone: what it is called
    if kept and group[-1].prefix and kept[-1] is not group[-1]:
        last = kept[-1]  # the word being typed was dropped: the last kept word is complete
        kept[-1] = Clause(last.words, last.display, negated=last.negated, prefix=False)
    return kept


_TYLENOL = re.compile(r"\btylenol\b", re.I)
_T_BESIDE = re.compile(r"\bT\s?([1-4])s?\b", re.I)


def tylenol_numbers(text: str) -> str:
    """Canadian shorthand for Tylenol No. 1-4 (codeine) as its name: "T#3" always, "T3" beside "Tylenol" ("T3
    tylenol" → "tylenol 3"); "T3" alone is left as typed (it is also liothyronine)."""
    text = TYLENOL_NUMBER.sub(r"tylenol \1", text)
    if _TYLENOL.search(text) and (t := _T_BESIDE.search(text)):
        text = _TYLENOL.sub(f"tylenol {t[1]}", _T_BESIDE.sub(" ", text, count=1), count=1)
    return text


def is_weak(word: str) -> bool:
    """A single character, a short numeral ("3", "12") or a stop word: never a hit on its own."""
    return len(word) < 2 or (word.isdigit() and len(word) <= 3) or is_stop_word(word)


def without_words(parsed: ParsedQuery, asked: set[str], analyse: Callable[[str, str], tuple[str, ...]]) -> ParsedQuery:
    """*parsed* without the words of the questions it asks (*asked*, analysed), unless nothing else would be left."""
    groups = [
        [c for c in group if c.negated or c.is_phrase or not set(analyse("aliases", c.words[0])) <= asked]
        for group in parsed.groups
    ]
    if not any(not c.negated for group in groups for c in group):
        return parsed
    return dataclasses.replace(parsed, groups=[g for g in groups if any(not c.negated for c in g)])


def only_weak_words(parsed: ParsedQuery) -> bool:
    """True when every word searched for is weak (identifiers such as PMIDs are long numerals: not weak).

    A stop word typed as an acronym ("AS", "IT") is content: "AS" is ankylosing spondylitis.
    """
    clauses = [c for c in parsed.clauses if not c.negated]
    return bool(clauses) and all(
        all(is_weak(w) for w in c.words) and not (c.display.isupper() and len(c.display) >= 2) for c in clauses
    )
