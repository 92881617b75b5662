"""Notes shorthand that the search and the medication check both read (a module of its own: neither imports the
other's grammar)."""

from __future__ import annotations

import re

TYLENOL_NUMBER = re.compile(r"\bT\s?#\s?([1-4])s?\b", re.IGNORECASE)
"""Canadian notes' "T#3": Tylenol No. 3 (codeine). "T3" without the "#" is also liothyronine, so it is not read so
alone (the search reads it so beside "Tylenol")."""

CLOSE_SHORTHAND: dict[str, str] = {"ms": "morphine"}
"""Shorthand too ambiguous to recognise (MS is also multiple sclerosis), offered as a close name of the drug it may
be: "MS 10 q4h" is "not recognised", close to morphine (morphine sulfate)."""
