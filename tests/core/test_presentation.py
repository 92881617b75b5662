"""Presentation vocabulary: one palette table per medium, one text cleaner, one sort order."""

from __future__ import annotations

import pytest

from ldn_browser.core import presentation
from ldn_browser.core.presentation import BADGE_PALETTES, DIRECTION_ORDER, Palette, clean_text, escape_text
from ldn_browser.core.vocab import Direction, Grade


def _luminance(hex_colour: str) -> float:
    # Written out here rather than imported, so a wrong formula in the module cannot hide a bad palette.
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("palette", list(Palette))
@pytest.mark.parametrize("grade", list(Grade))
def test_every_badge_palette_keeps_text_at_aaa_contrast(palette: Palette, grade: Grade) -> None:
    colours = BADGE_PALETTES[palette][grade]
    assert _contrast(colours.text, colours.background) >= 7.0, (palette, grade, colours)


def test_every_palette_covers_every_grade() -> None:
    assert set(BADGE_PALETTES) == set(Palette)
    for table in BADGE_PALETTES.values():
        assert set(table) == set(Grade)


@pytest.mark.parametrize("palette", list(Palette))
def test_badge_fills_differ_in_lightness_for_grayscale(palette: Palette) -> None:
    fills = [_luminance(BADGE_PALETTES[palette][g].background) for g in Grade]
    assert len({round(f, 3) for f in fills}) == len(fills)


def test_print_severity_colour_is_aaa_on_white() -> None:
    assert _contrast(presentation.PRINT_SEVERITY_COLOUR, "#ffffff") >= 7.0


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert presentation.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert presentation.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    "raw",
    ["a\u202eb", "a\u2066b\u2069", "a\u200bb", "a\u200fb", "a\x07b", "a\ufeffb", "a\u061cb"],
)
def test_clean_text_drops_bidi_zero_width_and_control_characters(raw: str) -> None:
    assert clean_text(raw) == "ab"


def test_clean_text_keeps_ordinary_text_tabs_and_newlines() -> None:
    assert clean_text("Sjögren’s\tsyndrome\n⊕⊕◯◯ ≥ 4.5 mg") == "Sjögren’s\tsyndrome\n⊕⊕◯◯ ≥ 4.5 mg"


def test_escape_text_escapes_markup_after_cleaning() -> None:
    assert escape_text('<b a="1">\u202ex</b>') == "&lt;b a=&quot;1&quot;&gt;x&lt;/b&gt;"
    assert escape_text("a\nb", line_breaks=True) == "a<br>b"


def test_direction_order_covers_every_direction_once() -> None:
    assert sorted(DIRECTION_ORDER) == sorted(Direction)
    assert sorted(DIRECTION_ORDER.values()) == list(range(len(Direction)))
    assert min(DIRECTION_ORDER, key=DIRECTION_ORDER.__getitem__) is Direction.BENEFIT


@pytest.mark.parametrize("palette", list(Palette))
def test_basis_badges_are_aaa_and_unlike_any_grade(palette: Palette) -> None:
    from ldn_browser.core.presentation import BASIS_PALETTES

    colours = BASIS_PALETTES[palette]
    assert _contrast(colours.text, colours.background) >= 7.0
    assert colours.background not in {c.background for c in BADGE_PALETTES[palette].values()}


def test_rating_from_value_reads_grades_and_bases() -> None:
    from ldn_browser.core.presentation import rating_from_value
    from ldn_browser.core.vocab import Basis

    assert rating_from_value("low") is Grade.LOW
    assert rating_from_value("label") is Basis.LABEL
    assert rating_from_value("nonsense") is None and rating_from_value(3) is None


def test_kind_text_gives_a_claim_its_verdict() -> None:
    from ldn_browser.core.vocab import Kind, Verdict

    assert presentation.kind_text(Kind.CLAIM, Verdict.UNSUPPORTED) == "Claim · ✗ Unsupported"
    assert presentation.kind_text(Kind.CONDITION) == "Condition"


def _hue_saturation(hex_colour: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return hue * 360, saturation


@pytest.mark.parametrize("palette", list(Palette))
def test_grade_fills_share_one_hue_so_certainty_never_reads_as_works(palette: Palette) -> None:
    """Green for high, red for very low read as "benefit" / "no benefit" (QA: a green "Moderate" on a no-benefit
    condition). Certainty is one scale: one hue, stepping in lightness (checked above)."""
    hues = [_hue_saturation(BADGE_PALETTES[palette][g].background)[0] for g in Grade]
    assert max(hues) - min(hues) <= 10, hues
    fills = [_luminance(BADGE_PALETTES[palette][g].background) for g in Grade]  # high → very low, in order
    dark = palette is Palette.SCREEN_DARK  # a stronger fill is darker on paper and lighter on a dark screen
    assert fills == sorted(fills, reverse=dark), fills
