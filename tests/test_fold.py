"""Tests for glossary.text.fold: folding for matching, and offsets back into the original text."""

from __future__ import annotations

import pytest

from glossary.text.fold import FoldedText, fold, is_word_char


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Yelʹtsin", "Yeltsin"),
        ("Yel’tsin", "Yel'tsin"),
        ("Podʺyezd", "Podyezd"),
        ("Ot·syuda", "Otsyuda"),
        ("Соловьёв", "Соловьев"),
        ("ТОКАЕВ", "токаев"),
        ("Тоқаев", "Токаев"),
        ("Қазақстан", "Казахстан".replace("х", "к")),
        ("Ұлттық", "Улттык"),
        ("Tokaïev", "Tokaiev"),
        ("Schangaösen", "Schangaosen"),
        ("Nūrsūltan", "Nursultan"),
        ("Qasym-Jomart", "Qasym Jomart"),
        ("İstanbul", "istanbul"),
        ("Алматы́", "Алматы"),
    ],
)
def test_spellings_meet(left, right):
    assert fold(left) == fold(right)


@pytest.mark.parametrize(
    ("left", "right"), [("Алтай", "Алтаи"), ("Tokayev", "Tokajew"), ("Kasachstan", "Kazakhstan")]
)
def test_different_letters_stay_apart(left, right):
    assert fold(left) != fold(right)


def test_french_elision_becomes_a_word_break():
    assert fold("d'Almaty") == "d almaty"
    assert fold("l’ONU") == "l onu"
    # Only elided articles: an apostrophe inside a name is dropped.
    assert fold("Yel'tsin") == "yeltsin"


def test_punctuation_and_symbols_become_spaces():
    assert fold("«ОДКБ»—U.N. 😀x") == " одкб  u n   x"


def test_offsets_map_back_through_deletions_marks_and_emoji():
    text = "😀 Тока\u0301ев’s and Yelʹtsin."
    folded = FoldedText(text)
    assert len(folded.folded) < len(text)
    word = folded.folded.index("токаев")
    start, end = folded.start(word), folded.end(word + len("токаев"))
    assert text[start:end] == "Тока\u0301ев"
    word = folded.folded.index("yeltsin")
    assert text[folded.start(word) : folded.end(word + len("yeltsin"))] == "Yelʹtsin"


def test_offsets_are_identity_without_deletions():
    folded = FoldedText("Tokayev 😀 Алматы")
    assert not folded.shifted
    assert [folded.start(i) for i in range(5)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("ch", "expected"),
    [("a", True), ("қ", True), ("7", True), ("ʹ", False), ("'", False), (" ", False), ("-", False)],
)
def test_word_characters(ch, expected):
    assert is_word_char(ch) is expected


def test_fast_folding_agrees_with_the_table_for_every_character():
    # fold() lowers case first and maps the rest with a regex; it must equal the per-character
    # table everywhere the table is defined, one character or a whole text at a time.
    import random

    from glossary.text.fold import _RANGES, _TABLE

    chars = [chr(cp) for first, last in _RANGES for cp in range(first, last)]
    assert [ch for ch in chars if fold(ch) != ch.translate(_TABLE) and ch not in "'’ʼ"] == []
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 30)))
        assert FoldedText(text).folded == text.translate(_TABLE) or any(a in text for a in "'’ʼ")


def test_kazakh_text_folds_as_the_table_folds_it():
    # Kazakh letters are replaced before the regex runs: mixed with every other character the
    # table maps, a text must still fold as the per-character table folds it.
    import random

    from glossary.text.fold import _RANGES, _TABLE

    chars = [chr(cp) for first, last in _RANGES for cp in range(first, last) if chr(cp) not in "'’ʼ"]
    kazakh = "іІқҚәӘөӨұҰүҮғҒңҢһҺ"
    rng = random.Random(6)
    for _ in range(2000):
        picks = (rng.choice(kazakh if rng.random() < 0.5 else chars) for _ in range(rng.randint(1, 30)))
        text = "і" + "".join(picks)
        assert fold(text) == text.translate(_TABLE), text
