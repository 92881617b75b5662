#!/usr/bin/env python3
"""Reliability figures (issue 22): validation memory per MB of input, ``check`` on a KB with every text
field at its maximum, and (with ``--export``) the time of the review's 3-sheet export and of a 156-page export.

    python benchmarks/reliability_bench.py            print a table
    python benchmarks/reliability_bench.py --json     one JSON object
    python benchmarks/reliability_bench.py --export   also the 3- and 52-sheet exports of the 10,000-entry KB

Each figure runs in a fresh interpreter. Peak memory is the peak RSS (``VmHWM``) after loading minus
the peak after the imports, divided by the file size: what validating one MB of that input
costs. The inputs are the review's hostile shapes plus a valid 10,000-entry KB (``gen_kb.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

MINI = ROOT / "tests" / "data" / "mini_kb.json"

_MEASURE = """
import sys, time
from ldn_browser.core.kb import KbError, load_kb
def hwm():  # peak RSS of this process image in kB (ru_maxrss would include the parent's, from before exec)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
base = hwm()
t = time.perf_counter()
try:
    load_kb(sys.argv[1]); outcome = "valid"
except KbError as e:
    outcome = "refused: " + e.lines()[0].split(": ", 1)[-1][:60]
print(hwm() - base, time.perf_counter() - t, outcome, sep="\\t")
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def _inputs(folder: Path) -> dict[str, Path]:
    from gen_kb import generate_kb  # type: ignore[import-not-found]
    from test_field_limits import _maximise_model  # type: ignore[import-not-found]

    from ldn_browser.core.entities import KnowledgeBase

    mini = json.loads(MINI.read_text(encoding="utf-8"))
    out: dict[str, Path] = {}

    def put(name: str, data: Any) -> None:
        out[name] = folder / f"{name}.json"
        out[name].write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    out["valid_10k_entries"] = folder / "valid_10k.json"
    out["valid_10k_entries"].write_text(generate_kb(10_000).model_dump_json(), encoding="utf-8")
    put("max_fields", _maximise_model(KnowledgeBase, mini, []))
    put("empty_claims_200k", {**mini, "claims": [{}] * 200_000})
    put("empty_claims_9k", {**mini, "claims": [{}] * 9_000})
    bad = {"id": "source:x", "title": "t", "design": "nonsense", "summary": "s", "verification": "?", "n": "many"}
    put("invalid_sources_9k", {**mini, "sources": [dict(bad, id=f"source:x{i}") for i in range(9_000)]})
    doi = json.loads(json.dumps(mini))
    doi["sources"][0]["doi"] = "10.1234/" + "x" * 1_000_000
    put("doi_1mb", doi)
    near_cap = 19 * 2**20 - len(MINI.read_bytes())  # the worst shapes just under the 20 MB file cap
    put("objects_19mb", {**mini, "claims": [{}] * (near_cap // 3)})
    put("zeros_19mb", {**mini, "claims": [0] * (near_cap // 2)})
    put("strings_19mb", {**mini, "claims": ["a"] * (near_cap // 4)})
    return out


def _validation(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, env=_env(), check=True, timeout=600
    )
    grown_kb, seconds, outcome = result.stdout.strip().split("\t")
    mb = path.stat().st_size / 2**20
    return {
        "input_mb": round(mb, 2),
        "peak_growth_mb": round(int(grown_kb) / 1024, 1),
        "peak_mb_per_input_mb": round(int(grown_kb) / 1024 / mb, 1),
        "seconds": round(float(seconds), 2),
        "outcome": outcome,
    }


def _timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=3600)
    return time.perf_counter() - start, (result.stdout + result.stderr).strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--export", action="store_true", help="also time the 3-sheet and the 156-page export")
    args = parser.parse_args()
    figures: dict[str, Any] = {"validation": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = _inputs(folder)
        for name, path in inputs.items():
            figures["validation"][name] = _validation(path)
        seconds, last = _timed([sys.executable, "-m", "ldn_browser", "--kb", str(inputs["max_fields"]), "check"])
        figures["check_max_fields"] = {"seconds": round(seconds, 1), "result": last}
        if args.export:
            # The review's case: three condition sheets of the 10,000-entry KB (156 pages on 1.0, 752 s). Sheets
            # now cap the lists a large KB repeats, so that is a few pages; a pack of 52 sheets is 156 pages again.
            for name, count in (("export_3_sheets_10k_kb", 3), ("export_52_sheets_10k_kb", 52)):
                ids = [f"condition:c{i}" for i in range(count)]
                out = folder / f"{name}.pdf"
                cmd = [sys.executable, "-m", "ldn_browser", "--kb", str(inputs["valid_10k_entries"]), "sheet", *ids]
                seconds, last = _timed([*cmd, "--out", str(out)])
                figures[name] = {"seconds": round(seconds, 1), "result": last}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'validation input':<22} {'MB':>7} {'peak MB':>8} {'MB/MB':>6} {'s':>6}  outcome")
    for name, row in figures["validation"].items():
        print(
            f"{name:<22} {row['input_mb']:>7} {row['peak_growth_mb']:>8} {row['peak_mb_per_input_mb']:>6} "
            f"{row['seconds']:>6}  {row['outcome']}"
        )
    check = figures["check_max_fields"]
    print(f"check on the max-fields KB: {check['seconds']} s ({check['result']})")
    for name, label in (("export_3_sheets_10k_kb", "3-sheet"), ("export_52_sheets_10k_kb", "52-sheet")):
        if name in figures:
            row = figures[name]
            print(f"{label} export of the 10,000-entry KB: {row['seconds']} s ({row['result']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
