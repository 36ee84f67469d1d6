"""A reviewer's work in the term base: find concepts by any of their forms, change a form's status."""

from __future__ import annotations

import unicodedata

from sqlmodel import Session, col, select

from glossary.model.errors import NotFoundError, UsageError
from glossary.model.records import STATUSES, ConceptRecord
from glossary.model.tables import Concept, Term
from glossary.store.termbase import _bump_version, load_concepts, refresh_variants


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def find_concepts(*, session: Session, query: str = "", limit: int = 200) -> list[ConceptRecord]:
    """Concepts whose id or any form (generated romanizations included) contains ``query``,
    compared casefolded; every concept when the query is empty. Ordered by id, at most ``limit``."""
    needle = _folded(query.strip())
    if not needle:
        ids = list(session.exec(select(Concept.id).order_by(col(Concept.id)).limit(limit)))
        return load_concepts(session=session, ids=ids)
    found: set[str] = set()
    for concept_id, text in session.exec(select(Term.concept_id, Term.text)):
        if needle in _folded(text) or needle in concept_id:
            found.add(concept_id)
    for concept_id in session.exec(select(Concept.id)):
        if needle in concept_id:
            found.add(concept_id)
    return load_concepts(session=session, ids=sorted(found)[:limit])


def concept_version(*, session: Session, concept_id: str) -> int:
    """The concept's version, for a later compare-and-set edit."""
    row = session.get(Concept, concept_id)
    if row is None:
        raise NotFoundError(f"no concept {concept_id!r}")
    return row.version


def set_term_status(
    *,
    session: Session,
    concept: str,
    lang: str,
    text: str,
    scheme: str | None,
    status: str,
    expected_version: int | None = None,
) -> Term:
    """Give one form of a concept a new status; the concept's version is compared and set.

    A generated romanization whose status a person sets becomes theirs (origin ``entered``),
    so regenerating the romanizations never undoes the decision. The caller commits.
    """
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    row = session.get(Concept, concept)
    if row is None:
        raise NotFoundError(f"no concept {concept!r}")
    term = session.exec(
        select(Term).where(
            Term.concept_id == concept,
            Term.lang == lang,
            Term.text == text,
            col(Term.scheme).is_(None) if scheme is None else Term.scheme == scheme,
        )
    ).first()
    if term is None:
        raise NotFoundError(f"{concept}: no {lang} form {text!r}")
    _bump_version(session, row, expected_version)
    if term.origin == "generated":
        entered = session.exec(
            select(Term.position).where(Term.concept_id == concept, Term.origin != "generated")
        ).all()
        term.origin = "entered"
        term.position = max(entered, default=-1) + 1
    term.status = status
    term.version += 1
    session.add(term)
    session.flush()
    refresh_variants(session=session, concept_id=concept)
    session.refresh(term)
    return term
