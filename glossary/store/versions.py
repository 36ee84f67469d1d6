"""Versions the database keeps: triggers bump a counter in the same transaction as every write.

Derived indexes (the compiled recognizer, the memory's word index) are stored and keyed by these
versions, so no writer can forget to invalidate them (as sqlite-utils' ``enable_fts`` keeps its
index in step with triggers). A version string also names the database itself (a random id
written at initialisation), so a re-created database never matches an index of the old one.

The memory keeps two counters per language pair (:func:`pair_counter`): its version, which every
inserted, updated or deleted unit of the pair bumps, and its number of units. Updated and deleted
units are also logged in ``tmchange``, so the index re-reads exactly those. On PostgreSQL every
statement that writes units first takes a transaction-level advisory lock, so memory writers are
serialised before their first insert and unit ids grow in commit order (an index that has read up
to id *n* never misses a unit committed later with a smaller id); SQLite serialises writers anyway.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

TERMBASE = "termbase"
DATABASE_ID_KEY = "database_id"
_TERMBASE_TABLES = ("concept", "term")
MEMORY_PREFIX = "tm:"
UNITS_SUFFIX = ":units"
# pg_advisory_xact_lock key of memory writers: the bytes of "glossTM!" as a signed 64-bit integer.
MEMORY_LOCK_KEY = int.from_bytes(b"glossTM!", "big", signed=True)


def install_triggers(conn: Connection) -> None:
    """Create the counters and their triggers (idempotent); called with the schema."""
    if conn.execute(text("SELECT 1 FROM counter WHERE name = :n"), {"n": TERMBASE}).first() is None:
        conn.execute(text("INSERT INTO counter (name, value) VALUES (:n, 0)"), {"n": TERMBASE})
    if conn.execute(text("SELECT 1 FROM meta WHERE key = :k"), {"k": DATABASE_ID_KEY}).first() is None:
        conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"),
                     {"k": DATABASE_ID_KEY, "v": new_database_id()})
    _install_termbase_triggers(conn)
    _install_memory_triggers(conn)


def _install_termbase_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        install_postgresql_termbase_triggers(conn)
        return
    for table in _TERMBASE_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_bumps_termbase "
                f"AFTER {event} ON {table} BEGIN "
                f"UPDATE counter SET value = value + 1 WHERE name = '{TERMBASE}'; END"
            ))


PENDING_PREFIX = f"{TERMBASE}:pending:"


def install_postgresql_termbase_triggers(conn: Connection) -> None:
    """The term-base counter bumped once per transaction, at its commit (idempotent).

    A write to concepts or terms only marks its transaction: each statement inserts (or finds)
    a counter row of its own, named after the transaction, which no other writer touches. At
    commit a deferred trigger on that row deletes it and bumps the shared counter. So the shared
    row is locked for the last moment of a commit, never for the length of a transaction: an
    import of 100,000 concepts does not hold up a writer adding one form elsewhere, and a reader
    sees the new version exactly when it sees the new rows. A rolled-back transaction bumps
    nothing.
    """
    conn.execute(text(
        "CREATE OR REPLACE FUNCTION glossary_mark_termbase() RETURNS trigger AS $$ "
        f"BEGIN INSERT INTO counter (name, value) VALUES ('{PENDING_PREFIX}' || txid_current(), 0) "
        "ON CONFLICT (name) DO NOTHING; RETURN NULL; END $$ LANGUAGE plpgsql"
    ))
    conn.execute(text(
        "CREATE OR REPLACE FUNCTION glossary_bump_termbase() RETURNS trigger AS $$ "
        "BEGIN DELETE FROM counter WHERE name = NEW.name; "
        f"UPDATE counter SET value = value + 1 WHERE name = '{TERMBASE}'; RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    ))
    for table in _TERMBASE_TABLES:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_bumps_termbase ON {table}"))
        conn.execute(text(
            f"CREATE TRIGGER {table}_bumps_termbase AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION glossary_mark_termbase()"
        ))
    conn.execute(text("DROP TRIGGER IF EXISTS counter_commits_termbase ON counter"))
    conn.execute(text(
        "CREATE CONSTRAINT TRIGGER counter_commits_termbase AFTER INSERT ON counter "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        f"WHEN (NEW.name LIKE '{PENDING_PREFIX}%') EXECUTE FUNCTION glossary_bump_termbase()"
    ))


def _pair_key(row: str, suffix: str = "") -> str:
    """SQL for the counter name of the pair of ``row`` (``NEW``, ``OLD`` or a table alias)."""
    return f"'{MEMORY_PREFIX}' || {row}.source_lang || ':' || {row}.target_lang" + (
        f" || '{suffix}'" if suffix else ""
    )


def _install_memory_triggers(conn: Connection) -> None:
    """Per-pair version and unit count, the change log, and (PostgreSQL) the writers' lock."""
    # Counters for units written before the triggers existed (a database from an older release).
    for suffix in ("", UNITS_SUFFIX):
        conn.exec_driver_sql(
            f"INSERT INTO counter (name, value) SELECT {_pair_key('u', suffix)}, count(*) FROM tmunit u "
            "WHERE true GROUP BY u.source_lang, u.target_lang ON CONFLICT (name) DO NOTHING"
        )
    upsert = "ON CONFLICT (name) DO UPDATE SET value = counter.value + excluded.value"
    if conn.dialect.name == "postgresql":
        _install_memory_triggers_postgresql(conn, upsert)
        return
    same_pair = "OLD.source_lang = NEW.source_lang AND OLD.target_lang = NEW.target_lang"
    bodies = {
        "insert": [
            f"INSERT INTO counter (name, value) VALUES ({_pair_key('NEW')}, 1) {upsert}",
            f"INSERT INTO counter (name, value) VALUES ({_pair_key('NEW', UNITS_SUFFIX)}, 1) {upsert}",
        ],
        "delete": [
            "INSERT INTO tmchange (source_lang, target_lang, unit_id) "
            "VALUES (OLD.source_lang, OLD.target_lang, OLD.id)",
            f"INSERT INTO counter (name, value) VALUES ({_pair_key('OLD')}, 1) {upsert}",
            f"INSERT INTO counter (name, value) VALUES ({_pair_key('OLD', UNITS_SUFFIX)}, -1) {upsert}",
        ],
        "update": [
            "INSERT INTO tmchange (source_lang, target_lang, unit_id) "
            "VALUES (OLD.source_lang, OLD.target_lang, OLD.id)",
            f"INSERT INTO counter (name, value) VALUES ({_pair_key('OLD')}, 1) {upsert}",
            "INSERT INTO tmchange (source_lang, target_lang, unit_id) "
            f"SELECT NEW.source_lang, NEW.target_lang, NEW.id WHERE NOT ({same_pair})",
            f"INSERT INTO counter (name, value) SELECT {_pair_key('NEW')}, 1 "
            f"WHERE NOT ({same_pair}) {upsert}",
            f"INSERT INTO counter (name, value) SELECT {_pair_key('OLD', UNITS_SUFFIX)}, -1 "
            f"WHERE NOT ({same_pair}) {upsert}",
            f"INSERT INTO counter (name, value) SELECT {_pair_key('NEW', UNITS_SUFFIX)}, 1 "
            f"WHERE NOT ({same_pair}) {upsert}",
        ],
    }
    for event, statements in bodies.items():
        body = "; ".join(statements)
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS tmunit_{event}_counts AFTER {event.upper()} ON tmunit "
            f"BEGIN {body}; END"
        )


def _install_memory_triggers_postgresql(conn: Connection, upsert: str) -> None:
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION glossary_tm_lock() RETURNS trigger AS $$ "
        f"BEGIN PERFORM pg_advisory_xact_lock({MEMORY_LOCK_KEY}); RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
    count = ("INSERT INTO counter (name, value) "
             "SELECT k, sum(d) FROM ({rows}) AS c GROUP BY k HAVING sum(d) <> 0 ")
    version = lambda table: f"SELECT {_pair_key('r')} AS k, 1 AS d FROM {table} r"  # noqa: E731
    units = lambda table, d: f"SELECT {_pair_key('r', UNITS_SUFFIX)} AS k, {d} AS d FROM {table} r"  # noqa: E731
    log = "INSERT INTO tmchange (source_lang, target_lang, unit_id) SELECT source_lang, target_lang, id FROM "
    changed = ("(SELECT source_lang, target_lang, id FROM old_rows "
               "UNION SELECT source_lang, target_lang, id FROM new_rows)")
    bodies = {
        "insert": ("REFERENCING NEW TABLE AS new_rows", [
            count.format(rows=f"{version('new_rows')} UNION ALL {units('new_rows', 1)}") + upsert,
        ]),
        "delete": ("REFERENCING OLD TABLE AS old_rows", [
            f"{log} old_rows ORDER BY id",
            count.format(rows=f"{version('old_rows')} UNION ALL {units('old_rows', -1)}") + upsert,
        ]),
        "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", [
            f"{log} {changed} AS c ORDER BY id",
            count.format(rows=f"{version(changed)} UNION ALL {units('old_rows', -1)} "
                              f"UNION ALL {units('new_rows', 1)}") + upsert,
        ]),
    }
    for event, (referencing, statements) in bodies.items():
        body = "; ".join(statements)
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION glossary_tm_{event}() RETURNS trigger AS $$ "
            f"BEGIN {body}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS tmunit_{event}_counts ON tmunit")
        conn.exec_driver_sql(
            f"CREATE TRIGGER tmunit_{event}_counts AFTER {event.upper()} ON tmunit {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION glossary_tm_{event}()"
        )
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS tmunit_writers_serialised ON tmunit")
    conn.exec_driver_sql(
        "CREATE TRIGGER tmunit_writers_serialised BEFORE INSERT OR UPDATE OR DELETE ON tmunit "
        "FOR EACH STATEMENT EXECUTE FUNCTION glossary_tm_lock()"
    )


def pair_counter(source_lang: str, target_lang: str, *, units: bool = False) -> str:
    """The name of a pair's version counter (``units=True``: of its number of units)."""
    return f"{MEMORY_PREFIX}{source_lang}:{target_lang}" + (UNITS_SUFFIX if units else "")


def memory_pairs(*, session: Session) -> list[tuple[str, str]]:
    """The language pairs that hold units, from their counters (no scan of the units)."""
    rows = session.execute(
        text("SELECT name FROM counter WHERE name LIKE :p AND value > 0"),
        {"p": f"{MEMORY_PREFIX}%{UNITS_SUFFIX}"},
    )
    pairs = []
    for (name,) in rows:
        parts = name[len(MEMORY_PREFIX) : -len(UNITS_SUFFIX)].split(":")
        if len(parts) == 2:
            pairs.append((parts[0], parts[1]))
    return sorted(pairs)


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
