"""Exit statuses and the errors the command line reports as one line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A user error reported as one line and exit status 2."""


class CommandFailedError(Exception):
    """A subcommand could not finish (e.g. search failed): one line and exit status 1."""
