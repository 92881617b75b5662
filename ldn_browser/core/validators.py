"""Plain validation functions used with ``typing.Annotated`` in :mod:`entities`."""

from __future__ import annotations

import re

from ldn_browser.core.vocab import Kind

KINDS = tuple(kind.value for kind in Kind)
"""Id prefixes, one per entry kind (derived from :class:`~ldn_browser.core.vocab.Kind`)."""

_ID_RE = re.compile(r"^([a-z_]+):([a-z0-9]+(?:[-.][a-z0-9]+)*)$")
PMID_PATTERN = r"^[1-9][0-9]{0,8}$"
PMCID_PATTERN = r"^PMC[0-9]{4,9}$"
_PMID_RE = re.compile(PMID_PATTERN)
_PMCID_RE = re.compile(PMCID_PATTERN)
_DOI_RE = re.compile(r"^10\.[0-9]{4,9}/[\x21\x23-\x3b\x3d\x3f-\x7e]+$")
"""Printable ASCII after the prefix, without spaces, quotes or angle brackets."""
_REGISTRY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*[A-Za-z0-9]$")


def entity_id(value: str) -> str:
    """Check that *value* looks like ``kind:slug`` with a known kind."""
    m = _ID_RE.match(value)
    if not m:
        raise ValueError(
            f"invalid id {_shown(value)}: expected kind:slug, e.g. 'condition:crohns-disease' "
            "(lowercase letters and digits after the colon, joined by single hyphens or dots)"
        )
    if m.group(1) not in KINDS:
        raise ValueError(f"invalid id {_shown(value)}: unknown kind {m.group(1)!r}; expected one of {', '.join(KINDS)}")
    return value


def id_kind(value: str) -> str:
    """Return the kind part of an id such as ``condition:crohns-disease``."""
    return value.split(":", 1)[0]


def pmid(value: str) -> str:
    """Check a PubMed id: 1 to 9 digits, no prefix."""
    if not _PMID_RE.match(value):
        raise ValueError(f"invalid PMID {_shown(value)}: expected digits only, e.g. '21380937'")
    return value


def pmcid(value: str) -> str:
    """Check a PubMed Central id such as ``PMC3381945``."""
    if not _PMCID_RE.match(value):
        raise ValueError(f"invalid PMCID {_shown(value)}: expected 'PMC' followed by digits, e.g. 'PMC3381945'")
    return value


def doi(value: str) -> str:
    """Check a DOI: ``10.NNNN/suffix`` without a URL prefix."""
    if not _DOI_RE.match(value):
        raise ValueError(
            f"invalid DOI {_shown(value)}: expected '10.xxxx/suffix' (printable ASCII, no spaces, quotes or <>) "
            "without 'https://doi.org/'"
        )
    return value


def registry_id(value: str) -> str:
    """Check a trial registration such as ``NCT00663117`` or ``EudraCT 2019-000852-32 / NL9259``."""
    if not _REGISTRY_RE.match(value):
        raise ValueError(
            f"invalid registry id {_shown(value)}: expected letters, digits, spaces and . / _ - (e.g. 'NCT00663117')"
        )
    return value


def _shown(value: str, limit: int = 80) -> str:
    """A rejected value quoted in a message: repr-escaped and cut, so a huge value never floods it."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + f"… ({len(value):,} characters)"
