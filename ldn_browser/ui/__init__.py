"""Qt user interface for LDN Browser (all PySide6 code lives here).

Importing this package imports PySide6 and makes one of PySide6's import hooks cheaper (see
:func:`_cheaper_feature_check`): every module imported after PySide6 passes through it.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401 - installs the import hook changed below (QtCore and the rest come with the views)


def _cheaper_feature_check() -> None:
    """Answer PySide6's "does this module use PySide6?" question from the file's bytes.

    For each module imported after it, PySide6 (``support.feature``, for its optional ``from __feature__ import``
    switches, which this app never uses) reads the module's source with ``inspect.getsource`` to look for the word
    "PySide6". That goes through ``linecache``, which keeps every such file's lines for the life of the app: ~160
    modules before the first pages, ~30 ms of the KB's loading and ~3 MB of text (issue 19). Reading the file's
    bytes answers the same question and keeps nothing; a module without a ``.py`` file (built in, a bytecode-only
    or frozen one) still gets PySide6's own answer. Nothing changes if PySide6 no longer has this hook.
    """
    feature = sys.modules.get("PySide6.support.feature")
    uses_pyside = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or uses_pyside is None or getattr(uses_pyside, "ldn_browser", False):
        return

    def from_bytes(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not (isinstance(path, str) and path.endswith(".py")):
            return bool(uses_pyside(module))
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return bool(uses_pyside(module))

    from_bytes.ldn_browser = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = from_bytes  # type: ignore[attr-defined]


_cheaper_feature_check()
