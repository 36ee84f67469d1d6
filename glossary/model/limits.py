"""Lengths the database's columns hold (see tables.py): readers refuse longer values with file and line."""

from __future__ import annotations

from pathlib import Path

from glossary.model.errors import ParseError
from glossary.model.records import ConceptRecord, TermRecord

TERM_TEXT = 400  # term.text
LANG = 20  # every language column
SCHEME = 40  # term.scheme
DATE = 20  # valid_from, valid_until
EXTERNAL_ID = 60  # concept.external_id
CONTEXT = 400  # segment.context (a .po msgctxt)
FLAGS = 400  # segment.flags (a .po entry's flags, comma-separated)
DOCUMENT_NAME = 200  # document.name
ORIGIN = 200  # tmunit.origin (the name of the file a unit came from)


def check_length(value: str | None, limit: int, what: str, path: str | Path | None, line: int | None) -> None:
    """Refuse ``value`` (read at ``line`` of ``path``) when it is longer than ``limit`` characters."""
    if value is not None and len(value) > limit:
        raise ParseError(path, line, f"{what} is {len(value)} characters long; at most {limit} can be stored")


def check_term(term: TermRecord, path: str | Path | None, line: int | None) -> TermRecord:
    """``term`` if every field of it fits its column; else a ParseError naming the file and line.

    SQLite stores a value of any length, PostgreSQL refuses it without a file or line: the
    readers check here, so both databases hold the same and errors say where.
    """
    check_length(term.text, TERM_TEXT, f"the term {term.text[:40]!r}…", path, line)
    check_length(term.lang, LANG, "the language tag", path, line)
    check_length(term.scheme, SCHEME, "the scheme", path, line)
    check_length(term.valid_from, DATE, "valid_from", path, line)
    check_length(term.valid_until, DATE, "valid_until", path, line)
    return term


def check_concept(concept: ConceptRecord, path: str | Path | None, line: int | None) -> ConceptRecord:
    """``concept`` if its own fields fit their columns (its terms are checked where they are read)."""
    check_length(concept.external_id, EXTERNAL_ID, "the external id", path, line)
    check_length(concept.valid_from, DATE, "valid_from", path, line)
    check_length(concept.valid_until, DATE, "valid_until", path, line)
    return concept
