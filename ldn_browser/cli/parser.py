"""The argument parser of ``ldn-browser``; the ``--kind`` choices come from the kinds vocabulary."""

from __future__ import annotations

import argparse
from pathlib import Path

from ldn_browser import __version__
from ldn_browser.core.vocab import Kind


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ldn-browser",
        description="Offline knowledge browser on low-dose naltrexone (LDN). "
        "With no subcommand, opens the desktop app.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--kb", type=Path, metavar="FILE", help="knowledge-base JSON file (default: the bundled KB)")
    sub = p.add_subparsers(dest="command", metavar="SUBCOMMAND")

    v = sub.add_parser("validate", help="validate a KB file; exit 0 when valid, 2 with FILE:LOCATION: message lines")
    v.add_argument("file", nargs="?", type=Path, help="KB file (default: --kb or the bundled KB)")

    kinds = [k.value for k in Kind]
    ls = sub.add_parser("list", help="list entries")
    ls.add_argument("--kind", choices=kinds, metavar="KIND", help=f"only this kind ({', '.join(kinds)})")
    ls.add_argument("--json", action="store_true", help="print a JSON array")

    sh = sub.add_parser("show", help="show one entry")
    sh.add_argument("id", help="entry id, e.g. condition:crohns-disease")
    sh.add_argument("--json", action="store_true", help="print the entry as JSON, sources resolved")

    se = sub.add_parser("search", help="full-text search")
    se.add_argument("query")
    se.add_argument("--kind", choices=kinds, metavar="KIND", help="only this kind")
    se.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits (default 10)")
    se.add_argument("--json", action="store_true", help="print a JSON array")

    md = sub.add_parser(
        "meds",
        help="check a medication list against LDN's interactions; exit 0 when the check ran, 2 for unreadable input",
    )
    md.add_argument("file", metavar="FILE", help="the list, one medication per line or comma-separated; - for stdin")
    md.add_argument("--json", action="store_true", help="print a JSON array, one object per medication, in order")

    st = sub.add_parser("sheet", help="write a summary sheet PDF (no display needed)")
    st.add_argument("ids", nargs="*", metavar="ID", help="entry ids of any kind, one sheet each; several make a pack")
    st.add_argument("--overview", action="store_true", help="include the 'LDN at a glance' overview sheet")
    st.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    st.add_argument("--page-size", choices=["A4", "Letter"], default="A4")

    ck = sub.add_parser("check", help="self-test: load, index, search, render a sheet offscreen")
    ck.add_argument("--gui", action="store_true", help="also open the real window, wait until it is ready, close it")

    es = sub.add_parser("export-schema", help="write the KB JSON Schema generated from the models")
    es.add_argument("file", type=Path)
    return p
