"""Small HTML pieces shared by the detail pages: every piece of KB text goes through :func:`e`.

The HTML stays inside Qt's *Supported HTML Subset* (tables, ``<b>``, inline colours). Internal
links are ``ldn:<target>``; the only external links are a source's PubMed, PMC and DOI pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from ldn_browser.core.entities import Certainty, Entry, Evidence, KnowledgeBase, Source
from ldn_browser.core.pages import WHY_PREFIX, href
from ldn_browser.core.presentation import badge_colours, direction_text, escape_text
from ldn_browser.core.vocab import Basis, Direction, Rating


def e(text: str) -> str:
    """Clean and escape KB text (the one escaping path of every screen renderer)."""
    return escape_text(text)


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


def table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A ruled table; *widths* are column percentages, 0 for "as narrow as the content", -1 for no wrapping."""
    pct = widths or [0] * len(headers)

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
