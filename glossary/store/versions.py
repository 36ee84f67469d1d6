"""Versions the database keeps: triggers bump a counter in the same transaction as every write.

Derived indexes (the compiled recognizer, the memory's word index) are stored and keyed by these
versions, so no writer can forget to invalidate them (as sqlite-utils' ``enable_fts`` keeps its
index in step with triggers). A version string also names the database itself (a random id
written at initialisation), so a re-created database never matches an index of the old one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

TERMBASE = "termbase"
DATABASE_ID_KEY = "database_id"
_TERMBASE_TABLES = ("concept", "term")


def install_triggers(conn: Connection) -> None:
    """Create the counters and their triggers (idempotent); called with the schema."""
    if conn.execute(text("SELECT 1 FROM counter WHERE name = :n"), {"n": TERMBASE}).first() is None:
        conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"), {"n": TERMBASE})
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION glossary_bump_termbase() RETURNS trigger AS $$ "
            f"BEGIN UPDATE counter SET value = value + 1 WHERE name = '{TERMBASE}'; RETURN NULL; END "
            "$$ LANGUAGE plpgsql"
        ))
        for table in _TERMBASE_TABLES:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_bumps_termbase ON {table}"))
            conn.execute(text(
                f"CREATE TRIGGER {table}_bumps_termbase AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION glossary_bump_termbase()"
            ))
        return
    for table in _TERMBASE_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_bumps_termbase "
                f"AFTER {event} ON {table} BEGIN "
                f"UPDATE counter SET value = value + 1 WHERE name = '{TERMBASE}'; END"
            ))


def new_database_id() -> str:
    """A random id for a database being initialised."""
    return uuid.uuid4().hex


def counter_value(*, session: Session, name: str) -> int:
    """The current value of one counter (0 when it was never bumped)."""
    row = session.execute(text("SELECT value FROM counter WHERE name = :n"), {"n": name}).first()
    return int(row[0]) if row else 0


def termbase_version(*, session: Session) -> str:
    """``<database id>:<counter>``: changes with every committed write to concepts or terms."""
    row = session.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": DATABASE_ID_KEY}).first()
    database_id = row[0] if row else "unknown"
    return f"{database_id}:{counter_value(session=session, name=TERMBASE)}"
