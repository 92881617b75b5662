"""The command line, called in-process (no Qt is needed for these subcommands)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_browser.cli import main
from ldn_browser.core.schema import export_json_schema

INVALID = Path(__file__).parents[1] / "data" / "invalid"


def test_validate_valid_file_exits_0(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(mini_kb_path)]) == 0
    assert "valid (11 entries" in capsys.readouterr().out


def test_validate_bundled_kb_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.glob("*.json")))
def test_validate_invalid_file_exits_2_with_file_and_location(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / name
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in err


def test_validate_uses_kb_option(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(INVALID / "bad_grade.json"), "validate"]) == 2
    assert "bad_grade.json:$.conditions[0].evidence.grade:" in capsys.readouterr().err


def test_list_json_has_ids_kinds_titles_and_grades(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 11
    crohn = next(r for r in rows if r["id"] == "condition:crohns-disease")
    assert crohn == {
        "id": "condition:crohns-disease",
        "kind": "condition",
        "title": "Crohn's disease",
        "grade": "low",
        "direction": "benefit",
        "randomised_trials": 1,
    }
    source = next(r for r in rows if r["kind"] == "source")
    assert "grade" not in source


def test_list_kind_filters(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "list", "--kind", "side_effect"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("side_effect:vivid-dreams") and "Low ⊕⊕◯◯" in out[0]


def test_list_unknown_kind_exits_2(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--kb", str(mini_kb_path), "list", "--kind", "disease"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_show_json_resolves_sources(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "show", "condition:crohns-disease", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "condition:crohns-disease" and data["kind"] == "condition"
    assert data["evidence"]["grade"] == "low"
    by_id = {s["id"]: s for s in data["sources"]}
    assert by_id["source:smith2011-crohns-rct"] == {
        "id": "source:smith2011-crohns-rct",
        "title": "Therapy with the opioid antagonist naltrexone promotes mucosal healing in active Crohn's disease: "
        "a randomized placebo-controlled trial",
        "year": 2011,
        "design": "rct",
        "pmid": "21380937",
        "doi": "10.1007/s10620-011-1653-7",
    }


def test_show_source_lists_cited_by(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "show", "source:bruun2024-final", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cited_by"] == ["condition:fibromyalgia"]


def test_show_text(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "show", "condition:fibromyalgia"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Fibromyalgia  (Condition, condition:fibromyalgia)")
    assert "https://doi.org/10.1016/S2665-9913(23)00278-3" in out


def test_show_puts_an_interactions_advice_before_its_drugs_and_lists_each_drug_on_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tester, 2026-12-07: the opioid entry's text printed ~1,470 lines of drug records (each name's provenance as a
    Python dict) before its severity and action."""
    assert main(["show", "interaction:opioid-analgesics"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines.index("Action:") < lines.index("Members:") < lines.index("Products:")
    assert lines.index("Severity:") < 15
    assert "{'" not in out and "checked_at" not in out  # no record printed raw
    assert "  - Percocet (oxycodone + paracetamol)" in lines


def test_show_ends_an_undated_citation_with_one_full_stop(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "contraindication:opioid-use"]) == 0
    out = capsys.readouterr().out
    assert "n.d. Naltrexone hydrochloride tablets" in out and "n.d.." not in out  # tester, 2026-12-07


def test_show_unknown_id_exits_2_with_one_line(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", str(mini_kb_path), "show", "condition:nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown id 'condition:nope'" in err


def test_export_schema_writes_generated_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main(["export-schema", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == export_json_schema()


def test_export_schema_unwritable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-schema", str(tmp_path / "missing-dir" / "s.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_search_engine_failure_exits_1_with_one_line(
    mini_kb_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldn_browser.core.search.index import SearchIndex

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(SearchIndex, "_run", explode)
    assert main(["--kb", str(mini_kb_path), "search", "crohn"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "search for 'crohn' failed" in lines[0] and "engine exploded" in lines[0]
    assert captured.out == ""


def test_no_cli_module_imports_another_in_a_circle() -> None:
    import ast

    cli = Path(__file__).parents[2] / "ldn_browser" / "cli"
    imports: dict[str, set[str]] = {}
    for path in cli.glob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ldn_browser.cli"):
                names.add(node.module.removeprefix("ldn_browser.cli").lstrip(".") or "__init__")
                names.update(a.name for a in node.names if node.module == "ldn_browser.cli" and a.name != "*")
        imports[path.stem] = names
    for leaf in ("errors", "parser"):
        assert not imports[leaf], f"cli/{leaf}.py must import no other cli module: {imports[leaf]}"
    assert "__init__" not in imports["commands"], "cli/commands.py must not import the cli package's main"


def test_search_says_a_claim_is_a_claim_and_its_verdict(mini_kb_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lay claim's title reads like a fact: the human output and the JSON carry its verdict (QA round)."""
    assert main(["--kb", str(mini_kb_path), "search", "regulatory T-cell"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("claim:ldn-boosts-tregs"))
    assert "[Claim · ? Not found]" in line
    assert main(["--kb", str(mini_kb_path), "search", "--json", "regulatory T-cell"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"]: r.get("verdict") for r in rows}["claim:ldn-boosts-tregs"] == "not_found"
    assert all("verdict" not in r for r in rows if r["kind"] != "claim")


def test_list_and_search_show_a_conditions_direction_beside_its_grade(capsys: pytest.CaptureFixture[str]) -> None:
    """Tester, 2026-12-03: "Fibromyalgia [Moderate ⊕⊕⊕◯]" alone read as the best evidence *for* LDN; the entry
    says it probably does not reduce pain."""
    assert main(["list", "--kind", "condition"]) == 0
    listed = capsys.readouterr().out
    assert "Fibromyalgia  [Moderate ⊕⊕⊕◯ · ○ No benefit]" in listed
    assert "Crohn's disease  [Low ⊕⊕◯◯ · ↑ Benefit]" in listed
    assert main(["search", "--limit", "1", "--", "fibromyalgia"]) == 0
    assert "[Moderate ⊕⊕⊕◯ · ○ No benefit]" in capsys.readouterr().out
    assert main(["search", "--limit", "1", "--", "percocet"]) == 0
    assert "[Label · not graded]" in capsys.readouterr().out  # no direction for an interaction


@pytest.mark.parametrize(
    "argv",
    [["search", "-codeine"], ["search", "-codeine", "--json"], ["search", "--limit", "3", "-codeine"]],
)
def test_a_search_query_that_starts_with_a_minus_is_searched_for(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-test: `search "-codeine"` was refused ("the following arguments are required: query")."""
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "interaction:opioid-analgesics" in out or '"interaction:opioid-analgesics"' in out


def test_search_options_still_work_beside_a_minus_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--kind", "interaction", "--limit", "1", "-tramadol", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in hits] == ["interaction:opioid-analgesics"]


@pytest.mark.parametrize(("typed", "size"), [("letter", "Letter"), ("LETTER", "Letter"), ("a4", "A4")])
def test_a_page_size_is_read_in_any_case(typed: str, size: str) -> None:
    """Tester, 2026-12-07: "--page-size letter" was refused; only "Letter" worked."""
    from ldn_browser.cli.parser import build_parser

    for command in (["sheet", "--overview"], ["leaflet"], ["card"]):
        args = build_parser().parse_args([*command, "--out", "x.pdf", "--page-size", typed])
        assert args.page_size == size


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        (["show"], "crohns", "condition:crohns-disease"),
        (["show"], "Condition:Fibro", "condition:fibromyalgia"),
        (["sheet", "--out", "x.pdf"], "hashimoto", "condition:hashimotos-thyroiditis"),
    ],
)
def test_an_unknown_id_names_the_ids_it_may_mean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], typed: str, meant: str
) -> None:
    """Tester, 2026-12-07: "sheet crohns" said only "unknown id"."""
    command = [str(tmp_path / c) if c.endswith(".pdf") else c for c in command]
    assert main([*command, typed]) == 2
    err = capsys.readouterr().err
    assert f"unknown id {typed!r}; did you mean {meant}" in err
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_id_with_a_kind_looks_only_among_that_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "condition:crohns"]) == 2
    assert "did you mean condition:crohns-disease?" in capsys.readouterr().err  # not the Crohn's claim too
    assert main(["show", "xyzzy"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_validate_a_truncated_kb_says_where_in_a_whole_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ldn-browser validate` of the bundled KB cut inside a string printed "…: Unterminated string starting at"."""
    from ldn_browser.core.paths import default_kb_path

    raw = default_kb_path().read_bytes()
    start = raw.index(b'"title": "') + len(b'"title": ')  # the opening quote of the first title
    cut = tmp_path / "trunc.json"
    cut.write_bytes(raw[: start + 5])
    line = raw[:start].count(b"\n") + 1
    column = start - raw.rfind(b"\n", 0, start)
    assert main(["validate", str(cut)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(
        f"{cut}:{line}:{column}: malformed JSON: unterminated string starting at line {line}, column {column}; "
    ), err
    assert err.endswith("it may be cut short (an incomplete copy or download)"), err
