"""Domain exceptions. The CLI and the web app turn each into one readable message and exit 2;
nothing else in the code catches them to log and re-raise."""

from __future__ import annotations


class TrailmixError(Exception):
    """Base of every error trailmix reports to a person instead of a traceback."""

    def __init__(self, message: str) -> None:
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
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotFoundError(TrailmixError):
    """Something asked for by name or id is not stored."""
