"""Presentation vocabulary, declared once for screen, snippets and paper.

Labels, glyphs and sort orders of grades, directions, severities and verdicts; the badge palettes
(screen light, screen dark, print); and the one text-cleaning function every renderer uses before
escaping. No pydantic and no Qt, so the window frame and the command line can use it cheaply.

Every palette keeps the badge text at a contrast of at least 7:1 against its fill (WCAG AAA):
``tests/core/test_presentation.py`` computes it for every grade in every palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ldn_browser.core.text_policy import clean_text as clean_text  # re-exported: the one cleaner
from ldn_browser.core.text_policy import escape_text as escape_text
from ldn_browser.core.vocab import Basis, Direction, Grade, Kind, Rating, Severity, Verdict

# ---------------------------------------------------------------------------------------------
# Text cleaning: the one policy lives in text_policy (re-exported here for the renderers)


# ---------------------------------------------------------------------------------------------
# Sort orders and glyphs

DIRECTION_ORDER: dict[Direction, int] = {
    Direction.BENEFIT: 0,
    Direction.MIXED: 1,
    Direction.UNCLEAR: 2,
    Direction.NO_BENEFIT: 3,
}
"""Most to least favourable: the order of direction columns in the app and on paper."""

SEVERITY_ORDER: dict[Severity, int] = {Severity.CONTRAINDICATED: 0, Severity.AVOID: 1, Severity.CAUTION: 2}
"""Strongest first."""

SEVERITY_GLYPH: dict[Severity, str] = {Severity.CONTRAINDICATED: "✖", Severity.AVOID: "⚠", Severity.CAUTION: "△"}
"""A glyph per severity that reads without colour (the medication check's badges)."""


def severity_text(severity: Severity) -> str:
    """Severity with its glyph, e.g. "✖ Contraindicated"."""
    return f"{SEVERITY_GLYPH[severity]} {severity.label}"


VERDICT_GLYPH: dict[Verdict, str] = {
    Verdict.SUPPORTED: "✓",
    Verdict.PARTLY_SUPPORTED: "≈",
    Verdict.UNSUPPORTED: "✗",
    Verdict.MISATTRIBUTED: "⚠",
    Verdict.NOT_FOUND: "?",
}
"""A glyph per verdict that reads without colour."""


def verdict_text(verdict: Verdict) -> str:
    """Verdict with its glyph, e.g. "✗ Unsupported"."""
    return f"{VERDICT_GLYPH[verdict]} {verdict.label}"


def kind_text(kind: Kind, verdict: Verdict | None = None) -> str:
    """What kind of entry a hit is, with a claim's verdict: "Condition", "Claim · ✗ Unsupported".

    A lay claim's title reads like a statement of fact; its kind and verdict go wherever the title is listed.
    """
    return f"{kind.label} · {verdict_text(verdict)}" if verdict is not None else kind.label


def direction_text(direction: Direction) -> str:
    """Direction with its glyph, e.g. "↑ Benefit"."""
    return f"{direction.symbol} {direction.label}"


def grade_sort_key(rating: Rating | None) -> int:
    """Higher certainty sorts later in ascending order (0 for a basis or nothing)."""
    return rating.rank if rating is not None else 0


def direction_sort_key(direction: Direction | None) -> int:
    """Position in :data:`DIRECTION_ORDER` (ungraded last)."""
    return DIRECTION_ORDER[direction] if direction is not None else len(DIRECTION_ORDER)


# ---------------------------------------------------------------------------------------------
# Badge palettes


class Palette(StrEnum):
    """Where a badge is shown."""

    SCREEN_LIGHT = "screen_light"
    SCREEN_DARK = "screen_dark"
    PRINT = "print"


@dataclass(frozen=True)
class BadgeColours:
    """Background and text colour of a grade badge (colour is only the third cue)."""

    background: str
    text: str


# One hue (indigo) for every grade, stepping in lightness: more certainty, a stronger fill. Green for
# high and red for very low read as "works" and "does not work" (a green "Moderate" headed fibromyalgia,
# which shows no benefit): certainty is how sure the evidence is, not which way it points. Dark text on
# light fills (light palette and paper), light text on dark fills (dark palette); the lightness steps
# also tell the grades apart in a grayscale print. Word and symbols stay the first cues.
BADGE_PALETTES: dict[Palette, dict[Grade, BadgeColours]] = {
    Palette.SCREEN_LIGHT: {
        Grade.HIGH: BadgeColours("#bfbaea", "#1d1747"),
        Grade.MODERATE: BadgeColours("#d0ccf0", "#241d52"),
        Grade.LOW: BadgeColours("#dfdcf6", "#2b245c"),
        Grade.VERY_LOW: BadgeColours("#ecebfa", "#312a66"),
    },
    Palette.SCREEN_DARK: {
        Grade.HIGH: BadgeColours("#544a99", "#ffffff"),
        Grade.MODERATE: BadgeColours("#433b7d", "#f3f1ff"),
        Grade.LOW: BadgeColours("#342e63", "#ebe8ff"),
        Grade.VERY_LOW: BadgeColours("#27234a", "#e2defa"),
    },
    Palette.PRINT: {
        Grade.HIGH: BadgeColours("#d6d3f1", "#1d1747"),
        Grade.MODERATE: BadgeColours("#e2e0f5", "#241d52"),
        Grade.LOW: BadgeColours("#ecebf9", "#2b245c"),
        Grade.VERY_LOW: BadgeColours("#f6f5fc", "#312a66"),
    },
}
"""Badge colours per palette and grade."""

BASIS_PALETTES: dict[Palette, BadgeColours] = {
    Palette.SCREEN_LIGHT: BadgeColours("#dde3ea", "#1f2d3a"),
    Palette.SCREEN_DARK: BadgeColours("#34414e", "#eef3f8"),
    Palette.PRINT: BadgeColours("#eceff3", "#1f2d3a"),
}
"""One neutral badge per palette for ungraded statements (label, pharmacology, no studies): not a grade colour."""

SEVERITY_PALETTES: dict[Palette, dict[Severity | None, BadgeColours]] = {
    Palette.SCREEN_LIGHT: {
        Severity.CONTRAINDICATED: BadgeColours("#f6c6c0", "#5c1410"),
        Severity.AVOID: BadgeColours("#fbd9b0", "#5a2d00"),
        Severity.CAUTION: BadgeColours("#fdf0b8", "#4a3b00"),
        None: BadgeColours("#dde3ea", "#1f2d3a"),
    },
    Palette.SCREEN_DARK: {
        Severity.CONTRAINDICATED: BadgeColours("#6e2620", "#fde6e3"),
        Severity.AVOID: BadgeColours("#6b3d0c", "#fff0de"),
        Severity.CAUTION: BadgeColours("#5c4f0e", "#fff8d6"),
        None: BadgeColours("#34414e", "#eef3f8"),
    },
    Palette.PRINT: {
        Severity.CONTRAINDICATED: BadgeColours("#f9e5e3", "#6e1f1f"),
        Severity.AVOID: BadgeColours("#fcecd9", "#5a2d00"),
        Severity.CAUTION: BadgeColours("#fdf6d8", "#4a3b00"),
        None: BadgeColours("#eceff3", "#1f2d3a"),
    },
}
"""Medication-check badge colours per palette and severity (None: no entry); the third cue after word and glyph."""

UNRECOGNISED_PALETTE: dict[Palette, BadgeColours] = {
    Palette.SCREEN_LIGHT: BadgeColours("#e9dff7", "#3b1f5c"),
    Palette.SCREEN_DARK: BadgeColours("#4b3a63", "#f4eefc"),
    Palette.PRINT: BadgeColours("#f1ebfa", "#3b1f5c"),
}
"""A line the check could not read: its own colour, not the grey of "no data" (a tester read "oxy 5mg prn", not
recognised, as harmless beside Humira's "no data")."""

PRINT_SEVERITY_COLOUR = "#6e1f1f"
"""Text colour of "Contraindicated" on paper (contrast ≥ 7:1 on white)."""


def badge_colours(rating: Rating, *, dark: bool = False, palette: Palette | None = None) -> BadgeColours:
    """Badge colours for a grade or a basis: on screen (light or *dark*) or, with *palette*, any palette."""
    chosen = palette or (Palette.SCREEN_DARK if dark else Palette.SCREEN_LIGHT)
    if isinstance(rating, Basis):
        return BASIS_PALETTES[chosen]
    return BADGE_PALETTES[chosen][rating]


def rating_from_value(value: object) -> Rating | None:
    """The grade or basis for a stored value such as ``"low"`` or ``"label"`` (None for anything else)."""
    if not isinstance(value, str):
        return None
    for enum in (Grade, Basis):
        try:
            return enum(value)
        except ValueError:
            continue
    return None


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
