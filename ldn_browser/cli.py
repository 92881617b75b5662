"""Command line: ``ldn-browser [--kb FILE] [SUBCOMMAND ...]``; no subcommand opens the desktop app.

Everything except the app itself works without a display. Qt is imported lazily, only by the
subcommands that need it (``sheet``, ``check`` and the app).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ldn_browser import __version__
from ldn_browser.core import paths
from ldn_browser.core.entities import Claim, Condition, Kind, KnowledgeBase, Source
from ldn_browser.core.kb import KbError, load_kb

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A user error reported as one line and exit status 2."""


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ldn-browser",
        description="Offline knowledge browser on low-dose naltrexone (LDN). With no subcommand, opens the desktop app.",
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

    st = sub.add_parser("sheet", help="write a summary sheet PDF (no display needed)")
    st.add_argument("ids", nargs="*", metavar="ID", help="condition ids; several make a pack")
    st.add_argument("--overview", action="store_true", help="include the 'LDN at a glance' overview sheet")
    st.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    st.add_argument("--page-size", choices=["A4", "Letter"], default="A4")

    sub.add_parser("check", help="self-test: load, index, search, render a sheet offscreen")

    es = sub.add_parser("export-schema", help="write the KB JSON Schema generated from the models")
    es.add_argument("file", type=Path)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ldn-browser`` console script and ``python -m ldn_browser``."""
    args = _build_parser().parse_args(argv)
    try:
        if args.command is None:
            from ldn_browser.ui.app import run

            return run(kb_path=args.kb)
        handler = _HANDLERS[args.command]
        return handler(args)
    except UsageError as e:
        print(f"ldn-browser: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KbError as e:
        for line in e.lines():
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    return load_kb(args.kb or paths.default_kb_path())


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- subcommands ---------------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    path = args.file or args.kb or paths.default_kb_path()
    kb = load_kb(path)
    print(f"{path}: valid ({len(kb.entries())} entries, KB {kb.meta.kb_version}, content as of {kb.meta.content_as_of})")
    return EXIT_OK


def entry_summary(kb: KnowledgeBase, entry: Any) -> dict[str, Any]:
    """The short JSON form of an entry used by ``list`` and ``search``."""
    out: dict[str, Any] = {"id": entry.id, "kind": entry.kind.value, "title": entry.title}
    if isinstance(entry, Condition):
        out["grade"] = entry.evidence.grade.value
        out["direction"] = entry.evidence.direction.value
    elif (certainty := getattr(entry, "certainty", None)) is not None:
        out["grade"] = certainty.grade.value
    return out


def _cmd_list(args: argparse.Namespace) -> int:
    kb = _kb(args)
    entries = kb.entries(Kind(args.kind) if args.kind else None)
    if args.json:
        _print_json([entry_summary(kb, e) for e in entries])
        return EXIT_OK
    for e in entries:
        extra = entry_summary(kb, e)
        badge = ""
        if "grade" in extra:
            from ldn_browser.core.entities import Grade

            badge = f"  [{Grade(extra['grade']).badge_text}]"
        print(f"{e.id:<50} {e.title}{badge}")
    return EXIT_OK


def _source_brief(s: Source) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "year": s.year, "design": s.design.value, "pmid": s.pmid, "doi": s.doi}


def _cmd_show(args: argparse.Namespace) -> int:
    kb = _kb(args)
    entry = kb.get(args.id)
    if entry is None:
        raise UsageError(f"unknown id {args.id!r}; try 'ldn-browser list' or 'ldn-browser search'")
    cited = sorted({ref for _, ref in _refs(entry) if ref.startswith("source:")})
    if args.json:
        data = entry.model_dump(mode="json")
        data["kind"] = entry.kind.value
        data["sources"] = [_source_brief(kb.source(s)) for s in cited]
        if isinstance(entry, Source):
            data["cited_by"] = list(kb.cited_by(entry.id))
        _print_json(data)
        return EXIT_OK
    print(f"{entry.title}  ({entry.kind.label}, {entry.id})")
    if entry.aliases:
        print(f"Also: {', '.join(entry.aliases)}")
    for name, value in entry.model_dump(mode="json", exclude={"id", "title", "aliases"}).items():
        if value in (None, [], ()):
            continue
        print(f"\n{name.replace('_', ' ').capitalize()}:")
        print(_indent(value))
    if cited:
        print("\nSources:")
        for sid in cited:
            s = kb.source(sid)
            link = s.pubmed_url or s.doi_url or ""
            print(f"  {sid}: {s.short_citation}. {s.title} {link}".rstrip())
    if isinstance(entry, Source) and kb.cited_by(entry.id):
        print("\nCited by: " + ", ".join(kb.cited_by(entry.id)))
    return EXIT_OK


def _refs(entry: Any) -> list[tuple[str, str]]:
    from ldn_browser.core.entities import references

    refs = list(references(entry))
    if isinstance(entry, Claim):
        refs += [("", s) for s in entry.repeated_in]
    return refs


def _indent(value: Any, pad: str = "  ") -> str:
    if isinstance(value, dict):
        return "\n".join(f"{pad}{k}: {v}" for k, v in value.items() if v not in (None, [], ()))
    if isinstance(value, list):
        return "\n".join(_indent(v, pad) if isinstance(v, dict) else f"{pad}- {v}" for v in value)
    return f"{pad}{value}"


def _cmd_search(args: argparse.Namespace) -> int:
    from ldn_browser.core.search import open_search_index

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    kb = _kb(args)
    index = open_search_index(kb, paths.user_cache_dir())
    results = index.search(args.query, kinds=[Kind(args.kind)] if args.kind else None, limit=args.limit)
    if args.json:
        rows = []
        for hit in results.hits:
            row: dict[str, Any] = {"id": hit.entity_id, "kind": hit.kind.value, "title": hit.title}
            if hit.grade is not None:
                row["grade"] = hit.grade.value
            if hit.direction is not None:
                row["direction"] = hit.direction.value
            row["snippet"] = hit.snippet_text
            row["matched"] = list(hit.matched)
            rows.append(row)
        _print_json(rows)
        return EXIT_OK
    if results.suggestion:
        print(f"Did you mean: {results.suggestion}")
    if results.notice:
        print(results.notice)
    if not results.hits:
        print("No matches.")
    for hit in results.hits:
        badge = f"  [{hit.grade.badge_text}]" if hit.grade else ""
        print(f"{hit.entity_id:<50} {hit.title}{badge}")
        if hit.snippet_text:
            print(f"    {hit.snippet_text}")
        if hit.matched:
            print(f"    matched: {'; '.join(hit.matched)}")
    return EXIT_OK


def _cmd_sheet(args: argparse.Namespace) -> int:
    kb = _kb(args)
    if not args.ids and not args.overview:
        raise UsageError("give at least one condition id, or --overview")
    for cid in args.ids:
        entry = kb.get(cid)
        if entry is None:
            raise UsageError(f"unknown id {cid!r}; try 'ldn-browser list --kind condition'")
        if not isinstance(entry, Condition):
            raise UsageError(f"{cid!r} is a {entry.kind.value}; sheets are made for conditions")
    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must be a .pdf file, got {args.out}")
    from ldn_browser.core.sheet import build_sheet
    from ldn_browser.ui.printing import export_pdf, headless_app

    doc = build_sheet(kb, args.ids, overview=args.overview)
    with headless_app():
        try:
            pages = export_pdf(doc, args.out, page_size=args.page_size)
        except OSError as e:
            raise UsageError(f"cannot write {args.out}: {e.strerror or e}") from None
    print(f"{args.out}: {pages} page(s)")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    steps: list[tuple[str, bool, str]] = []

    def step(name: str, ok: bool, detail: str) -> None:
        steps.append((name, ok, detail))
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)

    try:
        kb = _kb(args)
        step("load", True, f"{len(kb.entries())} entries from {args.kb or paths.default_kb_path()}")
    except KbError as e:
        step("load", False, e.lines()[0])
        return EXIT_FAIL
    try:
        from ldn_browser.core.search import open_search_index

        index = open_search_index(kb, None)
        hits = index.search("crohn").hits
        ok = bool(hits) and hits[0].kind is Kind.CONDITION
        step("index + search", ok, f"'crohn' -> {hits[0].entity_id if hits else 'no hits'}")
    except Exception as e:  # noqa: BLE001 - a self-test reports every failure
        step("index + search", False, f"{type(e).__name__}: {e}")
    try:
        from ldn_browser.core.sheet import build_sheet
        from ldn_browser.ui.printing import export_pdf, headless_app

        first = kb.conditions[0].id if kb.conditions else None
        doc = build_sheet(kb, [first] if first else [], overview=first is None)
        with tempfile.TemporaryDirectory() as tmp, headless_app():
            out = Path(tmp) / "check.pdf"
            pages = export_pdf(doc, out, page_size="A4")
            size = out.stat().st_size
            ok = out.read_bytes().startswith(b"%PDF") and pages >= 1
        step("sheet", ok, f"{pages} page(s), {size} bytes")
    except Exception as e:  # noqa: BLE001
        step("sheet", False, f"{type(e).__name__}: {e}")
    failed = [s for s in steps if not s[1]]
    print("check: all passed" if not failed else f"check: {len(failed)} step(s) failed")
    return EXIT_FAIL if failed else EXIT_OK


def _cmd_export_schema(args: argparse.Namespace) -> int:
    from ldn_browser.core.schema import write_json_schema

    try:
        write_json_schema(args.file)
    except OSError as e:
        raise UsageError(f"cannot write {args.file}: {e.strerror or e}") from None
    print(f"wrote {args.file}")
    return EXIT_OK


_HANDLERS = {
    "validate": _cmd_validate,
    "list": _cmd_list,
    "show": _cmd_show,
    "search": _cmd_search,
    "sheet": _cmd_sheet,
    "check": _cmd_check,
    "export-schema": _cmd_export_schema,
}
