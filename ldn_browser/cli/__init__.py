"""Command line: ``ldn-browser [--kb FILE] [SUBCOMMAND ...]``; no subcommand opens the desktop app.

Everything except the app itself works without a display. ``parser`` builds the arguments,
``errors`` holds the exit statuses, ``commands`` runs the subcommands (it imports the pydantic
models, so it is loaded only when a subcommand runs and the app's window can paint first).
Qt is imported only by ``sheet``, ``check`` and the app.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_browser.cli.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CommandFailedError, UsageError
from ldn_browser.core.text_policy import terminal_text

if TYPE_CHECKING:
    from ldn_browser.core.search.service import SearchService

__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "CommandFailedError", "UsageError", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ldn-browser`` console script and ``python -m ldn_browser``."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:  # the app on the bundled KB, the usual launch: no parser to build (~10 ms before the window)
            return _run_app(None)
        from ldn_browser.cli.parser import build_parser, query_after_dashes

        args = build_parser().parse_args(query_after_dashes(arguments))
        if args.command is None:
            return _run_app(args.kb)
        from ldn_browser.cli import commands  # the subcommands need the models; the app loads them after painting

        return commands.run(args)
    except UsageError as e:
        print(f"ldn-browser: {terminal_text(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailedError as e:
        print(f"ldn-browser: {terminal_text(str(e))}", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


_started_early: tuple[bool, SearchService | None] | None = None
"""The collector's state and the search process of a launch with no arguments, when the bundle's run-time hook
started them (:func:`start_app_early`); taken by :func:`_run_app`."""


def start_app_early() -> None:
    """Start the bundled KB's search process and pause the collector now, for ``ldn-browser`` with no arguments.

    Called by the bundle's run-time hook (``packaging/rthook_search_service.py``), before PyInstaller's PySide6 hook
    imports QtCore: without it the search process started ~100 ms later in the bundle than from source.
    """
    global _started_early
    _started_early = _pause_and_start(None)


def _pause_and_start(kb: Path | None) -> tuple[bool, SearchService | None]:
    """Pause the collector (until search is ready: see ui.app.run) and start *kb*'s search process, before Qt."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    from ldn_browser.core.paths import default_kb_path
    from ldn_browser.core.search.service import SearchService

    return collecting, SearchService.start(kb or default_kb_path())  # the sooner started, the sooner ready


def _run_app(kb: Path | None) -> int:
    """The desktop app on *kb* (None: the bundled KB); its search process is started before Qt is imported."""
    global _started_early
    early, _started_early = _started_early, None
    collecting, service = early if early is not None and kb is None else _pause_and_start(kb)
    from ldn_browser.ui.app import run

    return run(kb_path=kb, collect_garbage=collecting, search_service=service)
