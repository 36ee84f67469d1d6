"""Precision and recall of the recognizer on the hand-marked set, over the seed term base and its variants."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from test_recognition_eval_data import CONCEPTS

from glossary.formats.seed import read_termbase_toml
from glossary.recognize.spans import compile_index, recognize
from glossary.translit.variants import generate_variants

EVAL = Path(__file__).parent / "data" / "recognition_eval.jsonl"
THRESHOLD = 0.95


@pytest.fixture(scope="module")
def scored():
    # The set marks only its listed concepts (names outside it are not spans, the listed
    # names inside them are), so the index holds those concepts and the nationalities.
    concepts = [c for c in read_termbase_toml() if c.id in CONCEPTS or c.kind == "nationality"]
    concepts = [replace(c, terms=[*c.terms, *generate_variants(c)]) for c in concepts]
    index = compile_index(concepts)
    kinds = {c.id: c.kind for c in concepts}
    counts: dict[str, Counter[str]] = {}
    misses: list[str] = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        gold = {(s["start"], s["end"], s["concept"]) for s in item["spans"]}
        predicted = {
            (s.start, s.end, s.concept)
            for s in recognize(item["text"], item["lang"], index)
            if kinds.get(s.concept) != "nationality"
        }
        tally = counts.setdefault(item["lang"], Counter())
        tally["tp"] += len(gold & predicted)
        tally["fp"] += len(predicted - gold)
        tally["fn"] += len(gold - predicted)
        for start, end, concept in sorted(predicted - gold):
            misses.append(f"{item['id']} extra {item['text'][start:end]!r} -> {concept}")
        for start, end, concept in sorted(gold - predicted):
            misses.append(f"{item['id']} missed {item['text'][start:end]!r} ({concept})")
    return counts, misses


def _ratio(good: int, bad: int) -> float:
    return good / (good + bad) if good + bad else 1.0


def test_precision_and_recall_reach_the_bar(scored):
    counts, misses = scored
    total: Counter[str] = Counter()
    for lang, tally in sorted(counts.items()):
        total.update(tally)
        print(
            f"{lang}: precision {_ratio(tally['tp'], tally['fp']):.3f} "
            f"recall {_ratio(tally['tp'], tally['fn']):.3f} ({tally['tp']} correct)"
        )
    precision, recall = _ratio(total["tp"], total["fp"]), _ratio(total["tp"], total["fn"])
    print(f"all: precision {precision:.3f} recall {recall:.3f}")
    print("\n".join(misses))
    assert precision >= THRESHOLD, misses
    assert recall >= THRESHOLD, misses


def test_every_language_is_scored(scored):
    counts, _ = scored
    assert set(counts) == {"en", "ru", "kk", "de", "fr"}
    for tally in counts.values():
        assert tally["tp"] > 0
