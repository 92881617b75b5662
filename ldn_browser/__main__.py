"""``python -m ldn_browser``: same as the ``ldn-browser`` command; also the PyInstaller entry point."""

import io
import sys

# A windowed (console=False) frozen build has no stdout/stderr: give them somewhere to go.
if sys.stdout is None:
    sys.stdout = io.StringIO()
if sys.stderr is None:
    sys.stderr = io.StringIO()

if __name__ == "__main__" and sys.argv[1:2] == ["--search-service"]:  # the app's search process (no CLI, no Qt)
    from ldn_browser.core.search.service import main as serve

    sys.exit(serve(sys.argv[2:]))

from ldn_browser.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
