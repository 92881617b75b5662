"""Before Whoosh is imported: give it the standard library's ``cached_property``.

Whoosh-Reloaded takes ``cached_property`` from the PyPI backport of that name, which imports
:mod:`asyncio` (to support coroutines Whoosh never decorates): 25-40 ms of the time to search being
ready, more than opening the index. Whoosh uses it once, on a plain method (``deleted_docs_set``),
where :func:`functools.cached_property` does the same: compute on first access, keep the value in
the instance. Nothing else in the app imports the backport; if something ever does, the real package
is used (the stand-in is only put in place when the backport has not been imported).
"""

from __future__ import annotations

import functools
import sys
import types

if "cached_property" not in sys.modules:
    _stand_in = types.ModuleType(
        "cached_property", "functools.cached_property, for Whoosh (see ldn_browser.core.search._imports)"
    )
    _stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = _stand_in
