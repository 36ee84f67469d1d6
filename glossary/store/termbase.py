"""Term-base services: load concepts as records and add forms; bulk imports are in ``merge``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.records import CONCEPT_KINDS, TERM_FIELDS, ConceptRecord, TermRecord, ascii_slug
from glossary.model.tables import Concept, Term
from glossary.store.merge import MergeReport, merge_concepts
from glossary.store.roles import require_terminologist
from glossary.store.termrows import (
    conflicts_reported,
    delete_generated,
    generated_rows,
    insert_rows,
    validated_term,
)
from glossary.translit.variants import VariantMaker

__all__ = [
    "MergeReport",
    "add_term",
    "get_concept",
    "load_concepts",
    "merge_concepts",
    "refresh_variants",
    "slugify",
]


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


def slugify(text: str) -> str:
    """A concept id from a name: ASCII lowercase words joined by underscores."""
    return ascii_slug(text) or "concept"


def add_term(*, session: Session, concept: str, term: TermRecord, kind: str | None = None) -> Term:
    """Add a form to a concept (created if missing); refreshes its generated romanizations.

    Adding a form needs no version of the concept: two people adding different forms to one
    concept both succeed. The concept row is locked for the rest of the transaction (on
    PostgreSQL; SQLite serialises writers anyway), so the romanizations are regenerated from
    every committed form. The caller commits.
    """
    require_terminologist(session)
    term = validated_term(term)
    row = session.exec(select(Concept).where(Concept.id == concept).with_for_update()).first()
    if row is None:
        if kind is not None and kind not in CONCEPT_KINDS:
            raise UsageError(f"unknown kind {kind!r}; use one of {', '.join(CONCEPT_KINDS)}")
        row = Concept(id=concept, kind=kind or "other")
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:
            raise ConflictError(f"concept {concept!r} was created by someone else meanwhile") from exc
    columns = (Term.lang, Term.text, Term.scheme, Term.origin, Term.position)
    stored = session.exec(select(*columns).where(Term.concept_id == concept)).all()
    key = (term.lang, term.text, term.scheme)
    if any((lang, text, scheme) == key and origin != "generated" for lang, text, scheme, origin, _ in stored):
        raise UsageError(f"{concept}: {term.lang} form {term.text!r} already exists")
    position = max((p for *_, origin, p in stored if origin != "generated"), default=-1) + 1
    with conflicts_reported():
        # A person confirming a generated form makes it theirs: it is regenerated never again.
        delete_generated(session, [concept])
        new = Term(concept_id=concept, position=position, **term.as_dict())
        session.add(new)
        session.flush()
    refresh_variants(session=session, concept_id=concept)
    return new


def refresh_variants(*, session: Session, concept_id: str, maker: VariantMaker | None = None) -> int:
    """Regenerate a concept's romanizations from its current Cyrillic forms; returns how many."""
    entered = session.exec(
        select(Term)
        .where(Term.concept_id == concept_id, Term.origin != "generated")
        .order_by(col(Term.position), col(Term.id))
    ).all()
    delete_generated(session, [concept_id])
    record = ConceptRecord(id=concept_id, terms=[_term_record(t) for t in entered])
    rows = generated_rows(concept_id, (maker or VariantMaker()).variants(record))
    insert_rows(session, Term, rows)
    return len(rows)




