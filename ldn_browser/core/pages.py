"""Page targets, internal links, badge colours and dates: shared by the detail pages and the window.

No pydantic and no Qt, so the window frame can use these before the knowledge-base models load
(the window paints first; see ``ldn_browser.ui.app``). ``ldn_browser.core.detail`` re-exports them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ldn_browser.core.vocab import Grade

LINK_SCHEME = "ldn"
"""Scheme of internal links."""
WHY_PREFIX = "why:"
"""Target prefix of a "why this grade" page: ``why:condition:crohns-disease``."""
OVERVIEW_TARGET = "overview"
"""Target of the Overview page."""
STALE_AFTER_MONTHS = 12
"""Content older than this many months is flagged in the status bar."""


@dataclass(frozen=True)
class BadgeColours:
    """Background and text colour of a grade badge (colour is only the third cue)."""

    background: str
    text: str


# Chosen so that the word stays readable in grayscale: dark text on light fills (light palette),
# light text on dark fills (dark palette); the lightness steps differ per grade as well.
_BADGE_LIGHT = {
    Grade.HIGH: BadgeColours("#b7e4c7", "#0b3d1f"),
    Grade.MODERATE: BadgeColours("#d8ecb0", "#2f4207"),
    Grade.LOW: BadgeColours("#fde3a7", "#5a3b00"),
    Grade.VERY_LOW: BadgeColours("#f6c6c0", "#5c1410"),
}
_BADGE_DARK = {
    Grade.HIGH: BadgeColours("#1f5c3a", "#e4f7ea"),
    Grade.MODERATE: BadgeColours("#3f5418", "#f0f7dc"),
    Grade.LOW: BadgeColours("#6b4a0c", "#fff1d2"),
    Grade.VERY_LOW: BadgeColours("#6e2620", "#fde6e3"),
}


def badge_colours(grade: Grade, *, dark: bool) -> BadgeColours:
    """Badge colours for *grade* on a light or dark palette."""
    return (_BADGE_DARK if dark else _BADGE_LIGHT)[grade]


# ---------------------------------------------------------------------------------------------
# Links


def href(target: str) -> str:
    """Internal link for an entry id or page target, e.g. ``ldn:condition:crohns-disease``."""
    return f"{LINK_SCHEME}:{target}"


def parse_href(url: str) -> str | None:
    """The target of an internal link (``ldn:...``), or None for anything else."""
    prefix = f"{LINK_SCHEME}:"
    if url.startswith(prefix) and len(url) > len(prefix):
        return url[len(prefix) :]
    return None


def is_external_url(url: str) -> bool:
    """True for the http(s) links the detail pages may contain (PubMed, PMC, DOI)."""
    return url.startswith(("https://", "http://"))


def target_entity_id(target: str) -> str:
    """The entry id a page target is about (``why:<id>`` → ``<id>``)."""
    return target[len(WHY_PREFIX) :] if target.startswith(WHY_PREFIX) else target


# ---------------------------------------------------------------------------------------------
# Dates


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from *earlier* to *later* (negative if *later* is before)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day:
        months -= 1
    return months


def is_content_stale(content_as_of: dt.date, today: dt.date) -> bool:
    """True when the content is at least ``STALE_AFTER_MONTHS`` months older than *today*."""
    return months_between(content_as_of, today) >= STALE_AFTER_MONTHS


def format_date(value: dt.date) -> str:
    """An unambiguous date such as "30 Jun 2025"."""
    return f"{value.day} {value.strftime('%b')} {value.year}"
