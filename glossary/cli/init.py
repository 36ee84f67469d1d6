"""``glossary init``: create the schema and load the bundled data explicitly."""

from __future__ import annotations

import argparse

from glossary.cli.common import add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``init`` command."""
    parser = sub.add_parser(
        "init",
        help="create the database and load the bundled term base and article",
        description="Create the schema in the database and load the bundled term base, article, "
        "translations and memory. Any command does this on its own for a database that has no "
        "tables yet; --empty creates the schema only.",
    )
    add_db_option(parser)
    parser.add_argument("--empty", action="store_true", help="create the schema without the bundled data")
    parser.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    """Initialise the database named by ``--db``."""
    from glossary.workspace import Workspace

    with Workspace(args.db, bootstrap=False) as workspace:
        created = workspace.initialize(empty=args.empty)
        where = workspace.engine.url.render_as_string(hide_password=True)
    if created:
        what = "empty schema" if args.empty else "schema and bundled data"
        print(f"initialised {where}: {what}")
    else:
        print(f"{where} is already initialised; nothing changed")
    return 0
