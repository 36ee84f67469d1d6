"""``glossary db upgrade|status|roles``: the schema's revision and PostgreSQL's database roles."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from glossary.cli.common import add_db_option, add_format_option, print_json

if TYPE_CHECKING:  # SQLAlchemy is imported when a command runs, not for --help
    from sqlalchemy.engine import Engine


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``db`` command group."""
    parser = sub.add_parser(
        "db",
        help="upgrade the database schema, show its revision, create PostgreSQL roles",
        description="Manage the database itself. Every other command refuses a database whose "
        "schema is older than this Glossary (exit 2) until `glossary db upgrade` has run.",
    )
    commands = parser.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda _args: parser.print_help() or 2)

    upgrade = commands.add_parser(
        "upgrade",
        help="bring the schema to this Glossary's revision",
        description="Run every schema revision the database lacks, in one transaction (all or "
        "nothing). A database made by release 0.1.0, before revisions were kept, is recognised and "
        "upgraded too. Back up the database first; there is no downgrade.",
    )
    add_db_option(upgrade)
    upgrade.set_defaults(handler=run_upgrade)

    status = commands.add_parser(
        "status",
        help="print the database's schema revision and this Glossary's",
        description="Print the revision the database is at and the one this Glossary needs "
        "(exit 0 when they agree, 1 when the database needs `glossary db upgrade`).",
    )
    add_db_option(status)
    add_format_option(status, "json")
    status.set_defaults(handler=run_status)

    roles = commands.add_parser(
        "roles",
        help="create the PostgreSQL roles glossary_translator and glossary_terminologist",
        description="Create (or update) two PostgreSQL group roles: glossary_terminologist may "
        "change everything, glossary_translator everything but the term base (concepts and terms). "
        "Make each user's login role a member of one, e.g. CREATE ROLE aigerim LOGIN IN ROLE "
        "glossary_translator. Needs a user allowed to create roles; run again after an upgrade.",
    )
    add_db_option(roles)
    roles.add_argument("--print", action="store_true", dest="show", help="print the SQL it ran")
    roles.set_defaults(handler=run_roles)


def _engine(args: argparse.Namespace) -> Engine:
    from glossary.store.engine import make_engine

    return make_engine(getattr(args, "db", None))


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database named by ``--db`` to the head revision."""
    from glossary.store.roles import create_database_roles, database_roles_exist
    from glossary.store.schema import describe, upgrade_database

    engine = _engine(args)
    try:
        status = upgrade_database(engine)
        with engine.begin() as conn:
            if database_roles_exist(conn):
                create_database_roles(conn)  # new tables get the roles' grants
        where = engine.url.render_as_string(hide_password=True)
    finally:
        engine.dispose()
    if status.up_to_date:
        print(f"{where} is at {status.head}; nothing to do")
    elif status.current is None:
        print(f"created schema {status.head} in {where}; the first command loads the bundled data")
    else:
        print(f"upgraded {where} from {describe(status.current)} to {status.head}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print the current and head revision; exit 1 when an upgrade is needed."""
    from glossary.store.schema import describe, schema_status

    engine = _engine(args)
    try:
        status = schema_status(engine)
    finally:
        engine.dispose()
    if args.format == "json":
        print_json({"current": status.current, "head": status.head, "up_to_date": status.up_to_date})
    else:
        print(f"current: {describe(status.current)}")
        print(f"head:    {status.head}")
        if not status.up_to_date and status.current is not None:
            print("run glossary db upgrade")
    return 0 if status.up_to_date or status.current is None else 1


def run_roles(args: argparse.Namespace) -> int:
    """Create the PostgreSQL group roles and their grants."""
    from glossary.store.roles import DATABASE_ROLES, create_database_roles

    engine = _engine(args)
    try:
        with engine.begin() as conn:
            statements = create_database_roles(conn)
    finally:
        engine.dispose()
    if args.show:
        for statement in statements:
            print(f"{statement};")
    names = ", ".join(DATABASE_ROLES.values())
    print(f"roles ready: {names}; add users with CREATE ROLE name LOGIN IN ROLE <one of them>")
    return 0
