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
    busy,
    lang_tag,
    print_json,
    read_bytes_file,
    session_for,
)
from glossary.model.errors import NotFoundError, ParseError, ParseWarning, UsageError
from glossary.model.limits import DOCUMENT_NAME

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

    from glossary.formats.article import decode_article
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
        text=decode_article(read_bytes_file(path), path),
        fmt=fmt,
        source_lang=args.source_lang,
        path=str(path),
        credit=args.credit,
    )
    if not report.added + report.unchanged + report.changed + report.restored:
        # Markdown of nothing but code, tables or HTML: the command rolls the document back.
        raise ParseError(path, None, "no text to translate in it (no heading, paragraph or list item)")
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
    left_out: list[ParseWarning] = []
    with handle:
        units = import_tmx(session=session, fileobj=handle, path=path, left_out=left_out)
    return {"units": units, "without_target": len(left_out)}


def import_po_file(
    *, session: Session, path: Path, name: str, args: argparse.Namespace
) -> Mapping[str, object]:
    """A gettext catalogue: translations into an article, or a document of its own."""
    from glossary.formats.po import read_po
    from glossary.formats.po_check import check_messages
    from glossary.model.catalog_langs import language_of
    from glossary.store.catalog_import import import_catalog

    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(f"no such file: {path}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    with handle, busy(f"reading {path}"):
        catalog = read_po(handle, path)
    # gettext allows any escape (\a, \0 ...); what goes into the database is checked here.
    check_messages(catalog.messages, str(path))
    lang = args.lang or language_of(catalog, str(path))
    if lang is None:
        if path.suffix.lower() != ".pot" and any(m.translated for m in catalog.messages if not m.is_header):
            raise UsageError(f"cannot tell the language of {path}: its header has no Language; give --lang")
        lang = ""  # a template
    with busy(f"importing {len(catalog.messages)} entries into {name!r}"):
        report = import_catalog(session=session, catalog=catalog, document=name, lang=lang,
                                path=str(path), source_lang=args.source_lang)
    return {
        "document": report.document,
        "lang": report.lang,
        "created": report.created,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "obsoleted": report.obsoleted,
        "unmatched": report.unmatched,
        "conflicts": [conflict.to_json() for conflict in report.conflicts],
    }


# One importer per file suffix; support for another format is one entry here.
IMPORTERS: dict[str, Importer] = {
    ".txt": import_article,
    ".md": import_article,
    ".markdown": import_article,
    ".tmx": import_tmx_file,
    ".po": import_po_file,
    ".pot": import_po_file,
}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``import`` command."""
    parser = sub.add_parser(
        "import",
        help="import an article (.txt, .md), a catalogue (.po, .pot) or a translation memory (.tmx)",
        description="Import a document, chosen by the file suffix. Articles are split into sentences; "
        "importing a document again keeps every translation: edited sentences keep theirs marked "
        "fuzzy, removed ones become obsolete. A .po brings its translations into the document of "
        "the same name (a new document when there is none, every gettext detail kept); a "
        "translation changed both in the database and in the file since the last export is "
        "reported as a conflict, with both versions, and left as it is (exit code 1). "
        "The import is one transaction.",
    )
    parser.add_argument("file", type=Path, help=f"the file to import ({', '.join(sorted(IMPORTERS))})")
    parser.add_argument("--name", help="document name (default: the file name without suffix)")
    parser.add_argument("--source-lang", default="en", type=lang_tag,
                        help="language of the article, a BCP 47 tag (default: en)")
    parser.add_argument("--credit", help="author and licence line to keep with the document")
    parser.add_argument("--lang", type=lang_tag,
                        help="language of a .po whose header and path do not say it")
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
    if len(name) > DOCUMENT_NAME:
        raise UsageError(f"a document name has at most {DOCUMENT_NAME} characters; give a shorter --name")
    with session_for(args) as session:
        summary = importer(session=session, path=path, name=name, args=args)
        session.commit()
    conflicts = list(summary.get("conflicts", []))  # type: ignore[call-overload]
    if args.format == "json":
        print_json(dict(summary))
    else:
        counts = ", ".join(
            f"{len(value) if isinstance(value, list) else value} {key}"
            for key, value in summary.items()
            if isinstance(value, (int, list)) and not isinstance(value, bool) and key != "created"
        )
        lang = f" ({summary['lang']})" if summary.get("lang") else ""
        if "units" in summary:
            left_out = summary.get("without_target")
            note = f"; {left_out} unit(s) without a target left out" if left_out else ""
            print(f"imported {path.name} into the memory: {summary['units']} new unit(s); "
                  f"units the memory already held were skipped{note}")
        else:
            print(f"imported {path.name} as {name!r}{lang}: {counts}")
        for conflict in conflicts:
            print(f"conflict: {path}:{conflict['line']}: {conflict['source']!r} changed in the database and "
                  f"in the file since the last export; left as it is")
            print(f"    database: {conflict['database']}")
            print(f"    file:     {conflict['file']}")
    rules = summary.get("sentence_rules")
    if rules and rules != str(args.source_lang).split("-")[0]:
        print(f"note: no sentence rules for {args.source_lang}; sentences were split by the {rules} rules",
              file=sys.stderr)
    return 1 if conflicts else 0
