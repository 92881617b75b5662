"""Work done by a forked copy of this process, on the machine's other core (half of a large index build).

The index build is Python from end to end, so a second thread would only share the interpreter's lock.
A forked process starts with everything this one has (the KB, the schema, the postings read so far), so
nothing is sent to it; only its result comes back, pickled, through a pipe.

Forking is used only where it is safe: on Linux, with a second core, from a process running one thread
(the search process, the command line, the benchmark), never from the window's process, whose Qt
threads could hold locks the copy would then wait for. A failed or killed copy is logged and its work
is done here instead, so the index is the same either way.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO, Generic, NoReturn, TypeVar

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
    return cores >= 2 and _one_thread()


def _one_thread() -> bool:
    """True when this is the main thread and the only one, for Python and (where the system says) for the OS.

    Python counts only the threads that ran Python and asked for their thread object; a Qt thread pool's threads
    may not have: the process's own list of threads is asked too.
    """
    if threading.current_thread() is not threading.main_thread() or threading.active_count() != 1:
        return False
    threads = _os_threads()
    return threads is None or threads == 1


def _os_threads() -> int | None:
    """How many threads the OS runs for this process (None where it does not say: no ``/proc``)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


class Forked(Generic[T]):
    """*work* running in a forked copy of this process; :meth:`result` waits for what it returns.

    Call :meth:`result`, or :meth:`cancel` when this process fails before it asks.

    Plain ``os.fork`` and a pipe, not :mod:`multiprocessing`: the bundle leaves that package out, because
    PyInstaller's hook for it imports it (and its spawn machinery) at every start of the app.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._pid: int | None = None
        self._exitcode: int | None = None
        self._receive: BinaryIO | None = None
        self._problem = ""
        try:
            read_end, write_end = os.pipe()
        except OSError as e:  # no file descriptors to spare: this process does the work
            self._problem = f"it could not be started ({e})"
            return
        try:
            pid = os.fork()
        except OSError as e:  # no process to spare (a limit on processes, or on memory): this one does the work
            os.close(read_end)
            os.close(write_end)
            self._problem = f"it could not be started ({e})"
            return
        if pid == 0:  # the copy: answer through the pipe, then end without running this process's exit handlers
            os.close(read_end)
            _answer(work, write_end)
        os.close(write_end)
        self._pid = pid
        self._receive = os.fdopen(read_end, "rb")

    @property
    def exitcode(self) -> int | None:
        """The copy's exit code once it has ended (negative: the signal that ended it), else None."""
        return self._reap(block=False)

    def _reap(self, *, block: bool) -> int | None:
        if self._pid is not None:
            pid, status = os.waitpid(self._pid, 0 if block else os.WNOHANG)
            if pid:
                self._pid, self._exitcode = None, os.waitstatus_to_exitcode(status)
        return self._exitcode

    def result(self) -> T | None:
        """What *work* returned, or None (logged) if it raised, could not start or ended without a whole answer."""
        answer: tuple[str, Any] = ("failed", self._problem)
        if self._receive is not None:
            try:
                data = self._receive.read()  # until the copy closes its end of the pipe (or ends)
            finally:
                self._receive.close()
            code = self._reap(block=True)
            size = int.from_bytes(data[:8], "little") if len(data) >= 8 else -1
            answer = ("failed", f"it ended without a whole answer (exit code {code})")
            if size == len(data) - 8:
                answer = pickle.loads(data[8:])  # noqa: S301 - written by our own fork, whole
        status, value = answer
        if status == "ok":
            result: T = value
            return result
        log.warning("The second process of the index build failed; this one does its part: %s", value)
        return None

    def cancel(self) -> None:
        """Stop the copy (this process failed before asking for its result)."""
        if self.exitcode is None and self._pid is not None:
            os.kill(self._pid, signal.SIGTERM)
        self._reap(block=True)
        if self._receive is not None:
            self._receive.close()


def _answer(work: Callable[[], Any], write_end: int) -> NoReturn:
    """In the copy: run *work*, write its pickled answer (8-byte length first) and end the process."""
    code = 1
    try:
        try:
            answer: tuple[str, Any] = ("ok", work())
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - reported to the parent, which does the work itself
            data = pickle.dumps(("failed", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as out:
            out.write(len(data).to_bytes(8, "little") + data)
        code = 0
    finally:
        os._exit(code)
