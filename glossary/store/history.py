"""History of the term base and translations: who changed what, when, before and after.

The database's own triggers write it (``install_history_triggers``, run by revision 0002), so
every writer is covered: the ORM, bulk inserts, PostgreSQL's COPY, another Glossary process. Each
change of a concept, an entered term (generated romanizations are derived data and left out) or
a translation becomes one ``history`` row holding the row before and after as JSON. The user is
the connection's: SQLite calls ``glossary_user()``, a function Glossary registers on each
connection; PostgreSQL reads the ``glossary.user`` setting Glossary sets on connecting, else the
database role (``session_user``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from glossary.model.errors import NotFoundError, UsageError
from glossary.model.tables import Concept, Document, History, PendingImport, Segment

# The columns each kind of row keeps in its history; version, position and timestamps are not
# changes of meaning and are left out (an UPDATE that touches only them writes no history).
FIELDS = {
    "concept": ("kind", "note", "external_id", "valid_from", "valid_until"),
    "term": ("lang", "text", "status", "type", "scheme", "origin", "note", "source", "valid_from",
             "valid_until"),
    "translation": ("text", "plurals", "state", "author"),
}
_KEYS = {  # kind -> (concept_id, segment_id, lang) of its history row, from a row alias
    "concept": ("{r}.id", "NULL", "NULL"),
    "term": ("{r}.concept_id", "NULL", "{r}.lang"),
    "translation": ("NULL", "{r}.segment_id", "{r}.lang"),
}
SQLITE_USER_FUNCTION = "glossary_user"
POSTGRES_USER_SETTING = "glossary.user"
_COLUMNS = "kind, action, concept_id, segment_id, lang, old, new, changed_by, changed"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change: ``old`` is None for a row created, ``new`` None for a row deleted."""

    kind: str
    action: str
    concept_id: str | None
    segment_id: int | None
    lang: str | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    user: str
    changed: datetime

    def changed_fields(self) -> list[str]:
        """The fields an update changed, in the kind's order."""
        old, new = self.old or {}, self.new or {}
        return [name for name in FIELDS[self.kind] if old.get(name) != new.get(name)]


def install_history_triggers(conn: Connection) -> None:
    """Create the triggers that write ``history`` (idempotent)."""
    if conn.dialect.name == "postgresql":
        _install_postgresql(conn)
    else:
        _install_sqlite(conn)


def _json(kind: str, row: str, dialect: str) -> str:
    pairs = ", ".join(f"'{name}', {row}.{name}" for name in FIELDS[kind])
    return f"json_object({pairs})" if dialect == "sqlite" else f"jsonb_build_object({pairs})::text"


def _differs(kind: str, operator: str) -> str:
    return " OR ".join(f"o.{name} {operator} n.{name}" for name in FIELDS[kind])


def _install_sqlite(conn: Connection) -> None:
    who = f"{SQLITE_USER_FUNCTION}()"
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"
    for kind in FIELDS:
        concept, segment, lang = _KEYS[kind]
        entered = {"insert": "NEW.origin <> 'generated'", "delete": "OLD.origin <> 'generated'"}
        for action, row in (("insert", "NEW"), ("delete", "OLD"), ("update", "NEW")):
            old = _json(kind, "OLD", "sqlite") if action != "insert" else "NULL"
            new = _json(kind, "NEW", "sqlite") if action != "delete" else "NULL"
            if action == "update":
                when = f"({_differs(kind, 'IS NOT').replace('o.', 'OLD.').replace('n.', 'NEW.')})"
                if kind == "term":
                    when += " AND (OLD.origin <> 'generated' OR NEW.origin <> 'generated')"
            else:
                when = entered[action] if kind == "term" else "1"
            keys = ", ".join(k.format(r=row) for k in (concept, segment, lang))
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {kind}_{action}_history AFTER {action.upper()} ON {kind} "
                f"WHEN {when} BEGIN INSERT INTO history ({_COLUMNS}) "
                f"VALUES ('{kind}', '{action}', {keys}, {old}, {new}, {who}, {now}); END"
            )


def sqlite_insert_history(kind: str, source: str, where: str) -> str:
    """An ``INSERT … SELECT`` writing the history rows the insert trigger of ``kind`` would write
    for the rows of ``source`` (aliased ``r``) that match ``where``, in ``rowid`` order: one
    statement for a bulk insert made while that trigger is suspended (``store.staging``)."""
    keys = ", ".join(k.format(r="r") for k in _KEYS[kind])
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"
    return (f"INSERT INTO main.history ({_COLUMNS}) SELECT '{kind}', 'insert', {keys}, NULL, "
            f"{_json(kind, 'r', 'sqlite')}, {SQLITE_USER_FUNCTION}(), {now} FROM {source} AS r "
            f"WHERE {where} ORDER BY r.rowid")


def _install_postgresql(conn: Connection) -> None:
    who = f"coalesce(nullif(current_setting('{POSTGRES_USER_SETTING}', true), ''), session_user)"
    now = "now()"
    for kind in FIELDS:
        concept, segment, lang = _KEYS[kind]
        for action in ("insert", "delete", "update"):
            if action == "update":
                source = "old_rows o JOIN new_rows n ON n.id = o.id"
                where = f"({_differs(kind, 'IS DISTINCT FROM')})"
                if kind == "term":
                    where += " AND (o.origin <> 'generated' OR n.origin <> 'generated')"
                row, old, new = "n", _json(kind, "o", "pg"), _json(kind, "n", "pg")
                referencing = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
            else:
                row = "n" if action == "insert" else "o"
                table = "new_rows" if action == "insert" else "old_rows"
                source, where = f"{table} {row}", "true"
                if kind == "term":
                    where = f"{row}.origin <> 'generated'"
                old = _json(kind, "o", "pg") if action == "delete" else "NULL"
                new = _json(kind, "n", "pg") if action == "insert" else "NULL"
                referencing = f"REFERENCING {'NEW' if action == 'insert' else 'OLD'} TABLE AS {table}"
            keys = ", ".join(k.format(r=row) for k in (concept, segment, lang))
            function = f"glossary_{kind}_{action}_history"
            # SECURITY DEFINER: the history is written as the schema's owner, so no database role
            # needs (or gets) the right to write the history itself.
            conn.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN "
                f"INSERT INTO history ({_COLUMNS}) SELECT '{kind}', '{action}', {keys}, {old}, {new}, "
                f"{who}, {now} FROM {source} WHERE {where} ORDER BY {row}.id; RETURN NULL; END "
                "$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT"
            )
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {kind}_{action}_history ON {kind}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {kind}_{action}_history AFTER {action.upper()} ON {kind} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )


def _entry(row: History) -> HistoryEntry:
    return HistoryEntry(
        kind=row.kind,
        action=row.action,
        concept_id=row.concept_id,
        segment_id=row.segment_id,
        lang=row.lang,
        old=json.loads(row.old) if row.old else None,
        new=json.loads(row.new) if row.new else None,
        user=row.changed_by,
        changed=row.changed,
    )


def concept_history(*, session: Session, concept_id: str) -> list[HistoryEntry]:
    """Every recorded change of a concept and its entered terms, oldest first."""
    query = select(History).where(History.concept_id == concept_id)
    pending = session.exec(
        select(PendingImport.first_history).join(Concept, col(Concept.pending) == col(PendingImport.token))
        .where(Concept.id == concept_id)
    ).first()
    if pending is not None:  # an import in progress is creating it: its rows are not shown yet
        query = query.where(col(History.id) < pending)
    rows = session.exec(query.order_by(col(History.id))).all()
    if not rows:
        raise NotFoundError(f"no history for a concept {concept_id!r}")
    return [_entry(row) for row in rows]


def find_segment(*, session: Session, key: str, document: str | None = None) -> Segment:
    """The segment with ``key`` (in ``document`` when given): unique, or a UsageError naming the
    documents to choose from."""
    query = select(Segment, Document.name).join(Document, col(Document.id) == col(Segment.document_id))
    query = query.where(Segment.key == key)
    if document is not None:
        query = query.where(Document.name == document)
    found = session.exec(query).all()
    if not found:
        where = f" in document {document!r}" if document is not None else ""
        raise NotFoundError(f"no segment with key {key!r}{where}")
    if len(found) > 1:
        names = ", ".join(sorted(name for _segment, name in found))
        raise UsageError(f"segment key {key!r} is in several documents ({names}): give --document")
    return found[0][0]


def translation_history(
    *, session: Session, key: str, lang: str, document: str | None = None
) -> list[HistoryEntry]:
    """Every recorded change of a segment's translation into ``lang``, oldest first."""
    segment = find_segment(session=session, key=key, document=document)
    rows = session.exec(
        select(History)
        .where(History.kind == "translation", History.segment_id == segment.id, History.lang == lang)
        .order_by(col(History.id))
    ).all()
    return [_entry(row) for row in rows]
