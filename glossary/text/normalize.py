"""The forms text is compared in: NFC, caseless (NFC + casefold) and caseless with spans back to the text."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C (``и`` + U+0306 becomes ``й``)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def caseless(text: str) -> str:
    """NFC, then case folded, then NFC again: ``Straße`` → ``strasse``, any spelling of ``Ё`` → ``ё``.

    Case folding can leave decomposed sequences (``İ`` → ``i`` + U+0307), hence the second NFC.
    """
    if text.isascii():
        return text.lower()
    return nfc(nfc(text).casefold())


def compact(text: str) -> str:
    """The form the memory compares and indexes: caseless, runs of white space as one space, trimmed."""
    return " ".join(caseless(text).split())


class CaselessText:
    """A text in caseless form with the way back: each folded character knows the span of the
    original characters it came from, so a hit in the folded text is highlighted in the original."""

    __slots__ = ("_ends", "_starts", "folded")

    def __init__(self, text: str) -> None:
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for start, end in _clusters(text):
            piece = caseless(text[start:end])
            pieces.append(piece)
            starts.extend([start] * len(piece))
            ends.extend([end] * len(piece))
        self.folded = "".join(pieces)
        self._starts, self._ends = starts, ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded characters ``start:end`` (``end`` > ``start``)."""
        return self._starts[start], self._ends[end - 1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of a base character with the combining marks that follow it (folded as one piece)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            spans.append((start, i))
            start = i
    return spans
