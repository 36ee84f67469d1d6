"""Misspelled names: capitalised words a small edit away from a known person or place form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from glossary.text.fold import char_class, fold

MIN_LENGTH = 5
LONG_LENGTH = 8
NEAR_KINDS = ("person", "place")

_UPPER = "".join(chr(cp) for cp in range(0x41, 0x2000) if chr(cp).isupper() and chr(cp).isalpha())
# A capitalised word, hyphenated parts kept (Kassym-Jomart). An apostrophe ends a word, so
# elided French articles (d'Almaty) and English possessives (Nazarbyev's) stay outside.
_WORD = rf"{char_class(_UPPER)}[^\W_]*(?:-[^\W\d_]+)*"
_CANDIDATE = re.compile(rf"(?<![^\W_])({_WORD})(?: ({_WORD}))?(?![^\W_])")

# Capitalised words that begin sentences or head titles; never a misspelled name.
_STOPWORDS = frozenset(
    fold(word)
    for word in """
    about above after again against although among another because before being below between
    both could during every first further having however indeed instead later might never other
    otherwise perhaps please rather since still their there these thereby therefore these those
    though through today under until where whether which while would yesterday another second
    third fourth fifth minister ministry president premier secretary general colonel committee
    council security national republic federation russian russians kazakh kazakhs update source
    sources meanwhile moreover overall selected thirdly finally notably reportedly earlier again
    aber allerdings auch außerdem bereits damit danach dabei deshalb dennoch diese dieser dieses
    jedoch nachdem obwohl seitdem sowie trotzdem während weitere zudem zwischen heute gestern
    ainsi alors après aujourd'hui avant cependant depuis donc encore enfin ensuite hier lorsque
    malgré néanmoins parce pendant plusieurs pourtant puisque quand selon toutefois
    rahmen runde seite stelle lage frage woche monate jahre regierung kräfte truppen
    кейін бірақ алайда сонымен осылайша бүгін кеше енді сондай сондықтан себебі дегенмен
    мұнда онда барлық көптеген бұрын қазір әрине шынында
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@dataclass(frozen=True, slots=True)
class NearHit:
    """A misspelled name: where it is and which known form it is closest to."""

    start: int
    end: int
    form: int
    distance: int


def max_distance(length: int) -> int:
    if length < MIN_LENGTH:
        return 0
    return 1 if length < LONG_LENGTH else 2


def _deletes(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` letters left out, in every way."""
    result = {word}
    layer = {word}
    for _ in range(depth):
        layer = {w[:i] + w[i + 1 :] for w in layer for i in range(len(w))}
        result |= layer
    return result


class NearMissIndex:
    """Symmetric-delete index over folded person and place forms (SymSpell's idea)."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms: list[str] = []
        self._deletes: dict[str, list[int]] = {}
        seen: dict[str, int] = {}
        for form in forms:
            if form in seen or max_distance(len(form)) == 0:
                continue
            seen[form] = len(self.forms)
            self.forms.append(form)
        self.known = frozenset(seen)
        # No form is longer than this, so a longer word cannot be a near miss; the bound also
        # keeps a long token (a hash, base64) from spawning its O(n²) deletion variants.
        self.longest = max((len(form) for form in self.forms), default=0) + 2
        for index, form in enumerate(self.forms):
            # Two-word forms keep one deletion on their side (the query side still takes two):
            # every one-edit slip and two extra letters are found, at a fraction of the build time.
            depth = 1 if " " in form else max_distance(len(form))
            for variant in _deletes(form, depth):
                self._deletes.setdefault(variant, []).append(index)

    def nearest(self, word: str) -> tuple[int, int] | None:
        """(form index, distance) of the closest form within its allowed distance, if any."""
        if len(word) < MIN_LENGTH or len(word) > self.longest or word in self.known:
            return None
        best: tuple[int, int] | None = None
        for variant in _deletes(word, 2 if len(word) >= LONG_LENGTH - 2 else 1):
            for index in self._deletes.get(variant, ()):
                form = self.forms[index]
                limit = min(max_distance(len(form)), max_distance(len(word)))
                # A known form plus letters is a derived word (Kazakhstani, Russians), not a typo.
                if limit == 0 or word.startswith(form) or form.startswith(word):
                    continue
                distance = OSA.distance(word, form, score_cutoff=limit)
                if distance <= limit and (best is None or (distance, index) < (best[1], best[0])):
                    best = (index, distance)
        return best


def misspelling_distance(form: str, others: Iterable[str]) -> int:
    """How far a recorded wrong spelling is from the nearest of ``others`` (folded), or 0 when
    none is near enough to call it a misspelling of that form (Nazarbyev → Nazarbayev: 1)."""
    folded = fold(form)
    limit = max_distance(len(folded))
    best = 0
    for other in others:
        target = fold(other)
        bound = min(limit, max_distance(len(target)))
        if bound and target != folded:
            distance = OSA.distance(folded, target, score_cutoff=bound)
            if distance <= bound and (best == 0 or distance < best):
                best = distance
    return best


def candidates(text: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    """Capitalised words and two-word sequences outside ``taken`` spans, as (start, end, word)."""
    if taken:
        # Blank out what is already recognised (same length, so offsets hold).
        parts, position = [], 0
        for start, end in sorted(taken):
            parts.append(text[position:start])
            parts.append(" " * (end - start))
            position = end
        parts.append(text[position:])
        text = "".join(parts)
    for match in _CANDIDATE.finditer(text):
        first, second = match.group(1), match.group(2)
        start = match.start()
        if second is not None:
            yield start, match.end(), match.group()
        if len(first) >= MIN_LENGTH:
            yield start, start + len(first), first
        if second is not None and len(second) >= MIN_LENGTH:
            yield match.start(2), match.end(), second


def word_before(text: str, start: int) -> int | None:
    """Start of the capitalised word right before ``start`` (one space between), if any."""
    if start < 2 or text[start - 1] != " ":
        return None
    begin = text.rfind(" ", max(0, start - 40), start - 1) + 1
    word = text[begin : start - 1]
    if begin == 0 and start > 40:
        return None
    if word[:1].isupper() and word.replace("-", "").isalpha():
        return begin
    return None


def is_stopword(word: str) -> bool:
    """Whether ``word`` is a common capitalised word (sentence openers, titles)."""
    return fold(word) in _STOPWORDS


def is_common_russian_word(word: str) -> bool:
    """Whether pymorphy3 knows ``word`` only as an ordinary word (no name, surname or place)."""
    from glossary.recognize.inflect.russian import analyzer

    morph = analyzer()
    if not morph.word_is_known(word.lower()):
        return False
    name_tags = ("Name", "Surn", "Patr", "Geox")
    return not any(tag in parse.tag for parse in morph.parse(word) for tag in name_tags)
