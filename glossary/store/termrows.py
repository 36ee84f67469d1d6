"""Term-base rows in bulk: validation, one-statement inserts and deletes, and the conflict rule."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col

from glossary.model.chars import unstorable
from glossary.model.errors import LostRace, UsageError
from glossary.model.langtag import require_lang
from glossary.model.records import STATUSES, TERM_TYPES, TermRecord
from glossary.model.tables import Concept, Term

IN_CHUNK = 900  # values per IN (...) list, within every backend's limit on bound parameters
GENERATED_BASE = 10_000  # generated forms sort after every entered form


@contextmanager
def conflicts_reported() -> Iterator[None]:
    """Turn SQLAlchemy's lost compare-and-set (``version_id_col``) into LostRace: the row moved on
    since this transaction read it (a write transaction runs again and reads it afresh)."""
    try:
        yield
    except StaleDataError as exc:
        raise LostRace(
            "the term base was changed by someone else meanwhile (a row's version moved on): "
            "reload and try again"
        ) from exc


def validated_term(record: TermRecord) -> TermRecord:
    """The record with its language tag in canonical form (``EN`` → ``en``), or a UsageError."""
    lang = require_lang(record.lang, f"the language of {record.text!r}")
    if record.status not in STATUSES:
        raise UsageError(f"unknown status {record.status!r}; use one of {', '.join(STATUSES)}")
    if record.type not in TERM_TYPES:
        raise UsageError(f"unknown term type {record.type!r}; use one of {', '.join(TERM_TYPES)}")
    if not record.text.strip():
        raise UsageError("a term needs text")
    for value in (record.text, record.note, record.source):
        problem = unstorable(value or "")
        if problem:
            raise UsageError(f"{record.text!r}: {problem}")
    return record if lang == record.lang else replace(record, lang=lang)


def delete_generated(session: Session, concept_ids: Sequence[str]) -> None:
    """Delete the generated forms of these concepts (derived data: they are regenerated whole)."""
    for chunk in chunks(concept_ids, IN_CHUNK):
        session.execute(
            delete(Term)
            .where(col(Term.concept_id).in_(chunk), col(Term.origin) == "generated")
            .execution_options(synchronize_session=False)
        )


def generated_rows(concept_id: str, variants: list[TermRecord]) -> list[dict[str, Any]]:
    """The term rows of a concept's generated forms, after every entered form."""
    return [
        {"concept_id": concept_id, "position": GENERATED_BASE + offset, "version": 1, **variant.as_dict()}
        for offset, variant in enumerate(variants)
    ]


def insert_rows(session: Session, table: type[Concept] | type[Term], rows: list[dict[str, Any]]) -> None:
    """Many rows in one statement and no ORM objects, in the session's transaction.

    Concepts go through SQLAlchemy Core (their timestamp needs its type handling). Terms, only
    text and integers and by far the most rows, go straight to the driver: PostgreSQL's COPY,
    SQLite's executemany; that halves the cost of a large import's writes.
    """
    if not rows:
        return
    session.flush()  # pending ORM changes first
    connection = session.connection()
    if table is not Term:
        connection.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]
        return
    columns = list(rows[0])
    if connection.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY term ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        return
    marks = ", ".join(f":{name}" for name in columns)
    connection.exec_driver_sql(f"INSERT INTO term ({', '.join(columns)}) VALUES ({marks})", rows)


def chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``values`` in slices of at most ``size``, for IN lists."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
