"""Imports in progress on SQLite: their registration, hidden rows, suspended triggers and removal.

An SQLite import writes its new concepts in short committed chunks (``store.staging``), each
concept marked with the import's token in ``concept.pending``. ``pendingimport`` registers each
import in progress with its process and host; readers leave out the concepts whose token is
registered, and their terms (:func:`visible`, :func:`of_visible`), so the import makes all of
them visible by deleting its one registration row, and clears the markers afterwards. An import
whose process is gone (killed, or its machine restarted) left rows nobody can see, which
:func:`remove_abandoned` deletes, chunk by chunk, so that no other writer waits long for it.
History rows of a hidden concept are written with its rows (ids from ``first_history`` on) and
are shown once the concept is visible (``store.history``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, or_, select

from glossary.model.tables import Concept, PendingImport, utcnow

CHUNK = 2000  # new concepts per short write transaction of an import
_REMOVED = 900  # concepts per transaction of a removal: their ids are bound parameters
_RESTART_WAIT_MS = 250  # the longest a checkpoint between chunks waits (other writers wait too)
# Clearing a finished import's markers changes nothing a reader sees: no history, no new version.
_MARKER_TRIGGERS = ("concept_update_history", "concept_update_bumps_termbase")
_DELETE_TRIGGERS = ("concept_delete_history", "term_delete_history",
                    "concept_delete_bumps_termbase", "term_delete_bumps_termbase")


def visible() -> ColumnElement[bool]:
    """The condition on ``concept`` that every reader of the term base applies: no marker, or
    the marker of an import that has finished (its registration is gone)."""
    return or_(col(Concept.pending).is_(None), col(Concept.pending).not_in(select(PendingImport.token)))


def of_visible(term_concept: Any) -> ColumnElement[bool]:
    """The condition on a term's concept id that leaves out the terms of hidden concepts (found
    through the partial index: nothing to read outside an import)."""
    hidden = select(Concept.id).where(col(Concept.pending).in_(select(PendingImport.token)))
    return col(term_concept).not_in(hidden)


def is_hidden(session: Session, concept: Concept) -> bool:
    """Whether an import in progress is creating this concept (readers do not see it yet)."""
    return concept.pending is not None and session.get(PendingImport, concept.pending) is not None


def _rows(conn: Connection, sql: str, values: Sequence[Any] = ()) -> list[Any]:
    return list(conn.exec_driver_sql(sql, tuple(values)).fetchall())


def begin(conn: Connection) -> None:
    """Begin a write transaction holding SQLite's write lock (waits for another writer)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def commit(conn: Connection) -> None:
    conn.exec_driver_sql("COMMIT")


def restart_log(conn: Connection) -> None:
    """Checkpoint the write-ahead log and start it over, waiting ``_RESTART_WAIT_MS`` at most.

    An import commits hundreds of chunks; with another process writing every fraction of a
    second SQLite's automatic checkpoints never found the moment to start the log over, and it
    grew with every chunk (past 4 GB during a 400,000-concept import). Waiting briefly after a
    chunk for the readers of older snapshots keeps it at about one chunk's size.
    """
    (before,) = conn.exec_driver_sql("PRAGMA busy_timeout").one()
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {_RESTART_WAIT_MS}")
    try:
        with contextlib.suppress(OperationalError):  # busy: the next chunk tries again
            conn.exec_driver_sql("PRAGMA main.wal_checkpoint(RESTART)").all()
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(before)}")


def rollback(conn: Connection) -> None:
    """Roll back the open driver-level transaction, if any."""
    if conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("ROLLBACK")


@contextlib.contextmanager
def write_chunk(conn: Connection) -> Iterator[None]:
    """One short write transaction of an import: committed when the block ends, rolled back if it
    raises; the write-ahead log is started over after each commit (:func:`restart_log`)."""
    begin(conn)
    try:
        yield
        commit(conn)
    except BaseException:
        rollback(conn)
        raise
    restart_log(conn)


def suspend_triggers(conn: Connection, names: Sequence[str]) -> dict[str, str]:
    """Drop these triggers in the open transaction; their SQL by name, for :func:`resume_triggers`.

    Nobody else sees them missing: the transaction holds the write lock, a reader sees the
    schema of its snapshot, and a rollback (or a killed process) restores them with the rest.
    """
    marks = ", ".join("?" for _ in names)
    found = dict(_rows(conn, f"SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' "
                             f"AND name IN ({marks})", names))
    for name in found:
        conn.exec_driver_sql(f"DROP TRIGGER main.{name}")
    return found


def resume_triggers(conn: Connection, suspended: dict[str, str]) -> None:
    """Create the suspended triggers again exactly as they were."""
    for sql in suspended.values():
        conn.exec_driver_sql(sql)


def register(conn: Connection) -> tuple[str, int]:
    """Record a new import in progress (committed); its token and first possible history id."""
    token = uuid.uuid4().hex
    begin(conn)
    try:
        (first,) = _rows(conn, "SELECT COALESCE(MAX(id), 0) + 1 FROM main.history")[0]
        stamp = Concept.__table__.c.updated.type.bind_processor(conn.dialect)  # type: ignore[attr-defined]
        now = stamp(utcnow()) if stamp else utcnow()
        conn.exec_driver_sql("INSERT INTO main.pendingimport (token, pid, host, started, first_history) "
                             "VALUES (?, ?, ?, ?, ?)", (token, os.getpid(), socket.gethostname(), now, first))
        commit(conn)
    except BaseException:
        rollback(conn)
        raise
    return token, int(first)


def remove_import(conn: Connection, token: str) -> int:
    """Delete an unfinished import's hidden concepts, terms and history rows, a chunk of concepts
    per short transaction, then its registration; the number of concepts removed."""
    found = _rows(conn, "SELECT first_history FROM main.pendingimport WHERE token = ?", (token,))
    first = int(found[0][0]) if found else 0
    removed = 0
    while True:
        with write_chunk(conn):
            ids = [row[0] for row in _rows(conn, "SELECT id FROM main.concept WHERE pending = ? LIMIT ?",
                                           (token, _REMOVED))]
            if ids:
                suspended = suspend_triggers(conn, _DELETE_TRIGGERS)
                marks = ", ".join("?" for _ in ids)
                conn.exec_driver_sql(f"DELETE FROM main.history WHERE concept_id IN ({marks}) AND id >= ? "
                                     "AND kind IN ('concept', 'term')", (*ids, first))
                conn.exec_driver_sql(f"DELETE FROM main.term WHERE concept_id IN ({marks})", tuple(ids))
                conn.exec_driver_sql(f"DELETE FROM main.concept WHERE id IN ({marks})", tuple(ids))
                resume_triggers(conn, suspended)
            else:
                conn.exec_driver_sql("DELETE FROM main.pendingimport WHERE token = ?", (token,))
        if not ids:
            return removed
        removed += len(ids)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this host (another user's process counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clear_markers(conn: Connection, token: str) -> None:
    """Clear the markers of a finished import's concepts (visible already: its registration is
    gone), a chunk per short transaction; no history, no new term-base version."""
    while True:
        with write_chunk(conn):
            suspended = suspend_triggers(conn, _MARKER_TRIGGERS)
            cleared = conn.exec_driver_sql(
                "UPDATE main.concept SET pending = NULL WHERE rowid IN "
                "(SELECT rowid FROM main.concept WHERE pending = ? LIMIT ?)", (token, CHUNK)).rowcount
            resume_triggers(conn, suspended)
        if not cleared:
            return


def finished_markers(conn: Connection) -> list[str]:
    """The tokens still marking concepts of imports that finished (killed before they cleared them)."""
    rows = _rows(conn, "SELECT DISTINCT pending FROM main.concept WHERE pending IS NOT NULL "
                       "AND pending NOT IN (SELECT token FROM main.pendingimport)")
    conn.rollback()
    return [token for (token,) in rows]


def abandoned(conn: Connection) -> list[str]:
    """The tokens of imports in progress whose process is gone (on this host)."""
    if conn.dialect.name != "sqlite":
        return []
    rows = _rows(conn, "SELECT token, pid, host FROM main.pendingimport")
    conn.rollback()  # no read snapshot held
    host = socket.gethostname()
    return [token for token, pid, owner in rows if owner == host and not process_alive(int(pid))]


def remove_abandoned(conn: Connection, *, markers: bool = False) -> int:
    """Remove what imports whose process is gone left behind; the number of concepts removed.
    With ``markers``, also clear the markers that finished imports left (harmless, but a scan of
    the partial index: an import does it, not every command).

    A database that cannot be written now (read-only, or locked past the busy timeout) keeps
    them for the next time: they are hidden from every reader anyway.
    """
    removed = 0
    try:
        for token in abandoned(conn):
            removed += remove_import(conn, token)
        for token in finished_markers(conn) if markers else []:
            clear_markers(conn, token)
    except OperationalError:
        pass
    return removed
