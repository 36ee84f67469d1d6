"""``glossary translit``: romanize a name with one scheme or all, or list the schemes."""

from __future__ import annotations

import argparse

from glossary.cli.common import add_format_option, print_json
from glossary.model.errors import UsageError
from glossary.translit import DEFAULT_SCHEME, list_schemes, romanize, romanize_all

ALL = "all"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``translit`` command."""
    parser = sub.add_parser(
        "translit",
        help="romanize Cyrillic or Armenian text with a transliteration scheme",
        description="Romanize TEXT written in LANG with one scheme (default: bgn_pcgn) or with every "
        "scheme of that language (--scheme all); --list names every scheme and its authority.",
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the Cyrillic or Armenian text to romanize")
    parser.add_argument(
        "--lang", metavar="LANG", help="language of TEXT: ru, kk, ky, be, tg or hy (see --list)"
    )
    parser.add_argument(
        "--scheme",
        default=DEFAULT_SCHEME,
        metavar="NAME",
        help=f"scheme name, or '{ALL}' for every scheme of the language (default: {DEFAULT_SCHEME})",
    )
    parser.add_argument("--list", action="store_true", help="list the schemes (of --lang, if given)")
    add_format_option(parser, "json")
    parser.set_defaults(handler=run)


def _list(args: argparse.Namespace) -> int:
    schemes = list_schemes(args.lang)
    if args.format == "json":
        print_json(
            [
                {
                    "lang": s.lang,
                    "name": s.name,
                    "title": s.title,
                    "authority": s.authority,
                    "source": s.source,
                    "target_langs": list(s.target_langs),
                }
                for s in schemes
            ]
        )
    else:
        for s in schemes:
            print(f"{s.lang}\t{s.name}\t{s.authority}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Print the romanization(s) of TEXT, or the scheme list."""
    if args.list:
        return _list(args)
    if args.text is None or args.lang is None:
        raise UsageError("translit needs TEXT and --lang (or --list)")
    if args.scheme == ALL:
        results = romanize_all(args.text, args.lang)
        if args.format == "json":
            print_json(results)
        else:
            for name, value in results.items():
                print(f"{name}\t{value}")
        return 0
    result = romanize(args.text, args.lang, args.scheme)
    if args.format == "json":
        print_json({args.scheme: result})
    else:
        print(result)
    return 0
