"""Options the KB models read once, when they are first imported (pydantic-free, so they can be set first)."""

from __future__ import annotations

field_docstrings = True
"""Read each field's docstring into the models: the JSON Schema's descriptions (``export-schema``).

Reading them parses the source of every model class, about a third of importing the models (~30 ms).
Only the schema uses them, so the window turns this off before it loads the knowledge base
(``ui.app``); everything else keeps it on."""
