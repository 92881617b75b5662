"""How a hit matched, in words: "title", "alias “RA”", "typo: fibromyalga → fibromyalgia",
"form: itchy → itch", "spelling: behaviour → behavior", "prefix “fibro”"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_browser.core.search.analysis import fold
from ldn_browser.core.search.documents import EntryText
from ldn_browser.core.search.query import Origin, QueryBuilder
from ldn_browser.core.search.ranking import FIELD_LABELS, FIELD_WEIGHTS

if TYPE_CHECKING:
    from ldn_browser.core.search.index import SearchIndex


def explain(
    index: SearchIndex, text: EntryText, terms: list[tuple[str, str]], builder: QueryBuilder
) -> tuple[str, ...]:
    """The reasons a hit matched: fields first (best field first), then expansions (prefix, typo, synonym)."""
    fields: list[str] = []
    reasons: list[str] = []
    exact_words: set[str] = set()
    other: list[Origin] = []
    order = list(FIELD_WEIGHTS)
    aliases_matched = {t for f, t in terms if f == "aliases"}
    partial: set[str] = set()
    whole = False
    for field, term in sorted(terms, key=lambda ft: order.index(ft[0]) if ft[0] in order else 99):
        origins = builder.origins.get((field, term), set())
        if origins and all(o[0] == "synonym" and o[3] == text.entry_id for o in origins):
            continue  # the entry's own alias expanded to its own title: the alias match explains it
        if field == "aliases":
            candidates = [a for a in text.aliases if term in index.analyse(field, a)]
            typed_words = {o[1] for o in origins}
            alias = next((a for a in candidates if fold(a) in typed_words), candidates[0] if candidates else None)
            note = dict(text.name_notes).get(alias) if alias else None  # a product: "Percocet → oxycodone"
            if note and alias and not set(index.analyse(field, alias)) <= aliases_matched:
                partial.add(note)  # one word of a product's name: "MS" of MS Contin in "MS patient on Percocet"
            elif note:
                whole = True
            label = note or (f"alias “{alias}”" if alias else FIELD_LABELS[field])
        elif field == "cite":
            label = next(
                (f"{lbl} “{value}”" for lbl, value in text.cite if term in index.analyse("cite", value)), "citation"
            )
        elif field == "text":
            label = "summary" if term in index.summary_terms(text) else FIELD_LABELS[field]
        else:
            label = FIELD_LABELS.get(field, field)
        if label not in fields:
            fields.append(label)
        for origin in origins:
            if origin[0] == "exact":
                exact_words.add(origin[1])
            else:
                other.append(origin)
    for kind, typed, detail, owner in sorted(set(other)):
        if typed in exact_words:
            continue  # the word itself matched; the expansion adds nothing to explain
        if kind == "prefix":
            item = f"prefix “{typed}”"
        elif kind in ("typo", "form", "spelling"):
            item = f"{kind}: {typed} → {detail}"
        elif owner != text.entry_id:
            item = f"synonym “{detail}” → {index.texts[owner].title}"
        else:
            continue
        if item not in reasons:
            reasons.append(item)
    if whole:  # a product named whole explains the hit; pieces of other products' names only mislead
        fields = [f for f in fields if f not in partial]
    if "summary" in fields and "text" in fields and fields.index("text") < fields.index("summary"):
        fields.remove("text")
        fields.insert(fields.index("summary") + 1, "text")  # the summary is the better explanation
    return tuple(fields + reasons)
