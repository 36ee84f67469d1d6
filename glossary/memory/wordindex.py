"""An inverted word index over memory sources, in memory-mapped .npy files, that finds fuzzy matches.

One index *segment* is a folder built once from ``(unit id, source)`` pairs. Its rows are
the units ordered by the length of their normalised source, so the rows whose length can
reach a score form one range, and so does every word's slice of postings in that range:

* ``vocab_hash.npy`` (uint64, sorted) — a 64-bit BLAKE2b hash of every word, so
  a query is looked up with ``searchsorted`` and no vocabulary is loaded;
* ``offsets.npy`` (int64, V+1) and ``postings.npy`` (int32) — CSR postings: for
  the word at position ``v``, the rows that contain it, ascending;
* ``ids.npy`` (int64) — row → unit id; ``lengths.npy`` (int32, ascending) — the
  length of the normalised source in code points;
* ``text.bin`` + ``spans.npy`` (int64, rows × 2) — the normalised sources (UTF-8)
  and each row's byte span, so candidates are scored without a database round trip;
* ``vocab.txt`` — the words in ``vocab_hash`` order, read only by concordance.

A lookup keeps the rows whose length allows the minimum score (``fuzz.ratio ≥ s`` needs the
length between ``len(q)·s/(200−s)`` and ``len(q)·(200−s)/s``), adds up for each of them the
inverse document frequency of the query words it contains (the rarest words first, at most
``POSTING_BUDGET`` postings), scores the ``VERIFY`` best rows exactly with rapidfuzz and
returns those that reach the minimum, best first.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from glossary.memory.score import length_window, normalize, words

FORMAT_VERSION = 2
POSTING_BUDGET = 400_000
MIN_WORDS = 8
VERIFY = 1000
MAX_CANDIDATES = 160
_DENSE_SHARE = 16  # postings above window rows / this: add up in a dense array, not by sorting


def hash_word(word: str) -> int:
    """The stable 64-bit hash of a word (Python's ``hash`` differs per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """What a built segment covers."""

    name: str
    rows: int
    min_id: int
    max_id: int


def build_segment(folder: Path, units: Iterable[tuple[int, str]]) -> SegmentInfo:
    """Write a segment for ``units`` into the new folder ``folder``."""
    folder.mkdir(parents=True)
    vocab: dict[str, int] = {}
    tok_ids, tok_rows = array("i"), array("i")
    ids, lengths, offsets = array("q"), array("i"), array("q", [0])
    size = 0
    with open(folder / "text.bin", "wb") as text_file:
        for index, (unit_id, source) in enumerate(units):
            norm = normalize(source)
            data = norm.encode("utf-8")
            text_file.write(data)
            size += len(data)
            offsets.append(size)
            ids.append(unit_id)
            lengths.append(len(norm))
            for word in set(words(norm)):
                tok_ids.append(vocab.setdefault(word, len(vocab)))
                tok_rows.append(index)
    count = len(ids)
    by_length = np.argsort(np.frombuffer(lengths, dtype=np.int32), kind="stable") if count else None
    if by_length is None:
        by_length = np.zeros(0, dtype=np.int64)
    row_of = np.empty(count, dtype=np.int64)
    row_of[by_length] = np.arange(count)
    words_list = list(vocab)
    hashes = np.fromiter((hash_word(w) for w in words_list), dtype=np.uint64, count=len(words_list))
    order = np.argsort(hashes, kind="stable")
    rank = np.empty(len(words_list), dtype=np.int64)
    rank[order] = np.arange(len(words_list))
    if tok_ids:
        keys = rank[np.frombuffer(tok_ids, dtype=np.int32)]
        rows = row_of[np.frombuffer(tok_rows, dtype=np.int32)]
        postings = rows[np.argsort(keys * max(count, 1) + rows)].astype(np.int32)
    else:
        keys, postings = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    counts = np.bincount(keys, minlength=len(words_list))
    starts = np.frombuffer(offsets, dtype=np.int64)
    np.save(folder / "vocab_hash.npy", hashes[order])
    np.save(folder / "offsets.npy", np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)]))
    np.save(folder / "postings.npy", postings)
    np.save(folder / "ids.npy", np.frombuffer(ids, dtype=np.int64)[by_length])
    np.save(folder / "lengths.npy", np.frombuffer(lengths, dtype=np.int32)[by_length])
    np.save(folder / "spans.npy", np.stack([starts[:-1][by_length], starts[1:][by_length]], axis=1))
    (folder / "vocab.txt").write_text("\n".join(words_list[i] for i in order), encoding="utf-8")
    info = SegmentInfo(
        name=folder.name,
        rows=count,
        min_id=min(ids) if ids else 0,
        max_id=max(ids) if ids else 0,
    )
    (folder / "segment.json").write_text(json.dumps({"format": FORMAT_VERSION, **info_dict(info)}))
    return info


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
        self.rows = len(self.ids)
        self._text = _map(folder / "text.bin")
        self._vocab: list[str] | None = None

    def text(self, row: int) -> str:
        """The normalised source of a row."""
        start, end = (int(v) for v in self.spans[row])
        return self._text[start:end].decode("utf-8") if end > start else ""

    def lookup(self, query_words: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Posting ranges ``(starts, ends)`` of the words this segment knows."""
        unique = list(dict.fromkeys(query_words))
        if not unique or not len(self.vocab_hash):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        hashes = np.fromiter((hash_word(w) for w in unique), dtype=np.uint64, count=len(unique))
        pos = np.searchsorted(self.vocab_hash, hashes)
        inside = pos < len(self.vocab_hash)
        pos, hashes = pos[inside], hashes[inside]
        found = pos[self.vocab_hash[pos] == hashes]
        return np.asarray(self.offsets[found]), np.asarray(self.offsets[found + 1])

    def candidates(
        self, query: str, min_score: float, limit: int = MAX_CANDIDATES, *, dead: np.ndarray | None = None
    ) -> list[Candidate]:
        """The rows scoring at least ``min_score`` against the normalised ``query``, best first, at
        most ``limit``; rows of the unit ids in ``dead`` (sorted) are no longer current and skipped."""
        rows, score = self.ranked(query, min_score, dead=dead)
        if len(rows) > VERIFY:
            rows = rows[np.argpartition(-score, VERIFY - 1)[:VERIFY]]
        return self._verify(query, rows, min_score, limit)

    def ranked(
        self, query: str, min_score: float, *, dead: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rows whose length allows ``min_score`` and that share a word with ``query``, with the
        summed inverse document frequency of the words they share (the rarest words first, within
        ``POSTING_BUDGET`` postings)."""
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        low, high = length_window(len(query), min_score)
        first = int(np.searchsorted(self.lengths, low, side="left"))
        end = int(np.searchsorted(self.lengths, high, side="right"))
        starts, ends = self.lookup(words(query))
        if end <= first or not len(starts):
            return empty
        starts, ends = self._narrow(starts, ends, first, end)
        df = ends - starts
        keep = df > 0
        starts, ends, df = starts[keep], ends[keep], df[keep]
        if not len(df):
            return empty
        order = np.argsort(df, kind="stable")
        total = np.cumsum(df[order])
        take = max(int(np.searchsorted(total, POSTING_BUDGET, side="right")), min(MIN_WORDS, len(order)))
        chosen = order[:take]
        window = end - first
        idf = [math.log1p(window / int(df[i])) for i in chosen]
        if int(total[take - 1]) * _DENSE_SHARE > window:
            rows, score = self._add_dense(starts[chosen], ends[chosen], idf, first, window)
        else:
            rows, score = self._add_sparse(starts[chosen], ends[chosen], df[chosen], idf)
        if dead is not None and len(dead) and len(rows):
            current = ~np.isin(self.ids[rows], dead)
            rows, score = rows[current], score[current]
        return rows, score

    def _narrow(
        self, starts: np.ndarray, ends: np.ndarray, first: int, end: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each posting range cut to the rows ``first:end`` (postings ascend, so two binary searches)."""
        postings = self.postings
        new_starts = np.empty_like(starts)
        new_ends = np.empty_like(ends)
        for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            part = postings[a:b]
            new_starts[i] = a + int(np.searchsorted(part, first, side="left"))
            new_ends[i] = a + int(np.searchsorted(part, end, side="left"))
        return new_starts, new_ends

    def _add_dense(
        self, starts: np.ndarray, ends: np.ndarray, idf: list[float], first: int, window: int
    ) -> tuple[np.ndarray, np.ndarray]:
        score = np.zeros(window, dtype=np.float32)
        postings = self.postings
        for a, b, weight in zip(starts.tolist(), ends.tolist(), idf, strict=True):
            score[postings[a:b] - first] += weight  # a word's rows are distinct: no lost additions
        rows = np.flatnonzero(score)
        return rows + first, score[rows]

    def _add_sparse(
        self, starts: np.ndarray, ends: np.ndarray, df: np.ndarray, idf: list[float]
    ) -> tuple[np.ndarray, np.ndarray]:
        postings = self.postings
        parts = [postings[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        weights = np.repeat(np.asarray(idf, dtype=np.float32), df)
        rows, inverse = np.unique(np.concatenate(parts), return_inverse=True)
        return rows, np.bincount(inverse, weights=weights)

    def _verify(self, query: str, rows: np.ndarray, min_score: float, limit: int) -> list[Candidate]:
        """Score ``rows`` exactly; those reaching ``min_score``, best first, at most ``limit``."""
        if not len(rows):
            return []
        text = self._text
        spans = self.spans[rows].tolist()
        texts = [text[a:b].decode("utf-8") for a, b in spans]
        found = process.extract(query, texts, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit)
        ids = self.ids[rows]
        return [Candidate(int(ids[i]), texts[i], float(s)) for _, s, i in found]

    def vocabulary(self) -> list[str]:
        """All words of the segment, in ``vocab_hash`` order (loaded on first use)."""
        if self._vocab is None:
            content = (self.folder / "vocab.txt").read_text(encoding="utf-8")
            self._vocab = content.split("\n") if content else []
        return self._vocab

    def positions_containing(self, stem: str) -> list[int]:
        """Vocabulary positions of the words that contain ``stem``."""
        return [i for i, word in enumerate(self.vocabulary()) if stem in word]

    def rows_with(self, positions: Iterable[int]) -> np.ndarray:
        """The rows containing any of the words at the given vocabulary positions."""
        parts = [self.postings[self.offsets[p] : self.offsets[p + 1]] for p in positions]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def unit_ids(self, rows: np.ndarray) -> list[int]:
        """Unit ids of rows."""
        return [int(i) for i in self.ids[rows]]


def _map(path: Path) -> mmap.mmap | bytes:
    """The file memory-mapped; an empty file cannot be mapped, so it is empty bytes."""
    if os.path.getsize(path) == 0:
        return b""
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
