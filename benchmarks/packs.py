#!/usr/bin/env python3
"""Sheet-pack benchmarks (issue 14): the bundled KB's conditions as one pack, and 200 sheets of the 10k KB.

    python benchmarks/packs.py            print a table with each goal and whether it is met
    python benchmarks/packs.py --json     one JSON object
    python benchmarks/packs.py --quick    20 sheets of the 10k KB instead of 200 (a smoke run)

Each pack is exported in its own child process (offscreen, A4, the export resolution) so that its
peak RSS is its own. Goals: all bundled conditions ≤ 3 s; 200 sheets of the 10,000-entry KB
≤ 60 s with peak RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ldn_browser.core.sheet import build_sheet
from ldn_browser.ui.printing import export_pdf, headless_app
which, count = sys.argv[2], int(sys.argv[3])
if which == "bundled":
    from ldn_browser.core.kb import load_kb
    from ldn_browser.core.paths import default_kb_path
    kb = load_kb(default_kb_path())
else:
    from benchmarks.gen_kb import generate_kb
    kb = generate_kb(10_000)
ids = [c.id for c in kb.conditions][:count] if count else [c.id for c in kb.conditions]
with headless_app(), tempfile.TemporaryDirectory() as tmp:
    warm = build_sheet(kb, ids[:1])
    export_pdf(warm, Path(tmp) / "warm.pdf")  # fonts and caches, not counted
    t = time.perf_counter()
    doc = build_sheet(kb, ids)
    pages = export_pdf(doc, Path(tmp) / "pack.pdf")
    seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("BENCH " + json.dumps({"sheets": len(ids), "pages": pages, "seconds": seconds, "peak_rss_mb": rss}))
"""


def run_pack(which: str, count: int) -> dict[str, Any]:
    """Export one pack in a child process; its sheets, pages, seconds and peak RSS (MB)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), which, str(count)],
        capture_output=True, text=True, env=env, check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            result: dict[str, Any] = json.loads(line[6:])
            return result
    raise RuntimeError(f"pack benchmark {which} failed (exit {out.returncode}):\n{out.stderr[-2000:]}")


def collect(quick: bool) -> dict[str, Any]:
    large = 20 if quick else 200
    t = time.perf_counter()
    bundled = run_pack("bundled", 0)
    generated = run_pack("generated-10k", large)
    goals = [
        {"goal": "all bundled conditions as one pack", "measured": bundled["seconds"], "target": 3.0, "unit": "s"},
        {"goal": f"{large} sheets of the 10k KB", "measured": generated["seconds"], "target": 60.0, "unit": "s"},
        {"goal": f"peak RSS, {large} sheets of the 10k KB", "measured": generated["peak_rss_mb"], "target": 300.0,
         "unit": "MB"},
    ]
    if quick:  # 20 sheets stand for 200: the goal scales with the sheet count
        goals[1]["target"] = 60.0 * large / 200
    for g in goals:
        g["met"] = g["measured"] <= g["target"]
    own = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"bundled_pack": bundled, "generated_pack": generated, "goals": goals,
            "children_peak_rss_mb": own, "total_wall_s": time.perf_counter() - t}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--quick", action="store_true", help="20 sheets of the 10k KB instead of 200")
    args = ap.parse_args()
    fig = collect(args.quick)
    if args.json:
        print(json.dumps(fig, indent=2))
        return 0
    for name in ("bundled_pack", "generated_pack"):
        p = fig[name]
        print(f"{name:15} {p['sheets']:4} sheets {p['pages']:5} pages {p['seconds']:7.2f} s "
              f"({p['seconds'] / p['sheets'] * 1000:.0f} ms/sheet)  peak RSS {p['peak_rss_mb']:.0f} MB")
    for g in fig["goals"]:
        flag = "met" if g["met"] else "NOT MET"
        print(f"  {g['goal']:42} {g['measured']:8.2f} {g['unit']:2} ≤ {g['target']:g} {g['unit']}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
