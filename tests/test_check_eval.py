"""``glossary check`` scored on labelled data: the hand-labelled catalogues of tests/data/check_eval/ and
the planted-flaw keys of the bundled translations."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from check_eval import LANGUAGES, evaluate, read_labels

from glossary.checks.model import CheckConfig, CheckUnit, check_units

pytest_plugins = ["check_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
PLANTED = ROOT / "tests" / "data" / "planted_flaws"
TRANSLATIONS = ROOT / "glossary" / "data" / "translations"
# Planted kinds a spelling and consistency check can see (a wrong case after a preposition, an
# omitted clause or a wrong date written in words needs a reader).
NAME_RULES = {"term-variant", "term-forbidden", "term-misspelled", "term-script", "term-missing"}


@pytest.fixture(scope="module")
def scores(seed_index):
    return evaluate(seed_index)


def test_labels_cover_at_least_300_entries():
    total = 0
    for lang in LANGUAGES:
        labels = read_labels(Path(__file__).parent / "data" / "check_eval" / f"{lang}.po")
        assert len(labels) >= 75
        assert sum(1 for found in labels.values() if found) >= 10, lang  # planted errors in every language
        total += len(labels)
    assert total >= 300


@pytest.mark.parametrize("lang", LANGUAGES)
def test_precision_and_recall_per_language(scores, lang):
    score = scores[lang]
    wrong = [(f.key, f.rule, f.surface) for f in score.false_positives]
    assert score.precision >= 0.98, wrong
    assert score.recall >= 0.95, score.missed


def _planted(lang: str) -> tuple[list[CheckUnit], list[dict[str, str]]]:
    data = tomllib.loads((TRANSLATIONS / f"{lang}.toml").read_text(encoding="utf-8"))
    units = [
        CheckUnit(
            str(number),
            unit["source"],
            "en",
            unit["target"],
            lang,
            path=f"{lang}.toml",
            line=number,
            state=unit.get("state"),
        )
        for number, unit in enumerate(data["unit"], start=1)
    ]
    flaws = tomllib.loads((PLANTED / f"{lang}.toml").read_text(encoding="utf-8"))["flaw"]
    return units, flaws


def _visible(flaw: dict[str, str]) -> bool:
    if flaw["kind"] in ("name-form", "script"):
        return True
    return flaw["kind"] in ("number", "date") and any(ch.isdigit() for ch in flaw["wrong"])


@pytest.mark.parametrize("lang", sorted(p.stem for p in PLANTED.glob("*.toml")))
def test_planted_flaws_of_names_scripts_and_figures_are_found(seed_index, lang):
    units, flaws = _planted(lang)
    findings = list(check_units(units, seed_index, config=CheckConfig(check_sources=False)))
    by_source = {unit.source: unit for unit in units}
    visible = [flaw for flaw in flaws if _visible(flaw)]
    found = []
    for flaw in visible:
        unit = by_source[flaw["source"]]
        rules = NAME_RULES if flaw["kind"] in ("name-form", "script") else {"number-mismatch"}
        mine = [f for f in findings if f.key == unit.key and f.rule in rules]
        if mine:
            found.append(flaw["wrong"])
    recall = len(found) / len(visible)
    missed = [flaw["wrong"] for flaw in visible if flaw["wrong"] not in found]
    assert recall >= 0.9, missed
