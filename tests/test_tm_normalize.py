"""One normalisation for the memory: NFC before anything is compared, the same case folding on both sides."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from glossary.memory.concordance import concordance
from glossary.memory.score import normalize, word_diff
from glossary.memory.units import NewUnit, add_units, search
from glossary.store.engine import init_database, make_engine
from glossary.text.normalize import CaselessText, caseless, compact, nfc

RU = "Войска ОДКБ покинули Алматы, ещё раз подтвердил Токаев в своём обращении."
KK = "Бейбітшілік күштері өз міндетін толық орындап, елден шығатын болды."


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        add_units(session=session, units=[
            NewUnit("ru", "en", RU, "CSTO troops left Almaty, Tokayev confirmed once more.", "t"),
            NewUnit("kk", "en", KK, "The peacekeepers fulfilled their mission and will leave.", "t"),
            NewUnit("de", "en", "Die Straße nach Almaty ist wieder offen.",
                    "The road to Almaty is open again.", "t"),
        ])
        session.commit()
        yield session


def test_the_forms_are_nfc_and_caseless() -> None:
    assert nfd("й") != "й" and nfc(nfd("й")) == "й"
    assert caseless(nfd("ЁЛКА Й")) == "ёлка й"
    assert caseless("Straße") == caseless("STRASSE") == "strasse"
    assert compact(f"  {nfd('Алматы')}\t and\n  ALMATY ") == "алматы and almaty"
    assert normalize(nfd(RU)) == normalize(RU)


@pytest.mark.parametrize("source", [RU, KK])
def test_a_decomposed_sentence_scores_100_against_its_composed_copy(session: Session, source: str) -> None:
    assert nfd(source) != source  # й and ё decompose (Kazakh і, ү, ө, ұ have no decomposition)
    lang = "ru" if source == RU else "kk"
    found = search(session=session, text=nfd(source), source_lang=lang, target_lang="en")
    assert [(m.score, m.explanation["summary"]) for m in found] == [(100.0, "exact match")]


def test_units_are_stored_in_nfc_and_a_decomposed_copy_is_no_new_unit(session: Session) -> None:
    from glossary.memory.units import import_units
    from glossary.model.records import UnitRecord, UnitVariant

    record = UnitRecord(variants=[UnitVariant("ru", nfd(RU)),
                                  UnitVariant("en", "CSTO troops left Almaty, Tokayev confirmed once more.")],
                        srclang="ru")
    assert import_units(session=session, units=[record], origin="t") == 0
    add_units(session=session, units=[NewUnit("ru", "de", nfd(RU), nfd("Truppen zogen ab, schön."), "t")])
    session.commit()
    found = search(session=session, text=RU, source_lang="ru", target_lang="de")
    assert [m.source for m in found] == [RU] and found[0].target == "Truppen zogen ab, schön."


def test_word_diff_keeps_decomposed_words_whole() -> None:
    ops = word_diff(nfd("Он ещё здесь."), "Он еще здесь.")
    assert [op["op"] for op in ops] == ["equal", "replace", "equal"]
    assert ops[1] == {"op": "replace", "query": "ещё", "source": "еще"}


def test_caseless_text_maps_hits_back_to_the_original() -> None:
    folded = CaselessText(f"Die STRASSE und die Straße, {nfd('Ёлка')}.")
    assert folded.folded == "die strasse und die strasse, ёлка."
    first = folded.folded.find("strasse")
    second = folded.folded.find("strasse", first + 1)
    text = f"Die STRASSE und die Straße, {nfd('Ёлка')}."
    assert text[slice(*folded.span(first, first + 7))] == "STRASSE"
    assert text[slice(*folded.span(second, second + 7))] == "Straße"
    at = folded.folded.find("ёлка")
    assert text[slice(*folded.span(at, at + 4))] == nfd("Ёлка")


@pytest.mark.parametrize("query", ["strasse", "STRASSE", "Straße"])
def test_concordance_folds_case_the_same_way_on_both_sides(session: Session, query: str) -> None:
    hits = concordance(session=session, words=query, lang="de")
    assert [h.text for h in hits] == ["Die Straße nach Almaty ist wieder offen."]
    assert [hits[0].text[s:e] for s, e in hits[0].spans] == ["Straße"]


def test_concordance_finds_a_decomposed_query(session: Session) -> None:
    hits = concordance(session=session, words=nfd("ещё"), lang="ru")
    assert [h.text for h in hits] == [RU]
    assert [hits[0].text[s:e] for s, e in hits[0].spans] == ["ещё"]
