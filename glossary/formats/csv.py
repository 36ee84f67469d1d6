"""CSV term bases: one row per term, concept fields repeated on each of its rows.

Columns (header row required, any order, unknown ones ignored):
``concept,kind,lang,text,status,type,scheme,origin,note,source,external_id,
concept_note,valid_from,valid_until,concept_valid_from,concept_valid_until``.
``concept``, ``lang`` and ``text`` are required; the rest may be missing or
empty. ``valid_from``/``valid_until`` belong to the term, the ``concept_``
pair to the concept. A row with empty ``lang`` and ``text`` declares a concept
without a term. Empty cells read as "not given": status ``preferred``, type
``full_form``, kind ``other``, origin ``imported`` (a hand-made file was not
entered here). The file should be opened with ``newline=""``, as for any CSV.

Given the sources register, the writer adds two columns after these, ``source_title`` and
``source_url``, which name the register entry a term's ``source`` refers to; readers
ignore them, as any unknown column.
"""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from glossary.model.chars import check_chars
from glossary.model.conceptid import parse_concept_id
from glossary.model.errors import ParseError
from glossary.model.langtag import parse_lang
from glossary.model.limits import check_concept, check_term
from glossary.model.records import (
    CONCEPT_KINDS,
    ORIGINS,
    STATUSES,
    TERM_FIELDS,
    TERM_TYPES,
    ConceptRecord,
    SourceRecord,
    TermRecord,
    checked_choice,
)

COLUMNS = (
    "concept",
    "kind",
    "lang",
    "text",
    "status",
    "type",
    "scheme",
    "origin",
    "note",
    "source",
    "external_id",
    "concept_note",
    "valid_from",
    "valid_until",
    "concept_valid_from",
    "concept_valid_until",
)
SOURCE_COLUMNS = ("source_title", "source_url")
REQUIRED = ("concept", "lang", "text")
# Concepts whose stated fields a streaming read remembers, to catch a later row contradicting them.
REMEMBERED = 4096
# Concept fields that every row of a concept may repeat; they must agree.
_CONCEPT_FIELDS = {
    "kind": "kind",
    "note": "concept_note",
    "external_id": "external_id",
    "valid_from": "concept_valid_from",
    "valid_until": "concept_valid_until",
}


def read_csv(fileobj: Iterable[str], path: str = "<input>") -> Iterator[ConceptRecord]:
    """Concepts of a CSV file in first-seen order, each with all its rows, wherever they stand.

    The whole file is read before the first concept is yielded, because a later row may still
    add a term to any concept: for term-base files read whole (checks, small files). An import
    reads with :func:`stream_csv`, whose memory does not grow with the file.
    """
    concepts: dict[str, ConceptRecord] = {}
    for record in stream_csv(fileobj, path, remember=None):
        first = concepts.get(record.id)
        if first is None:
            concepts[record.id] = record
            continue
        first.terms.extend(record.terms)
        for name in record.given or ():
            setattr(first, name, getattr(record, name))
        first.given = (first.given or frozenset()) | (record.given or frozenset())
    yield from concepts.values()


def stream_csv(
    fileobj: Iterable[str], path: str = "<input>", *, remember: int | None = REMEMBERED
) -> Iterator[ConceptRecord]:
    """Concepts of a CSV file, each yielded as soon as a row of another concept follows its rows.

    Rows of one concept need not be adjacent: a concept whose rows come back later in the file
    is yielded again with those rows (the same id, its ``given`` naming only what they state),
    and a merge adds them to the concept the first record made, as a second import of the same
    id would. The concept fields stated for the last ``remember`` concepts (``None``: all) are
    kept, so a later row that contradicts an earlier one is still an error naming both lines;
    beyond that bound, a later row's stated fields replace the earlier ones.
    """
    reader = csv.reader(fileobj, strict=True)
    header = _next_row(reader, path)
    if header is None:
        raise ParseError(path, 1, "empty file: expected a header row")
    columns = _columns(header, path)
    stated: OrderedDict[str, dict[str, tuple[str, int]]] = OrderedDict()
    current: ConceptRecord | None = None
    given: set[str] = set()
    while True:
        start = reader.line_num + 1
        row = _next_row(reader, path)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        for value in row:  # before stripping: a control character at an edge is refused, not lost
            check_chars(value, path, start)
        cells = {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        concept_id = parse_concept_id(cells["concept"], path, start)
        if current is None or current.id != concept_id:
            if current is not None:
                current.given = frozenset(given)
                yield current
            current, given = ConceptRecord(id=concept_id), set()
            fields = stated.pop(concept_id, None)
            stated[concept_id] = fields if fields is not None else {}
            if remember is not None and len(stated) > remember:
                stated.popitem(last=False)
        _add_row(cells, current, stated[concept_id], given, path, start)
    if current is not None:
        current.given = frozenset(given)
        yield current


def decoded_lines(fileobj: Iterable[bytes], path: str) -> Iterator[str]:
    """The lines of a UTF-8 byte stream (a BOM dropped), decoded one at a time: bad bytes
    are a ParseError naming their line. UTF-8 never has a newline byte inside a character,
    so splitting the bytes at newlines first is safe."""
    for number, raw in enumerate(fileobj, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(path, number, f"not UTF-8 text (byte {exc.start} of the line)") from exc


def _columns(header: list[str], path: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").lower()
        if name in columns:
            raise ParseError(path, 1, f"column {name!r} appears twice in the header")
        if name in COLUMNS:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ParseError(path, 1, f"missing required column(s): {', '.join(missing)}")
    return columns


def _next_row(reader: Any, path: str) -> list[str] | None:
    """The next record, or ``None`` at the end; malformed CSV and bad bytes name their line."""
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise ParseError(path, reader.line_num, f"malformed CSV: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(path, reader.line_num + 1, "not UTF-8 text (save the CSV as UTF-8)") from exc


def _add_row(
    cells: dict[str, str],
    concept: ConceptRecord,
    stated: dict[str, tuple[str, int]],
    given: set[str],
    path: str,
    line: int,
) -> None:
    concept_id = concept.id
    for field, column in _CONCEPT_FIELDS.items():
        value = cells.get(column, "")
        if not value:
            continue
        if column == "kind":
            checked_choice(value, CONCEPT_KINDS, "kind", path, line)
        first = stated.get(field)
        if first is not None and first[0] != value:
            raise ParseError(
                path,
                line,
                f"concept {concept_id!r}: {column} {value!r} contradicts {first[0]!r} on line {first[1]}",
            )
        setattr(concept, field, value)
        check_concept(concept, path, line)
        stated.setdefault(field, (value, line))
        given.add(field)
    lang, text = cells["lang"], cells["text"]
    if not lang and not text:
        return
    if not lang or not text:
        raise ParseError(path, line, f"concept {concept_id!r}: a term needs both lang and text")
    concept.terms.append(check_term(
        TermRecord(
            lang=parse_lang(lang, path, line),
            text=text,
            status=checked_choice(cells.get("status") or "preferred", STATUSES, "status", path, line),
            type=checked_choice(cells.get("type") or "full_form", TERM_TYPES, "type", path, line),
            scheme=cells.get("scheme") or None,
            origin=checked_choice(cells.get("origin") or "imported", ORIGINS, "origin", path, line),
            note=cells.get("note") or None,
            source=cells.get("source") or None,
            valid_from=cells.get("valid_from") or None,
            valid_until=cells.get("valid_until") or None,
            given=frozenset(name for name in TERM_FIELDS if cells.get(name)),
        ),
        path,
        line,
    ))


def generate_csv(
    concepts: Iterable[ConceptRecord], *, sources: Mapping[str, SourceRecord] | None = None
) -> Iterator[str]:
    """Yield the header line, then one line (or quoted multi-line record) per term.

    With ``sources`` (register entries by id), each row also names its source's title and URL.
    """
    buffer = io.StringIO()
    # The writer quotes a field holding a character of its line terminator, so with "\r\n" a lone
    # carriage return is quoted too (with "\n" it was not, and read back as a line break); each
    # record still ends in "\n".
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str | None]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if value is None else value for value in values])
        return buffer.getvalue()[:-2] + "\n"

    columns = COLUMNS if sources is None else (*COLUMNS, *SOURCE_COLUMNS)
    yield line(columns)
    for concept in concepts:
        shared = {
            "concept": concept.id,
            "kind": concept.kind,
            "external_id": concept.external_id,
            "concept_note": concept.note,
            "concept_valid_from": concept.valid_from,
            "concept_valid_until": concept.valid_until,
        }
        if not concept.terms:
            yield line(shared.get(name) for name in columns)
        for term in concept.terms:
            row: dict[str, str | None] = {**shared, **term.as_dict()}
            cited = sources.get(term.source) if sources and term.source else None
            if cited is not None:
                row |= {"source_title": cited.title, "source_url": cited.url}
            yield line(row.get(name) for name in columns)
