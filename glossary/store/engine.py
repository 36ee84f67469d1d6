"""Database engines from a URL: embedded SQLite by default, PostgreSQL for teams; first-run seeding."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session, create_engine, select

from glossary.model import tables as models
from glossary.model.errors import GlossaryError, UsageError
from glossary.store.history import POSTGRES_USER_SETTING, SQLITE_USER_FUNCTION
from glossary.store.identity import current_user
from glossary.store.location import default_path, resolve_url
from glossary.store.schema import migrate, require_current
from glossary.store.versions import DATABASE_ID_KEY, new_database_id

SCHEMA_VERSION = "1"
# How long an SQLite statement waits for another process's write lock; write transactions
# (``store.retry``) wait again after it, so this bounds one wait, not a writer's patience.
_SQLITE_BUSY_MS = 30_000


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    import sqlite3

    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
    # WAL lets readers work while one process writes; a database on a read-only file system
    # (or opened with mode=ro) cannot switch, and is still read in its current journal mode.
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The history triggers record who made each change (glossary.store.history).
    user = current_user()
    dbapi_connection.create_function(SQLITE_USER_FUNCTION, 0, lambda: user)  # type: ignore[attr-defined]


def _postgres_user(dbapi_connection: object, _record: object) -> None:
    """Name the user for the history triggers: a setting of this connection's session."""
    with dbapi_connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT set_config(%s, %s, false)", (POSTGRES_USER_SETTING, current_user()))
    dbapi_connection.commit()  # type: ignore[attr-defined]


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (resolved as in :func:`resolve_url`); its owner disposes of it."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise UsageError(f"not a database URL: {resolved!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and Path(parsed.database) == default_path():
            # Only the default file's folder is ours to create; a named file's folder must exist.
            default_path().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(resolved, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise UsageError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
    engine = create_engine(resolved, pool_pre_ping=True)
    event.listen(engine, "connect", _postgres_user)
    return engine


def is_initialized(engine: Engine) -> bool:
    """Whether the schema and its version row exist; the row is written last, with the seed."""
    try:
        if not inspect(engine).has_table(models.Meta.__tablename__):
            return False
        with Session(engine) as session:
            return meta_value(session=session, key="schema_version") is not None
    except OperationalError as exc:
        raise GlossaryError(f"cannot open database {engine.url.render_as_string()}: {exc.orig}") from exc


Loader = Callable[[Session], None]
# The longest a first run waits for another process that is seeding the same database.
SEED_WAIT_SECONDS = 300
# pg_advisory_xact_lock key of a first run: the bytes of "glossIni" as a signed 64-bit integer.
_SEED_LOCK_KEY = int.from_bytes(b"glossIni", "big", signed=True)


def init_database(engine: Engine, *, load: Loader | None = None) -> bool:
    """Create the schema and run ``load`` (e.g. the bundled data) in the same transaction; False if
    the database was already initialised. A database whose schema is not at this Glossary's
    revision raises SchemaError (``glossary db upgrade``) before anything else reads it.

    The schema is made by running every revision (``glossary.store.schema``), so a new database
    and an upgraded one are the same. The schema, the bundled data and the version row that
    marks the database as initialised are written in one transaction, so an interrupted first
    run leaves nothing and the next command seeds again. That transaction first takes the
    database's write lock (SQLite's ``BEGIN IMMEDIATE``, a transaction-level advisory lock on
    PostgreSQL): a second process seeding at the same moment waits for the lock, then finds the
    database initialised. Only that wait is a wait: any error of the seeding itself is raised at once.
    """
    if is_initialized(engine):
        with engine.connect() as conn:
            require_current(conn)
        return False
    with engine.connect() as conn:
        take_write_lock(conn)
        if inspect(conn).has_table(models.Meta.__tablename__) and _schema_version(conn) is not None:
            conn.rollback()  # another process seeded it while this one waited
            require_current(conn)
            return False
        migrate(conn)
        with Session(bind=conn) as session:
            if meta_value(session=session, key=DATABASE_ID_KEY) is None:
                session.add(models.Meta(key=DATABASE_ID_KEY, value=new_database_id()))
            session.add(models.Meta(key="seed", value="empty" if load is None else "bundled"))
            if load is not None:
                load(session)
            session.add(models.Meta(key="schema_version", value=SCHEMA_VERSION))
            session.flush()
        conn.commit()
    return True


def take_write_lock(conn: Connection) -> None:
    """Begin a transaction holding the database's write lock (waits for another seeder or upgrader)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEED_LOCK_KEY})
        return
    # pysqlite begins transactions lazily, before the first write; the first run's reads and
    # DDL belong inside it, so it is begun here with the write lock.
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {SEED_WAIT_SECONDS * 1000}")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}")


def _schema_version(conn: Connection) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    return row[0] if row else None


def meta_value(*, session: Session, key: str) -> str | None:
    """One value of the ``meta`` table."""
    row = session.exec(select(models.Meta).where(models.Meta.key == key)).first()
    return row.value if row else None
