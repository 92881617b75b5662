"""Navigation history as a plain object: back, forward, branching, limits, pruning."""

from __future__ import annotations

from ldn_browser.core.navigation import NavigationHistory

A, B, C = "condition:a", "condition:b", "side_effect:c"


def test_new_history_is_empty_and_cannot_move() -> None:
    h = NavigationHistory()
    assert h.current is None and not h.can_go_back and not h.can_go_forward
    assert h.back() is None and h.forward() is None


def test_back_and_forward_walk_the_visits() -> None:
    h = NavigationHistory()
    for t in (A, B, C):
        h.push(t)
    assert h.back() == B and h.back() == A and h.back() is None
    assert h.forward() == B and h.current == B and h.can_go_forward


def test_visiting_after_going_back_drops_the_forward_pages() -> None:
    h = NavigationHistory()
    for t in (A, B, C):
        h.push(t)
    h.back()
    h.back()
    h.push(C)
    assert not h.can_go_forward and h.back() == A


def test_repeating_the_current_page_is_not_a_new_visit() -> None:
    h = NavigationHistory()
    h.push(A)
    h.push(A)
    assert not h.can_go_back


def test_limit_forgets_the_oldest() -> None:
    h = NavigationHistory(limit=3)
    for i in range(5):
        h.push(f"condition:x{i}")
    assert h.back() == "condition:x3" and h.back() == "condition:x2" and h.back() is None


def test_retain_keeps_overview_and_why_pages_of_kept_entries() -> None:
    h = NavigationHistory()
    for t in ("overview", A, f"why:{B}", C):
        h.push(t)
    h.retain({B})
    assert h.current == f"why:{B}"
    assert h.back() == "overview" and h.back() is None


def test_retain_keeps_the_start_page() -> None:
    """The first search from the start page must leave Back enabled (review: Back disabled after it)."""
    h = NavigationHistory()
    h.push("start")
    h.retain(set())  # the window calls this with the first KB's entries, after the start page is shown
    h.push(A)
    assert h.can_go_back and h.back() == "start"


def test_back_after_leaving_for_a_page_of_no_target_returns_to_the_page_left() -> None:
    """Fresh-eyes tester: Crohn's opened, Alt+5 (an Interactions tab showing no entry), Alt+Left went to the page
    before Crohn's and Back was then disabled. Back returns to the page seen last; Back again goes on from there."""
    h = NavigationHistory()
    h.push(A)
    h.push(B)
    h.leave()
    assert h.can_go_back and h.back() == B
    assert h.current == B and h.can_go_back and h.back() == A


def test_returning_to_the_page_left_is_not_a_new_visit() -> None:
    h = NavigationHistory()
    h.push(A)
    h.push(B)
    h.leave()
    h.push(B)  # the tab showing B is chosen again
    assert h.back() == A and h.forward() == B and not h.can_go_forward


def test_leaving_an_empty_history_leaves_nothing_to_go_back_to() -> None:
    h = NavigationHistory()
    h.leave()
    assert not h.can_go_back and h.back() is None
