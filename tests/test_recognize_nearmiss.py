"""Tests for glossary.recognize.nearmiss and the ordinary-word guard: exact, and quiet on ordinary words."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz.distance import OSA

from glossary.model.records import ConceptRecord, TermRecord
from glossary.recognize import ordinary
from glossary.recognize.nearmiss import MIN_LENGTH, NearMissIndex, max_distance, piece_keys
from glossary.recognize.spans import compile_index, recognize


def _brute(index: NearMissIndex, word: str) -> tuple[int, int] | None:
    """The definition: the closest form within min(allowed(form), allowed(word)) edits."""
    if len(word) < MIN_LENGTH or len(word) > index.longest or word in index.known:
        return None
    best = None
    for number, form in enumerate(index.forms):
        limit = min(max_distance(len(form)), max_distance(len(word)))
        if limit == 0 or word.startswith(form) or form.startswith(word):
            continue
        distance = OSA.distance(word, form)
        if distance <= limit and (best is None or distance < best[1]):
            best = (number, distance)
    return best


def _edited(rng: random.Random, word: str, alphabet: str) -> str:
    letters = list(word)
    for _ in range(rng.randint(1, 3)):
        op, at = rng.randrange(4), rng.randrange(len(letters) + 1)
        if op == 0 and at < len(letters):
            del letters[at]
        elif op == 1:
            letters.insert(at, rng.choice(alphabet))
        elif op == 2 and at < len(letters):
            letters[at] = rng.choice(alphabet)
        elif op == 3 and at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


@pytest.mark.parametrize("seed", range(12))
def test_the_partition_filter_finds_exactly_what_comparing_every_form_finds(seed: int):
    # A small alphabet makes near misses (and transpositions across piece boundaries) common.
    rng = random.Random(seed)
    alphabet = "abcde "[: rng.randint(3, 6)]
    count = rng.randint(5, 50)
    forms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 13))) for _ in range(count)]
    index = NearMissIndex.build(forms)
    found = 0
    for _ in range(300):
        if rng.random() < 0.6 and index.forms:
            word = _edited(rng, rng.choice(index.forms), alphabet)
        else:
            word = "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 15)))
        expected = _brute(index, word)
        assert index.nearest(word) == expected, word
        found += expected is not None
    assert found > 30


@pytest.mark.parametrize("seed", range(6))
def test_a_batch_finds_exactly_what_comparing_every_form_finds(seed: int):
    # Words of a batch that share a piece are compared in one call: the answers stay each word's own.
    rng = random.Random(100 + seed)
    alphabet = "abcde "[: rng.randint(3, 6)]
    count = rng.randint(5, 80)
    forms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 13))) for _ in range(count)]
    index = NearMissIndex.build(forms)
    words = [
        _edited(rng, rng.choice(index.forms), alphabet) if rng.random() < 0.6 and index.forms
        else "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 15)))
        for _ in range(400)
    ]
    expected = [_brute(index, word) for word in words]
    assert sum(hit is not None for hit in expected) > 30
    assert index.nearest_many(words) == expected
    assert index.nearest_many([]) == []


def test_a_transposition_across_a_piece_boundary_is_found():
    index = NearMissIndex.build(["nazarbayev"])
    # "nazarbayev" is cut into naz|arb|ayev: swapping b and a crosses the second boundary.
    assert "nazarbayev"[5:7] == "ba"
    assert index.nearest("nazarabyev") == (0, 1)
    assert len(piece_keys("nazarbayev")) > 3


def test_a_far_word_shares_no_key():
    index = NearMissIndex.build(["tokayev", "nazarbayev", "almaty"])
    assert index.nearest("richardson") is None
    assert index.nearest("tokaev") == (0, 1)


def test_a_stored_table_answers_as_the_built_one():
    built = NearMissIndex.build(["tokayev", "nazarbayev", "almaty", "kassym jomart"])
    again = NearMissIndex(*built.tables())
    for word in ("tokaev", "nazarbyev", "almatu", "kasym jomart", "nothing"):
        assert again.nearest(word) == built.nearest(word)


@pytest.mark.parametrize(
    ("lang", "text", "word"),
    [
        ("de", "Im Rahmen der Gespräche sprach er über Syrien.", "Rahmen"),
        ("de", "Die Linken lehnten den Plan ab.", "Linken"),
        ("de", "Eine Serie von Anschlägen erschütterte das Land.", "Serie"),
        ("de", "Ein Dritter kam hinzu.", "Dritter"),
        ("en", "Routine checks continued in Chile.", "Chile"),
        ("fr", "Une série de réformes a suivi.", "série"),
        ("ru", "Серия взрывов прогремела в городе.", "Серия"),
    ],
)
def test_ordinary_words_one_edit_from_a_name_are_no_near_misses(lang: str, text: str, word: str):
    concepts = [
        ConceptRecord("rahmon", "person", terms=[TermRecord("en", "Rahmon")]),
        ConceptRecord("blinken", "person", terms=[TermRecord("en", "Blinken")]),
        ConceptRecord("syria", "place", terms=[TermRecord("fr", "Syrie"), TermRecord("ru", "Сирия"),
                                               TermRecord("de", "Syrien")]),
        ConceptRecord("ritter", "person", terms=[TermRecord("en", "Ritter")]),
        ConceptRecord("china", "place", terms=[TermRecord("fr", "Chine"), TermRecord("en", "Routing")]),
    ]
    index = compile_index(concepts)
    near = index.near_index()
    # The word is a near miss by spelling alone...
    assert near.nearest(word.lower().replace("é", "e")) is not None
    # ...but an ordinary word of the text's language, so it is not reported.
    assert word not in [s.surface for s in recognize(text, lang, index)]


@pytest.mark.parametrize(
    ("lang", "text", "surface"),
    [
        ("de", "Tokajwe traf gestern Lukaschneko.", "Tokajwe"),
        ("de", "Die Opposition schreibt Lukaschenka.", "Lukaschenka"),  # a variant, Zipf 2.0 in German
        ("en", "He was selected by Nazarbyev.", "Nazarbyev"),
        ("kk", "Назрабаев сөз сөйледі.", "Назрабаев"),
        ("ru", "Заявление сделал Назрбаев.", "Назрбаев"),
        ("fr", "Selon Nazarbaïv, la situation est stable.", "Nazarbaïv"),
    ],
)
def test_misspelt_names_are_still_found(lang: str, text: str, surface: str):
    concepts = [
        ConceptRecord("tokayev", "person", terms=[TermRecord("de", "Tokajew")]),
        ConceptRecord("lukashenko", "person", terms=[TermRecord("de", "Lukaschenko")]),
        ConceptRecord("nazarbayev", "person", terms=[
            TermRecord("en", "Nazarbayev"), TermRecord("ru", "Назарбаев"), TermRecord("fr", "Nazarbaïev"),
        ]),
    ]
    spans = recognize(text, lang, compile_index(concepts))
    assert surface in [s.surface for s in spans if s.match == "near_miss"]


def test_every_language_has_an_ordinary_word_list():
    samples = (("en", "routine"), ("de", "rahmen"), ("fr", "serie"), ("ru", "серия"), ("kk", "бугин"))
    for lang, word in samples:
        assert ordinary.is_ordinary(word, lang), (lang, word)
        assert len(ordinary.ordinary_words(lang)) > 50_000
    assert not ordinary.is_ordinary("nazarbyev", "en")
    assert not ordinary.is_ordinary("назрабаев", "kk")
    assert len(ordinary.ordinary_words("xx")) == 0


def test_the_word_list_is_read_from_the_cache_the_second_time(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = ordinary._cache_file("kk")
    assert not path.exists()
    words = ordinary._load("kk")
    assert path.exists()
    assert ordinary._load("kk") == words
    assert "бугин" in words  # бүгін, folded


def test_keys_whose_hashes_collide_still_find_every_form(monkeypatch):
    # Keys are kept by their 64-bit hashes; with hashes folded to five values nearly every key
    # collides with others, and the merged postings must still give exactly the same answers.
    from glossary.recognize import hashed, nearmiss

    rng = random.Random(7)
    alphabet = "abcdef"
    forms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(5, 12))) for _ in range(60)]
    words = [_edited(rng, rng.choice(forms), alphabet) for _ in range(300)]
    exact = NearMissIndex.build(forms)
    expected = exact.nearest_many(words)
    assert sum(hit is not None for hit in expected) > 30
    real = hashed.hashes
    monkeypatch.setattr(hashed, "hashes", lambda texts: real(texts) % np.uint64(5))
    monkeypatch.setattr(nearmiss, "hashes", hashed.hashes)
    real_headed = hashed.headed_hashes
    monkeypatch.setattr(nearmiss, "headed_hashes", lambda *args: real_headed(*args) % np.uint64(5))
    colliding = NearMissIndex.build(forms)
    assert len(colliding.tables()[1]) == 5
    assert colliding.nearest_many(words) == expected
    assert [colliding.nearest(word) for word in words[:50]] == expected[:50]
