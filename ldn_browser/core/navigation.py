"""Back/forward navigation history: a pure object the window renders (no Qt, no pydantic)."""

from __future__ import annotations

from ldn_browser.core.pages import OVERVIEW_TARGET, START_TARGET, target_entity_id

_KEPT = frozenset({OVERVIEW_TARGET, START_TARGET})
"""Pages of no entry: in every knowledge base."""


class NavigationHistory:
    """Back/forward history of page targets (entry ids, ``why:<id>``, ``overview``).

    The window tells it every page it shows: :meth:`push` a target, or :meth:`leave` for a page of no target
    (a tab whose detail pane is empty). Back always returns to the page shown before.
    """

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._pos = -1
        self._limit = limit
        self._left = False
        """The page at the cursor is not shown any more (another tab, showing no page, is): Back returns to it."""

    @property
    def current(self) -> str | None:
        """The page at the cursor, or None when empty."""
        return self._items[self._pos] if self._pos >= 0 else None

    @property
    def can_go_back(self) -> bool:
        """True when there is a page before the cursor, or the page at the cursor was left."""
        return self._pos > 0 or (self._left and self._pos >= 0)

    @property
    def can_go_forward(self) -> bool:
        """True when there is a page after the cursor."""
        return 0 <= self._pos < len(self._items) - 1

    def push(self, target: str) -> None:
        """Visit *target*: drop the forward pages and append it (a repeat, or a return to the page left, is not new)."""
        self._left = False
        if self.current == target:
            return
        del self._items[self._pos + 1 :]
        self._items.append(target)
        if len(self._items) > self._limit:
            del self._items[0]
        self._pos = len(self._items) - 1

    def leave(self) -> None:
        """The window shows a page of no target (another tab's empty detail pane): Back returns to the current page."""
        self._left = self._pos >= 0

    def shown(self, target: str | None) -> None:
        """The window shows *target* (:meth:`push`), or a page of no target (None: :meth:`leave`)."""
        if target is None:
            self.leave()
        else:
            self.push(target)

    def back(self) -> str | None:
        """Move back one page and return it; after :meth:`leave`, return the page left."""
        if not self.can_go_back:
            return None
        if self._left:
            self._left = False
            return self._items[self._pos]
        self._pos -= 1
        return self._items[self._pos]

    def forward(self) -> str | None:
        """Move forward one page and return it."""
        if not self.can_go_forward:
            return None
        self._left = False
        self._pos += 1
        return self._items[self._pos]

    def retain(self, keep: set[str]) -> None:
        """Forget pages whose entry is not in *keep* (after another KB is opened); the overview and start stay."""
        current = self.current
        self._items = [t for t in self._items if t in _KEPT or target_entity_id(t) in keep]
        self._pos = self._items.index(current) if current in self._items else len(self._items) - 1
        self._left = self._left and self._pos >= 0
