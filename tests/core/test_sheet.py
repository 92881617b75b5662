"""Sheet HTML: content, escaping of hostile KB text, and staying inside Qt's rich-text subset."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest

from ldn_browser.core import text_policy
from ldn_browser.core.entities import KnowledgeBase
from ldn_browser.core.sheet import ALLOWED_ATTRIBUTES, ALLOWED_CSS, ALLOWED_TAGS, build_sheet
from ldn_browser.core.vocab import Kind

HOSTILE = '<script>alert(1)</script><img src="http://evil.example/x.png"> \u202eevil\u202c \u200fmark'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.css: set[str] = set()
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            self.attributes.add(name)
            if name == "style" and value:
                self.css |= _properties(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css |= _properties(" ".join(re.findall(r"\{([^}]*)\}", data)))
        else:
            self.text.append(data)


def _properties(declarations: str) -> set[str]:
    return {d.split(":", 1)[0].strip() for d in declarations.split(";") if ":" in d}


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def _words(html: str) -> str:
    """The visible text with whitespace (and no-break spaces) collapsed."""
    return " ".join(" ".join(_parse(html).text).split())


def _hostile_kb(kb: KnowledgeBase) -> KnowledgeBase:
    data = kb.model_dump(mode="json")
    condition = data["conditions"][0]
    condition["title"] = "Crohn " + HOSTILE
    condition["summary"] = HOSTILE
    condition["studies"][0]["result"] = HOSTILE
    data["contraindications"][0]["action"] = HOSTILE
    data["side_effects"][0]["management"] = HOSTILE
    data["dosing"][0]["summary"] = HOSTILE
    data["sources"][0]["authors"] = [HOSTILE]
    with pytest.MonkeyPatch.context() as patch:  # bidi controls are refused at validation; paper cleans them anyway
        patch.setattr(text_policy, "kb_text_problem", lambda _value: None)
        return KnowledgeBase.model_validate(data)


def test_sheet_condition_has_every_section(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, ["condition:crohns-disease"], printed_on=dt.date(2026, 1, 2))
    text = _words(doc.html)
    for section in (
        "Bottom line",
        "Key studies",
        "Dosing and titration",
        "Contraindications, precautions and interactions",
        "Side effects and their management",
        "References",
    ):
        assert section in text
    assert "Low ⊕⊕◯◯" in text
    assert "↑ Benefit" in text
    assert "4.5 mg daily for 12 weeks" in text  # study dose
    assert "Do not start LDN while opioids are taken." in text  # contraindication action
    assert "Morning dosing may help." in text  # side-effect management
    assert "PMID 21380937" in text and "doi:10.1007/s10620-011-1653-7" in text
    assert doc.footer.splitlines()[0] == "KB 0.1.0 · printed 2026-01-02"
    assert "not a substitute for clinical judgement" in doc.footer


def test_sheet_references_are_numbered_in_order_of_citation(mini_kb: KnowledgeBase) -> None:
    text = _words(build_sheet(mini_kb, ["condition:crohns-disease"]).html)
    # the bottom line cites both evidence sources first: smith2011 is [1], smith2007 [2]
    assert "[1, 2]" in text
    refs = text[text.index("References") :]
    assert refs.index("1. Smith JP, Bingaman SI") < refs.index("2. Smith JP, Stock H")


def test_sheet_null_results_are_kept(mini_kb: KnowledgeBase) -> None:
    text = _words(build_sheet(mini_kb, ["condition:fibromyalgia"]).html)
    assert "○ Not superior to placebo for pain." in text
    assert "No benefit" in text


def test_sheet_overview_has_evidence_matrix(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, [], overview=True)
    text = _words(doc.html)
    assert "LDN at a glance" in text and "Evidence by condition" in text
    # the matrix: certainty, direction, then the conditions with their distinct randomised trials
    assert "Moderate ⊕⊕⊕◯ ○ No benefit Fibromyalgia (1 RCT)" in text
    assert "Low ⊕⊕◯◯ ↑ Benefit Crohn's disease (1 RCT)" in text
    assert text.index("Evidence by condition") < text.index("Dosing") < text.index("Contraindications")
    assert doc.title == "LDN at a glance"


def test_sheet_pack_starts_each_sheet_on_a_new_page(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, ["condition:crohns-disease", "condition:fibromyalgia"], overview=True)
    assert doc.html.count("<h1>") == 3
    assert doc.html.count("page-break-before: always") == 2


@pytest.mark.parametrize("ids", [[], ["condition:nope"], ["dosing:no-such-topic"]])
def test_sheet_rejects_bad_requests(mini_kb: KnowledgeBase, ids: list[str]) -> None:
    with pytest.raises(ValueError):
        build_sheet(mini_kb, ids)


def test_sheet_escapes_hostile_kb_text(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(_hostile_kb(mini_kb), ["condition:crohns-disease"], overview=True)
    parsed = _parse(doc.html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "src" not in parsed.attributes
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc.html
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt;" in doc.html
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", doc.html + doc.title + doc.footer)
    assert "evil" in " ".join(parsed.text)  # the text itself is kept, only the controls go


def test_sheet_html_stays_in_qt_subset(mini_kb: KnowledgeBase) -> None:
    parsed = _parse(build_sheet(_hostile_kb(mini_kb), ["condition:crohns-disease"], overview=True).html)
    assert parsed.tags <= ALLOWED_TAGS
    assert parsed.attributes <= ALLOWED_ATTRIBUTES
    assert parsed.css <= ALLOWED_CSS


def test_sheet_bundled_kb_every_condition_builds(bundled_kb: KnowledgeBase) -> None:
    ids = [c.id for c in bundled_kb.conditions]
    parsed = _parse(build_sheet(bundled_kb, ids, overview=True).html)
    assert parsed.tags <= ALLOWED_TAGS and parsed.css <= ALLOWED_CSS


@pytest.mark.parametrize("kind", [k for k in Kind if k is not Kind.CONDITION])
def test_every_kind_prints_a_sheet_in_the_qt_subset_with_word_and_symbol(bundled_kb: KnowledgeBase, kind: Kind) -> None:
    entries = bundled_kb.entries(kind)
    assert entries, kind
    doc = build_sheet(bundled_kb, [e.id for e in entries])
    parsed = _parse(doc.html)
    assert parsed.tags <= ALLOWED_TAGS and parsed.attributes <= ALLOWED_ATTRIBUTES and parsed.css <= ALLOWED_CSS
    assert doc.html.count("<h1>") == len(entries)
    assert doc.html.count("page-break-before: always") == len(entries) - 1
    for entry in entries:
        assert html.escape(entry.title, quote=True) in doc.html
        certainty = entry.certainty_info
        if certainty is not None:
            assert html.escape(certainty.rating.badge_text) in doc.html  # "Low ⊕⊕◯◯", never symbols alone


def test_single_non_condition_sheet_is_titled_by_its_kind(bundled_kb: KnowledgeBase) -> None:
    doc = build_sheet(bundled_kb, ["side_effect:vivid-dreams"])
    assert doc.title == "Vivid dreams and nightmares: LDN side effect sheet"


def _crowded_kb(kb: KnowledgeBase, copies: int) -> KnowledgeBase:
    """The bundled KB with every contraindication, interaction and side effect repeated ``copies`` times."""
    data = kb.model_dump(mode="json")
    for kind in ("contraindications", "interactions", "side_effects"):
        data[kind] = [
            {**entry, "id": f"{entry['id']}-{i}" if i else entry["id"], "title": f"{entry['title']} {i}"}
            for entry in data[kind]
            for i in range(copies)
        ]
    return KnowledgeBase.model_validate(data)


def test_condition_sheet_lists_everything_in_the_bundled_kb(bundled_kb: KnowledgeBase) -> None:
    words = _words(build_sheet(bundled_kb, ["condition:crohns-disease"]).html)
    for entry in [*bundled_kb.contraindications, *bundled_kb.interactions, *bundled_kb.side_effects]:
        assert " ".join(entry.title.split()) in words, entry.id
    assert "more contraindications" not in words and "more side effects" not in words


def test_condition_sheet_caps_long_lists_most_severe_first_and_counts_the_rest(bundled_kb: KnowledgeBase) -> None:
    """A large KB's condition sheet stays a few pages: the first rows by severity, the rest counted."""
    kb = _crowded_kb(bundled_kb, 4)  # 60 safety rows, 36 side effects
    html_text = build_sheet(kb, ["condition:crohns-disease"]).html
    words = _words(html_text)
    safety = [*kb.contraindications, *kb.interactions]
    contraindicated = sum(1 for x in safety if x.severity.value == "contraindicated")
    assert contraindicated >= 16  # so the 16 rows shown are all contraindicated ones
    shown = [x for x in safety if f"{x.title} " in words or words.endswith(x.title)]
    assert len(shown) == 16 and all(x.severity.value == "contraindicated" for x in shown)
    assert f"{len(safety) - 16} more contraindications, precautions and interactions" in words
    assert f"({contraindicated - 16} contraindicated," in words
    assert f"{len(kb.side_effects) - 12} more side effects" in words
    assert "listed on the “LDN at a glance” sheet" in words
    glance = _words(build_sheet(kb, [], overview=True).html)
    assert all(x.title in glance for x in safety)  # the overview lists every row


def test_glance_matrix_groups_every_condition_once_most_certain_first(bundled_kb: KnowledgeBase) -> None:
    html_text = build_sheet(bundled_kb, [], overview=True).html
    matrix = _words(html_text.split("<h2>Evidence by condition</h2>")[1].split("<h2>")[0])
    for c in bundled_kb.conditions:
        assert matrix.count(c.title) >= 1, c.id
    ratings = [m.group(0) for m in re.finditer(r"Moderate|Very low|Low|No studies found", matrix)]
    order = ["Moderate", "Low", "Very low", "No studies found"]
    assert ratings == sorted(ratings, key=order.index)  # most certain first
    fibro = bundled_kb.get("condition:fibromyalgia")
    assert fibro is not None
    assert f"Fibromyalgia ({bundled_kb.randomised_trial_count(fibro)} RCTs)" in matrix


def test_an_id_given_twice_prints_one_sheet(mini_kb: KnowledgeBase) -> None:
    doc = build_sheet(mini_kb, ["condition:crohns-disease", "condition:fibromyalgia", "condition:crohns-disease"])
    assert [part.title for part in doc.parts] == ["Crohn's disease", "Fibromyalgia"]


def test_side_effects_sharing_advice_share_one_row_without_merged_cells(bundled_kb: KnowledgeBase) -> None:
    """A cell spanning rows prints only on its first page: continued rows would show no advice."""
    html_text = build_sheet(bundled_kb, ["condition:crohns-disease"]).html
    section = html_text.split("Side effects and their management")[1].split("</table>")[0]
    assert "rowspan" not in section
    managements = {se.management for se in bundled_kb.side_effects}
    assert section.count("<tr>") == 1 + len(managements)  # the header, then one row per piece of advice


@pytest.mark.parametrize(
    "changes",
    [
        {"authors": [], "journal": None, "title": "Does LDN help?"},
        {"authors": ["Smith JP"], "citation_detail": "56(7):2136-45."},
        {"authors": [], "journal": None, "year": None, "title": "Naltrexone tablets: prescribing information."},
    ],
)
def test_references_never_double_punctuation(mini_kb: KnowledgeBase, changes: dict) -> None:
    from ldn_browser.core.sheet_refs import _reference, _short_reference

    source = mini_kb.source("source:smith2011-crohns-rct").model_copy(update=changes)
    for shown in (_reference(source), _short_reference(source)):
        assert not any(bad in shown for bad in ("..", "?.", "….", ".;")), shown


def test_the_two_reference_columns_are_kept_apart(bundled_kb: KnowledgeBase) -> None:
    """A long reference in the left column must not run into the next number on its right (tester, 2026-12-03)."""
    from ldn_browser.core.sheet_refs import _References

    refs = _References(bundled_kb)
    for source in bundled_kb.sources[:9]:
        refs.number(source.id)
    rows = re.findall(r"<tr>(.*?)</tr>", refs.html())
    assert len(rows) == 5
    for row in rows:
        cells = re.findall(r"<td([^>]*)>(.*?)</td>", row)
        widths = [int(m) for m in re.findall(r'width="(\d+)%"', row)]
        assert len(cells) == 5 and sum(widths) == 100
        assert cells[2] == (' width="4%"', "")  # an empty gap between the number-and-text pairs


def test_every_printed_reference_can_be_looked_up(bundled_kb: KnowledgeBase) -> None:
    """A reference names who or what, and carries every identifier the KB has (tester: "14. Drugs 2017. doi…"
    named neither authors nor title; Raknes 2017 printed without its PMCID)."""
    from ldn_browser.core.sheet_refs import _reference, _short_reference, text

    for source in bundled_kb.sources:
        full, short = _reference(source), _short_reference(source)
        named = text(source.authors[0] if source.authors else source.title.rstrip("."))[:40]
        assert named in full, (source.id, full)
        ids = [source.pmid, source.pmcid, source.doi, *source.registry_ids]
        for value in filter(None, ids):
            assert text(value) in full, (source.id, value, full)
        short_ids = [source.pmid, source.pmcid, *source.registry_ids]  # a DOI is too long for the compact list
        if any(short_ids):
            assert text(next(filter(None, short_ids))) in short, (source.id, short)


def test_a_condition_sheet_points_only_to_sheets_that_hold_what_it_names(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-03: condition sheets sent readers to "LDN at a glance" for titration schedules and
    side-effect frequencies that it does not print (it keeps to two pages)."""
    titles = {e.title for e in bundled_kb.entries()} | {"LDN at a glance"}
    glance = build_sheet(bundled_kb, [], overview=True).html
    sheet = build_sheet(bundled_kb, ["condition:crohns-disease"]).html
    named = re.findall(r"the “([^”]+)” sheet", html.unescape(sheet))
    assert named and set(named) <= titles, named
    titration = next(d for d in bundled_kb.dosing if d.schedule)
    assert titration.schedule[0].dose not in glance  # so the schedules must be pointed to their own sheet
    assert f"“{titration.title}” sheet" in html.unescape(sheet)
    assert not re.search(r"(schedules|frequencies)[^<]*“LDN at a glance”", html.unescape(sheet))


def test_a_condition_sheet_heads_its_caveats_and_boxes_its_safety_points_once(bundled_kb: KnowledgeBase) -> None:
    sheet = build_sheet(bundled_kb, ["condition:crohns-disease"]).html
    caveats, box = sheet.index("<b>Caveats</b>"), sheet.index("Before prescribing")
    assert sheet.index("<h2>Bottom line</h2>") < caveats < box < sheet.index("<h2>Key studies</h2>")
    table = sheet[sheet.rindex("<table", 0, box) : sheet.index("</table>", box)]
    cells = re.findall(r'<td style="([^"]*)"', table)
    assert len(cells) == 1 + len(bundled_kb.meta.safety_points)
    ruled_tops = [c for c in cells if "border-top-width: 1px" in c]
    ruled_bottoms = [c for c in cells if "border-bottom-width: 1px" in c]
    assert ruled_tops == cells[:1] and ruled_bottoms == cells[-1:]  # one box, not a rule under every point


@pytest.mark.parametrize(
    ("authors", "shown"),
    [
        (["de Carvalho JF", "Skare T", "Smith A"], "de Carvalho et al. 2011"),  # was "de et al."
        (["Raknes G", "Småbrekke L"], "Raknes & Småbrekke 2011"),  # two authors: both, not "et al."
        (["Guttuso T Jr"], "Guttuso 2011"),
        (["Stallkamp Tidd SJ", "Smith A", "Jones B"], "Stallkamp Tidd et al. 2011"),
    ],
)
def test_a_short_citation_keeps_the_whole_family_name(mini_kb: KnowledgeBase, authors: list[str], shown: str) -> None:
    from ldn_browser.core.sheet_refs import _first_author_year

    source = mini_kb.source("source:smith2011-crohns-rct").model_copy(update={"authors": authors, "year": 2011})
    assert _first_author_year(source) == shown


def test_the_reference_columns_read_across_so_a_page_break_keeps_the_order(bundled_kb: KnowledgeBase) -> None:
    from ldn_browser.core.sheet_refs import _References

    refs = _References(bundled_kb)
    for source in bundled_kb.sources[:9]:
        refs.number(source.id)
    numbers = [int(n) for n in re.findall(r'<td width="3%" style="padding: 1px;">(\d+)\.</td>', refs.html())]
    assert numbers == list(range(1, 10))  # row by row: 1 2, 3 4, …


def test_the_compact_references_end_with_one_stop_and_no_stray_semicolon(bundled_kb: KnowledgeBase) -> None:
    from ldn_browser.core.sheet_refs import _References

    refs = _References(bundled_kb)
    for source in bundled_kb.sources[:12]:
        refs.number(source.id)
    shown = html.unescape(re.sub(r"<[^>]+>", "", refs.html(compact=True)))
    assert not re.search(r"\.;|;\s*$|\(\w[^()]*\([^()]*\)\)", shown) and shown.rstrip().endswith(".")


def test_a_trial_in_another_population_is_marked_and_named_beside_the_count(bundled_kb: KnowledgeBase) -> None:
    """Tester: the RA sheet said "0 randomised trials" beside a "Crossover RCT" row, and its bottom line called that
    trial "the randomised trial counted on this page"."""
    from ldn_browser.core.entry_pages import PageOptions, condition_page

    ra = bundled_kb.get("condition:rheumatoid-arthritis")
    shown = html.unescape(re.sub(r"<[^>]+>", " ", build_sheet(bundled_kb, [ra.id]).html))
    shown = " ".join(shown.split())
    assert "0 randomised trials among the key studies (and" not in shown
    assert "0 randomised trials among the key studies, and 1 in another or mixed population, not counted" in shown
    assert "Crossover RCT n = 23 other or mixed population" in shown
    assert "counted on this page" not in shown
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", condition_page(bundled_kb, ra, PageOptions()))).split())
    assert "Randomised trials among the key studies: 0 (and 1 in another or mixed population, not counted)" in page


def test_a_condition_without_studies_says_no_dose_was_studied_for_it(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-07: the SLE sheet ("No studies found") printed 4.5 mg under "Dosing and titration" as if it
    were a dose for lupus."""
    sle = _words(build_sheet(bundled_kb, ["condition:systemic-lupus-erythematosus"]).html)
    dosing = sle[sle.index("Dosing and titration") :]
    assert dosing.index("No dose has been studied for Systemic lupus erythematosus") < dosing.index("4.5 mg")
    crohns = _words(build_sheet(bundled_kb, ["condition:crohns-disease"]).html)
    assert "No dose has been studied" not in crohns


def test_the_safety_box_keeps_its_text_off_the_rule(bundled_kb: KnowledgeBase) -> None:
    """Tester, 2026-12-07: the "Before prescribing" text ran to the box's right border."""
    html = build_sheet(bundled_kb, ["condition:crohns-disease"]).html
    box = html[html.index("Before prescribing") - 400 : html.index("Key studies")]
    cells = re.findall(r'<td style="([^"]*)"', box)
    assert cells and all(
        int(m[1]) >= 4 for style in cells for m in [re.search(r"padding-(?:left|right): (\d+)px", style)] if m
    )
    assert all("padding-left" in style and "padding-right" in style for style in cells)
