"""Domain exceptions. The CLI and the web app turn each into one readable message and exit 2;
nothing else in the code catches them to log and re-raise.

A message is one line by construction: line breaks (an iCalendar or XML library quoting the
file it choked on) become spaces and a message is cut at `MAX_MESSAGE` characters, so no file
content can make an error span a screen (docs/reliability.md).
"""

from __future__ import annotations

import re

MAX_MESSAGE = 600
"""trailmix default: characters of a message; the rest is cut with an ellipsis."""

_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")


def printable(text: str) -> str:
    """`text` with the undecodable bytes of a file name (Python keeps them as lone surrogates,
    which neither a terminal nor SQLite can encode) shown as U+FFFD."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` on one line (each run of line breaks a single space), at most `limit` chars,
    printable (`printable`)."""
    flat = _BREAKS.sub(" ", printable(text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class TrailmixError(Exception):
    """Base of every error trailmix reports to a person instead of a traceback."""

    def __init__(self, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message


class InputError(TrailmixError):
    """The user gave something trailmix cannot use. `option` names the flag when there is one."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(f"{option}: {message}" if option else message)
        self.option = option


class FileFormatError(InputError):
    """A file could not be read: names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        path, problem = one_line(path, 200), one_line(problem)
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotFoundError(TrailmixError):
    """Something asked for by name or id is not stored."""
