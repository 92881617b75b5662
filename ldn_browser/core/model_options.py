"""Options the KB models read once, when they are first imported (pydantic-free, so they can be set first)."""

from __future__ import annotations

field_docstrings = True
"""Read each field's docstring into the models: the JSON Schema's descriptions (``export-schema``).

Reading them parses the source of every model class, about a third of importing the models (~30 ms).
Only the schema uses them, so the window turns this off before it loads the knowledge base
(``ui.app``); everything else keeps it on."""

defer_build = False
"""Build each model's validator when it is first needed instead of when the class is made (pydantic's
``defer_build``): about half of importing the models. The window sets it when the KB it opens has a
current build-time snapshot (:mod:`ldn_browser.core.snapshot`), so that nothing is validated at start-up;
everything else builds them at once (a first validation would otherwise pay for them, and more)."""


def _without_plugin_discovery() -> None:
    """Tell pydantic there are no plugins instead of letting it look for them.

    The first time pydantic builds a validator it imports :mod:`importlib.metadata` (and with it the
    :mod:`email` package) to look for installed plugins by entry point: ~25 ms of the time to the
    first pages, for plugins the app never has (it ships none, and a frozen build has no entry points).
    Its loader module offers one function, ``get_plugins()``; this stand-in returns no plugins, as the
    loader itself does when ``PYDANTIC_DISABLE_PLUGINS=__all__`` is set. Put in place only if pydantic
    has not loaded its own (``tests/core/test_startup_imports.py``).
    """
    import sys
    import types

    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        stand_in = types.ModuleType(name, "No pydantic plugins (ldn_browser.core.model_options)")
        stand_in.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules[name] = stand_in


_without_plugin_discovery()
