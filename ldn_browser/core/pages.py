"""Page targets, internal links and dates: shared by the detail pages and the window.

No pydantic and no Qt, so the window frame can use these before the knowledge-base models load
(the window paints first; see ``ldn_browser.ui.app``). ``ldn_browser.core.detail`` re-exports them.
"""

from __future__ import annotations

import datetime as dt

LINK_SCHEME = "ldn"
"""Scheme of internal links."""
WHY_PREFIX = "why:"
"""Target prefix of a "why this grade" page: ``why:condition:crohns-disease``."""
OVERVIEW_TARGET = "overview"
"""Target of the Overview page."""
START_TARGET = "start"
"""Target of the start page (shown in the Overview tab)."""
SEARCH_TARGET = "search"
"""Link target that puts the cursor in the search field (the start page's "Search")."""
CITE_PREFIX = "cite:"
"""Link prefix of "Copy citation" on a source page: ``ldn:cite:source:…`` copies, it shows no page."""
STALE_AFTER_MONTHS = 12
"""Content older than this many months is flagged in the status bar."""


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
