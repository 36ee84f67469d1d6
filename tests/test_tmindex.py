"""The word index: postings on disk, candidate retrieval with the length filter, and its persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from glossary.memory.score import length_window, normalize, words
from glossary.memory.wordindex import IndexSegment, build_segment, hash_word

SENTENCES = [
    "Kazakh President Tokayev made a speech before the lower house of the Kazakh parliament.",
    "The situation is stable in all regions.",
    "A gradual pullout of the CSTO united peacekeeping contingent will begin in two days.",
    "The process of the contingent's withdrawal will take no more than 10 days.",
    "We have defended Almaty and other regional centers together, as a single nation.",
    "Алматы и другие региональные центры мы отстояли вместе.",
    "Біз Алматыны бірге қорғадық.",
    "The situation is calm in all regions.",
]


@pytest.fixture
def segment(tmp_path: Path) -> IndexSegment:
    build_segment(tmp_path / "seg", ((i * 10, s) for i, s in enumerate(SENTENCES, 1)))
    return IndexSegment(tmp_path / "seg")


def test_postings_list_the_rows_of_each_word(segment: IndexSegment) -> None:
    for word in ["situation", "алматы", "the", "contingent"]:
        starts, ends = segment.lookup([word])
        rows = segment.postings[starts[0] : ends[0]]
        expected = [(r + 1) * 10 for r, s in enumerate(SENTENCES) if word in words(normalize(s))]
        assert rows.tolist() == sorted(rows.tolist())
        assert sorted(segment.unit_ids(rows)) == expected


def test_rows_are_ordered_by_length(segment: IndexSegment) -> None:
    lengths = segment.lengths.tolist()
    assert lengths == sorted(lengths)
    for row in range(segment.rows):
        unit_id = int(segment.ids[row])
        assert segment.text(row) == normalize(SENTENCES[unit_id // 10 - 1])
        assert lengths[row] == len(segment.text(row))


def test_vocabulary_is_stored_in_hash_order(segment: IndexSegment) -> None:
    vocab = segment.vocabulary()
    assert [hash_word(w) for w in vocab] == segment.vocab_hash[segment.word_keys].tolist()
    assert set(vocab) == {w for s in SENTENCES for w in words(normalize(s))}


def test_unknown_words_have_no_postings(segment: IndexSegment) -> None:
    starts, _ = segment.lookup(["zzzz", "qqqq"])
    assert len(starts) == 0
    assert segment.candidates("zzzz qqqq", 70) == []


def test_candidates_include_the_edited_sentence_with_ids_and_text(segment: IndexSegment) -> None:
    query = normalize("The situation is stable in most regions.")
    candidates = segment.candidates(query, 70)
    found = {c.unit_id: c.text for c in candidates}
    assert found[20] == normalize(SENTENCES[1])
    assert 80 in found  # "calm" instead of "stable": shares the other words
    assert [c.score for c in candidates] == [fuzz.ratio(query, c.text) for c in candidates]
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert all(c.score >= 70 for c in candidates)
    assert [c.unit_id for c in segment.candidates(query, 70, limit=1)] == [candidates[0].unit_id]


def test_length_filter_drops_rows_that_cannot_reach_the_score(segment: IndexSegment) -> None:
    query = normalize("the")  # every long sentence has "the", none can score 70 against it
    assert segment.candidates(query, 70) == []
    for score in (50, 70, 90):
        low, high = length_window(100, score)
        reachable = [n for n in range(1, 400) if fuzz.ratio("a" * 100, "a" * n) >= score]
        assert low <= reachable[0] and reachable[-1] <= high
        assert reachable[0] - low <= 1 and high - reachable[-1] <= 1  # no looser than it must be


def test_an_empty_segment_opens_and_finds_nothing(tmp_path: Path) -> None:
    build_segment(tmp_path / "empty", [])
    assert IndexSegment(tmp_path / "empty").candidates("anything at all", 70) == []


def test_arrays_are_memory_mapped_not_read(segment: IndexSegment) -> None:
    loaded = np.load(segment.folder / "postings.npy", mmap_mode="r")
    assert isinstance(loaded, np.memmap)
    assert segment.postings.base is not None  # a view of the map


def test_recall_against_a_brute_force_scan(tmp_path: Path) -> None:
    """Every unit a full rapidfuzz scan rates 70 or more is among the candidates."""
    rng = np.random.default_rng(5)
    vocab = [f"w{i}" for i in range(3000)] + ["the", "of", "and", "in", "to"] * 40
    sentences = [" ".join(rng.choice(vocab, size=rng.integers(5, 30))) for _ in range(3000)]
    build_segment(tmp_path / "big", enumerate(sentences))
    big = IndexSegment(tmp_path / "big")
    for n in range(0, 3000, 60):
        tokens = sentences[n].split()
        tokens[rng.integers(len(tokens))] = "replaced"
        query = normalize(" ".join(tokens))
        best = process.extract(query, sentences, scorer=fuzz.ratio, limit=5, score_cutoff=70)
        truth = {i for _, _, i in best}
        assert n in truth
        assert truth <= {c.unit_id for c in big.candidates(query, 70)}


def test_pairs_of_consecutive_words_have_postings_of_their_own(segment: IndexSegment) -> None:
    from glossary.memory.wordindex import pair_keys

    both = pair_keys(np.array([hash_word("all"), hash_word("regions")], dtype=np.uint64))
    at = int(np.searchsorted(segment.vocab_hash, both[0]))
    assert segment.vocab_hash[at] == both[0]
    rows = segment.postings[segment.offsets[at] : segment.offsets[at + 1]]
    assert sorted(segment.unit_ids(rows)) == [20, 80]  # "in all regions", twice
    reverse = pair_keys(np.array([hash_word("regions"), hash_word("all")], dtype=np.uint64))
    assert reverse[0] not in set(segment.vocab_hash.tolist())  # order matters


def test_a_query_of_frequent_words_finds_its_sentence_among_many_sharing_them(tmp_path: Path) -> None:
    """Every unit holds the same frequent words; only the order tells the match apart, which the
    word pairs see and the words alone do not."""
    rng = np.random.default_rng(3)
    common = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as"]
    sentences = [" ".join(rng.permutation(common)) for _ in range(5000)]
    build_segment(tmp_path / "freq", enumerate(sentences))
    freq = IndexSegment(tmp_path / "freq")
    for n in range(0, 5000, 250):
        query = normalize(sentences[n])
        found = freq.candidates(query, 70, limit=5)
        assert (found[0].unit_id, found[0].score) == (n, 100.0)  # all 5,000 rows share every word


def test_every_key_lists_exactly_the_rows_that_hold_it(tmp_path: Path) -> None:
    """The postings of each word and each pair of consecutive words, against a plain count over the
    sentences: repeats inside a sentence listed once, rows ascending, keys sorted by hash."""
    from glossary.memory.wordindex import pair_keys

    rng = np.random.default_rng(8)
    vocab = ["алма", "ata", "the", "of", "қала", "x1", "2024", "é"] + [f"w{i}" for i in range(40)]
    sentences = [" ".join(rng.choice(vocab, size=rng.integers(1, 12))) for _ in range(700)]
    sentences += ["", "!!!", "the the the"]
    build_segment(tmp_path / "keys", ((i, s) for i, s in enumerate(sentences)))
    segment = IndexSegment(tmp_path / "keys")
    expected: dict[int, set[int]] = {}
    for unit_id, sentence in enumerate(sentences):
        hashes = np.array([hash_word(w) for w in words(normalize(sentence))], dtype=np.uint64)
        for key in [*hashes.tolist(), *pair_keys(hashes).tolist()]:
            expected.setdefault(key, set()).add(unit_id)
    keys = segment.vocab_hash.tolist()
    assert keys == sorted(expected)
    assert int(segment.offsets[-1]) == len(segment.postings) == sum(len(v) for v in expected.values())
    for at, key in enumerate(keys):
        rows = segment.postings[segment.offsets[at] : segment.offsets[at + 1]].tolist()
        assert rows == sorted(set(rows))
        assert set(segment.unit_ids(np.asarray(rows, dtype=np.int64))) == expected[key]


def test_rows_in_other_scripts_are_scored_as_text(tmp_path: Path) -> None:
    """ASCII rows are scored on their bytes, the others decoded: the scores are rapidfuzz's on the
    texts either way, and every candidate carries its text as a string."""
    sentences = ["Kazakh parliament approved the budget today", "Қазақ парламенті бюджетті бекітті бүгін",
                 "Kazakh parliament approved budget today", "Казахский парламент одобрил бюджет"]
    build_segment(tmp_path / "mixed", enumerate(sentences))
    segment = IndexSegment(tmp_path / "mixed")
    queries = ["Kazakh parliament approved the budget", "Қазақ парламенті бюджетті бекітті",
               "Kazakh parliament одобрил budget today"]  # reaches 25 with rows of both kinds
    for query in map(normalize, queries):
        found = segment.candidates(query, 25)
        assert found
        for candidate in found:
            assert isinstance(candidate.text, str)
            assert candidate.text == normalize(sentences[candidate.unit_id])
            assert candidate.score == fuzz.ratio(query, candidate.text)


def test_lookups_from_several_threads_find_what_one_thread_finds(tmp_path: Path) -> None:
    """A segment adds up its estimates in one array it keeps between lookups: threads sharing the
    segment (the review screen looks up in a worker) must not see each other's sums."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(12)
    vocab = [f"w{i}" for i in range(300)] + ["the", "of", "and"] * 30
    sentences = [" ".join(rng.choice(vocab, size=rng.integers(4, 20))) for _ in range(4000)]
    build_segment(tmp_path / "shared", enumerate(sentences))
    segment = IndexSegment(tmp_path / "shared")
    queries = [normalize(sentences[n]) for n in range(0, 4000, 50)] * 4

    def look(query: str) -> list[tuple[int, float]]:
        return [(c.unit_id, c.score) for c in segment.candidates(query, 60, limit=10)]

    alone = [look(query) for query in queries]
    fresh = [[(c.unit_id, c.score) for c in IndexSegment(tmp_path / "shared").candidates(query, 60, limit=10)]
             for query in queries[:20]]
    assert alone[:20] == fresh  # what one lookup added up is gone before the next
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(look, queries))
    assert together == alone
    assert all(found for found in alone)  # every query finds at least its own sentence


def test_a_vocabulary_too_large_to_number_every_pair_builds_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more words than key × rows can number in 64 bits, the pairs present are numbered
    instead: the files come out the same."""
    from glossary.memory import wordindex

    rng = np.random.default_rng(4)
    vocab = [f"w{i}" for i in range(200)] + ["the", "of"] * 20
    sentences = [" ".join(rng.choice(vocab, size=rng.integers(1, 15))) for _ in range(500)]
    build_segment(tmp_path / "direct", enumerate(sentences))
    monkeypatch.setattr(wordindex, "_CODE_LIMIT", 1000)
    build_segment(tmp_path / "ranked", enumerate(sentences))
    for name in ("vocab_hash.npy", "offsets.npy", "postings.npy", "word_keys.npy", "spans.npy", "ids.npy"):
        assert (tmp_path / "direct" / name).read_bytes() == (tmp_path / "ranked" / name).read_bytes(), name
