#!/usr/bin/env python3
"""Search quality on the case files: hits@1, hits@3 and MRR by category, and not-covered answers.

    python benchmarks/search_quality.py                      the clinician case file (tests/data)
    python benchmarks/search_quality.py FILE.json [...]      other case files of the same format

A case is found at rank r when a hit among the first ten has one of its expected kinds and a title
matching one of its expected patterns (as in tests/core/test_search.py). "not covered" cases must
return no hits and say so.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ldn_browser.core.kb import load_kb  # noqa: E402
from ldn_browser.core.paths import default_kb_path  # noqa: E402
from ldn_browser.core.search import open_search_index  # noqa: E402


def rank(hits: list[Any], case: dict[str, Any]) -> int | None:
    """1-based rank of the first expected hit among the first ten, or None."""
    for i, h in enumerate(hits[:10], start=1):
        for e in case["any"]:
            if h.kind.value in e["kind"].split("|") and re.search(e["title"], h.title, re.IGNORECASE):
                return i
    return None


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or [ROOT / "tests" / "data" / "search-cases-clinician.json"]
    index = open_search_index(load_kb(default_kb_path()), None)
    by: dict[str, list[int | None]] = defaultdict(list)
    not_covered = [0, 0]
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        for case in data["cases"] if isinstance(data, dict) else data:
            results = index.search(case["query"])
            if case.get("category") == "not covered":
                not_covered[1] += 1
                not_covered[0] += int(not results.hits and results.notice is not None)
                continue
            by[case.get("category", "other")].append(rank(list(results.hits), case))
    print(f"{'category':22} {'cases':>5} {'hits@1':>7} {'hits@3':>7} {'MRR':>6}")
    total: list[int | None] = []
    for category in sorted(by):
        ranks = by[category]
        total += ranks
        print(_row(category, ranks))
    print(_row("all covered", total))
    print(f"{'not covered':22} {not_covered[1]:5}  {not_covered[0]} of {not_covered[1]} return nothing and say so")
    return 0


def _row(name: str, ranks: list[int | None]) -> str:
    n = len(ranks) or 1
    at1 = sum(1 for r in ranks if r == 1) / n
    at3 = sum(1 for r in ranks if r is not None and r <= 3) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return f"{name:22} {len(ranks):5} {at1:7.2f} {at3:7.2f} {mrr:6.2f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
