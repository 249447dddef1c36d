"""Errors that reach a user as one clear line naming the file or position.

Library code raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every error `kg` reports to a user."""

    exit_code = 1


class InputError(KgError):
    """An input file that cannot be read as an article (the build skips it)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class LexiconError(KgError):
    """A lexicon or data file that does not load; names file and line."""


class QueryError(KgError):
    """A malformed or refused SPARQL query."""

    exit_code = 2


class UsageError(KgError):
    exit_code = 2
