"""Write transactions that run again when they lost a race that a fresh read resolves."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from glossary.model.errors import ConflictError, GlossaryError, LostRace

T = TypeVar("T")

# Lost races (a compare-and-set that found a row moved on, a key inserted meanwhile, a deadlock)
# are run again up to this many times: each run reads afresh, so the next one nearly always wins.
RACE_ATTEMPTS = 20
# How long in all a writer waits for SQLite's write lock (each wait is the busy timeout of the
# connection) before it says the database is busy: a writer queues behind an import rather than fail.
BUSY_SECONDS = 600.0
_PG_RETRY_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock detected
_PG_UNIQUE = "23505"
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_UNIQUE = frozenset({1555, 2067})  # SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE


def begin_write(session: Session) -> None:
    """Begin the session's transaction as a writer.

    On SQLite the write lock is taken at once (``BEGIN IMMEDIATE``, waiting up to the busy
    timeout), so everything the transaction reads is what it will write over and no other
    writer can slip in between. PostgreSQL needs nothing: edits lock or compare-and-set the
    rows they change, and a statement sees what was committed before it.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:  # type: ignore[attr-defined]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def failure_kind(exc: BaseException) -> str | None:
    """``"race"`` or ``"busy"`` when running the transaction again can succeed, else None."""
    if isinstance(exc, LostRace):
        return "race"
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None) or 0
        if isinstance(exc, IntegrityError):
            return "race" if code in _SQLITE_UNIQUE else None
        if code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in str(orig):
            return "busy"
        return None
    state = getattr(orig, "sqlstate", None)
    if state in _PG_RETRY_STATES or (state == _PG_UNIQUE and isinstance(exc, IntegrityError)):
        return "race"
    return None


def write_transaction(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    attempts: int = RACE_ATTEMPTS,
    busy_seconds: float = BUSY_SECONDS,
    info: dict[str, object] | None = None,
) -> T:
    """Run ``work`` in one write transaction and commit it; run it again from the start when it
    lost a race to another writer, and return what the successful run returned.

    ``work`` reads what it needs and decides afresh on each run: an edit the user made against
    a version (``expected_version``) still fails with ConflictError when that version is gone,
    while an edit that named no version (add a form, set a status) is applied to the rows as
    they are now. An unrelated concurrent change therefore never refuses an edit, and a real
    conflict is never papered over. ``work`` must only touch the database (it may run more
    than once); returned ORM rows keep the values they had at commit. ``info`` goes into each
    session's ``info`` (the user's role: ``store.roles``).
    """
    started = time.monotonic()
    races = 0
    while True:
        with Session(engine, expire_on_commit=False, info=dict(info or {})) as session:
            try:
                begin_write(session)
                result = work(session)
                session.commit()
                return result
            except Exception as exc:
                session.rollback()
                kind = failure_kind(exc)
                if kind is None:
                    raise
                if kind == "busy":
                    waited = time.monotonic() - started
                    if waited >= busy_seconds:
                        raise GlossaryError(
                            f"the database stayed locked by another writer for {waited:.0f} s; "
                            "try again when it has finished"
                        ) from exc
                    continue  # the attempt itself waited the connection's busy timeout
                races += 1
                if races >= attempts:
                    if isinstance(exc, ConflictError):
                        raise
                    raise ConflictError(
                        f"other writers kept changing the same rows ({attempts} attempts); try again"
                    ) from exc
        time.sleep(random.uniform(0, min(0.2, 0.005 * 2**races)))
