"""Sound-alike names and lay word forms: the spellings a one-edit corrector misses."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from ldn_browser.core.kb import load_kb
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.search import SearchIndex, open_search_index
from ldn_browser.core.search.spelling import (
    is_common_word,
    lay_lemmas,
    regional_variants,
    same_letters_by_ear,
    same_word_inflected,
    sound_key,
)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("chrons", "crohns"),
        ("krohns", "crohns"),
        ("sorriasis", "psoriasis"),
        ("diarea", "diarrhea"),
        ("fibromyalja", "fibromyalgia"),
        ("sjogrins", "sjogrens"),
    ],
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
    [
        ("itchy", "itch"),
        ("nauseous", "nausea"),
        ("painful", "pain"),
        ("achy", "ache"),
        ("bloated", "bloat"),
        ("dizzy", "dizz"),
    ],
)
def test_lay_forms_give_their_base_form_among_the_candidates(lay: str, base: str) -> None:
    assert base in lay_lemmas(lay)


def test_short_words_have_no_lay_base_form() -> None:
    assert lay_lemmas("ms") == () and lay_lemmas("dry") == ()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tumour", "tumor"),
        ("behaviour", "behavior"),
        ("fibre", "fiber"),
        ("centres", "centers"),
        ("oedema", "edema"),
        ("anaemia", "anemia"),
        ("diarrhoea", "diarrhea"),
        ("paediatric", "pediatric"),
        ("randomised", "randomized"),
        ("analyse", "analyze"),
        ("oestrogen", "estrogen"),
        ("dialogue", "dialog"),
    ],
)
def test_british_and_american_spellings_are_each_others_variants(one: str, other: str) -> None:
    assert other in regional_variants(one)
    assert one in regional_variants(other)


def test_a_final_e_is_not_a_british_diphthong() -> None:
    assert "fibroe" not in regional_variants("fibre") and "fibrae" not in regional_variants("fibre")


@pytest.mark.parametrize("word", ["fibre", "fiber", "genetic", "patent", "bowl", "spiral", "mold"])
def test_common_english_words_are_real_words(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("typo", ["fibromyalga", "chrons", "lupsu", "insomina", "naltrexon", "crones"])
def test_typos_and_rare_words_are_not_in_the_lexicon(typo: str) -> None:
    assert not is_common_word(typo)


@pytest.mark.parametrize(
    ("word", "other", "same"),
    [
        ("bacteria", "bacterial", True),
        ("painfully", "painful", True),
        ("fibre", "fibro", False),
        ("genetic", "generic", False),
        ("newt", "new", False),
    ],
)
def test_only_an_inflection_of_a_real_word_is_the_same_word(word: str, other: str, same: bool) -> None:
    assert same_word_inflected(word, other) is same


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
