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

from ldn_browser.cli.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CommandFailedError, UsageError
from ldn_browser.core.text_policy import terminal_text

__all__ = ["EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "CommandFailedError", "UsageError", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ldn-browser`` console script and ``python -m ldn_browser``."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:  # the app on the bundled KB, the usual launch: no parser to build (~10 ms before the window)
            return _run_app(None)
        from ldn_browser.cli.parser import build_parser

        args = build_parser().parse_args(arguments)
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


def _run_app(kb: Path | None) -> int:
    """The desktop app on *kb* (None: the bundled KB); its search process is started before Qt is imported."""
    import gc

    collecting = gc.isenabled()
    gc.disable()  # from before Qt is imported until search is ready: see ui.app.run
    from ldn_browser.core.paths import default_kb_path
    from ldn_browser.core.search.service import SearchService

    service = SearchService.start(kb or default_kb_path())  # before Qt: the sooner, the sooner ready
    from ldn_browser.ui.app import run

    return run(kb_path=kb, collect_garbage=collecting, search_service=service)
