"""``ldn-browser meds FILE|- [--json]``: the JSON contract, standard input, exit statuses, unreadable input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from ldn_browser.cli import main

CONTRACT = ("input", "drug", "product", "severity", "entry_id", "action", "sources")


def _meds_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["meds", *args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    return data


def test_json_contract_one_object_per_line_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "meds.txt"
    path.write_text("Percocet 5/325 q6h prn\n\n• warfarin 5mg\nxyzzy 10mg\nSynthroid 100mcg\n", encoding="utf-8")
    data = _meds_json([str(path)], capsys)
    assert [d["input"] for d in data] == ["Percocet 5/325 q6h prn", "warfarin 5mg", "xyzzy 10mg", "Synthroid 100mcg"]
    for row in data:
        assert list(row)[: len(CONTRACT)] == list(CONTRACT)
        assert row["severity"] in ("contraindicated", "avoid", "caution", None)
        assert isinstance(row["action"], str) and row["action"]
        assert isinstance(row["sources"], list)
    percocet, warfarin, unknown, synthroid = data
    assert (percocet["drug"], percocet["product"], percocet["severity"], percocet["entry_id"]) == (
        "oxycodone", "Percocet", "contraindicated", "interaction:opioid-analgesics",
    )  # fmt: skip
    assert percocet["sources"] and all(set(s) == {"id", "citation"} for s in percocet["sources"])  # type: ignore[union-attr]
    assert (warfarin["drug"], warfarin["severity"], warfarin["entry_id"], warfarin["sources"]) == (
        "warfarin", None, None, [],
    )  # fmt: skip
    assert "No LDN interaction data for warfarin" in str(warfarin["action"])
    assert (unknown["drug"], unknown["product"], unknown["severity"], unknown["entry_id"]) == (None, None, None, None)
    assert (synthroid["drug"], synthroid["severity"]) == ("levothyroxine", "caution")


def test_standard_input_and_comma_separated_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        "sys.stdin", SimpleNamespace(buffer=io.BytesIO(b"Oxycontin 20mg BD, warfarin 5mg; Imodium 2mg"))
    )
    data = _meds_json(["-"], capsys)
    assert [(d["drug"], d["entry_id"]) for d in data] == [
        ("oxycodone", "interaction:opioid-analgesics"),
        ("warfarin", None),
        ("loperamide", "interaction:opioid-antidiarrhoeals"),
    ]


def test_text_output_shows_badges_and_where_to_read_more(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "meds.txt"
    path.write_text("co-codamol 30/500 2 qds prn\nwarfarin 5mg\n", encoding="utf-8")
    assert main(["meds", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[✖ Contraindicated]" in out and "recognised: co-codamol → codeine" in out
    assert "More: ldn-browser show interaction:opioid-analgesics" in out
    assert "[○ No data]" in out and "not evidence that none exists" in out
    assert "KB 1.1" in out and "off-label" in out


def test_exit_0_whatever_was_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "meds.txt"
    path.write_text("xyzzy\nqwerty\n", encoding="utf-8")
    assert [d["drug"] for d in _meds_json([str(path)], capsys)] == [None, None]


def test_empty_input_is_said_and_gives_an_empty_array(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n  \n", encoding="utf-8")
    assert main(["meds", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "No medications to check" in captured.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"Percocet\x00\x01\x02", "looks like a binary file"),
        (b"Percocet\n\xff\xfe warfarin\n", "line 2 is not UTF-8"),
        ("directory", "cannot read"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str | None, message: str
) -> None:
    path = tmp_path / "meds.txt"
    if content == "directory":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    assert main(["meds", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    assert captured.out == ""


def test_naltrexone_itself_is_the_same_drug_in_json_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "meds.txt"
    path.write_text("LDN 4.5mg\nnaltrexone 50mg\nContrave\nMysimba\nVivitrol\n", encoding="utf-8")
    data = _meds_json([str(path)], capsys)
    assert [(d["drug"], d["severity"], d["entry_id"], d["status"]) for d in data] == [
        ("naltrexone", None, "dosing:standard-dose-contrast", "same_drug")
    ] * 5
    assert [d["product"] for d in data][2:] == ["Contrave", "Mysimba", "Vivitrol"]
    assert all(list(d)[: len(CONTRACT)] == list(CONTRACT) for d in data)
    assert [s["id"] for s in data[4]["sources"]] == ["source:naltrexone-label"]  # type: ignore[index]
    assert main(["meds", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("[= Same drug as LDN]") == 5 and "Not recognised" not in out
    assert "duplicates LDN: check with the prescriber" in out  # the whole action, not its first sentence


def test_text_output_names_the_close_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "meds.txt"
    path.write_text("Bupremorphinne 5mcg patch\nxyzzy 10 mg\n", encoding="utf-8")
    assert main(["meds", str(path)]) == 0
    out = capsys.readouterr().out
    assert "      close names: buprenorphine" in out
    assert out.count("close names:") == 1  # none for a line with nothing close


def test_a_line_recognised_in_part_names_the_words_not_recognised_not_close_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tester, 2026-12-04: "close names: butalbital, caff, cod" read as suggestions; they are the unknown words."""
    path = tmp_path / "meds.txt"
    path.write_text("HC/APAP 10/325\n", encoding="utf-8")
    assert main(["meds", str(path)]) == 0
    out = capsys.readouterr().out
    assert "not recognised on this line: hc" in out and "close names" not in out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_list_saved_as_utf16_by_notepad_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = tmp_path / "meds.txt"
    text = "Oxycontin 20mg BD\r\nsertraline 50mg\r\n"
    path.write_bytes(("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding))
    assert [f["drug"] for f in _meds_json([str(path)], capsys)] == ["oxycodone", "sertraline"]


def test_meds_never_sends_escape_sequences_to_the_terminal(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A pasted line with terminal control codes is shown without them (review D17)."""
    from ldn_browser.cli import main

    pasted = tmp_path / "meds.txt"
    pasted.write_text("warfarin \x1b]0;pwned\x07 5mg\n\x1b[2J\x1b[31mtramadol 50mg\n", encoding="utf-8")
    assert main(["meds", str(pasted)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "tramadol" in out.lower()
