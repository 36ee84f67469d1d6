"""Term-base services: loading, adding forms, merging imports without duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import Session, func, select

from glossary.model.errors import ConflictError, UsageError
from glossary.model.records import ConceptRecord, TermRecord
from glossary.model.tables import Concept, Term
from glossary.store.engine import init_database, make_engine
from glossary.store.termbase import add_term, get_concept, load_concepts, merge_concepts, slugify


@pytest.fixture
def empty_session(db_url: str):
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        yield session


def _tokayev(**changes: object) -> ConceptRecord:
    record = ConceptRecord(
        id="tokayev",
        kind="person",
        note="President of Kazakhstan",
        terms=[
            TermRecord("en", "Kassym-Jomart Tokayev"),
            TermRecord("ru", "Касым-Жомарт Токаев"),
            TermRecord("kk", "Қасым-Жомарт Тоқаев"),
            TermRecord("en", "Tokaev", status="admitted", type="short_form"),
        ],
    )
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def test_merge_creates_then_is_idempotent(empty_session: Session):
    first = merge_concepts(session=empty_session, concepts=[_tokayev()])
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    count = empty_session.exec(select(func.count()).select_from(Term)).one()
    second = merge_concepts(session=empty_session, concepts=[_tokayev()])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert empty_session.exec(select(func.count()).select_from(Term)).one() == count


def test_merge_matches_by_preferred_form_and_external_id(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    same_forms = _tokayev(id="kassym_jomart_tokayev")
    same_forms.terms = [*same_forms.terms, TermRecord("de", "Tokajew", source="Duden")]
    report = merge_concepts(session=empty_session, concepts=[same_forms])
    assert report.created == 0 and report.updated == 1
    merge_concepts(session=empty_session, concepts=[_tokayev(external_id="Q1")])
    by_qid = ConceptRecord(id="other", kind="person", external_id="Q1", terms=[TermRecord("fr", "Tokaïev")])
    merge_concepts(session=empty_session, concepts=[by_qid])
    assert empty_session.exec(select(func.count()).select_from(Concept)).one() == 1
    texts = {t.text for t in get_concept(session=empty_session, concept_id="tokayev").terms}
    assert {"Tokajew", "Tokaïev"} <= texts


def test_generated_forms_follow_cyrillic_forms(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    concept = get_concept(session=empty_session, concept_id="tokayev")
    generated = [t for t in concept.terms if t.origin == "generated"]
    assert generated and all(t.scheme and t.lang.endswith("-Latn") for t in generated)
    assert all(t.status == "deprecated" for t in generated)
    texts = {t.text for t in generated}
    assert "Qasym-Zhomart Toqaev" in texts  # Kazakh BGN/PCGN
    assert "Kassym-Jomart Tokayev" not in texts  # entered forms are never generated again
    add_term(session=empty_session, concept="tokayev", term=TermRecord("ru", "Токаев", type="short_form"))
    after = {t.text for t in get_concept(session=empty_session, concept_id="tokayev").terms}
    assert "Tokayev" in after


def test_person_confirming_a_generated_form_owns_it(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    generated = next(
        t for t in get_concept(session=empty_session, concept_id="tokayev").terms if t.origin == "generated"
    )
    add_term(
        session=empty_session,
        concept="tokayev",
        term=TermRecord(generated.lang, generated.text, status="admitted", scheme=generated.scheme),
    )
    same = [
        t for t in get_concept(session=empty_session, concept_id="tokayev").terms if t.text == generated.text
    ]
    assert [(t.origin, t.status) for t in same] == [("entered", "admitted")]


def test_add_rejects_bad_status_and_duplicates(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    with pytest.raises(UsageError, match="status"):
        add_term(session=empty_session, concept="tokayev", term=TermRecord("en", "X", status="maybe"))
    with pytest.raises(UsageError, match="already exists"):
        add_term(session=empty_session, concept="tokayev", term=TermRecord("en", "Tokaev", status="admitted"))


def test_load_concepts_orders_entered_before_generated(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    [concept] = load_concepts(session=empty_session)
    origins = [t.origin for t in concept.terms]
    assert origins == sorted(origins, key=lambda o: o == "generated")


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Kassym-Jomart Tokayev", "kassym_jomart_tokayev"), ("Tokaïev", "tokaiev"), ("ОДКБ", "concept")],
)
def test_slugify(text: str, slug: str):
    assert slugify(text) == slug


def test_a_sparse_import_never_overwrites_with_defaults(empty_session: Session):
    merge_concepts(session=empty_session, concepts=[_tokayev()])
    # What a minimal TBX or CSV gives: no kind, no status, no type were stated for these fields.
    sparse = ConceptRecord(
        id="tokayev",
        given=frozenset(),
        terms=[TermRecord("en", "Tokaev", given=frozenset({"lang", "text"})), TermRecord("de", "Tokajew")],
    )
    report = merge_concepts(session=empty_session, concepts=[sparse])
    assert (report.updated, report.terms_added) == (1, 1)
    concept = get_concept(session=empty_session, concept_id="tokayev")
    assert concept.kind == "person"
    [tokaev] = [t for t in concept.terms if t.text == "Tokaev"]
    assert (tokaev.status, tokaev.type) == ("admitted", "short_form")


def test_two_people_adding_forms_to_one_concept_both_succeed(db_url: str):
    """Adding a form needs no version of the concept: no spurious conflict, nothing lost."""
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as setup:
        merge_concepts(session=setup, concepts=[_tokayev()])
        setup.commit()
    with Session(engine) as first, Session(engine) as second:
        seen = first.get(Concept, "tokayev")  # read before the other writer commits
        assert seen.version == 1
        add_term(session=second, concept="tokayev", term=TermRecord("ru", "Токаев", type="short_form"))
        second.commit()
        add_term(session=first, concept="tokayev", term=TermRecord("kk", "Тоқаев", type="short_form"))
        first.commit()
    concept = get_concept(session=Session(engine), concept_id="tokayev")
    texts = {t.text for t in concept.terms}
    assert {"Токаев", "Тоқаев"} <= texts
    # The romanizations follow both new forms, though each writer saw only its own.
    assert {"Tokayev", "Toqaev"} <= {t.text for t in concept.terms if t.origin == "generated"}
    with Session(engine) as session:
        assert session.get(Concept, "tokayev").version == 1


def test_an_import_racing_an_edit_is_a_conflict(db_url: str):
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as setup:
        merge_concepts(session=setup, concepts=[_tokayev()])
        setup.commit()
    with Session(engine) as importer, Session(engine) as editor:
        seen = importer.get(Concept, "tokayev")  # the import's view, held: version 1
        assert seen.version == 1
        merge_concepts(session=editor, concepts=[_tokayev(note="edited by hand")])
        editor.commit()
        with pytest.raises(ConflictError, match="changed by someone else"):
            merge_concepts(session=importer, concepts=[_tokayev(note="from the file")])
    with Session(engine) as session:
        row = session.get(Concept, "tokayev")
        assert (row.note, row.version) == ("edited by hand", 2)


def test_a_term_changed_meanwhile_is_a_conflict(db_url: str):
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as setup:
        merge_concepts(session=setup, concepts=[_tokayev()])
        setup.commit()
    with Session(engine) as importer, Session(engine) as editor:
        [stale] = importer.exec(select(Term).where(Term.text == "Tokaev")).all()
        [fresh] = editor.exec(select(Term).where(Term.text == "Tokaev")).all()
        fresh.note = "checked"
        editor.commit()
        assert fresh.version == stale.version + 1  # the ORM bumped it (version_id_col)
        changed = _tokayev()
        changed.terms = [replace(t, status="deprecated") if t.text == "Tokaev" else t for t in changed.terms]
        with pytest.raises(ConflictError):
            merge_concepts(session=importer, concepts=[changed])


def test_a_stale_orm_write_is_refused_by_the_database(db_url: str):
    """version_id_col: the UPDATE carries the version read, so a lost race never overwrites."""
    from sqlalchemy.orm.exc import StaleDataError

    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as setup:
        merge_concepts(session=setup, concepts=[_tokayev()])
        setup.commit()
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(Concept, "tokayev"), second.get(Concept, "tokayev")
        theirs.note = "theirs"
        second.commit()
        mine.note = "mine"
        with pytest.raises(StaleDataError):
            first.flush()


def test_merge_in_batches_matches_across_batches(empty_session: Session):
    """A concept created in one batch is found by a later batch (same preferred form)."""
    records = [
        ConceptRecord(id=f"c{i}", kind="person", terms=[TermRecord("en", f"Person {i}")]) for i in range(5)
    ]
    again = ConceptRecord(id="other", terms=[TermRecord("en", "Person 1"), TermRecord("de", "Person Eins")])
    report = merge_concepts(session=empty_session, concepts=[*records, again], batch_size=2)
    assert (report.created, report.updated, report.terms_added) == (5, 1, 6)
    assert {t.text for t in get_concept(session=empty_session, concept_id="c1").terms} == {
        "Person 1",
        "Person Eins",
    }


def test_one_file_naming_a_form_twice_adds_it_once(empty_session: Session):
    twice = ConceptRecord(id="x", terms=[TermRecord("en", "Almaty"), TermRecord("en", "Almaty")])
    report = merge_concepts(session=empty_session, concepts=[twice])
    assert report.terms_added == 1


def test_bulk_generated_forms_equal_the_per_concept_ones(empty_session: Session):
    from glossary.formats.seed import read_termbase_toml
    from glossary.translit.variants import generate_variants

    seed = read_termbase_toml()
    merge_concepts(session=empty_session, concepts=read_termbase_toml(), batch_size=7)
    stored = {c.id: c for c in load_concepts(session=empty_session)}
    for concept in seed:
        expected = {(t.lang, t.text, t.scheme, t.note) for t in generate_variants(concept)}
        generated = [t for t in stored[concept.id].terms if t.origin == "generated"]
        got = {(t.lang, t.text, t.scheme, t.note) for t in generated}
        assert got == expected, concept.id


def test_a_failing_import_leaves_the_caller_s_session_alone(empty_session: Session):
    from glossary.model.tables import Meta

    empty_session.add(Meta(key="caller", value="pending"))
    empty_session.flush()
    bad = ConceptRecord(id="bad", kind="planet", terms=[TermRecord("en", "Mars")])
    with pytest.raises(UsageError, match="unknown kind"):
        merge_concepts(session=empty_session, concepts=[_tokayev(), bad])
    assert empty_session.get(Meta, "caller").value == "pending"  # not rolled back by the service
