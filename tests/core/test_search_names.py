"""The pieces name ranking and snippets are built from, tried directly (the search tests show them in use)."""

from __future__ import annotations

import pytest

from ldn_browser.core.search.names import inside
from ldn_browser.core.search.snippets import make_snippet


@pytest.mark.parametrize(
    ("name", "key", "expected"),
    [
        (("rheumatoid", "arthritis"), ("rheumatoid", "arthritis", "pain"), True),  # at the start
        (("ra",), ("ldn", "for", "ra"), True),  # at the end
        (("vivid", "dream"), ("can", "ldn", "cause", "vivid", "dream", "at", "night"), True),  # in the middle
        (("dose", "dose", "x"), ("dose", "dose", "dose", "x", "y"), True),  # its first word twice before it starts
        (("vivid", "dream"), ("vivid", "colour", "dream", "x"), False),  # broken by another word
        (("dream", "vivid"), ("vivid", "dream", "x"), False),  # out of order
        (("ra",), ("ra",), False),  # the whole query is no name *inside* it
        ((), ("ra", "pain"), False),
    ],
)
def test_inside_finds_a_name_only_whole_in_order_and_unbroken(
    name: tuple[str, ...], key: tuple[str, ...], expected: bool
) -> None:
    assert inside(name, key) is expected


def test_a_snippet_is_the_same_when_its_text_is_shown_again() -> None:
    """The shown and folded forms of a text are kept between searches: another query marks its own words."""
    part = "Crohn’s disease: café-au-lait   spots\u00a0and fatigue"
    first = make_snippet([part], ["crohn"])
    again = make_snippet([part], ["cafe"])
    assert first.html.startswith('<b class="match">Crohn’s</b>')
    assert '<b class="match">café</b>-au-lait' in again.html and "Crohn’s" in again.text  # shown, not folded
    assert make_snippet([part], ["crohn"]) == first
