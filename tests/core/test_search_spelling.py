"""Sound-alike names and lay word forms: the spellings a one-edit corrector misses."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from ldn_browser.core.kb import load_kb
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.search import SearchIndex, open_search_index
from ldn_browser.core.search.spelling import lay_lemmas, same_letters_by_ear, sound_key


@pytest.mark.parametrize(
    ("typed", "name"),
    [("chrons", "crohns"), ("krohns", "crohns"), ("sorriasis", "psoriasis"), ("diarea", "diarrhea"),
     ("fibromyalja", "fibromyalgia"), ("sjogrins", "sjogrens")],
)
def test_spellings_by_ear_share_the_key_and_pass_the_letter_check(typed: str, name: str) -> None:
    assert sound_key(typed) == sound_key(name)
    assert same_letters_by_ear(typed, name)


@pytest.mark.parametrize(("typed", "name"), [("sickle", "scale"), ("gout", "gut"), ("acne", "acme")])
def test_other_words_do_not_pass_for_a_name(typed: str, name: str) -> None:
    assert not same_letters_by_ear(typed, name)


def test_chronic_is_not_crohns_by_ear() -> None:
    assert sound_key("chronic") != sound_key("crohns")


@pytest.mark.parametrize(
    ("lay", "base"),
    [("itchy", "itch"), ("nauseous", "nausea"), ("painful", "pain"), ("achy", "ache"), ("bloated", "bloat"),
     ("dizzy", "dizz")],
)
def test_lay_forms_give_their_base_form_among_the_candidates(lay: str, base: str) -> None:
    assert base in lay_lemmas(lay)


def test_short_words_have_no_lay_base_form() -> None:
    assert lay_lemmas("ms") == () and lay_lemmas("dry") == ()


@pytest.fixture(scope="module")
def opened() -> Callable[[], SearchIndex]:
    """A fresh in-memory index of the bundled KB per call (its spelling tables not made yet)."""
    kb = load_kb(default_kb_path())
    return lambda: open_search_index(kb, None)


def test_opening_the_index_leaves_the_spelling_tables_for_later(opened: Callable[[], SearchIndex]) -> None:
    index = opened()
    assert not index.vocab.tables_built  # ~12 ms not spent before search is ready
    assert index.search("crohns").hits and not index.vocab.tables_built  # a word it knows needs no correction
    assert index.search("krohns").hits[0].entity_id == "condition:crohns-disease"  # the first misspelling makes them
    assert index.vocab.tables_built


@pytest.mark.parametrize("typed", ["krohns", "fibromyalga", "sorriasis", "sjogrins", "mutliple sclerosis", "diarea"])
def test_misspellings_find_the_same_whether_the_tables_were_warmed_or_not(
    opened: Callable[[], SearchIndex], typed: str
) -> None:
    cold, warmed = opened(), opened()
    warmed.vocab.warm()
    assert warmed.vocab.tables_built
    first = [h.entity_id for h in cold.search(typed).hits]
    assert first and first == [h.entity_id for h in warmed.search(typed).hits]


def test_threads_asking_for_the_spelling_tables_at_once_share_one_set(opened: Callable[[], SearchIndex]) -> None:
    vocab = opened().vocab
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(vocab._spelling_tables())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(tables is seen[0] for tables in seen)
