"""The bundled translations: the whole article in every language, and the key to their planted flaws."""

from __future__ import annotations

import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from glossary.text.segment import SourceSegment, split_document

LANGS = ("ru", "kk", "de", "fr")
KINDS = {"name-form", "name-case", "number", "date", "omission", "wrong-term", "script"}
KEY_FIELDS = {"source", "kind", "wrong", "right", "note"}
KEYS = Path(__file__).parent / "data" / "planted_flaws"
# The review exercise: about 15 % of the units are fuzzy, each with a planted flaw.
FUZZY_SHARE = (0.10, 0.20)
# Quotation marks each language's typography allows in a target (straight quotes never).
QUOTES = {"ru": "«»„“", "kk": "«»„“", "de": "„“‚‘", "fr": "«»“”"}
ALL_QUOTES = "\"«»„“”‚‘"


@pytest.fixture(scope="module")
def segments() -> list[SourceSegment]:
    text = (resources.files("glossary") / "data" / "article.txt").read_text(encoding="utf-8")
    return split_document(text)


def _units(lang: str) -> list[dict[str, str]]:
    path = resources.files("glossary") / "data" / "translations" / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["unit"]


def _flaws(lang: str) -> list[dict[str, str]]:
    return tomllib.loads((KEYS / f"{lang}.toml").read_text(encoding="utf-8"))["flaw"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_translatable_segment_has_one_unit(segments, lang):
    sources = [unit["source"] for unit in _units(lang)]
    assert [s for s, n in Counter(sources).items() if n > 1] == []
    translatable = {s.text for s in segments if s.translatable}
    assert sorted(translatable - set(sources)) == []
    # No unit for a read-only segment (the bare URL): it is not offered for translation.
    assert sorted(set(sources) - translatable) == []


@pytest.mark.parametrize("lang", LANGS)
def test_units_are_in_article_order_with_a_target_and_a_state(segments, lang):
    order = {s.text: s.position for s in reversed(segments)}  # first occurrence
    units = _units(lang)
    assert [order[u["source"]] for u in units] == sorted(order[u["source"]] for u in units)
    assert [u["source"] for u in units if not u["target"].strip()] == []
    assert {u.get("state", "translated") for u in units} <= {"approved", "translated", "fuzzy"}


@pytest.mark.parametrize("lang", LANGS)
def test_quotation_marks_follow_the_language(lang):
    foreign = set(ALL_QUOTES) - set(QUOTES[lang])
    wrong = [u["target"] for u in _units(lang) if foreign & set(u["target"])]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_about_fifteen_percent_of_units_are_fuzzy(lang):
    units = _units(lang)
    fuzzy = sum(u.get("state") == "fuzzy" for u in units)
    low, high = FUZZY_SHARE
    assert low * len(units) <= fuzzy <= high * len(units)


@pytest.mark.parametrize("lang", LANGS)
def test_planted_flaw_key_entries_are_complete(lang):
    for flaw in _flaws(lang):
        assert set(flaw) == KEY_FIELDS, flaw
        assert flaw["kind"] in KINDS, flaw
        assert flaw["wrong"] and flaw["right"] and flaw["note"], flaw
        assert flaw["wrong"] != flaw["right"], flaw


@pytest.mark.parametrize("lang", LANGS)
def test_planted_flaw_key_matches_the_fuzzy_units_exactly(lang):
    fuzzy = {u["source"]: u["target"] for u in _units(lang) if u.get("state") == "fuzzy"}
    flaws = _flaws(lang)
    # Every key entry names a fuzzy unit, and its wrong text is in that unit's target, once:
    # a scorer must know where the flaw is.
    assert [f["source"] for f in flaws if f["source"] not in fuzzy] == []
    assert [f for f in flaws if fuzzy[f["source"]].count(f["wrong"]) != 1] == []
    # Every fuzzy unit has at least one keyed flaw.
    assert sorted(set(fuzzy) - {f["source"] for f in flaws}) == []

