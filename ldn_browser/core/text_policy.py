"""The one text policy: how KB text, typed text, paths and error messages reach any output.

Every string that did not come from the app's own source code is *untrusted*: KB text, the
query typed, a file name, a validation message quoting a KB value. It reaches an output only
through one of these functions, so markup is never interpreted, a bidi override never reorders
what a reader sees, and a control sequence never reaches a terminal:

- :func:`clean_text`: drop control, bidi-override and zero-width characters (screen, paper, terminal);
- :func:`escape_text`: clean, then HTML-escape, for rich-text renderers (pages, snippets, sheets);
- :func:`tooltip_html`: a tooltip that is always rich text, but escaped (Qt guesses otherwise);
- :func:`menu_text`: action text where ``&`` is not a mnemonic and a tab is not a shortcut column;
- :func:`terminal_text`: one line or block for the command line (tabs and newlines kept).

No pydantic and no Qt: the window frame, the command line and the core renderers all use it.
``tests/core/test_text_policy.py`` and ``tests/ui/test_text_policy_widgets.py`` hold it to that.
"""

from __future__ import annotations

import html
import os
import re

UNSAFE_CHARS = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f"  # C0/C1 controls other than tab and newline (ESC, NUL, CR …)
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # bidi marks, overrides, zero-width
    "\ufff9-\ufffb"  # interlinear annotation controls
    "\ud800-\udfff]"  # lone surrogates (never valid text)
)
"""Characters that never belong in displayed text: bidi overrides could reorder what a reader sees."""

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Bidi marks, embeddings, overrides and isolates: refused in KB text at validation."""

FORBIDDEN_IN_KB = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
"""What :func:`kb_text_problem` refuses: controls (tab and newline allowed) and bidi controls."""


def clean_text(value: str) -> str:
    """Drop control, bidi-override and zero-width characters (nothing else changes)."""
    return UNSAFE_CHARS.sub("", value)


SENTENCE_ENDS = (".", "…", "?", "!")
"""Marks that already end a reference's part: no full stop is added after them ("prescri…", "et al.")."""


def with_stop(value: str) -> str:
    """*value* ending in one full stop: "Smith 2011" → "Smith 2011.", but "et al." or "prescri…" unchanged."""
    value = value.rstrip()
    return value if value.endswith(SENTENCE_ENDS) else f"{value}."


def shortened(value: str, limit: int) -> str:
    """*value* cut to at most *limit* characters with an ellipsis, no space or punctuation left before it."""
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip(" .,;:–-") + "…"


QUERY_SHOWN_CHARS = 80
"""A query quoted back to the user (a search notice, the results' heading) is cut to this many characters: a pasted
page had been echoed whole, five lines of the search popup."""


def quoted_query(text: str) -> str:
    """*text* as quoted back to the user: runs of spaces and line breaks as one space, cut to
    :data:`QUERY_SHOWN_CHARS` with an ellipsis."""
    return shortened(" ".join(text.split()), QUERY_SHOWN_CHARS)


def escape_text(value: str, *, line_breaks: bool = False) -> str:
    """Clean, then HTML-escape (quotes included) text for any rich-text renderer.

    Args:
        value: Any untrusted string.
        line_breaks: Turn newlines into ``<br>``.
    """
    out = html.escape(clean_text(value), quote=True)
    return out.replace("\n", "<br>") if line_breaks else out


def tooltip_html(value: str) -> str:
    """A tooltip that Qt always treats as rich text, with *value* escaped inside it.

    ``QToolTip`` renders any string that "might be rich text"; wrapping the escaped text in a
    paragraph removes the guess, so a title such as ``<img src=file:…>`` shows as those characters.
    """
    return "<p style='white-space:pre-wrap'>" + escape_text(value, line_breaks=True) + "</p>" if value else ""


def menu_text(value: str) -> str:
    """Action text: cleaned, ``&`` doubled (no mnemonic), tabs and newlines as spaces (no shortcut column)."""
    return re.sub(r"[\t\n]+", " ", clean_text(value)).replace("&", "&&")


def terminal_text(value: str) -> str:
    """Text for a terminal: no escape sequences, NULs or other controls (tabs and newlines kept)."""
    return clean_text(value)


def path_text(path: object) -> str:
    """A file path as a person should read it, on one line: undecodable bytes shown as U+FFFD, a newline or
    tab in a name as ``\\n`` or ``\\t``, then cleaned.

    (``str()`` of a path with non-UTF-8 bytes holds lone surrogates, which Qt and terminals mangle; a newline
    in a file name would split "…/a", "b.pdf: 2 page(s)" over two lines.)
    """
    raw = os.fsencode(os.fspath(path)) if isinstance(path, (str, os.PathLike)) else str(path).encode()
    return clean_text(raw.decode("utf-8", "replace").replace("\n", "\\n").replace("\t", "\\t"))


def kb_text_problem(value: str) -> str | None:
    """Why *value* cannot be KB text (a control or bidi control character), or None if it can."""
    m = FORBIDDEN_IN_KB.search(value)
    if m is None:
        return None
    return (
        f"contains the invisible character U+{ord(m.group()):04X} at position {m.start()}; "
        "control and bidi-override characters would change what a reader sees: remove it"
    )
