"""The patient subcommands: ``leaflet``, ``titration`` and ``card`` (PDFs for patients; no display needed)."""

from __future__ import annotations

import argparse
import sys

from ldn_browser.cli.errors import EXIT_OK, UsageError
from ldn_browser.core import paths
from ldn_browser.core.entities import Condition, KnowledgeBase
from ldn_browser.core.kb import load_kb
from ldn_browser.core.text_policy import path_text


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    kb = load_kb(args.kb or paths.default_kb_path())
    if kb.patient is None:
        raise UsageError("this knowledge base has no patient content (its 'patient' key is missing)")
    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must be a .pdf file, got {path_text(args.out)}")
    return kb


def cmd_leaflet(args: argparse.Namespace) -> int:
    """Write the patient leaflet, generic or for one condition."""
    kb = _kb(args)
    if args.condition is not None and not isinstance(kb.get(args.condition), Condition):
        raise UsageError(f"{args.condition!r} is not a condition; try 'ldn-browser list --kind condition'")
    from ldn_browser.core.patient_sheets import build_leaflet

    return _export(build_leaflet(kb, args.condition), args)


def cmd_titration(args: argparse.Namespace) -> int:
    """Write the dose calendar; bad values exit 2 with the field named.

    A dose outside the low-dose range also exits 2 unless ``--allow-dose-outside-range`` confirms it; then
    the warning goes to stderr and is printed on page 1 of the calendar.
    """
    kb = _kb(args)
    assert kb.patient is not None
    from ldn_browser.core.patient_sheets import build_titration_sheet
    from ldn_browser.core.titration import DoseRangeError, TitrationError, make_plan

    defaults = kb.patient.titration.defaults
    try:
        plan = make_plan(
            kb.patient.titration.limits,
            start=args.start,
            dose=args.dose if args.dose is not None else defaults.start_mg,
            step=args.step if args.step is not None else defaults.step_mg,
            every=args.every if args.every is not None else defaults.interval_days,
            target=args.target if args.target is not None else defaults.target_mg,
            time_of_day=args.time if args.time is not None else defaults.time_of_day,
            days=args.days,
            allow_outside_range=args.allow_dose_outside_range,
        )
    except DoseRangeError as e:
        raise UsageError(
            f"--{e.field}: {e}; check the dose, or pass --allow-dose-outside-range to print it with this warning"
        ) from None
    except TitrationError as e:
        unset = e.field in _DEFAULTED and getattr(args, e.field, None) is None  # filled in, not typed
        default = f" (--{e.field} not given, so the default was used)" if unset else ""
        raise UsageError(f"--{e.field}: {e}{default}") from None
    for warning in plan.warnings:
        print(f"ldn-browser: warning: {warning}", file=sys.stderr)
    return _export(build_titration_sheet(kb, plan), args)


_DEFAULTED = frozenset({"dose", "step", "every", "target", "time"})
"""The values ``titration`` takes from the KB's defaults when they are not given (an error about one says so)."""


def cmd_card(args: argparse.Namespace) -> int:
    """Write a sheet of fold-out wallet cards with cut marks, or (``--page card``) two card-sized pages."""
    kb = _kb(args)
    from ldn_browser.core.patient_sheets import CARD_HEIGHT_MM, CARD_WIDTH_MM, build_card
    from ldn_browser.ui.card_printing import export_card_pdf
    from ldn_browser.ui.printing import headless_app

    with headless_app():
        try:
            count = export_card_pdf(build_card(kb), args.out, page_size=args.page_size, layout=args.page)
        except OSError as e:
            raise UsageError(f"cannot write {path_text(args.out)}: {e.strerror or e}") from None
    if args.page == "card":
        print(f"{path_text(args.out)}: {count} pages (front, back), each {CARD_WIDTH_MM:g} × {CARD_HEIGHT_MM:g} mm")
    else:
        print(f"{path_text(args.out)}: 1 page, {count} cards")
    return EXIT_OK


def _export(doc: object, args: argparse.Namespace) -> int:
    from ldn_browser.core.sheet import SheetDocument
    from ldn_browser.ui.printing import export_pdf, headless_app

    assert isinstance(doc, SheetDocument)
    with headless_app():
        try:
            pages = export_pdf(doc, args.out, page_size=args.page_size)
        except OSError as e:
            raise UsageError(f"cannot write {path_text(args.out)}: {e.strerror or e}") from None
    print(f"{path_text(args.out)}: {pages} page(s)")
    return EXIT_OK


HANDLERS = {"leaflet": cmd_leaflet, "titration": cmd_titration, "card": cmd_card}
