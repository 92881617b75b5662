"""The bundled KB as validated when the app was built: read back at start-up instead of validated again.

Validating the KB needs pydantic to build a validator for every model (about half of importing them)
and then runs it over every entry: together ~100 ms of the time to the first pages (issue 19). The
build (``tools/build_index.py``, run by ``tools/dev.py``, ``build.spec`` and the wheel build) loads
the bundled KB the usual way and pickles the validated object into ``ldn_browser/core/prebuilt/``
(git-ignored, package data), with a stamp naming exactly what it was made from:

* the KB file's length and SHA-256: only a file with exactly those bytes is read from the snapshot
  (whatever its path: same bytes, same validated KB);
* the Python, pydantic and app versions, and a SHA-256 of every source file of ``ldn_browser/core``
  (the models, their validators and everything they call), so a changed model or rule never reads an
  old snapshot (a frozen bundle has no sources to compare: its snapshot is built with it, from the same
  sources, so there the versions alone are compared);
* the snapshot file's own SHA-256 (a damaged file is validated the usual way, never half-read).

Anything that does not match, or fails to read, means the usual validation: :func:`read` returns
None and never raises. This module imports no pydantic until a snapshot is actually read (so the
window can decide before importing the models whether their validators can wait: see
``model_options.defer_build``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_browser import __version__

if TYPE_CHECKING:
    from ldn_browser.core.entities import KnowledgeBase

log = logging.getLogger(__name__)

FORMAT = 3
"""Bump when the stamp or the stored form (a pickle, uncompressed since format 3) changes."""

SNAPSHOT_DIR = Path(__file__).resolve().parent / "prebuilt"
_PICKLE, _STAMP = "kb.pickle", "kb.stamp.json"
_CORE = Path(__file__).resolve().parent


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_digest() -> str | None:
    """A digest of every core source file, or None in a frozen bundle (which has none to read)."""
    if getattr(sys, "frozen", False):
        return None
    digest = hashlib.sha256()
    for path in sorted(_CORE.glob("*.py")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    from pydantic.version import VERSION as PYDANTIC  # light: no models, no validators

    return {"python": "{}.{}".format(*sys.version_info[:2]), "pydantic": PYDANTIC, "app": __version__}


def _stamp_for(raw: bytes) -> dict[str, Any]:
    """What a snapshot of *raw* made by this code is stamped with (no ``code`` in a frozen bundle)."""
    stamp: dict[str, Any] = {"format": FORMAT, "kb_bytes": len(raw), "kb_sha256": _sha256(raw), **_versions()}
    code = _code_digest()
    if code is not None:  # a frozen bundle's snapshot is built with it, from the same sources: the app version
        stamp["code"] = code
    return stamp


def _current_stamp(raw: bytes, folder: Path) -> dict[str, Any] | None:
    """The snapshot's stamp if it was made from these KB bytes by this code, else None (never raises)."""
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("kb_bytes") != len(raw):  # the cheap test first
        return None
    try:
        wanted = _stamp_for(raw)
    except OSError as e:  # a core source file that cannot be read: validate as usual
        log.debug("KB snapshot not checked: %s", e)
        return None
    if any(stamp.get(key) != value for key, value in wanted.items()):
        return None
    return stamp


def is_current(raw: bytes, folder: Path | None = None) -> bool:
    """True when *folder* (default :data:`SNAPSHOT_DIR`) holds the validated KB of these bytes, by this code."""
    return _current_stamp(raw, folder or SNAPSHOT_DIR) is not None


def matches_file(path: Path, folder: Path | None = None) -> bool:
    """True when the regular file *path* has exactly the bytes of the snapshot in *folder* (never raises).

    Only a regular file of the recorded length is read (a FIFO or a device is never opened).
    """
    folder = folder or SNAPSHOT_DIR
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        info = os.stat(path)
        if not isinstance(stamp, dict) or not stat.S_ISREG(info.st_mode) or info.st_size != stamp.get("kb_bytes"):
            return False
        with open(path, "rb") as f:
            raw = f.read(info.st_size + 1)
    except (OSError, ValueError):
        return False
    return is_current(raw, folder)


def read(raw: bytes, folder: Path | None = None) -> KnowledgeBase | None:
    """The validated KB of *raw* from the snapshot in *folder* (default :data:`SNAPSHOT_DIR`), or None.

    None means: validate *raw* as usual (no snapshot, another KB or code, a damaged or unreadable file).
    """
    folder = folder or SNAPSHOT_DIR
    stamp = _current_stamp(raw, folder)
    if stamp is None:
        return None
    from ldn_browser.core.entities import KnowledgeBase

    try:
        data = (folder / _PICKLE).read_bytes()
        if _sha256(data) != stamp.get("pickle_sha256"):
            log.warning("KB snapshot at %s is damaged; validating the KB instead", folder)
            return None
        kb = pickle.loads(data)  # noqa: S301 - our own build output, checked against its stamp
    except Exception as e:  # noqa: BLE001 - any failure to read the snapshot means "validate as usual"
        log.warning("KB snapshot at %s unusable (%s: %s); validating the KB instead", folder, type(e).__name__, e)
        return None
    if not isinstance(kb, KnowledgeBase):
        log.warning("KB snapshot at %s holds a %s; validating the KB instead", folder, type(kb).__name__)
        return None
    return kb


def write(raw: bytes, kb: KnowledgeBase, folder: Path | None = None) -> Path:
    """Write the snapshot of *kb*, validated from *raw*, into *folder* (default :data:`SNAPSHOT_DIR`).

    The pickle first, then the stamp, each replaced atomically: a reader sees the old pair, or a stamp
    whose pickle digest does not match (and validates), never a half-written file.
    """
    folder = folder or SNAPSHOT_DIR
    from ldn_browser.core.kb import kb_digest

    kb_digest(kb)  # kept in the KB: the search index's stamp check then needs no serializer either
    kb.entries()
    # Uncompressed (0.64 MB): read and checked in 0.4 ms; zlib made it 0.17 MB but 2.4 ms to read at every start-up.
    data = pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL)
    stamp = {**_stamp_for(raw), "pickle_sha256": _sha256(data)}
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    for name, content in ((_PICKLE, data), (_STAMP, json.dumps(stamp, indent=1).encode("utf-8"))):
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, 0o644)  # package data: readable by every user of an installed app
        os.replace(tmp, folder / name)
    return folder
