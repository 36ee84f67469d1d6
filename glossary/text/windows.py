"""Splits a very long paragraph into sentences window by window, so time grows linearly with its length."""

from __future__ import annotations

from collections.abc import Callable, Iterator

# pysbd rewrites the whole text once per abbreviation it finds, so its time grows with the square of
# a paragraph's length (an 80 KB paragraph took 11 s). Paragraphs up to WINDOW characters (every
# paragraph of ordinary prose) are split in one call, exactly as before; longer ones window by window.
WINDOW = 3000
# A boundary is taken from a window only when at least MARGIN characters follow it there: what
# pysbd decides at a boundary depends on the text just after it, never on text this far away
# (short of a quotation or parenthesis longer than MARGIN that opens before it).
MARGIN = 600


def split_windows(
    text: str, segment: Callable[[str], list[str]], *, size: int = WINDOW, margin: int = MARGIN
) -> Iterator[str]:
    """The sentences of ``text`` (stripped, none empty) as ``segment`` splits them, calling it only
    on pieces of at most ``size`` characters, on about ``len(text) / (size - margin)`` of them.

    Each window starts at a sentence start. Its sentences that end at least ``margin`` characters
    before its end are taken, except its last, and the next window starts where the first sentence
    not taken starts. A sentence so long that nothing in the first quarter of a window can be taken
    is cut at the last white space before the margin (anywhere, if there is none there): every
    window moves on by a quarter of ``size`` at least, so the work is linear in ``len(text)``.
    """
    if size <= 2 * margin or margin < 0:
        raise ValueError(f"window of {size} characters with a margin of {margin}: need size > 2 * margin")
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        spans = _locate(window, segment(window))
        limit = size - margin
        taken = 0
        while taken < len(spans) - 1 and spans[taken][1] <= limit:
            taken += 1
        next_start = spans[taken][0] if spans else 0
        for begin, end in spans[:taken]:
            yield window[begin:end]
        if next_start >= size // 4:
            start += next_start
            continue
        cut = _last_space(window, next_start, limit, size // 4)
        piece = window[next_start:cut].strip()
        if piece:
            yield piece
        start += cut
    yield from (part for part in (piece.strip() for piece in segment(text[start:])) if part)


def _locate(window: str, parts: list[str]) -> list[tuple[int, int]]:
    """Where each of ``parts`` (sentences of ``window`` in order) stands in it, as far as they are found."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for part in parts:
        sentence = part.strip()
        if not sentence:
            continue
        begin = window.find(sentence, cursor)
        if begin < 0:  # a splitter that changed the text: what is not found is split again later
            break
        cursor = begin + len(sentence)
        spans.append((begin, cursor))
    return spans


def _last_space(window: str, begin: int, limit: int, least: int) -> int:
    """The position of the last white space in ``window[begin:limit]`` past ``least``, else ``limit``."""
    for position in range(limit - 1, max(begin, least) - 1, -1):
        if window[position].isspace():
            return position
    return limit
