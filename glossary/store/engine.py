"""Database engines from a URL: embedded SQLite by default, PostgreSQL for teams; first-run seeding."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import platformdirs
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine, select

from glossary.model import tables as models
from glossary.model.errors import GlossaryError, UsageError
from glossary.store.versions import DATABASE_ID_KEY, install_triggers, new_database_id

SCHEMA_VERSION = "1"
ENV_VAR = "GLOSSARY_DB"


def default_path() -> Path:
    """The SQLite file used when no URL is given."""
    return Path(platformdirs.user_data_dir("glossary", appauthor=False)) / "glossary.db"


def resolve_url(url: str | None = None) -> str:
    """The URL a command should use: the option, then ``$GLOSSARY_DB``, then the default file."""
    url = url or os.environ.get(ENV_VAR) or f"sqlite:///{default_path()}"
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy would pick psycopg2; the project ships psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    import sqlite3

    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers work while one process writes; a database on a read-only file system
    # (or opened with mode=ro) cannot switch, and is still read in its current journal mode.
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
    return create_engine(resolved, pool_pre_ping=True)


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


def init_database(engine: Engine, *, load: Loader | None = None) -> bool:
    """Create the schema and run ``load`` (e.g. the bundled data) in the same transaction; False if
    the database was already initialised.

    The tables are created first (idempotently); the bundled data and the version row that
    marks the database as initialised go in one transaction, so an interrupted first run
    leaves a database that the next command seeds again. When another process is seeding
    the same database at the same moment, this one waits for it instead of failing.
    """
    if is_initialized(engine):
        if not inspect(engine).has_table(models.TMChange.__tablename__):
            # A database made before versions were kept: add the counters and their triggers.
            SQLModel.metadata.create_all(engine)
            with engine.begin() as conn:
                install_triggers(conn)
        return False
    try:
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            install_triggers(conn)
        with Session(engine) as session:
            if meta_value(session=session, key=DATABASE_ID_KEY) is None:
                session.add(models.Meta(key=DATABASE_ID_KEY, value=new_database_id()))
            session.add(models.Meta(key="seed", value="empty" if load is None else "bundled"))
            if load is not None:
                load(session)
            session.add(models.Meta(key="schema_version", value=SCHEMA_VERSION))
            session.commit()
    except SQLAlchemyError:
        if _wait_for_other_seeder(engine):
            return False
        raise
    return True


def _wait_for_other_seeder(engine: Engine, seconds: float = 60.0) -> bool:
    """True once another process has finished initialising the database (it won the race)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(SQLAlchemyError):
            if is_initialized(engine):
                return True
        time.sleep(0.2)
    return False


def meta_value(*, session: Session, key: str) -> str | None:
    """One value of the ``meta`` table."""
    row = session.exec(select(models.Meta).where(models.Meta.key == key)).first()
    return row.value if row else None
