"""The compiled term index: every form of every term, its case forms, in one Aho-Corasick automaton."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
from rapidfuzz.distance import OSA

from glossary.model.records import STATUSES, ConceptRecord, TermRecord
from glossary.recognize.inflect import latin
from glossary.recognize.inflect.russian import russian_forms
from glossary.recognize.nearmiss import (
    MIN_LENGTH,
    NEAR_KINDS,
    NearMissIndex,
    is_common_russian_word,
    is_stopword,
    misspelling_distance,
)
from glossary.text.fold import fold

_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_CACHE_SIZE = 4
MEMO_SIZE = 100_000


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One searchable form: a term or one of its case forms."""

    concept: int
    concept_id: str
    term: TermRecord
    raw: str
    inflected: bool
    case_sensitive: bool
    capital: bool

    @property
    def letters(self) -> str:
        return letters_of(self.raw)

    def rank(self, lang: str, primary: str) -> tuple[int, int, int]:
        term_lang = self.term.lang
        closeness = 0 if term_lang == lang else 1 if term_lang.split("-")[0] == primary else 2
        generated = 1 if self.term.origin == "generated" else 0
        return (closeness, generated, _STATUS_RANK.get(self.term.status, len(STATUSES)))


def letters_of(text: str) -> str:
    """The letters and digits of ``text`` in order (how abbreviations are compared)."""
    return "".join(ch for ch in text if ch.isalnum())


def _is_abbreviation(term: TermRecord) -> bool:
    letters = [ch for ch in term.text if ch.isalpha()]
    return term.type == "abbreviation" or (len(letters) >= 2 and term.text.isupper())


class TermIndex:
    """A compiled, immutable search structure over a term base; build it once and reuse it."""

    def __init__(self, concepts: Sequence[ConceptRecord]) -> None:
        self._concepts = tuple(ConceptRecord(id=c.id, kind=c.kind, terms=list(c.terms)) for c in concepts)
        self.automaton: Any = ahocorasick.Automaton()
        self.preferred_memo: dict[tuple[int, str, str | None], str | None] = {}
        self.people_first_names: dict[str, tuple[tuple[str, FormEntry], ...]] = {}
        self._first_name_memo: dict[tuple[str, str], FormEntry | None] = {}
        self._near_lock = threading.Lock()
        self._near: NearMissIndex | None = None
        self._near_entries: list[FormEntry] = []
        self._near_memo: dict[tuple[str, str], tuple[int, int] | None] = {}
        # Decisions per (form, surface, language): names repeat, so most hits are lookups.
        self.choice_memo: dict[str, dict[tuple[int, str], Any]] = {}
        keys: dict[str, list[FormEntry]] = {}
        # Per concept: (lang, type) → preferred form, and (lang, None) → its first preferred form.
        self._preferred_forms: list[dict[tuple[str, str | None], str]] = []
        # A forbidden form a small edit away from an accepted form of its concept is a recorded
        # misspelling (Nazarbyev): it is reported as a near miss of that form, with its distance.
        self.misspellings: dict[tuple[str, str], int] = {}
        for number, concept in enumerate(self._concepts):
            accepted = [
                t.text for t in concept.terms if t.status not in ("forbidden", "deprecated")
            ]
            for term in concept.terms:
                if term.status == "forbidden":
                    distance = misspelling_distance(term.text, accepted)
                    if distance:
                        self.misspellings[(concept.id, term.text)] = distance
            forms: dict[tuple[str, str | None], str] = {}
            for term in concept.terms:
                if term.status == "preferred" and term.origin != "generated":
                    forms.setdefault((term.lang, term.type), term.text)
                    forms.setdefault((term.lang, None), term.text)
            self._preferred_forms.append(forms)
            for term in concept.terms:
                for entry in self._entries(number, concept.id, concept.kind, term):
                    # Trailing punctuation stays in the key: "U.N." must end with its dot.
                    key = fold(entry.raw.strip()).lstrip()
                    if key:
                        # The leading space stands for "a word starts here" (see glossary.text.fold).
                        keys.setdefault(" " + key, []).append(entry)
        for number, concept in enumerate(self._concepts):
            if concept.kind != "person":
                continue
            names: dict[str, FormEntry] = {}
            for term in concept.terms:
                if term.text.count(" ") == 1 and term.status != "forbidden":
                    entry = FormEntry(number, concept.id, term, term.text, False, False, True)
                    names.setdefault(fold(term.text).split(" ")[0], entry)
            if names:
                self.people_first_names[concept.id] = tuple(names.items())
        for number, (key, entries) in enumerate(keys.items()):
            self.automaton.add_word(key, (len(key), number, tuple(entries)))
        self.automaton.make_automaton()
        self.size = len(keys)

    @staticmethod
    def _entries(number: int, concept_id: str, kind: str, term: TermRecord) -> list[FormEntry]:
        text = term.text.strip()
        if not text:
            return []
        abbreviation = _is_abbreviation(term)
        capital = text[:1].isupper() and not abbreviation
        result = [FormEntry(number, concept_id, term, text, False, abbreviation, capital)]
        primary = term.lang.split("-")[0]
        if primary == "ru" and not abbreviation:
            forms = russian_forms(text, kind)
        elif primary == "de" and not abbreviation and kind != "person":
            forms = latin.german_forms(text)
        else:
            forms = set()
        for form in sorted(forms):
            result.append(FormEntry(number, concept_id, term, form, True, False, capital))
        return result

    @property
    def concepts(self) -> tuple[ConceptRecord, ...]:
        """The concepts the index was compiled from, in index order (read-only)."""
        return self._concepts

    def preferred(self, concept: int, lang: str, type: str | None = None) -> str | None:
        """The concept's preferred form (of the matched term's ``type`` where there is one) for a text
        in ``lang``; Kazakh falls back to kk-Cyrl, then ru."""
        key = (concept, lang, type)
        if key not in self.preferred_memo:
            forms = self._preferred_forms[concept]
            fallbacks = [lang]
            if lang.split("-")[0] == "kk":
                fallbacks += ["kk-Cyrl", "kk", "ru"]
            elif lang.split("-")[0] in ("be", "tg"):
                fallbacks.append("ru")
            found = None
            # The same choice as ConceptRecord.preferred: the exact tag, then its primary language;
            # a preferred form of the matched type first, else the first preferred form.
            for candidate in fallbacks:
                for wanted in (candidate, candidate.split("-")[0]):
                    found = forms.get((wanted, type)) or forms.get((wanted, None))
                    if found is not None:
                        break
                if found is not None:
                    break
            self.preferred_memo[key] = found
        return self.preferred_memo[key]

    def near_index(self) -> NearMissIndex:
        """The misspelling index, built on first use (most callers never need it)."""
        with self._near_lock:
            if self._near is None:
                forms: list[str] = []
                entries: list[FormEntry] = []
                for number, concept in enumerate(self._concepts):
                    if concept.kind not in NEAR_KINDS:
                        continue
                    for term in concept.terms:
                        if term.status == "forbidden" or _is_abbreviation(term) or term.text.count(" ") > 1:
                            continue
                        forms.append(fold(term.text))
                        entries.append(FormEntry(number, concept.id, term, term.text, False, False, True))
                near = NearMissIndex(forms)
                first = {form: entries[i] for i, form in reversed(list(enumerate(forms)))}
                self._near_entries = [first[form] for form in near.forms]
                self._near = near
            return self._near

    def misspelt_first_name(self, concept_id: str, word: str) -> FormEntry | None:
        """The two-word form whose first name ``word`` misspells by one edit, if any (remembered)."""
        key = (concept_id, word)
        memo = self._first_name_memo
        if key not in memo:
            folded = fold(word)
            found = None
            for first, entry in self.first_names(concept_id):
                if len(first) >= MIN_LENGTH - 1 and OSA.distance(folded, first, score_cutoff=1) == 1:
                    found = entry
                    break
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = found
        return memo[key]

    def first_names(self, concept_id: str) -> tuple[tuple[str, FormEntry], ...]:
        """(folded first word, form) of a person's two-word forms: the first names to compare."""
        return self.people_first_names.get(concept_id, ())

    def nearest(self, word: str, primary: str) -> tuple[int, int] | None:
        """The known form that ``word`` misspells, as (form, distance); remembered per word."""
        key = (word, primary)
        memo = self._near_memo
        if key in memo:
            return memo[key]
        hit = None if is_stopword(word) else self.near_index().nearest(fold(word))
        if hit is not None and primary in ("ru", "be", "tg") and is_common_russian_word(word):
            hit = None
        # Capitalised words repeat across a document; a bounded memo keeps lookups O(1).
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = hit
        return hit

    def forget_memos(self) -> None:
        """Drop every remembered answer (benchmarks measure lookups, not a warm memo)."""
        for memo in (self.preferred_memo, self._first_name_memo, self._near_memo, self.choice_memo):
            memo.clear()

    def near_entry(self, form: int) -> FormEntry:
        return self._near_entries[form]


def compile_index(concepts: Sequence[ConceptRecord]) -> TermIndex:
    """A fresh index over every term (all statuses, all scripts, generated forms included)."""
    return TermIndex(concepts)
