"""The memory service: units from documents and TMX, fuzzy search and its ranking, pre-translation."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from importlib import resources

import pytest
from sqlmodel import Session, func, select

from glossary.cli.common import import_tmx
from glossary.memory.units import (
    NewUnit,
    add_units,
    context_of,
    pretranslate,
    search,
    sync_from_documents,
)
from glossary.model.errors import ParseError
from glossary.model.tables import Document, Segment, TMUnit, Translation, TranslationHistory
from glossary.store.engine import init_database, make_engine


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        yield session


def _article_sentences() -> list[str]:
    text = resources.files("glossary").joinpath("data/article.txt").read_text(encoding="utf-8")
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)]
    return list(dict.fromkeys(s for s in sentences if 10 <= len(s.split()) <= 40))


def _edit(sentence: str, n: int) -> str:
    """One or two words changed: substituted, dropped, or a word added."""
    words = sentence.split()
    kind = n % 3
    at = 2 + n % (len(words) - 4)
    if kind == 0:
        words[at] = "different"
    elif kind == 1:
        del words[at]
    else:
        words.insert(at, "really")
    if n % 2:
        words[-3] = "others"
    return " ".join(words)


def _document(session: Session, name: str, rows: list[tuple[str, str | None, str]]) -> list[int]:
    """A document whose segments have (source, Russian text or None, state); returns segment ids."""
    doc = Document(name=name, source_lang="en")
    session.add(doc)
    session.flush()
    ids = []
    for position, (source, target, state) in enumerate(rows):
        segment = Segment(document_id=doc.id, key=f"{name}-{position}", position=position, source=source)
        session.add(segment)
        session.flush()
        ids.append(segment.id)
        if target is not None:
            session.add(Translation(segment_id=segment.id, lang="ru", text=target, state=state))
    session.flush()
    return ids


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(TMUnit)).one()


def test_edited_article_sentences_find_their_original_first(session: Session) -> None:
    sentences = _article_sentences()
    assert len(sentences) >= 30
    add_units(session=session, units=[NewUnit("en", "ru", s, f"ru {i}", "article") for i, s in
                                      enumerate(sentences)])
    session.commit()
    checked = 0
    for n, original in enumerate(sentences):
        query = _edit(original, n)
        found = search(session=session, text=query, source_lang="en", target_lang="ru")
        assert found, query
        assert found[0].source == original
        assert found[0].score >= 80
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        checked += 1
    assert checked >= 30


def test_match_json_has_the_contract_fields(session: Session) -> None:
    add_units(session=session, units=[NewUnit("en", "ru", "The CSTO troops left in 10 days.", "Войска ОДКБ "
                                              "ушли за 10 дней.", "article")])
    session.commit()
    (match,) = search(session=session, text="The CSTO troops left in 12 days.", source_lang="en",
                      target_lang="ru")
    data = match.to_json()
    assert list(data) == ["score", "source", "target", "source_lang", "target_lang", "origin", "context",
                          "explanation", "diff", "differences"]
    assert {"method", "raw", "penalties"} <= set(data["explanation"])
    assert {"op": "replace", "query": "12", "source": "10"} in data["diff"]
    assert data["differences"] == [{"kind": "number", "query": ["12"], "source": ["10"]}]


def test_exact_match_in_the_same_context_ranks_first(session: Session) -> None:
    text = "They will be restored as soon as possible."
    add_units(session=session, units=[
        NewUnit("en", "ru", text, "без контекста", "a"),
        NewUnit("en", "ru", text, "другой контекст", "b", context="ctx:other"),
        NewUnit("en", "ru", text, "тот же контекст", "c", context="ctx:here"),
        NewUnit("en", "ru", text.upper(), "ПРОПИСНЫЕ", "d"),
    ])
    session.commit()
    found = search(session=session, text=text, source_lang="en", target_lang="ru", context="ctx:here")
    assert [m.target for m in found[:2]] == ["тот же контекст", "без контекста"]
    assert [m.score for m in found[:2]] == [100.0, 100.0]
    assert found[0].explanation["summary"] == "exact match, same context"
    assert found[0].explanation["rank"] > found[1].explanation["rank"]
    rest = {m.target: (m.score, [p["reason"] for p in m.explanation["penalties"]]) for m in found[2:]}
    assert rest == {"другой контекст": (99.0, ["different context"]),
                    "ПРОПИСНЫЕ": (99.0, ["differs in case or spacing"])}
    plain = search(session=session, text=text, source_lang="en", target_lang="ru")
    assert [m.score for m in plain[:3]] == [100.0, 100.0, 100.0]


def test_fuzzy_units_are_penalised_and_below_minimum_dropped(session: Session) -> None:
    add_units(session=session, units=[
        NewUnit("en", "ru", "The situation is stable in all regions.", "черновик", "x",
                props=[("x-state", "fuzzy")]),
        NewUnit("en", "ru", "The situation is stable in all the regions.", "готово", "y"),
    ])
    session.commit()
    found = search(session=session, text="The situation is stable in all regions.", source_lang="en",
                   target_lang="ru", min_score=50)
    assert [m.target for m in found] == ["готово", "черновик"]
    assert found[1].score == 95.0
    assert search(session=session, text="The situation is stable in all regions.", source_lang="en",
                  target_lang="ru", min_score=96) == []


def test_names_that_differ_are_reported_through_the_finder(session: Session) -> None:
    add_units(session=session, units=[NewUnit("en", "ru", "We have defended Almaty together.", "Мы отстояли "
                                              "Алматы вместе.", "a")])
    session.commit()
    known = {"almaty": "almaty", "astana": "astana"}

    def names(text: str, lang: str) -> list[str]:
        assert lang == "en"
        return [known[w] for w in re.findall(r"\w+", text.lower()) if w in known]

    (match,) = search(session=session, text="We have defended Astana together.", source_lang="en",
                      target_lang="ru", names=names)
    assert {"kind": "name", "query": ["astana"], "source": ["almaty"]} in match.differences


def test_sync_takes_approved_and_translated_work_with_context(session: Session) -> None:
    ids = _document(session, "article", [
        ("First sentence here.", "Первое.", "approved"),
        ("Second sentence here.", "Второе.", "translated"),
        ("Third sentence here.", "Третье.", "fuzzy"),
        ("Fourth sentence here.", "", "approved"),
    ])
    assert sync_from_documents(session=session) == 2
    session.commit()
    units = session.exec(select(TMUnit).order_by(TMUnit.id)).all()
    assert [(u.source, u.target, u.origin, u.segment_id) for u in units] == [
        ("First sentence here.", "Первое.", "article", ids[0]),
        ("Second sentence here.", "Второе.", "article", ids[1]),
    ]
    assert units[1].context == context_of("First sentence here.", None, "Third sentence here.")
    assert sync_from_documents(session=session) == 0

    translation = session.exec(select(Translation).where(Translation.segment_id == ids[0])).one()
    translation.text = "Первое предложение."
    segment = session.get(Segment, ids[1])
    assert segment is not None
    segment.source = "Second sentence, edited."
    session.add_all([translation, segment])
    session.flush()
    assert sync_from_documents(session=session) == 2
    session.commit()
    units = session.exec(select(TMUnit).order_by(TMUnit.id)).all()
    assert [(u.source, u.target) for u in units] == [
        ("First sentence here.", "Первое предложение."), ("Second sentence, edited.", "Второе.")]
    found = search(session=session, text="Second sentence here.", source_lang="en", target_lang="ru",
                   min_score=95)
    assert found == []
    # The edited target is indexed too: concordance over the memory's Russian side finds it.
    from glossary.memory.concordance import concordance

    hits = concordance(session=session, words="предложение", lang="ru")
    assert ("memory", "Первое предложение.") in {(hit.kind, hit.text) for hit in hits}


TMX_GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/>
<body>
<tu><prop type="x-context">ctx:1</prop><note>n</note><tuv xml:lang="en"><seg>One.</seg></tuv>
<tuv xml:lang="ru"><seg>Один.</seg></tuv><tuv xml:lang="kk"><seg>Бір.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Two.</seg></tuv><tuv xml:lang="de"><seg>Zwei.</seg></tuv></tu>
</body></tmx>"""


def test_import_tmx_adds_a_unit_per_target_variant(session: Session) -> None:
    assert import_tmx(session=session, fileobj=io.BytesIO(TMX_GOOD.encode()), path="dir/mem.tmx") == 3
    session.commit()
    units = session.exec(select(TMUnit).order_by(TMUnit.id)).all()
    assert [(u.source_lang, u.target_lang, u.source, u.target, u.origin) for u in units] == [
        ("en", "ru", "One.", "Один.", "mem.tmx"), ("en", "kk", "One.", "Бір.", "mem.tmx"),
        ("en", "de", "Two.", "Zwei.", "mem.tmx")]
    assert (units[0].context, units[0].note) == ("ctx:1", "n")


@pytest.mark.parametrize(
    "broken",
    [
        TMX_GOOD.replace("</body></tmx>", "<tu><tuv xml:lang='en'><seg>x</seg></tu></body></tmx>"),
        TMX_GOOD.replace("</body></tmx>", "<tu><note>no variants</note></tu></body></tmx>"),
        TMX_GOOD.replace('xml:lang="de"', 'xml:lang="not a tag"'),
    ],
    ids=["broken-xml-at-the-end", "tu-without-tuv", "invalid-language"],
)
def test_malformed_tmx_leaves_the_database_unchanged(session: Session, db_url: str, broken: str) -> None:
    import_tmx(session=session, fileobj=io.BytesIO(TMX_GOOD.encode()), path="first.tmx")
    session.commit()
    before = _count(session)
    session.add(Document(name="the caller's own pending work"))
    session.flush()
    with pytest.raises(ParseError) as caught:
        import_tmx(session=session, fileobj=io.BytesIO(broken.encode()), path="second.tmx")
    # No service rolls back its caller's session: the caller's work is still there, and the
    # caller decides (here: to roll back, as leaving `with Session(...)` uncommitted does).
    assert session.exec(select(Document.name)).all() == ["the caller's own pending work"]
    session.rollback()
    assert caught.value.path == "second.tmx" and caught.value.line
    with Session(make_engine(db_url)) as other:
        assert _count(other) == before == 3


def test_pretranslate_fills_only_untranslated_segments(session: Session) -> None:
    ids = _document(session, "doc", [
        ("The process of withdrawal will take ten days.", None, "new"),
        ("The situation is stable in all regions.", "", "new"),
        ("We have defended Almaty together.", "Своя работа.", "new"),
        ("They will be restored as soon as possible.", "Мой перевод.", "translated"),
        ("Nothing in the memory resembles this line.", None, "new"),
    ])
    add_units(session=session, units=[
        NewUnit("en", "ru", "The process of withdrawal will take 10 days.", "Вывод займёт 10 дней.", "m"),
        NewUnit("en", "ru", "The situation is stable in all regions.", "Ситуация стабильна.", "m"),
        NewUnit("en", "ru", "We have defended Almaty together.", "Из памяти.", "m"),
        NewUnit("en", "ru", "They will be restored as soon as possible.", "Из памяти 2.", "m"),
    ])
    session.commit()
    assert pretranslate(session=session, lang="ru") == 2
    session.commit()
    rows = {t.segment_id: (t.text, t.state) for t in session.exec(select(Translation))}
    assert rows == {
        ids[0]: ("Вывод займёт 10 дней.", "fuzzy"),
        ids[1]: ("Ситуация стабильна.", "fuzzy"),
        ids[2]: ("Своя работа.", "new"),
        ids[3]: ("Мой перевод.", "translated"),
    }
    history = session.exec(select(TranslationHistory)).all()
    assert [(h.text, h.state) for h in history] == [("", "new")]
    assert pretranslate(session=session, lang="ru") == 0


def test_pretranslate_leaves_read_only_segments_alone(session: Session) -> None:
    url = "https://creativecommons.org/licenses/by-sa/4.0/legalcode"
    ids = _document(session, "doc", [(url, None, "new"), ("The police repelled the attacks.", None, "new")])
    session.get(Segment, ids[0]).flags = "read-only"
    add_units(session=session, units=[
        NewUnit("en", "ru", url, url, "m"),
        NewUnit("en", "ru", "The police repelled the attacks.", "Полиция отбила атаки.", "m"),
    ])
    session.commit()
    assert pretranslate(session=session, lang="ru") == 1
    assert [t.segment_id for t in session.exec(select(Translation))] == [ids[1]]
