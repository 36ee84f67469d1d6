"""Spans of known names in a text: every spelling, every script, every case ending."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import NamedTuple

from glossary.recognize.index import MEMO_SIZE, SEPARATOR, FormEntry, TermIndex, compile_index, letters_of
from glossary.recognize.inflect import kazakh, latin
from glossary.recognize.nearmiss import MIN_LENGTH, candidate_words, candidates, word_before
from glossary.text.fold import APOSTROPHES, FoldedText

__all__ = ["Span", "TermIndex", "compile_index", "recognize", "recognize_many"]

_WORD_RUN = re.compile(r"[^\W_]+")
_UNKNOWN = object()
_SUFFIX_MARKS = frozenset(kazakh.HYPHENS + APOSTROPHES)
# Between two texts whose capitalised words are found together: no two-word candidate crosses
# it (the words of a pair are one space apart), and it is no letter or digit.
_JOIN = SEPARATOR + " "


class Span(NamedTuple):
    """One recognised name: code-point offsets into the original text and what it matched.

    A named tuple rather than a frozen dataclass: equally immutable, and several times
    cheaper to create, which shows at tens of thousands of segments per second.
    """

    start: int
    end: int
    surface: str
    concept: str
    term: str
    lang: str
    status: str
    scheme: str | None
    preferred: str | None
    match: str  # "exact" | "folded" | "inflected" | "near_miss"
    distance: int = 0

    def to_json(self) -> dict[str, object]:
        """The span as the ``glossary scan --format json`` contract spells it."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "concept": self.concept,
            "term": self.term,
            "lang": self.lang,
            "status": self.status,
            "scheme": self.scheme,
            "preferred": self.preferred,
            "match": self.match,
            "distance": self.distance,
        }


def _is_word(ch: str) -> bool:
    return ch.isalnum() and ch not in APOSTROPHES


def _suffix_end(text: str, start: int, end: int, lang: str) -> int | None:
    """Where the word goes on to when a case ending follows the name; ``None`` if it is no ending."""
    primary = lang.split("-")[0]
    if text[end] in APOSTROPHES:
        return latin.possessive_end(lang, text, end)
    if primary == "kk" and text[end] in kazakh.HYPHENS:
        run = _WORD_RUN.match(text, end + 1)
        if run and kazakh.accepts(text[start:end], text[end : run.end()]):
            return run.end()
        return end
    if not _is_word(text[end]):
        return end
    run = _WORD_RUN.match(text, end)
    if run is None:
        return None
    suffix = text[end : run.end()]
    stem = text[start:end]
    if primary == "kk" and kazakh.accepts(stem, suffix):
        return run.end()
    if latin.accepts(lang, stem, suffix):
        return run.end()
    return None


def _accepts(entry: FormEntry, surface: str) -> FormEntry | None:
    """``entry`` if the surface's case fits it (abbreviations as written, names capitalised)."""
    if entry.case_sensitive:
        if surface != entry.raw and not (surface.isupper() or letters_of(surface) == entry.letters):
            return None
    elif entry.capital and not surface[:1].isupper():
        return None
    return entry


def _choose(index: TermIndex, key: int, surface: str, lang: str) -> FormEntry | None:
    """The form of automaton key ``key`` that ``surface`` matches: the form written exactly as in
    the text (Тоқаев in Russian text is the Kazakh spelling, not a folded Russian one), else the
    one the text's language prefers; only forms whose case fits."""
    entries = index.key_entries(key)
    if len(entries) == 1:
        return _accepts(entries[0], surface)
    fallback: FormEntry | None = None
    for entry in index.ranked_entries(key, lang):
        if _accepts(entry, surface) is None:
            continue
        if surface == entry.raw:
            return entry
        if fallback is None:
            fallback = entry
    return fallback


_BATCH_TEXTS = 1000  # texts searched together: bounded memory, and per-batch costs amortised


def _hits(
    matches: Iterable[tuple[int, int]], text: str, folded: FoldedText | None, lang: str, index: TermIndex,
    strict: bool,
) -> list[tuple[int, int, int, FormEntry, int]] | None:
    """Accepted matches as (start, -end, order, entry, stem end); ``None`` if ``strict`` and one
    fails. ``folded`` maps folded offsets back to the text where folding deleted characters."""
    size = len(text)
    memo = index.choice_memo.get(lang)
    if memo is None:
        memo = index.choice_memo[lang] = {}
    lengths = index.key_lengths
    found: list[tuple[int, int, int, FormEntry, int]] = []
    for last, number in matches:
        # ``last`` indexes the haystack, one ahead of the folded text; the key's space is not text.
        start, end = last - lengths[number] + 1, last
        if folded is not None:
            start, end = folded.start(start), folded.end(end)
        full_end = end
        if end < size:
            after = text[end]
            if (after.isalnum() and after not in APOSTROPHES) or after in _SUFFIX_MARKS:
                found_end = _suffix_end(text, start, end, lang)
                if found_end is None:
                    if strict:
                        return None
                    continue
                full_end = found_end
        surface = text[start:end]
        key = (number, surface)
        entry = memo.get(key, _UNKNOWN)
        if entry is _UNKNOWN:
            entry = memo[key] = _choose(index, number, surface, lang)
            if len(memo) > MEMO_SIZE:
                memo.clear()
        if entry is None:
            if strict:
                return None
            continue
        found.append((start, -full_end, len(found), entry, end))  # type: ignore[arg-type]
    return found


def _exact_spans(texts: Sequence[str], lang: str, index: TermIndex) -> list[list[Span]]:
    results: list[list[Span]] = [[] for _ in texts]
    if not index.size:
        return results  # an empty term base: pyahocorasick has no automaton to run
    automaton = index.automaton
    iter_long = automaton.iter_long
    misspellings = index.misspellings
    # Each text is searched on its own haystack: pyahocorasick converts the whole string on
    # every call (so one call a text over a joined haystack would cost its length each time),
    # and its ``iter_long`` can miss a match depending on the characters before it.
    for number, text in enumerate(texts):
        folded_text = FoldedText(text)
        haystack = " " + folded_text.folded
        matches = list(iter_long(haystack))
        if not matches:
            continue
        folded = folded_text if folded_text.shifted else None
        # The leading-space keys make the automaton's leftmost-longest matches the spans we want,
        # unless a longest match fails a check (case, word end): then every match is looked at.
        found = _hits(matches, text, folded, lang, index, strict=True)
        if found is None:
            found = _hits(automaton.iter(haystack), text, folded, lang, index, strict=False) or []
        # Leftmost, then longest: a long name swallows the shorter names inside it.
        if len(found) > 1:
            found.sort()
        spans = []
        last_end = 0
        for start, negative_end, _, entry, stem_end in found:
            end = -negative_end
            if start < last_end:
                continue
            last_end = end
            surface = text[start:end]
            distance = misspellings.get((entry.concept_id, entry.term.text), 0) if misspellings else 0
            if distance:
                how = "near_miss"
            elif entry.inflected or end != stem_end:
                how = "inflected"
            elif surface == entry.term.text:
                how = "exact"
            else:
                how = "folded"
            spans.append(_span(index, entry, start, end, surface, how, distance, lang))
        results[number] = _widen_people(text, lang, index, spans) if spans else spans
    return results


def _span(
    index: TermIndex, entry: FormEntry, start: int, end: int, surface: str, how: str, distance: int, lang: str
) -> Span:
    term = entry.term
    preferred = index.preferred_memo.get((entry.concept, lang, term.type), _UNKNOWN)
    if preferred is _UNKNOWN:
        preferred = index.preferred(entry.concept, lang, term.type)
    return Span(
        start,
        end,
        surface,
        entry.concept_id,
        term.text,
        term.lang,
        term.status,
        term.scheme,
        preferred,
        how,
        distance,  # type: ignore[arg-type]
    )


def _near_spans(
    text: str, lang: str, index: TermIndex, taken: list[tuple[int, int]],
    answers: dict[str, tuple[int, int]],
) -> list[Span]:
    """The misspelt names of ``text``: ``answers`` holds the hits of its capitalised words."""
    spans: list[Span] = []
    for start, end, word in candidates(text, taken):
        if spans and start < spans[-1].end:
            continue
        hit = answers.get(word)
        if hit is None:
            continue
        form, distance = hit
        spans.append(_span(index, index.near_entry(form), start, end, word, "near_miss", distance, lang))
    return spans


def _widen_people(text: str, lang: str, index: TermIndex, spans: list[Span]) -> list[Span]:
    """A surname found as written, after a misspelled first name: the whole name is the near miss
    (``Andrej Serdjukow`` for ``Andrei Serdjukow``)."""
    result: list[Span] = []
    for span in spans:
        if " " in span.surface or not index.first_names(span.concept):
            result.append(span)
            continue
        before = word_before(text, span.start)
        if before is not None and (not result or result[-1].end <= before):
            entry = index.misspelt_first_name(span.concept, text[before : span.start - 1])
            if entry is not None:
                surface = text[before : span.end]
                span = _span(index, entry, before, span.end, surface, "near_miss", 1, lang)
        result.append(span)
    return result


def _add_near_misses(texts: Sequence[str], lang: str, index: TermIndex, results: list[list[Span]]) -> None:
    """Add the misspelt names of every text to its spans: the capitalised words of all the texts
    are looked up together, and only a text that holds a hit is walked word by word."""
    parts = []
    for text, spans in zip(texts, results, strict=True):
        if spans:
            # Blank out what is already recognised (same length, so offsets hold).
            pieces, position = [], 0
            for span in spans:
                pieces.append(text[position : span.start])
                pieces.append(" " * (span.end - span.start))
                position = span.end
            pieces.append(text[position:])
            text = "".join(pieces)
        parts.append(text)
    blanked = _JOIN.join(parts)
    words: set[str] = set()
    for first, second in candidate_words(blanked):
        if second:
            words.add(f"{first} {second}")
            if len(second) >= MIN_LENGTH:
                words.add(second)
        if len(first) >= MIN_LENGTH:
            words.add(first)
    answers = index.nearest_many(words, lang.split("-")[0])
    if not answers:
        return
    gap = len(_JOIN)
    starts = list(accumulate((len(part) + gap for part in parts[:-1]), initial=0))
    holders: set[int] = set()
    for word in answers:
        at = blanked.find(word)
        while at >= 0:
            holders.add(bisect_right(starts, at) - 1)
            at = blanked.find(word, at + 1)
    for number in sorted(holders):
        spans = results[number]
        near = _near_spans(texts[number], lang, index, [(span.start, span.end) for span in spans], answers)
        if near:
            spans.extend(near)
            spans.sort(key=lambda span: span.start)


def recognize_many(texts: Sequence[str], lang: str, index: TermIndex) -> list[list[Span]]:
    """:func:`recognize` of each of ``texts`` (all written in ``lang``): the automaton runs on each
    text, the capitalised words of all of them are found in one regex pass and looked up once."""
    results: list[list[Span]] = []
    for first in range(0, len(texts), _BATCH_TEXTS):
        batch = texts[first : first + _BATCH_TEXTS]
        spans = _exact_spans(batch, lang, index)
        _add_near_misses(batch, lang, index, spans)
        results.extend(spans)
    return results


def recognize(text: str, lang: str, index: TermIndex) -> list[Span]:
    """Every known name in ``text`` (written in ``lang``), sorted by start, never overlapping."""
    return recognize_many((text,), lang, index)[0]
