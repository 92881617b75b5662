"""PDF output of summary sheets: sections, references, footer on every page, page sizes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import build_sheet
from ldn_browser.ui.printing import default_page_size, ensure_fonts, export_pdf

PRINTED = dt.date(2026, 1, 2)


def _pages(path: Path) -> list[str]:
    """Text of each page, whitespace collapsed (Qt PDFs put a tab between words)."""
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in PdfReader(path).pages]


@pytest.fixture(scope="module")
def pdfs(qapp: QApplication, mini_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Condition sheet (A4 and Letter), overview sheet and a pack, rendered once for the module."""
    out = tmp_path_factory.mktemp("pdf")
    jobs = {
        "condition": (["condition:crohns-disease"], False, "A4"),
        "letter": (["condition:crohns-disease"], False, "Letter"),
        "overview": ([], True, "A4"),
        "pack": (["condition:crohns-disease", "condition:fibromyalgia"], True, "A4"),
    }
    paths = {}
    for name, (ids, overview, size) in jobs.items():
        paths[name] = out / f"{name}.pdf"
        pages = export_pdf(
            build_sheet(mini_kb, ids, overview=overview, printed_on=PRINTED), paths[name], page_size=size
        )
        assert pages == len(PdfReader(paths[name]).pages)
    return paths


def _assert_footer_on_every_page(pages: list[str]) -> None:
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)} · KB 0.1.0 · printed 2026-01-02" in text
        assert "not a substitute for clinical judgement" in text


def test_printing_condition_sheet_has_sections_references_footer(pdfs: dict[str, Path]) -> None:
    pages = _pages(pdfs["condition"])
    assert len(pages) == 1
    text = pages[0]
    for section in (
        "Crohn's disease",
        "Bottom line",
        "Key studies",
        "Dosing and titration",
        "Contraindications, precautions and interactions",
        "Side effects and their management",
        "References",
    ):
        assert section in text
    assert "Low ⊕⊕◯◯" in text and "↑ Benefit" in text
    assert "PMID 21380937" in text and "PMID 17222320" in text
    _assert_footer_on_every_page(pages)


def test_printing_overview_sheet_has_matrix_and_footer(pdfs: dict[str, Path]) -> None:
    pages = _pages(pdfs["overview"])
    text = " ".join(pages)
    assert "LDN at a glance" in text and "Evidence by condition" in text
    assert "Moderate ⊕⊕⊕◯ ○ No benefit Fibromyalgia (1 RCT)" in text
    assert "Current opioid use" in text and "Vivid dreams" in text
    _assert_footer_on_every_page(pages)


def test_printing_pack_starts_each_sheet_on_a_new_page(pdfs: dict[str, Path]) -> None:
    pages = _pages(pdfs["pack"])
    assert len(pages) == 3
    for page, title in zip(pages, ("LDN at a glance", "Crohn's disease", "Fibromyalgia"), strict=True):
        assert page.startswith("Clinician summary · low-dose naltrexone (LDN) ")
        assert page.split(" sources ", 1)[-1].startswith(title) if title == "LDN at a glance" else (
            page.startswith(f"Clinician summary · low-dose naltrexone (LDN) {title}")
        )
    assert "Fibromyalgia CERTAINTY" not in pages[1]
    assert "Not superior to placebo for pain." in pages[2]
    _assert_footer_on_every_page(pages)


@pytest.mark.parametrize(("name", "size"), [("condition", (595, 842)), ("letter", (612, 792))])
def test_printing_page_size(pdfs: dict[str, Path], name: str, size: tuple[int, int]) -> None:
    box = PdfReader(pdfs[name]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_printing_embeds_a_font_with_the_grade_symbols(pdfs: dict[str, Path], qapp: QApplication) -> None:
    reader = PdfReader(pdfs["condition"])
    fonts = {
        str(f["/BaseFont"])
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
        if "/BaseFont" in f.get_object()
    }
    assert any(ensure_fonts().replace(" ", "") in name for name in fonts)
    assert re.search("[⊕◯]", _pages(pdfs["condition"])[0])


def test_printing_rejects_unknown_page_size(qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page size"):
        export_pdf(build_sheet(mini_kb, [], overview=True), tmp_path / "x.pdf", page_size="A3")


def test_printing_unwritable_path_raises_oserror(qapp: QApplication, mini_kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        export_pdf(build_sheet(mini_kb, [], overview=True), tmp_path / "missing" / "x.pdf")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en_US", "Letter"), ("en_CA", "Letter"), ("es_MX", "Letter"), ("en_GB", "A4"), ("de_DE", "A4")],
)
def test_printing_default_page_size_follows_locale(locale: str, expected: str) -> None:
    assert default_page_size(QLocale(locale)) == expected
