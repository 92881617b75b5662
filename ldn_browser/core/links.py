"""The one URL policy: which links may leave the app (no Qt, so the CLI and tests share it).

Only ``https`` URLs that the app itself builds from validated identifiers can be opened, and only
on a click: a PubMed record, a PubMed Central article, a DOI and a ClinicalTrials.gov record.
Anything else (``javascript:``, ``file:``, ``data:``, ``http:``, another host, a port, user info,
a query or fragment, a path that is not exactly what the app builds) is refused; the window logs
the refusal (``ldn_browser.ui.links``). The exported PDF and its folder are opened through their
own path check, never through a URL taken from text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from ldn_browser.core import validators

_PATHS: dict[str, re.Pattern[str]] = {
    "pubmed.ncbi.nlm.nih.gov": re.compile(r"/([1-9][0-9]{0,8})/"),
    "pmc.ncbi.nlm.nih.gov": re.compile(r"/articles/(PMC[0-9]{4,9})/"),
    "doi.org": re.compile(r"/(10\..+)"),
    "clinicaltrials.gov": re.compile(r"/study/(NCT[0-9]{8})"),
}
"""Host → the only path the app builds for it (the group is the identifier)."""


def pubmed_url(pmid: str) -> str:
    """The PubMed record of a validated PMID."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{validators.pmid(pmid)}/"


def pmc_url(pmcid: str) -> str:
    """The PubMed Central article of a validated PMCID."""
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{validators.pmcid(pmcid)}/"


def doi_url(doi: str) -> str:
    """The doi.org resolver URL of a validated DOI (``?``, ``#`` and ``%`` in it percent-encoded)."""
    return "https://doi.org/" + quote(validators.doi(doi), safe="/().;:_-+=!$*,[]'~")


def refusal_reason(url: str) -> str | None:
    """Why *url* may not be opened, or None when it is one the app builds (see the module docstring)."""
    if len(url) > 400:
        return "too long"
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in url):
        return "contains spaces, control or non-ASCII characters"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"scheme {parts.scheme or '(none)'!r} is not https"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "carries user info"
    if parts.port is not None or ":" in parts.netloc:
        return "names a port"
    pattern = _PATHS.get(parts.netloc)
    if pattern is None:
        return f"host {parts.netloc!r} is not PubMed, PubMed Central, doi.org or ClinicalTrials.gov"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "has a query or fragment"
    m = pattern.fullmatch(parts.path)
    if m is None:
        return f"path {parts.path[:60]!r} is not one the app builds for {parts.netloc}"
    if parts.netloc == "doi.org":
        try:
            validators.doi(unquote(m.group(1)))
        except ValueError:
            return "not a valid DOI"
        if "\\" in m.group(1):
            return "the DOI holds a backslash"
    return None


def is_allowed_external_url(url: str) -> bool:
    """True only for the https links the app builds (PubMed, PMC, DOI, ClinicalTrials.gov)."""
    return refusal_reason(url) is None
