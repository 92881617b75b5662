"""Loading the knowledge base: validated completely, or not at all, with one error type."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from ldn_browser.core import snapshot
from ldn_browser.core.blocks import MAX_ENTRIES_PER_LIST, MAX_ENTRIES_TOTAL, MAX_ITEMS
from ldn_browser.core.entities import CrossReferenceError, KbModel, KnowledgeBase

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

    Only a regular file is read, opened without blocking (a FIFO or a device is refused, never
    waited on) and read to at most ``MAX_KB_BYTES + 1`` bytes whatever ``stat()`` says. A file with
    exactly the bytes of the build-time snapshot (:mod:`ldn_browser.core.snapshot`) is not validated
    again: the snapshot is the same code's validation of the same bytes.

    Raises:
        KbError: for any problem: unreadable, not UTF-8, malformed JSON, invalid content.
    """
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_KB_BYTES)
    except FileNotFoundError:
        raise KbError(path, [Problem("", "file not found")]) from None
    except OSError as e:
        raise KbError(path, [Problem("", f"cannot read: {e.strerror or e}")]) from None
    validated = snapshot.read(raw)  # exactly the bundled KB's bytes: validated when the app was built
    return validated if validated is not None else parse_kb(raw, path)


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file *path*; KbError for anything else or for more than *limit* bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except OSError:  # a socket cannot be opened at all ("No such device or address"): say what it is
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
            if stat.S_ISSOCK(mode):
                raise KbError(path, [Problem("", f"is {_special_kind(mode)}, not a knowledge-base file")]) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a directory" if stat.S_ISDIR(info.st_mode) else _special_kind(info.st_mode)
            raise KbError(path, [Problem("", f"is {what}, not a knowledge-base file")])
        if info.st_size > limit:
            raise KbError(path, [_too_big(info.st_size, limit)])
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise KbError(path, [_too_big(total, limit, more=True)])
        return b"".join(chunks)
    finally:
        os.close(fd)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(size: int, limit: int, *, more: bool = False) -> Problem:
    return Problem(
        "",
        f"file is {'more than ' if more else ''}{size / 1e6:.1f} MB; "
        f"a knowledge base larger than {limit // 2**20} MB is refused",
    )


def parse_kb(raw: bytes, path: Path | str = "<memory>") -> KnowledgeBase:
    """Parse and validate KB bytes; *path* is only used in error messages.

    Memory stays bounded: the JSON is parsed with caps (objects, digits, nesting), its shape is
    checked against the list caps before any model is built, and entries are validated one at a
    time, stopping after :data:`MAX_PROBLEMS` problems (pydantic would otherwise build every error
    of a file of 200,000 empty objects: about 6 kB each).
    """
    path = Path(path)
    data = _parse_json(raw, path)
    check_shape(data, path)
    problems: list[Problem] = []
    lists: dict[str, list[Any]] = {}
    for name, model in _entry_models():
        items = data.get(name)
        if not isinstance(items, list):
            continue
        built: list[Any] = []
        for i, item in enumerate(items):
            try:
                built.append(model.model_validate(item))
            except ValidationError as e:
                problems += _problems(e, (name, i))[: MAX_PROBLEMS - len(problems)]
                if len(problems) >= MAX_PROBLEMS:
                    raise KbError(path, problems) from None
        lists[name] = built
    if problems:  # the rest (meta, unknown keys) without the entries: cross-references would mislead
        lists = {name: [] for name in lists}
    try:
        kb = KnowledgeBase.model_validate({**data, **lists})
    except ValidationError as e:
        more = _problems(e, (), cross_references=not problems)
        raise KbError(path, (problems + more)[:MAX_PROBLEMS]) from None
    except RecursionError:
        raise KbError(path, [Problem("", "structure nested too deeply")]) from None
    if problems:
        raise KbError(path, problems)
    return kb


def _entry_models() -> list[tuple[str, type[KbModel]]]:
    out: list[tuple[str, type[KbModel]]] = []
    for name, _kind in KnowledgeBase.entry_lists():
        model = get_args(KnowledgeBase.model_fields[name].annotation)[0]
        out.append((name, model))
    return out


MAX_PROBLEMS = 20
"""Problems reported (and built) at most; validation stops there."""
MAX_JSON_OBJECTS = 1_000_000
"""JSON objects parsed at most (a 10,000-entry KB has about 120,000)."""
MAX_INT_DIGITS = 20
"""Longer integer literals are refused before Python converts them (its own limit raises ValueError)."""
MAX_DEPTH = 24
"""Nesting depth of arrays and objects (the KB's own is 7)."""


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
    counter = _ObjectCounter()
    try:
        data = json.loads(
            text, object_pairs_hook=counter, parse_constant=_no_constant, parse_int=_bounded_int, parse_float=_finite
        )
    except json.JSONDecodeError as e:
        raise KbError(path, [_json_syntax_problem(e)]) from None
    except _JsonValueError as e:
        raise KbError(path, [Problem("", f"malformed JSON: {e}")]) from None
    except _DuplicateKeyError as e:
        raise KbError(path, [Problem("", f"malformed JSON: key {e.key!r} appears twice in one object")]) from None
    except RecursionError:
        raise KbError(path, [Problem("", "malformed JSON: nested too deeply")]) from None
    except (ValueError, MemoryError) as e:  # any other decoding limit: still the one KB error
        raise KbError(path, [Problem("", f"malformed JSON: {type(e).__name__}: {e}")]) from None
    if not isinstance(data, dict):
        raise KbError(path, [Problem("$", f"expected a JSON object at the top level, found {type(data).__name__}")])
    return data


def _json_syntax_problem(e: json.JSONDecodeError) -> Problem:
    """*e* as a whole sentence: json's own message leaves out the position ("Unterminated string starting at").

    The line and column go into the sentence, not only into the ``FILE:LINE:COLUMN:`` location; a file that ends
    before its JSON does (an unterminated string, or nothing left where more was expected) says it may be cut short.
    """
    where = f"line {e.lineno}, column {e.colno}"
    what = e.msg[:1].lower() + e.msg[1:]
    sentence = f"{what} {where}" if what.endswith(" at") else f"{what} at {where}"
    if e.msg.startswith("Unterminated string") or not e.doc[e.pos :].strip():
        sentence += "; the file ends before its JSON does: it may be cut short (an incomplete copy or download)"
    return Problem(f"{e.lineno}:{e.colno}", f"malformed JSON: {sentence}")


class _JsonValueError(ValueError):
    """A value the KB's JSON may not hold (with the reason as its message)."""


def _no_constant(name: str) -> Any:
    raise _JsonValueError(f"{name} is not a number a knowledge base may hold")


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonValueError(f"an integer with {len(literal.lstrip('-'))} digits is out of range")
    return int(literal)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _JsonValueError(f"{literal[:40]} is out of range")
    return value


class _ObjectCounter:
    """``object_pairs_hook``: refuses duplicate keys and more than :data:`MAX_JSON_OBJECTS` objects."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        self.count += 1
        if self.count > MAX_JSON_OBJECTS:
            raise _JsonValueError(f"more than {MAX_JSON_OBJECTS:,} objects; this is not a knowledge base")
        return _no_duplicate_keys(pairs)


def check_shape(data: dict[str, Any], path: Path) -> None:
    """Refuse, before any model is built, what no valid KB holds: deep nesting, lists over their caps,
    lone surrogates. Iterative, so it cannot overflow the stack."""
    total = 0
    for name, _model in _entry_models():
        items = data.get(name)
        if isinstance(items, list):
            total += len(items)
            if len(items) > MAX_ENTRIES_PER_LIST:
                raise KbError(path, [Problem(f"$.{name}", f"{len(items):,} entries; at most {MAX_ENTRIES_PER_LIST:,}")])
    if total > MAX_ENTRIES_TOTAL:
        raise KbError(path, [Problem("$", f"{total:,} entries in all; at most {MAX_ENTRIES_TOTAL:,} are accepted")])
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, loc, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise KbError(path, [Problem(loc, "nested too deeply")])
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(key, loc, path)
                stack.append((item, f"{loc}.{key}", depth + 1))
        elif isinstance(value, list):
            if depth > 1 and len(value) > MAX_ITEMS:
                raise KbError(path, [Problem(loc, f"list of {len(value):,} items; at most {MAX_ITEMS:,}")])
            stack.extend((item, f"{loc}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, loc, path)


def _check_string(value: str, loc: str, path: Path) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise KbError(path, [Problem(loc, f"lone surrogate \\u{ord(value[e.start]):04x} is not text")]) from None


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


def _problems(e: ValidationError, prefix: tuple[int | str, ...], *, cross_references: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    for err in e.errors(include_url=False)[:MAX_PROBLEMS]:
        loc = prefix + tuple(err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, CrossReferenceError):
            if cross_references:
                where = _format_loc(loc) + "." + cause.location if loc else "$." + cause.location
                problems.append(Problem(where, cause.message))
            continue
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field; remove it or check its spelling"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "too_short" and loc and loc[-1] in ("source_ids", "repeated_in"):
            msg = f"at least one id is required in {loc[-1]}; cite the source(s) the statement rests on"
        problems.append(Problem(_format_loc(loc), msg))
    return problems


def kb_digest(kb: KnowledgeBase) -> str:
    """A stable hex digest of the KB content (used to key the search-index cache); computed once per KB."""
    digest = kb._digest_cache
    if digest is None:
        digest = kb._digest_cache = hashlib.sha256(kb.model_dump_json().encode("utf-8")).hexdigest()
    return digest
