"""Patient documents in core: KB links, leaflet sections and wording, readability, the calendar and its checks."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import textstat

from ldn_browser.cli import main
from ldn_browser.core.entities import Grade, KnowledgeBase
from ldn_browser.core.kb import KbError, load_kb
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.patient import LeafletPart
from ldn_browser.core.patient_sheets import build_card, build_leaflet, build_titration_sheet, leaflet_text
from ldn_browser.core.sheet import sheet_outline
from ldn_browser.core.sheet_html import ALLOWED_TAGS
from ldn_browser.core.titration import (
    DoseRangeError,
    TitrationError,
    calendar_days,
    format_mg,
    make_plan,
    parse_date,
)
from ldn_browser.core.vocab import Basis, Direction

FK_GRADE_MAX = 8.0
SENTENCE_WORDS_MAX = 25


def _raw() -> dict[str, Any]:
    return json.loads(default_kb_path().read_text(encoding="utf-8"))


def _load(tmp_path: Path, data: dict[str, Any]) -> KnowledgeBase:
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_kb(path)


def _sentences(statement: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", statement.strip()) if s]


# -- the KB model ---------------------------------------------------------------------------------


def test_a_statement_must_link_an_existing_clinical_entry(tmp_path: Path) -> None:
    data = _raw()
    data["patient"]["sections"][0]["statements"][0]["entry_id"] = "dosing:no-such-entry"
    with pytest.raises(KbError, match=r"patient\.sections\[0\]\.statements\[0\]\.entry_id.*unknown entry"):
        _load(tmp_path, data)
    data = _raw()
    data["patient"]["card"]["back"][0]["entry_id"] = "source:naltrexone-label"
    with pytest.raises(KbError, match=r"patient\.card\.back\[0\]\.entry_id.*a source; patient text must simplify"):
        _load(tmp_path, data)


def test_every_section_once_in_order_and_every_grade_worded(tmp_path: Path) -> None:
    data = _raw()
    del data["patient"]["sections"][4]  # the opioid section
    with pytest.raises(KbError, match="sections must be, in this order"):
        _load(tmp_path, data)
    data = _raw()
    data["patient"]["evidence_wording"] = [w for w in data["patient"]["evidence_wording"] if w["rating"] != "moderate"]
    with pytest.raises(KbError, match="no plain wording for moderate evidence with direction no_benefit"):
        _load(tmp_path, data)


def test_the_bundled_patient_text_links_only_clinical_entries(bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.patient is not None
    kinds = {bundled_kb.get(st.entry_id).kind.value for _, st in bundled_kb.patient.statements()}  # type: ignore[union-attr]
    assert kinds <= {"condition", "contraindication", "interaction", "side_effect", "dosing", "prescribing"}


# -- the leaflet ----------------------------------------------------------------------------------


def _leaflet_ids(kb: KnowledgeBase) -> list[str | None]:
    return [None, *(c.id for c in kb.conditions)]


def test_leaflet_has_every_section_generic_and_per_condition(bundled_kb: KnowledgeBase) -> None:
    patient = bundled_kb.patient
    assert patient is not None
    for cid in _leaflet_ids(bundled_kb):
        doc = build_leaflet(bundled_kb, cid, printed_on=dt.date(2026, 1, 2))
        (outline,) = sheet_outline(doc)
        assert outline.title == "Low-dose naltrexone: information for patients"
        headings = outline.headings[1:]
        assert len(headings) == len(LeafletPart)
        for part, heading in zip(LeafletPart, headings, strict=True):
            if part is LeafletPart.EVIDENCE and cid is not None:
                assert heading.startswith("What do the studies show for ")
            else:
                assert heading == patient.section(part).heading
        assert f"KB {bundled_kb.meta.kb_version}" in doc.footer and "printed 2026-01-02" in doc.footer
        assert f"content as of {bundled_kb.meta.content_as_of.isoformat()}" in doc.html
        assert set(re.findall(r"</?([a-z0-9]+)", doc.html)) <= ALLOWED_TAGS


def test_condition_wording_follows_the_grade(bundled_kb: KnowledgeBase) -> None:
    """Very low: "we do not know yet whether"; low with benefit: "may help a little"; the name is in it."""
    expected = {
        (Grade.VERY_LOW, None): "We do not know yet whether LDN helps with",
        (Grade.LOW, Direction.BENEFIT): "LDN may help a little with",
        (Grade.LOW, Direction.NO_BENEFIT): "found little or no benefit",
        (Grade.MODERATE, Direction.NO_BENEFIT): "LDN probably does not help much with",
        (Basis.NO_STUDIES, None): "No studies of LDN in",
    }
    seen = set()
    for c in bundled_kb.conditions:
        key = (c.evidence.rating, None if c.evidence.rating in (Grade.VERY_LOW, Basis.NO_STUDIES) else c.direction)
        text = leaflet_text(bundled_kb, c.id)
        evidence = dict(text.sections)[f"What do the studies show for {text.sections[1][0][29:]}"]
        assert expected[key] in evidence[0], c.id
        seen.add(key)
    assert seen == set(expected)
    crohn = leaflet_text(bundled_kb, "condition:crohns-disease").sections[1][1][0]
    assert crohn.startswith("LDN may help a little with Crohn's disease.")
    cancer = leaflet_text(bundled_kb, "condition:cancer").sections[1][1][0]
    assert "people with cancer" in cancer  # mid-sentence names start lower-case
    assert "Gulf War illness" in leaflet_text(bundled_kb, "condition:gulf-war-illness").sections[1][1][0]
    assert "Darier disease" in leaflet_text(bundled_kb, "condition:darier-disease").sections[1][1][0]


def test_leaflet_readability(bundled_kb: KnowledgeBase) -> None:
    """Flesch-Kincaid grade ≤ 8 (textstat) for every leaflet, section and statement; no sentence over 25 words."""
    figures = []
    for cid in _leaflet_ids(bundled_kb):
        statements = leaflet_text(bundled_kb, cid).statements
        body = " ".join(statements)
        grade = textstat.flesch_kincaid_grade(body)
        longest = max(textstat.lexicon_count(s) for st in statements for s in _sentences(st))
        figures.append((cid, grade, longest))
        assert grade <= FK_GRADE_MAX, f"{cid}: Flesch-Kincaid grade {grade}"
        for heading, items in leaflet_text(bundled_kb, cid).sections:  # and each section on its own
            section_grade = textstat.flesch_kincaid_grade(" ".join(items))
            assert section_grade <= FK_GRADE_MAX, f"{cid}, {heading!r}: Flesch-Kincaid grade {section_grade}"
        hardest = max(statements, key=textstat.flesch_kincaid_grade)  # and each statement, so one hard one shows
        assert textstat.flesch_kincaid_grade(hardest) <= FK_GRADE_MAX, f"{cid}: {hardest!r}"
        assert longest <= SENTENCE_WORDS_MAX, f"{cid}: a sentence of {longest} words"
    print("readability (leaflet, FK grade, longest sentence):", figures[:3], "…")


def test_medical_terms_are_explained_where_first_used(bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.patient is not None and bundled_kb.patient.terms
    for cid in _leaflet_ids(bundled_kb):
        statements = leaflet_text(bundled_kb, cid).statements
        for term in bundled_kb.patient.terms:
            first = next((s for s in statements if re.search(rf"\b{re.escape(term.term)}", s, re.I)), None)
            assert first is not None, f"{cid}: {term.term!r} never used"
            assert term.explanation in first, f"{cid}: {term.term!r} first used without its explanation: {first!r}"


# -- the titration calendar -----------------------------------------------------------------------


def _limits(kb: KnowledgeBase) -> Any:
    assert kb.patient is not None
    return kb.patient.titration.limits


def _plan(kb: KnowledgeBase, **values: Any) -> Any:
    args: dict[str, Any] = {"start": "2027-01-04", "dose": "1.5", "step": "1.5", "every": 7, "target": "4.5"}
    args.update(values)
    return make_plan(_limits(kb), time_of_day="at night", **args)


def test_calendar_dates_and_doses_of_the_issue_example(bundled_kb: KnowledgeBase) -> None:
    days = calendar_days(_plan(bundled_kb))
    assert len(days) == 28  # target on day 15, then 14 days at target
    assert [(d.day, d.date.isoformat(), format_mg(d.dose_mg)) for d in days if d.changed] == [
        (1, "2027-01-04", "1.5 mg"),
        (8, "2027-01-11", "3 mg"),
        (15, "2027-01-18", "4.5 mg"),
    ]
    assert days[-1].date == dt.date(2027, 1, 31) and days[-1].dose_mg == Decimal("4.5")
    assert [d.date - days[0].date for d in days] == [dt.timedelta(days=i) for i in range(28)]


def test_calendar_over_month_ends_and_a_leap_day(bundled_kb: KnowledgeBase) -> None:
    days = calendar_days(_plan(bundled_kb, start="2028-02-26", dose="1", step="1", every=2, target="3"))
    dates = [d.date.isoformat() for d in days]
    assert dates[:6] == ["2028-02-26", "2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01", "2028-03-02"]
    assert [(d.date.isoformat(), str(d.dose_mg)) for d in days if d.changed] == [
        ("2028-02-26", "1"),
        ("2028-02-28", "2"),
        ("2028-03-01", "3"),
    ]
    year_end = calendar_days(_plan(bundled_kb, start="2027-12-30", every=1, days=5))
    assert [d.date.isoformat() for d in year_end] == [
        "2027-12-30",
        "2027-12-31",
        "2028-01-01",
        "2028-01-02",
        "2028-01-03",
    ]
    assert [str(d.dose_mg) for d in year_end] == ["1.5", "3.0", "4.5", "4.5", "4.5"]
    april = calendar_days(_plan(bundled_kb, start="2027-04-29", step="0", dose="4.5", target="4.5", days=3))
    assert [d.date.isoformat() for d in april] == ["2027-04-29", "2027-04-30", "2027-05-01"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start": "2027-02-29"}, "start", "start date 2027-02-29 is not a date: February 2027 has 28 days"),
        ({"start": "2027-04-31"}, "start", "April 2027 has 30 days"),
        ({"start": "2027-13-01"}, "start", "there is no month 13"),
        ({"start": "4 Jan 2027"}, "start", "not in the form YYYY-MM-DD"),
        ({"dose": "1", "step": "1.5"}, "step", "steps of 1.5 mg from 1 mg go 2.5 mg, 4 mg, 5.5 mg and never land"),
        ({"dose": "1", "step": "1", "target": "4.5"}, "step", "steps of 1 mg from 1 mg go 2 mg, 3 mg, 4 mg, 5 mg and"),
        ({"dose": "0.5", "step": "0.25", "target": "4.4"}, "step", "go 0.75 mg, … 4.25 mg, 4.5 mg and never land"),
        ({"step": "0"}, "step", "step is 0 mg, so 1.5 mg never reaches the target 4.5 mg"),
        ({"dose": "4.5", "step": "1.5"}, "step", "start and target are both 4.5 mg: set the step to 0 mg"),
        ({"target": "1"}, "target", "target dose 1 mg is below the start dose 1.5 mg"),
        ({"dose": "50", "target": "50", "step": "0"}, "dose", "start dose 50 mg is a standard dose, not a low dose"),
        ({"dose": "0"}, "dose", "start dose must be more than 0 mg"),
        ({"dose": "one"}, "dose", "start dose 'one' is not a number of mg"),
        ({"every": 0}, "every", "interval must be 1 to 90 days"),
        ({"days": 10}, "days", "10 days is too short: the target is reached on day 15"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(
    bundled_kb: KnowledgeBase, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(TitrationError) as caught:
        _plan(bundled_kb, **values)
    assert caught.value.field == field
    assert message in str(caught.value)


def test_doses_outside_the_low_dose_range_warn_only_when_confirmed(bundled_kb: KnowledgeBase) -> None:
    assert _plan(bundled_kb).warnings == ()
    high = _plan(bundled_kb, target="6", allow_outside_range=True)
    assert high.warnings == ("target dose 6 mg is above the low-dose range of 1 mg to 5 mg a day",)
    low = _plan(bundled_kb, dose="0.5", step="0.5", target="4.5", allow_outside_range=True)
    assert low.warnings == ("start dose 0.5 mg is below the low-dose range of 1 mg to 5 mg a day",)
    assert parse_date("2028-02-29") == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("values", "field", "warnings"),
    [
        ({"target": "45"}, "target", ("target dose 45 mg is above the low-dose range of 1 mg to 5 mg a day",)),
        ({"target": "48"}, "target", ("target dose 48 mg is above the low-dose range of 1 mg to 5 mg a day",)),
        (
            {"dose": "0.5", "step": "0.5", "target": "6"},
            "dose",
            (
                "start dose 0.5 mg is below the low-dose range of 1 mg to 5 mg a day",
                "target dose 6 mg is above the low-dose range of 1 mg to 5 mg a day",
            ),
        ),
    ],
)
def test_a_dose_outside_the_low_dose_range_is_refused_unless_confirmed(
    bundled_kb: KnowledgeBase, values: dict[str, Any], field: str, warnings: tuple[str, ...]
) -> None:
    """The tester's 10× typo (1.5, step 1.5, target 45) never makes a plan without the confirmation."""
    with pytest.raises(DoseRangeError) as caught:
        _plan(bundled_kb, **values)
    assert (caught.value.field, caught.value.warnings) == (field, warnings)
    assert _plan(bundled_kb, **values, allow_outside_range=True).warnings == warnings


def test_calendar_sheet_sections_and_rows(bundled_kb: KnowledgeBase) -> None:
    assert bundled_kb.patient is not None
    plan = _plan(bundled_kb, target="6", allow_outside_range=True)
    doc = build_titration_sheet(bundled_kb, plan, printed_on=dt.date(2026, 1, 2))
    (outline,) = sheet_outline(doc)
    assert outline.headings == (
        "My LDN dose calendar",
        "My schedule",
        "For the prescriber",  # beside the schedule (tester, 2026-12-04: at the end it sat alone on a third page)
        "Day by day",
        "Side effects to watch for",
        "LDN and opioid medicines",
        "When to contact your doctor",
    )
    opioids = bundled_kb.patient.section(LeafletPart.OPIOIDS).statements  # the leaflet's own statements
    (whole,) = sheet_outline(doc, words=100)
    at = whole.items.index("LDN and opioid medicines")
    assert whole.items[at + 1 : at + 1 + len(opioids)] == tuple(s.text for s in opioids)
    for entry in (
        "interaction:opioid-analgesics",
        "interaction:opioid-antitussives",
        "interaction:opioid-antidiarrhoeals",
    ):
        assert entry in {s.entry_id for s in opioids}
    rows = [i for i in outline.items if i.startswith("Day ") and i != "Day by day"]
    assert rows == [f"Day {n}" for n in range(1, 36)]  # 6 mg on day 22, then 14 days
    assert "No trial has compared titration schemes." in doc.html
    assert "(dosing:titration, Very low ⊕◯◯◯)" in doc.html
    # the note on the default schedule only where the calendar follows it (tester, 2026-12-04: it described 4.5 mg
    # from day one under a 1.5 mg step-up)
    assert "study practice, not evidence" not in doc.html
    default = _plan(bundled_kb, dose="4.5", step="0", target="4.5")
    assert "study practice, not evidence" in build_titration_sheet(bundled_kb, default).html
    # the confirmed warning in a box right under the title, before the schedule (page 1)
    assert whole.items[2].startswith("Dose check: outside the low-dose range. Target dose 6 mg is above")
    assert "Target dose 6 mg is above the low-dose range of 1 mg to 5 mg a day." in doc.html
    assert "The prescriber chose to print this calendar anyway." in doc.html
    assert "Dose check" not in build_titration_sheet(bundled_kb, _plan(bundled_kb)).html
    assert "<td>Day 15</td><td>Mon 18 Jan 2027</td><td><b>4.5 mg (new dose)</b></td>" in doc.html
    assert "<td>Day 22</td><td>Mon 25 Jan 2027</td><td><b>6 mg (new dose)</b></td>" in doc.html


def test_calendar_patient_text_readability(bundled_kb: KnowledgeBase) -> None:
    """The calendar's patient sections (side effects, opioids, contact) and its dose-check box read like the leaflet."""
    plan = _plan(bundled_kb, target="45", allow_outside_range=True)
    (whole,) = sheet_outline(build_titration_sheet(bundled_kb, plan), words=200)
    items = list(whole.items)
    box = next(i for i in items if i.startswith("Dose check:"))
    patient = items[items.index("Side effects to watch for") + 1 :]
    statements = [box.removeprefix("Dose check: outside the low-dose range. ")] + [
        i for i in patient if i not in ("LDN and opioid medicines", "When to contact your doctor")
    ]
    assert any("opioid cough medicine" in st for st in statements)
    grade = textstat.flesch_kincaid_grade(" ".join(statements))
    longest = max(textstat.lexicon_count(s) for st in statements for s in _sentences(st))
    assert grade <= FK_GRADE_MAX and longest <= SENTENCE_WORDS_MAX, (grade, longest)
    print(f"calendar patient text: FK grade {grade}, longest sentence {longest} words")


def test_card_faces(bundled_kb: KnowledgeBase) -> None:
    card = build_card(bundled_kb)
    for field in ("Name", "LDN dose", "Prescriber", "Phone"):
        assert f"<b>{field}:</b>" in card.front_html
    assert "I take an opioid blocker" in card.front_html
    assert "Opioid pain relief may not work for me" in card.front_html
    assert "monitor in a setting equipped for resuscitation" in card.back_html
    assert "interaction:" not in card.back_html  # no KB id on a card for emergency staff (tester, 2026-12-04)
    assert "From the naltrexone label as summarised in LDN Browser KB" in card.back_html


# -- the command line -----------------------------------------------------------------------------


def test_cli_titration_reports_bad_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cal.pdf"
    assert main(["titration", "--start", "2027-02-30", "--out", str(out)]) == 2
    assert "--start: start date 2027-02-30 is not a date: February 2027 has 28 days" in capsys.readouterr().err
    args = ["titration", "--start", "2027-01-04", "--dose", "1", "--step", "1.5", "--target", "4.5", "--every", "7"]
    assert main([*args, "--out", str(out)]) == 2
    assert "--step: steps of 1.5 mg from 1 mg" in capsys.readouterr().err
    assert not out.exists()
    # a start dose above the default target: the message says the target was not typed (tester, 2026-12-07)
    assert main(["titration", "--start", "2027-01-04", "--dose", "5", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--target: target dose 4.5 mg is below the start dose 5 mg (--target not given, so the default" in err
    assert main(["titration", "--start", "2027-01-04", "--dose", "5", "--target", "4", "--out", str(out)]) == 2
    assert "not given" not in capsys.readouterr().err
    assert main(["leaflet", "source:naltrexone-label", "--out", str(out)]) == 2
    assert "'source:naltrexone-label' is not a condition" in capsys.readouterr().err


def test_cli_titration_refuses_a_dose_outside_the_low_dose_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 10× typo exits 2 with one line and writes nothing (the confirmed case is in tests/ui)."""
    out = tmp_path / "cal.pdf"
    args = ["titration", "--start", "2027-01-04", "--dose", "1.5", "--step", "1.5", "--target", "45", "--every", "7"]
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        (
            "ldn-browser: --target: target dose 45 mg is above the low-dose range of 1 mg to 5 mg a day; "
            "check the dose, or pass --allow-dose-outside-range to print it with this warning"
        )
    ]
    assert not out.exists()


def test_patient_documents_use_only_greys(bundled_kb: KnowledgeBase) -> None:
    """Grayscale-safe: every colour in the leaflet, calendar and card is black, white or a grey."""
    card = build_card(bundled_kb)
    pages = [build_leaflet(bundled_kb, "condition:crohns-disease").html, card.front_html, card.back_html]
    pages.append(build_titration_sheet(bundled_kb, _plan(bundled_kb, target="6", allow_outside_range=True)).html)
    colours = {c.lower() for page in pages for c in re.findall(r"#[0-9a-fA-F]{6}\b", page)}
    assert colours and all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_the_leaflet_counts_only_illnesses_with_studies_as_tried(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-07: the lupus leaflet said no studies were found, then "Researchers have tried LDN for 35
    illnesses", lupus among them (two bundled conditions have no studies)."""
    unstudied = [c for c in bundled_kb.conditions if c.evidence.rating is Basis.NO_STUDIES]
    assert {c.id for c in unstudied} >= {"condition:systemic-lupus-erythematosus"}
    html = build_leaflet(bundled_kb, "condition:systemic-lupus-erythematosus").html
    tried = len(bundled_kb.conditions) - len(unstudied)
    assert f"Researchers have tried LDN for {tried} illnesses." in html
    assert f"For {len(unstudied)} more, no studies were found." in html


def test_the_leaflet_answers_whether_ldn_is_addictive_from_the_label(bundled_kb: KnowledgeBase) -> None:
    """Patients ask whether LDN is addictive; the label's statement on dependence is in every leaflet, linked to
    the counselling entry that holds it."""
    for condition_id in (None, "condition:crohns-disease"):
        text = leaflet_text(bundled_kb, condition_id)
        side_effects = next(lines for heading, lines in text.sections if heading.startswith("What side effects"))
        assert any("not habit-forming" in line and "label" in line for line in side_effects)
        assert "prescribing:counselling" in text.entry_ids


def test_the_leaflet_accounts_for_every_illness_tried(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-07: "tried for 33, too weak for 28, none for 2" left 5 unexplained, and never said that for
    several the better trials found no benefit. The groups the leaflet names now add up to the illnesses tried."""
    text = " ".join(line for _, lines in leaflet_text(bundled_kb).sections for line in lines)
    tried = int(re.search(r"Researchers have tried LDN for (\d+) illnesses\.", text)[1])  # type: ignore[index]
    overview = text[text.index("Researchers have tried") :].split(" no studies were found.")[0]
    groups = [int(n) for n in re.findall(r"For (\d+)[ ,]", overview)]  # "For 28,", "For 4 (…)", "For 2 more"
    groups += [1 for _ in re.findall(r"For [A-Z]", overview)]  # one illness named: "For Crohn's disease,"
    unstudied = sum(1 for c in bundled_kb.conditions if c.evidence.rating is Basis.NO_STUDIES)
    assert sum(groups) == tried + unstudied, (groups, overview)
    assert "For 4 (fibromyalgia, osteoarthritis, cancer, chronic pain), better studies found little" in text
    assert "For Crohn's disease, small trials suggest it may help." in text
