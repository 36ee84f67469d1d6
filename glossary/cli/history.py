"""``glossary history KEY``: who changed a concept, its terms or a translation, when, and how."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from glossary.cli.common import add_db_option, add_format_option, lang_tag, print_json, session_for

if TYPE_CHECKING:
    from glossary.store.history import HistoryEntry

_VERBS = {"insert": "added", "update": "changed", "delete": "removed"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``history`` command."""
    parser = sub.add_parser(
        "history",
        help="the changes of a concept and its terms, or of a translation",
        description="Every recorded change, oldest first: who made it (GLOSSARY_USER, else the login "
        "name), when (UTC), and the value before and after. KEY is a concept id, or with --lang a "
        "segment key (as in glossary export po), for that segment's translation into the language.",
    )
    add_db_option(parser)
    parser.add_argument("key", metavar="KEY", help="a concept id, or a segment key with --lang")
    parser.add_argument("--lang", type=lang_tag, default=None,
                        help="show the translation of segment KEY into this language")
    parser.add_argument("--document", metavar="NAME", default=None,
                        help="the document of segment KEY, when several have that key")
    add_format_option(parser, "json")
    parser.set_defaults(handler=run_history)


def run_history(args: argparse.Namespace) -> int:
    """Print the history of a concept or of a translation."""
    from glossary.store.history import concept_history, translation_history

    with session_for(args) as session:
        if args.lang is None:
            entries = concept_history(session=session, concept_id=args.key)
        else:
            entries = translation_history(
                session=session, key=args.key, lang=args.lang, document=args.document
            )
    if args.format == "json":
        print_json([as_json(entry) for entry in entries])
        return 0
    if not entries:
        print(f"no recorded change of the {args.lang} translation of {args.key}")
    for entry in entries:
        print(f"{entry.changed:%Y-%m-%d %H:%M:%S}  {entry.user}  {describe(entry)}")
    return 0


def as_json(entry: HistoryEntry) -> dict[str, Any]:
    """The JSON shape of one change."""
    return {
        "kind": entry.kind,
        "action": entry.action,
        "concept": entry.concept_id,
        "segment": entry.segment_id,
        "lang": entry.lang,
        "user": entry.user,
        "changed": entry.changed.isoformat(),
        "old": entry.old,
        "new": entry.new,
    }


def describe(entry: HistoryEntry) -> str:
    """One line: what changed, with the fields an update changed as ``old → new``."""
    verb = _VERBS.get(entry.action, entry.action)
    row = entry.new or entry.old or {}
    if entry.kind == "concept":
        what = f"{verb} concept {entry.concept_id}"
        if entry.action == "insert":
            what += f" ({row.get('kind')})"
    elif entry.kind == "term":
        what = f"{verb} {row.get('lang')} form {row.get('text')!r}"
        if entry.action != "update":
            what += f" ({row.get('status')})"
    else:
        what = f"{verb} translation ({row.get('state')}): {row.get('text')!r}"
        if entry.action == "update":
            what = "changed translation"
    if entry.action != "update":
        return what
    old, new = entry.old or {}, entry.new or {}
    changes = "; ".join(f"{name} {old.get(name)!r} → {new.get(name)!r}" for name in entry.changed_fields())
    return f"{what}: {changes}"
