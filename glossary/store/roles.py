"""Who may change what: translators edit translations, only terminologists change the term base.

The library checks the role of the session (``Workspace`` puts ``$GLOSSARY_ROLE`` in
``session.info``; a session without one, such as seeding a new database, is a terminologist's).
On PostgreSQL the server enforces it as well: ``create_database_roles`` makes two group roles,
and a translator's login role (a member of ``glossary_translator``) cannot write concepts or terms.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from glossary.model.errors import PermissionDeniedError, UsageError
from glossary.store.identity import ROLE_VAR, TERMINOLOGIST, TRANSLATOR

ROLE_KEY = "role"
DATABASE_ROLES = {TRANSLATOR: "glossary_translator", TERMINOLOGIST: "glossary_terminologist"}
TERMBASE_TABLES = frozenset({"concept", "term"})
# Written by the triggers (as the schema's owner) or by upgrades only: no role writes them.
NOBODY_WRITES = frozenset({"history", "alembic_version"})


def require_terminologist(session: Session, what: str = "change the term base") -> None:
    """Raise PermissionDeniedError unless the session's role may change the term base."""
    role = session.info.get(ROLE_KEY, TERMINOLOGIST)
    if role != TERMINOLOGIST:
        raise PermissionDeniedError(
            f"a {role} may not {what}: only a terminologist may ({ROLE_VAR}={role})"
        )


def create_database_roles(conn: Connection) -> list[str]:
    """Create (or bring up to date) the PostgreSQL group roles and their grants; returns the SQL run.

    Both may read everything; a terminologist may write every table, a translator every table but
    the term base's. Run again after ``glossary db upgrade`` adds tables (idempotent).
    """
    if conn.dialect.name != "postgresql":
        raise UsageError("database roles are PostgreSQL's: an SQLite file has no users (use GLOSSARY_ROLE)")
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    tables = sorted(inspect(conn).get_table_names(schema=schema))
    quoted = lambda names: ", ".join(f'{schema}."{name}"' for name in sorted(names))  # noqa: E731
    statements = []
    for role in DATABASE_ROLES.values():
        statements += [
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        ]
    writable = {
        TERMINOLOGIST: [t for t in tables if t not in NOBODY_WRITES],
        TRANSLATOR: [t for t in tables if t not in NOBODY_WRITES | TERMBASE_TABLES],
    }
    for name, role in DATABASE_ROLES.items():
        revoke = "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA"
        statements.append(f"{revoke} {schema} FROM {role}")
        if writable[name]:
            statements.append(f"GRANT INSERT, UPDATE, DELETE ON {quoted(writable[name])} TO {role}")
    for statement in statements:
        conn.exec_driver_sql(statement)
    return statements


def database_roles_exist(conn: Connection) -> bool:
    """Whether ``create_database_roles`` ran on this server (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return False
    found = conn.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :b)"),
        {"a": DATABASE_ROLES[TRANSLATOR], "b": DATABASE_ROLES[TERMINOLOGIST]},
    ).scalar_one()
    return int(found) == len(DATABASE_ROLES)
