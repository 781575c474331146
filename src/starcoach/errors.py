"""The one exception tree of starcoach.

Every error a user can cause derives from :class:`StarcoachError`; each interface (CLI, web)
translates it once, in one place, into one clear line (CLI, exit 2) or a 4xx (web)::

    StarcoachError
    ├── InputError            bad input from the user: a file, an answer, an argument
    │   ├── ImportFormatError     a file that cannot be read as the format it claims (names the file)
    │   └── AnswerError           an empty, binary or oversized answer
    ├── NotFoundError         an id that names nothing (question, story, attempt, bank)
    ├── ConflictError         the request clashes with what is stored (duplicate title, ...)
    ├── AuthError             team mode: not signed in, or wrong e-mail or password (401)
    ├── ForbiddenError        team mode: signed in, but the role does not allow it (403)
    ├── ThrottledError        team mode: too many failed sign-ins; wait (429)
    ├── StorageError          the database cannot be opened, read or written
    │   └── SchemaTooNewError     the database was written by a newer starcoach
    └── ModelUnavailableError an optional model (embeddings) is missing; callers degrade gracefully

This module imports nothing from starcoach.
"""

from __future__ import annotations


class StarcoachError(Exception):
    """Root of every error starcoach raises on purpose. ``str(err)`` is one user-facing line."""

    exit_code: int = 2
    http_status: int = 400


class InputError(StarcoachError):
    """The user gave input that cannot be used."""


class ImportFormatError(InputError):
    """A file could not be read in the format it was imported as."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class AnswerError(InputError):
    """An answer that cannot be analyzed (empty, binary, too long)."""


class NotFoundError(StarcoachError):
    """An id that names nothing stored or bundled."""

    http_status = 404


class ConflictError(StarcoachError):
    """The request clashes with something already stored."""

    http_status = 409


class AuthError(StarcoachError):
    """Team mode: the request needs a signed-in account, or the credentials are wrong."""

    http_status = 401


class ForbiddenError(StarcoachError):
    """Team mode: the signed-in account's role does not allow this."""

    http_status = 403


class ThrottledError(StarcoachError):
    """Team mode: too many failed sign-ins for this account or address; try again later."""

    http_status = 429


class StorageError(StarcoachError):
    """The database cannot be opened, read or written."""

    http_status = 500


class SchemaTooNewError(StorageError):
    """The database schema is newer than this version of starcoach understands."""


class ModelUnavailableError(StarcoachError):
    """An optional model file is missing; the caller should skip the checks that need it."""
