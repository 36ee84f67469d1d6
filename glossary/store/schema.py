"""Schema revisions (Alembic): what revision a database is at, upgrading it, refusing an old one.

Every command checks the revision when it opens a database, so that check reads the
``alembic_version`` table itself and compares it with ``HEAD``: importing Alembic costs half a
second, paid only when a schema is created or upgraded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from glossary.model.errors import GlossaryError, SchemaError

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = "glossary.store:migrations"
VERSIONS = Path(__file__).with_name("migrations") / "versions"
# The newest revision in migrations/versions/: a new revision sets it (a test compares it with
# Alembic's own idea of the head).
HEAD = "0004"
# The revision that is the schema of release 0.1.0, made before revisions were kept: a database
# of that release has no alembic_version table and is stamped with it before upgrading.
BASELINE = "0001"
UNVERSIONED = "unversioned"
_DESCRIBED = {UNVERSIONED: "release 0.1.0 (no revision)", None: "none (no tables)"}


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a database stands: its revision (None: no schema yet) and this Glossary's head."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, made in code: the scripts in this package, ``connection`` to run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this Glossary's models are at."""
    return HEAD


def known_revisions() -> set[str]:
    """Every revision this Glossary has a script for (a script's name starts with its id)."""
    return {path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9]*.py")}


def current_revision(conn: Connection) -> str | None:
    """The database's revision; ``unversioned`` for a release-0.1.0 database, None with no schema."""
    if inspect(conn).has_table("alembic_version"):
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        if row is not None:
            return str(row[0])
    return UNVERSIONED if _is_unversioned(conn) else None


def _is_unversioned(conn: Connection) -> bool:
    if not inspect(conn).has_table("meta"):
        return False
    return conn.execute(text("SELECT 1 FROM meta WHERE key = 'schema_version'")).first() is not None


def schema_status(engine: Engine) -> SchemaStatus:
    """The database's revision and the head, read without changing anything."""
    with engine.connect() as conn:
        return SchemaStatus(current_revision(conn), head_revision())


def require_current(conn: Connection) -> None:
    """Raise SchemaError unless the database is at this Glossary's head revision."""
    current, head = current_revision(conn), head_revision()
    if current == head:
        return
    if current is not None and current != UNVERSIONED and current not in known_revisions():
        raise SchemaError(
            f"database schema is at {current}, newer than this Glossary knows ({head}): "
            "upgrade Glossary to use it"
        )
    raise SchemaError(
        f"database schema is at {describe(current)}, this Glossary needs {head}: run glossary db upgrade"
    )


def describe(revision: str | None) -> str:
    """A revision as users read it: ``0002``, ``release 0.1.0 (no revision)``, ``none (no tables)``."""
    return _DESCRIBED.get(revision, revision or "")


def migrate(conn: Connection) -> None:
    """Bring the schema to head inside the caller's transaction; the caller commits.

    A database from before revisions were kept (release 0.1.0, ``unversioned``) is first made
    whole the way that release did (tables and triggers it may lack) and stamped as the baseline.
    """
    from alembic import command

    if current_revision(conn) == UNVERSIONED:
        _adopt_unversioned(conn)
    command.upgrade(alembic_config(conn), "head")


def _adopt_unversioned(conn: Connection) -> None:
    from alembic import command

    from glossary.model.tables import Counter, TMChange
    from glossary.store.versions import install_triggers

    Counter.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    TMChange.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    install_triggers(conn)
    command.stamp(alembic_config(conn), BASELINE)


def upgrade_database(engine: Engine) -> SchemaStatus:
    """Upgrade the database to head in one transaction; returns the revision it was at and head.

    On SQLite foreign keys are off while revisions run (a batch-mode revision copies a table and
    drops the original) and checked before the commit; PostgreSQL checks them as it goes.
    """
    with _migration_connection(engine) as conn:
        before = current_revision(conn)
        migrate(conn)
        if conn.dialect.name == "sqlite":
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken is not None:
                raise GlossaryError(f"upgrade left a broken reference in table {broken[0]}; nothing changed")
        conn.commit()
    return SchemaStatus(before, head_revision())


@contextlib.contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    from glossary.store.engine import take_write_lock

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: first
        try:
            take_write_lock(conn)
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def new_revision(message: str, *, url: str) -> Path:
    """Autogenerate the next numbered revision from the models against a head database at ``url``."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from glossary.store.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            migrate(conn)
            conn.commit()
            script = ScriptDirectory.from_config(alembic_config())
            number = len(list(script.walk_revisions())) + 1
            made = command.revision(
                alembic_config(conn), message=message, autogenerate=True, rev_id=f"{number:04d}"
            )
    finally:
        engine.dispose()
    assert made is not None and not isinstance(made, list)
    return Path(made.path)
