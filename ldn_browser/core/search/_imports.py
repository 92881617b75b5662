"""Before Whoosh is imported: spare it three imports it makes for code the app never runs.

* ``cached_property``: Whoosh-Reloaded takes it from the PyPI backport of that name, which imports
  :mod:`asyncio` (to support coroutines Whoosh never decorates): 25-40 ms of the time to search being
  ready, more than opening the index. Whoosh uses it once, on a plain method (``deleted_docs_set``),
  where :func:`functools.cached_property` does the same: compute on first access, keep the value in
  the instance. Nothing else in the app imports the backport; if something ever does, the real package
  is used (the stand-in is only put in place when the backport has not been imported).
* :mod:`urllib.request`: ``whoosh.compat`` imports ``urlretrieve`` from it (for nothing Whoosh calls), and
  with it ``http.client``, ``email`` and ``ssl``: ~25 ms. :mod:`whoosh.lang.morph_en`: ``whoosh.query``
  imports ``variations`` from it for the ``Variations`` query the app never builds; its tables take ~7 ms.
  Both are *deferred*, not replaced: the module object in :data:`sys.modules` is the real module (its
  spec, file and loader), whose code runs the first time anything asks it for a name it was not given,
  and the one name given (``urlretrieve``, ``variations``) runs that code before calling the real
  function. So any code, in any thread, that imports the module gets the real thing, only later.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

_running = threading.RLock()


class DeferredModule(types.ModuleType):
    """A real module whose code has not run yet; it runs on the first look-up of a name it lacks."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name != "__all__":
            raise AttributeError(name)  # the import system's probes (``__path__`` on every from-import): not a use
        run_deferred(self)
        return getattr(self, name)


_RUNNING = "__ldn_deferred_running__"


def run_deferred(module: types.ModuleType) -> None:
    """Run *module*'s own code now, once: whichever thread asks first runs it, the others wait for it.

    While it runs, the module stays deferred, so another thread's look-up waits here instead of finding a
    half-made module; a look-up by the module's own code (same thread) finds what is defined so far.
    """
    with _running:
        deferred = type(module) is DeferredModule
        if not deferred:
            return
        if module.__dict__.get(_RUNNING) == threading.get_ident():
            raise AttributeError(f"module {module.__name__!r} is still being made")
        module.__dict__[_RUNNING] = threading.get_ident()
        try:
            spec = module.__spec__
            assert spec is not None and spec.loader is not None
            spec.loader.exec_module(module)
        except BaseException:
            if sys.modules.get(module.__name__) is module:  # as a failed import does: not left half-made
                del sys.modules[module.__name__]
            raise
        finally:
            module.__dict__.pop(_RUNNING, None)
            module.__class__ = types.ModuleType


def _call_through(module: types.ModuleType, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        run_deferred(module)
        return module.__dict__[name](*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__module__ = module.__name__
    return call


def defer(name: str, functions: tuple[str, ...]) -> types.ModuleType | None:
    """Put module *name* in :data:`sys.modules` without running its code; *functions* call through.

    Returns the deferred module, or None when the module is already imported (left as it is).
    """
    if name in sys.modules:
        return None
    spec = importlib.util.find_spec(name)  # imports the parent package (urllib, whoosh.lang: tiny)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    module.__class__ = DeferredModule
    for function in functions:
        setattr(module, function, _call_through(module, function))
    if sys.modules.setdefault(name, module) is not module:  # another thread imported it meanwhile
        return None
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


if "cached_property" not in sys.modules:
    _stand_in = types.ModuleType(
        "cached_property", "functools.cached_property, for Whoosh (see ldn_browser.core.search._imports)"
    )
    _stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = _stand_in

defer("urllib.request", ("urlretrieve",))
defer("whoosh.lang.morph_en", ("variations",))
