"""``glossary export``: write catalogues and the memory to files (each format is a subcommand)."""

from __future__ import annotations

import argparse
from pathlib import Path

from glossary.cli.catalog import register_po
from glossary.cli.common import add_db_option, lang_tag


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and its format subcommands."""
    export = sub.add_parser(
        "export",
        help="export catalogues (po, mo) and the memory (tmx)",
        description="Write data from the database to interchange files, atomically.",
    )
    formats = export.add_subparsers(dest="export_command", metavar="FORMAT", required=True)
    register_po(formats)
    register_tmx(formats)


def register_tmx(formats: argparse._SubParsersAction) -> None:
    """``export tmx``."""
    tmx = formats.add_parser(
        "tmx",
        help="the translation memory as TMX 1.4b",
        description="Write the memory as a TMX 1.4b file: one <tu> per unit with its source and "
        "target <tuv>, context and state as <prop>, notes as <note>.",
    )
    tmx.add_argument("-o", "--output", type=Path, default=Path("glossary.tmx"),
                     help="output file, or a folder to hold glossary.tmx (default: ./glossary.tmx)")
    tmx.add_argument("--source", type=lang_tag, help="only units with this source language")
    tmx.add_argument("--lang", "--target", dest="target", type=lang_tag,
                     help="only units with this target language")
    add_db_option(tmx)
    tmx.set_defaults(handler=run_export_tmx)


def run_export_tmx(args: argparse.Namespace) -> int:
    """Write the TMX file."""
    from glossary import __version__
    from glossary.cli.common import session_for
    from glossary.formats.tmx import write_tmx
    from glossary.tm import as_tmx, iter_units

    path: Path = args.output
    if path.is_dir():
        path = path / "glossary.tmx"
    counted = [0]

    def units():
        for unit in as_tmx(iter_units(session=session, source_lang=args.source, target_lang=args.target)):
            counted[0] += 1
            yield unit

    with session_for(args) as session:
        write_tmx(path, units(), srclang=args.source or "*all*", tool_version=__version__)
    print(f"wrote {counted[0]} unit(s) to {path}")
    return 0
