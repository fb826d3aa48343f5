"""The library's exceptions. The server maps them to HTTP once (server/errors.py); the CLI maps
them to exit codes (1 for data problems, 2 for tool failures)."""
from __future__ import annotations


class KgError(Exception):
    """Base class of every error the library raises on purpose."""


class ParseError(KgError):
    """A release could not be read. ``source`` names the file (or ``<stdin>:LINE``).

    ``reason`` is a short machine-friendly code (``empty``, ``encoding``, ``no-title``,
    ``truncated``, ``invalid-date``, ``too-large``, ``language``, ``duplicate`` ...) and
    ``message`` the human sentence.
    """

    def __init__(self, source: str, reason: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source, self.reason, self.message = source, reason, message

    def __reduce__(self):  # picklable across worker processes
        return type(self), (self.source, self.reason, self.message)


class ShapeViolation(KgError):
    """Data does not conform to the SHACL shapes; ``report`` is pySHACL's text report."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report

    def __reduce__(self):
        return type(self), (self.report,)


class StoreError(KgError):
    """The store cannot be opened or written (locked, missing, corrupt)."""


class QueryError(KgError):
    """A SPARQL query or update was rejected by the parser; the message is the parser's."""


class QueryTimeout(KgError):
    """A query ran past its time limit and was stopped."""


class UnsupportedFormat(KgError):
    """No format in the table matches the name, media type or extension asked for."""
