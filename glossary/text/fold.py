"""Folding of text for name matching (case, apostrophes, diacritics, Kazakh letters) with offset maps.

Folding is only ever used to *find* names; spans are reported in the original text.

Decisions:
- Case, ``ё``/``е`` and Latin diacritics (``ë ï ä ö ü ş ğ ñ ū``...) fold away through NFD.
- Apostrophe and prime variants (``ʹ ’ ' ʺ ” ʼ``) and the BGN/PCGN separator dot ``·`` are
  deleted, so ``Yelʹtsin``, ``Yel'tsin`` and ``Yeltsin`` meet; so are combining marks.
- Every other character that is not a letter, digit or mark (spaces, punctuation, symbols,
  emoji) becomes a space, so a form can be searched with a leading space that stands for
  "a word starts here" (``Kassym-Jomart`` and ``Kassym Jomart`` meet too).
- An apostrophe after a French elided article (``d'Almaty``, ``l'ONU``) becomes a space.
- Kazakh letters fold to their Russian neighbours (``қ→к ә→а ө→о ұ ү→у ғ→г ң→н һ→х і→и``):
  a Kazakh spelling in a Russian text (``Тоқаев``) is a real-world error worth finding, and the
  term base keeps both spellings apart anyway, so the fold never decides which one is right.
- ``й`` keeps its breve (``й`` and ``и`` are different letters in every Cyrillic orthography).

Every mapping is one code point to one code point or to nothing, so a text without
deletable characters folds with ``str.translate`` alone and keeps its offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from glossary.text.elision import mark_elisions

APOSTROPHES = "'\"ʹʺʼʻʽ‘’‛“”„″′´`"
_DELETED_EXTRA = "·‧·\u00ad\u200b\u200c\u200d\ufeff"
_KAZAKH = {"қ": "к", "ә": "а", "ө": "о", "ұ": "у", "ү": "у", "ғ": "г", "ң": "н", "һ": "х", "і": "и"}
_KEEP = {"й", "Й"}
_RANGES = (
    (0x0000, 0x0250),
    (0x02B0, 0x0370),
    (0x0400, 0x0530),
    (0x1AB0, 0x1B00),
    (0x1DC0, 0x1F00),
    (0x2000, 0x2070),
    (0x20D0, 0x2100),
    (0xFE20, 0xFE30),
    (0x2190, 0x2C00),
    (0x2E00, 0x3040),
    (0xFE30, 0xFF20),
    (0x1F000, 0x1FB00),
)


def _fold_char(ch: str) -> str:
    """The folded form of one character ('' for deletion); always at most one character."""
    if ch in APOSTROPHES or ch in _DELETED_EXTRA or unicodedata.category(ch) == "Mn":
        return ""
    if ch.isspace() or unicodedata.category(ch)[0] in "PSZC":
        return " "
    if ch in ("İ", "ı"):
        return "i"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    if low in _KEEP:
        return low
    decomposed = unicodedata.normalize("NFD", low)
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        low = decomposed[0]
    return _KAZAKH.get(low, low)


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for first, last in _RANGES:
        for cp in range(first, last):
            ch = chr(cp)
            folded = _fold_char(ch)
            if folded != ch:
                table[cp] = folded or None
    return table


_TABLE = _build_table()
_DELETED = "".join(chr(cp) for cp, value in _TABLE.items() if value is None)
_DELETED_RE = re.compile("[" + re.escape(_DELETED) + "]")


def char_class(chars: Iterable[str]) -> str:
    """A regex character class written as ranges (a class of thousands of single code points is
    slow to match; the same set as a few hundred ranges is fast)."""
    points = sorted(ord(ch) for ch in chars)
    parts: list[str] = []
    first = last = points[0]
    for point in [*points[1:], -1]:
        if point == last + 1:
            last = point
            continue
        parts.append(re.escape(chr(first)) + ("" if first == last else "-" + re.escape(chr(last))))
        first = last = point
    return "[" + "".join(parts) + "]"


# What is still to fold once ``str.lower()`` has done the case: punctuation, ё, Kazakh letters,
# diacritics, apostrophes. Few characters of a text, so a regex pass beats ``str.translate``,
# which has no fast path outside ASCII.
_AFTER_LOWER = {chr(cp): value or "" for cp, value in _TABLE.items() if chr(cp) == chr(cp).lower()}
_AFTER_LOWER_RE = re.compile(char_class(_AFTER_LOWER))


def _replace(match: re.Match[str]) -> str:
    return _AFTER_LOWER[match.group()]


# Kazakh letters are frequent in Kazakh text: one ``str.replace`` each is cheaper than a regex
# callback each time. Their folds are letters the table leaves alone, so replacing them first
# gives what the regex alone gives.
_KAZAKH_LOWER = tuple((letter, _AFTER_LOWER[letter]) for letter in _KAZAKH)
assert not any(folded in _AFTER_LOWER for _, folded in _KAZAKH_LOWER)


def _translate(text: str) -> str:
    if text.isascii():
        return text.translate(_TABLE)  # CPython caches ASCII translations: faster still
    lowered = text.lower()
    if len(lowered) != len(text):
        # İ and a few others lower to two code points: keep them for the table, which folds
        # them to one, so offsets hold.
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
        return lowered.translate(_TABLE)
    if "і" in lowered:  # the commonest Kazakh letter: most likely a Kazakh text
        for letter, folded in _KAZAKH_LOWER:
            lowered = lowered.replace(letter, folded)
    return _AFTER_LOWER_RE.sub(_replace, lowered)


def fold(text: str) -> str:
    """The folded form of ``text`` (used for term forms and for the text to scan alike)."""
    return _translate(mark_elisions(text))


class FoldedText:
    """A folded text and the map from its positions back to the original text."""

    __slots__ = ("_shifts", "folded", "original", "shifted")

    def __init__(self, text: str) -> None:
        self.original = text
        marked = mark_elisions(text)  # same length; elided apostrophes are now spaces, not deleted
        self.folded = _translate(marked)
        # Deletions are rare (apostrophes, marks); positions shift only after them.
        if len(self.folded) == len(text):
            self._shifts: list[int] = []
        else:
            deleted = [m.start() for m in _DELETED_RE.finditer(marked)]
            self._shifts = [pos - index for index, pos in enumerate(deleted)]
        self.shifted = bool(self._shifts)

    def start(self, index: int) -> int:
        """Original offset of the folded character at ``index``."""
        if not self._shifts:
            return index
        return index + bisect_right(self._shifts, index)

    def end(self, index: int) -> int:
        """Original offset just after the folded character ``index - 1``, with its combining marks."""
        if not self._shifts:
            return index
        end = self.start(index - 1) + 1
        text = self.original
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        return end


def is_word_char(ch: str) -> bool:
    """Whether ``ch`` continues a word (letters, digits, combining marks; not apostrophes)."""
    if ch.isalnum():
        return ch not in APOSTROPHES
    return unicodedata.combining(ch) != 0
