"""
The errors revtrack raises.

Every error is a :class:`RevtrackError`, and each also subclasses the
built-in exception a caller would catch anyway::

    RevtrackError
    ├── InvalidRevisionError   (ValueError) bad values for a model
    │   └── ChronologyError                 time went backwards
    ├── FormatError            (ValueError) unreadable serialised data
    │   ├── IntegrityError                  .revision: digests do not match
    │   └── LimitExceededError              input larger than allowed
    ├── RevisionNotFoundError  (LookupError)
    ├── PatchError
    │   ├── PatchFormatError   (ValueError) text is not a patch
    │   └── PatchConflictError              .failed: hunks that did not apply
    └── StoreError                          a store cannot do what was asked
        ├── DocumentNotFoundError (LookupError) no document with that id
        └── DiskError          (OSError)    disk full, no permission

    RevtrackWarning            (UserWarning)
    └── InconsistencyWarning                input disagrees with itself

>>> from revtrack.exceptions import FormatError, RevtrackError
>>> issubclass(FormatError, RevtrackError), issubclass(FormatError, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "ChronologyError",
    "DiskError",
    "DocumentNotFoundError",
    "FormatError",
    "InconsistencyWarning",
    "IntegrityError",
    "InvalidRevisionError",
    "LimitExceededError",
    "PatchConflictError",
    "PatchError",
    "PatchFormatError",
    "RevisionNotFoundError",
    "RevtrackError",
    "RevtrackWarning",
    "StoreError",
]


class RevtrackError(Exception):
    """
    The base of every error revtrack raises.

    .. versionadded:: 0.1.0
    """


class InvalidRevisionError(RevtrackError, ValueError):
    """
    A value cannot be part of a document.

    A naive time, an empty title, a major update with no note, or text that
    is not a string.

    .. versionadded:: 0.1.0
    """


class ChronologyError(InvalidRevisionError):
    """
    A revision is older than the one before it.

    Documents refuse time going backwards unless told to accept it.

    .. versionadded:: 0.1.0
    """


class FormatError(RevtrackError, ValueError):
    """
    Serialised data cannot be read.

    A timestamp, a footer or a history file is not what it should be.

    .. versionadded:: 0.1.0
    """


class IntegrityError(FormatError):
    """
    A stored revision's digest or chain digest does not match its content.

    Attributes:
        revision: The number of the first revision that does not match.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, revision: int) -> None:
        super().__init__(message)
        self.revision = revision


class LimitExceededError(FormatError):
    """
    Untrusted input is larger or deeper than the configured limit allows.

    .. versionadded:: 0.1.0
    """


class RevisionNotFoundError(RevtrackError, LookupError):
    """
    No revision matches a number, digest prefix or instant.

    .. versionadded:: 0.1.0
    """


class PatchError(RevtrackError):
    """
    The base of errors about patches.

    .. versionadded:: 0.1.0
    """


class PatchFormatError(PatchError, ValueError):
    """
    Text is not a patch in the format it was read as.

    .. versionadded:: 0.1.0
    """


class PatchConflictError(PatchError):
    """
    A patch did not apply cleanly to the text it was given.

    Attributes:
        failed: The indexes (from 0) of the hunks that did not apply.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, failed: tuple[int, ...]) -> None:
        super().__init__(message)
        self.failed = failed


class StoreError(RevtrackError):
    """
    A store cannot do what was asked.

    The file is not a revtrack store, it is locked, or the disk refused a
    write.

    .. versionadded:: 0.1.0
    """


class DocumentNotFoundError(StoreError, LookupError):
    """
    A store holds no document with the id asked for.

    .. versionadded:: 0.1.0
    """


class DiskError(StoreError, OSError):
    """
    The file system refused to write (or open) a store or history file.

    The disk is full, the file would pass a size limit, permission is
    denied, or the folder is read-only. The message names the file and
    what to do; nothing committed before is lost, and a history file
    written with :func:`revtrack.dump` keeps its old content.

    Attributes:
        errno: The operating system's error number (such as
            ``errno.ENOSPC``) when it is known, else ``None``.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class RevtrackWarning(UserWarning):
    """
    The base of every warning revtrack gives.

    .. versionadded:: 0.1.0
    """


class InconsistencyWarning(RevtrackWarning):
    """
    Input disagrees with itself, and revtrack read it anyway.

    For example a GOV.UK content item whose ``public_updated_at`` is not
    the time of its newest change note.

    .. versionadded:: 0.1.0
    """
