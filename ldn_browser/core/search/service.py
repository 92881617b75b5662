"""The start KB's search index in a process of its own, opened while the window opens the pages.

Why a process: the window's start-up is Python on one interpreter (the models, the pages, then Whoosh and
the index), and a second thread shares its lock, so every stage waits for the others (issue 19). A second
process runs on the machine's other core: the desktop app starts it first thing (``ui.app.run``) and it
reads the knowledge base and opens its index while the window paints; search is ready as soon as the pages
are, and the window's process never imports Whoosh. A KB opened later from a file gets a process of its own
the same way (when the window started with one); a failure of the process, or a rebuild after one, uses the
in-process index as before (``ui.workers.IndexBuildWorker``).

The process is ``ldn-browser --search-service KB_PATH`` (:data:`SERVICE_FLAG`; the frozen bundle's own
executable, or ``python -m ldn_browser``). It talks over its stdin and stdout in frames: a 4-byte
little-endian length, then a pickle. Its stdout is kept for the frames (anything printed goes to stderr).

* window → service: ``("open", cache_dir or None)`` once (the service has already read the KB and opened the
  index built with the app, if it is this KB's: only another KB needs the cache folder); then
  ``("search", text, limit)`` per query, or
  ``("stats",)`` for its memory (the benchmark's);
* service → window: ``("progress", done, total)`` while an index is built, then ``("ready", info)``
  (``info``: the KB digest, ``storage_note``, ``built_now``, ``location``) or ``("failed", message)``;
  per query ``("results", SearchResults)`` or ``("error", message, cache_discarded)``; ``("stats", {...})``.

The service ends when its stdin closes (the window closed it, or the window's process ended however it
ended), so it never outlives the app. The window checks that the service's KB digest is the one of the KB
it shows before it uses the service (:meth:`SearchService.connect`).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ldn_browser.core.search.results import SearchResults

log = logging.getLogger(__name__)

SERVICE_FLAG = "--search-service"
"""The first argument that makes ``ldn-browser`` (``ldn_browser.__main__``) run :func:`main`, the service."""

DISABLE_ENV = "LDN_BROWSER_SEARCH_SERVICE"
"""Set to ``0`` to open the start KB's index in the window's process (as for every other KB)."""

SEARCH_TIMEOUT_S = 10.0
"""A query the service has not answered in this time fails (and the window goes back to its own index)."""

OPEN_TIMEOUT_S = 120.0
"""How long the window waits between two frames while the service opens (or builds) the index."""

_HEADER = struct.Struct("<I")
_MAX_FRAME = 64 * 2**20


class ServiceError(RuntimeError):
    """The search service could not be used (it failed, ended, timed out or opened another KB)."""


# -- frames -----------------------------------------------------------------------------------------


def write_frame(out: IO[bytes], message: object) -> None:
    """Write one frame (length, then pickle) and flush."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _read_exact(stream: IO[bytes], size: int, deadline: float | None) -> bytes | None:
    """*size* bytes from *stream*; None at end of file before any byte; ServiceError on a timeout or a cut frame."""
    chunks: list[bytes] = []
    left = size
    fd = stream.fileno() if deadline is not None and os.name == "posix" else None
    while left:
        if fd is not None and deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise ServiceError("the search service did not answer in time")
            chunk = os.read(fd, left)
        else:
            chunk = stream.read(left)
        if not chunk:
            if left == size and not chunks:
                return None
            raise ServiceError("the search service sent a cut-off message")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: IO[bytes], timeout: float | None = None) -> Any:
    """The next message from *stream*, or None at end of file (the other side closed it)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    header = _read_exact(stream, _HEADER.size, deadline)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > _MAX_FRAME:
        raise ServiceError(f"the search service sent a message of {size:,} bytes")
    data = _read_exact(stream, size, deadline)
    if data is None:
        raise ServiceError("the search service sent a cut-off message")
    return pickle.loads(data)  # noqa: S301 - our own child process, over its own pipes


# -- the service process ----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Run the service for the KB file ``argv[0]`` (see the module's docstring); returns the exit code."""
    gc.disable()  # as in the window: start-up makes long-lived objects only (turned on once the index is open)
    out = os.fdopen(os.dup(1), "wb")  # the frames' own copy of stdout...
    try:
        os.dup2(2, 1)  # ...and anything printed goes to stderr
    except OSError:  # no stderr (a windowed build): printing goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    sys.stdout = sys.stderr if sys.stderr is not None else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    inp = sys.stdin.buffer
    if len(argv) != 1:
        write_frame(out, ("failed", f"usage: ldn-browser {SERVICE_FLAG} KB_PATH"))
        return 2
    path = Path(argv[0])

    from ldn_browser.core import model_options, snapshot

    model_options.field_docstrings = False  # as in the window (only the JSON Schema needs them)
    model_options.defer_build = snapshot.matches_file(path)
    from ldn_browser.core.kb import kb_digest, load_kb
    from ldn_browser.core.search.cache import open_prebuilt_index, open_search_index
    from ldn_browser.core.search.results import SearchError

    # The KB, and the index built with the app if it is this KB's, are opened before the window asks: the
    # window says where its cache is only once its pages are built, and the prebuilt index needs no cache.
    kb, index, problem = None, None, None
    try:
        kb = load_kb(path)
        index = open_prebuilt_index(kb)
    except Exception as e:  # noqa: BLE001 - reported to the window when it asks (it opens its own index)
        problem = f"{type(e).__name__}: {e}"
    request = read_frame(inp)
    if request is None:
        if index is not None:
            index.close()
        return 0  # the window went before asking
    if not (isinstance(request, tuple) and len(request) == 2 and request[0] == "open"):
        write_frame(out, ("failed", f"expected an open request, got {request!r:.80}"))
        return 2
    if kb is None:
        write_frame(out, ("failed", problem))
        return 1
    cache_dir = Path(request[1]) if request[1] is not None else None
    try:
        if index is None or cache_dir is None:  # no cache folder: an in-memory index, as in the window
            if index is not None:
                index.close()
            index = open_search_index(
                kb, cache_dir, progress=lambda done, total: write_frame(out, ("progress", done, total))
            )
    except Exception as e:  # noqa: BLE001 - reported to the window, which opens its own index instead
        write_frame(out, ("failed", f"{type(e).__name__}: {e}"))
        return 1
    location = str(index.location) if index.location is not None else None
    info = {
        "digest": kb_digest(kb),
        "storage_note": index.storage_note,
        "built_now": index.built_now,
        "location": location,
    }
    write_frame(out, ("ready", info))
    gc.enable()
    gc.freeze()  # the KB and the index live as long as the process: never scanned again
    index.vocab.warm()
    while (request := read_frame(inp)) is not None:
        if request == ("stats",):
            write_frame(out, ("stats", _memory()))
            continue
        if not (isinstance(request, tuple) and len(request) == 3 and request[0] == "search"):
            write_frame(out, ("error", f"unknown request {request!r:.80}", False))
            continue
        _, text, limit = request
        try:
            write_frame(out, ("results", index.search(text, limit=limit)))
        except SearchError as e:
            write_frame(out, ("error", str(e), e.cache_discarded))
        except Exception as e:  # noqa: BLE001 - a bug in search: the window shows it as a failed search
            log.exception("search failed for %r", str(text)[:100])
            write_frame(out, ("error", f"search failed: {type(e).__name__}: {e}", False))
    index.close()
    return 0


def _memory() -> dict[str, float]:
    """This process's current RSS after a collection, and its peak RSS, in MB (Linux; empty elsewhere)."""
    gc.collect()
    found: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found["rss_mb" if name == "VmRSS" else "peak_rss_mb"] = int(value.split()[0]) / 1024
    except OSError:
        return {}
    return found


# -- the window's side ------------------------------------------------------------------------------


def service_command(kb_path: Path) -> list[str]:
    """The command that runs the service for *kb_path*: the bundle's executable, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, SERVICE_FLAG, str(kb_path)]
    return [sys.executable, "-m", "ldn_browser", SERVICE_FLAG, str(kb_path)]


class SearchService:
    """The window's handle on a running search service (see the module's docstring).

    :meth:`start` launches it; :meth:`connect` (in a worker thread: it waits) sends the cache folder and
    waits for the index, returning a :class:`RemoteSearchIndex`; :meth:`close` ends it.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._lock = threading.Lock()
        self._closed = False
        self.cancelled = False

    @classmethod
    def start(cls, kb_path: Path, command: list[str] | None = None) -> SearchService | None:
        """Launch the service for *kb_path*; None (logged) when it cannot be started or is turned off."""
        if os.environ.get(DISABLE_ENV, "").strip() == "0":
            return None
        try:
            process = subprocess.Popen(  # noqa: S603 - our own executable, a fixed argument list
                command or service_command(kb_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
            )
        except OSError as e:
            log.warning("search service not started (%s): the index opens in the window's process", e)
            return None
        return cls(process)

    @property
    def pid(self) -> int:
        """The service's process id."""
        return self._process.pid

    @property
    def running(self) -> bool:
        """True while the process has not ended."""
        return self._process.poll() is None

    def _send(self, message: object) -> None:
        stdin = self._process.stdin
        if self._closed or stdin is None:
            raise ServiceError("the search service was closed")
        try:
            write_frame(stdin, message)
        except (OSError, ValueError) as e:
            raise ServiceError(f"the search service ended ({self._ended()})") from e

    def _receive(self, timeout: float) -> Any:
        stdout = self._process.stdout
        if stdout is None:  # pragma: no cover - always a pipe
            raise ServiceError("the search service has no output")
        try:
            message = read_frame(stdout, timeout)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError) as e:
            raise ServiceError(f"the search service sent an unreadable answer: {e}") from e
        if message is None:
            raise ServiceError(f"the search service ended ({self._ended()})")
        return message

    def _ended(self) -> str:
        try:
            code = self._process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        return f"exit code {code}"

    def connect(
        self, cache_dir: Path | None, digest: Callable[[], str], progress: Callable[[int, int], None] | None = None
    ) -> RemoteSearchIndex:
        """Ask the service to open its index and wait for it; check that it is the KB shown (*digest*).

        Raises:
            ServiceError: the service failed, ended, timed out or opened another knowledge base (it is closed).
        """
        try:
            with self._lock:
                self._send(("open", str(cache_dir) if cache_dir is not None else None))
                while True:
                    message = self._receive(OPEN_TIMEOUT_S)
                    if message[0] == "progress":
                        if progress is not None:
                            progress(message[1], message[2])
                        continue
                    break
            if message[0] == "failed":
                raise ServiceError(f"the search service could not open the index: {message[1]}")
            if message[0] != "ready":
                raise ServiceError(f"the search service answered {message[0]!r} to open")
            info = message[1]
            if info["digest"] != digest():
                raise ServiceError("the search service opened another version of the knowledge base")
        except BaseException:
            self.close()
            raise
        location = Path(info["location"]) if info["location"] is not None else None
        return RemoteSearchIndex(
            self, storage_note=info["storage_note"], built_now=info["built_now"], location=location
        )

    def search(self, text: str, limit: int) -> SearchResults:
        """Send one query and wait for its answer.

        Raises:
            SearchError: the search failed in the service, or the service ended or stopped answering (then
                with ``cache_discarded`` set, so the window opens an index of its own and asks again).
        """
        from ldn_browser.core.search.results import SearchError

        try:
            with self._lock:
                self._send(("search", text, limit))
                message = self._receive(SEARCH_TIMEOUT_S)
        except ServiceError as e:
            self.close()
            raise SearchError(str(e), cache_discarded=True) from e
        if message[0] == "results":
            results: SearchResults = message[1]
            return results
        if message[0] == "error":
            raise SearchError(message[1], cache_discarded=bool(message[2]))
        self.close()
        raise SearchError(f"the search service answered {message[0]!r} to a search", cache_discarded=True)

    def cancel(self) -> None:
        """End the service because the window no longer needs it (a :meth:`connect` waiting raises)."""
        self.cancelled = True
        self.close()

    def memory(self) -> dict[str, float]:
        """The service's memory (``rss_mb`` after a collection, ``peak_rss_mb``; empty where not known).

        Raises:
            ServiceError: the service ended or did not answer.
        """
        with self._lock:
            self._send(("stats",))
            message = self._receive(SEARCH_TIMEOUT_S)
        if message[0] != "stats":
            raise ServiceError(f"the search service answered {message[0]!r} to stats")
        stats: dict[str, float] = message[1]
        return stats

    def close(self) -> None:
        """End the service: close its stdin (it exits), wait briefly, kill it if it has not; then close its stdout.

        Its stdout is closed last: a :meth:`connect` waiting on it in another thread then sees the end of the
        file (the process has ended) and raises :class:`ServiceError`.
        """
        if self._closed:
            return
        self._closed = True
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe: it has ended already
                self._process.stdin.close()
        try:
            self._process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5.0)
        if self._process.stdout is not None:
            with contextlib.suppress(OSError):
                self._process.stdout.close()


class RemoteSearchIndex:
    """What the window needs of a :class:`~ldn_browser.core.search.index.SearchIndex`, answered by the service."""

    def __init__(
        self, service: SearchService, *, storage_note: str | None, built_now: bool, location: Path | None
    ) -> None:
        self.service = service
        self.storage_note = storage_note
        self.built_now = built_now
        self.location = location

    def search(self, text: str, limit: int = 30) -> SearchResults:
        """The service's answer (see :meth:`SearchService.search`)."""
        return self.service.search(text, limit)

    def close(self) -> None:
        """End the service."""
        self.service.close()


__all__ = ["DISABLE_ENV", "SERVICE_FLAG", "RemoteSearchIndex", "SearchService", "ServiceError", "main"]
