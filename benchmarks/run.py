#!/usr/bin/env python3
"""LDN Browser benchmarks: start-up, search, index build, sheets and memory, each beside a baseline.

    python benchmarks/run.py            print a table
    python benchmarks/run.py --json     print one JSON object with every figure and a list of goals
    python benchmarks/run.py --quick    fewer repetitions (a smoke run)
    python benchmarks/run.py --peers    also Zeal, GoldenDict and a bare PySide6 window under Xvfb
                                        (benchmarks/peers.py; needs xvfb and xdotool)

Every figure is measured in this run next to a baseline measured in the same run (a bare Qt window
for start-up, SQLite FTS5 for search, the peers' windows), because these shared 2-core machines are
noisy: compare ratios across machines, not raw milliseconds. Runs offscreen; needs no display
(except ``--peers``). The bundle's start-up (benchmarks/bundle.py) is measured when ``dist/ldn-browser``
exists; otherwise the table says so.

The package is byte-compiled first (``compileall``), as an installed wheel or the PyInstaller bundle
is: otherwise, where ``PYTHONDONTWRITEBYTECODE`` is set, every start-up would compile the sources. Its
build-time index and KB snapshot are brought up to date first too (``tools/build_index.py``, as the
wheel and the bundle are built): a snapshot left stale by a source edit would time the full validation
(~110 ms more per launch) instead of what an installed copy does; each launch says which it did.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BARE_QT = r"""
import os, sys, time
t0 = float(os.environ["LDN_BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print(f"BENCH first_paint {time.time() - t0:.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1200, 800)
f = Painted(); w.installEventFilter(f)
w.show()
app.exec()
"""


def _env(cache: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LDN_BROWSER_CACHE": str(cache),
        "XDG_CACHE_HOME": str(cache),
        "XDG_CONFIG_HOME": str(cache / "config"),
        "QT_LOGGING_RULES": "default.warning=false",
    }


def _markers(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run *cmd* with its launch time in ``LDN_BENCH_T0``; collect the ``BENCH name value`` lines it prints."""
    env = {**env, "LDN_BENCH_T0": f"{time.time():.6f}"}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    out: dict[str, float] = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "BENCH":
            out[parts[1]] = float(parts[2])
    if not out:
        raise RuntimeError(f"no BENCH markers from {cmd}: rc={r.returncode}\n{r.stderr[-2000:]}")
    return out


def bench_startup(runs: int) -> dict[str, Any]:
    """Median time to first paint, to the pages painted and to search ready, warm and cold cache, vs bare Qt.

    First paint is the window frame (menus, toolbar, search field, "Opening the knowledge base…");
    the pages (tabs with the knowledge base) follow once the KB is loaded and validated.
    """
    bare, warm, cold = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        warm_cache = Path(tmp) / "warm"
        warm_cache.mkdir()
        app_cmd = [sys.executable, str(ROOT / "benchmarks" / "app_probe.py"), "startup"]
        _markers(app_cmd, _env(warm_cache))  # prime the warm cache
        for i in range(runs):
            bare.append(_markers([sys.executable, "-c", BARE_QT], _env(warm_cache))["first_paint"])
            warm.append(_markers(app_cmd, _env(warm_cache)))
            cold_cache = Path(tmp) / f"cold{i}"
            cold_cache.mkdir()
            cold.append(_markers(app_cmd, _env(cold_cache)))
    med = statistics.median
    res: dict[str, Any] = {
        "bare_qt_first_paint_s": med(bare),
        "warm_first_paint_s": med(m["first_paint"] for m in warm),
        "warm_pages_paint_s": med(m["pages_paint"] for m in warm),
        "warm_search_ready_s": med(m["search_ready"] for m in warm),
        "cold_first_paint_s": med(m["first_paint"] for m in cold),
        "cold_pages_paint_s": med(m["pages_paint"] for m in cold),
        "cold_search_ready_s": med(m["search_ready"] for m in cold),
        "runs": runs,
    }
    for key in ("first_paint", "pages_paint", "search_ready"):
        for label in ("warm", "cold"):
            res[f"{label}_{key}_ratio"] = res[f"{label}_{key}_s"] / res["bare_qt_first_paint_s"]
    res["cold_vs_warm_search_ready"] = res["cold_search_ready_s"] / res["warm_search_ready_s"]
    res["index_prebuilt_runs"] = sum(int(m.get("index_prebuilt", 0)) for m in warm + cold)
    res["index_runs"] = len(warm) + len(cold)
    res["kb_snapshot_runs"] = sum(int(m.get("kb_snapshot", 0)) for m in warm + cold)
    return res


def bench_memory(quick: bool) -> dict[str, Any]:
    """Peak RSS after start-up and after 1,000 searches through the UI; RSS growth over a 2,000-search soak.

    Each figure is the window's process plus its search process (the sum of both peaks)."""
    searches, soak = (300, 600) if quick else (1000, 2000)
    # every distinct query is searched before the soak starts, so the soak repeats what was searched
    env = {
        "LDN_BENCH_SEARCHES": str(searches),
        "LDN_BENCH_SOAK": str(soak),
        "LDN_BENCH_DISTINCT": str(min(600, searches)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        m = _markers([sys.executable, str(ROOT / "benchmarks" / "app_probe.py"), "memory"], {**_env(Path(tmp)), **env})
    # The window's process and its search process (core.search.service) together: the app's memory is both.
    service = {k: m.get(f"rss_service_{k}", 0.0) for k in ("startup_mb", "searches_mb", "soak_start_mb", "soak_end_mb")}
    return {
        "searches": searches,
        "soak_searches": soak,
        "search_service": bool(m.get("search_service")),
        "rss_after_startup_mb": m["rss_startup_mb"] + service["startup_mb"],
        "rss_after_searches_mb": m["rss_searches_mb"] + service["searches_mb"],
        "rss_window_after_startup_mb": m["rss_startup_mb"],
        "rss_service_after_startup_mb": service["startup_mb"],
        "rss_window_after_searches_mb": m["rss_searches_mb"],
        "rss_service_after_searches_mb": service["searches_mb"],
        "soak_growth_mb": m["rss_soak_end_mb"]
        - m["rss_soak_start_mb"]
        + service["soak_end_mb"]
        - service["soak_start_mb"],
        "distinct_queries": int(m["distinct_queries"]),
        "window_search_p50_ms": m["window_search_p50_ms"],
        "window_search_p95_ms": m["window_search_p95_ms"],
    }


def bench_sheets(runs: int) -> dict[str, Any]:
    """Time to render a condition sheet and the overview sheet to PDF (in process, offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ldn_browser.core.kb import load_kb
    from ldn_browser.core.paths import default_kb_path
    from ldn_browser.core.sheet import build_sheet
    from ldn_browser.ui.printing import export_pdf, headless_app

    kb = load_kb(default_kb_path())
    times: dict[str, list[float]] = {"condition": [], "overview": []}
    pages: dict[str, int] = {}
    with headless_app(), tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs + 1):  # the first run warms fonts and caches; it is dropped
            for name, ids, overview in (("condition", ["condition:crohns-disease"], False), ("overview", [], True)):
                t = time.perf_counter()
                doc = build_sheet(kb, ids, overview=overview)
                pages[name] = export_pdf(doc, Path(tmp) / f"{name}.pdf", page_size="A4")
                times[name].append(time.perf_counter() - t)
    return {
        "condition_sheet_pdf_s": statistics.median(times["condition"][1:]),
        "overview_sheet_pdf_s": statistics.median(times["overview"][1:]),
        "condition_sheet_pages": pages["condition"],
        "overview_sheet_pages": pages["overview"],
    }


def bench_search(quick: bool) -> dict[str, Any]:
    """Search and index-build figures from benchmarks/search_bench.py (Whoosh vs SQLite FTS5)."""
    from search_bench import run_search_bench

    return run_search_bench(quick=quick)


def _goal(name: str, measured: float | None, target: float, unit: str) -> dict[str, Any]:
    return {
        "name": name,
        "measured": measured,
        "target": target,
        "unit": unit,
        "met": measured is not None and measured <= target,
    }


def _dig(d: dict[str, Any], *keys: str) -> float | None:
    cur: Any = d
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return None
        cur = cur[k]
    return float(cur) if isinstance(cur, (int, float)) else None


QUERY_KINDS = ("exact", "multi-word", "typo", "prefix-per-keystroke", "scoped", "question")
BIG = "generated-10k"
SOAK_GROWTH_MB = 1.0
"""At most this much RSS growth over the soak counts as none (allocator noise)."""


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def search_goals(s: dict[str, Any]) -> list[dict[str, Any]]:
    """Per query kind: bundled p95 ≤ 5 ms, 10k p95 ≤ 16 ms and within 4× of FTS5's p95 (same run).

    With ``--quick`` the generated KB has 2,000 entries; its goals are named so (and are not the 10k goals).
    """
    big = next((k for k in s if k.startswith("generated-")), BIG)
    label = big.removeprefix("generated-")
    goals = []
    for kind in QUERY_KINDS:
        goals.append(_goal(f"bundled KB: {kind} p95", _dig(s, "bundled", kind, "whoosh", "p95"), 5.0, "ms"))
    for kind in QUERY_KINDS:
        goals.append(_goal(f"{label} KB: {kind} p95", _dig(s, big, kind, "whoosh", "p95"), 16.0, "ms"))
    for kind in QUERY_KINDS:
        ratio = _ratio(_dig(s, big, kind, "whoosh", "p95"), _dig(s, big, kind, "fts5", "p95"))
        goals.append(_goal(f"{label} KB: {kind} p95 vs FTS5", ratio, 4.0, "×"))
    goals.append(_goal(f"{label} KB: first-time query p95", _dig(s, big, "first-time", "whoosh", "p95"), 16.0, "ms"))
    processes = _dig(s, big, "build_s", "processes") or 1
    where = "2 processes" if processes == 2 else "1 process"
    goals.append(_goal(f"index build, {label} entries ({where})", _dig(s, big, "build_s", "whoosh"), 5.0, "s"))
    return goals


def peer_goals(peers: dict[str, Any]) -> list[dict[str, Any]]:
    """LDN Browser's pages on screen no later than each native peer's window (same Xvfb run)."""
    if not peers.get("available"):
        return []
    shown = peers["window_visible_s"]
    goals = []
    for name in ("Zeal", "GoldenDict"):
        if name in shown:
            ratio = peers["ldn_pages_paint_s"] / shown[name]
            goals.append(_goal(f"pages shown vs {name}'s window (Xvfb)", ratio, 1.0, "×"))
    return goals


def bundle_goals(b: dict[str, Any]) -> list[dict[str, Any]]:
    """The bundle's start-up against a bare Qt window, as for the source run."""
    if not b.get("available"):
        return []
    return [
        _goal(f"bundle: {stage.replace('_', ' ')} vs bare Qt ({label})", b[f"{label}_{stage}_ratio"], 3.0, "×")
        for label in ("warm", "cold")
        for stage in ("pages_paint", "search_ready")
    ]


def search_table(search: dict[str, Any]) -> str:
    """Whoosh vs FTS5 per KB and query kind (p50 / p95 in ms) with the p50 ratio."""
    lines = [f"  {'KB':<14} {'query kind':<22} {'Whoosh p50/p95':>16} {'FTS5 p50/p95':>14} {'ratio p95':>9}"]
    for kb_name, figures in search.items():
        if not isinstance(figures, dict):
            continue
        build = figures.get("build_s", {})
        where = f"   ({build['processes']} processes)" if build.get("processes", 1) > 1 else ""
        lines.append(
            f"  {kb_name:<14} {'index build (s)':<22} {build.get('whoosh', 0):>16.2f} {build.get('fts5', 0):>14.3f}"
            + where
        )
        for kind in QUERY_KINDS:
            w, f = figures.get(kind, {}).get("whoosh"), figures.get(kind, {}).get("fts5")
            if not w:
                continue
            fts = f"{f['p50']:.2f}/{f['p95']:.2f}" if f else "n/a"
            ratio = figures[kind].get("ratio_p95")
            lines.append(
                f"  {kb_name:<14} {kind:<22} {w['p50']:>7.2f}/{w['p95']:<8.2f} {fts:>14} "
                f"{(str(ratio) + '×') if ratio is not None else '—':>9}"
            )
        first = figures.get("first-time", {}).get("whoosh")
        if first:
            lines.append(f"  {kb_name:<14} {'first time (all kinds)':<22} {first['p50']:>7.2f}/{first['p95']:<8.2f}")
    return "\n".join(lines)


def collect(quick: bool, peers: bool = False) -> dict[str, Any]:
    """Run every benchmark; return all figures plus the goals list."""
    from bundle import bench_bundle

    runs = 3 if quick else 5
    t_all = time.perf_counter()
    compileall.compile_dir(ROOT / "ldn_browser", quiet=1)
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_index.py")], check=True, capture_output=True)
    fig: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    fig["startup"] = bench_startup(3 if quick else 9)
    fig["memory"] = bench_memory(quick)
    fig["sheets"] = bench_sheets(runs)
    fig["search"] = bench_search(quick)
    try:
        fig["bundle"] = bench_bundle(3 if quick else 9, _env, BARE_QT)  # as many as from source
    except RuntimeError as e:  # e.g. a bundle built before it could trace its start-up
        fig["bundle"] = {"available": False, "reason": str(e)}
    if peers:
        from peers import bench_peers

        try:
            fig["peers"] = bench_peers(3 if quick else 7)
        except (OSError, RuntimeError) as e:  # e.g. no free display: the rest of the figures still print
            fig["peers"] = {"available": False, "reason": f"{type(e).__name__}: {e}"}
    else:
        fig["peers"] = {"available": False, "reason": "not run (use --peers)"}
    s = fig["search"]
    st = fig["startup"]
    m = fig["memory"]
    goals = [
        *peer_goals(fig["peers"]),
        _goal("first paint vs bare Qt (warm cache)", st["warm_first_paint_ratio"], 2.0, "×"),
        _goal("first paint vs bare Qt (cold cache)", st["cold_first_paint_ratio"], 2.0, "×"),
        _goal("pages painted vs bare Qt (warm cache)", st["warm_pages_paint_ratio"], 3.0, "×"),
        _goal("pages painted vs bare Qt (cold cache)", st["cold_pages_paint_ratio"], 3.0, "×"),
        _goal("search ready vs bare Qt (warm cache)", st["warm_search_ready_ratio"], 3.0, "×"),
        _goal("search ready vs bare Qt (cold cache)", st["cold_search_ready_ratio"], 3.0, "×"),
        _goal("search ready cold vs warm (prebuilt index)", st["cold_vs_warm_search_ready"], 1.1, "×"),
        _goal("launches not opening the prebuilt index", st["index_runs"] - st["index_prebuilt_runs"], 0, "runs"),
        _goal("launches validating the KB again (no snapshot)", st["index_runs"] - st["kb_snapshot_runs"], 0, "runs"),
        *bundle_goals(fig["bundle"]),
        *search_goals(s),
        _goal("index build, bundled KB", _dig(s, "bundled", "build_s", "whoosh"), 1.0, "s"),
        _goal("condition sheet to PDF", fig["sheets"]["condition_sheet_pdf_s"], 0.5, "s"),
        _goal("overview sheet to PDF", fig["sheets"]["overview_sheet_pdf_s"], 0.5, "s"),
        _goal("peak RSS after start-up", m["rss_after_startup_mb"], 150.0, "MB"),
        _goal(f"peak RSS after {m['searches']:,} searches", m["rss_after_searches_mb"], 150.0, "MB"),
        _goal(f"RSS growth over a {m['soak_searches']:,}-search soak", m["soak_growth_mb"], SOAK_GROWTH_MB, "MB"),
    ]
    fig["goals"] = goals
    fig["total_wall_s"] = time.perf_counter() - t_all
    return fig


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "ms":
        return f"{v:.1f} ms"
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"
    if unit == "×":
        return f"{v:.2f}×"
    if unit == "MB":
        return f"{v:.1f} MB"
    return f"{v:.0f} {unit}"


def print_table(fig: dict[str, Any]) -> None:
    """Human-readable summary."""
    st = fig["startup"]
    bare = st["bare_qt_first_paint_s"]
    print(f"Start-up, offscreen (median of {st['runs']}; bare Qt window baseline {bare * 1000:.0f} ms)")
    for label, key in (("warm cache", "warm"), ("cold cache", "cold")):
        print(
            f"  {label:<11} first paint {st[f'{key}_first_paint_s'] * 1000:4.0f} ms "
            f"({st[f'{key}_first_paint_ratio']:.2f}×)   "
            f"pages painted {st[f'{key}_pages_paint_s'] * 1000:4.0f} ms ({st[f'{key}_pages_paint_ratio']:.2f}×)   "
            f"search ready {st[f'{key}_search_ready_s'] * 1000:4.0f} ms ({st[f'{key}_search_ready_ratio']:.2f}×)"
        )
    print(f"  search index opened from the prebuilt folder in {st['index_prebuilt_runs']} of {st['index_runs']} runs")
    print(f"  KB read from the build-time snapshot in {st['kb_snapshot_runs']} of {st['index_runs']} runs")
    b = fig["bundle"]
    if b.get("available"):
        print(f"Bundle dist/ldn-browser, offscreen (median of {b['runs']}; bare Qt {b['bare_qt_s'] * 1000:.0f} ms)")
        for key in ("warm", "cold"):
            print(
                f"  {key} cache  first paint {b[f'{key}_first_paint_s'] * 1000:4.0f} ms   "
                f"pages painted {b[f'{key}_pages_paint_s'] * 1000:4.0f} ms ({b[f'{key}_pages_paint_ratio']:.2f}×)   "
                f"search ready {b[f'{key}_search_ready_s'] * 1000:4.0f} ms ({b[f'{key}_search_ready_ratio']:.2f}×)"
            )
    else:
        print(f"Bundle: not measured: {b['reason']}")
    p = fig["peers"]
    if p.get("available"):
        print(f"Peers under Xvfb, launch to visible window (xdotool; median of {p['runs']}, alternating)")
        for name, value in p["window_visible_s"].items():
            print(f"  {name:<14} {value * 1000:5.0f} ms")
        print(f"  {'LDN pages':<14} {p['ldn_pages_paint_s'] * 1000:5.0f} ms (the KB's tabs painted, same launches)")
        if p["missing_peers"]:
            print(f"  not installed: {', '.join(p['missing_peers'])} (apt-get install zeal goldendict)")
        for name, why in p["failures"].items():
            print(f"  {name}: some launches failed: {why.splitlines()[0]}")
    else:
        print(f"Peers: not measured: {p['reason']}")
    sh = fig["sheets"]
    print(
        f"Sheets: condition {sh['condition_sheet_pdf_s'] * 1000:.0f} ms ({sh['condition_sheet_pages']} p), "
        f"overview {sh['overview_sheet_pdf_s'] * 1000:.0f} ms ({sh['overview_sheet_pages']} p)"
    )
    m = fig["memory"]
    print(
        f"Memory: peak RSS {m['rss_after_startup_mb']:.0f} MB after start-up, "
        f"{m['rss_after_searches_mb']:.0f} MB after {m['searches']:,} searches"
        + (
            " (window + search process: "
            f"{m['rss_window_after_startup_mb']:.0f} + {m['rss_service_after_startup_mb']:.0f}"
            f" and {m['rss_window_after_searches_mb']:.0f} + {m['rss_service_after_searches_mb']:.0f} MB)"
            if m.get("search_service")
            else ""
        )
        + "; "
        f"{m['soak_growth_mb']:+.1f} MB over {m['soak_searches']:,} more ({m['distinct_queries']} distinct queries)"
    )
    print(
        f"Window search path (bundled KB, {m['searches']:,} searches: query"
        + (" through the search process" if m.get("search_service") else "")
        + f" and results shown): p50 {m['window_search_p50_ms']:.2f} ms, p95 {m['window_search_p95_ms']:.2f} ms"
    )
    print("Search, ms (the app's search vs SQLite FTS5, same entries, same run; FTS5 has no typo tolerance)")
    print(search_table(fig["search"]))
    print("\nGoals")
    print(f"  {'goal':<46} {'measured':>10} {'target':>10}  met")
    for g in fig["goals"]:
        print(
            f"  {g['name']:<46} {_fmt(g['measured'], g['unit']):>10} {_fmt(g['target'], g['unit']):>10}  "
            f"{'yes' if g['met'] else 'NO'}"
        )
    print(f"\n(total {fig['total_wall_s']:.0f} s)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--peers", action="store_true", help="also time Zeal, GoldenDict and bare PySide6 under Xvfb")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    fig = collect(args.quick, peers=args.peers)
    if args.json:
        print(json.dumps(fig, indent=2, default=str))
    else:
        print_table(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
