"""Generate a large, valid KnowledgeBase with realistic clinical text, for search benchmarks.

``python benchmarks/gen_kb.py 10000 out.json`` writes one; :func:`generate_kb` returns the model.
The mix of kinds and the text lengths follow the bundled KB (many sources, conditions with studies
and caveats); words come from a clinical vocabulary (with accented eponyms, apostrophes and
abbreviations) plus a Zipf-distributed tail of invented terms, so the term dictionary grows with N
the way a real one does. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ldn_browser.core.entities import KnowledgeBase  # noqa: E402

_CLINICAL = [
    "low",
    "dose",
    "naltrexone",
    "opioid",
    "antagonist",
    "receptor",
    "blockade",
    "endorphin",
    "enkephalin",
    "rebound",
    "microglia",
    "glial",
    "toll-like",
    "receptor",
    "inflammation",
    "cytokine",
    "interleukin",
    "tumour",
    "necrosis",
    "factor",
    "pain",
    "fatigue",
    "sleep",
    "dreams",
    "insomnia",
    "headache",
    "nausea",
    "vomiting",
    "diarrhoea",
    "constipation",
    "anxiety",
    "irritability",
    "mood",
    "depression",
    "quality",
    "life",
    "disease",
    "activity",
    "remission",
    "response",
    "relapse",
    "flare",
    "endoscopic",
    "mucosal",
    "healing",
    "clinical",
    "trial",
    "randomised",
    "placebo",
    "controlled",
    "double",
    "blind",
    "crossover",
    "open",
    "label",
    "pilot",
    "cohort",
    "registry",
    "case",
    "series",
    "retrospective",
    "prospective",
    "systematic",
    "review",
    "meta",
    "analysis",
    "observational",
    "patients",
    "adults",
    "women",
    "men",
    "children",
    "adolescents",
    "participants",
    "week",
    "weeks",
    "month",
    "months",
    "daily",
    "nightly",
    "bedtime",
    "morning",
    "dose",
    "doses",
    "titration",
    "tablet",
    "capsule",
    "liquid",
    "compounded",
    "pharmacy",
    "formulation",
    "milligram",
    "mg",
    "1.5",
    "3",
    "4.5",
    "6",
    "mg/day",
    "increase",
    "decrease",
    "tolerated",
    "adverse",
    "effects",
    "events",
    "withdrawal",
    "discontinued",
    "dropout",
    "safety",
    "efficacy",
    "benefit",
    "harm",
    "uncertain",
    "imprecision",
    "bias",
    "risk",
    "heterogeneity",
    "indirectness",
    "certainty",
    "evidence",
    "small",
    "sample",
    "single",
    "centre",
    "outcome",
    "primary",
    "secondary",
    "score",
    "scale",
    "index",
    "visual",
    "analogue",
    "questionnaire",
    "baseline",
    "improvement",
    "reduction",
    "change",
    "significant",
    "difference",
    "thyroid",
    "autoimmune",
    "immune",
    "modulation",
    "regulatory",
    "cells",
    "lymphocytes",
    "antibodies",
    "serum",
    "level",
    "marker",
    "biopsy",
    "skin",
    "joint",
    "bowel",
    "gut",
    "nerve",
    "brain",
    "spinal",
    "cord",
    "muscle",
    "connective",
    "tissue",
    "vascular",
    "liver",
    "kidney",
    "hepatic",
    "renal",
    "impairment",
    "function",
    "monitoring",
    "tests",
    "blood",
    "pressure",
    "pregnancy",
    "breastfeeding",
    "transplant",
    "immunosuppressant",
    "methadone",
    "buprenorphine",
    "tramadol",
    "oxycodone",
    "morphine",
    "codeine",
    "fentanyl",
    "analgesic",
    "surgery",
    "anaesthesia",
    "interaction",
    "contraindicated",
    "caution",
    "avoid",
    "stop",
    "restart",
    "washout",
    "hours",
    "days",
    "half-life",
    "metabolite",
]

_CONDITIONS = [
    "Crohn's disease",
    "ulcerative colitis",
    "fibromyalgia",
    "multiple sclerosis",
    "rheumatoid arthritis",
    "systemic lupus erythematosus",
    "Hashimoto's thyroiditis",
    "Sjögren's syndrome",
    "psoriasis",
    "complex regional pain syndrome",
    "chronic fatigue syndrome",
    "long COVID",
    "Guillain-Barré syndrome",
    "Ménière's disease",
    "Behçet's disease",
    "diabetic neuropathy",
    "lichen planopilaris",
    "Hailey-Hailey disease",
    "irritable bowel syndrome",
    "depression",
    "autism",
    "cancer",
    "HIV",
    "Parkinson's disease",
    "ALS",
]
_ABBREVS = [
    "CD",
    "UC",
    "FM",
    "MS",
    "RA",
    "SLE",
    "HT",
    "SS",
    "PsO",
    "CRPS",
    "ME/CFS",
    "PCC",
    "GBS",
    "MD",
    "BD",
    "DPN",
    "LPP",
    "HHD",
    "IBS",
    "MDD",
    "ASD",
    "CA",
    "HIV",
    "PD",
    "ALS",
]
_SURNAMES = [
    "Smith",
    "Younger",
    "Bruun",
    "Parkitny",
    "Zagon",
    "McLaughlin",
    "Cant",
    "Sturn",
    "Metyas",
    "Raknes",
    "Bolton",
    "Jonas",
    "Kim",
    "Müller",
    "Østergaard",
    "O'Brien",
    "García",
    "Nguyen",
    "Tanaka",
    "Rossi",
    "Novak",
    "Dubois",
    "Kowalski",
    "Schmidt",
    "Andersen",
    "Patel",
    "Chen",
    "Li",
    "Wang",
    "Johansson",
]
_JOURNALS = [
    "Dig Dis Sci",
    "Am J Gastroenterol",
    "Lancet Rheumatol",
    "Pain Med",
    "Arthritis Rheumatol",
    "Cochrane Database Syst Rev",
    "Mult Scler",
    "J Neuroimmunol",
    "Clin Rheumatol",
    "BMJ Open",
    "JAMA Netw Open",
    "Front Psychiatry",
    "Inflamm Bowel Dis",
    "Br J Dermatol",
    "Pain",
]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "su",
    "ve",
    "pa",
    "di",
    "xo",
    "ly",
    "mar",
    "ten",
    "zol",
    "pra",
    "nex",
    "vir",
    "dol",
    "fen",
    "cor",
    "tri",
    "gly",
    "sta",
    "phy",
    "neu",
    "card",
    "hep",
    "derm",
]
_SUFFIXES = ["itis", "osis", "emia", "algia", "opathy", "ase", "ine", "ide", "ol", "mab", "tide", "gen"]


class _Text:
    def __init__(self, rng: random.Random, n_terms: int) -> None:
        self.rng = rng
        tail = set()
        while len(tail) < n_terms:
            tail.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(_SUFFIXES))
        self.tail = sorted(tail)
        acc, self.cum = 0.0, []
        for i in range(len(self.tail)):
            acc += 1.0 / (i + 1) ** 0.9
            self.cum.append(acc)

    def words(self, n: int) -> list[str]:
        tail = self.rng.choices(self.tail, cum_weights=self.cum, k=n)
        return [self.rng.choice(_CLINICAL) if self.rng.random() < 0.75 else tail[i] for i in range(n)]

    def sentence(self, n: int) -> str:
        ws = self.words(n)
        if self.rng.random() < 0.3:
            ws.insert(self.rng.randrange(len(ws)), self.rng.choice(_CONDITIONS))
        return " ".join(ws).capitalize() + "."

    def para(self, n_words: int) -> str:
        parts, left = [], n_words
        while left > 0:
            k = min(left, self.rng.randint(8, 18))
            parts.append(self.sentence(k))
            left -= k
        return " ".join(parts)

    def title(self, n: int) -> str:
        return " ".join(self.words(n)).capitalize()


def generate_kb_data(n: int = 10_000, seed: int = 7) -> dict[str, Any]:
    """The KB as JSON-ready data with about *n* entries."""
    rng = random.Random(seed)
    text = _Text(rng, max(500, n * 2))
    share = {
        "sources": 0.50,
        "conditions": 0.15,
        "mechanisms": 0.06,
        "contraindications": 0.06,
        "side_effects": 0.06,
        "dosing": 0.05,
        "claims": 0.12,
    }
    counts = {k: max(2, int(n * v)) for k, v in share.items()}
    counts["sources"] += n - sum(counts.values())
    grades = ["high", "moderate", "low", "very_low"]

    sources, rct_ids, lay_ids = [], [], []
    designs = [
        "rct",
        "systematic_review",
        "open_label_trial",
        "case_series",
        "cohort_registry",
        "narrative_review",
        "crossover_rct",
        "lay_article",
    ]
    for i in range(counts["sources"]):
        design = designs[i % len(designs)]
        sid = f"source:s{i}"
        authors = (
            [
                f"{rng.choice(_SURNAMES)} {rng.choice('ABCDJKMPS')}{rng.choice(['', 'A', 'J', 'M'])}"
                for _ in range(rng.randint(1, 7))
            ]
            if design != "lay_article"
            else []
        )
        src: dict[str, Any] = {
            "id": sid,
            "title": text.title(rng.randint(8, 18)) + " in " + rng.choice(_CONDITIONS),
            "authors": authors,
            "year": rng.randint(1990, 2025),
            "design": design,
            "summary": text.para(rng.randint(20, 45)),
            "verification": "full",
            "confirmed_at": [f"bench#{i}"],
        }
        if design != "lay_article":
            src["journal"] = rng.choice(_JOURNALS)
            src["citation_detail"] = (
                f"{rng.randint(1, 90)}({rng.randint(1, 12)}):{rng.randint(1, 900)}-{rng.randint(901, 999)}"
            )
            src["pmid"] = str(rng.randint(1_000_000, 39_999_999))
            src["doi"] = f"10.{rng.randint(1000, 9999)}/bench.{i}"
            src["n"] = rng.randint(10, 500)
        if design == "systematic_review":
            src["pools_rcts"] = True  # generated reviews pool trials, so they may support a moderate grade
        sources.append(src)
        (
            rct_ids
            if design in ("rct", "systematic_review", "crossover_rct")
            else lay_ids
            if design == "lay_article"
            else []
        ).append(sid)

    def refs(k: int) -> list[str]:
        return rng.sample(rct_ids, k)

    def certainty() -> dict[str, Any]:
        return {
            "grade": rng.choice(grades),
            "rationale": text.para(rng.randint(15, 35)),
            "source_ids": refs(rng.randint(1, 3)),
        }

    conditions = []
    for i in range(counts["conditions"]):
        base = _CONDITIONS[i % len(_CONDITIONS)]
        abbrev = _ABBREVS[i % len(_ABBREVS)]
        studies = [
            {
                "source_id": sid,
                "population": f"{rng.randint(10, 300)} adults with {base}",
                "dose": f"{rng.choice(['1.5', '3', '4.5', '6'])} mg daily for {rng.randint(4, 24)} weeks",
                "result": text.para(rng.randint(12, 30)),
                "direction": rng.choice(["benefit", "no_benefit", "mixed"]),
            }
            for sid in refs(rng.randint(1, 4))
        ]
        ev = certainty()
        ev["direction"] = rng.choice(["benefit", "no_benefit", "mixed", "unclear"])
        conditions.append(
            {
                "id": f"condition:c{i}",
                "title": f"{base} {text.title(rng.randint(0, 3))}".strip(),
                "aliases": [abbrev] + text.words(rng.randint(0, 2)),
                "summary": text.para(rng.randint(35, 70)),
                "evidence": ev,
                "studies": studies,
                "doses_studied": f"{rng.choice(['1.5', '3', '4.5'])}-{rng.choice(['4.5', '6'])} mg nightly.",
                "caveats": [text.para(rng.randint(10, 25)) for _ in range(rng.randint(0, 3))],
                "last_reviewed": "2025-06-30",
            }
        )
    cond_ids = [c["id"] for c in conditions]

    def simple(kind: str, i: int, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"{kind}:{kind[:2]}{i}",
            "title": text.title(rng.randint(2, 6)),
            "aliases": text.words(rng.randint(0, 3)),
            "summary": text.para(rng.randint(25, 60)),
            **extra,
        }

    mechanisms = [
        simple(
            "mechanism",
            i,
            {
                "details": text.para(rng.randint(20, 60)),
                "evidence_type": rng.choice(["human", "animal", "in_vitro", "hypothesis"]),
                "source_ids": refs(2),
                "condition_ids": rng.sample(cond_ids, 2),
            },
        )
        for i in range(counts["mechanisms"])
    ]
    contraindications = [
        simple(
            "contraindication",
            i,
            {
                "severity": rng.choice(["contraindicated", "avoid", "caution"]),
                "action": text.para(rng.randint(10, 30)),
                "certainty": certainty(),
            },
        )
        for i in range(counts["contraindications"])
    ]
    side_effects = [
        simple(
            "side_effect",
            i,
            {
                "frequency": text.para(rng.randint(6, 15)),
                "timing": text.para(rng.randint(6, 15)),
                "management": text.para(rng.randint(10, 25)),
                "certainty": certainty(),
            },
        )
        for i in range(counts["side_effects"])
    ]
    dosing = [
        simple(
            "dosing",
            i,
            {
                "details": text.para(rng.randint(20, 50)),
                "certainty": certainty(),
                "schedule": [
                    {"step": f"Week {w}", "dose": f"{w * 1.5:g} mg at night", "note": text.sentence(8)}
                    for w in range(1, rng.randint(2, 5))
                ],
            },
        )
        for i in range(counts["dosing"])
    ]
    claims = [
        {
            "id": f"claim:cl{i}",
            "title": text.title(rng.randint(4, 9)),
            "aliases": [],
            "statement": text.para(rng.randint(15, 35)),
            "verdict": rng.choice(["supported", "partly_supported", "unsupported", "misattributed", "not_found"]),
            "evidence_summary": text.para(rng.randint(20, 50)),
            "reference_ids": refs(1),
            "repeated_in": rng.sample(lay_ids, 1),
        }
        for i in range(counts["claims"])
    ]
    # Moderate/high grades need a randomised source: refs() only draws randomised ones, so all are valid.
    return {
        "schema_version": "1",
        "meta": {
            "kb_version": "9.0.0",
            "content_as_of": "2025-06-30",
            "disclaimer": "Generated benchmark data.",
            "grade_legend": [{"grade": g, "meaning": f"{g} certainty"} for g in grades],
        },
        "conditions": conditions,
        "mechanisms": mechanisms,
        "contraindications": contraindications,
        "side_effects": side_effects,
        "dosing": dosing,
        "sources": sources,
        "claims": claims,
    }


def generate_kb(n: int = 10_000, seed: int = 7) -> KnowledgeBase:
    """A validated :class:`KnowledgeBase` with about *n* entries."""
    return KnowledgeBase.model_validate(generate_kb_data(n, seed))


def main(argv: list[str] | None = None) -> int:
    """``gen_kb.py [N] [OUT.json]``."""
    args = sys.argv[1:] if argv is None else argv
    n = int(args[0]) if args else 10_000
    data = generate_kb_data(n)
    KnowledgeBase.model_validate(data)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if len(args) > 1:
        Path(args[1]).write_text(text, encoding="utf-8")
        print(f"wrote {args[1]}: {n} entries, {len(text) / 1e6:.1f} MB")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
