"""Plain validation functions used with ``typing.Annotated`` in :mod:`entities`."""

from __future__ import annotations

import re

from ldn_browser.core.vocab import Kind

KINDS = tuple(kind.value for kind in Kind)
"""Id prefixes, one per entry kind (derived from :class:`~ldn_browser.core.vocab.Kind`)."""

_ID_RE = re.compile(r"^([a-z_]+):([a-z0-9]+(?:[-.][a-z0-9]+)*)$")
_PMID_RE = re.compile(r"^[1-9][0-9]{0,8}$")
_PMCID_RE = re.compile(r"^PMC[0-9]{4,9}$")
_DOI_RE = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def entity_id(value: str) -> str:
    """Check that *value* looks like ``kind:slug`` with a known kind."""
    m = _ID_RE.match(value)
    if not m:
        raise ValueError(
            f"invalid id {value!r}: expected kind:slug, e.g. 'condition:crohns-disease' "
            "(lowercase letters, digits and hyphens after the colon)"
        )
    if m.group(1) not in KINDS:
        raise ValueError(f"invalid id {value!r}: unknown kind {m.group(1)!r}; expected one of {', '.join(KINDS)}")
    return value


def id_kind(value: str) -> str:
    """Return the kind part of an id such as ``condition:crohns-disease``."""
    return value.split(":", 1)[0]


def pmid(value: str) -> str:
    """Check a PubMed id: 1 to 9 digits, no prefix."""
    if not _PMID_RE.match(value):
        raise ValueError(f"invalid PMID {value!r}: expected digits only, e.g. '21380937'")
    return value


def pmcid(value: str) -> str:
    """Check a PubMed Central id such as ``PMC3381945``."""
    if not _PMCID_RE.match(value):
        raise ValueError(f"invalid PMCID {value!r}: expected 'PMC' followed by digits, e.g. 'PMC3381945'")
    return value


def doi(value: str) -> str:
    """Check a DOI: ``10.NNNN/suffix`` without a URL prefix."""
    if not _DOI_RE.match(value):
        raise ValueError(f"invalid DOI {value!r}: expected '10.xxxx/suffix' without 'https://doi.org/'")
    return value
