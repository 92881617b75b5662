"""Opening a knowledge base from the window: read and validated off the GUI thread (review D15).

The largest KB the loader accepts takes seconds to validate; File › Open and the start-up load run
it in the thread pool (:func:`ldn_browser.ui.workers.run_in_background`), so the window keeps
painting. Errors come back as a value and are shown as plain text (:mod:`ldn_browser.ui.text_widgets`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ldn_browser.core.text_policy import path_text
from ldn_browser.ui.workers import run_in_background

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase
    from ldn_browser.core.kb import KbError


class _Dialogs(Protocol):
    def error(self, title: str, text: str, details: str) -> None: ...


class _Window(Protocol):
    dialogs: _Dialogs

    def open_kb(self, path: Path, loaded: object = None) -> bool: ...

    def statusBar(self) -> object: ...  # noqa: N802 - Qt's name


def load_kb_or_error(path: Path) -> KnowledgeBase | KbError:
    """The KB at *path*, or the KbError saying why not (any other failure becomes one too)."""
    from ldn_browser.core.kb import KbError, Problem, load_kb

    try:
        return load_kb(path)
    except KbError as e:
        return e
    except (MemoryError, RecursionError) as e:
        return KbError(path, [Problem("", f"could not be loaded: {type(e).__name__}")])


def report_open_error(dialogs: _Dialogs, path: Path, error: KbError) -> None:
    """Tell the user *path* was not opened and why (at most 8 problems listed)."""
    lines = error.lines()
    shown = "\n".join(lines[:8]) + (f"\n… and {len(lines) - 8} more" if len(lines) > 8 else "")
    text = f"{path_text(path)} is not a valid knowledge base. The current knowledge base stays loaded."
    dialogs.error("Cannot open knowledge base", text, shown)


def open_in_background(window: _Window, path: Path) -> None:
    """Read and validate *path* in the thread pool, then show it in *window* (or report why not)."""
    bar = window.statusBar()
    bar.showMessage(f"Opening {path_text(path)}…")  # type: ignore[attr-defined]

    def done(result: object) -> None:
        from ldn_browser.core.kb import KbError, Problem

        bar.clearMessage()  # type: ignore[attr-defined]
        if isinstance(result, BaseException) and not isinstance(result, KbError):  # logged by the worker
            result = KbError(path, [Problem("", f"could not be loaded: {type(result).__name__}: {result}")])
        window.open_kb(path, result)

    run_in_background(lambda: load_kb_or_error(path), done)
