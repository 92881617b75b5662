"""What sheet HTML may contain (Qt's rich-text subset) and how to read a sheet's outline back from it.

The outline (headings and the first words of each paragraph, list item and table row) is the reference the
printing completeness tests check a PDF against.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldn_browser.core.sheet import SheetDocument


ALLOWED_TAGS = frozenset(
    {
        "html",
        "head",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "div",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "b",
        "i",
        "br",
        "ol",
        "ul",
        "li",
        "sup",
    }
)
"""Tags the sheet HTML may contain: a subset of what QTextDocument supports."""


ALLOWED_ATTRIBUTES = frozenset({"style", "class", "width", "cellspacing", "cellpadding", "bgcolor", "align", "rowspan"})
"""Attributes the sheet HTML may use (no href, src or event handlers)."""


ALLOWED_CSS = frozenset(
    {
        "background-color",
        "color",
        "font-size",
        "font-weight",
        "font-style",
        "text-align",
        "vertical-align",
        "white-space",
        "margin-top",
        "margin-bottom",
        "margin-left",
        "margin-right",
        "padding",
        "padding-top",
        "padding-bottom",
        "padding-left",
        "padding-right",
        "border-collapse",
        "border-style",
        "border-width",
        "border-color",
        "border-bottom-style",
        "border-bottom-width",
        "border-bottom-color",
        "border-top-style",
        "border-top-width",
        "border-top-color",
        "border-left-style",
        "border-left-width",
        "border-left-color",
        "border-right-style",
        "border-right-width",
        "border-right-color",
        "page-break-before",
        "line-height",
        "width",
        "-qt-list-indent",
    }
)
"""CSS properties the sheet HTML may use: all are in Qt's supported subset."""


@dataclass(frozen=True)
class SheetOutline:
    """What one printed sheet must show, in reading order: the reference for "complete output".

    Attributes:
        title: The sheet's ``<h1>`` (what its pages' footers name).
        items: Each heading in full, and the first words of each paragraph, list item and table row
            (its first cell), in document order; the title is among them.
        headings: The ``<h1>``/``<h2>`` texts alone, in order.
    """

    title: str
    items: tuple[str, ...]
    headings: tuple[str, ...]


OUTLINE_WORDS = 4
"""How many leading words of a paragraph, list item or table row :func:`sheet_outline` keeps."""


def sheet_outline(doc: SheetDocument, *, words: int = OUTLINE_WORDS) -> list[SheetOutline]:
    """The structure of each sheet in ``doc``, read back from its HTML (pure; no Qt).

    Every sheet starts at an ``<h1>`` (the overline paragraph just before it belongs to it). Text
    is whitespace-collapsed, entities decoded; the ``<head>`` is ignored.

    Args:
        doc: A built document.
        words: Leading words kept per paragraph, list item or table row.

    Returns:
        One outline per sheet, in order.
    """
    parser = _OutlineParser(words)
    parser.feed(doc.html)
    parser.close()
    return parser.outlines()


class _OutlineParser(HTMLParser):
    _UNITS = frozenset({"h1", "h2", "h3", "p", "li", "td", "th"})

    def __init__(self, words: int) -> None:
        super().__init__(convert_charrefs=True)
        self._words = words
        self._in_head = False
        self._unit: str | None = None
        self._buffer: list[str] = []
        self._row_started = False
        self._items: list[tuple[str, str]] = []  # (tag, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif tag == "tr":
            self._row_started = False
        elif tag in self._UNITS and self._unit is None:
            if tag in ("td", "th"):
                if self._row_started:
                    return  # only a row's first cell
                self._row_started = True
            self._unit, self._buffer = tag, []
        elif tag == "br" and self._unit is not None:
            self._buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == self._unit:
            value = " ".join("".join(self._buffer).split())
            if value:
                self._items.append((tag, value))
            self._unit = None

    def handle_data(self, data: str) -> None:
        if self._unit is not None and not self._in_head:
            self._buffer.append(data)

    def outlines(self) -> list[SheetOutline]:
        sheets: list[list[tuple[str, str]]] = []
        for tag, value in self._items:
            if tag == "h1":
                overline = sheets[-1].pop() if sheets and sheets[-1] and sheets[-1][-1][0] == "p" else None
                if sheets and not sheets[-1]:
                    sheets.pop()
                sheets.append([overline] if overline else [])
            elif not sheets:
                sheets.append([])
            sheets[-1].append((tag, value))
        out = []
        for items in sheets:
            title = next((v for t, v in items if t == "h1"), "")
            kept = tuple(v if t.startswith("h") else " ".join(v.split()[: self._words]) for t, v in items)
            heads = tuple(v for t, v in items if t in ("h1", "h2"))
            out.append(SheetOutline(title=title, items=kept, headings=heads))
        return out
