"""Imports into an SQLite term base through a staging file, published in short chunks and one flip.

SQLite has one writer at a time. An import that merged straight into the database would hold
its write lock while it reads the file, matches and romanizes, and every other writer would
wait for all of it. Here the import merges batch by batch into a temporary staging database
ATTACHed to its connection, reading the live term base without locking it (WAL: readers never
block writers); the staging file holds the full new state of every concept the import touched.

The live database is then written in short transactions, each holding the write lock for one
chunk of ``CHUNK`` new concepts (about a second on a busy machine), so another writer waits for
a chunk, not the import. The import is registered first (``pendingimport``, ``store.pending``);
each chunk writes its new concepts, their entered and generated forms and their history rows,
the concepts marked with the import's token (``concept.pending``). Every reader of the term base
leaves out the concepts (with their forms and history) whose token names a registered import.
A final short transaction (the flip) re-checks what the import read (the version of every
stored concept and entered form it touched, that no entered form was added to them meanwhile:
ConflictError naming the concept otherwise), applies the changes to stored concepts (usually
few), bumps the term-base version once and deletes the registration: that one row makes every
new concept visible, however many. The markers are cleared afterwards, chunk by chunk. A concept
the import creates that someone else created meanwhile stops the import at its chunk; another
writer cannot create or edit a concept an import in progress is creating (ConflictError).

Seen from outside the import is still all or nothing: before the flip commits, readers see
nothing of it. A failure removes the chunks already written (again in short transactions); an
importer killed midway leaves hidden rows that the next import, or the next command opening the
database, removes once the importer's process is gone (markers a killed import left after its
flip are harmless and cleared by the next import). The per-row insert triggers are suspended
inside each chunk and the flip and their work done set-based: a history row per concept and
entered form, and a single bump of the term-base counter in the flip.

A later batch sees the earlier batches' work: a concept in the staging file is read from there,
and its forms and external id match there first. Matches by external id or preferred form
against the live database ignore what an earlier batch changed in a concept's stored forms.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from glossary.gcpause import collector_paused
from glossary.model.errors import ConflictError
from glossary.model.records import TERM_FIELDS, ConceptRecord
from glossary.model.tables import Concept, utcnow
from glossary.store.history import sqlite_insert_history
from glossary.store.merge import (
    BATCH,
    CONCEPT_FIELDS,
    Lookups,
    MergeReport,
    StoredTerm,
    Target,
    assign,
    batches,
    lookups_of,
    validate_records,
)
from glossary.store.pending import (
    CHUNK,
    begin,
    clear_markers,
    commit,
    process_alive,
    register,
    remove_abandoned,
    remove_import,
    resume_triggers,
    rollback,
    suspend_triggers,
    write_chunk,
)
from glossary.store.roles import require_terminologist
from glossary.store.termrows import IN_CHUNK, chunks, generated_rows
from glossary.store.versions import TERMBASE
from glossary.translit.variants import VariantMaker

_TERM_COLUMNS = ", ".join(TERM_FIELDS)
_CONCEPT_COLUMNS = ", ".join(CONCEPT_FIELDS)
_SCHEMA = (
    f"CREATE TABLE stage.concept (id TEXT PRIMARY KEY, version INTEGER, created INTEGER, changed INTEGER, "
    f"regenerate INTEGER, {_CONCEPT_COLUMNS})",
    f"CREATE TABLE stage.term (concept_id TEXT, id INTEGER, version INTEGER, position INTEGER, "
    f"changed INTEGER, {_TERM_COLUMNS})",
    "CREATE INDEX stage.term_concept ON term (concept_id)",
    "CREATE INDEX stage.term_form ON term (lang, text)",
    "CREATE INDEX stage.term_id ON term (id)",
    "CREATE INDEX stage.concept_external ON concept (external_id)",
    "CREATE INDEX stage.concept_stored ON concept (created)",  # the flip reads the few stored ones
    f"CREATE TABLE stage.generated (concept_id TEXT, position INTEGER, version INTEGER, {_TERM_COLUMNS})",
    "CREATE INDEX stage.generated_concept ON generated (concept_id)",
)


STAGING_PREFIX = "glossary-import-"
_OWNER = "owner.pid"  # the importing process, so that a later import can tell an abandoned folder


def _staging_folder() -> tempfile.TemporaryDirectory[str]:
    """A new staging folder in the temporary directory, marked with this process's id, after
    removing the folders of imports whose process is gone (killed before it could clean up)."""
    parent = Path(tempfile.gettempdir())
    for old in parent.glob(f"{STAGING_PREFIX}*"):
        try:
            owner = int((old / _OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # no owner recorded (or not readable): not ours to judge
        if owner > 0 and not process_alive(owner):
            shutil.rmtree(old, ignore_errors=True)
    folder = tempfile.TemporaryDirectory(prefix=STAGING_PREFIX)
    (Path(folder.name) / _OWNER).write_text(str(os.getpid()), encoding="ascii")
    return folder


def merge_concepts_staged(
    *,
    session: Session,
    concepts: Iterable[ConceptRecord],
    origin: str = "imported",
    batch_size: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
    before_swap: Callable[[], None] | None = None,
) -> MergeReport:
    """Merge as :func:`glossary.store.merge.merge_concepts` does, and commit, on SQLite.

    The records are merged into a staging file first; the live database is written by hidden
    chunks and one final flip (see the module documentation). ``before_swap`` is called when
    everything is staged, before the first chunk is written (a progress display).
    """
    require_terminologist(session)
    engine = session.get_bind()
    report = MergeReport()
    maker = VariantMaker()
    # No cyclic collection while it runs (see merge_concepts).
    with _staging_folder() as folder, engine.connect() as conn, collector_paused():
        remove_abandoned(conn, markers=True)
        conn.exec_driver_sql("ATTACH DATABASE ? AS stage", (str(Path(folder) / "stage.db"),))
        try:
            conn.exec_driver_sql("PRAGMA stage.journal_mode=OFF")
            conn.exec_driver_sql("PRAGMA stage.synchronous=OFF")
            for statement in _SCHEMA:
                conn.exec_driver_sql(statement)
            conn.commit()
            with Session(bind=conn, info=dict(session.info)) as work:
                for batch in batches(concepts, batch_size):
                    validate_records(batch)
                    lookups = _staged_lookups(work, batch)
                    _stage(work.connection(), assign(batch, lookups, origin, report), maker)
                    work.commit()  # ends the read snapshot of the live database too
                    if on_batch is not None:
                        on_batch(len(batch))
            if before_swap is not None:
                before_swap()
            _publish_and_flip(conn)
        finally:
            conn.rollback()
            conn.exec_driver_sql("DETACH DATABASE stage")
    return report


def _publish_and_flip(conn: Connection) -> None:
    """Write the new concepts in hidden chunks, then flip; on any failure remove what was written."""
    token, _first_history = register(conn)
    try:
        (created,) = _first(conn, "SELECT COUNT(*) FROM stage.concept WHERE created")
        _publish(conn, token)
        _flip(conn, token, int(created))
    except BaseException:
        rollback(conn)
        with contextlib.suppress(OperationalError):  # else left for the next import or open
            remove_import(conn, token)
        raise
    with contextlib.suppress(OperationalError):  # else cleared by the next import
        clear_markers(conn, token)


def _rows(conn: Connection, sql: str, values: Sequence[Any]) -> list[Any]:
    return list(conn.exec_driver_sql(sql, tuple(values)).fetchall())


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _staged_lookups(session: Session, records: list[ConceptRecord]) -> Lookups:
    """The live database's matches, overlaid with what earlier batches staged."""
    lookups = lookups_of(session, records)
    conn = session.connection()
    externals = sorted({r.external_id for r in records if r.external_id})
    forms = {(t.lang, t.text) for r in records for t in r.terms if t.status == "preferred"}
    for chunk in chunks(externals, IN_CHUNK):
        sql = f"SELECT external_id, id FROM stage.concept WHERE external_id IN ({_marks(chunk)})"
        for external_id, concept_id in _rows(conn, sql, chunk):
            lookups.by_external[external_id] = concept_id
    langs = sorted({lang for lang, _text in forms})
    texts = sorted({text for _lang, text in forms})
    for chunk in chunks(texts, IN_CHUNK):
        # Both columns of the (lang, text) index: text alone would scan the whole staged table
        # once per chunk, which made a large import quadratic.
        sql = (f"SELECT lang, text, concept_id FROM stage.term WHERE lang IN ({_marks(langs)}) "
               f"AND text IN ({_marks(chunk)}) AND status = 'preferred' AND origin != 'generated' "
               "ORDER BY concept_id")
        for lang, text, concept_id in _rows(conn, sql, [*langs, *chunk]):
            if (lang, text) in forms:
                lookups.owners[(lang, text)] = concept_id
    wanted = sorted({r.id for r in records} | set(lookups.targets) | set(lookups.by_external.values())
                    | set(lookups.owners.values()))
    for chunk in chunks(wanted, IN_CHUNK):
        sql = (f"SELECT id, version, created, changed, regenerate, {_CONCEPT_COLUMNS} FROM stage.concept "
               f"WHERE id IN ({_marks(chunk)})")
        for concept_id, version, created, changed, regenerate, *values in _rows(conn, sql, chunk):
            lookups.targets[concept_id] = Target(
                concept_id, version, dict(zip(CONCEPT_FIELDS, values, strict=True)), created=bool(created),
                staged_changed=bool(changed), staged_regenerate=bool(regenerate),
            )
        sql = (f"SELECT concept_id, id, version, position, changed, {_TERM_COLUMNS} FROM stage.term "
               f"WHERE concept_id IN ({_marks(chunk)}) ORDER BY concept_id, position")
        for concept_id, term_id, version, position, changed, *values in _rows(conn, sql, chunk):
            target = lookups.targets[concept_id]
            stored = StoredTerm(term_id, version, position, dict(zip(TERM_FIELDS, values, strict=True)),
                                staged_changed=bool(changed))
            target.terms[(stored.values["lang"], stored.values["text"], stored.values["scheme"])] = stored
            target.next_position = max(target.next_position, position + 1)
    return lookups


def _stage(conn: Connection, targets: list[Target], maker: VariantMaker) -> None:
    """Write the full new state of each touched concept into the staging file."""
    ids = [t.id for t in targets]
    for chunk in chunks(ids, IN_CHUNK):
        for table in ("concept", "term"):
            key = "id" if table == "concept" else "concept_id"
            conn.exec_driver_sql(f"DELETE FROM stage.{table} WHERE {key} IN ({_marks(chunk)})", tuple(chunk))
    concept_rows = []
    term_rows = []
    regenerated = []
    generated: list[dict[str, Any]] = []
    for target in targets:
        values = {**target.values, **target.changes}
        regenerate = target.created or target.terms_changed
        concept_rows.append((target.id, target.version, int(target.created),
                             int(bool(target.changes) or target.staged_changed),
                             int(regenerate or target.staged_regenerate),
                             *(values[name] for name in CONCEPT_FIELDS)))
        for term in target.terms.values():
            term_values = {**term.values, **term.changes}
            term_rows.append((target.id, term.id, term.version, term.position,
                              int(bool(term.changes) or term.staged_changed),
                              *(term_values[name] for name in TERM_FIELDS)))
        if regenerate:
            regenerated.append(target.id)
            entered = sorted(target.terms.values(), key=lambda t: (t.id is None, t.position, t.id or 0))
            record = ConceptRecord(id=target.id, terms=[term.record() for term in entered])
            generated.extend(generated_rows(target.id, maker.variants(record)))
    for chunk in chunks(regenerated, IN_CHUNK):
        sql = f"DELETE FROM stage.generated WHERE concept_id IN ({_marks(chunk)})"
        conn.exec_driver_sql(sql, tuple(chunk))
    width = 5 + len(CONCEPT_FIELDS)
    conn.exec_driver_sql(f"INSERT INTO stage.concept VALUES ({', '.join('?' * width)})", concept_rows)
    if term_rows:
        marks = ", ".join("?" * (5 + len(TERM_FIELDS)))
        conn.exec_driver_sql(f"INSERT INTO stage.term (concept_id, id, version, position, changed, "
                             f"{_TERM_COLUMNS}) VALUES ({marks})", term_rows)
    if generated:
        columns = list(generated[0])
        conn.exec_driver_sql(
            f"INSERT INTO stage.generated ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(row[name] for name in columns) for row in generated],
        )


# Insert triggers suspended while the import writes rows: their per-row work (a history row and
# a bump of the term-base counter for each of millions of rows) is done by a few set-based
# statements instead (the bump once, in the flip), with the same result.
_INSERT_TRIGGERS = ("concept_insert_history", "term_insert_history",
                    "concept_insert_bumps_termbase", "term_insert_bumps_termbase")
_BUMPS = ("concept_insert_bumps_termbase", "term_insert_bumps_termbase")
# The forms the insert trigger records. "+" keeps SQLite from reading them by the index of the
# staged ids (all new forms have none: that would read every new form for each chunk).
_NEW_ENTERED = "+r.id IS NULL AND r.origin <> 'generated'"
_CREATED = "SELECT id FROM stage.concept WHERE created AND rowid > ? AND rowid <= ?"


def _first(conn: Connection, sql: str, values: Sequence[Any] = ()) -> Any:
    return conn.exec_driver_sql(sql, tuple(values)).first()


def _now(conn: Connection) -> Any:
    stamp = Concept.__table__.c.updated.type.bind_processor(conn.dialect)  # type: ignore[attr-defined]
    return stamp(utcnow()) if stamp else utcnow()


def _publish(conn: Connection, token: str) -> int:
    """Write the new concepts with their terms and history, ``CHUNK`` concepts per committed
    transaction, marked with ``token`` (hidden from readers); the number written."""
    chunk = CHUNK
    written = 0
    last = 0
    while True:
        row = _first(conn, "SELECT MAX(rowid), COUNT(*) FROM (SELECT rowid FROM stage.concept "
                           "WHERE created AND rowid > ? ORDER BY rowid LIMIT ?)", (last, chunk))
        if not row or not row[1]:
            return written
        high = int(row[0])
        span = (last, high)
        with write_chunk(conn):
            sql = ("SELECT s.id, p.token FROM stage.concept s JOIN main.concept c ON c.id = s.id "
                   "LEFT JOIN main.pendingimport p ON p.token = c.pending "
                   "WHERE s.created AND s.rowid > ? AND s.rowid <= ? LIMIT 1")
            found = _first(conn, sql, span)
            if found and found[1] is not None:
                raise ConflictError(f"concept {found[0]!r} is being created by another import in progress: "
                                    "import again when it has finished")
            if found:
                raise ConflictError(f"concept {found[0]!r} was created by someone else during the import: "
                                    "import again")
            suspended = suspend_triggers(conn, _INSERT_TRIGGERS)
            conn.exec_driver_sql(
                f"INSERT INTO main.concept (id, {_CONCEPT_COLUMNS}, version, updated, pending) "
                f"SELECT id, {_CONCEPT_COLUMNS}, 1, ?, ? FROM stage.concept "
                "WHERE created AND rowid > ? AND rowid <= ? ORDER BY rowid", (_now(conn), token, *span))
            for table, where in (("term", "+id IS NULL AND "), ("generated", "")):
                conn.exec_driver_sql(
                    f"INSERT INTO main.term (concept_id, position, version, {_TERM_COLUMNS}) "
                    f"SELECT concept_id, position, 1, {_TERM_COLUMNS} FROM stage.{table} "
                    f"WHERE {where}concept_id IN ({_CREATED}) ORDER BY rowid", span)
            if "concept_insert_history" in suspended:
                where = "r.created AND r.rowid > ? AND r.rowid <= ?"
                conn.exec_driver_sql(sqlite_insert_history("concept", "stage.concept", where), span)
            if "term_insert_history" in suspended:
                where = f"{_NEW_ENTERED} AND r.concept_id IN ({_CREATED})"
                conn.exec_driver_sql(sqlite_insert_history("term", "stage.term", where), span)
            resume_triggers(conn, suspended)
        written += int(row[1])
        last = high


def _check_versions(conn: Connection) -> None:
    """ConflictError when a stored concept or form the import read was changed meanwhile."""
    # Each statement reads the stored concepts and forms the import touched, never all of them
    # (stored ids are positive; created = 0 by the staged index).
    found = _first(conn, "SELECT s.id, c.version, s.version FROM stage.concept s LEFT JOIN main.concept c "
                         "ON c.id = s.id WHERE s.created = 0 AND (c.id IS NULL OR c.version != s.version) "
                         "LIMIT 1")
    if found:
        raise ConflictError(f"concept {found[0]!r} was changed by someone else during the import "
                            f"(now version {found[1]}, read as {found[2]}): import again")
    found = _first(conn, "SELECT s.concept_id, t.version, s.version FROM stage.term s "
                         "LEFT JOIN main.term t ON t.id = s.id "
                         "WHERE s.id > 0 AND (t.id IS NULL OR t.version != s.version) LIMIT 1")
    if found:
        raise ConflictError(f"a form of concept {found[0]!r} was changed by someone else during the import "
                            "(its version moved on): import again")
    found = _first(conn, "SELECT t.concept_id FROM stage.concept s CROSS JOIN main.term t "
                         "ON t.concept_id = s.id WHERE s.created = 0 AND s.regenerate "
                         "AND t.origin != 'generated' "
                         "AND NOT EXISTS (SELECT 1 FROM stage.term x WHERE x.id = t.id) LIMIT 1")
    if found:
        raise ConflictError(f"concept {found[0]!r} got a new form from someone else during the import: "
                            "import again")


def _flip(conn: Connection, token: str, created: int) -> None:
    """In one short write transaction: re-check what the import read, apply its changes to stored
    concepts, and make its new concepts visible (with their history) by deleting its registration."""
    begin(conn)
    try:
        _check_versions(conn)
        (marked,) = _first(conn, "SELECT COUNT(*) FROM main.concept WHERE pending = ?", (token,))
        if marked != created:
            raise ConflictError(f"{created - marked} of the concepts this import wrote were removed "
                                "meanwhile (taken for an abandoned import's): import again")
        now = _now(conn)
        assignments = ", ".join(f"{name} = s.{name}" for name in CONCEPT_FIELDS)
        changed = conn.exec_driver_sql(
            f"UPDATE main.concept AS c SET {assignments}, version = c.version + 1, updated = ? "
            "FROM stage.concept AS s WHERE s.id = c.id AND s.changed AND s.created = 0", (now,)).rowcount
        updatable = ", ".join(f"{name} = s.{name}" for name in TERM_FIELDS)
        changed += conn.exec_driver_sql(
            f"UPDATE main.term AS t SET {updatable}, version = t.version + 1 "
            "FROM stage.term AS s WHERE s.id = t.id AND s.id > 0 AND s.changed").rowcount
        stored = "SELECT id FROM stage.concept WHERE created = 0 AND regenerate"
        changed += conn.exec_driver_sql(
            f"DELETE FROM main.term WHERE origin = 'generated' AND concept_id IN ({stored})").rowcount
        suspended = suspend_triggers(conn, _INSERT_TRIGGERS)
        for table, where in (("term", "+id IS NULL AND "), ("generated", "")):
            changed += conn.exec_driver_sql(
                f"INSERT INTO main.term (concept_id, position, version, {_TERM_COLUMNS}) "
                f"SELECT concept_id, position, 1, {_TERM_COLUMNS} FROM stage.{table} "
                f"WHERE {where}concept_id IN ({stored}) ORDER BY rowid").rowcount
        if "term_insert_history" in suspended:
            where = f"{_NEW_ENTERED} AND r.concept_id IN ({stored})"
            conn.exec_driver_sql(sqlite_insert_history("term", "stage.term", where))
        # The new concepts are visible once their import is no longer registered.
        conn.exec_driver_sql("DELETE FROM main.pendingimport WHERE token = ?", (token,))
        if (changed or created) and set(_BUMPS) & set(suspended):
            conn.exec_driver_sql(f"UPDATE main.counter SET value = value + 1 WHERE name = '{TERMBASE}'")
        resume_triggers(conn, suspended)
        commit(conn)
    except BaseException:
        rollback(conn)
        raise
