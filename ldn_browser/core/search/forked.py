"""Work done by a forked copy of this process, on the machine's other core (half of a large index build).

The index build is Python from end to end, so a second thread would only share the interpreter's lock.
A forked process starts with everything this one has (the KB, the schema, the postings read so far), so
nothing is sent to it; only its result comes back, pickled, through a pipe (:mod:`multiprocessing`).

Forking is used only where it is safe: on Linux, with a second core, from a process running one thread
(the search process, the command line, the benchmark), never from the window's process, whose Qt
threads could hold locks the copy would then wait for. A failed or killed copy is logged and its work
is done here instead, so the index is the same either way.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

DISABLE_ENV = "LDN_BROWSER_FORK"
"""Set to ``0`` to do all of an index build in one process."""


def available() -> bool:
    """True when a forked process may take half of the work here (see the module's docstring)."""
    if os.environ.get(DISABLE_ENV) == "0" or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2 and threading.active_count() == 1


class Forked(Generic[T]):
    """*work* running in a forked copy of this process; :meth:`result` waits for what it returns."""

    def __init__(self, work: Callable[[], T]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, send), name="ldn-browser-index", daemon=True)
        self._process.start()
        send.close()

    def result(self) -> T | None:
        """What *work* returned, or None (logged) if it raised or the process ended without an answer."""
        try:
            status, value = self._receive.recv()
        except (EOFError, OSError) as e:
            self._process.join()
            code = self._process.exitcode
            status, value = "failed", f"it ended without an answer ({type(e).__name__}, exit code {code})"
        finally:
            self._receive.close()
        self._process.join()
        if status == "ok":
            result: T = value
            return result
        log.warning("The second process of the index build failed; this one does its part: %s", value)
        return None

    def cancel(self) -> None:
        """Stop the process (this one failed before asking for its result)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def start(work: Callable[[], T]) -> Forked[T]:
    """Run *work* in a forked copy of this process (call :meth:`Forked.result` or :meth:`Forked.cancel`)."""
    return Forked(work)


def _run(work: Callable[[], Any], send: Any) -> None:
    try:
        value = work()
        answer: tuple[str, Any] = ("ok", value)
    except BaseException:  # noqa: BLE001 - reported to the parent, which does the work itself
        answer = ("failed", traceback.format_exc())
    try:
        send.send(answer)
    finally:
        send.close()
