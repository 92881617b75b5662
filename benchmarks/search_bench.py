"""Search benchmark: the app's Whoosh search vs SQLite FTS5 on the same entries.

``python benchmarks/search_bench.py [--quick]`` prints p50/p95/max per query kind (exact, multi-word,
typo, prefix-per-keystroke, scoped, question) and index build times, for the bundled KB and a generated
10,000-entry KB, with FTS5 figures and ratios. Whoosh searches are timed uncached (the index's result
cache is cleared before every timed call); the "first time" figures also clear the index's scored term
tables, as for a query no one has typed since start-up. :func:`run_search_bench` returns the same figures.
FTS5 answers a question with any of its words (OR): with all of them it would find nothing.
"""

from __future__ import annotations

import gc
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_kb import generate_kb  # noqa: E402

from ldn_browser.core.entities import Kind, KnowledgeBase  # noqa: E402
from ldn_browser.core.kb import load_kb  # noqa: E402
from ldn_browser.core.paths import default_kb_path  # noqa: E402
from ldn_browser.core.search import open_search_index  # noqa: E402
from ldn_browser.core.search.documents import entry_text  # noqa: E402

QUERIES: dict[str, list[str]] = {
    "exact": [
        "crohn",
        "fibromyalgia",
        "lupus",
        "psoriasis",
        "headache",
        "pregnancy",
        "methadone",
        "titration",
        "RA",
        "Cochrane",
    ],
    "multi-word": [
        "rheumatoid arthritis",
        "vivid dreams",
        "ulcerative colitis",
        "compounding pharmacy",
        "Smith 2011",
        "mucosal healing",
        "multiple sclerosis",
        "opioid receptor",
        "low dose naltrexone",
        "quality of life",
    ],
    "typo": [
        "fibromyalga",
        "rheumatiod",
        "crohns diseese",
        "psoraisis",
        "lupis",
        "hashimoto thyroiditus",
        "insomina",
        "nausae",
        "endorphines",
        "titraton",
    ],
    "scoped": ["crohn", "fibromyalgia", "dose", "sleep", "opioid", "pain", "trial", "women", "placebo", "inflammation"],
    "question": [
        "can I use LDN with tramadol",
        "is LDN safe in pregnancy",
        "what dose of LDN for fibromyalgia",
        "does LDN help crohn's disease",
        "how long until LDN works for pain",
        "can LDN cause vivid dreams",
        "should I stop LDN before surgery",
        "is there a trial of LDN in multiple sclerosis",
        "what are the side effects of low dose naltrexone",
        "can children take LDN",
    ],
}
KEYSTROKE_WORDS = [
    "crohn's disease",
    "fibromyalgia",
    "rheumatoid arthritis",
    "mucosal healing",
    "vivid dreams",
    "sjögren",
    "multiple sclerosis",
    "compounding",
]
SCOPED_KIND = {
    "crohn": Kind.CONDITION,
    "fibromyalgia": Kind.SOURCE,
    "dose": Kind.DOSING,
    "sleep": Kind.SIDE_EFFECT,
    "opioid": Kind.CONTRAINDICATION,
    "pain": Kind.CONDITION,
    "trial": Kind.SOURCE,
    "women": Kind.SOURCE,
    "placebo": Kind.CLAIM,
    "inflammation": Kind.MECHANISM,
}


def _keystrokes() -> list[str]:
    return [word[:i] for word in KEYSTROKE_WORDS for i in range(1, len(word) + 1)]


def _stats(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"p50": round(statistics.median(ms), 2), "p95": round(p95, 2), "max": round(ms[-1], 2), "n": len(ms)}


def _time(
    fn: Callable[[str], Any], queries: Iterable[str], repeats: int, before: Callable[[], None] | None = None
) -> list[float]:
    """Seconds per call of *fn* for each query (after one warm-up call); *before* runs untimed before each."""
    out: list[float] = []
    for q in queries:
        fn(q)  # warm-up
        for _ in range(repeats):
            if before is not None:
                before()
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
    return out


# -- FTS5 ------------------------------------------------------------------------------------------


class Fts5:
    """The same entries in an FTS5 table, queried the straightforward way (no fuzzy operator)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.db = sqlite3.connect(":memory:")
        t = time.perf_counter()
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, kind UNINDEXED, title, aliases, cite, "
            "summary, body, tokenize='porter unicode61 remove_diacritics 2')"
        )
        rows = []
        for entry in kb.entries():
            e = entry_text(entry)
            d = e.document()
            rows.append((d["id"], entry.kind.value, d["title"], d["aliases"], d["cite"], e.summary, "\n".join(e.body)))
        self.db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?)", rows)
        self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.db.commit()
        self.build_s = time.perf_counter() - t

    @staticmethod
    def _match(text: str, prefix: bool, any_word: bool = False) -> str:
        words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
        if not words:
            return '""'
        parts = [f'"{w}"' for w in words]
        if prefix:
            parts[-1] += "*"
        return (" OR " if any_word else " AND ").join(parts)

    def search(
        self, text: str, kind: Kind | None = None, prefix: bool = False, any_word: bool = False
    ) -> list[tuple[str, str]]:
        sql = (
            "SELECT id, snippet(docs, 5, '<b>', '</b>', '…', 12) FROM docs WHERE docs MATCH ?"
            + (" AND kind = ?" if kind else "")
            + " ORDER BY bm25(docs, 0, 0, 6, 5, 4, 2, 1) LIMIT 20"
        )
        match = self._match(text, prefix, any_word)
        args: tuple[Any, ...] = (match, kind.value) if kind else (match,)
        return self.db.execute(sql, args).fetchall()


# -- the benchmark -------------------------------------------------------------------------------------------


def bench_kb(name: str, kb: KnowledgeBase, repeats: int) -> dict[str, Any]:
    """All figures for one KB."""
    from ldn_browser.core.search.writer import uses_two_processes

    gc.collect()
    processes = 2 if uses_two_processes(len(kb.entries())) else 1  # what the build below decides, asked first
    t = time.perf_counter()
    index = open_search_index(kb, None)
    whoosh_build = time.perf_counter() - t
    fts = Fts5(kb)
    out: dict[str, Any] = {
        "entries": len(kb.entries()),
        "build_s": {"whoosh": round(whoosh_build, 2), "fts5": round(fts.build_s, 3), "processes": processes},
    }
    kinds: dict[str, tuple[Callable[[str], Any], Callable[[str], Any], list[str]]] = {
        "exact": (lambda q: index.search(q + " "), lambda q: fts.search(q), QUERIES["exact"]),
        "multi-word": (lambda q: index.search(q + " "), lambda q: fts.search(q), QUERIES["multi-word"]),
        "typo": (lambda q: index.search(q + " "), lambda q: fts.search(q), QUERIES["typo"]),
        "prefix-per-keystroke": (lambda q: index.search(q), lambda q: fts.search(q, prefix=True), _keystrokes()),
        "scoped": (
            lambda q: index.search(q + " ", kinds=[SCOPED_KIND[q]]),
            lambda q: fts.search(q, SCOPED_KIND[q]),
            QUERIES["scoped"],
        ),
        "question": (lambda q: index.search(q + " "), lambda q: fts.search(q, any_word=True), QUERIES["question"]),
    }
    first: list[float] = []
    for kind, (w_fn, f_fn, queries) in kinds.items():
        # The index keeps recent answers (users retype); clear them so every timed search does the work.
        w = _stats(_time(w_fn, queries, repeats, before=index.clear_result_cache))
        f = _stats(_time(f_fn, queries, repeats))
        out[kind] = {
            "whoosh": w,
            "fts5": f,
            "ratio_p50": round(w["p50"] / max(f["p50"], 1e-3), 1),
            "ratio_p95": round(w["p95"] / max(f["p95"], 1e-3), 1),
        }
        for q in queries:  # the first time: scored term tables cleared too
            index.clear_result_cache(term_tables=True)
            t = time.perf_counter()
            w_fn(q)
            first.append(time.perf_counter() - t)
    out["first-time"] = {"whoosh": _stats(first)}
    index.close()
    return {name: out}


def run_search_bench(quick: bool = False) -> dict[str, Any]:
    """Run the benchmark; returns {"bundled": {...}, "generated-10k": {...}} with ms and s figures."""
    results: dict[str, Any] = {}
    results.update(bench_kb("bundled", load_kb(default_kb_path()), repeats=3 if quick else 5))
    big = generate_kb(2_000 if quick else 10_000)
    results.update(bench_kb(f"generated-{len(big.entries()) // 1000}k", big, repeats=1))
    return results


def format_table(results: dict[str, Any]) -> str:
    """A Markdown table of the figures."""
    lines = [
        "| KB | query kind | Whoosh p50 / p95 / max (ms) | FTS5 p50 / p95 / max (ms) | ratio p50 (p95) |",
        "|---|---|---|---|---|",
    ]
    for name, figs in results.items():
        lines.append(
            f"| {name} ({figs['entries']} entries) | index build | {figs['build_s']['whoosh']} s | "
            f"{figs['build_s']['fts5']} s | {figs['build_s']['whoosh'] / max(figs['build_s']['fts5'], 1e-3):.0f}× |"
        )
        for kind, v in figs.items():
            if kind in ("entries", "build_s") or "fts5" not in v:
                continue
            w, f = v["whoosh"], v["fts5"]
            lines.append(
                f"| {name} | {kind} (n={w['n']}) | {w['p50']} / {w['p95']} / {w['max']} | "
                f"{f['p50']} / {f['p95']} / {f['max']} | {v['ratio_p50']}× ({v['ratio_p95']}×) |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table."""
    args = sys.argv[1:] if argv is None else argv
    t = time.perf_counter()
    results = run_search_bench(quick="--quick" in args)
    print(format_table(results))
    print(f"\n(total {time.perf_counter() - t:.0f} s; FTS5 has no fuzzy operator, so its 'typo' rows find nothing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
