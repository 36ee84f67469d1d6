"""Scoring rules: normalisation, penalties and bonus, word diffs and differing numbers or names."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from glossary.memory.score import adjust, differences, normalize, raw_score, word_diff


def test_normalize_casefolds_and_collapses_space() -> None:
    assert normalize("  Алматы\tand\n  ALMATY ") == "алматы and almaty"


def test_raw_score_is_rapidfuzz_ratio_of_normalised_text() -> None:
    a, b = "The CSTO forces left.", "the  csto forces have left."
    assert raw_score(normalize(a), normalize(b)) == fuzz.ratio(normalize(a), normalize(b))
    assert raw_score(normalize(a), normalize(b), cutoff=99) == 0


@pytest.mark.parametrize(
    ("kwargs", "score", "reasons", "summary"),
    [
        ({}, 100.0, [], "exact match"),
        ({"query_context": "c1", "unit_context": "c1"}, 100.0, [], "exact match, same context"),
        ({"query_context": "c1", "unit_context": "c2"}, 99.0, ["different context"],
         "exact text with penalties"),
        ({"query_context": "c1", "unit_context": None}, 100.0, [], "exact match"),
        ({"unit_state": "fuzzy"}, 95.0, ["unit is fuzzy"], "exact text with penalties"),
        ({"unit_state": "approved"}, 100.0, [], "exact match"),
    ],
    ids=["plain", "same-context", "other-context", "unit-without-context", "fuzzy-unit", "approved-unit"],
)
def test_adjust_exact_matches(
    kwargs: dict[str, str | None], score: float, reasons: list[str], summary: str
) -> None:
    options: dict[str, str | None] = {"query_context": None, "unit_context": None, "unit_state": None}
    options.update(kwargs)
    result = adjust(raw=100.0, query="Same text.", source="Same text.", **options)
    assert result.score == score
    assert [p["reason"] for p in result.explanation["penalties"]] == reasons
    assert result.explanation["summary"] == summary


def test_same_context_ranks_above_plain_exact_but_shows_100() -> None:
    plain = adjust(raw=100.0, query="a", source="a", query_context=None, unit_context=None, unit_state=None)
    ctx = adjust(raw=100.0, query="a", source="a", query_context="k", unit_context="k", unit_state=None)
    assert ctx.rank > plain.rank and ctx.score == plain.score == 100.0


def test_case_only_difference_is_not_an_exact_match() -> None:
    result = adjust(raw=100.0, query="Almaty.", source="ALMATY.", query_context=None, unit_context=None,
                    unit_state=None)
    assert result.score == 99.0


def test_fuzzy_matches_get_no_context_bonus() -> None:
    result = adjust(raw=90.0, query="a b", source="a c", query_context="k", unit_context="k", unit_state=None)
    assert (result.score, result.rank) == (90.0, 90.0)


def test_word_diff_gives_word_opcodes_as_written() -> None:
    ops = word_diff("We defended Almaty in 2022.", "We have defended Almaty, in 2021.")
    assert ops == [
        {"op": "equal", "query": "We", "source": "We"},
        {"op": "insert", "query": "", "source": "have"},
        {"op": "equal", "query": "defended Almaty", "source": "defended Almaty"},
        {"op": "insert", "query": "", "source": ","},
        {"op": "equal", "query": "in", "source": "in"},
        {"op": "replace", "query": "2022", "source": "2021"},
        {"op": "equal", "query": ".", "source": "."},
    ]


def test_differences_lists_numbers_and_names_on_each_side() -> None:
    def names(text: str, lang: str) -> list[str]:
        return [w for w in ("tokayev", "nazarbayev") if w in text.lower()]

    found = differences("Tokayev spoke on 11 January, 10 days.", "Nazarbayev spoke on 11 January, 12 days.",
                        lang="en", names=names)
    assert found == [
        {"kind": "number", "query": ["10"], "source": ["12"]},
        {"kind": "name", "query": ["tokayev"], "source": ["nazarbayev"]},
    ]
    assert differences("Same 1,5 here.", "same 1,5 HERE.", lang="en") == []
