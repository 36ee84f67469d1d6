"""Tests for glossary.translit.proposals: romanizations and press spellings of a new name."""

from __future__ import annotations

from glossary.translit.proposals import propose_press_spellings, propose_romanizations


def test_press_spellings_of_a_russian_name():
    press = propose_press_spellings("Касым-Жомарт Токаев", "ru")
    assert {lang: p.text for lang, p in press.items()} == {
        "en": "Kasym-Zhomart Tokayev",
        "de": "Kassym-Schomart Tokajew",
        "fr": "Kassym-Jomart Tokaïev",
    }
    assert press["de"].scheme == "de_press"


def test_every_scheme_of_the_language_is_proposed():
    schemes = [p.scheme for p in propose_romanizations("Тоқаев", "kk")]
    assert schemes == sorted(schemes) and "kz_latin_2021" in schemes and "bgn_pcgn" in schemes
    latin = next(p for p in propose_romanizations("Тоқаев", "kk") if p.scheme == "kz_latin_2021")
    assert latin.text == "Toqaev"


def test_nothing_is_proposed_for_latin_text_or_unknown_languages():
    assert propose_romanizations("Tokayev", "ru") == []
    assert propose_romanizations("Токаев", "xx") == []
    assert propose_press_spellings("Tokayev", "ru") == {}
