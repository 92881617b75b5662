"""PyInstaller run-time hook (``build.spec``): the search process starts first and never loads Qt.

The bundle runs its search process as ``ldn-browser --search-service KB`` (``ldn_browser.core.search.service``),
which imports no Qt. PyInstaller's own PySide6 run-time hook, which runs after this one, imports
``PySide6.QtCore`` in every process of the bundle to embed a ``qt.conf`` (~45 ms of libraries and bindings
before the search process could start on its work); it skips that when the import fails. In the search process
only, this hook makes ``PySide6`` and ``shiboken6`` fail to import, so nothing there loads them.

In the window's process that import came before the app's own code, so the search process was started only after
QtCore had loaded (~100 ms later than from source). For the usual launch (no arguments) this hook starts it first
(``ldn_browser.cli.start_app_early``); the command line takes it from there.
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
elif not sys.argv[1:]:  # the app on the bundled KB: its search process before PyInstaller's hook imports QtCore
    from ldn_browser.cli import start_app_early

    start_app_early()
