"""The one text policy (core/text_policy): the same cleaning on screen, in snippets, menus, on paper and
in the terminal (review D13, D16, D17), and escaping wherever rich text is rendered (D4, D5, D18)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ldn_browser.core import html as screen
from ldn_browser.core import text_policy
from ldn_browser.core.kb import parse_kb
from ldn_browser.core.search.snippets import make_snippet

HOSTILE = [
    "Take \u202egm 05\u202c at night",  # RLO: reads "Take 50 mg" on screen if shown raw
    "a\u2066b\u2069c\u200bd\u200de\ufeff",
    "Fibro\u001b[2K\u001b[1G\u001b[32mHigh\u001b[0m",
    "nul\u0000 bell\u0007 csi\u009b cr\r",
    "lone \ud800 surrogate",
]
UNSAFE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "render",
    [
        text_policy.clean_text,
        text_policy.escape_text,
        text_policy.tooltip_html,
        text_policy.menu_text,
        text_policy.terminal_text,
        screen.e,
        screen.para,
    ],
    ids=["clean", "escape", "tooltip", "menu", "terminal", "screen", "paragraphs"],
)
def test_every_output_drops_invisible_and_control_characters(render: object, value: str) -> None:
    out = render(value)  # type: ignore[operator]
    assert not UNSAFE.search(out), repr(out)


def test_snippets_drop_them_too() -> None:
    snippet = make_snippet(["Take \u202egm 05\u202c at night \u001b[2K"], ["take"])
    assert snippet.matched and not UNSAFE.search(snippet.html) and not UNSAFE.search(snippet.text)


@pytest.mark.parametrize("render", [text_policy.escape_text, text_policy.tooltip_html, screen.e])
def test_markup_is_escaped_for_rich_text(render: object) -> None:
    out = render('<img src="file:///etc/passwd"><a href="javascript:x">y</a> & "q"')  # type: ignore[operator]
    assert "<img" not in out and "<a " not in out and "&lt;img" in out and "&amp;" in out and "&quot;" in out


def test_tooltips_are_always_rich_text_so_qt_never_guesses() -> None:
    tip = text_policy.tooltip_html("Crohn's disease\nAlso: CD")
    assert tip.startswith("<p") and tip.endswith("</p>") and "<br>" in tip
    assert text_policy.tooltip_html("") == ""


def test_menu_text_has_no_mnemonic_and_no_shortcut_column() -> None:
    assert text_policy.menu_text("R&D fibro && more\tCtrl+Q") == "R&&D fibro &&&& more Ctrl+Q"


def test_path_text_shows_undecodable_bytes_readably() -> None:
    import os

    path = Path(os.fsdecode(b"/tmp/bad\xff\xfe.pdf"))
    assert text_policy.path_text(path) == "/tmp/bad\ufffd\ufffd.pdf"
    assert text_policy.path_text("/tmp/\u202etxt.pdf") == "/tmp/txt.pdf"


def test_path_text_keeps_a_path_on_one_line() -> None:
    assert text_policy.path_text("/tmp/a\nb\tc.pdf") == "/tmp/a\\nb\\tc.pdf"  # not "…/a", "b.pdf: 1 page(s)"


@pytest.mark.parametrize("command", ["leaflet", "card"])
def test_patient_cli_names_its_output_through_the_text_policy(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The patient commands printed the raw path: undecodable bytes and newlines went to the terminal as they were.

    (*qapp* first: the command would otherwise make a QGuiApplication that the later widget tests cannot use.)"""
    import os

    from ldn_browser.cli import main

    out = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad\xff a\nb.pdf"))
    assert main([command, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.exists() and printed.count("\n") == 1
    assert printed.startswith(f"{text_policy.path_text(tmp_path)}/bad\ufffd a\\nb.pdf: ")


def test_kb_text_problem_names_the_character() -> None:
    assert text_policy.kb_text_problem("plain text, tabs\tand\nnewlines") is None
    problem = text_policy.kb_text_problem("Take \u202egm 05")
    assert problem is not None and "U+202E" in problem and "position 5" in problem


def test_item_model_text_is_cleaned_like_the_pages(mini_kb_path: Path) -> None:
    """A value that reached the models without validation (e.g. model_copy) is still cleaned on screen."""
    kb = parse_kb(mini_kb_path.read_bytes(), "mini.json")
    title = "Crohn\u202e disease"
    assert screen.e(title) == "Crohn disease" == text_policy.menu_text(title) == text_policy.terminal_text(title)
    assert kb.conditions
