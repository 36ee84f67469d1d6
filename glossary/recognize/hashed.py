"""Stable 64-bit hashes of strings, and sorted tables of them probed for many strings in one call."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: every power of it is a distinct odd number
_LENGTH = np.uint64(0xD6E8FEB86659FD93)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_INVERSE = np.uint64(pow(int(_MULTIPLIER), -1, 1 << 64))


def _powers(count: int) -> np.ndarray:
    """``_MULTIPLIER ** k`` modulo 2**64, for k below ``count``."""
    powers = np.full(max(count, 1), _MULTIPLIER, dtype=np.uint64)
    powers[0] = 1
    return np.cumprod(powers, dtype=np.uint64)  # wraps modulo 2**64, as meant


def hashes(texts: Sequence[str]) -> np.ndarray:
    """The 64-bit hash of each text (``uint64``), the same in every process and on every machine.

    A polynomial over the text's code points (each plus one, so a NUL counts), its length mixed
    in, then SplitMix64's finaliser; all of it in numpy over the texts joined, without a Python
    step per character.
    """
    count = len(texts)
    if not count:
        return np.zeros(0, dtype=np.uint64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=count)
    # Each text is followed by one NUL so that no segment is empty (reduceat needs that).
    joined = "\0".join(texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    sizes = lengths + 1
    starts = np.zeros(count, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    position = np.arange(codes.size, dtype=np.int64) - np.repeat(starts, sizes)
    terms = (codes.astype(np.uint64) + np.uint64(1)) * _powers(int(sizes.max()))[position]
    return _finish(np.add.reduceat(terms, starts), lengths)


def _finish(value: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The hash from the polynomial ``value`` of a text of ``lengths`` code points."""
    value = value ^ (lengths.astype(np.uint64) * _LENGTH)
    value = (value ^ (value >> _SHIFTS[0])) * _MIX_1
    value = (value ^ (value >> _SHIFTS[1])) * _MIX_2
    return value ^ (value >> _SHIFTS[2])


def headed_hashes(text: str, heads: np.ndarray, begins: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``hashes([chr(head) + text[begin:end] ...])`` for each (head, begin, end), without making
    the strings: the polynomial of a substring comes from prefix sums over ``text`` (the powers
    of the odd multiplier have inverses modulo 2**64), so the cost is a few numpy passes over the
    text and over the substrings, however many there are."""
    if not heads.size:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    powers = _powers(codes.size + 2)
    inverse = np.full(codes.size + 1, _INVERSE, dtype=np.uint64)
    inverse[0] = 1
    inverse = np.cumprod(inverse, dtype=np.uint64)
    prefix = np.zeros(codes.size + 1, dtype=np.uint64)
    np.cumsum((codes.astype(np.uint64) + np.uint64(1)) * powers[:-2], out=prefix[1:])
    # The head at M**0, then (c_j + 1) * M**(j - begin + 1) over the substring, then the NUL
    # that :func:`hashes` puts after every text (1 * M**length).
    lengths = ends - begins + 1
    body = (prefix[ends] - prefix[begins]) * inverse[begins] * _MULTIPLIER
    value = heads.astype(np.uint64) + np.uint64(1) + body + powers[lengths]
    return _finish(value, lengths)


def held(table: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashes of ``wanted`` that the sorted ``table`` holds: their places in ``wanted`` and
    in ``table``."""
    if not table.size or not wanted.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    at = np.searchsorted(table, wanted)
    at[at == table.size] = 0
    found = np.flatnonzero(table[at] == wanted)
    return found, at[found]


def positions(table: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """Where each text's hash stands in the sorted ``table`` (``int64``), -1 where it is absent."""
    result = np.full(len(texts), -1, dtype=np.int64)
    if len(texts):
        found, at = held(table, hashes(texts))
        result[found] = at
    return result


def contains(table: np.ndarray, texts: Sequence[str]) -> list[bool]:
    """Whether each text's hash is in the sorted ``table``."""
    return (positions(table, texts) >= 0).tolist()
