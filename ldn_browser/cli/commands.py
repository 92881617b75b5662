"""The command-line subcommands (``validate``, ``list``, ``show``, ``search``, ``sheet``, ``check``,
``export-schema``, ``install-desktop``); :func:`ldn_browser.cli.main` parses the arguments and calls :func:`run`.
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ldn_browser.cli.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CommandFailedError, UsageError
from ldn_browser.cli.patient_commands import HANDLERS as PATIENT_HANDLERS
from ldn_browser.core import paths
from ldn_browser.core.drugs import Drug, Product
from ldn_browser.core.entities import Claim, Condition, Kind, KnowledgeBase, Source
from ldn_browser.core.kb import KbError, load_kb
from ldn_browser.core.presentation import direction_text, kind_text
from ldn_browser.core.text_policy import path_text, terminal_text


def run(args: argparse.Namespace) -> int:
    """Run the subcommand *args* names; an invalid KB gives one line per problem and exit status 2."""
    try:
        return _HANDLERS[args.command](args)
    except KbError as e:
        for line in e.lines():
            _say(line, file=sys.stderr)
        return EXIT_USAGE


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    return load_kb(args.kb or paths.default_kb_path())


def _say(text: object = "", *, file: Any = None, flush: bool = False) -> None:
    """Print text for a person: KB text never carries escape sequences or NULs to the terminal (D17)."""
    print(terminal_text(str(text)), file=file if file is not None else sys.stdout, flush=flush)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- subcommands ---------------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    path = args.file or args.kb or paths.default_kb_path()
    kb = load_kb(path)
    meta = kb.meta
    _say(f"{path}: valid ({len(kb.entries())} entries, KB {meta.kb_version}, content as of {meta.content_as_of})")
    return EXIT_OK


def entry_summary(kb: KnowledgeBase, entry: Any) -> dict[str, Any]:
    """The short JSON form of an entry used by ``list`` and ``search``."""
    out: dict[str, Any] = {"id": entry.id, "kind": entry.kind.value, "title": entry.title}
    if (certainty := entry.certainty_info) is not None:
        out["grade" if certainty.grade is not None else "basis"] = certainty.rating.value
    if isinstance(entry, Condition):
        out["direction"] = entry.evidence.direction.value
        out["randomised_trials"] = kb.randomised_trial_count(entry)
    return out


def _cmd_list(args: argparse.Namespace) -> int:
    kb = _kb(args)
    entries = kb.entries(Kind(args.kind) if args.kind else None)
    if args.json:
        _print_json([entry_summary(kb, e) for e in entries])
        return EXIT_OK
    for e in entries:
        _say(f"{e.id:<50} {e.title}{_badge(e.certainty_info.rating if e.certainty_info else None, e.direction)}")
    return EXIT_OK


def _badge(rating: Any, direction: Any) -> str:
    """"  [Moderate ⊕⊕⊕◯ · ○ No benefit]": the certainty, and for a condition the direction beside it (a grade
    alone read as 'the best evidence for LDN' where the entry says it probably does not help)."""
    if rating is None:
        return ""
    return f"  [{rating.badge_text}{f' · {direction_text(direction)}' if direction is not None else ''}]"


def _source_brief(s: Source) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "year": s.year, "design": s.design.value, "pmid": s.pmid, "doi": s.doi}


def _cmd_show(args: argparse.Namespace) -> int:
    kb = _kb(args)
    entry = kb.get(args.id)
    if entry is None:
        raise UsageError(_unknown_id(kb, args.id))
    cited = sorted({ref for _, ref in _refs(entry) if ref.startswith("source:")})
    if args.json:
        data = entry.model_dump(mode="json")
        data["kind"] = entry.kind.value
        data["sources"] = [_source_brief(kb.source(s)) for s in cited]
        if (certainty := entry.certainty_info) is not None:
            data["shown_as"] = certainty.rating.badge_text  # what the badge says: "Low ⊕⊕◯◯", "Label · not graded"
        if isinstance(entry, Condition):
            data["randomised_trials"] = kb.randomised_trial_count(entry)
            data["randomised_trial_ids"] = [s.id for s in kb.randomised_trials(entry)]
        if isinstance(entry, Source):
            data["cited_by"] = list(kb.cited_by(entry.id))
        _print_json(data)
        return EXIT_OK
    _say(f"{entry.title}  ({entry.kind.label}, {entry.id})")
    if entry.aliases:
        _say(f"Also: {', '.join(entry.aliases)}")
    # Lists of drugs and products as the page shows them, one per line and after the advice (the opioid entry's
    # ~150 products, each with where its name was checked, had filled 1,400 lines before its severity and action).
    named = {n for n in type(entry).model_fields if _displayed(getattr(entry, n))}
    fields = entry.model_dump(mode="json", exclude={"id", "title", "aliases", *named})
    for name, value in [*fields.items(), *((n, [i.display for i in getattr(entry, n)]) for n in sorted(named))]:
        if value in (None, [], ()):
            continue
        _say(f"\n{name.replace('_', ' ').capitalize()}:")
        _say(_indent(value))
    if cited:
        _say("\nSources:")
        for sid in cited:
            s = kb.source(sid)
            link = s.pubmed_url or s.doi_url or ""
            _say(f"  {sid}: {s.short_citation.rstrip('.')}. {s.title} {link}".rstrip())  # "n.d." ends with one
    if isinstance(entry, Source) and kb.cited_by(entry.id):
        _say("\nCited by: " + ", ".join(kb.cited_by(entry.id)))
    return EXIT_OK


def _unknown_id(kb: KnowledgeBase, typed: str) -> str:
    """The message for an id the KB lacks, naming the ids it may have meant ("crohns": condition:crohns-disease)."""
    kind, colon, word = typed.casefold().strip().rpartition(":")  # "condition:crohns" looks among conditions only
    slugs = [(e.id, e.id.partition(":")[2]) for e in kb.entries() if len(word) >= 3 and e.id.startswith(kind + colon)]
    near = [i for i, slug in slugs if slug.startswith(word)] or [i for i, slug in slugs if word in slug]
    hint = f"did you mean {', '.join(near[:3])}? " if 0 < len(near) <= 3 else ""
    return f"unknown id {typed!r}; {hint}try 'ldn-browser list' or 'ldn-browser search'"


def _refs(entry: Any) -> list[tuple[str, str]]:
    from ldn_browser.core.entities import references

    refs = list(references(entry))
    if isinstance(entry, Claim):
        refs += [("", s) for s in entry.repeated_in]
    return refs


def _displayed(value: object) -> bool:
    """A non-empty list of drugs or products (shown by their ``display``, as on the page)."""
    return isinstance(value, tuple) and bool(value) and all(isinstance(v, Drug | Product) for v in value)


def _indent(value: Any, pad: str = "  ") -> str:
    if isinstance(value, dict):
        return "\n".join(f"{pad}{k}: {v}" for k, v in value.items() if v not in (None, [], ()))
    if isinstance(value, list):
        return "\n".join(_indent(v, pad) if isinstance(v, dict) else f"{pad}- {v}" for v in value)
    return f"{pad}{value}"


def _cmd_search(args: argparse.Namespace) -> int:
    from ldn_browser.core.search import SearchError, open_search_index

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    kb = _kb(args)
    kinds = [Kind(args.kind)] if args.kind else None
    index = open_search_index(kb, paths.user_cache_dir())
    try:
        try:
            results = index.search(args.query, kinds=kinds, limit=args.limit)
        except SearchError as e:
            if not e.cache_discarded:
                raise
            index.close()  # a damaged cache was marked bad: rebuild it and ask once more (review D9)
            index = open_search_index(kb, paths.user_cache_dir())
            results = index.search(args.query, kinds=kinds, limit=args.limit)
    except SearchError as e:
        raise CommandFailedError(f"search for {args.query!r} failed ({e}); the details are in the log") from e
    if args.json:
        rows = []
        for hit in results.hits:
            row: dict[str, Any] = {"id": hit.entity_id, "kind": hit.kind.value, "title": hit.title}
            if hit.rating is not None:
                row["grade" if hit.grade is not None else "basis"] = hit.rating.value
            if hit.direction is not None:
                row["direction"] = hit.direction.value
            if hit.verdict is not None:
                row["verdict"] = hit.verdict.value
            row["snippet"] = hit.snippet_text
            row["matched"] = list(hit.matched)
            rows.append(row)
        _print_json(rows)
        return EXIT_OK
    if results.suggestion:
        _say(f"Did you mean: {results.suggestion}")
    if results.notice:
        _say(results.notice)
    if not results.hits and not results.notice:  # the notice already says why nothing matched
        _say("No matches.")
    for hit in results.hits:
        badge = _badge(hit.rating, hit.direction if hit.kind is Kind.CONDITION else None)
        badge += f"  [{kind_text(hit.kind, hit.verdict)}]" if hit.verdict is not None else ""
        _say(f"{hit.entity_id:<50} {hit.title}{badge}")
        if hit.snippet_text:
            _say(f"    {hit.snippet_text}")
        if hit.matched:
            _say(f"    matched: {'; '.join(hit.matched)}")
    return EXIT_OK


MAX_MEDS_BYTES = 50_000_000
"""A medication list larger than this is refused (a pasted list is a few kilobytes)."""


def read_medication_list(name: str, stdin: Any = None) -> str:
    """The text of FILE (or standard input for "-"), or a UsageError naming what is wrong with it."""
    label = "standard input" if name == "-" else name
    try:
        if name == "-":
            raw = (stdin or sys.stdin.buffer).read(MAX_MEDS_BYTES + 1)
        else:
            with open(name, "rb") as fh:
                raw = fh.read(MAX_MEDS_BYTES + 1)
    except OSError as e:
        raise UsageError(f"cannot read {label}: {e.strerror or e}") from None
    if len(raw) > MAX_MEDS_BYTES:
        raise UsageError(f"{label} is larger than {MAX_MEDS_BYTES // 1_000_000} MB; a medication list is far smaller")
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Notepad's "Unicode" (UTF-16 with its mark)
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(f"{label} starts as UTF-16 text but is not valid UTF-16; save it as UTF-8") from None
    if b"\x00" in raw[:65536]:
        raise UsageError(f"{label} looks like a binary file (it contains NUL bytes), not a medication list")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        byte = raw[e.start]
        raise UsageError(f"{label}: line {line} is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8") from None


def _cmd_meds(args: argparse.Namespace) -> int:
    from ldn_browser.core.medications import EMPTY_MESSAGE, badge_text, brief_action, check_medications

    text = read_medication_list(args.file)
    kb = _kb(args)
    findings = check_medications(text, kb)
    if not findings:
        _say(EMPTY_MESSAGE, file=sys.stderr)
    if args.json:
        _print_json([f.to_json() for f in findings])
        return EXIT_OK
    for f in findings:
        _say(f"{f.line:>4}  {f.input}")
        what = f" {f.entry_title} ({f.entry_id})" if f.entry_id else ""
        _say(f"      [{badge_text(f)}]{what}")
        if f.matched:
            shown = f" ({f.product})" if f.product and f.product not in f.matched else ""
            _say(f"      recognised: {f.matched}{shown}")
        if f.suggestions and f.matched:  # recognised only in part: the words that were not
            _say(f"      not recognised on this line: {', '.join(f.suggestions)}")
        elif f.suggestions:
            _say(f"      close names: {', '.join(f.suggestions)} (is it one of these? check the spelling)")
        _say(f"      {brief_action(f)}" + (f" More: ldn-browser show {f.entry_id}" if f.entry_id else ""))
        if f.also:
            _say(f"      also on this line: {', '.join(f.also)}")
    if findings:
        _say(f"\nKB {kb.meta.kb_version}, content as of {kb.meta.content_as_of}. {kb.meta.disclaimer}")
    return EXIT_OK


def _cmd_sheet(args: argparse.Namespace) -> int:
    kb = _kb(args)
    if not args.ids and not args.overview:
        raise UsageError("give at least one entry id (e.g. condition:crohns-disease), or --overview")
    for cid in args.ids:
        if kb.get(cid) is None:
            raise UsageError(_unknown_id(kb, cid))
    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must be a .pdf file, got {path_text(args.out)}")
    from ldn_browser.core.sheet import build_sheet
    from ldn_browser.ui.printing import export_pdf, headless_app

    doc = build_sheet(kb, args.ids, overview=args.overview)
    progress = terminal_progress(sys.stderr) if sys.stderr.isatty() and len(doc.parts) > 1 else None
    with headless_app():
        try:
            pages = export_pdf(doc, args.out, page_size=args.page_size, progress=progress)
        except OSError as e:
            raise UsageError(f"cannot write {path_text(args.out)}: {e.strerror or e}") from None
    _say(f"{path_text(args.out)}: {pages} page(s)")
    return EXIT_OK


def terminal_progress(stream: Any) -> Callable[[int, int], bool]:
    """Progress of a long export on a terminal: one line rewritten in place, finished with a newline."""

    def show(done: int, total: int) -> bool:
        phase = "laying out" if done <= total // 2 else "writing"
        sheets = total // 2
        shown = done if done <= sheets else done - sheets
        stream.write(f"\rsheet {shown}/{sheets}: {phase}" + ("\n" if done == total else ""))
        stream.flush()
        return True

    return show


def _cmd_check(args: argparse.Namespace) -> int:
    steps: list[tuple[str, bool, str]] = []

    def step(name: str, ok: bool, detail: str) -> None:
        steps.append((name, ok, detail))
        _say(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)

    if args.gui:  # one QApplication for the sheet step and the window (a QGuiApplication cannot become one)
        from PySide6.QtWidgets import QApplication

        _app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive for the run

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
    _say("check: all passed" if not failed else f"check: {len(failed)} step(s) failed")
    if args.gui and not failed:
        from ldn_browser.ui.app import run
        from ldn_browser.ui.self_check import gui_check

        return run(kb_path=args.kb, on_window=gui_check)  # type: ignore[arg-type]
    return EXIT_FAIL if failed else EXIT_OK


def _cmd_export_schema(args: argparse.Namespace) -> int:
    from ldn_browser.core.schema import write_json_schema

    try:
        write_json_schema(args.file)
    except OSError as e:
        raise UsageError(f"cannot write {args.file}: {e.strerror or e}") from None
    _say(f"wrote {args.file}")
    return EXIT_OK


def _cmd_install_desktop(args: argparse.Namespace) -> int:
    from ldn_browser.core import desktop_entry

    if sys.platform in ("win32", "darwin"):
        raise UsageError("install-desktop is for Linux desktops (freedesktop.org menus); nothing to do here")
    home = desktop_entry.xdg_data_home()
    try:
        if args.uninstall:
            files = desktop_entry.uninstall(home)
        else:
            files = desktop_entry.install(home, desktop_entry.launcher_command())
    except OSError as e:
        raise CommandFailedError(f"install-desktop: {e}") from None
    verb = "removed" if args.uninstall else "wrote"
    for f in files:
        print(f"{verb} {f}")
    if args.uninstall and not files:
        print(f"nothing to remove under {home}")
    return EXIT_OK


_HANDLERS = {
    "validate": _cmd_validate,
    "list": _cmd_list,
    "show": _cmd_show,
    "search": _cmd_search,
    "meds": _cmd_meds,
    "sheet": _cmd_sheet,
    "check": _cmd_check,
    "export-schema": _cmd_export_schema,
    **PATIENT_HANDLERS,  # leaflet, titration, card
    "install-desktop": _cmd_install_desktop,
}
