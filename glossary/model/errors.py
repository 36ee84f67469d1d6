"""The one exception hierarchy of Glossary; the CLI turns it into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class GlossaryError(Exception):
    """Any error that a user can act on; the CLI prints it and exits 2."""


class UsageError(GlossaryError):
    """The command was called in a way that cannot work."""


class ParseError(GlossaryError):
    """An input file is malformed; names the file and, where known, the line."""

    def __init__(self, path: str | Path | None, line: int | None, message: str) -> None:
        self.path = str(path) if path is not None else "<input>"
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class NotFoundError(GlossaryError):
    """A concept, term or segment named by the user does not exist."""


class ConflictError(GlossaryError):
    """An edit lost a race with another edit (optimistic locking)."""


class PermissionDeniedError(GlossaryError):
    """The user's role may not make this change (a translator editing the term base)."""


class SchemaError(GlossaryError):
    """The database's schema is not the one this Glossary needs (``glossary db upgrade``)."""


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something in an input file that was read but left out; the reader goes on."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: {self.message}"


class LostRace(ConflictError):
    """A write found a row changed since its own transaction read it, though the user named no
    version: running the transaction again from a fresh read resolves it (see ``store.retry``)."""
