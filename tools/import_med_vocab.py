"""Import confirmed drug and product names into the KB's vocabulary (re-runnable).

    python3 tools/import_med_vocab.py [--research FILE ...] [--kb resources/kb/ldn_kb.json]

``--research`` may be given several times; by default the research file (/work/research/med-vocab.json) and
then ``tools/med_vocab_review.json`` (names added in the medication-check review of 2026-12), merged in order.

Three steps; a re-run gives the same KB as a first run on the same research file:

0. Drop what an earlier run imported (products with a source, members' salts and sources, ``other_drugs``).

1. Structure what KB 1.1 already had: each interaction's ``members`` become drug objects (a name with
   its other names), and the brand and combination names that KB 1.1 kept among an entry's ``aliases``
   (each checked on a label page for its content in the 1.1 review) move to ``products``. Only names
   already in the KB are moved (``KB_1_1_PRODUCTS``); nothing is added from memory.
2. Merge the research file: per interaction, its confirmed generics (salts, source) and products (contents,
   form, markets, source); its ``other_drugs``; and its ``synonyms`` (e.g. acetaminophen = paracetamol).
   A confirmed record replaces a carried-over one of the same name. Names in ``not_confirmed`` are never
   imported (a KB 1.1 name the research could not confirm again stays, carried over, as checked in 1.1).

The KB is then validated with the app's own loader before it is written (2-space JSON, like the file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CARRIED_NOTE = "Carried over from the KB 1.1 aliases (brand checked on a label page for its content in that review)."

KB_1_1_PRODUCTS: dict[str, dict[str, tuple[str, ...]]] = {
    "interaction:opioid-analgesics": {
        "Percocet": ("oxycodone", "paracetamol"),
        "Norco": ("hydrocodone", "paracetamol"),
        "Vicodin": ("hydrocodone", "paracetamol"),
        "Lortab": ("hydrocodone", "paracetamol"),
        "Tylenol with Codeine": ("codeine", "paracetamol"),
        "Tylenol No. 3": ("codeine", "paracetamol"),
        "co-codamol": ("codeine", "paracetamol"),
        "Zapain": ("codeine", "paracetamol"),
        "Ultram": ("tramadol",),
        "OxyContin": ("oxycodone",),
        "Dilaudid": ("hydromorphone",),
        "Duragesic": ("fentanyl",),
        "MS Contin": ("morphine",),
        "Nucynta": ("tapentadol",),
        "Butrans": ("buprenorphine",),
    },
    "interaction:opioid-agonist-treatment": {
        "Suboxone": ("buprenorphine", "naloxone"),
        "Zubsolv": ("buprenorphine", "naloxone"),
        "Subutex": ("buprenorphine",),
        "Sublocade": ("buprenorphine",),
        "Brixadi": ("buprenorphine",),
        "Dolophine": ("methadone",),
        "Methadose": ("methadone",),
    },
    "interaction:opioid-antitussives": {
        "Tuzistra XR": ("codeine", "chlorpheniramine"),
        "codeine linctus": ("codeine",),
    },
    "interaction:opioid-antidiarrhoeals": {
        "Imodium": ("loperamide",),
        "Lomotil": ("diphenoxylate", "atropine"),
        "Lonox": ("diphenoxylate", "atropine"),
    },
    "interaction:thioridazine": {"Mellaril": ("thioridazine",)},
    "interaction:thyroid-hormones": {
        "Synthroid": ("levothyroxine",),
        "Levoxyl": ("levothyroxine",),
        "Eltroxin": ("levothyroxine",),
        "Cytomel": ("liothyronine",),
    },
    "interaction:immunosuppressants": {
        "Prograf": ("tacrolimus",),
        "Neoral": ("ciclosporin",),
        "Sandimmune": ("ciclosporin",),
    },
    "interaction:disulfiram": {"Antabuse": ("disulfiram",)},
}
"""Brand and combination names KB 1.1 kept as aliases, and the generics they contain (from the entry's text)."""

KB_1_1_SYNONYMS: dict[str, dict[str, str]] = {
    "interaction:thyroid-hormones": {"thyroxine": "levothyroxine"},
    "interaction:immunosuppressants": {"cyclosporine": "ciclosporin"},
}
"""Other generic names KB 1.1 kept as aliases: they become the member's synonyms (and stay aliases for search)."""

KB_1_1_COMBINATION_MEMBERS = {"buprenorphine with naloxone": ("buprenorphine", "naloxone")}
"""A member of KB 1.1 that is a combination: it becomes a product of its entry."""

_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
_PARTNER_ONLY = "combination partner only"


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _member(value: Any) -> dict[str, Any]:
    """A KB 1.1 member string as a drug object ("pethidine (meperidine)" → name and synonym)."""
    if isinstance(value, dict):
        return value
    m = _PAREN.match(value)
    if m is None:
        return {"name": value}
    inner = m.group(2)
    if inner.startswith(("analgesic", "as ")) or " " in inner:
        return {"name": m.group(1), "note": inner}
    return {"name": m.group(1), "synonyms": [inner]}


def _source(record: dict[str, Any] | None, checked_at: str, note: str | None = None) -> dict[str, Any] | None:
    if not record or not record.get("url") or not record.get("title"):
        return None
    out = {"url": record["url"], "title": record["title"], "checked_at": checked_at}
    if note:
        out["note"] = note
    return out


def _names(drug: dict[str, Any]) -> set[str]:
    return {_key(drug["name"]), *(_key(s) for s in drug.get("synonyms", ()))}


def structure_kb_1_1(kb: dict[str, Any]) -> None:
    """Step 1: members as objects, KB 1.1's brand aliases as products (idempotent)."""
    for entry in kb["interactions"]:
        members: list[dict[str, Any]] = []
        products: list[dict[str, Any]] = list(entry.get("products", ()))
        have = {_key(p["name"]) for p in products}
        for raw in entry["members"]:
            if isinstance(raw, str) and raw in KB_1_1_COMBINATION_MEMBERS:
                if _key(raw) not in have:
                    products.append(
                        {"name": raw, "contains": list(KB_1_1_COMBINATION_MEMBERS[raw]), "note": CARRIED_NOTE}
                    )
                    have.add(_key(raw))
                continue
            members.append(_member(raw))
        for alias, generic in KB_1_1_SYNONYMS.get(entry["id"], {}).items():
            for m in members:
                if m["name"] == generic and alias not in m.setdefault("synonyms", []):
                    m["synonyms"].append(alias)
        moved = KB_1_1_PRODUCTS.get(entry["id"], {})
        aliases = []
        for alias in entry.get("aliases", ()):
            if alias in moved:
                if _key(alias) not in have:
                    products.append({"name": alias, "contains": list(moved[alias]), "note": CARRIED_NOTE})
                    have.add(_key(alias))
            else:
                aliases.append(alias)
        for name, contains in moved.items():  # also after a reset dropped its confirmed record
            if _key(name) not in have:
                products.append({"name": name, "contains": list(contains), "note": CARRIED_NOTE})
                have.add(_key(name))
        entry["aliases"] = aliases
        entry["members"] = members
        entry["products"] = products


def reset_imported(kb: dict[str, Any]) -> None:
    """Drop what an earlier run imported (products with a source, other drugs), so a re-run mirrors the file."""
    for entry in kb["interactions"]:
        entry["products"] = [p for p in entry.get("products", ()) if p.get("source") is None]
        for member in entry["members"]:
            if isinstance(member, dict):  # KB 1.1 recorded neither: both come from the research file
                member.pop("source", None)
                member.pop("salts", None)
    kb["other_drugs"] = []


def _canonical(name: str, synonyms: dict[str, str]) -> str:
    return synonyms.get(_key(name), name)


def merge_research(kb: dict[str, Any], research: dict[str, Any], checked_at: str, log: list[str]) -> None:
    """Step 2: the research file's confirmed names (see the module docstring)."""
    synonyms = {_key(a): b for a, b in research.get("synonyms", {}).items()}
    refused = {_key(n["name"] if isinstance(n, dict) else n) for n in research.get("not_confirmed", ())}
    other: list[dict[str, Any]] = list(kb.get("other_drugs", ()))
    by_id = {e["id"]: e for e in kb["interactions"]}

    def other_drug(name: str) -> dict[str, Any]:
        for d in other:
            if _key(name) in _names(d):
                return d
        d = {"name": name}
        other.append(d)
        return d

    def product_record(p: dict[str, Any], of: str | None = None) -> dict[str, Any]:
        contains = p.get("contains") or ([of] if of else [])
        out: dict[str, Any] = {"name": p["name"], "contains": [_canonical(c, synonyms) for c in contains]}
        if p.get("form"):
            out["form"] = p["form"]
        if p.get("markets"):  # "EU (SE)" → EU, SE
            out["markets"] = list(dict.fromkeys(c for m in p["markets"] for c in re.findall(r"\b[A-Z]{2}\b", m)))
        if (src := _source(p.get("source"), checked_at)) is not None:
            out["source"] = src
        if p.get("note"):
            out["note"] = p["note"]
        return out

    for entry_id, block in research.get("interactions", {}).items():
        entry = by_id.get(entry_id)
        if entry is None:
            log.append(f"skipped {entry_id}: no such interaction entry in the KB")
            continue
        for g in block.get("generics", ()):
            if " + " in g["name"] or " with " in g["name"]:
                log.append(f"{entry_id}: {g['name']} is a combination, not a generic: its products carry it")
                continue
            m = _PAREN.match(g["name"])
            name = m.group(1) if m else g["name"]
            salts = [s for s in g.get("salts", ()) if _key(s) != _key(name)]
            source = _source(g.get("source"), checked_at, g.get("note"))
            if m and _PARTNER_ONLY in m.group(2):
                target = other_drug(name)  # e.g. naloxone: recognised, but this entry is not about it
            else:
                target = next((d for d in entry["members"] if _key(name) in _names(d)), None)
                if target is None:
                    target = {"name": name}
                    entry["members"].append(target)
                    log.append(f"{entry_id}: new member {name}")
            for salt in salts:
                if salt not in target.setdefault("salts", []):
                    target["salts"].append(salt)
            if not target.get("salts"):
                target.pop("salts", None)
            if source is not None and target.get("source") is None:  # the first confirmation is kept
                target["source"] = source
        for p in block.get("products", ()):
            if _key(p["name"]) in refused:
                continue
            record = product_record(p)
            covered = {n for d in entry["members"] for n in _names(d)}
            if not any(_key(c) in covered for c in record["contains"]):
                log.append(f"skipped {p['name']} for {entry_id}: it contains none of the entry's members")
                continue
            products = entry["products"]
            at = next((i for i, q in enumerate(products) if _key(q["name"]) == _key(p["name"])), None)
            if at is None:
                products.append(record)
            else:
                products[at] = record
    for d in research.get("other_drugs", ()):
        target = other_drug(d["name"])
        if (src := _source(d.get("source"), checked_at, d.get("note"))) is not None:
            target["source"] = src
        for s in d.get("salts", ()):
            if _key(s) != _key(d["name"]) and s not in target.setdefault("salts", []):
                target["salts"].append(s)
        for p in d.get("products", ()):
            if _key(p["name"]) not in refused:
                products = target.setdefault("products", [])
                record = product_record(p, of=target["name"])
                products[:] = [q for q in products if _key(q["name"]) != _key(p["name"])] + [record]
    members = {n: d for e in kb["interactions"] for d in e["members"] for n in _names(d)}
    for alias, generic in research.get("synonyms", {}).items():
        target = members.get(_key(generic)) or other_drug(generic)
        if _key(alias) not in _names(target):
            target.setdefault("synonyms", []).append(alias)
        if target.get("source") is None and (
            src := _source(research.get("synonym_sources", {}).get(alias), checked_at)
        ):
            target["source"] = src
    kb["other_drugs"] = other
    for entry in kb["interactions"]:  # one order whatever the KB held before: KB 1.1's names, then the file's
        names = [*KB_1_1_COMBINATION_MEMBERS, *KB_1_1_PRODUCTS.get(entry["id"], {})]
        names += [p["name"] for p in research.get("interactions", {}).get(entry["id"], {}).get("products", ())]
        rank: dict[str, int] = {}
        for i, name in enumerate(names):
            rank.setdefault(_key(name), i)
        entry["products"].sort(key=lambda p: rank.get(_key(p["name"]), len(rank)))


def combine(files: list[dict[str, Any]]) -> dict[str, Any]:
    """Several research files as one, in order: each entry's generics and products, other drugs, synonyms."""
    out: dict[str, Any] = {"interactions": {}, "other_drugs": [], "synonyms": {}, "synonym_sources": {},
                           "not_confirmed": []}  # fmt: skip
    for research in files:
        confirmed = {_key(x["name"]) for b in research.get("interactions", {}).values()
                     for x in (*b.get("generics", ()), *b.get("products", ()))}  # fmt: skip
        out["not_confirmed"] = [  # a later file's confirmation outweighs an earlier "not confirmed"
            n for n in out["not_confirmed"] if _key(n["name"] if isinstance(n, dict) else n) not in confirmed
        ]
        for entry_id, block in research.get("interactions", {}).items():
            target = out["interactions"].setdefault(entry_id, {"generics": [], "products": []})
            target["generics"] += block.get("generics", [])
            target["products"] += block.get("products", [])
        out["other_drugs"] += research.get("other_drugs", [])
        out["synonyms"].update(research.get("synonyms", {}))
        out["synonym_sources"].update(research.get("synonym_sources", {}))
        out["not_confirmed"] += research.get("not_confirmed", [])
    return out


def counts(kb: dict[str, Any]) -> dict[str, int]:
    """Product names per interaction entry (and other drugs' products)."""
    out = {e["id"]: len(e.get("products", ())) for e in kb["interactions"]}
    out["other_drugs"] = sum(len(d.get("products", ())) for d in kb.get("other_drugs", ()))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--research", type=Path, action="append", help="a research file (repeatable; see above)")
    p.add_argument("--kb", type=Path, default=ROOT / "resources" / "kb" / "ldn_kb.json")
    p.add_argument(
        "--checked-at", default=dt.datetime.now(dt.UTC).date().isoformat(), help="date the names were confirmed"
    )
    p.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    args = p.parse_args(argv)
    kb = json.loads(args.kb.read_text(encoding="utf-8"))
    reset_imported(kb)
    structure_kb_1_1(kb)
    log: list[str] = []
    found: list[dict[str, Any]] = []
    for path in args.research or [Path("/work/research/med-vocab.json"), ROOT / "tools" / "med_vocab_review.json"]:
        if path.exists():
            found.append(json.loads(path.read_text(encoding="utf-8")))
        else:
            log.append(f"{path} not found: its names were not merged")
    if found:
        merge_research(kb, combine(found), args.checked_at, log)
    else:
        log.append("no research file found: only the KB 1.1 names were structured")
    text = json.dumps(kb, indent=2, ensure_ascii=False) + "\n"
    from ldn_browser.core.kb import KbError, load_kb

    tmp = args.kb.with_suffix(".import-check.json")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_kb(tmp)
    except KbError as e:
        print("\n".join(e.lines()), file=sys.stderr)
        return 2
    finally:
        tmp.unlink()
    for line in log:
        print(line)
    for name, n in counts(kb).items():
        print(f"{name}: {n} products")
    print(f"other drugs: {len(kb['other_drugs'])}")
    if not args.dry_run:
        args.kb.write_text(text, encoding="utf-8")
        print(f"wrote {args.kb}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
