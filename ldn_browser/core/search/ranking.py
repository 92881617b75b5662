"""Ranking constants in one place, each with the reason it has its value.

The search cases in ``tests/data/search-cases*.json`` (clinicians' queries) pin what these produce.
"""

from __future__ import annotations

from ldn_browser.core.kinds import KIND_SPECS, TitleName
from ldn_browser.core.vocab import Kind

FIELD_WEIGHTS: dict[str, float] = {
    "title": 6.0,  # the entry's own name is the strongest evidence of what the user wants
    "aliases": 5.0,  # abbreviations, brands and lay words are names too, a little less canonical
    "cite": 4.0,  # authors, year, journal and identifiers: "Smith 2011" must find the paper
    "text": 1.5,  # summary and body: many entries mention a condition; mentions must not outrank names
}
"""Query-time boosts per field (their order is also the order of "how it matched")."""

FIELD_LABELS = {"title": "title", "aliases": "alias", "cite": "citation", "text": "text"}
"""How each field is named in a hit's explanation."""

NAME_FIELDS = ("title", "aliases")
"""Fields searched for as-you-type completions (the completion vocabulary is the title and alias words)."""

KIND_PRIOR: dict[Kind, float] = {kind: spec.search_prior for kind, spec in KIND_SPECS.items()}
"""Per-kind score multipliers, from the kind registry (each prior's reason is given there)."""

SYNONYM_KINDS = frozenset(kind for kind, spec in KIND_SPECS.items() if spec.expands_aliases)
"""Kinds whose one-word aliases expand to the entry's title ("RA" → rheumatoid arthritis)."""

TITLE_NAME: dict[Kind, TitleName] = {kind: spec.title_name for kind, spec in KIND_SPECS.items()}
"""What of each kind's titles a synonym marks in snippets, from the kind registry."""

SYNONYM_MAX_WORDS = 8
"""Titles with more content words than this are not used as synonym expansions (a long AND finds nothing new)."""

SYNONYM_MIN_DF_CAP = 50
"""Words in the text of more than max(this, 2 % of the entries) are not expanded: they have evidence of their own."""

PREFIX_BOOST_KNOWN = 0.7
"""Completions of a word that is itself a known word weigh less than the word (it probably is the word)."""
PREFIX_BOOST_UNKNOWN = 0.9
"""Completions of an unknown prefix ("fibro") carry nearly full weight: the user is still typing."""
SHORT_TYPO_LETTERS = 4
"""A respelled word this short must keep its first two letters ("lups" → lupus; "pcos" is not "plos")."""
TYPO_TWO_EDITS_FROM = 9
"""Words this long may be corrected by two edits; shorter ones by one ("statins" must not become "starting")."""
TYPO_BOOST = 1.0
"""Spelling corrections weigh as the word would: only a word the KB lacks is respelled, so a correction never
competes with its exact form, and weighing it less made the query's other words the topic ("fibromyalga pain"
ranked "Chronic pain" and a claim about a pain journal above "Fibromyalgia")."""
SYNONYM_BOOST = 0.4
"""An alias expanded into its entry's title is weak evidence for other entries with those words."""
PHRASE_BOOST = 1.5
"""A quoted phrase that matches is stronger than its words scattered."""

EXACT_TITLE_FACTOR = 2.5
"""The query is the entry's whole title: it ranks above every other hit."""
EXACT_ALIAS_FACTOR = 2.0
"""The query is one of the entry's aliases ("SLE" is lupus): it also ranks above non-name hits."""
TITLE_PREFIX_FACTOR = 1.6
"""The title starts with the query as typed so far."""
ALIAS_PREFIX_FACTOR = 1.4
"""An alias starts with the query as typed so far."""

FALLBACK_MIN_WEIGHT = 0.6
"""When no entry has all the words, a hit must match words carrying 60 % of the query's IDF weight:
"hair loss" must not return the opioid entry for "loss of analgesia", nor "ME/CFS" an author "Rodegher ME"."""

TELLING_WORD_TITLE_FACTOR = 1.15
"""In a query of several words, a title holding the rarest one (by IDF) is what the query is about."""

NAMED_IN_QUERY_FACTOR = 1.5
"""In a query of several words, an entry one of whose names (title or alias) stands whole in it and holds its
rarest word is what the query is about: "RA pain" is about rheumatoid arthritis (alias "RA"), not about the
claim "Small RA trials showed less pain"."""

NEARLY_TYPED_LETTERS = 2
"""A name typed all but its last letters or two ("oxycodon", "fibromyalg") counts as typed in full."""

RESULT_CACHE_SIZE = 64
"""Recent answers kept per index (users retype and step back through the same prefixes): 64 covers every
prefix of a long query typed and deleted again, and holds ~0.8 MB for the bundled KB (256 held 3.4 MB,
the search process's memory over the 1,000-search benchmark: 57.9 -> 55.5 MB; issue 19)."""
