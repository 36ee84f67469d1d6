"""Tests for recognize_many: the texts searched together give each text the spans recognize gives it."""

from __future__ import annotations

import importlib.util
import json
import random
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tests.property_helpers  # noqa: F401  (loads the Hypothesis profile)
from glossary.formats.seed import bundled_path, read_termbase_toml
from glossary.model.records import ConceptRecord, TermRecord
from glossary.recognize.index import SEPARATOR
from glossary.recognize.spans import compile_index, recognize, recognize_many
from glossary.text.segment import split_sentences
from glossary.translit.variants import generate_variants

EVAL = Path(__file__).parent / "data" / "recognition_eval.jsonl"
RECOGDATA = Path(__file__).resolve().parents[1] / "bench" / "recogdata.py"
LANGS = ("en", "ru", "kk", "de", "fr")


@pytest.fixture(scope="module")
def seed_index():
    concepts = [replace(c, terms=[*c.terms, *generate_variants(c)]) for c in read_termbase_toml()]
    return compile_index(concepts)


def _one_by_one(texts: list[str], lang: str, index) -> list[list[tuple]]:
    result = []
    for text in texts:
        index.forget_memos()  # each text on its own, as a first text would be
        result.append([tuple(span) for span in recognize(text, lang, index)])
    return result


def _together(texts: list[str], lang: str, index) -> list[list[tuple]]:
    index.forget_memos()
    return [[tuple(span) for span in spans] for spans in recognize_many(texts, lang, index)]


def _article(lang: str) -> list[str]:
    if lang == "en":
        text = bundled_path("article.txt").read_text(encoding="utf-8")
        return [s for line in text.splitlines() for s in split_sentences(line)]
    data = tomllib.loads(bundled_path(f"translations/{lang}.toml").read_text(encoding="utf-8"))
    return [unit["target"] for unit in data["unit"]]


@pytest.mark.parametrize("lang", LANGS)
def test_the_article_searched_together_gives_each_sentence_its_spans(seed_index, lang):
    sentences = _article(lang)
    expected = _one_by_one(sentences, lang, seed_index)
    assert sum(map(len, expected)) > 20  # the article is full of names
    assert _together(sentences, lang, seed_index) == expected
    whole = "\n".join(sentences)
    assert _together([whole], lang, seed_index) == _one_by_one([whole], lang, seed_index)


@pytest.mark.parametrize("lang", LANGS)
def test_the_evaluation_texts_searched_together_give_each_text_its_spans(seed_index, lang):
    items = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    texts = [item["text"] for item in items if item["lang"] == lang]
    expected = _one_by_one(texts, lang, seed_index)
    assert any(span[9] == "near_miss" for spans in expected for span in spans) or lang == "kk"
    assert _together(texts, lang, seed_index) == expected


def test_the_benchmark_segments_searched_together_give_each_segment_its_spans():
    # The benchmark's hard case, small: every segment names an unknown person.
    spec = importlib.util.spec_from_file_location("recogdata", RECOGDATA)
    assert spec is not None and spec.loader is not None
    recogdata = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recogdata)
    rng = random.Random(7)
    concepts = recogdata.synthesize(300, rng)
    unknown = recogdata.UnknownPeople(concepts, random.Random(8))
    index = compile_index(concepts)
    for lang in LANGS:
        texts = [text for text, _, _ in recogdata.segments(concepts, 300, lang, rng, unknown)]
        expected = _one_by_one(texts, lang, index)
        assert sum(map(len, expected)) >= len(texts)  # the named person, at least
        assert _together(texts, lang, index) == expected


def test_no_name_runs_from_one_text_into_the_next(seed_index):
    # Each half of a name, and a name ending a text whose case ending starts the next one.
    texts = ["President Kassym-", "Jomart Tokayev", "met Tokayev", "'s aide", "Nazarbyev", "Almaty"]
    together = recognize_many(texts, "en", seed_index)
    assert together == [recognize(text, "en", seed_index) for text in texts]
    assert [span.surface for span in together[1]] == ["Tokayev"]
    assert [span.surface for span in together[2]] == ["Tokayev"]
    assert together[4][0].match == "near_miss"


def test_texts_holding_the_separator_keep_their_spans(seed_index):
    texts = [f"Tokayev{SEPARATOR} Nazarbayev", f"{SEPARATOR}Almaty", "Astana"]
    assert recognize_many(texts, "en", seed_index) == [recognize(t, "en", seed_index) for t in texts]
    assert recognize_many([], "en", seed_index) == []


def test_a_form_holding_the_separator_keeps_every_text_s_spans():
    concepts = [ConceptRecord("odd", "place", terms=[TermRecord("en", f"Ab{SEPARATOR} Cd")]),
                ConceptRecord("almaty", "place", terms=[TermRecord("en", "Almaty")])]
    index = compile_index(concepts)
    texts = ["Ab", "Cd Almaty", "Almaty Ab"]
    together = recognize_many(texts, "en", index)
    assert together == [recognize(t, "en", index) for t in texts]
    assert [s.concept for spans in together for s in spans] == ["almaty", "almaty"]


def test_an_empty_term_base_finds_nothing_in_any_text():
    assert recognize_many(["Tokayev", "Almaty"], "en", compile_index([])) == [[], []]


_PIECES = st.sampled_from([
    "Tokayev", "Tokayev's", "Tokayev’s", "Tokajews", "Nazarbyev", "Nazarbaev", "Kassym-Jomart", "Almaty",
    "d'Almaty", "l’ONU", "Astana", "Nursultan", "Akorda", "CSTO", "ОДКБ-ның", "Тоқаевтың", "Токаева",
    "Назарбаевым", "Алматыда", "Richardson", "Velsonski", "Anna", " ", " ", " ", "\n", ", ", ".", "'",
    "-", "«", "»", "é", "İ", "said", "the", "Serie", "Rahmen", "Andrej", SEPARATOR,
])
_TEXT = st.lists(_PIECES, max_size=12).map("".join)


@given(texts=st.lists(_TEXT, max_size=6), lang=st.sampled_from([*LANGS, "kk-Latn"]))
def test_searching_together_never_changes_a_text_s_spans(seed_index, texts, lang):
    expected = [recognize(text, lang, seed_index) for text in texts]
    assert recognize_many(texts, lang, seed_index) == expected
