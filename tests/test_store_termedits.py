"""Tests for glossary.store.termedits: finding concepts by any form, changing a form's status."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from glossary.model.errors import ConflictError, NotFoundError, UsageError
from glossary.model.records import ConceptRecord, TermRecord
from glossary.model.tables import Term
from glossary.store.engine import init_database, make_engine
from glossary.store.termbase import get_concept, merge_concepts
from glossary.store.termedits import find_concepts, set_term_status, term_versions


@pytest.fixture
def session(db_url: str):
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        merge_concepts(session=session, origin="entered", concepts=[
            ConceptRecord(id="tokayev", kind="person", terms=[
                TermRecord("en", "Kassym-Jomart Tokayev"), TermRecord("ru", "Касым-Жомарт Токаев"),
            ]),
            ConceptRecord(id="almaty", kind="place", terms=[
                TermRecord("en", "Almaty"), TermRecord("ru", "Алматы"),
            ]),
        ])
        session.commit()
        yield session
    engine.dispose()


def test_find_concepts_by_any_form_casefolded(session: Session):
    assert [c.id for c in find_concepts(session=session, query="ТОКАЕВ")] == ["tokayev"]
    assert [c.id for c in find_concepts(session=session, query="tokaev")] == ["tokayev"]  # a romanization
    assert [c.id for c in find_concepts(session=session, query="alm")] == ["almaty"]
    assert [c.id for c in find_concepts(session=session)] == ["almaty", "tokayev"]
    assert find_concepts(session=session, query="Moscow") == []


def test_set_status_of_an_entered_form(session: Session):
    key = ("ru", "Касым-Жомарт Токаев", None)
    version = term_versions(session=session, concept_id="tokayev")[key]
    set_term_status(session=session, concept="tokayev", lang="ru", text="Касым-Жомарт Токаев", scheme=None,
                    status="admitted", expected_version=version)
    session.commit()
    forms = {t.text: t.status for t in get_concept(session=session, concept_id="tokayev").terms}
    assert forms["Касым-Жомарт Токаев"] == "admitted"
    assert term_versions(session=session, concept_id="tokayev")[key] == version + 1
    # Romanizations come from non-forbidden Cyrillic forms: still generated.
    assert any(t.origin == "generated" for t in get_concept(session=session, concept_id="tokayev").terms)


def test_admitting_a_generated_form_makes_it_entered_and_keeps_it(session: Session):
    generated = session.exec(select(Term).where(Term.concept_id == "tokayev", Term.origin == "generated",
                                                Term.scheme == "iso9")).first()
    assert generated is not None and generated.status == "deprecated"
    set_term_status(session=session, concept="tokayev", lang=generated.lang, text=generated.text,
                    scheme="iso9", status="admitted")
    session.commit()
    terms = [t for t in get_concept(session=session, concept_id="tokayev").terms if t.text == generated.text]
    assert [(t.status, t.origin) for t in terms] == [("admitted", "entered")]


def test_set_status_refuses_stale_versions_unknown_forms_and_statuses(session: Session):
    version = term_versions(session=session, concept_id="almaty")[("en", "Almaty", None)]
    with pytest.raises(ConflictError):
        set_term_status(session=session, concept="almaty", lang="en", text="Almaty", scheme=None,
                        status="admitted", expected_version=version + 1)
    session.rollback()
    with pytest.raises(NotFoundError):
        set_term_status(session=session, concept="almaty", lang="en", text="Alma-Ata", scheme=None,
                        status="superseded")
    with pytest.raises(UsageError):
        set_term_status(session=session, concept="almaty", lang="en", text="Almaty", scheme=None,
                        status="nice")
