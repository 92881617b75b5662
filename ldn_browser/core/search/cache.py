"""The index's lifecycle: build, open, validate, cache on disk, fall back to memory.

The bundled KB's index is built when the app is built or installed (:func:`write_prebuilt_index`,
run by ``tools/build_index.py`` from ``tools/dev.py``, ``build.spec`` and the wheel build) into
``ldn_browser/core/search/prebuilt/`` and opened read-only from there when its ``READY`` file names
this :data:`INDEX_VERSION` and the digest of the KB being opened: start-up then never builds it,
cold cache or warm. Any other KB (or a stale or missing prebuilt index) uses the user cache below.

``cache_dir/search-v{INDEX_VERSION}-{digest}``: built in a temporary sibling and swapped in with
``os.replace``; validated on reuse; a missing, stale, corrupt or unwritable cache means a rebuild or
an in-memory index (with ``storage_note`` saying why), never an exception. Building uses a one-pass
analyzer, a counted ``text`` field and a segment writer that keeps postings per term
(:mod:`~ldn_browser.core.search.writer`), all checked against Whoosh's own by the tests.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.kb import kb_digest
from ldn_browser.core.search.documents import INDEX_VERSION, EntryText, build_schema
from ldn_browser.core.search.index import SearchIndex

log = logging.getLogger(__name__)

_READY_FILE = "READY"
_INDEX_PREFIX = "search-v"

PREBUILT_DIR = Path(__file__).resolve().parent / "prebuilt"
"""Where the bundled KB's index is built at build/install time (package data; inside the bundle too)."""


class _MemoryStorage(RamStorage):
    """RAM storage whose writer spills posting runs to a private temporary folder.

    Whoosh's ``RamStorage.temp_storage`` uses the fixed folder ``$TMPDIR/MAIN.tmp``, shared by every
    process and thread building an in-memory index at the same time (one deletes the other's runs).
    """

    def __init__(self) -> None:
        super().__init__()
        self._scratch: list[str] = []

    def temp_storage(self, name: str | None = None) -> FileStorage:
        """A private scratch folder (removed by :meth:`remove_scratch`)."""
        folder = tempfile.mkdtemp(prefix="ldn-search-runs-")
        self._scratch.append(folder)
        return FileStorage(folder).create()

    def remove_scratch(self) -> None:
        """Delete the scratch folders once the index is written.

        The writer removes its own, but Whoosh's per-document writer leaves an empty one behind.
        """
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self._scratch.clear()


def _write_index(ix: Any, kb: KnowledgeBase, progress: Callable[[int, int], None] | None) -> dict[str, EntryText]:
    """Write *kb* into the empty index *ix* (the writer and Whoosh's are imported only to build: ~5 ms less to open)."""
    from ldn_browser.core.search.writer import write_index

    return write_index(ix, kb, progress)


def _build_in_memory(kb: KnowledgeBase, progress: Callable[[int, int], None] | None, note: str | None) -> SearchIndex:
    storage = _MemoryStorage()
    try:
        ix = storage.create_index(build_schema())
        texts = _write_index(ix, kb, progress)
    finally:
        storage.remove_scratch()
    return SearchIndex(kb, ix, storage_note=note, built_now=True, location=None, texts=texts)


def _file_digests(path: Path) -> dict[str, str]:
    """SHA-256 of every index file in *path* (the stamp and Whoosh's empty lock file excepted)."""
    out: dict[str, str] = {}
    for child in sorted(path.iterdir()):
        if child.name == _READY_FILE or child.name.endswith("WRITELOCK"):
            continue
        if not child.is_file():
            raise OSError(f"{child.name} is not a file")
        digest = hashlib.sha256()
        with child.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        out[child.name] = digest.hexdigest()
    return out


def _write_ready(path: Path, digest: str) -> None:
    """The ready stamp: the index version, the KB digest, then a digest line per index file."""
    lines = [f"{INDEX_VERSION} {digest}", *(f"{h} {name}" for name, h in _file_digests(path).items())]
    (path / _READY_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


_OTHER_STAMP = "stamp of another version or KB"


def _ready_problem(path: Path, digest: str) -> str | None:
    """Why the cached index at *path* may not be used (None when its stamp and every file check out)."""
    try:
        lines = (path / _READY_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return "no ready stamp"
    if not lines or lines[0].strip() != f"{INDEX_VERSION} {digest}":
        return _OTHER_STAMP
    recorded: dict[str, str] = {}
    for line in lines[1:]:
        hexdigest, _, name = line.partition(" ")
        if name:
            recorded[name] = hexdigest
    if not recorded:
        return "stamp without file digests"
    try:
        actual = _file_digests(path)
    except OSError as e:
        return f"cannot read the index files ({e})"
    if actual != recorded:
        changed = sorted(set(actual.items()) ^ set(recorded.items()))
        return f"index files changed since they were written ({', '.join(sorted({n for n, _ in changed})[:3])})"
    return None


def mark_bad(path: Path) -> bool:
    """Remove the ready stamp of the cached index at *path*, so the next open rebuilds it."""
    try:
        (path / _READY_FILE).unlink()
    except FileNotFoundError:
        return True
    except OSError as e:
        log.warning("cannot mark the search index at %s bad (%s)", path, e)
        return False
    log.warning("search index at %s marked bad; it is rebuilt when next opened", path)
    return True


def _index_dir(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{_INDEX_PREFIX}{INDEX_VERSION}-{digest[:20]}"


def _open_existing(kb: KnowledgeBase, path: Path, digest: str, *, readonly: bool = False) -> SearchIndex | None:
    """Open a valid cached index, or None when it is missing, incomplete, stale or corrupt.

    Every index file is checked against the digest recorded in its ready stamp, so a flipped bit
    anywhere means a rebuild, never wrong or failing searches on every later start (review D9).
    """
    problem = _ready_problem(path, digest)
    if problem is not None:
        if readonly and problem == _OTHER_STAMP:  # the prebuilt index is the bundled KB's; another KB never uses it
            log.debug("prebuilt search index at %s is not this KB's", path)
        elif (path / _READY_FILE).exists():
            log.warning("search index at %s not reused: %s; rebuilding", path, problem)
        return None
    with warnings.catch_warnings():
        # Whoosh leaves the file it failed to read open: it is finalised when the traceback goes.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = whoosh_index.open_dir(str(path), readonly=readonly)
        except Exception as e:  # noqa: BLE001 - any failure to read the cache means "rebuild"
            log.warning("search index at %s unusable (%s: %s); rebuilding", path, type(e).__name__, str(e))
            ix = None
        if ix is not None:
            try:
                index = SearchIndex(kb, ix, storage_note=None, built_now=False, location=path)
                if not readonly:  # the prebuilt index is read-only: a failure there falls back to the user cache
                    index.on_failure = lambda _exc: mark_bad(path)
                return index
            except Exception as e:  # noqa: BLE001
                log.warning("search index at %s unusable (%s: %s); rebuilding", path, type(e).__name__, str(e))
                with contextlib.suppress(Exception):  # closing a broken index may fail too; it is rebuilt anyway
                    ix.close()
        gc.collect()
    return None


def _remove_tree(path: Path) -> None:
    """Delete a folder, first renaming it aside so that a half-deleted folder is never reused."""
    if not path.exists():
        return
    trash = path.with_name(f".trash-{uuid.uuid4().hex}")
    try:
        os.replace(path, trash)
    except OSError:
        trash = path
    shutil.rmtree(trash, ignore_errors=True)


def _clean_old(cache_dir: Path, keep: Path) -> None:
    """Remove other versions' indexes and leftovers older than a day (best effort)."""
    now = time.time()
    try:
        children = list(cache_dir.iterdir())
    except OSError:
        return
    for child in children:
        if child == keep or not child.name.startswith((_INDEX_PREFIX, ".tmp-search", ".trash-")):
            continue
        try:
            old = now - child.stat().st_mtime > 86_400
        except OSError:
            continue
        if old or child.name.startswith(".trash-"):
            shutil.rmtree(child, ignore_errors=True)


def write_prebuilt_index(kb: KnowledgeBase, folder: Path = PREBUILT_DIR) -> Path:
    """Build *kb*'s index into *folder* (replacing what is there), stamped with its version and KB digest.

    Built beside *folder* and swapped in, so a reader never sees half an index. Returns *folder*.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-prebuilt-", dir=folder.parent))
    try:
        ix = FileStorage(str(tmp)).create_index(build_schema())
        _write_index(ix, kb, None)
        ix.close()
        (tmp / "MAIN_WRITELOCK").unlink(missing_ok=True)  # opened read-only: no writer ever needs it
        _write_ready(tmp, kb_digest(kb))  # version, KB digest and a digest per file, checked at every open
        _remove_tree(folder)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def prebuilt_is_current(kb: KnowledgeBase, folder: Path = PREBUILT_DIR) -> bool:
    """True when *folder* holds the index of *kb* at this :data:`INDEX_VERSION`, every file as stamped."""
    return _ready_problem(Path(folder), kb_digest(kb)) is None


def open_prebuilt_index(kb: KnowledgeBase, prebuilt: Path = PREBUILT_DIR) -> SearchIndex | None:
    """The read-only index built with the app if it is *kb*'s (version and KB digest), else None (never raises
    for a missing, stale or damaged one). The first thing :func:`open_search_index` tries; the search process
    (``service``) opens it before the window has said where its cache is."""
    return _open_existing(kb, Path(prebuilt), kb_digest(kb), readonly=True)


def open_search_index(
    kb: KnowledgeBase,
    cache_dir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    prebuilt: Path | None = PREBUILT_DIR,
) -> SearchIndex:
    """Open the search index for *kb*: the prebuilt one if it is *kb*'s, else reuse a valid cache, or build one.

    Args:
        kb: the knowledge base to index.
        cache_dir: folder for the on-disk cache (e.g. ``paths.user_cache_dir()``); None for an
            in-memory index (the prebuilt index is then not used either).
        progress: called with (entries indexed, total) while building; never called on reuse.
        prebuilt: the read-only index built with the app (:func:`write_prebuilt_index`); used only
            when its version and KB digest match *kb*. None: never use one.

    Returns:
        The index. Cache problems (corrupt, stale, unwritable) never raise: the index is rebuilt, or
        kept in memory with ``storage_note`` saying why.
    """
    if cache_dir is None:
        return _build_in_memory(kb, progress, None)
    digest = kb_digest(kb)
    if prebuilt is not None:
        found = open_prebuilt_index(kb, prebuilt)
        if found is not None:
            return found
    cache_dir = Path(cache_dir)
    final = _index_dir(cache_dir, digest)
    found = _open_existing(kb, final, digest)
    if found is not None:
        return found
    tmp: Path | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-search-", dir=cache_dir))
        ix = FileStorage(str(tmp)).create_index(build_schema())
        _write_index(ix, kb, progress)
        ix.close()
        _write_ready(tmp, digest)
    except Exception as e:  # noqa: BLE001 - unwritable or full cache: keep the index in memory
        log.warning("cannot write the search index under %s (%s); keeping it in memory", cache_dir, str(e))
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return _build_in_memory(kb, progress, "index kept in memory: cache folder not writable")
    try:
        os.replace(tmp, final)
    except OSError:
        # Another instance got there first (or a corrupt index is in the way).
        other = _open_existing(kb, final, digest)
        if other is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            other.built_now = True
            return other
        _remove_tree(final)
        try:
            os.replace(tmp, final)
        except OSError:
            final = tmp  # use our own copy where it is
    result = _open_existing(kb, final, digest)
    if result is None:
        log.warning("freshly built search index at %s could not be opened; keeping it in memory", final)
        return _build_in_memory(kb, None, "index kept in memory: cache folder unusable")
    result.built_now = True
    _clean_old(cache_dir, final)
    return result
