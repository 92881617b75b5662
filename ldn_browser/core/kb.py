"""Loading the knowledge base: validated completely, or not at all, with one error type."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ldn_browser.core.entities import CrossReferenceError, KnowledgeBase

MAX_KB_BYTES = 20 * 1024 * 1024
"""Refuse files larger than this: the bundled KB is well under 1 MB."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a KB file: where (a JSON path, or line:column) and what."""

    location: str
    message: str


class KbError(Exception):
    """A knowledge-base file could not be loaded; names the file and the place inside it."""

    def __init__(self, path: Path | str, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems) or (Problem("", "unknown error"),)
        super().__init__(self.lines()[0])

    @property
    def location(self) -> str:
        """Location of the first problem."""
        return self.problems[0].location

    @property
    def message(self) -> str:
        """Message of the first problem."""
        return self.problems[0].message

    def lines(self) -> list[str]:
        """One ``FILE:LOCATION: message`` line per problem."""
        return [
            f"{self.path}:{p.location}: {p.message}" if p.location else f"{self.path}: {p.message}"
            for p in self.problems
        ]


def load_kb(path: Path | str) -> KnowledgeBase:
    """Read, parse and validate a KB file.

    Raises:
        KbError: for any problem: unreadable, not UTF-8, malformed JSON, invalid content.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise KbError(path, [Problem("", "is a directory, not a knowledge-base file")])
        size = path.stat().st_size
        if size > MAX_KB_BYTES:
            raise KbError(
                path,
                [
                    Problem(
                        "",
                        f"file is {size / 1e6:.1f} MB; "
                        f"a knowledge base larger than {MAX_KB_BYTES // 2**20} MB is refused",
                    )
                ],
            )
        raw = path.read_bytes()
    except KbError:
        raise
    except FileNotFoundError:
        raise KbError(path, [Problem("", "file not found")]) from None
    except OSError as e:
        raise KbError(path, [Problem("", f"cannot read: {e.strerror or e}")]) from None
    return parse_kb(raw, path)


def parse_kb(raw: bytes, path: Path | str = "<memory>") -> KnowledgeBase:
    """Parse and validate KB bytes; *path* is only used in error messages."""
    data = _parse_json(raw, Path(path))
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as e:
        raise KbError(path, _problems(e)) from None
    except RecursionError:
        raise KbError(path, [Problem("", "structure nested too deeply")]) from None


def _parse_json(raw: bytes, path: Path) -> Any:
    if not raw.strip():
        raise KbError(path, [Problem("", "file is empty; expected a JSON object")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise KbError(
            path, [Problem(f"{line}:{col}", f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8")]
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise KbError(path, [Problem(f"{e.lineno}:{e.colno}", f"malformed JSON: {e.msg}")]) from None
    except _DuplicateKeyError as e:
        raise KbError(path, [Problem("", f"malformed JSON: key {e.key!r} appears twice in one object")]) from None
    except RecursionError:
        raise KbError(path, [Problem("", "malformed JSON: nested too deeply")]) from None
    if not isinstance(data, dict):
        raise KbError(path, [Problem("$", f"expected a JSON object at the top level, found {type(data).__name__}")])
    return data


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKeyError(k)
        out[k] = v
    return out


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _problems(e: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in e.errors(include_url=False)[:20]:
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, CrossReferenceError):
            problems.append(
                Problem(
                    _format_loc(err["loc"]) + "." + cause.location if err["loc"] else "$." + cause.location,
                    cause.message,
                )
            )
            continue
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field; remove it or check its spelling"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "too_short" and err["loc"] and err["loc"][-1] in ("source_ids", "repeated_in"):
            msg = f"at least one id is required in {err['loc'][-1]}; cite the source(s) the statement rests on"
        problems.append(Problem(_format_loc(err["loc"]), msg))
    return problems


def kb_digest(kb: KnowledgeBase) -> str:
    """A stable hex digest of the KB content (used to key the search-index cache)."""
    return hashlib.sha256(kb.model_dump_json().encode("utf-8")).hexdigest()
