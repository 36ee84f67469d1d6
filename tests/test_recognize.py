"""Tests for glossary.recognize.spans: spellings, scripts, case endings, boundaries, near misses, caching."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from glossary.formats.seed import bundled_path, read_termbase_toml
from glossary.model.records import ConceptRecord, TermRecord
from glossary.recognize.spans import Span, compile_index, recognize
from glossary.translit.variants import generate_variants


def _t(lang: str, text: str, **kw: str) -> TermRecord:
    return TermRecord(lang=lang, text=text, **kw)


FIXTURE = [
    ConceptRecord(
        "tokayev",
        "person",
        terms=[
            _t("en", "Kassym-Jomart Tokayev"),
            _t("en", "Tokayev", type="short_form"),
            _t("de", "Tokajew"),
            _t("fr", "Tokaïev"),
            _t("ru", "Токаев"),
            _t("kk", "Тоқаев"),
            _t("ru", "Касым-Жомарт Токаев"),
            _t("kk-Latn", "Toqaev", scheme="kz_latin_2021", origin="generated", status="deprecated"),
            _t("ru-Latn", "Tokaev", scheme="icao_9303", origin="generated", status="deprecated"),
        ],
    ),
    ConceptRecord("nazarbayev", "person", terms=[_t("en", "Nazarbayev"), _t("ru", "Назарбаев")]),
    ConceptRecord(
        "almaty",
        "place",
        terms=[_t("en", "Almaty"), _t("ru", "Алматы"), _t("en", "Alma-Ata", status="superseded")],
    ),
    ConceptRecord("libya", "place", terms=[_t("en", "Libya"), _t("ru", "Ливия")]),
    ConceptRecord(
        "kazakhstan",
        "place",
        terms=[_t("en", "Kazakhstan"), _t("de", "Kasachstan"), _t("ru", "Казахстан"), _t("kk", "Қазақстан")],
    ),
    ConceptRecord(
        "csto",
        "organisation",
        terms=[
            _t("en", "Collective Security Treaty Organization"),
            _t("en", "CSTO", type="abbreviation"),
            _t("ru", "ОДКБ", type="abbreviation"),
            _t("ru", "Организация Договора о коллективной безопасности"),
            _t("kk", "ҰҚШҰ", type="abbreviation"),
        ],
    ),
    ConceptRecord("sco", "organisation", terms=[_t("en", "SCO", type="abbreviation")]),
    ConceptRecord("un", "organisation", terms=[_t("en", "UN", type="abbreviation"), _t("fr", "ONU")]),
    ConceptRecord("kazakh", "nationality", terms=[_t("en", "Kazakh")]),
]


@pytest.fixture(scope="module")
def index():
    return compile_index(FIXTURE)


def _found(text: str, lang: str, index) -> list[tuple[str, str, str]]:
    spans = recognize(text, lang, index)
    for span in spans:
        assert text[span.start : span.end] == span.surface
    return [(s.surface, s.concept, s.match) for s in spans]


@pytest.mark.parametrize(
    ("lang", "text", "surface"),
    [
        ("en", "Talks with Tokaev ended.", "Tokaev"),
        ("en", "Talks with Toqaev ended.", "Toqaev"),
        ("en", "Talks with Tokajew ended.", "Tokajew"),
        ("en", "Talks with Токаев ended.", "Токаев"),
        ("de", "Gespräche mit Tokayev.", "Tokayev"),
        ("fr", "Entretien avec Токаев.", "Токаев"),
        ("ru", "Переговоры с Tokayev.", "Tokayev"),
    ],
)
def test_every_spelling_in_every_script(index, lang, text, surface):
    assert (surface, "tokayev") in [(s, c) for s, c, _ in _found(text, lang, index)]


def test_span_fields(index):
    [span] = recognize("Talks with Toqaev ended.", "en", index)
    assert span.to_json() == {
        "start": 11,
        "end": 17,
        "surface": "Toqaev",
        "concept": "tokayev",
        "term": "Toqaev",
        "lang": "kk-Latn",
        "status": "deprecated",
        "scheme": "kz_latin_2021",
        "preferred": "Kassym-Jomart Tokayev",
        "match": "exact",
        "distance": 0,
    }


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "Поддержка Касыма-Жомарта Токаева.", ("Касыма-Жомарта Токаева", "tokayev", "inflected")),
        ("ru", "Письмо Токаеву.", ("Токаеву", "tokayev", "inflected")),
        (
            "ru",
            "Саммит Организации Договора о коллективной безопасности.",
            ("Организации Договора о коллективной безопасности", "csto", "inflected"),
        ),
        ("ru", "Встреча в Алматы.", ("Алматы", "almaty", "exact")),
        ("ru", "Тоқаев сказал.", ("Тоқаев", "tokayev", "exact")),
        ("ru", "ТОКАЕВ сказал.", ("ТОКАЕВ", "tokayev", "folded")),
        ("kk", "Тоқаевтың сөзі.", ("Тоқаевтың", "tokayev", "inflected")),
        ("kk", "Қазақстанға келді.", ("Қазақстанға", "kazakhstan", "inflected")),
        ("kk", "ҰҚШҰ-ның күштері.", ("ҰҚШҰ-ның", "csto", "inflected")),
        ("de", "Tokajews Rede.", ("Tokajews", "tokayev", "inflected")),
        ("de", "Die Zukunft Kasachstans.", ("Kasachstans", "kazakhstan", "inflected")),
        ("en", "Tokayev's speech.", ("Tokayev's", "tokayev", "inflected")),
        ("en", "Tokayev’s speech.", ("Tokayev’s", "tokayev", "inflected")),
        ("fr", "La ville d'Almaty.", ("Almaty", "almaty", "exact")),
        ("fr", "Le rôle de l’ONU.", ("ONU", "un", "exact")),
    ],
)
def test_case_endings(index, lang, text, expected):
    assert expected in _found(text, lang, index)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The Almatyskiy district."),
        ("en", "A night at the disco."),
        ("en", "The csto was lowercase."),
        ("fr", "Il y avait un homme."),
        ("en", "Russian unit 5CSTO."),
        ("de", "Tokajewsk liegt woanders."),
        ("kk", "Алматыскиы."),
    ],
)
def test_no_match_inside_words_or_in_the_wrong_case(index, lang, text):
    assert _found(text, lang, index) == []


def test_longest_match_wins_and_spans_do_not_overlap(index):
    found = _found("Kassym-Jomart Tokayev and the Collective Security Treaty Organization met.", "en", index)
    assert found == [
        ("Kassym-Jomart Tokayev", "tokayev", "exact"),
        ("Collective Security Treaty Organization", "csto", "exact"),
    ]


def test_offsets_survive_combining_marks_and_emoji(index):
    text = "😀👍🏽 Toka\u0301yev met Nazarbayev’s envoy in Alma\u0308ty 🇰🇿 and Yel'tsin."
    spans = recognize(text, "en", index)
    assert [s.concept for s in spans] == ["tokayev", "nazarbayev", "almaty"]
    assert all(text[s.start : s.end] == s.surface for s in spans)
    assert spans[0].surface == "Toka\u0301yev"


def test_near_miss_of_a_person(index):
    [span] = recognize("As mentioned he was selected by Nazarbyev as his successor.", "en", index)
    assert (span.surface, span.concept, span.match, span.distance) == (
        "Nazarbyev",
        "nazarbayev",
        "near_miss",
        1,
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Tokay said hello."),  # too short for a near miss
        ("en", "However, nothing happened."),  # a common capitalised word
        ("en", "Kazakhstani officials spoke."),  # a known name plus letters is a derived word
        ("ru", "Ливня не было."),  # an ordinary Russian word one letter from Ливия
        ("en", "the nazarbyev case"),  # not capitalised
    ],
)
def test_no_near_miss(index, lang, text):
    assert [s for s in recognize(text, lang, index) if s.match == "near_miss"] == []


def test_preferred_is_in_the_text_language_with_kazakh_falling_back(index):
    [ru] = recognize("Tokayev", "ru", index)
    assert ru.preferred == "Токаев"  # the first preferred Russian term of the fixture
    [kk] = recognize("Nazarbayev", "kk", index)
    assert kk.preferred == "Назарбаев"
    [fr] = recognize("Almaty", "fr", index)
    assert fr.preferred is None


def test_status_of_the_matched_term(index):
    [span] = recognize("Old maps say Alma-Ata.", "en", index)
    assert (span.status, span.term, span.preferred) == ("superseded", "Alma-Ata", "Almaty")


def test_index_does_not_follow_later_edits_of_the_records():
    concepts = [ConceptRecord("x", "place", terms=[_t("en", "Almaty")])]
    index = compile_index(concepts)
    concepts[0].terms.append(_t("en", "Astana"))
    assert [s.surface for s in recognize("Almaty and Astana", "en", index)] == ["Almaty"]


def test_span_is_frozen():
    span = Span(0, 1, "a", "c", "a", "en", "preferred", None, None, "exact")
    with pytest.raises(AttributeError):
        span.start = 3  # type: ignore[misc]


@pytest.fixture(scope="module")
def seed_index():
    concepts = [replace(c, terms=[*c.terms, *generate_variants(c)]) for c in read_termbase_toml()]
    return concepts, compile_index(concepts)


def test_article_acceptance(seed_index):
    concepts, index = seed_index
    text = bundled_path("article.txt").read_text(encoding="utf-8")
    spans = recognize(text, "en", index)
    found = {s.concept for s in spans}
    assert {"tokayev", "csto", "knb", "almaty", "nazarbayev"} <= found
    [misspelt] = [s for s in spans if s.surface == "Nazarbyev"]
    assert misspelt.concept == "nazarbayev"
    assert misspelt.match == "near_miss" or misspelt.status in ("deprecated", "forbidden")
    assert any(s.surface == "National Security Committee" and s.concept == "knb" for s in spans)
    # Every whole-word occurrence of an entered English form is inside a recognised span
    # (its own, or a longer name's: "Uzbekistan" in "Islamic Movement of Uzbekistan").
    for concept in concepts:
        for term in concept.terms:
            if term.lang != "en" or term.origin != "entered":
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(term.text)}(?!\w)", text):
                covering = [s for s in spans if s.start <= m.start() and m.end() <= s.end]
                assert covering, (concept.id, term.text, m.start())
                if (covering[0].start, covering[0].end) == m.span():
                    assert covering[0].concept == concept.id or term.status != "preferred", term.text


def test_an_empty_term_base_finds_nothing():
    assert recognize("Tokayev met Putin in Almaty.", "en", compile_index([])) == []


def test_index_offers_the_same_preferred_form_as_the_records(seed_index):
    concepts, index = seed_index
    for number, concept in enumerate(concepts):
        for lang in ("en", "ru", "de", "fr", "en-GB", "kk-Latn"):
            for type in (None, "full_form", "short_form", "abbreviation", "adjective"):
                expected = concept.preferred(lang, type)
                assert index.preferred(number, lang, type) == (expected.text if expected else None)


@pytest.mark.parametrize(
    ("text", "surface", "match", "distance"),
    [
        ("He was selected by Nazarbyev.", "Nazarbyev", "near_miss", 1),  # forbidden misspelling
        ("States in the Caucuses.", "Caucuses", "near_miss", 2),  # forbidden misspelling
        ("The Collective Security Organisation met.", "Collective Security Organisation", "exact", 0),
    ],
)
def test_recorded_misspellings_are_near_misses(seed_index, text, surface, match, distance):
    _, index = seed_index
    [span] = [s for s in recognize(text, "en", index) if s.surface == surface]
    assert (span.match, span.distance) == (match, distance)


@pytest.mark.parametrize(
    "text",
    [
        "Aujourd'hui d'Almaty, Nazarbaïev et Poutine ont parlé.",
        "Aujourd’hui, à Almaty, l’OTSC et Poutine ont parlé.",
    ],
)
def test_elisions_after_an_ordinary_apostrophe_keep_offsets(seed_index, text):
    # "aujourd'hui" deletes its apostrophe; the elided d'/l' become spaces: offsets must still map.
    _, index = seed_index
    spans = recognize(text, "fr", index)
    assert all(text[s.start : s.end] == s.surface for s in spans)
    assert {"almaty", "putin"} <= {s.concept for s in spans}


def test_a_very_long_capitalised_token_is_no_near_miss(seed_index):
    _, index = seed_index
    token = "Q" + "xY7" * 2000  # base64-like: its deletion variants would fill memory
    assert recognize(f"Key {token} and Nazarbyev.", "en", index)[-1].surface == "Nazarbyev"


def _choose_by_rank(entries, surface: str, lang: str):
    """The definition: the smallest (written as in the text?, language, origin, status) among the
    forms whose case fits, the first of equals."""
    from glossary.recognize.spans import _accepts

    best, best_rank = None, None
    for entry in entries:
        if _accepts(entry, surface) is None:
            continue
        rank = (0 if surface == entry.raw else 1, *entry.rank(lang, lang.split("-")[0]))
        if best_rank is None or rank < best_rank:
            best, best_rank = entry, rank
    return best


def test_the_form_chosen_is_the_best_ranked_whose_case_fits():
    # Forms are kept in each language's order and the first that fits wins: it must be the form
    # the ranking over all of them picks, for every key that holds several forms.
    from glossary.recognize.spans import _choose

    index = compile_index([replace(c, terms=[*c.terms, *generate_variants(c)]) for c in read_termbase_toml()])
    compared = 0
    for key in range(index.size):
        entries = index.key_entries(key)
        if len(entries) < 2:
            continue
        surfaces = {form for entry in entries for form in (entry.raw, entry.raw.upper(), entry.raw.lower())}
        for lang in ("en", "ru", "kk", "kk-Latn", "de", "fr", "uz"):
            for surface in surfaces:
                assert _choose(index, key, surface, lang) == _choose_by_rank(entries, surface, lang)
                compared += 1
    assert compared > 1000
