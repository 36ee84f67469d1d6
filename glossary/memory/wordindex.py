"""An inverted index of words and word pairs over memory sources, in memory-mapped .npy files.

One index *segment* is a folder built once from ``(unit id, source)`` pairs. Its rows are
the units ordered by the length of their normalised source, so the rows whose length can
reach a score form one range, and so does every key's slice of postings in that range.
A key is a word or a pair of consecutive words: pairs are rare even when both words are
frequent, so a query made of frequent words still reads short posting lists.

* ``vocab_hash.npy`` (uint64, sorted) — the key of every word (a 64-bit BLAKE2b hash) and
  of every pair of consecutive words (:func:`pair_keys` of the two hashes), so a query is
  looked up with ``searchsorted`` and no vocabulary is loaded;
* ``offsets.npy`` (int64, K+1) and ``postings.npy`` (int32) — CSR postings: for
  the key at position ``k``, the rows that contain it, ascending;
* ``ids.npy`` (int64) — row → unit id; ``lengths.npy`` (int32, ascending) — the
  length of the normalised source in code points;
* ``text.bin`` + ``spans.npy`` (int64, rows × 2) — the normalised sources (UTF-8)
  and each row's byte span, so candidates are scored without a database round trip;
* ``vocab.txt`` + ``word_keys.npy`` — the words and their key positions, read only by
  concordance.

A lookup keeps the rows whose length allows the minimum score (``fuzz.ratio ≥ s`` needs the
length between ``len(q)·s/(200−s)`` and ``len(q)·(200−s)/s``) and estimates each row's score from
the query's words and word pairs it contains: their characters, divided by the two lengths, as
``fuzz.ratio`` divides the characters in common (the rarest keys first, at most
``POSTING_CHARS / len(q)`` postings, between ``MIN_POSTINGS`` and ``MAX_POSTINGS``, and at least
``MIN_KEYS`` keys). The best rows by that estimate are scored exactly with rapidfuzz:
``VERIFY_AREA / len(q)²`` of them, between ``MIN_VERIFY`` and ``MAX_VERIFY`` (a long query's
estimate ranks its matches among the first few rows; a short one shares its words with many rows
by chance, and its matches can rank thousands deep), and those that reach the minimum are
returned, best first.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from glossary.memory.score import length_window, normalize, words

FORMAT_VERSION = 3
# Postings read: a long query's rarest keys (word pairs) find its matches in few postings; a short
# query of common words needs more to rank its matches high enough.
POSTING_CHARS = 2_500_000
MIN_POSTINGS, MAX_POSTINGS = 10_000, 100_000
MIN_KEYS = 12
# Rows scored exactly: short queries get more, since chance overlaps of short texts rank worst.
VERIFY_AREA = 8_000_000
MIN_VERIFY, MAX_VERIFY = 300, 8000
MAX_CANDIDATES = 160
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BUILD_BATCH = 10_000
_EMPTY = np.zeros(0, dtype=np.int64)
_CODE_LIMIT = int(np.iinfo(np.int64).max)  # (key number + 1) × rows must stay below it


def hash_word(word: str) -> int:
    """The stable 64-bit hash of a word (Python's ``hash`` differs per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def posting_budget(length: int) -> int:
    """How many postings a query of ``length`` characters reads at most (past ``MIN_KEYS`` keys)."""
    return min(max(POSTING_CHARS // max(length, 1), MIN_POSTINGS), MAX_POSTINGS)


def verify_count(length: int) -> int:
    """How many of the best rows by estimate a query of ``length`` characters scores exactly."""
    return min(max(VERIFY_AREA // max(length, 1) ** 2, MIN_VERIFY), MAX_VERIFY)


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """What a built segment covers."""

    name: str
    rows: int
    min_id: int
    max_id: int


def pair_keys(word_hashes: np.ndarray) -> np.ndarray:
    """The keys of each two consecutive words, from the words' hashes (order matters)."""
    if len(word_hashes) < 2:
        return np.zeros(0, dtype=np.uint64)
    return _pair_hash(word_hashes[:-1], word_hashes[1:])


def _pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The key of the pair of words ``first[i] second[i]``, from their hashes."""
    return (first * _MIX) ^ ((second << np.uint64(29)) | (second >> np.uint64(35)))


def build_segment(folder: Path, units: Iterable[tuple[int, str]]) -> SegmentInfo:
    """Write a segment for ``units`` into the new folder ``folder``."""
    folder.mkdir(parents=True)
    vocab: dict[str, int] = {}
    tokens, per_row = array("i"), array("i")
    ids, lengths, offsets = array("q"), array("i"), array("q", [0])
    with open(folder / "text.bin", "wb") as text_file:
        for batch in _batches(units):
            norms = [normalize(source) for _, source in batch]
            data = [norm.encode("utf-8") for norm in norms]
            text_file.write(b"".join(data))
            offsets.extend(islice(accumulate(map(len, data), initial=offsets[-1]), 1, None))
            ids.extend(unit_id for unit_id, _ in batch)
            lengths.extend(map(len, norms))
            for norm in norms:
                found = words(norm)
                per_row.append(len(found))
                tokens.extend(_word_numbers(vocab, found))
    count = len(ids)
    by_length = np.argsort(np.frombuffer(lengths, dtype=np.int32), kind="stable") if count else _EMPTY
    row_of = np.empty(count, dtype=np.int32)
    row_of[by_length] = np.arange(count, dtype=np.int32)
    words_list = list(vocab)
    word_hash = np.fromiter((hash_word(w) for w in words_list), dtype=np.uint64, count=len(words_list))
    vocab_hash, offsets_out, postings = _postings(tokens, per_row, row_of, word_hash)
    starts = np.frombuffer(offsets, dtype=np.int64)
    word_order = np.argsort(word_hash, kind="stable")
    np.save(folder / "vocab_hash.npy", vocab_hash)
    np.save(folder / "offsets.npy", offsets_out)
    np.save(folder / "postings.npy", postings)
    np.save(folder / "ids.npy", np.frombuffer(ids, dtype=np.int64)[by_length])
    np.save(folder / "lengths.npy", np.frombuffer(lengths, dtype=np.int32)[by_length])
    np.save(folder / "spans.npy", np.stack([starts[:-1][by_length], starts[1:][by_length]], axis=1))
    np.save(folder / "word_keys.npy", np.searchsorted(vocab_hash, word_hash[word_order]))
    (folder / "vocab.txt").write_text("\n".join(words_list[i] for i in word_order), encoding="utf-8")
    info = SegmentInfo(
        name=folder.name,
        rows=count,
        min_id=min(ids) if ids else 0,
        max_id=max(ids) if ids else 0,
    )
    (folder / "segment.json").write_text(json.dumps({"format": FORMAT_VERSION, **info_dict(info)}))
    return info


def _batches(units: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(units)
    while batch := list(islice(iterator, _BUILD_BATCH)):
        yield batch


def _word_numbers(vocab: dict[str, int], found: list[str]) -> list[int]:
    """The number of each word in ``vocab``, new words numbered as they come (looked up in bulk:
    after the first few thousand rows, a row rarely holds a new word)."""
    known: list[int | None] = list(map(vocab.get, found))
    if None in known:
        for i, word in enumerate(found):
            if known[i] is None:
                known[i] = vocab.setdefault(word, len(vocab))
    return known  # type: ignore[return-value]


def _postings(
    tokens: array, per_row: array, row_of: np.ndarray, word_hash: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sorted keys, the CSR offsets and the postings of the words (``tokens``, numbered, row by
    row with ``per_row`` of them in each) and of their pairs of consecutive words.

    Every (key, row) is one 64-bit number, key number × rows + row, so one sort (numpy's vectorised
    sort, far faster than ``np.unique``'s hash table on tens of millions of values) groups the
    postings by key with their rows ascending. Keys are numbered first by word number (a word ``w``
    is ``w``, a pair ``v w`` is ``V + v·V + w``, or ``V +`` its rank among the pairs present when
    there are too many words for that), then, once their hashes are known, by hash."""
    count = len(row_of)
    size = len(word_hash)
    sequence = np.frombuffer(tokens, dtype=np.int32).astype(np.int64) if tokens else _EMPTY
    token_row = np.repeat(np.arange(count, dtype=np.int32), np.frombuffer(per_row, dtype=np.int32)) \
        if count else np.zeros(0, dtype=np.int32)
    same_row = token_row[1:] == token_row[:-1]
    rows = row_of[np.concatenate([token_row, token_row[1:][same_row]])]
    del token_row
    pair_code = sequence[:-1][same_row] * size + sequence[1:][same_row]
    pair_values: np.ndarray | None = None
    if size + size * size > _CODE_LIMIT // max(count, 1):
        # Too many words to number every pair (key × rows would overflow): number the pairs present.
        pair_values, pair_code = np.unique(pair_code, return_inverse=True)
    codes = np.concatenate([sequence, size + pair_code])
    del sequence, same_row, pair_code
    code, postings = _grouped(codes, rows, count)
    del codes, rows
    first = np.flatnonzero(np.concatenate([[True], code[1:] != code[:-1]])) if len(code) else _EMPTY
    key_code = code[first]
    del code
    is_pair = key_code >= size
    key_hash = np.empty(len(key_code), dtype=np.uint64)
    key_hash[~is_pair] = word_hash[key_code[~is_pair]]
    pair = key_code[is_pair] - size
    if pair_values is not None:
        pair = pair_values[pair]
    key_hash[is_pair] = _pair_hash(word_hash[pair // size], word_hash[pair % size])
    del pair, is_pair, key_code
    # Renumber the keys by hash; equal hashes (a collision) become one key holding both lists.
    by_hash = np.argsort(key_hash, kind="stable")
    sorted_hash = key_hash[by_hash]
    distinct = np.concatenate([[True], sorted_hash[1:] != sorted_hash[:-1]]) if len(sorted_hash) else _EMPTY
    rank = np.empty(len(key_hash), dtype=np.int64)
    rank[by_hash] = np.cumsum(distinct) - 1
    per_key = np.diff(np.append(first, len(postings)))
    key_of, postings = _grouped(np.repeat(rank, per_key), postings, count)
    counts = np.bincount(key_of, minlength=int(distinct.sum()))
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
    return sorted_hash[distinct.astype(bool)], offsets, postings


def _grouped(keys: np.ndarray, rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``(key, row)`` pairs sorted by key then row, each once: the keys, and the rows as int32."""
    combined = keys * max(count, 1) + rows
    combined.sort()
    if len(combined):
        combined = combined[np.concatenate([[True], combined[1:] != combined[:-1]])]
    key = combined // max(count, 1)
    return key, (combined - key * max(count, 1)).astype(np.int32)


def info_dict(info: SegmentInfo) -> dict[str, int | str]:
    """A segment's description for the manifest."""
    return {"name": info.name, "rows": info.rows, "min_id": info.min_id, "max_id": info.max_id}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A unit found by the index: its id, its normalised source and its raw score against the query."""

    unit_id: int
    text: str
    score: float = 0.0


class IndexSegment:
    """A built segment opened read-only; arrays are memory-mapped, not read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        meta = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"index segment format {meta.get('format')!r}, expected {FORMAT_VERSION}")
        # Plain ndarray views of the maps: indexing a np.memmap object costs more per call.
        load = lambda name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))  # noqa: E731
        self.vocab_hash = load("vocab_hash")
        self.offsets = load("offsets")
        self.postings = load("postings")
        self.ids = load("ids")
        self.lengths = load("lengths")
        self.spans = load("spans")
        self.word_keys = load("word_keys")
        self.rows = len(self.ids)
        self._text = _map(folder / "text.bin")
        self._vocab: list[str] | None = None
        self._sums: np.ndarray | None = None  # see _add
        self._sums_lock = threading.Lock()

    def text(self, row: int) -> str:
        """The normalised source of a row."""
        start, end = (int(v) for v in self.spans[row])
        return self._text[start:end].decode("utf-8") if end > start else ""

    def lookup(self, query_words: Iterable[str], *, pairs: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Posting ranges ``(starts, ends)`` of the words this segment knows (``pairs``: and of the
        pairs of consecutive words)."""
        starts, ends, _ = self._lookup(list(query_words), pairs)
        return starts, ends

    def _lookup(self, sequence: list[str], pairs: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posting ranges of the known keys and the number of characters each key covers."""
        if not sequence or not len(self.vocab_hash):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        hashes = np.fromiter((hash_word(w) for w in sequence), dtype=np.uint64, count=len(sequence))
        chars = np.fromiter((len(w) for w in sequence), dtype=np.int64, count=len(sequence))
        if pairs:
            hashes = np.concatenate([hashes, pair_keys(hashes)])
            chars = np.concatenate([chars, chars[:-1] + chars[1:] + 1])
        hashes, first = np.unique(hashes, return_index=True)
        chars = chars[first]
        pos = np.searchsorted(self.vocab_hash, hashes)
        inside = pos < len(self.vocab_hash)
        pos, hashes, chars = pos[inside], hashes[inside], chars[inside]
        known = self.vocab_hash[pos] == hashes
        found = pos[known]
        return np.asarray(self.offsets[found]), np.asarray(self.offsets[found + 1]), chars[known]

    def candidates(
        self, query: str, min_score: float, limit: int = MAX_CANDIDATES, *, dead: np.ndarray | None = None
    ) -> list[Candidate]:
        """The rows scoring at least ``min_score`` against the normalised ``query``, best first, at
        most ``limit``; rows of the unit ids in ``dead`` (sorted) are no longer current and skipped."""
        rows, score = self.ranked(query, min_score, dead=dead)
        verify = verify_count(len(query))
        if len(rows) > verify:
            rows = rows[np.argpartition(-score, verify - 1)[:verify]]
        return self._verify(query, rows, min_score, limit)

    def ranked(
        self, query: str, min_score: float, *, dead: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows whose length allows ``min_score`` and that share a key with ``query``, with an
        estimate of their score: the characters of the query's words and word pairs they contain
        (a pair counts its two words and the space again, so word order weighs in), divided by the
        two lengths, as ``fuzz.ratio`` divides the characters in common."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        low, high = length_window(len(query), min_score)
        # Search with the arrays' own dtype: a Python int would make numpy copy the array to int64.
        first = int(np.searchsorted(self.lengths, np.int32(min(low, 2**31 - 1)), side="left"))
        end = int(np.searchsorted(self.lengths, np.int32(min(high, 2**31 - 1)), side="right"))
        starts, ends, chars = self._lookup(words(query), True)
        if end <= first or not len(starts):
            return empty
        starts, ends = self._narrow(starts, ends, first, end)
        df = ends - starts
        keep = df > 0
        starts, ends, df, chars = starts[keep], ends[keep], df[keep], chars[keep]
        if not len(df):
            return empty
        order = np.argsort(df, kind="stable")
        total = np.cumsum(df[order])
        budget = posting_budget(len(query))
        take = max(int(np.searchsorted(total, budget, side="right")), min(MIN_KEYS, len(order)))
        chosen = order[:take]
        weights = (chars[chosen] + 1).tolist()
        rows, score = self._add(starts[chosen], ends[chosen], weights)
        if dead is not None and len(dead) and len(rows):
            current = ~np.isin(self.ids[rows], dead)
            rows, score = rows[current], score[current]
        return rows, score / (len(query) + self.lengths[rows])

    def _narrow(
        self, starts: np.ndarray, ends: np.ndarray, first: int, end: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each posting range cut to the rows ``first:end`` (postings ascend, so two binary searches)."""
        postings = self.postings
        new_starts = np.empty_like(starts)
        new_ends = np.empty_like(ends)
        bounds = np.asarray([first, end], dtype=postings.dtype)
        for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            low, high = np.searchsorted(postings[a:b], bounds).tolist()
            new_starts[i], new_ends[i] = a + low, a + high
        return new_starts, new_ends

    def _add(self, starts: np.ndarray, ends: np.ndarray, weights: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The distinct rows in the posting ranges, ascending, and for each the sum of the weights of
        the ranges that hold it.

        The sums are added up in an array over all rows that the segment keeps between lookups and
        clears where it was written, so a lookup costs its postings, not the rows of its length
        window (nor the page faults of a new array)."""
        postings = self.postings
        parts = [postings[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        found.sort()
        rows = found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found
        with self._sums_lock:
            if self._sums is None:
                self._sums = np.zeros(self.rows, dtype=np.float32)
            sums = self._sums
            try:
                for part, weight in zip(parts, weights, strict=True):
                    sums[part] += weight  # a key's rows are distinct: no lost additions
                score = sums[rows]
            finally:
                sums[rows] = 0
        return rows, score

    def _verify(self, query: str, rows: np.ndarray, min_score: float, limit: int) -> list[Candidate]:
        """Score ``rows`` exactly; those reaching ``min_score``, best first, at most ``limit``.

        A row whose text is ASCII (as many bytes as characters) is scored on its bytes, which
        rapidfuzz compares with the query's characters by code point; only the others, and the rows
        returned, are decoded."""
        if not len(rows):
            return []
        text = self._text
        spans = self.spans[rows]
        ascii_rows = (spans[:, 1] - spans[:, 0] == self.lengths[rows]).tolist()
        texts: list[str | bytes] = [
            text[a:b] if plain else text[a:b].decode("utf-8")
            for (a, b), plain in zip(spans.tolist(), ascii_rows, strict=True)
        ]
        found = process.extract(query, texts, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit)
        ids = self.ids[rows]
        return [Candidate(int(ids[i]), _decoded(texts[i]), float(s)) for _, s, i in found]

    def vocabulary(self) -> list[str]:
        """All words of the segment, in ``vocab_hash`` order (loaded on first use)."""
        if self._vocab is None:
            content = (self.folder / "vocab.txt").read_text(encoding="utf-8")
            self._vocab = content.split("\n") if content else []
        return self._vocab

    def positions_containing(self, stem: str) -> list[int]:
        """Key positions (in ``vocab_hash``) of the words that contain ``stem``."""
        keys = self.word_keys
        return [int(keys[i]) for i, word in enumerate(self.vocabulary()) if stem in word]

    def rows_with(self, positions: Iterable[int]) -> np.ndarray:
        """The rows containing any of the words at the given vocabulary positions."""
        parts = [self.postings[self.offsets[p] : self.offsets[p + 1]] for p in positions]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def unit_ids(self, rows: np.ndarray) -> list[int]:
        """Unit ids of rows."""
        return [int(i) for i in self.ids[rows]]


def _decoded(text: str | bytes) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else text


def _map(path: Path) -> mmap.mmap | bytes:
    """The file memory-mapped; an empty file cannot be mapped, so it is empty bytes."""
    if os.path.getsize(path) == 0:
        return b""
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
