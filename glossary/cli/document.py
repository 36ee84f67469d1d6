"""``glossary import FILE``: bring an article (and, by suffix, other formats) into the database."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from glossary.cli.common import (
    add_db_option,
    add_format_option,
    lang_tag,
    print_json,
    read_text_file,
    session_for,
)
from glossary.model.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session


class Importer(Protocol):
    """Reads ``path`` into the database as document ``name``; returns counts to report.

    The importer flushes and the command commits, so a failing import leaves
    nothing behind.
    """

    def __call__(
        self, *, session: Session, path: Path, name: str, args: argparse.Namespace
    ) -> Mapping[str, object]:
        """Import one file."""
        ...


def import_article(
    *, session: Session, path: Path, name: str, args: argparse.Namespace
) -> Mapping[str, object]:
    """A plain-text or Markdown article, segmented into sentences."""
    from sqlmodel import select

    from glossary.model.tables import Document
    from glossary.store.documents import import_document

    existing = session.exec(select(Document).where(Document.name == name)).first()
    if args.name is None and existing is not None and existing.path != str(path):
        # Same file name, another file: updating would turn the other document's segments obsolete.
        raise UsageError(
            f"a document named {name!r} came from {existing.path}; "
            f"give --name {name} to update it from {path}, or another --name for a new document"
        )
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    report = import_document(
        session=session,
        name=name,
        text=read_text_file(path),
        fmt=fmt,
        source_lang=args.source_lang,
        path=str(path),
        credit=args.credit,
    )
    return dataclasses.asdict(report)


def import_tmx_file(
    *, session: Session, path: Path, name: str, args: argparse.Namespace
) -> Mapping[str, object]:
    """A TMX 1.4b file: every unit joins the translation memory."""
    from glossary.cli.common import import_tmx

    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(f"no such file: {path}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        return {"units": import_tmx(session=session, fileobj=handle, path=path)}


# One importer per file suffix; support for another format is one entry here.
IMPORTERS: dict[str, Importer] = {
    ".txt": import_article,
    ".md": import_article,
    ".markdown": import_article,
    ".tmx": import_tmx_file,
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` command."""
    parser = sub.add_parser(
        "import",
        help="import an article (.txt, .md) or a translation memory (.tmx)",
        description="Import a document, chosen by the file suffix. Articles are split into sentences; "
        "importing a document again keeps every translation: edited sentences keep theirs marked "
        "fuzzy, removed ones become obsolete. The import is one transaction.",
    )
    parser.add_argument("file", type=Path, help=f"the file to import ({', '.join(sorted(IMPORTERS))})")
    parser.add_argument("--name", help="document name (default: the file name without suffix)")
    parser.add_argument("--source-lang", default="en", type=lang_tag,
                        help="language of the article, a BCP 47 tag (default: en)")
    parser.add_argument("--credit", help="author and licence line to keep with the document")
    add_db_option(parser)
    add_format_option(parser, "json")
    parser.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Import ``args.file`` with the importer for its suffix and print what changed."""
    path: Path = args.file
    importer = IMPORTERS.get(path.suffix.lower())
    if importer is None:
        known = ", ".join(sorted(IMPORTERS))
        raise UsageError(f"cannot import {path.name!r}: unknown suffix (known: {known})")
    name = args.name or path.stem
    with session_for(args) as session:
        summary = importer(session=session, path=path, name=name, args=args)
        session.commit()
    if args.format == "json":
        print_json(dict(summary))
    else:
        counts = ", ".join(f"{value} {key}" for key, value in summary.items() if isinstance(value, int))
        print(f"imported {path.name} as {name!r}: {counts}")
    rules = summary.get("sentence_rules")
    if rules and rules != str(args.source_lang).split("-")[0]:
        print(f"note: no sentence rules for {args.source_lang}; sentences were split by the {rules} rules",
              file=sys.stderr)
    return 0
