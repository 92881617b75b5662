"""PyInstaller run-time hook (``build.spec``): the bundle's search process never loads Qt.

The bundle runs its search process as ``ldn-browser --search-service KB`` (``ldn_browser.core.search.service``),
which imports no Qt. PyInstaller's own PySide6 run-time hook, which runs after this one, imports
``PySide6.QtCore`` in every process of the bundle to embed a ``qt.conf`` (~45 ms of libraries and bindings
before the search process could start on its work); it skips that when the import fails. In the search process
only, this hook makes ``PySide6`` and ``shiboken6`` fail to import, so nothing there loads them.
"""

import sys

if sys.argv[1:2] == ["--search-service"]:

    class _NoQtInTheSearchProcess:
        @staticmethod
        def find_spec(name, path=None, target=None):  # noqa: ANN001, ANN205, ARG004 - the import protocol's
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"{name} is not used in the search process")
            return None

    sys.meta_path.insert(0, _NoQtInTheSearchProcess)
