"""The library's exceptions, each carrying the exit code the CLI returns for it, and `shown`,
which makes a file name or a stranger's text safe to put in a one-line message."""

from __future__ import annotations


def shown(name: object) -> str:
    """A file name fit for a one-line message: control characters and undecodable bytes escaped."""
    text = str(name).encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class FazhiError(Exception):
    """Base of every error a user can cause; the message is one sentence naming problem and fix."""

    exit_code = 2


class InputError(FazhiError):
    """A file or argument the user gave cannot be used (missing, unreadable, not a report)."""

    exit_code = 2


class UsageError(FazhiError):
    """Options or parameters that do not fit together or name unknown things."""

    exit_code = 2


class QueryError(FazhiError):
    """A SPARQL query that cannot be parsed or is refused."""

    exit_code = 2


class QueryTimeout(FazhiError):
    """A query ran past its time limit."""

    exit_code = 3


class ValidationFailed(FazhiError):
    """A graph does not conform to the shapes."""

    exit_code = 1
