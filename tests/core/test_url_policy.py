"""The one URL policy (review D4): only https links the app builds from validated identifiers may leave it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_browser.core import links
from ldn_browser.core.kb import KbError, parse_kb


@pytest.mark.parametrize(
    "url",
    [
        links.pubmed_url("21380937"),
        links.pmc_url("PMC3381945"),
        links.doi_url("10.1007/s10620-010-1560-y"),
        links.doi_url("10.1234/a?b#c%d"),  # legal DOI characters are percent-encoded, not a query
        "https://clinicaltrials.gov/study/NCT00663117",
    ],
)
def test_urls_the_app_builds_are_allowed(url: str) -> None:
    assert links.refusal_reason(url) is None, url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "http://127.0.0.1:8765/pwn",
        "http://pubmed.ncbi.nlm.nih.gov/21380937/",
        "https://127.0.0.1/",
        "https://evil.example/",
        "https://pubmed.ncbi.nlm.nih.gov.evil.example/21380937/",
        "https://pubmed.ncbi.nlm.nih.gov@evil.example/21380937/",
        "https://user:pw@pubmed.ncbi.nlm.nih.gov/21380937/",
        "https://pubmed.ncbi.nlm.nih.gov:8443/21380937/",
        "https://pubmed.ncbi.nlm.nih.gov/21380937/?redirect=https://evil.example",
        "https://pubmed.ncbi.nlm.nih.gov/21380937/#x",
        "https://pubmed.ncbi.nlm.nih.gov/../../etc/passwd",
        "https://pubmed.ncbi.nlm.nih.gov/?term=x",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/",
        "https://doi.org/not-a-doi",
        "https://doi.org/10.1234/a\\..\\evil",
        "https://doi.org/10.1234/a b",
        "https://clinicaltrials.gov/search?term=x",
        "https://pubmed.ncbi.nlm.nih.gov/2138\u20090937/",
        "",
        "ldn:condition:crohns-disease",
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    assert links.refusal_reason(url) is not None, url
    assert not links.is_allowed_external_url(url)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pmid", "javascript:alert(1)"),
        ("pmid", "https://pubmed.ncbi.nlm.nih.gov/1/"),
        ("pmcid", "PMC123456/../../x"),
        ("doi", "https://doi.org/10.1234/x"),
        ("doi", "10.1234/x\"><a href='file:///etc/passwd'>"),
        ("doi", "javascript:alert(1)"),
        ("registry_ids", ["file:///etc/passwd"]),
        ("registry_ids", ["http://127.0.0.1/"]),
        ("id", "source:http://evil"),
        ("trial_of", "javascript:alert(1)"),
    ],
)
def test_urls_smuggled_into_identifier_fields_are_refused_at_validation(
    mini_kb_path: Path, field: str, value: object
) -> None:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    data["sources"][0][field] = value
    with pytest.raises(KbError):
        parse_kb(json.dumps(data).encode(), "smuggled.json")


@pytest.mark.parametrize(
    "smuggled",
    ["https://evil.example/", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "http://127.0.0.1/"],
)
@pytest.mark.parametrize("where", ["registry_id", "study_source", "evidence_source", "safety_entry"])
def test_urls_in_nested_identifiers_are_refused(mini_kb_path: Path, where: str, smuggled: str) -> None:
    data = json.loads(mini_kb_path.read_text(encoding="utf-8"))
    condition = data["conditions"][0]
    if where == "registry_id":
        condition["registered_trials"] = [
            {"registry_id": smuggled, "title": "t", "checked": "2025-01-01", "seen_at": "x"}
        ]
    elif where == "study_source":
        condition["studies"][0]["source_id"] = smuggled
    elif where == "evidence_source":
        condition["evidence"]["source_ids"] = [smuggled]
    else:
        data["meta"]["safety_points"] = [
            {"text": "x", "entry_id": smuggled, "source_ids": ["source:smith2011-crohns-rct"]}
        ]
    with pytest.raises(KbError):
        parse_kb(json.dumps(data).encode(), "smuggled.json")
