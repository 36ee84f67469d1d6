"""``glossary terms``: list, show, add, import and export the term base."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from glossary.cli.common import (
    add_db_option,
    add_format_option,
    concept_id,
    lang_tag,
    print_json,
    session_for,
    workspace_for,
)
from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.records import CONCEPT_KINDS, STATUSES, TERM_TYPES, ConceptRecord, TermRecord

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlmodel import Session

MAIN_LANGS = ("en", "ru", "kk", "de", "fr")
FILE_FORMATS = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``terms`` and its subcommands."""
    terms = sub.add_parser(
        "terms",
        help="the term base: list, show, add, import, export",
        description="Work with the concept-oriented term base of people, organisations and places.",
    )
    terms_sub = terms.add_subparsers(dest="terms_command", metavar="SUBCOMMAND", required=True)

    listing = terms_sub.add_parser(
        "list", help="list concepts", description="List concepts with their preferred forms."
    )
    add_db_option(listing)
    add_format_option(listing, "json")
    listing.add_argument("--kind", choices=CONCEPT_KINDS, help="only concepts of this kind")
    listing.add_argument("--no-generated", action="store_true", help="leave generated romanizations out")
    listing.set_defaults(handler=run_list)

    show = terms_sub.add_parser(
        "show",
        help="show one concept",
        description="Show a concept with every form, its status and source, and its generated forms.",
    )
    show.add_argument("concept", help="concept id, e.g. tokayev")
    add_db_option(show)
    add_format_option(show, "json")
    show.set_defaults(handler=run_show)

    add = terms_sub.add_parser(
        "add",
        help="add a form to a concept",
        description="Add a form to a concept; the concept is created when it does not exist yet.",
    )
    add.add_argument("concept", type=concept_id,
                     help="concept id: a lowercase slug such as tokayev (letters, digits, _ - .)")
    add.add_argument("text", help="the form, e.g. Тоқаев")
    add.add_argument("--lang", required=True, type=lang_tag,
                     help="BCP 47 language tag: en, ru, kk, kk-Latn, de, fr ...")
    add.add_argument("--status", choices=STATUSES, default="preferred", help="default: preferred")
    add.add_argument("--type", choices=TERM_TYPES, default="full_form", help="default: full_form")
    add.add_argument("--kind", choices=CONCEPT_KINDS, help="kind of a new concept")
    add.add_argument("--note", help="a note on the form")
    add.add_argument("--source", help="where the spelling is attested")
    add_db_option(add)
    add.set_defaults(handler=run_add)

    imp = terms_sub.add_parser(
        "import",
        help="import TBX or CSV",
        description="Import TBX-Basic, TBX v2 (martif) or CSV. Existing concepts (same id, external "
        "id or preferred form) are updated, never duplicated. The import is one transaction.",
    )
    imp.add_argument("file", type=Path, help="a .tbx or .csv file")
    imp.add_argument("--input-format", choices=("tbx", "csv"), help="default: from the file suffix")
    add_db_option(imp)
    add_format_option(imp, "json")
    imp.set_defaults(handler=run_import)

    exp = terms_sub.add_parser(
        "export",
        help="export TBX-Basic or CSV",
        description="Export the term base as TBX-Basic or CSV, written atomically. A term whose "
        "source is an entry of the bundled sources register also gets that entry's title and URL.",
    )
    exp.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    exp.add_argument("--output-format", choices=("tbx", "csv"), help="default: from -o suffix, else tbx")
    add_db_option(exp)
    exp.set_defaults(handler=run_export)


def concept_json(concept: ConceptRecord) -> dict[str, object]:
    """The JSON shape of a concept (DESIGN.md, 'Machine-readable output')."""
    return {
        "id": concept.id,
        "kind": concept.kind,
        "note": concept.note,
        "external_id": concept.external_id,
        "terms": [
            {
                "lang": t.lang,
                "text": t.text,
                "status": t.status,
                "type": t.type,
                "scheme": t.scheme,
                "origin": t.origin,
                "source": t.source,
            }
            for t in concept.terms
        ],
    }


def run_list(args: argparse.Namespace) -> int:
    """Print every concept."""
    from glossary.store.termbase import load_concepts

    with session_for(args) as session:
        concepts = load_concepts(session=session)
    if args.kind:
        concepts = [c for c in concepts if c.kind == args.kind]
    if args.no_generated:
        for concept in concepts:
            concept.terms = [t for t in concept.terms if t.origin != "generated"]
    if args.format == "json":
        print_json([concept_json(c) for c in concepts])
        return 0
    rows = [("id", "kind", *MAIN_LANGS)]
    for concept in concepts:
        forms = [(concept.preferred(lang) or TermRecord(lang, "–")).text for lang in MAIN_LANGS]
        rows.append((concept.id, concept.kind, *forms))
    columns = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    widths = fit_columns([max(len(r[i]) for r in rows) for i in range(len(rows[0]))], columns, fixed=2)
    for row in rows:
        print("  ".join(clip(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(concepts)} concepts")
    return 0


def fit_columns(natural: list[int], total: int | None, *, fixed: int, gap: int = 2) -> list[int]:
    """Column widths that fit ``total`` characters: the first ``fixed`` columns keep their width,
    the widest of the others shrink first (to no less than 8); ``None`` means no limit (a pipe)."""
    widths = list(natural)
    if total is None:
        return widths
    while sum(widths) + gap * (len(widths) - 1) > total:
        flexible = [i for i in range(fixed, len(widths)) if widths[i] > 8]
        if not flexible:
            break
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def run_show(args: argparse.Namespace) -> int:
    """Print one concept with all its forms."""
    from glossary.store.termbase import get_concept

    with session_for(args) as session:
        concept = get_concept(session=session, concept_id=args.concept)
    if args.format == "json":
        print_json(concept_json(concept))
        return 0
    print(f"{concept.id} ({concept.kind})" + (f"  {concept.external_id}" if concept.external_id else ""))
    if concept.note:
        print(f"  {concept.note}")
    entered = [t for t in concept.terms if t.origin != "generated"]
    generated = [t for t in concept.terms if t.origin == "generated"]
    for term in entered:
        extra = f"  [{term.source}]" if term.source else ""
        valid = f" (until {term.valid_until})" if term.valid_until else ""
        print(f"  {term.lang:<8} {term.status:<11} {term.type:<13} {term.text}{valid}{extra}")
        if term.note:
            print(f"  {'':<8} {'':<11} {'':<13} note: {term.note}")
    if generated:
        print("  generated romanizations:")
        for term in generated:
            print(f"  {term.lang:<8} {term.scheme or '':<15} {term.text}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    """Add one form (success, too, when the form is there already exactly as asked)."""
    from glossary.store.termbase import ensure_term

    term = TermRecord(
        lang=args.lang,
        text=args.text,
        status=args.status,
        type=args.type,
        note=args.note,
        source=args.source,
    )
    with workspace_for(args) as workspace:
        _, added = workspace.write(
            lambda session: ensure_term(session=session, concept=args.concept, term=term, kind=args.kind)
        )
    if added:
        print(f"added {args.lang} {args.status} form {args.text!r} to {args.concept}")
    else:
        print(f"{args.concept} already has the {args.lang} {args.status} form {args.text!r}")
    return 0


def _file_format(path: Path, given: str | None) -> str:
    if given:
        return given
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown suffix; name the format with --input-format/--output-format")
    return fmt


def run_import(args: argparse.Namespace) -> int:
    """Import a TBX or CSV file as one transaction."""
    from glossary.cli.importprogress import ImportProgress
    from glossary.formats.csv import decoded_lines, stream_csv
    from glossary.formats.tbx import read_tbx
    from glossary.store.staging import merge_concepts_staged
    from glossary.store.termbase import MergeReport, merge_concepts

    fmt = _file_format(args.file, args.input_format)
    path = str(args.file)
    handle = _open_input(args.file)

    def records(handle: IO[bytes]) -> Iterator[ConceptRecord]:
        # A CSV is decoded line by line (bad bytes name their line) and grouped as the rows come.
        return read_tbx(handle, path) if fmt == "tbx" else stream_csv(decoded_lines(handle, path), path)

    progress = ImportProgress(f"importing {args.file.name}")
    with handle, workspace_for(args) as workspace, progress.shown() as shown:
        if workspace.engine.dialect.name == "sqlite":
            # Merged into a staging file, then written in short hidden chunks and made visible at
            # once: other writers wait for a chunk at most.
            # Nothing is visible unless every record merged.
            with workspace.session() as session:
                report = merge_concepts_staged(session=session, concepts=shown.counted(records(handle)),
                                               on_batch=shown.written, before_swap=shown.swapping)
        else:  # PostgreSQL's row locks block only writers of the same rows
            runs = 0

            def merge(session: Session) -> MergeReport:
                # Run again (the file read anew) only when another writer got in the way; nothing
                # is committed unless every record merged.
                nonlocal runs
                runs += 1
                if runs > 1:
                    if not handle.seekable():
                        raise ConflictError("another writer changed these concepts meanwhile: import again")
                    handle.seek(0)
                return merge_concepts(session=session, concepts=shown.counted(records(handle)),
                                      on_batch=shown.written)

            report = workspace.write(merge)
    summary = {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "terms_added": report.terms_added,
    }
    if args.format == "json":
        print_json(summary)
    else:
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items()))
    return 0


def _open_input(path: Path) -> IO[bytes]:
    """The file to import, or standard input for ``-``, as bytes; errors name the file."""
    if str(path) == "-":
        return os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    try:
        return path.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError(f"no such file: {path}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def run_export(args: argparse.Namespace) -> int:
    """Export the whole term base."""
    from glossary.atomic import write_atomic
    from glossary.formats.csv import generate_csv
    from glossary.formats.sources import read_sources
    from glossary.formats.tbx import generate_tbx
    from glossary.store.termbase import load_concepts

    fmt = args.output_format or (_file_format(args.output, None) if args.output else "tbx")
    with session_for(args) as session:
        concepts = load_concepts(session=session)
    # Sources of the bundled term base are register ids; the export names and links them.
    sources = read_sources()
    if fmt == "tbx":
        chunks = generate_tbx(concepts, sources=sources)
    else:
        chunks = generate_csv(concepts, sources=sources)
    if args.output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return 0
    write_atomic(args.output, chunks)
    print(f"wrote {len(concepts)} concepts to {args.output}", file=sys.stderr)
    return 0
