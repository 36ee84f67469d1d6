"""Term-base services: load concepts as records and add forms; bulk imports are in ``merge``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.records import CONCEPT_KINDS, TERM_FIELDS, ConceptRecord, TermRecord, ascii_slug
from glossary.model.tables import Concept, Term, utcnow
from glossary.store.merge import MergeReport, merge_concepts
from glossary.store.pending import is_hidden, of_visible, visible
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
    "ensure_term",
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
    query = select(Concept).where(visible()).order_by(col(Concept.id))
    term_query = select(Term).order_by(col(Term.concept_id), col(Term.position), col(Term.id))
    if ids is not None:  # the terms of a hidden concept are read, and left out with it
        wanted = list(ids)
        query = query.where(col(Concept.id).in_(wanted))
        term_query = term_query.where(col(Term.concept_id).in_(wanted))
    else:
        term_query = term_query.where(of_visible(Term.concept_id))
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
    """Add a form to a concept (created if missing); see :func:`ensure_term`. The caller commits."""
    return ensure_term(session=session, concept=concept, term=term, kind=kind)[0]


def ensure_term(
    *, session: Session, concept: str, term: TermRecord, kind: str | None = None
) -> tuple[Term, bool]:
    """Make sure a concept has this form: returns the form and whether it was added now.

    The concept is created when missing, as a ``kind`` (default ``other``). Adding a form needs
    no version of the concept and changes only rows of its own (the new form and the concept's
    generated romanizations): the concept row keeps its version, so people adding different
    forms to one concept all succeed, and two people creating the same concept at once get one
    concept with both forms, as if one had come after the other.

    A form already there exactly as asked (same status, type, note and source) is success: the
    term base holds what the user asked for, so a repeated or concurrent identical request,
    like a script run twice, is not an error. A form there with other values, or a concept of
    another kind than ``kind``, is a UsageError naming both: that is a disagreement for a person
    to settle. The caller commits.
    """
    require_terminologist(session)
    term = validated_term(term)
    if kind is not None and kind not in CONCEPT_KINDS:
        raise UsageError(f"unknown kind {kind!r}; use one of {', '.join(CONCEPT_KINDS)}")
    row = _locked_concept(session, concept, kind or "other")
    if kind is not None and row.kind != kind:
        raise UsageError(f"concept {concept!r} exists as {row.kind}, not {kind}: nothing added")
    entered = select(Term).where(Term.concept_id == concept, Term.origin != "generated")
    stored = session.exec(entered.order_by(col(Term.position))).all()
    key = (term.lang, term.text, term.scheme)
    for existing in stored:
        if (existing.lang, existing.text, existing.scheme) != key:
            continue
        asked = (term.status, term.type, term.note, term.source)
        found = (existing.status, existing.type, existing.note, existing.source)
        if asked == found:
            return existing, False
        raise UsageError(
            f"{concept}: {term.lang} form {term.text!r} already exists as {_described(found)} "
            f"(version {existing.version}), not as {_described(asked)}"
        )
    position = max((t.position for t in stored), default=-1) + 1
    with conflicts_reported():
        # A person confirming a generated form makes it theirs: it is regenerated never again.
        delete_generated(session, [concept])
        new = Term(concept_id=concept, position=position, **term.as_dict())
        session.add(new)
        session.flush()
    refresh_variants(session=session, concept_id=concept)
    return new, True


def _described(values: tuple[str, str, str | None, str | None]) -> str:
    status, kind, note, source = values
    extra = "".join(f", {name} {value!r}" for name, value in (("note", note), ("source", source)) if value)
    return f"{status} {kind}{extra}"


def _locked_concept(session: Session, concept: str, kind: str) -> Concept:
    """The concept row, created when missing, locked until the transaction ends (PostgreSQL; an
    SQLite writer holds the database's write lock anyway). A concept another writer is creating
    at the same moment is waited for and used, never created twice or reported as a driver error."""
    query = (
        select(Concept)
        .where(Concept.id == concept)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = session.exec(query).first()
    if row is not None:
        return _not_pending(session, row)
    dialect = session.connection().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {"id": concept, "kind": kind, "version": 1, "updated": utcnow()}
    session.execute(insert(Concept).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    return _not_pending(session, session.exec(query).one())


def _not_pending(session: Session, row: Concept) -> Concept:
    """The row, unless an import in progress is creating it (hidden from readers until it is done)."""
    if is_hidden(session, row):
        raise ConflictError(f"concept {row.id!r} is being created by an import in progress: "
                            "try again when it has finished")
    return row


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




