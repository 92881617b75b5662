"""Small HTML pieces shared by the detail pages: every piece of KB text goes through :func:`e`.

The HTML stays inside Qt's *Supported HTML Subset* (tables, ``<b>``, inline colours). Internal
links are ``ldn:<target>``; the only external links are a source's PubMed, PMC and DOI pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ldn_browser.core.entities import Certainty, Entry, Evidence, KnowledgeBase, Source
from ldn_browser.core.pages import OVERVIEW_TARGET, WHY_PREFIX, href
from ldn_browser.core.presentation import badge_colours, direction_text, escape_text
from ldn_browser.core.vocab import Basis, Direction, Rating


def e(text: str) -> str:
    """Clean and escape KB text (the one escaping path of every screen renderer)."""
    return escape_text(text)


def unbroken(text: str) -> str:
    """*text* escaped and never cut across lines: a registry id ("EudraCT 2019-000852-32") broke at its hyphens.

    Ids written together ("EudraCT 2019-000852-32 / NL9259") may go on separate lines, each whole; each is one word
    (no-break spaces) to size its table column by."""
    pieces = (f"<span style='white-space:nowrap'>{e(p).replace(' ', '&nbsp;')}</span>" for p in text.split(" / "))
    return " / ".join(pieces)


def link(target: str, text: str) -> str:
    """An internal link to a page target."""
    return f'<a href="{e(href(target))}">{e(text)}</a>'


def para(text: str) -> str:
    """Paragraphs; blank lines in KB text start new paragraphs, single newlines become ``<br>``."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape_text(p, line_breaks=True)}</p>" for p in parts)


def h2(text: str) -> str:
    """A section heading."""
    return f'<h3 style="margin-top:14px; margin-bottom:4px">{e(text)}</h3>'


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of ready-made HTML items (empty string for none)."""
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<ul style='margin-top:2px'>{rows}</ul>" if rows else ""


def grade_badge(rating: Rating, *, dark: bool, target: str | None = None) -> str:
    """A badge: the grade's word and GRADE symbols (or the basis) on a coloured cell, optionally a link."""
    colours = badge_colours(rating, dark=dark)
    grade = rating
    text = f"&nbsp;{e(grade.badge_text).replace(' ', '&nbsp;')}&nbsp;"
    style = f"color:{colours.text}; background-color:{colours.background}; font-weight:600; text-decoration:none"
    if target is not None:
        return f'<a href="{e(href(target))}" style="{style}" title="{e(grade.accessible_name)}">{text}</a>'
    return f'<span style="{style}" title="{e(grade.accessible_name)}">{text}</span>'


def direction_line(direction: Direction) -> str:
    """Direction of effect in words with its glyph, e.g. "Direction of effect: ↑ Benefit"."""
    return f"Direction of effect: <b>{e(direction_text(direction))}</b>"


MIN_COLUMN_CHARS = 12
"""No table column on screen is narrower than this many characters (or its longest word)."""

_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


DIGIT_WIDTH = 1.2
"""A digit is about this many average characters wide: a column sized for "2019-000852-32" by its length was one
character short and cut it."""


def _longest_word(cell_html: str) -> int:
    text = _ENTITY.sub("x", _TAG.sub(" ", cell_html.replace("&nbsp;", "\u00a0")))
    words = re.split(r"[ \t\r\n]+", text)  # a no-break space joins words
    return max((math.ceil(len(w) + (DIGIT_WIDTH - 1) * sum(c.isdigit() for c in w)) for w in words), default=0)


def column_widths(headers: list[str], rows: list[list[str]], weights: list[int], width_chars: int) -> list[int] | None:
    """Column percentages that give every column at least its minimum, or None when they cannot fit.

    A column's minimum is :data:`MIN_COLUMN_CHARS` or its longest word (header included), plus two
    characters for padding and rules; *weights* share out what is left (0 and -1 count as narrow).
    """
    mins = [
        max(MIN_COLUMN_CHARS, _longest_word(e(h)), *(_longest_word(r[i]) for r in rows)) + 2
        for i, h in enumerate(headers)
    ]
    if sum(mins) * 1.1 > width_chars:
        return None
    shares = [w if w > 0 else 6 for w in weights]
    pct = [100.0 * s / sum(shares) for s in shares]
    floor = [100.0 * 1.1 * m / width_chars for m in mins]
    pinned: set[int] = set()
    while True:  # pin the columns below their floor, share the rest out again by weight
        newly = {i for i in range(len(pct)) if i not in pinned and pct[i] < floor[i]}
        if not newly:
            break
        pinned |= newly
        free = 100.0 - sum(floor[i] for i in pinned)
        rest = sum(shares[i] for i in range(len(pct)) if i not in pinned)
        pct = [floor[i] if i in pinned else free * shares[i] / rest if rest else 0.0 for i in range(len(pct))]
    out = [max(1, int(p)) for p in pct]
    out[out.index(max(out))] += 99 - sum(out)  # whole percentages; 1 % left for the rules between cells
    return out


def stacked(cards: Iterable[list[str]]) -> str:
    """Cards instead of a table: one ruled box per row, its lines (ready-made HTML) one under another."""
    body = "".join(f"<tr><td valign='top'>{'<br>'.join(x for x in card if x)}</td></tr>" for card in cards)
    return (
        "<table border='1' cellspacing='0' cellpadding='5' width='100%' "
        f"style='border-collapse:collapse; border-color:#8a8a8a'>{body}</table>"
    )


def table(
    headers: list[str], rows: list[list[str]], widths: list[int] | None = None, *, width_chars: int | None = None
) -> str:
    """A ruled table; *widths* are column percentages, 0 for "as narrow as the content", -1 for no wrapping.

    With *width_chars* (the width the view has, in characters) no column is narrower than its minimum
    (:func:`column_widths`); when that cannot hold, the rows become stacked cards (:func:`stacked`).
    """
    pct = widths or [0] * len(headers)
    if width_chars is not None:
        fitted = column_widths(headers, rows, pct, width_chars)
        if fitted is None:
            return stacked(
                [f"<b>{row[0]}</b>", *(f"<i>{e(h)}:</i> {c}" for h, c in zip(headers[1:], row[1:], strict=True) if c)]
                for row in rows
            )
        pct = fitted

    def attrs(w: int) -> str:
        return f" width='{w}%'" if w > 0 else " style='white-space:nowrap'" if w < 0 else ""

    head = "".join(f"<th align='left'{attrs(w)}>{e(h)}</th>" for h, w in zip(headers, pct, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td valign='top'{attrs(w)}>{cell}</td>" for cell, w in zip(row, pct, strict=True)) + "</tr>"
        for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' "
        "style='border-collapse:collapse; border-color:#8a8a8a; padding:3px'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def source_line(source: Source) -> str:
    """A source as one line: linked short citation, title, design and n."""
    meta = [source.design.label]
    if source.n is not None:
        meta.append(f"n = {source.n}")
    return " ".join((link(source.id, source.short_citation), e(source.title), f"<i>({e('; '.join(meta))})</i>"))


def sources_section(kb: KnowledgeBase, source_ids: Iterable[str], heading: str = "Sources") -> str:
    """A heading and one line per distinct source (empty string for none)."""
    sources = kb.sources_of(source_ids)
    return h2(heading) + bullets(source_line(s) for s in sources) if sources else ""


def certainty_block(entry: Entry, certainty: Certainty, *, dark: bool, inline: bool) -> str:
    """The grade badge with a "why this grade" link, and the direction for efficacy evidence."""
    if not inline:
        return ""
    why = WHY_PREFIX + entry.id
    badge = grade_badge(certainty.rating, dark=dark, target=why)
    if isinstance(certainty.rating, Basis):
        out = f"<p>Basis: {badge} &nbsp;{link(why, 'What this rests on')}</p>"
    else:
        out = f"<p>Certainty of evidence: {badge} &nbsp;{link(why, 'Why this grade?')}</p>"
    if isinstance(certainty, Evidence):
        out += f"<p>{direction_line(certainty.direction)}</p>"
    return out


def safety_box(kb: KnowledgeBase, *, dark: bool, first_only: bool = False) -> str:
    """ "Before prescribing": the KB's safety points, each linking to the entry that explains it.

    With *first_only* (condition pages) only the first point, the opioid rule, and a link to all of them.
    """
    points = kb.meta.safety_points[:1] if first_only else kb.meta.safety_points
    if not points:
        return ""
    border = "#e8a39b" if dark else "#8c2f25"
    if first_only:
        more = f" {link(points[0].entry_id, 'More…')} &middot; {link(OVERVIEW_TARGET, 'All safety points')}"
        items = f"<p style='margin-top:2px; margin-bottom:0'>{e(points[0].text)}{more}</p>"
    else:
        items = bullets(f"{e(p.text)} {link(p.entry_id, 'More…')}" for p in points)
    return (
        f"<table width='100%' cellspacing='0' cellpadding='6' style='border-style:solid; border-width:2px; "
        f"border-color:{border}; margin-bottom:8px'><tr><td><b style='color:{border}'>Before prescribing</b>"
        f"{items}</td></tr></table>"
    )
