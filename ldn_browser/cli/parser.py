"""The argument parser of ``ldn-browser``; the ``--kind`` choices come from the kinds vocabulary."""

from __future__ import annotations

import argparse
from pathlib import Path

from ldn_browser import __version__
from ldn_browser.core.vocab import Kind

PAGE_SIZES = ("A4", "Letter")


def page_size(text: str) -> str:
    """A page size as typed, in any case ("letter", "a4"): the name the printers use."""
    return next((size for size in PAGE_SIZES if size.casefold() == text.casefold()), text)


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
    st.add_argument("--page-size", type=page_size, choices=PAGE_SIZES, default="A4")

    ck = sub.add_parser("check", help="self-test: load, index, search, render a sheet offscreen")
    ck.add_argument("--gui", action="store_true", help="also open the real window, wait until it is ready, close it")

    _add_patient_parsers(sub)  # leaflet, titration, card (run by cli/patient_commands.py)

    es = sub.add_parser("export-schema", help="write the KB JSON Schema generated from the models")
    es.add_argument("file", type=Path)

    de = sub.add_parser(
        "install-desktop", help="add the menu entry and icons to the user's XDG data folder (~/.local/share)"
    )
    de.add_argument("--uninstall", action="store_true", help="remove them again")
    return p


def _add_patient_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The three patient subcommands on the ``ldn-browser`` parser."""
    le = sub.add_parser("leaflet", help="write the patient leaflet PDF (generic, or for one condition)")
    le.add_argument("condition", nargs="?", metavar="CONDITION_ID", help="e.g. condition:crohns-disease")
    ti = sub.add_parser("titration", help="write a dated dose calendar PDF for a patient")
    ti.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first day")
    ti.add_argument("--dose", metavar="MG", help="start dose in mg (default: the KB's most common study practice)")
    ti.add_argument("--step", metavar="MG", help="increase at each step in mg (0: no steps)")
    ti.add_argument("--every", type=int, metavar="DAYS", help="days between steps")
    ti.add_argument("--target", metavar="MG", help="dose to reach and stay on, in mg")
    ti.add_argument("--time", metavar="TEXT", help='when to take it, e.g. "at night"')
    ti.add_argument("--days", type=int, metavar="N", help="rows to print (default: to the target, then 14 days)")
    ti.add_argument(
        "--allow-dose-outside-range",
        action="store_true",
        help="print a start or target dose outside the KB's low-dose range (it is refused otherwise); "
        "the calendar then states the warning on page 1",
    )
    ca = sub.add_parser("card", help="write the wallet card: fold-out cards with cut marks, or card-sized pages")
    ca.add_argument(
        "--page",
        choices=["sheet", "card"],
        default="sheet",
        help="sheet: several fold-out cards per A4/Letter page with cut marks (default); "
        "card: a front and a back page of exactly 85.6 x 54 mm for card printers (--page-size is not used)",
    )
    for p in (le, ti, ca):
        p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        p.add_argument("--page-size", type=page_size, choices=PAGE_SIZES, default="A4")


_SEARCH_OPTIONS = ("--kind", "--limit")
"""The search subcommand's options that take a value."""


def query_after_dashes(arguments: list[str]) -> list[str]:
    """*arguments* with a search query that starts with a minus ("-codeine", "-suboxone") moved after ``--``, so
    that it is searched for instead of being refused as an unknown option (the query's own NOT: see the search)."""
    if "search" not in arguments or "--" in arguments:
        return arguments
    at = arguments.index("search")
    for j in range(at + 1, len(arguments)):
        word, before = arguments[j], arguments[j - 1]
        if word.startswith("-") and len(word) > 1 and before not in _SEARCH_OPTIONS:
            if word in ("-h", "--help", "--json", *_SEARCH_OPTIONS) or word.startswith(("--kind=", "--limit=")):
                continue
            return [*arguments[:j], *arguments[j + 1 :], "--", word]
    return arguments
