"""An inverted word index over memory sources, in memory-mapped .npy files, that proposes fuzzy candidates.

One index *segment* is a folder built once from ``(unit id, source)`` pairs:

* ``vocab_hash.npy`` (uint64, sorted) — a 64-bit BLAKE2b hash of every word, so
  a query is looked up with ``searchsorted`` and no vocabulary is loaded;
* ``offsets.npy`` (int64, V+1) and ``postings.npy`` (int32) — CSR postings: for
  the word at position ``v``, the rows that contain it, ascending;
* ``ids.npy`` (int64) — row → unit id; ``lengths.npy`` (int32) — the length of
  the normalised source in code points, for the length filter;
* ``text.bin`` + ``text_offsets.npy`` — the normalised sources (UTF-8), so the
  exact scoring of candidates needs no database round trip;
* ``vocab.txt`` — the words in ``vocab_hash`` order, read only by concordance.

Candidates are the rows sharing the most of the query's rarest words (at most
``POSTING_BUDGET`` postings are read, rarest words first), weighted by inverse
document frequency, after dropping rows whose length rules out the minimum score.
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

from glossary.memory.score import length_window, normalize, words

FORMAT_VERSION = 1
POSTING_BUDGET = 60_000
MIN_WORDS = 6
MAX_CANDIDATES = 160


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
    """Write a segment for ``units`` (ascending ids) into the new folder ``folder``."""
    folder.mkdir(parents=True)
    vocab: dict[str, int] = {}
    tok_ids, tok_rows = array("i"), array("i")
    ids, lengths, text_offsets = array("q"), array("i"), array("q", [0])
    size = 0
    with open(folder / "text.bin", "wb") as text_file:
        for row, (unit_id, source) in enumerate(units):
            norm = normalize(source)
            data = norm.encode("utf-8")
            text_file.write(data)
            size += len(data)
            text_offsets.append(size)
            ids.append(unit_id)
            lengths.append(len(norm))
            for word in set(words(norm)):
                tok_ids.append(vocab.setdefault(word, len(vocab)))
                tok_rows.append(row)
    words_list = list(vocab)
    hashes = np.fromiter((hash_word(w) for w in words_list), dtype=np.uint64, count=len(words_list))
    order = np.argsort(hashes, kind="stable")
    rank = np.empty(len(words_list), dtype=np.int64)
    rank[order] = np.arange(len(words_list))
    keys = rank[np.frombuffer(tok_ids, dtype=np.int32)] if tok_ids else np.zeros(0, dtype=np.int64)
    by_key = np.argsort(keys, kind="stable")
    postings = np.frombuffer(tok_rows, dtype=np.int32)[by_key] if tok_rows else np.zeros(0, np.int32)
    counts = np.bincount(keys, minlength=len(words_list))
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts, dtype=np.int64)])
    np.save(folder / "vocab_hash.npy", hashes[order])
    np.save(folder / "offsets.npy", offsets)
    np.save(folder / "postings.npy", postings.astype(np.int32))
    np.save(folder / "ids.npy", np.frombuffer(ids, dtype=np.int64))
    np.save(folder / "lengths.npy", np.frombuffer(lengths, dtype=np.int32))
    np.save(folder / "text_offsets.npy", np.frombuffer(text_offsets, dtype=np.int64))
    (folder / "vocab.txt").write_text("\n".join(words_list[i] for i in order), encoding="utf-8")
    info = SegmentInfo(
        name=folder.name,
        rows=len(ids),
        min_id=int(ids[0]) if ids else 0,
        max_id=int(ids[-1]) if ids else 0,
    )
    (folder / "segment.json").write_text(json.dumps({"format": FORMAT_VERSION, **info_dict(info)}))
    return info


def info_dict(info: SegmentInfo) -> dict[str, int | str]:
    """A segment's description for the manifest."""
    return {"name": info.name, "rows": info.rows, "min_id": info.min_id, "max_id": info.max_id}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row proposed by the index: its unit id and its normalised source."""

    unit_id: int
    text: str


class IndexSegment:
    """A built segment opened read-only; arrays are memory-mapped, not read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Plain ndarray views of the maps: indexing a np.memmap object costs more per call.
        load = lambda name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))  # noqa: E731
        self.vocab_hash = load("vocab_hash")
        self.offsets = load("offsets")
        self.postings = load("postings")
        self.ids = load("ids")
        self.lengths = load("lengths")
        self.text_offsets = load("text_offsets")
        self.rows = len(self.ids)
        self._text = _map(folder / "text.bin")
        self._vocab: list[str] | None = None

    def text(self, row: int) -> str:
        """The normalised source of a row."""
        start, end = int(self.text_offsets[row]), int(self.text_offsets[row + 1])
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
        """Rows that may score at least ``min_score`` against the normalised ``query``; rows of the
        unit ids in ``dead`` (sorted) are no longer current and never proposed."""
        starts, ends = self.lookup(words(query))
        if not len(starts):
            return []
        df = ends - starts
        order = np.argsort(df, kind="stable")
        total = np.cumsum(df[order])
        take = max(int(np.searchsorted(total, POSTING_BUDGET, side="right")), min(MIN_WORDS, len(order)))
        chosen = order[:take]
        parts = [self.postings[starts[i] : ends[i]] for i in chosen]
        weights = np.concatenate(
            [np.full(int(df[i]), math.log1p(self.rows / max(int(df[i]), 1)), np.float32) for i in chosen]
        )
        rows, inverse = np.unique(np.concatenate(parts), return_inverse=True)
        score = np.bincount(inverse, weights=weights)
        low, high = length_window(len(query), min_score)
        lengths = self.lengths[rows]
        fits = (lengths >= low) & (lengths <= high)
        rows, score = rows[fits], score[fits]
        if dead is not None and len(dead) and len(rows):
            current = ~np.isin(self.ids[rows], dead)
            rows, score = rows[current], score[current]
        if len(rows) > limit:
            best = np.argpartition(-score, limit - 1)[:limit]
            rows = rows[best]
        text = self._text
        starts, ends = self.text_offsets[rows].tolist(), self.text_offsets[rows + 1].tolist()
        return [
            Candidate(unit_id, text[a:b].decode("utf-8"))
            for unit_id, a, b in zip(self.ids[rows].tolist(), starts, ends, strict=True)
        ]

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
