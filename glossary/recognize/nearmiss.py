"""Misspelled names: capitalised words a small edit away from a known person or place form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from operator import add

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from glossary.recognize.hashed import hashes, headed_hashes, held
from glossary.text.fold import char_class, fold

MIN_LENGTH = 5
LONG_LENGTH = 8
NEAR_KINDS = ("person", "place")
_MOST = 2  # the most edits allowed at any length
_FEW_WORDS = 6  # up to this many words, probe keys are made as strings (numpy's overhead dominates)
_FILTER_BITS = 25  # a bitmap of 2**25 bits (4 MB) over the top bits of the key hashes

_UPPER = "".join(chr(cp) for cp in range(0x41, 0x2000) if chr(cp).isupper() and chr(cp).isalpha())
# A capitalised word, hyphenated parts kept (Kassym-Jomart). An apostrophe ends a word, so
# elided French articles (d'Almaty) and English possessives (Nazarbyev's) stay outside.
_WORD = rf"{char_class(_UPPER)}[^\W_]*(?:-[^\W\d_]+)*"
# The first word is preceded by no letter or digit. The pattern starts with the capital and looks
# back from after it (rather than looking behind first), so the regex engine skips to the next
# capital in C instead of trying every position.
_FIRST_WORD = rf"{char_class(_UPPER)}(?<![^\W_].)[^\W_]*(?:-[^\W\d_]+)*"
_CANDIDATE = re.compile(rf"({_FIRST_WORD})(?: ({_WORD}))?(?![^\W_])")

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


def _layout(length: int) -> tuple[tuple[int, int], ...]:
    """(start, length) of the pieces a form of ``length`` letters is cut into: one more piece than
    edits allowed, the longer pieces last (PassJoin's even partition)."""
    count = max_distance(length) + 1
    short, extra = divmod(length, count)
    pieces, start = [], 0
    for number in range(count):
        size = short + (1 if number >= count - extra else 0)
        pieces.append((start, size))
        start += size
    return tuple(pieces)


def _tag(length: int, piece: int) -> str:
    """A private-use character naming a form length and a piece number (keys never meet text)."""
    return chr(0xF0000 + length * 4 + piece)


@cache
def _probe_arrays(length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_probes` of ``length`` as arrays: tag code points, substring starts and ends."""
    tags, slices = _probes(length)
    return (
        np.fromiter(map(ord, tags), dtype=np.int64, count=len(tags)),
        np.fromiter((part.start for part in slices), dtype=np.int64, count=len(slices)),
        np.fromiter((part.stop for part in slices), dtype=np.int64, count=len(slices)),
    )


@cache
def _probes(length: int) -> tuple[tuple[str, ...], tuple[slice, ...]]:
    """The keys a word of ``length`` letters is looked up under: for each form length within reach
    and each piece of that form, the word's substrings where the piece can stand after the allowed
    edits (PassJoin's multi-match-aware windows: a piece that matches further out would not be the
    first or last intact one)."""
    tags: list[str] = []
    slices: list[slice] = []
    reach = max_distance(length)
    for form_length in range(max(MIN_LENGTH, length - reach), length + reach + 1):
        edits = max_distance(form_length)
        shift = length - form_length
        if abs(shift) > min(edits, reach):
            continue
        for number, (start, size) in enumerate(_layout(form_length)):
            low = max(-number, shift - (edits - number))
            high = min(number, shift + (edits - number))
            for delta in range(low, high + 1):
                begin = start + delta
                if begin >= 0 and begin + size <= length:
                    tags.append(_tag(form_length, number))
                    slices.append(slice(begin, begin + size))
    return tuple(tags), tuple(slices)


def piece_keys(form: str) -> set[str]:
    """The keys a form is found under: its pieces, and the pieces of its copies with the letters
    around a piece boundary swapped (a transposition across a boundary spoils two pieces)."""
    length = len(form)
    layout = _layout(length)
    boundaries = [start for start, _ in layout[1:]]
    keys: set[str] = set()
    for mask in range(1 << len(boundaries)):
        letters = list(form)
        for bit, at in enumerate(boundaries):
            if mask >> bit & 1:
                letters[at - 1], letters[at] = letters[at], letters[at - 1]
        variant = "".join(letters)
        for number, (start, size) in enumerate(layout):
            keys.add(_tag(length, number) + variant[start : start + size])
    return keys


class NearMissIndex:
    """Folded person and place forms, found from a misspelling by PassJoin's partition filter.

    A form of length m is cut into d + 1 pieces, d the edits allowed at that length: a word
    within d edits leaves at least one piece intact, near where it stood. A word is looked up
    under a handful of its substrings (about 6 keys up to 7 letters, 19 beyond), so a word far
    from every form costs a few hash probes; only words that share a piece are compared
    with rapidfuzz. Unlike a delete index (SymSpell), the index holds about ten keys per form,
    so it is small enough to store and load with the recognizer.

    The keys are kept as their sorted 64-bit hashes (:mod:`glossary.recognize.hashed`), the
    postings in the same order: a loaded index is probed as it lies, with nothing to build, and a
    batch of words costs one numpy search. Keys whose hashes collide share one merged posting
    list: a form filed under a key a word does not have is only one more comparison, never a
    wrong answer (every comparison is exact).
    """

    def __init__(
        self, forms: Sequence[str], key_hashes: Sequence[int], offsets: Sequence[int], postings: Sequence[int]
    ) -> None:
        self.forms = forms
        self.known = frozenset(forms)
        self.longest = max((len(form) for form in forms), default=0) + 2
        self._hashes = np.asarray(key_hashes, dtype=np.uint64)
        self._offsets = offsets
        self._postings = postings
        self._decoded: dict[int, tuple[tuple[int, ...], tuple[str, ...]]] = {}
        self._filter: np.ndarray | None = None

    @classmethod
    def build(cls, forms: Iterable[str]) -> NearMissIndex:
        """The index of the distinct ``forms`` long enough to be misspelt, in the order given."""
        kept: list[str] = []
        seen: set[str] = set()
        for form in forms:
            if form not in seen and max_distance(len(form)) > 0:
                seen.add(form)
                kept.append(form)
        postings: dict[str, list[int]] = {}
        for number, form in enumerate(kept):
            for key in piece_keys(form):
                postings.setdefault(key, []).append(number)
        keys = list(postings)
        key_hashes = hashes(keys)
        order = np.argsort(key_hashes, kind="stable").tolist()
        ordered = key_hashes[order].tolist() if keys else []
        unique: list[int] = []
        offsets = [0]
        flat: list[int] = []
        for at, number in enumerate(order):
            value = ordered[at]
            if unique and unique[-1] == value:
                # Two keys, one hash: one posting list holding the forms of both, in order.
                start = offsets[-2]
                merged = sorted(set(flat[start:]) | set(postings[keys[number]]))
                del flat[start:]
                flat.extend(merged)
                offsets[-1] = len(flat)
                continue
            unique.append(value)
            flat.extend(postings[keys[number]])
            offsets.append(len(flat))
        return cls(kept, np.asarray(unique, dtype=np.uint64), offsets, flat)

    def tables(self) -> tuple[Sequence[str], np.ndarray, Sequence[int], Sequence[int]]:
        """What :meth:`__init__` takes: forms, sorted key hashes, offsets into postings, postings."""
        return self.forms, self._hashes, self._offsets, self._postings

    def _posting(self, key: int) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The numbers and forms filed under key number ``key``, ascending (decoded once)."""
        found = self._decoded.get(key)
        if found is None:
            chunk = self._postings[self._offsets[key] : self._offsets[key + 1]]
            numbers = tuple(chunk.tolist() if hasattr(chunk, "tolist") else chunk)
            found = self._decoded[key] = (numbers, tuple(map(self.forms.__getitem__, numbers)))
        return found

    def _probe_few(self, words: Sequence[str], asked: list[int]) -> tuple[list[int], np.ndarray, np.ndarray]:
        """For each probe key of the ``asked`` words that the index holds: its word's position,
        the probe's number and the key's number, as (owners of every probe, probes, keys); each
        word's probes together. The keys are made as strings (few words: fewer numpy calls)."""
        probes: list[str] = []
        owners: list[int] = []
        for position in asked:
            word = words[position]
            tags, slices = _probes(len(word))
            mine = set(map(add, tags, map(word.__getitem__, slices)))
            probes.extend(mine)
            owners.extend([position] * len(mine))
        hit, keys = self._find(hashes(probes))
        return owners, hit, keys

    def _probe_many(self, words: Sequence[str], asked: list[int]) -> tuple[list[int], np.ndarray, np.ndarray]:
        """:meth:`_probe_few` for many words: the probe hashes computed in numpy from the words
        joined (no substring objects), grouped by word length."""
        chosen = [words[position] for position in asked]
        lengths = np.fromiter(map(len, chosen), dtype=np.int64, count=len(chosen))
        starts = np.zeros(len(chosen), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        heads, begins, ends, owners_parts = [], [], [], []
        order = np.argsort(lengths, kind="stable")
        sorted_lengths = lengths[order]
        bounds = np.flatnonzero(np.diff(sorted_lengths)) + 1
        for group in np.split(order, bounds):
            tags, first, last = _probe_arrays(int(lengths[group[0]]))
            at = starts[group][:, None]
            heads.append(np.broadcast_to(tags, (group.size, tags.size)).ravel())
            begins.append((at + first).ravel())
            ends.append((at + last).ravel())
            owners_parts.append(np.repeat(group, tags.size))
        joined = "".join(chosen)
        wanted = headed_hashes(joined, np.concatenate(heads), np.concatenate(begins), np.concatenate(ends))
        owners = np.asarray(asked, dtype=np.int64)[np.concatenate(owners_parts)].tolist()
        hit, keys = self._find(wanted)
        return owners, hit, keys

    def _find(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of the hashes ``wanted`` are keys of the index, and the numbers of those keys. A
        bitmap over the top bits of the key hashes turns most away before the binary search."""
        if not self._hashes.size:
            return held(self._hashes, wanted)
        top = wanted >> np.uint64(64 - _FILTER_BITS)
        bitmap = self._bitmap()
        maybe = np.flatnonzero((bitmap[top >> np.uint64(3)] >> (top & np.uint64(7)).astype(np.uint8)) & 1)
        found, at = held(self._hashes, wanted[maybe])
        return maybe[found], at

    def _bitmap(self) -> np.ndarray:
        """One bit for each value of the top bits of a key hash, set where some key has them."""
        bitmap = self._filter
        if bitmap is None:
            top = self._hashes >> np.uint64(64 - _FILTER_BITS)
            bitmap = np.zeros(1 << (_FILTER_BITS - 3), dtype=np.uint8)
            bits = np.left_shift(1, top & np.uint64(7)).astype(np.uint8)
            np.bitwise_or.at(bitmap, top >> np.uint64(3), bits)
            self._filter = bitmap
        return bitmap

    def nearest(self, word: str) -> tuple[int, int] | None:
        """(form index, distance) of the closest form within its allowed distance, if any."""
        return self.nearest_many((word,))[0]

    def nearest_many(self, words: Sequence[str]) -> list[tuple[int, int] | None]:
        """:meth:`nearest` of each word, the comparisons of the whole batch grouped by piece.

        The probes of the whole batch are looked up in one numpy search. The words that share a
        piece with some form are compared with the forms filed under each piece they share, one
        rapidfuzz call per piece for all the words of the batch that share it: a piece of common
        syllables shared with a thousand forms costs no Python per form. Only the pairs within
        two edits come back to Python, where the exact rules (the allowed distance of both,
        derived words) apply.
        """
        known, longest = self.known, self.longest
        asked = [
            position for position, word in enumerate(words)
            if MIN_LENGTH <= len(word) <= longest and word not in known
        ]
        sharing: dict[int, list[int]] = {}
        if asked:
            probe = self._probe_few if len(asked) <= _FEW_WORDS else self._probe_many
            owners, hit, found = probe(words, asked)
            for at, key in zip(hit.tolist(), found.tolist(), strict=True):
                position = owners[at]
                holders = sharing.get(key)
                if holders is None:
                    sharing[key] = [position]
                elif holders[-1] != position:  # two probes of a word, one key: a hash collision
                    holders.append(position)
        results: list[tuple[int, int] | None] = [None] * len(words)
        for key, holders in sharing.items():
            numbers, forms = self._posting(key)
            if len(holders) == 1:
                word = words[holders[0]]
                close = [(0, at, int(distance)) for _, distance, at in process.extract(
                    word, forms, scorer=OSA.distance, score_cutoff=_MOST, limit=None)]
            else:
                queries = [words[position] for position in holders]
                matrix = process.cdist(queries, forms, scorer=OSA.distance, score_cutoff=_MOST)
                rows, columns = np.nonzero(matrix <= _MOST)
                distances = matrix[rows, columns].tolist()
                close = list(zip(rows.tolist(), columns.tolist(), distances, strict=True))
            for row, at, distance in close:
                position = holders[row]
                word, form = words[position], forms[at]
                limit = min(max_distance(len(form)), max_distance(len(word)))
                # A known form plus letters is a derived word (Kazakhstani, Russians), not a typo.
                if distance > limit or word.startswith(form) or form.startswith(word):
                    continue
                best = results[position]
                # The closest form wins; of equally close ones, the first (as comparing in order).
                if best is None or (distance, numbers[at]) < best[::-1]:
                    results[position] = (numbers[at], distance)
        return results


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


def candidate_words(text: str) -> list[tuple[str, str]]:
    """Every capitalised word of ``text`` with the capitalised word after it, if any (else "")."""
    return _CANDIDATE.findall(text)


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


def is_stopword(word: str, folded: str | None = None) -> bool:
    """Whether ``word`` (folded: ``folded``) is a common capitalised word (sentence openers, titles)."""
    return (fold(word) if folded is None else folded) in _STOPWORDS


def is_common_russian_word(word: str) -> bool:
    """Whether pymorphy3 knows ``word`` only as an ordinary word (no name, surname or place)."""
    from glossary.recognize.inflect.russian import analyzer

    morph = analyzer()
    if not morph.word_is_known(word.lower()):
        return False
    name_tags = ("Name", "Surn", "Patr", "Geox")
    return not any(tag in parse.tag for parse in morph.parse(word) for tag in name_tags)
