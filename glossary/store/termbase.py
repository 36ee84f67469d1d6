"""Term-base services: load concepts as records, add terms, and merge imported concepts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.langtag import require_lang
from glossary.model.records import (
    CONCEPT_KINDS,
    STATUSES,
    TERM_FIELDS,
    TERM_TYPES,
    ConceptRecord,
    TermRecord,
    ascii_slug,
)
from glossary.model.tables import Concept, Term


@dataclass(slots=True)
class MergeReport:
    """What an import did to the term base."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    terms_added: int = 0


def _term_record(term: Term) -> TermRecord:
    return TermRecord(**{name: getattr(term, name) for name in TERM_FIELDS})


def _concept_record(concept: Concept, terms: list[Term]) -> ConceptRecord:
    return ConceptRecord(
        id=concept.id,
        kind=concept.kind,
        note=concept.note,
        external_id=concept.external_id,
        valid_from=concept.valid_from,
        valid_until=concept.valid_until,
        terms=[_term_record(t) for t in terms],
    )


def load_concepts(*, session: Session, ids: Iterable[str] | None = None) -> list[ConceptRecord]:
    """Every concept (or the given ones) with its terms, generated forms included, ordered by id."""
    query = select(Concept).order_by(col(Concept.id))
    term_query = select(Term).order_by(col(Term.concept_id), col(Term.position), col(Term.id))
    if ids is not None:
        wanted = list(ids)
        query = query.where(col(Concept.id).in_(wanted))
        term_query = term_query.where(col(Term.concept_id).in_(wanted))
    by_concept: dict[str, list[Term]] = {}
    for term in session.exec(term_query):
        by_concept.setdefault(term.concept_id, []).append(term)
    return [_concept_record(c, by_concept.get(c.id, [])) for c in session.exec(query)]


def get_concept(*, session: Session, concept_id: str) -> ConceptRecord:
    """One concept by id; raises NotFoundError."""
    found = load_concepts(session=session, ids=[concept_id])
    if not found:
        raise NotFoundError(f"no concept {concept_id!r}")
    return found[0]


# Characters XML 1.0 cannot hold (and that no one types into a term): refused at the door.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def slugify(text: str) -> str:
    """A concept id from a name: ASCII lowercase words joined by underscores."""
    return ascii_slug(text) or "concept"


def _validated(record: TermRecord) -> TermRecord:
    """The record with its language tag in canonical form (``EN`` → ``en``), or a UsageError."""
    lang = require_lang(record.lang, f"the language of {record.text!r}")
    if record.status not in STATUSES:
        raise UsageError(f"unknown status {record.status!r}; use one of {', '.join(STATUSES)}")
    if record.type not in TERM_TYPES:
        raise UsageError(f"unknown term type {record.type!r}; use one of {', '.join(TERM_TYPES)}")
    if not record.text.strip():
        raise UsageError("a term needs text")
    if _UNSTORABLE.search(record.text):
        raise UsageError(f"{record.text!r} holds control characters that no file format can carry")
    return record if lang == record.lang else replace(record, lang=lang)


def add_term(
    *,
    session: Session,
    concept: str,
    term: TermRecord,
    kind: str | None = None,
    expected_version: int | None = None,
) -> Term:
    """Add a form to a concept (created if missing); refreshes generated romanizations."""
    term = _validated(term)
    row = session.get(Concept, concept)
    if row is None:
        if kind is not None and kind not in CONCEPT_KINDS:
            raise UsageError(f"unknown kind {kind!r}; use one of {', '.join(CONCEPT_KINDS)}")
        row = Concept(id=concept, kind=kind or "other")
        session.add(row)
    else:
        _bump_version(session, row, expected_version)
    existing = _existing_terms(session, concept)
    key = (term.lang, term.text, term.scheme)
    if key in existing and existing[key].origin != "generated":
        raise UsageError(f"{concept}: {term.lang} form {term.text!r} already exists")
    if key in existing:
        # A person confirming a generated form makes it theirs: never displaced again.
        session.delete(existing[key])
        session.flush()
    new = Term(concept_id=concept, position=_next_position(existing.values()), **term.as_dict())
    session.add(new)
    session.flush()
    refresh_variants(session=session, concept_id=concept)
    return new


def _bump_version(session: Session, row: Concept, expected: int | None) -> None:
    """Compare-and-set the concept's version in the database itself, so two writers who read the
    same version cannot both pass (optimistic locking)."""
    seen = row.version if expected is None else expected
    result = session.execute(
        update(Concept)
        .where(col(Concept.id) == row.id, col(Concept.version) == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise ConflictError(f"concept {row.id!r} changed meanwhile (now version {row.version})")
    session.expire(row, ["version"])


def _existing_terms(session: Session, concept_id: str) -> dict[tuple[str, str, str | None], Term]:
    rows = session.exec(select(Term).where(Term.concept_id == concept_id))
    return {(t.lang, t.text, t.scheme): t for t in rows}


def _next_position(terms: Iterable[Term]) -> int:
    entered = [t.position for t in terms if t.origin != "generated"]
    return max(entered, default=-1) + 1


def refresh_variants(*, session: Session, concept_id: str) -> int:
    """Regenerate a concept's romanizations from its current Cyrillic forms; returns how many."""
    from glossary.translit.variants import generate_variants

    entered = session.exec(
        select(Term)
        .where(Term.concept_id == concept_id, Term.origin != "generated")
        .order_by(col(Term.position), col(Term.id))
    ).all()
    session.execute(delete(Term).where(col(Term.concept_id) == concept_id, col(Term.origin) == "generated"))
    record = ConceptRecord(id=concept_id, terms=[_term_record(t) for t in entered])
    variants = generate_variants(record)
    base = 10_000  # generated forms sort after every entered form
    session.add_all(
        Term(concept_id=concept_id, position=base + offset, **variant.as_dict())
        for offset, variant in enumerate(variants)
    )
    session.flush()
    return len(variants)


def _find_match(session: Session, record: ConceptRecord, index: dict[tuple[str, str], str]) -> Concept | None:
    """The existing concept an incoming one is: same id, same external id, or same preferred forms."""
    row = session.get(Concept, record.id)
    if row is not None:
        return row
    if record.external_id:
        row = session.exec(select(Concept).where(Concept.external_id == record.external_id)).first()
        if row is not None:
            return row
    for term in record.terms:
        if term.status == "preferred" and term.origin != "generated":
            owner = index.get((term.lang, term.text))
            if owner is not None:
                return session.get(Concept, owner)
    return None


def _preferred_index(session: Session) -> dict[tuple[str, str], str]:
    rows = session.exec(select(Term).where(Term.status == "preferred", Term.origin != "generated"))
    return {(t.lang, t.text): t.concept_id for t in rows}


def merge_concepts(
    *, session: Session, concepts: Iterable[ConceptRecord], origin: str = "imported"
) -> MergeReport:
    """Create or update concepts from records; never duplicates. The caller commits (one transaction).

    Generated romanizations in the input are ignored: they are regenerated from the
    Cyrillic forms, so an export read back gives the same term base.
    """
    report = MergeReport()
    index = _preferred_index(session)
    for record in concepts:
        record.terms = [_validated(term) for term in record.terms]
        if record.kind not in CONCEPT_KINDS:
            raise UsageError(f"concept {record.id!r}: unknown kind {record.kind!r}")
        row = _find_match(session, record, index)
        created = row is None
        changed = False
        if row is None:
            row = Concept(
                id=record.id,
                kind=record.kind,
                note=record.note,
                external_id=record.external_id,
                valid_from=record.valid_from,
                valid_until=record.valid_until,
            )
            session.add(row)
            session.flush()
            report.created += 1
        else:
            for name in ("kind", "note", "external_id", "valid_from", "valid_until"):
                value = getattr(record, name)
                if record.given is not None and name not in record.given:
                    continue  # the file did not say: keep what is stored
                if value is not None and getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
        existing = _existing_terms(session, row.id)
        position = _next_position(existing.values())
        for term in record.terms:
            if term.origin == "generated":
                continue
            fields: dict[str, object] = dict(term.as_dict())
            fields["origin"] = term.origin if term.origin != "imported" else origin
            current = existing.get((term.lang, term.text, term.scheme))
            if current is None:
                session.add(Term(concept_id=row.id, position=position, **fields))
                position += 1
                report.terms_added += 1
                changed = True
                if term.status == "preferred":
                    index[(term.lang, term.text)] = row.id
                continue
            for name in ("status", "type", "note", "source", "valid_from", "valid_until"):
                if term.given is not None and name not in term.given:
                    continue  # not stated in the file: never replaced by a reader's default
                if getattr(current, name) != fields[name]:
                    setattr(current, name, fields[name])
                    changed = True
        session.flush()
        if changed or created:
            if not created:
                row.version += 1
                report.updated += 1
            refresh_variants(session=session, concept_id=row.id)
        else:
            report.unchanged += 1
    return report
