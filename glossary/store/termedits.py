"""A reviewer's work in the term base: find concepts by any of their forms, change a form's status."""

from __future__ import annotations

import unicodedata

from sqlmodel import Session, col, select

from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.records import STATUSES, ConceptRecord
from glossary.model.tables import Concept, Term
from glossary.store.pending import is_hidden, of_visible, visible
from glossary.store.roles import require_terminologist
from glossary.store.termbase import conflicts_reported, load_concepts, refresh_variants


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def find_concepts(*, session: Session, query: str = "", limit: int = 200) -> list[ConceptRecord]:
    """Concepts whose id or any form (generated romanizations included) contains ``query``,
    compared casefolded; every concept when the query is empty. Ordered by id, at most ``limit``."""
    needle = _folded(query.strip())
    if not needle:
        ids = list(session.exec(select(Concept.id).where(visible()).order_by(col(Concept.id)).limit(limit)))
        return load_concepts(session=session, ids=ids)
    found: set[str] = set()
    forms = select(Term.concept_id, Term.text).where(of_visible(Term.concept_id))
    for concept_id, text in session.exec(forms):
        if needle in _folded(text) or needle in concept_id:
            found.add(concept_id)
    for concept_id in session.exec(select(Concept.id).where(visible())):
        if needle in concept_id:
            found.add(concept_id)
    return load_concepts(session=session, ids=sorted(found)[:limit])


def term_versions(*, session: Session, concept_id: str) -> dict[tuple[str, str, str | None], int]:
    """The version of each form of a concept, by (lang, text, scheme): what a later edit compares."""
    columns = (Term.lang, Term.text, Term.scheme, Term.version)
    concept = session.get(Concept, concept_id)
    if concept is None or is_hidden(session, concept):
        return {}
    rows = session.exec(select(*columns).where(Term.concept_id == concept_id))
    return {(lang, text, scheme): version for lang, text, scheme, version in rows}


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
    """Give one form of a concept a new status, if the form is still at ``expected_version``.

    With ``expected_version`` (the version the editor showed), an edit committed since is a
    ConflictError naming both versions, and nothing is written. Without it the status is set on
    the form as it is now: the row is locked (PostgreSQL) or the write lock held (SQLite, see
    ``store.retry``), and the write still compares the version it read (``version_id_col``), so
    a write that lost a race raises LostRace and its transaction runs again. A generated
    romanization whose status a person sets becomes theirs (origin ``entered``), so
    regenerating romanizations never undoes the decision. The caller commits.
    """
    require_terminologist(session)
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    found = session.get(Concept, concept)
    if found is None or is_hidden(session, found):
        raise NotFoundError(f"no concept {concept!r}")
    term = session.exec(
        select(Term).where(
            Term.concept_id == concept,
            Term.lang == lang,
            Term.text == text,
            col(Term.scheme).is_(None) if scheme is None else Term.scheme == scheme,
        ).with_for_update().execution_options(populate_existing=True)  # locked, read afresh
    ).first()
    if term is None:
        raise NotFoundError(f"{concept}: no {lang} form {text!r}")
    if expected_version is not None and term.version != expected_version:
        raise ConflictError(
            f"{concept}: the {lang} form {text!r} was changed by someone else meanwhile: "
            f"yours started from version {expected_version}, the stored one is version {term.version} "
            f"({term.status}); reload and try again"
        )
    if term.origin == "generated":
        entered = session.exec(
            select(Term.position).where(Term.concept_id == concept, Term.origin != "generated")
        ).all()
        term.origin = "entered"
        term.position = max(entered, default=-1) + 1
    term.status = status
    session.add(term)
    with conflicts_reported():
        session.flush()
    refresh_variants(session=session, concept_id=concept)
    session.refresh(term)
    return term
