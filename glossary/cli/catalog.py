"""``glossary export po|mo`` and ``glossary build``: catalogues and localized articles from the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.cli.common import (
    add_db_option,
    lang_tag,
    progress,
    repository_locales,
    session_for,
    workspace_for,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from glossary.store.catalogs import ExportedCatalog
    from glossary.workspace import Workspace


def _lang_or_all(value: str) -> str:
    return "all" if value.strip().lower() == "all" else lang_tag(value)


def register_po(formats: argparse._SubParsersAction) -> None:
    """``export po`` and ``export mo``."""
    kinds = (("po", "gettext catalogues (.po, and the .pot template)"), ("mo", "compiled catalogues (.mo)"))
    for name, what in kinds:
        parser = formats.add_parser(
            name,
            help=f"a document's {what}",
            description=f"Write {what} of a document: DIR/<lang>/LC_MESSAGES/<document>.{name}"
            + (" and DIR/<document>.pot. Files are written as msgcat writes them; a file whose "
               "content has not changed is left as it is." if name == "po" else "."),
        )
        parser.add_argument("--lang", required=True, type=_lang_or_all, metavar="LANG",
                            help="target language, or 'all' for every language the document has")
        parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                            help="folder to write into (default: locales/ at the repository root)")
        parser.add_argument("--document", default="article", help="document name (default: article)")
        add_db_option(parser)
        parser.set_defaults(handler=run_export_po if name == "po" else run_export_mo)


def _targets(session: Session, args: argparse.Namespace) -> list[str]:
    from glossary.store.catalogs import translated_languages

    if args.lang == "all":
        return translated_languages(session=session, document=args.document)
    return [args.lang]


def _build(
    session: Session, args: argparse.Namespace, lang: str | None, workspace: Workspace
) -> ExportedCatalog:
    from glossary.store.catalogs import build_catalog

    return build_catalog(session=session, document=args.document, lang=lang,
                         concepts=workspace.concepts(session=session),
                         index=workspace.recognizer(session=session))


def _po_path(folder: Path, document: str, lang: str | None, suffix: str) -> Path:
    from glossary.model.catalog_langs import gettext_language

    if lang is None:
        return folder / f"{document}.pot"
    return folder / gettext_language(lang) / "LC_MESSAGES" / f"{document}{suffix}"


def run_export_po(args: argparse.Namespace) -> int:
    """Write the template and the catalogues, then record the export (one transaction)."""
    from glossary.atomic import write_atomic_bytes
    from glossary.formats.po import encode_po, generate_po
    from glossary.formats.po_write import same_apart_from_dates
    from glossary.store.catalogs import is_po_document, record_export

    folder = args.output or repository_locales()
    with workspace_for(args) as workspace, workspace.session() as session:
        langs: list[str | None] = list(_targets(session, args))
        exports = []
        for lang in langs:
            exports.append(_build(session, args, lang, workspace))
        if exports and not is_po_document(session, exports[0].document_id):
            exports.insert(0, _build(session, args, None, workspace))
        outputs = []
        for exported in exports:
            path = _po_path(folder, args.document, exported.lang, ".po")
            messages = exported.catalog.messages
            chunks = progress(generate_po(exported.catalog), total=len(messages), label=f"writing {path}")
            outputs.append((exported, path, b"".join(encode_po(exported.catalog, chunks))))
        for exported, path, data in outputs:
            old = path.read_bytes() if path.is_file() else None
            if old is not None and same_apart_from_dates(old, data):
                state = "unchanged"
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic_bytes(path, [data])
                state = "wrote"
            if exported.lang is not None:
                record_export(session=session, exported=exported)
            count = sum(1 for m in exported.catalog.messages if not m.is_header)
            print(f"{state} {path} ({count} entries)")
        session.commit()
    return 0


def run_export_mo(args: argparse.Namespace) -> int:
    """Compile the catalogues to .mo files."""
    from glossary.atomic import write_atomic_bytes
    from glossary.formats.mo import compiled_messages, generate_mo

    folder = args.output or repository_locales()
    with workspace_for(args) as workspace, workspace.session() as session:
        exports = [_build(session, args, lang, workspace) for lang in _targets(session, args)]
    for exported in exports:
        path = _po_path(folder, args.document, exported.lang, ".mo")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, [generate_mo(exported.catalog)])
        print(f"wrote {path} ({len(compiled_messages(exported.catalog)) - 1} translations)")
    return 0


def register_build(sub: argparse._SubParsersAction) -> None:
    """``build``."""
    parser = sub.add_parser(
        "build",
        help="render the article in one language from its catalogue",
        description="Print (or write) the document in LANG as Markdown, headings and paragraphs as in "
        "the source. Untranslated and fuzzy segments fall back to the source text, names unchanged; "
        "--mark-untranslated flags them.",
    )
    parser.add_argument("--lang", required=True, type=lang_tag, metavar="LANG", help="target language")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--mark-untranslated", action="store_true",
                        help="write fallback segments as [untranslated: ...]")
    parser.add_argument("--document", default="article", help="document name (default: article)")
    add_db_option(parser)
    parser.set_defaults(handler=run_build)


def run_build(args: argparse.Namespace) -> int:
    """Render and print or write the localized article."""
    from glossary.atomic import write_atomic
    from glossary.store.render import render_article

    with session_for(args) as session:
        rendered = render_article(session=session, document=args.document, lang=args.lang,
                                  mark_untranslated=args.mark_untranslated)
    if args.output is None:
        sys.stdout.write(rendered.text)
    else:
        write_atomic(args.output, [rendered.text])
        print(f"wrote {args.output} ({rendered.translated} of {rendered.segments} segments translated)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``build`` (``export po`` and ``export mo`` are added by the export command)."""
    register_build(sub)
