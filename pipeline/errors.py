"""Errors the command line turns into clear messages and exit codes.

Exit codes are part of the command-line contract: 1 means a data error (a file or a run was
rejected), 2 a usage or configuration error.
"""

from __future__ import annotations


class RippleError(Exception):
    """Base class: a problem the user can act on, with a message fit to print as is."""

    exit_code = 1


class DataError(RippleError):
    """A file or a run was rejected because of its data; the message names file, row, column."""

    exit_code = 1


class ConfigError(RippleError):
    """The project config, an instrument file or the command line is wrong; exit code 2."""

    exit_code = 2


class KeyMissingError(ConfigError):
    """No pseudonymisation key was supplied, or it is unusable."""
