"""Import a .po catalogue: a pure plan of what changes (conflicts included), then one short apply.

Into an article (a document imported from text) an entry is matched to its segment by
``msgctxt``, the segment key the export wrote. Its translation replaces the database's when
only the file changed since the last export; when both changed, differently, it is a conflict:
reported with both versions and left for the reviewer. Without a record of an export, the
database's translation counts as unchanged while it is still at its first version.

A catalogue whose document does not exist yet becomes a document of its own, every gettext
detail kept; importing it again updates it the same way as an article (matched by
``msgctxt`` and ``msgid``, new entries added, vanished ones made obsolete).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import Table, and_, bindparam, func, insert, update
from sqlmodel import Session, col, select

from glossary.gcpause import collector_paused
from glossary.model.catalog import FUZZY, PoCatalog, PoMessage
from glossary.model.errors import ParseError
from glossary.model.tables import (
    Catalog,
    CatalogEntry,
    Document,
    Segment,
    Translation,
    TranslationHistory,
    utcnow,
)
from glossary.store.catalogs import PO_ORIGIN, TEMPLATE, ensure_tables, message_to_json, plain_rows

MAX_CONTEXT = 400  # Segment.context is a VARCHAR(400)


class StoredSegment(NamedTuple):
    """What the database holds for one segment, in the catalogue's language.

    A named tuple rather than a frozen dataclass: as immutable, and several times cheaper to
    make, which shows when a catalogue has a hundred thousand entries.
    """

    id: int
    key: str
    position: int
    source: str
    source_plural: str | None
    context: str | None
    comments: str | None
    references: str | None
    flags: str | None
    previous_source: str | None
    obsolete: bool  # 0 or 1 as SQLite gives it back: equal to False and True
    text: str | None  # None: no translation row
    plurals: str | None
    state: str
    version: int
    translator_comments: str | None = None
    previous_context: str | None = None
    previous_plural: str | None = None
    translation_id: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogState:
    """The database side of an import, loaded once: everything the plan needs."""

    document_id: int | None
    po_document: bool
    segments: tuple[StoredSegment, ...] = ()
    exported: dict[int, int] | None = None  # segment id -> version written by the last export
    base: dict[int, tuple[str, str | None, str]] = field(default_factory=dict)  # id -> (text, plurals, state)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A translation changed both in the database and in the file since the last export."""

    line: int
    key: str
    source: str
    database: str
    file: str

    def to_json(self) -> dict[str, object]:
        """The conflict for ``--format json``."""
        return {"line": self.line, "key": self.key, "source": self.source,
                "database": self.database, "file": self.file}


@dataclass(slots=True)
class TranslationChange:
    """New text for one segment (an existing id, or the index of a new segment in the plan)."""

    segment: int | str
    text: str
    plurals: str | None
    state: str


@dataclass(slots=True)
class ImportPlan:
    """Everything an import writes, decided before the first write."""

    document: str
    lang: str
    create: bool
    po_document: bool
    charset: str
    header: PoMessage | None
    new_segments: dict[str, dict[str, object]] = field(default_factory=dict)  # temp id -> fields
    segment_updates: dict[int, dict[str, object]] = field(default_factory=dict)
    translations: list[TranslationChange] = field(default_factory=list)
    extras: dict[int | str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, msgid) of stale entries
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class CatalogImportReport:
    """What an import did."""

    document: str
    lang: str
    created: bool
    added: int
    updated: int
    unchanged: int
    obsoleted: int
    conflicts: tuple[Conflict, ...]
    unmatched: int


def catalogue_key(msgctxt: str | None, msgid: str) -> str:
    """The segment key of a catalogue entry: gettext's identity, (msgctxt, msgid), hashed."""
    identity = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:16]


def load_state(*, session: Session, document: str, lang: str) -> CatalogState:
    """Read what an import of ``document`` in ``lang`` needs from the database."""
    ensure_tables(session)
    doc = session.exec(select(Document).where(Document.name == document)).first()
    if doc is None or doc.id is None:
        return CatalogState(document_id=None, po_document=True)
    po_document = session.exec(
        select(Catalog.id).where(Catalog.document_id == doc.id, Catalog.origin == PO_ORIGIN)
    ).first() is not None
    # Plain tuples, not ORM objects: a catalogue can have a hundred thousand entries.
    statement = (
        select(Segment.id, Segment.key, Segment.position, Segment.source, Segment.source_plural,
               Segment.context, Segment.comments, Segment.references, Segment.flags,
               Segment.previous_source, Segment.obsolete, Translation.text, Translation.plurals,
               func.coalesce(Translation.state, "new"), func.coalesce(Translation.version, 0),
               CatalogEntry.translator_comments, CatalogEntry.previous_context,
               CatalogEntry.previous_plural, Translation.id)
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))
        .outerjoin(CatalogEntry, and_(CatalogEntry.segment_id == Segment.id, CatalogEntry.lang == lang))
        .where(Segment.document_id == doc.id)
    )
    with collector_paused():
        make = StoredSegment._make
        segments = [make(row) for row in plain_rows(session, statement)]
    row = session.exec(select(Catalog).where(Catalog.document_id == doc.id, Catalog.lang == lang)).first()
    exported = {int(k): v for k, v in json.loads(row.exported).items()} if row and row.exported else None
    base = _exported_texts(session, segments, exported) if exported else {}
    return CatalogState(document_id=doc.id, po_document=po_document, segments=tuple(segments),
                        exported=exported, base=base)


_HISTORY_BATCH = 500  # translation ids per query


def _exported_texts(
    session: Session, segments: list[StoredSegment], exported: dict[int, int]
) -> dict[int, tuple[str, str | None, str]]:
    """The text each translation changed since the export had when it was exported, from its
    history: segment id -> (text, None, state), a few queries for all of them."""
    wanted: dict[int, tuple[int, int]] = {}  # translation id -> (segment id, exported version)
    for stored in segments:
        version = exported.get(stored.id)
        if version and stored.version != version and stored.translation_id is not None:
            wanted[stored.translation_id] = (stored.id, version)
    base: dict[int, tuple[str, str | None, str]] = {}
    ids = list(wanted)
    for start in range(0, len(ids), _HISTORY_BATCH):
        statement = select(
            TranslationHistory.translation_id, TranslationHistory.version, TranslationHistory.text,
            TranslationHistory.state,
        ).where(col(TranslationHistory.translation_id).in_(ids[start:start + _HISTORY_BATCH]))
        for translation_id, version, text, state in session.connection().execute(statement):
            segment_id, exported_version = wanted[translation_id]
            if version == exported_version and segment_id not in base:
                base[segment_id] = (text, None, state)
    return base


def _file_translation(message: PoMessage) -> tuple[str, str | None, str]:
    """(text, plurals as JSON, state) of a file entry."""
    if message.msgid_plural is not None:
        forms = list(message.msgstr_plural)
        text, plurals = (forms[0] if forms else ""), json.dumps(forms, ensure_ascii=False)
    else:
        text, plurals = message.msgstr, None
    if not message.translated:
        return text, plurals, "new"
    return text, plurals, "fuzzy" if message.fuzzy else "translated"


def _same(stored_text: str | None, stored_plurals: str | None, stored_state: str,
          text: str, plurals: str | None, state: str) -> bool:
    """Whether the file says what the database holds; any non-fuzzy translated state matches "translated"."""
    if (stored_text or "") != text or (plurals is not None and stored_plurals != plurals):
        return False
    stored_fuzzy = stored_state in ("fuzzy", "new")
    return stored_fuzzy == (state in ("fuzzy", "new"))


def plan_import(catalog: PoCatalog, state: CatalogState, *, document: str, lang: str) -> ImportPlan:
    """Decide every change an import of ``catalog`` makes; touches no database."""
    header = catalog.header
    plan = ImportPlan(document=document, lang=lang, create=state.document_id is None,
                      po_document=state.po_document, charset=catalog.charset, header=header)
    # Not ``is_header``, written out: a property call per entry shows at 100,000 entries.
    entries = [m for m in catalog.messages if m.msgid or m.msgctxt is not None or m.obsolete]
    with collector_paused():
        if state.po_document:
            _plan_po_segments(plan, entries, state)
        else:
            _plan_article(plan, entries, state)
    return plan


def _plan_article(plan: ImportPlan, entries: list[PoMessage], state: CatalogState) -> None:
    if plan.lang == TEMPLATE:
        return  # a template holds no translations, and an article's sources come from its text
    by_key = {segment.key: segment for segment in state.segments}
    for message in entries:
        stored = by_key.get(message.msgctxt or "")
        if stored is None or stored.source != message.msgid:
            plan.unmatched.append((message.line, message.msgid))
            continue
        _plan_translation(plan, message, stored, state)
        _plan_extras(plan, stored.id, message, stored, article=True)


# The stored side of an entry's segment fields, in the order ``_plan_po_segments`` lists them.
_SEGMENT_FIELDS = (
    "position", "source_plural", "comments", "references", "flags", "previous_source", "obsolete",
)
_stored_fields = itemgetter(*(StoredSegment._fields.index(name) for name in _SEGMENT_FIELDS))
_stored_extras = itemgetter(*(StoredSegment._fields.index(name)
                              for name in ("translator_comments", "previous_context", "previous_plural")))


def _plan_po_segments(plan: ImportPlan, entries: list[PoMessage], state: CatalogState) -> None:
    by_identity = {(s.context, s.source): s for s in state.segments}
    seen: set[int] = set()
    template = plan.lang == TEMPLATE
    for position, message in enumerate(entries):
        if message.msgctxt is not None and len(message.msgctxt) > MAX_CONTEXT:
            raise ParseError(None, message.line, f"msgctxt longer than {MAX_CONTEXT} characters")
        flags = message.flags
        values = (
            position,
            message.msgid_plural,
            "\n".join(message.extracted_comments) if message.extracted_comments else None,
            "\n".join(message.references) if message.references else None,
            (", ".join(f for f in flags if f != FUZZY) or None) if flags else None,
            message.previous_msgid,
            message.obsolete,
        )
        stored = by_identity.get((message.msgctxt, message.msgid))
        if stored is None:
            temp = f"new{position}"
            plan.new_segments[temp] = {**dict(zip(_SEGMENT_FIELDS, values, strict=True)),
                                       "key": catalogue_key(message.msgctxt, message.msgid),
                                       "source": message.msgid, "context": message.msgctxt}
            text, plurals, new_state = _file_translation(message)
            if not template and (text or plurals):
                plan.translations.append(TranslationChange(temp, text, plurals, new_state))
            _plan_extras(plan, temp, message, None, article=False)
            continue
        seen.add(stored.id)
        current = _stored_fields(stored)
        if current != values:  # most entries are unchanged: one comparison of two tuples
            changed = {name: value for name, value, old in zip(_SEGMENT_FIELDS, values, current, strict=True)
                       if old != value}
            if changed:
                plan.segment_updates[stored.id] = changed
        if template:
            continue  # a template holds no translations, and so no extras either
        msgstr = message.msgstr
        # ``_plan_translation``'s first test, written out for the usual unchanged singular entry.
        if message.msgid_plural is None and (stored.text or "") == msgstr \
                and (stored.state in ("fuzzy", "new")) == (not msgstr or FUZZY in flags):
            plan.unchanged += 1
        else:
            _plan_translation(plan, message, stored, state)
        comments = message.translator_comments
        wanted = ("\n".join(comments) if comments else None, message.previous_msgctxt,
                  message.previous_msgid_plural)
        if wanted != _stored_extras(stored):  # as ``_plan_extras`` decides
            plan.extras[stored.id] = wanted
    for stored in state.segments:
        if stored.id not in seen and not stored.obsolete:
            plan.segment_updates.setdefault(stored.id, {})["obsolete"] = True


def _plan_extras(
    plan: ImportPlan, ref: int | str, message: PoMessage, stored: StoredSegment | None, *, article: bool
) -> None:
    comments = "\n".join(message.translator_comments) if message.translator_comments else None
    previous_context = None if article else message.previous_msgctxt
    previous_plural = None if article else message.previous_msgid_plural
    wanted = (comments, previous_context, previous_plural)
    current = (stored.translator_comments, stored.previous_context, stored.previous_plural) \
        if stored is not None else (None, None, None)
    if wanted != current and plan.lang != TEMPLATE:
        plan.extras[ref] = wanted


def _plan_translation(
    plan: ImportPlan, message: PoMessage, stored: StoredSegment, state: CatalogState
) -> None:
    text, plurals, new_state = _file_translation(message)
    if _same(stored.text, stored.plurals, stored.state, text, plurals, new_state):
        plan.unchanged += 1
        return
    if stored.text is None or (not stored.text and stored.state == "new"):
        database_changed = False  # nothing in the database to lose
    elif state.exported is not None and stored.id in state.exported:
        exported_version = state.exported[stored.id]
        database_changed = stored.version != exported_version
        if database_changed and stored.id in state.base:
            base_text, base_plurals, base_state = state.base[stored.id]
            if _same(base_text, base_plurals, base_state, text, plurals, new_state):
                plan.unchanged += 1  # the file still holds what was exported: the database's edit stands
                return
    else:
        database_changed = stored.version > 1
    if database_changed:
        plan.conflicts.append(Conflict(message.line, stored.key, message.msgid, stored.text or "", text))
        return
    if new_state == "translated" and stored.state in ("reviewed", "approved") and stored.text == text:
        new_state = stored.state  # the file cannot say "approved"; the same text keeps its state
    plan.translations.append(TranslationChange(stored.id, text, plurals, new_state))


def apply_import(
    *, session: Session, plan: ImportPlan, path: str | None, source_lang: str
) -> CatalogImportReport:
    """Write ``plan`` in the caller's transaction (the caller commits)."""
    ensure_tables(session)
    document = session.exec(select(Document).where(Document.name == plan.document)).first()
    if document is None:
        document = Document(name=plan.document, source_lang=source_lang, path=path)
        session.add(document)
        session.flush()
    assert document.id is not None
    if plan.po_document:
        _store_header(session, document.id, plan)
    # Core statements run as executemany: the ORM's bulk paths cost minutes at 100,000 rows.
    connection = session.connection()
    ids: dict[int | str, int] = {}
    if plan.new_segments:
        rows = [{"document_id": document.id, "block": "paragraph", **fields}
                for fields in plan.new_segments.values()]
        connection.execute(insert(_table(Segment)), rows)
        by_key = {str(fields["key"]): temp for temp, fields in plan.new_segments.items()}
        for segment_id, key in connection.execute(
            select(Segment.id, Segment.key).where(Segment.document_id == document.id)
        ):
            if key in by_key:
                ids[by_key[key]] = segment_id
    obsoleted = sum(bool(changes.get("obsolete")) for changes in plan.segment_updates.values())
    by_columns: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for segment_id, changes in plan.segment_updates.items():
        by_columns.setdefault(tuple(sorted(changes)), []).append({"segment_id": segment_id, **changes})
    table = _table(Segment)
    for columns, rows in by_columns.items():
        statement = update(table).where(table.c.id == bindparam("segment_id"))
        connection.execute(statement.values({name: bindparam(name) for name in columns}), rows)
    written: dict[int, int] = {}
    now = utcnow()
    fresh = [{"segment_id": ids[c.segment], "lang": plan.lang, "text": c.text, "plurals": c.plurals,
              "state": c.state, "version": 1, "updated": now}
             for c in plan.translations if isinstance(c.segment, str)]
    if fresh:
        connection.execute(insert(_table(Translation)), fresh)
    for change in plan.translations:
        if isinstance(change.segment, int):
            written[change.segment] = _write_translation(session, change.segment, plan.lang, change)
    new_extras = []
    for ref, (comments, previous_context, previous_plural) in plan.extras.items():
        if isinstance(ref, str):
            new_extras.append({"segment_id": ids[ref], "lang": plan.lang, "translator_comments": comments,
                               "previous_context": previous_context, "previous_plural": previous_plural})
            continue
        extra = session.get(CatalogEntry, (ref, plan.lang))
        if extra is None:
            extra = CatalogEntry(segment_id=ref, lang=plan.lang)
            session.add(extra)
        extra.translator_comments, extra.previous_context, extra.previous_plural = \
            comments, previous_context, previous_plural
    if new_extras:
        connection.execute(insert(_table(CatalogEntry)), new_extras)
    _advance_export_record(session, document.id, plan.lang, written)
    session.flush()
    return CatalogImportReport(
        document=plan.document, lang=plan.lang, created=plan.create, added=len(plan.new_segments),
        updated=len(plan.translations) - sum(isinstance(c.segment, str) for c in plan.translations),
        unchanged=plan.unchanged, obsoleted=obsoleted, conflicts=tuple(plan.conflicts),
        unmatched=len(plan.unmatched),
    )


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def _store_header(session: Session, document_id: int, plan: ImportPlan) -> None:
    row = session.exec(
        select(Catalog).where(Catalog.document_id == document_id, Catalog.lang == plan.lang)
    ).first()
    if row is None:
        row = Catalog(document_id=document_id, lang=plan.lang)
        session.add(row)
    row.origin = PO_ORIGIN
    row.charset = plan.charset
    row.header = message_to_json(plan.header) if plan.header is not None else None


def _write_translation(session: Session, segment_id: int, lang: str, change: TranslationChange) -> int:
    """Insert or update one translation, keeping the old one in the history; returns the new version."""
    current = session.exec(
        select(Translation).where(Translation.segment_id == segment_id, Translation.lang == lang)
    ).first()
    if current is None:
        session.add(Translation(segment_id=segment_id, lang=lang, text=change.text, plurals=change.plurals,
                                state=change.state))
        return 1
    assert current.id is not None
    session.add(TranslationHistory(translation_id=current.id, text=current.text, state=current.state,
                                   author=current.author, changed=current.updated, version=current.version))
    current.text, current.plurals, current.state = change.text, change.plurals, change.state
    current.version += 1
    current.updated = utcnow()
    return current.version


def _advance_export_record(session: Session, document_id: int, lang: str, written: dict[int, int]) -> None:
    """Translations the file set are now what file and database agree on: the new base for conflicts."""
    if not written:
        return
    statement = select(Catalog).where(Catalog.document_id == document_id, Catalog.lang == lang)
    row = session.exec(statement).first()
    if row is None or row.exported is None:
        return
    exported = json.loads(row.exported)
    exported.update({str(k): v for k, v in written.items()})
    row.exported = json.dumps(exported, separators=(",", ":"))


def import_catalog(
    *, session: Session, catalog: PoCatalog, document: str, lang: str, path: str | None = None,
    source_lang: str = "en",
) -> CatalogImportReport:
    """Import ``catalog`` as ``document`` in ``lang`` ("" for a template): load, plan, apply."""
    state = load_state(session=session, document=document, lang=lang)
    plan = plan_import(catalog, state, document=document, lang=lang)
    return apply_import(session=session, plan=plan, path=path, source_lang=source_lang)
