"""Tests for glossary.recognize.hashed: hashes stable across processes, tables probed exactly."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import numpy as np
import pytest

from glossary.recognize.hashed import contains, hashes, headed_hashes, positions
from glossary.recognize.ordinary import ordinary_words

SAMPLES = ["", "a", "a\0", "\0", "ab", "ba", "Токаев", "tokayev", "\U000f0021tok", "x" * 300, "\ud800"]


def test_the_same_texts_hash_alike_in_another_process():
    # The stored recognizer is probed with hashes computed by a later process: they must not
    # depend on the process (Python's own str hash does, through PYTHONHASHSEED).
    code = (
        "import sys; from glossary.recognize.hashed import hashes;"
        "from tests.test_recognize_hashed import SAMPLES;"
        "print(' '.join(map(str, hashes(SAMPLES).tolist())))"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": root}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             check=True, timeout=120)
        assert out.stdout.split() == [str(value) for value in hashes(SAMPLES).tolist()]


def test_distinct_texts_hash_apart():
    assert len(set(hashes(SAMPLES).tolist())) == len(SAMPLES)
    # One text hashes alike alone and among others (no state carried from one text to the next).
    alone = [int(hashes([text])[0]) for text in SAMPLES]
    assert alone == hashes(SAMPLES).tolist()
    # A word list of a few hundred thousand words: no two share a hash.
    words = [f"{word}{n}" for n, word in enumerate(["алма", "nazarbayev", "tokayev", "series"] * 50_000)]
    assert np.unique(hashes(words)).size == len(words)


def test_a_table_finds_what_it_holds_and_nothing_else():
    held = ["tokayev", "nazarbayev", "", "Алматы", "a\0"]
    table = np.unique(hashes(held))
    probes = [*held, "tokaev", "a", "алматы", "nazarbayev "]
    assert contains(table, probes) == [True] * len(held) + [False] * 4
    found = positions(table, probes)
    assert all(table[found[i]] == hashes([held[i]])[0] for i in range(len(held)))
    assert contains(np.zeros(0, dtype=np.uint64), ["x"]) == [False]
    assert contains(table, []) == []


def test_the_ordinary_words_are_looked_up_one_by_one_and_in_a_batch_alike():
    words = ordinary_words("en")
    batch = ["routine", "nazarbyev", "chile", "series", "tokayev"]
    assert words.contains_many(batch) == [word in words for word in batch]
    assert words.contains_many(batch)[:2] == [True, False]


@pytest.mark.parametrize("seed", range(5))
def test_a_headed_substring_hashes_as_the_string_made_of_it(seed: int):
    # The near-miss probes are hashed from prefix sums without making the strings: every
    # (head, begin, end) must hash as chr(head) + text[begin:end] does, empty substrings included.
    rng = random.Random(seed)
    text = "".join(rng.choice("abТокәü\0\U000f0021") for _ in range(rng.randint(1, 300)))
    count = 400
    begins = [rng.randrange(len(text) + 1) for _ in range(count)]
    ends = [rng.randint(begin, min(len(text), begin + 40)) for begin in begins]
    heads = [rng.randrange(0xF0000, 0xF0400) for _ in range(count)]
    made = [chr(head) + text[begin:end] for head, begin, end in zip(heads, begins, ends, strict=True)]
    got = headed_hashes(text, np.array(heads), np.array(begins), np.array(ends))
    assert got.tolist() == hashes(made).tolist()
    assert headed_hashes(text, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                         np.zeros(0, dtype=np.int64)).size == 0
