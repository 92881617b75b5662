"""Sound-alike names and lay word forms: the spellings a one-edit corrector misses."""

from __future__ import annotations

import pytest

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
