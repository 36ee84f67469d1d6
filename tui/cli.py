"""``glossary review``: registered into the ``glossary`` command through an entry point, so the core
never imports the TUI; Textual is imported only when the command runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glossary.cli.common import add_db_option, lang_tag


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``review`` command."""
    parser = sub.add_parser(
        "review",
        help="review and edit translations in the terminal (the review TUI)",
        description="Open the review screen: the segments of a document with their translations, the "
        "names in each (in the form the term base wants), memory matches and findings. Every edit is "
        "saved as you type. Press F1 (or ? outside the editor) for the keys.",
    )
    add_db_option(parser)
    parser.add_argument("--lang", type=lang_tag, default="ru", help="target language to review (default: ru)")
    parser.add_argument("--document", metavar="NAME", default=None,
                        help="document to review (default: the bundled article, else the first one)")
    parser.add_argument("--keys", metavar="FILE", type=Path, default=None,
                        help="TOML file that remaps keys (default: keys.toml in the user config folder)")
    parser.set_defaults(handler=run_review)


def run_review(args: argparse.Namespace) -> int:
    """Run the app until the reviewer quits; its exit code is the command's."""
    from tui.app import make_app

    app = make_app(args.db, lang=args.lang, config_path=args.keys, document=args.document)
    result = app.run()
    for note in app.exit_notes:
        print(note, file=sys.stderr)
    return int(result) if result is not None else int(app.return_code or 0)


def main(argv: list[str] | None = None) -> int:
    """``python -m tui [--lang ru] [--db URL]``: the same command without the ``glossary`` front."""
    parser = argparse.ArgumentParser(prog="python -m tui")
    register(parser.add_subparsers(dest="command", required=False))
    args = parser.parse_args(["review", *(sys.argv[1:] if argv is None else argv)])
    return run_review(args)
