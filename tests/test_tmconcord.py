"""Concordance: words found case-insensitively with spans, and names found in any inflection."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from glossary.memory.concordance import concordance
from glossary.memory.units import NewUnit, add_units
from glossary.model.tables import Document, Segment, Translation
from glossary.store.engine import init_database, make_engine


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        doc = Document(name="article", source_lang="en")
        session.add(doc)
        session.flush()
        segment = Segment(document_id=doc.id, key="k1", source="Tokayev spoke in Almaty; ALMATY was calm.")
        session.add(segment)
        session.flush()
        session.add(Translation(segment_id=segment.id, lang="ru", text="Токаев выступил в Алматы.",
                                state="approved"))
        add_units(session=session, units=[
            NewUnit("en", "ru", "The CSTO left Almaty in January.", "ОДКБ покинула Алматы в январе.", "mem"),
            NewUnit("en", "ru", "Nazarbayev kept his post.", "Назарбаев сохранил пост.", "mem"),
            NewUnit("en", "ru", "They met Nazarbayev.", "Они встретились с Назарбаевым.", "mem"),
            NewUnit("en", "ru", "Nothing to see here.", "Здесь ничего нет.", "mem"),
        ])
        session.commit()
        yield session


def test_words_are_found_case_insensitively_with_spans(session: Session) -> None:
    hits = concordance(session=session, words="almaty", lang="en")
    assert [(h.kind, h.origin) for h in hits] == [("segment", "article"), ("memory", "mem")]
    for hit in hits:
        assert [hit.text[s:e].lower() for s, e in hit.spans] == ["almaty"] * len(hit.spans)
    assert len(hits[0].spans) == 2


def test_every_word_must_occur(session: Session) -> None:
    assert [h.text for h in concordance(session=session, words="CSTO january", lang="en")] == [
        "The CSTO left Almaty in January."]
    assert concordance(session=session, words="CSTO Tokayev", lang="en") == []


def test_target_language_finds_translations_and_memory_targets(session: Session) -> None:
    hits = concordance(session=session, words="алматы", lang="ru")
    assert [(h.kind, h.text) for h in hits] == [
        ("translation", "Токаев выступил в Алматы."), ("memory", "ОДКБ покинула Алматы в январе.")]
    assert hits[1].other == "The CSTO left Almaty in January."


def test_a_recognised_name_is_found_in_any_inflection(session: Session) -> None:
    def spans(text: str, lang: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), "nazarbayev") for m in re.finditer(r"Назарбаев\w*", text)]

    plain = concordance(session=session, words="Назарбаев", lang="ru")
    assert [h.text for h in plain] == ["Назарбаев сохранил пост.", "Они встретились с Назарбаевым."]
    named = concordance(session=session, words="Назарбаева", lang="ru", spans=spans)
    assert [(h.text, h.concept) for h in named] == [
        ("Назарбаев сохранил пост.", "nazarbayev"), ("Они встретились с Назарбаевым.", "nazarbayev")]
    assert named[1].text[named[1].spans[0][0] : named[1].spans[0][1]] == "Назарбаевым"
    assert concordance(session=session, words="Назарбаева", lang="ru") == []


def test_limit_caps_the_hits(session: Session) -> None:
    assert len(concordance(session=session, words="the", lang="en", limit=1)) == 1
