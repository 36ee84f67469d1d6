"""What to tell a reviewer about an error: a title, the message, and what to do."""

from __future__ import annotations

import sys

from glossary.model.errors import ConflictError, GlossaryError, NotFoundError, ParseError, UsageError
from tui.keys import KeyConfigError


def describe(exc: BaseException, doing: str) -> tuple[str, str, str]:
    """(title, message, advice) for an error met while ``doing`` something (``saving``, ``opening``…)."""
    message = " ".join(str(getattr(exc, "orig", None) or exc).split()) or type(exc).__name__
    if isinstance(exc, KeyConfigError):
        return ("Key file not used", message, "Fix or remove the file; until then the default keys apply.")
    if isinstance(exc, ConflictError):
        return ("Changed elsewhere", message, "Reload the segment and edit again; nothing was overwritten.")
    if isinstance(exc, ParseError | UsageError):
        return (f"Cannot go on {doing}", message, "Correct the value and try again.")
    if isinstance(exc, NotFoundError):
        return (f"Not found while {doing}", message,
                "Import the document first (glossary import FILE) or name another one with --document.")
    operational, dbapi, any_database = _database_errors()
    if isinstance(exc, operational | dbapi) and getattr(exc, "connection_invalidated", False):
        return ("Lost the database connection", message,
                "Check that the server is running and reachable; your text stays in the editor and is "
                "saved with the next change (or press the save key).")
    if isinstance(exc, operational):
        return (f"The database refused {doing}", message,
                "Check that the database is reachable, not locked by another program, and writable; your "
                "text stays in the editor and is saved with the next change (or press the save key).")
    if isinstance(exc, GlossaryError | any_database):
        return (f"Error while {doing}", message,
                "Check the database URL (--db or GLOSSARY_DB) and that the database is reachable.")
    return (f"Unexpected error while {doing}", f"{type(exc).__name__}: {message}",
            "Your saved work is in the database. Please report this error with the steps that led to it.")


class _Never(Exception):
    """Stands for SQLAlchemy's errors before SQLAlchemy is imported: nothing is one of them."""


def _database_errors() -> tuple[type[BaseException], type[BaseException], type[BaseException]]:
    """SQLAlchemy's OperationalError, DBAPIError and SQLAlchemyError; none can have been raised
    before SQLAlchemy is imported, which the first screen does without."""
    loaded = sys.modules.get("sqlalchemy.exc")
    if loaded is None:
        return (_Never, _Never, _Never)
    return (loaded.OperationalError, loaded.DBAPIError, loaded.SQLAlchemyError)
