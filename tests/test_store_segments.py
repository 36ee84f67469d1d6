"""Tests for glossary.store.segments: review references, pages of rows, progress, edit states."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from glossary.model.errors import NotFoundError
from glossary.store.documents import import_document, list_segments, set_translation
from glossary.store.engine import init_database, make_engine
from glossary.store.segments import (
    Progress,
    fetch_rows,
    open_document,
    progress,
    segment_of_translation,
    segment_refs,
    state_after_edit,
    target_langs,
)

TEXT = (
    "Tokayev spoke in Almaty.\n\n"
    "Putin answered from Moscow.\n\n"
    "https://example.org/report\n\n"
    "The CSTO sent troops to Kazakhstan.\n\n"
    "Nazarbayev stayed silent."
)


@pytest.fixture
def session(db_url):
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        doc = import_document(session=session, name="news", text=TEXT)
        assert doc.added == 5
        rows = list_segments(session=session, document="news", lang="ru")
        set_translation(session=session, segment_id=rows[0].id, lang="ru", text="Токаев выступил в Алматы.",
                        state="approved")
        set_translation(session=session, segment_id=rows[1].id, lang="ru", text="Путин ответил из Москвы.",
                        state="fuzzy")
        set_translation(session=session, segment_id=rows[2].id, lang="ru", text="", state="translated")
        set_translation(session=session, segment_id=rows[0].id, lang="kk", text="Тоқаев Алматыда сөйледі.",
                        state="translated")
        session.commit()
        yield session
    engine.dispose()


def test_refs_are_in_order_without_read_only_segments(session: Session):
    doc = open_document(session=session, name="news")
    refs = segment_refs(session=session, document_id=doc.id, lang="ru")
    assert [r.state for r in refs] == ["approved", "fuzzy", "new", "new"]
    rows = fetch_rows(session=session, ids=[r.id for r in refs], lang="ru")
    assert [row.source.split()[0] for row in rows] == ["Tokayev", "Putin", "The", "Nazarbayev"]


def test_refs_filter_by_state_and_by_text_in_either_language(session: Session):
    doc = open_document(session=session, name="news")
    untranslated = segment_refs(session=session, document_id=doc.id, lang="ru", states={"new"})
    assert len(untranslated) == 2
    # An empty translation counts as untranslated whatever its stored state.
    assert all(r.state == "new" for r in untranslated)
    by_target = segment_refs(session=session, document_id=doc.id, lang="ru", text="МОСКВЫ")
    by_source = segment_refs(session=session, document_id=doc.id, lang="ru", text="csto")
    assert [r.key for r in by_target] and len(by_target) == 1 and len(by_source) == 1
    assert by_target[0].state == "fuzzy" and by_source[0].state == "new"


def test_fetch_rows_keeps_the_order_asked_for_and_the_version(session: Session):
    doc = open_document(session=session, name="news")
    refs = segment_refs(session=session, document_id=doc.id, lang="ru")
    rows = fetch_rows(session=session, ids=[refs[1].id, refs[0].id], lang="ru")
    assert [r.id for r in rows] == [refs[1].id, refs[0].id]
    assert rows[1].target == "Токаев выступил в Алматы." and rows[1].version == 1
    assert fetch_rows(session=session, ids=[refs[3].id], lang="ru")[0].version == 0


def test_progress_counts_each_language(session: Session):
    doc = open_document(session=session, name="news")
    assert progress(session=session, document_id=doc.id, lang="ru") == Progress(1, 0, 1, 2)
    assert progress(session=session, document_id=doc.id, lang="kk") == Progress(0, 1, 0, 3)
    assert progress(session=session, document_id=doc.id, lang="fr").total == 4
    assert target_langs(session=session, document_id=doc.id) == ["kk", "ru"]


def test_open_document_defaults_and_refuses_unknown_names(session: Session):
    assert open_document(session=session).name == "news"  # no "article": the first document
    with pytest.raises(NotFoundError):
        open_document(session=session, name="missing")


def test_segment_of_translation(session: Session):
    doc = open_document(session=session, name="news")
    first = segment_refs(session=session, document_id=doc.id, lang="ru")[0]
    saved = set_translation(session=session, segment_id=first.id, lang="de", text="Tokajew sprach.",
                            state="translated")
    assert saved.id is not None
    assert segment_of_translation(session=session, translation_id=saved.id) == first.id
    with pytest.raises(NotFoundError):
        segment_of_translation(session=session, translation_id=10**6)


@pytest.mark.parametrize(
    ("state", "text", "after"),
    [
        ("new", "Токаев", "translated"),
        ("approved", "Токаев", "translated"),
        ("reviewed", "Токаев", "translated"),
        ("fuzzy", "Токаев", "fuzzy"),
        ("translated", "Токаев", "translated"),
        ("approved", "  ", "new"),
    ],
)
def test_state_after_edit(state: str, text: str, after: str):
    assert state_after_edit(state, text) == after
