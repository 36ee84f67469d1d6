"""Tests for glossary.recognize.inflect.latin: German genitive, English possessive, French elision."""

from __future__ import annotations

import pytest

from glossary.recognize.inflect.latin import accepts, german_forms, possessive_end
from glossary.text.elision import mark_elisions


@pytest.mark.parametrize(
    ("lang", "stem", "suffix", "expected"),
    [
        ("de", "Tokajew", "s", True),
        ("de", "Kasachstan", "s", True),
        ("de", "Minsk", "s", True),
        ("de", "Tbilissi", "s", True),
        ("de", "Paris", "s", False),
        ("de", "Tokajew", "sk", False),
        ("en", "Tokayev", "s", False),
        ("fr", "Tokaïev", "s", False),
    ],
)
def test_german_genitive(lang, stem, suffix, expected):
    assert accepts(lang, stem, suffix) is expected


@pytest.mark.parametrize(
    ("lang", "text", "end", "expected"),
    [
        ("en", "Tokayev's speech", 7, 9),
        ("en", "Tokayev’s speech", 7, 9),
        ("en", "Tokayev'sche", 7, 7),
        ("en", "Tokayev' said", 7, 7),
        ("de", "Tokajew's", 7, 7),
    ],
)
def test_english_possessive(lang, text, end, expected):
    assert possessive_end(lang, text, end) == expected


def test_german_multiword_names_decline_adjectives_and_head():
    assert {"Nationalen Sicherheitskomitees", "Nationalen Sicherheitskomitee"} <= german_forms(
        "Nationales Sicherheitskomitee"
    )
    assert "Roten Armee" in german_forms("Rote Armee")
    assert "Organisations des Vertrags" not in german_forms("Organisation des Vertrags")
    assert "Vertrags über kollektive Sicherheit" in german_forms("Vertrag über kollektive Sicherheit")
    assert german_forms("Kasachstan") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d'Almaty", "d Almaty"),
        ("l’ONU", "l ONU"),
        ("qu'Astana", "qu Astana"),
        ("jusqu'à", "jusqu à"),
        ("Yel'tsin", "Yel'tsin"),
        ("Tokayev's", "Tokayev's"),
    ],
)
def test_elisions_are_marked_without_changing_length(text, expected):
    assert mark_elisions(text) == expected
