"""The few exceptions resolis-ld raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations


class ResolisError(Exception):
    """Base of every error resolis-ld reports to a user."""

    exit_code = 70


class InputError(ResolisError):
    """An input could not be read or is not a report (exit code 3)."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.message}"


class FetchError(InputError):
    """A URL could not be read: network, HTTP status, size or content type (exit code 3)."""

    def __init__(self, message: str, url: str, status: int | None = None):
        super().__init__(message, url)
        self.url = url
        self.status = status


class ParseError(InputError):
    """A text is not a RESOLIS report (no recognisable title or labels)."""


class UsageError(ResolisError):
    """An option value is wrong in a way click cannot check (exit code 2)."""

    exit_code = 2


class OutputError(ResolisError):
    """An output file or directory cannot be written (exit code 3)."""

    exit_code = 3


class ValidationFailedError(ResolisError):
    """The build's validation found violations, so it is not published (exit code 1)."""

    exit_code = 1


class PublishError(ResolisError):
    """A portal or store refused a request or could not be reached (exit code 4).

    ``response`` is the last ``requests.Response`` when there was one (None for a connection
    failure), so a caller can look at the status and the portal's own message.
    """

    exit_code = 4

    def __init__(self, message: str, response: object | None = None):
        super().__init__(message)
        self.message = message
        self.response = response
