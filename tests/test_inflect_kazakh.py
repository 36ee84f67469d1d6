"""Tests for glossary.recognize.inflect.kazakh: case and possessive endings with harmony and assimilation."""

from __future__ import annotations

import pytest

from glossary.recognize.inflect.kazakh import accepts, inflect, rules


def _samples() -> list[tuple[str, str]]:
    return [(stem, form) for stem, forms in rules().samples.items() for form in forms]


@pytest.mark.parametrize(("stem", "form"), _samples(), ids=lambda value: value)
def test_every_sample_of_the_data_file_is_generated(stem, form):
    assert form in inflect(stem)


@pytest.mark.parametrize(
    ("stem", "form"),
    [
        ("Тоқаев", "Тоқаевтың"),
        ("Тоқаев", "Тоқаевқа"),
        ("Алматы", "Алматыда"),
        ("Алматы", "Алматыдан"),
        ("Қазақстан", "Қазақстанның"),
        ("Қазақстан", "Қазақстанға"),
        ("Қазақстан", "Қазақстаннан"),
        ("Мәсімов", "Мәсімовке"),
        ("Абай", "Абайдың"),
    ],
)
def test_endings_follow_harmony_and_the_final_sound(stem, form):
    assert accepts(stem, form[len(stem) :])


@pytest.mark.parametrize(
    ("stem", "suffix"),
    [
        ("Тоқаев", "тің"),  # front ending on a back stem
        ("Тоқаев", "ның"),  # vowel ending after a voiceless consonant
        ("Алматы", "ге"),
        ("Алматы", "скиы"),
        ("Қазақстан", ""),
    ],
)
def test_wrong_endings_are_rejected(stem, suffix):
    assert not accepts(stem, suffix)


@pytest.mark.parametrize(
    ("stem", "suffix"), [("ҰҚШҰ", "-ның"), ("ҚР", "-дың"), ("ҚР", "-ға"), ("БҰҰ", "-ның")]
)
def test_abbreviations_take_endings_after_a_hyphen(stem, suffix):
    assert accepts(stem, suffix)


def test_hyphen_needs_a_real_ending():
    assert not accepts("ҰҚШҰ", "-шы")


def test_russian_keyboard_spelling_of_an_ending_is_accepted():
    # Folding: "тын" typed for "тың"; the name itself is matched elsewhere.
    assert accepts("Тоқаев", "тын")
