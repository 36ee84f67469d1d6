"""``glossary export``: write catalogues and the memory to files (each format is a subcommand)."""

from __future__ import annotations

import argparse
import sys
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
                     help="output file, a folder to hold glossary.tmx, or - for standard output "
                     "(default: ./glossary.tmx)")
    tmx.add_argument("--source", type=lang_tag, help="only units with this source language")
    tmx.add_argument("--lang", "--target", dest="target", type=lang_tag,
                     help="only units with this target language")
    add_db_option(tmx)
    tmx.set_defaults(handler=run_export_tmx)


def run_export_tmx(args: argparse.Namespace) -> int:
    """Write the TMX file."""
    from glossary import __version__
    from glossary.cli.common import session_for
    from glossary.formats.tmx import generate_tmx, write_tmx
    from glossary.memory.units import as_records, iter_units

    path: Path = args.output
    to_stdout = str(path) == "-"
    if path.is_dir():
        path = path / "glossary.tmx"
    counted = [0]

    def units():
        for unit in as_records(iter_units(session=session, source_lang=args.source, target_lang=args.target)):
            counted[0] += 1
            yield unit

    options = {"srclang": args.source or "*all*", "tool_version": __version__}
    with session_for(args) as session:
        if to_stdout:
            sys.stdout.writelines(generate_tmx(units(), **options))
        else:
            write_tmx(path, units(), **options)
    print(f"wrote {counted[0]} unit(s) to {'standard output' if to_stdout else path}",
          file=sys.stderr if to_stdout else sys.stdout)
    return 0
