"""Imports into the term base in bulk: match incoming concepts to stored ones, write batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlmodel import Session, col, select

from glossary.gcpause import collector_paused
from glossary.model.chars import unstorable
from glossary.model.errors import LostRace, UsageError
from glossary.model.records import CONCEPT_KINDS, TERM_FIELDS, ConceptRecord, TermRecord
from glossary.model.tables import Concept, Term, utcnow
from glossary.store.pending import of_visible, visible
from glossary.store.roles import require_terminologist
from glossary.store.termrows import (
    IN_CHUNK,
    chunks,
    conflicts_reported,
    delete_generated,
    generated_rows,
    insert_rows,
    validated_term,
)
from glossary.translit.variants import VariantMaker

# Concepts matched and written per round of queries: each round reads its concepts, their terms
# and the forms they could match in a few queries, and writes with one statement per table.
BATCH = 2000
CONCEPT_FIELDS = ("kind", "note", "external_id", "valid_from", "valid_until")
TERM_UPDATABLE = ("status", "type", "note", "source", "valid_from", "valid_until")

TermKey = tuple[str, str, str | None]  # (lang, text, scheme): unique within a concept


@dataclass(slots=True)
class MergeReport:
    """What an import did to the term base."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    terms_added: int = 0


@dataclass(slots=True)
class StoredTerm:
    """An entered term as stored (``id`` None: added by this import, not written yet)."""

    id: int | None
    version: int
    position: int
    values: dict[str, Any]  # every TERM_FIELDS value
    changes: dict[str, Any] = field(default_factory=dict)
    staged_changed: bool = False  # changed by an earlier batch of a staged import

    def record(self) -> TermRecord:
        return TermRecord(**{**self.values, **self.changes})


@dataclass(slots=True)
class Target:
    """A concept an import writes to: stored already, or created by this import."""

    id: str
    version: int
    values: dict[str, Any]  # the CONCEPT_FIELDS as stored
    created: bool = False
    changes: dict[str, Any] = field(default_factory=dict)
    terms: dict[TermKey, StoredTerm] = field(default_factory=dict)  # entered forms only
    next_position: int = 0
    new_terms: list[StoredTerm] = field(default_factory=list)
    terms_changed: bool = False
    staged_changed: bool = False  # changed by an earlier batch of a staged import
    staged_regenerate: bool = False  # the same, for its entered forms


@dataclass(slots=True)
class Lookups:
    """What one batch can match: concepts by id, by external id and by preferred form."""

    targets: dict[str, Target]
    by_external: dict[str, str]
    owners: dict[tuple[str, str], str]


def merge_concepts(
    *,
    session: Session,
    concepts: Iterable[ConceptRecord],
    origin: str = "imported",
    batch_size: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> MergeReport:
    """Create or update concepts from records; never duplicates. The caller commits (one transaction).

    An incoming concept is the stored one with the same id, else the one with the same external
    id, else the one that has one of its preferred forms, else new. The file's stated fields
    replace the stored ones; terms it does not have are added. Generated romanizations in the
    input are ignored: they are regenerated from the Cyrillic forms, so an export read back gives
    the same term base.

    Records are merged ``batch_size`` at a time with a few queries per batch (no query per
    concept) and each distinct word is romanized once per scheme. Every stored row that changes
    is updated with a compare-and-set of its version: when someone else changed it after this
    import read it, LostRace (a ConflictError) is raised. ``on_batch`` is called with the number
    of records merged after each batch (a progress display).
    """
    require_terminologist(session)
    report = MergeReport()
    maker = VariantMaker()
    statistics = _Statistics(session)
    # The records, lookups and rows of a batch are no garbage: the collector's passes over them
    # (one per thousand new objects) would find nothing to free.
    with conflicts_reported(), collector_paused():
        for batch in batches(concepts, batch_size):
            _merge_batch(session, batch, origin, report, maker)
            statistics.after_batch()
            if on_batch is not None:
                on_batch(len(batch))
    return report


class _Statistics:
    """Keeps PostgreSQL's planner statistics of the term tables up to date during a large import.

    The planner knows the tables as they were at the last (auto)analyze, before this import's
    uncommitted rows. A term base that starts small and grows by tens of thousands of rows in one
    transaction is planned as if it were still small: the next batch's lookups (preferred forms
    by ``(lang, text)``, terms by concept) scanned the whole table once per chunk of values, which
    made the import quadratic (about 10 s of server time at 10,000 concepts, most of the import).
    ``ANALYZE`` inside the transaction samples the transaction's own new rows too; it is run after
    the 1st, 2nd, 4th, 8th... batch, so a few times for any size. It takes a lock that only
    another ``ANALYZE`` or ``VACUUM`` of the same table waits for (not readers, not writers): two
    large imports running at once take their statistics one after the other.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._batches = 0
        self._next = 1
        self._postgresql = session.get_bind().dialect.name == "postgresql"

    def after_batch(self) -> None:
        self._batches += 1
        if not self._postgresql or self._batches != self._next:
            return
        self._next *= 2
        self._session.flush()
        connection = self._session.connection()
        for table in (Concept.__tablename__, Term.__tablename__):
            connection.exec_driver_sql(f"ANALYZE {table}")


def _merge_batch(
    session: Session, records: list[ConceptRecord], origin: str, report: MergeReport, maker: VariantMaker
) -> None:
    validate_records(records)
    _write(session, assign(records, lookups_of(session, records), origin, report), maker)


def validate_records(records: list[ConceptRecord]) -> None:
    """Canonical language tags and storable values, or a UsageError naming the concept."""
    for record in records:
        record.terms = [validated_term(term) for term in record.terms]
        if record.kind not in CONCEPT_KINDS:
            raise UsageError(f"concept {record.id!r}: unknown kind {record.kind!r}")
        for name in ("note", "external_id", "valid_from", "valid_until"):
            problem = unstorable(getattr(record, name) or "")
            if problem:
                raise UsageError(f"concept {record.id!r}: {problem}")


def assign(records: list[ConceptRecord], lookups: Lookups, origin: str, report: MergeReport) -> list[Target]:
    """Match each record to a concept (or create one) and apply it; the concepts touched."""
    touched: dict[str, Target] = {}
    for record in records:
        target = _match(record, lookups)
        added_before = len(target.new_terms) if target is not None else 0
        if target is None:
            target = _create(record, lookups)
            _add_terms(target, record, origin, lookups)
            report.created += 1
        elif _update(target, record, origin, lookups):
            report.updated += 1
        else:
            report.unchanged += 1
        report.terms_added += len(target.new_terms) - added_before
        touched[target.id] = target
    return list(touched.values())


def lookups_of(session: Session, records: list[ConceptRecord]) -> Lookups:
    """The stored concepts a batch can match, with their entered terms, in a few queries."""
    ids = {record.id for record in records}
    externals = {record.external_id for record in records if record.external_id}
    forms = {
        (term.lang, term.text)
        for record in records
        for term in record.terms
        if term.status == "preferred" and term.origin != "generated"
    }
    by_external: dict[str, str] = {}
    for chunk in chunks(sorted(externals), IN_CHUNK):
        query = select(Concept.id, Concept.external_id).where(col(Concept.external_id).in_(chunk), visible())
        for concept_id, external_id in session.exec(query.order_by(col(Concept.id))):
            by_external.setdefault(external_id, concept_id)
    owners: dict[tuple[str, str], str] = {}
    langs = sorted({lang for lang, _text in forms})
    texts = sorted({text for _lang, text in forms})
    for chunk in chunks(texts, IN_CHUNK):
        query = (
            select(Term.lang, Term.text, Term.concept_id)
            .where(col(Term.lang).in_(langs), col(Term.text).in_(chunk))  # the (lang, text) index
            .where(Term.status == "preferred", Term.origin != "generated", of_visible(Term.concept_id))
            .order_by(col(Term.concept_id))
        )
        for lang, text, concept_id in session.exec(query):
            if (lang, text) in forms:
                owners.setdefault((lang, text), concept_id)
    wanted = sorted(ids | set(by_external.values()) | set(owners.values()))
    targets: dict[str, Target] = {}
    columns = [col(getattr(Concept, name)) for name in ("id", "version", *CONCEPT_FIELDS)]
    for chunk in chunks(wanted, IN_CHUNK):
        query = select(*columns).where(col(Concept.id).in_(chunk), visible())  # type: ignore[call-overload]
        for row in session.exec(query):
            concept_id, version, *values = row
            targets[concept_id] = Target(concept_id, version, dict(zip(CONCEPT_FIELDS, values, strict=True)))
    names = ("concept_id", "id", "version", "position", *TERM_FIELDS)
    term_columns = [col(getattr(Term, name)) for name in names]
    for chunk in chunks(sorted(targets), IN_CHUNK):
        query = (
            select(*term_columns)  # type: ignore[call-overload]
            .where(col(Term.concept_id).in_(chunk), Term.origin != "generated")
            .order_by(col(Term.concept_id), col(Term.position), col(Term.id))
        )
        for concept_id, term_id, version, position, *values in session.exec(query):
            target = targets[concept_id]
            stored = StoredTerm(term_id, version, position, dict(zip(TERM_FIELDS, values, strict=True)))
            target.terms[(stored.values["lang"], stored.values["text"], stored.values["scheme"])] = stored
            target.next_position = max(target.next_position, position + 1)
    return Lookups(targets, by_external, owners)


def _match(record: ConceptRecord, lookups: Lookups) -> Target | None:
    """The concept an incoming one is: same id, same external id, or same preferred form."""
    found = lookups.targets.get(record.id)
    if found is not None:
        return found
    if record.external_id and record.external_id in lookups.by_external:
        return lookups.targets[lookups.by_external[record.external_id]]
    for term in record.terms:
        if term.status == "preferred" and term.origin != "generated":
            owner = lookups.owners.get((term.lang, term.text))
            if owner is not None:
                return lookups.targets[owner]
    return None


def _create(record: ConceptRecord, lookups: Lookups) -> Target:
    values = {name: getattr(record, name) for name in CONCEPT_FIELDS}
    target = Target(record.id, 1, values, created=True)
    lookups.targets[record.id] = target
    if record.external_id:
        lookups.by_external.setdefault(record.external_id, record.id)
    return target


def _update(target: Target, record: ConceptRecord, origin: str, lookups: Lookups) -> bool:
    """Apply what ``record`` states to a concept already there; True if anything changed."""
    changed = False
    for name in CONCEPT_FIELDS:
        if record.given is not None and name not in record.given:
            continue  # the file did not say: keep what is stored
        value = getattr(record, name)
        current = target.changes.get(name, target.values[name])
        if value is not None and current != value:
            if target.created:
                target.values[name] = value
            else:
                target.changes[name] = value
            changed = True
            if name == "external_id":
                lookups.by_external.setdefault(value, target.id)
    return _add_terms(target, record, origin, lookups) or changed


def _add_terms(target: Target, record: ConceptRecord, origin: str, lookups: Lookups) -> bool:
    """Add the record's new terms to ``target`` and update the stated fields of the others."""
    changed = False
    for term in record.terms:
        if term.origin == "generated":
            continue
        key = (term.lang, term.text, term.scheme)
        current = target.terms.get(key)
        if current is None:
            values: dict[str, Any] = dict(term.as_dict())
            values["origin"] = term.origin if term.origin != "imported" else origin
            added = StoredTerm(None, 1, target.next_position, values)
            target.next_position += 1
            target.terms[key] = added
            target.new_terms.append(added)
            target.terms_changed = changed = True
            if term.status == "preferred":
                lookups.owners.setdefault((term.lang, term.text), target.id)
            continue
        for name in TERM_UPDATABLE:
            if term.given is not None and name not in term.given:
                continue  # not stated in the file: never replaced by a reader's default
            value = getattr(term, name)
            if current.changes.get(name, current.values[name]) != value:
                if current.id is None:
                    current.values[name] = value
                else:
                    current.changes[name] = value
                target.terms_changed = changed = True
    return changed


def _write(session: Session, targets: list[Target], maker: VariantMaker) -> None:
    """Write a batch: compare-and-set updates, then one INSERT per table for the new rows."""
    _update_rows(session, Concept, {t.id: (t.version, t.changes) for t in targets if t.changes})
    _update_rows(
        session,
        Term,
        {
            term.id: (term.version, term.changes)
            for target in targets
            for term in target.terms.values()
            if term.id is not None and term.changes
        },
    )
    session.flush()
    regenerate = [t for t in targets if t.created or t.terms_changed]
    # Generated forms are derived data: replaced whole (a new entered form may take one's place).
    delete_generated(session, [t.id for t in regenerate if not t.created])
    now = utcnow()
    insert_rows(
        session,
        Concept,
        [{"id": t.id, "version": 1, "updated": now, **t.values} for t in targets if t.created],
    )
    insert_rows(
        session,
        Term,
        [
            {"concept_id": target.id, "position": term.position, "version": 1, **term.values}
            for target in targets
            for term in target.new_terms
        ],
    )
    generated: list[dict[str, Any]] = []
    for target in regenerate:
        entered = sorted(target.terms.values(), key=lambda t: (t.id is None, t.position, t.id or 0))
        record = ConceptRecord(id=target.id, terms=[term.record() for term in entered])
        generated.extend(generated_rows(target.id, maker.variants(record)))
    insert_rows(session, Term, generated)


def _update_rows(
    session: Session, table: type[Concept] | type[Term], changes: dict[Any, tuple[int, dict[str, Any]]]
) -> None:
    """Apply ``changes`` to the ORM rows so the flush writes ``UPDATE … WHERE version = <read>``.

    A row whose version already differs from the one this import read (another writer
    committed in between, or this session holds an older copy) is a lost race at once: the
    import runs again in a write transaction (``store.retry``) and merges into the new row.
    """
    if not changes:
        return
    key = col(table.id)  # type: ignore[attr-defined]
    for chunk in chunks(list(changes), IN_CHUNK):
        for row in session.exec(select(table).where(key.in_(chunk))):
            version, values = changes[row.id]
            if row.version != version:
                raise LostRace(
                    f"{table.__tablename__} {row.id!r} was changed by someone else meanwhile "
                    f"(now version {row.version}, read as {version}): reload and try again"
                )
            for name, value in values.items():
                setattr(row, name, value)
            if table is Concept:
                row.updated = utcnow()  # type: ignore[union-attr]


def batches(records: Iterable[ConceptRecord], size: int) -> Iterator[list[ConceptRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch
