"""The start page: what the app is for, how to search, recent items, bookmarks and what is new in the KB."""

from __future__ import annotations

from collections.abc import Sequence

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.html import bullets, e, h2, link, para, safety_box, table
from ldn_browser.core.pages import OVERVIEW_TARGET, SEARCH_TARGET, START_TARGET, format_date

__all__ = ["START_TARGET", "WHATS_NEW_ROWS", "render_start"]

WHATS_NEW_ROWS = 12
"""Changes of the newest release listed on the start page (the rest are in Help › What's new)."""


def _entry_list(kb: KnowledgeBase, ids: Sequence[str], empty: str) -> str:
    entries = [x for x in (kb.get(i) for i in ids) if x is not None]
    if not entries:
        return f"<p><i>{e(empty)}</i></p>"
    return bullets(f"{link(x.id, x.title)} <i>({e(x.kind.label)})</i>" for x in entries)


def render_start(
    kb: KnowledgeBase,
    *,
    recent: Sequence[str] = (),
    bookmarks: Sequence[str] = (),
    dark: bool = False,
    width_chars: int | None = None,
) -> str:
    """The start page of *kb*: purpose, search, recent items, bookmarks and the newest changelog release."""
    out = "<h1 style='margin-bottom:2px'>LDN Browser</h1>"
    out += (
        "<p style='margin-top:0'>An offline reference on low-dose naltrexone for clinicians: what each use rests on, "
        "graded with GRADE, with dosing, safety and the sources behind every statement.<br>"
        "It never fetches anything; PubMed and DOI links open in your browser only when you click them.</p>"
    )
    out += safety_box(kb, dark=dark, first_only=True)
    out += h2("Search")
    out += (
        f"<p>{link(SEARCH_TARGET, 'Search')} (<b>Ctrl+K</b>): type a condition, drug, side effect or author; "
        "<b>Enter</b> opens the best match, <b>Down</b> moves into the results. "
        f"Or start from the {link(OVERVIEW_TARGET, 'Overview')}.</p>"
    )
    out += h2("Recently viewed") + _entry_list(kb, recent[:8], "Nothing viewed yet.")
    out += h2("Bookmarks") + _entry_list(kb, bookmarks, "No bookmarks yet (Ctrl+D bookmarks the page shown).")
    if kb.meta.changelog:
        release = kb.meta.changelog[0]
        out += h2(f"What's new in KB {release.version}")
        out += f"<p><i>{e(format_date(release.date))}</i></p>" + para(release.summary)
        rows = []
        for item in release.items[:WHATS_NEW_ROWS]:
            entry = kb.get(item.entry_id) if item.entry_id else None
            name = link(entry.id, entry.title) if entry is not None else e(item.subject)
            rows.append([name, e(item.change.value.capitalize()), e(item.why)])
        if rows:
            out += table(["Entry", "Change", "Why"], rows, [30, 0, 60], width_chars=width_chars)
        if (more := len(release.items) - WHATS_NEW_ROWS) > 0:
            out += f"<p><i>… and {more} more changes: Help › What's new in the knowledge base.</i></p>"
    return out
