"""The compiled term index: every form of every term, its case forms, in one Aho-Corasick automaton.

An index is made of plain tables (:class:`IndexTables`: lists of strings and of integers) and
the automaton over them, so it can be stored and loaded without being compiled again (see
:mod:`glossary.recognize.stored`). Entries, terms and preferred forms are decoded from the
tables when a text first needs them and then remembered by the index; every memo belongs to
its index, and all of them may be filled from several threads at once (a dict read or write is
atomic, and two threads that decode the same entry get equal values).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
from rapidfuzz.distance import OSA

from glossary.model.records import STATUSES, ConceptRecord, TermRecord
from glossary.recognize import ordinary
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

_UNKNOWN = object()
# Joins words and texts that are folded or searched together: it folds to itself and is no
# letter, digit, space or mark.
SEPARATOR = "\ue000"

_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
MEMO_SIZE = 100_000
# Entry flags, one bit each.
INFLECTED, CASE_SENSITIVE, CAPITAL = 1, 2, 4


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


# Records decoded from the tables are made by setting their slots directly: a frozen dataclass's
# own __init__ sets each field through object.__setattr__, two to three times slower, and a run
# decodes tens of thousands of them. tests/test_recognize_store.py checks that the fields are
# the ones set here (a field added to TermRecord or FormEntry must be added here).
_new = object.__new__
_T = TermRecord.__dict__
_T_LANG, _T_TEXT, _T_STATUS, _T_TYPE, _T_SCHEME, _T_ORIGIN = (
    _T[name].__set__ for name in ("lang", "text", "status", "type", "scheme", "origin")
)
_T_NOTE, _T_SOURCE, _T_FROM, _T_UNTIL, _T_GIVEN = (
    _T[name].__set__ for name in ("note", "source", "valid_from", "valid_until", "given")
)


def term_record(
    lang: str, text: str, status: str, type_: str, scheme: str | None, origin: str, until: str | None
) -> TermRecord:
    """``TermRecord(lang, text, status=status, type=type_, scheme=scheme, origin=origin,
    valid_until=until)``, made faster."""
    term = _new(TermRecord)
    _T_LANG(term, lang)
    _T_TEXT(term, text)
    _T_STATUS(term, status)
    _T_TYPE(term, type_)
    _T_SCHEME(term, scheme)
    _T_ORIGIN(term, origin)
    _T_NOTE(term, None)
    _T_SOURCE(term, None)
    _T_FROM(term, None)
    _T_UNTIL(term, until)
    _T_GIVEN(term, None)
    return term


_F = FormEntry.__dict__
_F_CONCEPT, _F_ID, _F_TERM, _F_RAW, _F_INFLECTED, _F_CASE, _F_CAPITAL = (
    _F[name].__set__
    for name in ("concept", "concept_id", "term", "raw", "inflected", "case_sensitive", "capital")
)


def form_entry(
    concept: int, concept_id: str, term: TermRecord, raw: str, inflected: bool, case_sensitive: bool,
    capital: bool,
) -> FormEntry:
    """``FormEntry(...)`` of the same arguments, made faster."""
    entry = _new(FormEntry)
    _F_CONCEPT(entry, concept)
    _F_ID(entry, concept_id)
    _F_TERM(entry, term)
    _F_RAW(entry, raw)
    _F_INFLECTED(entry, inflected)
    _F_CASE(entry, case_sensitive)
    _F_CAPITAL(entry, capital)
    return entry


@dataclass
class IndexTables:
    """Everything an index holds, as lists of strings and integers (the stored form).

    Automaton key ``k`` (its value in the automaton) has ``key_lengths[k]`` characters and the
    entries ``key_offsets[k]`` up to ``key_offsets[k + 1]``; entry ``e`` is term
    ``entry_term[e]`` of concept ``entry_concept[e]``, written ``entry_raw[e]``, with the
    ``entry_flags[e]`` bits. A concept's terms are one JSON line each (decoded when needed).
    The near-miss index keeps its forms, the term each stands for, and its piece postings under
    the sorted hashes of the piece keys (see :class:`NearMissIndex`).
    """

    concept_ids: list[str]
    concept_kinds: list[str]
    concept_terms: list[str]
    key_lengths: Sequence[int]
    key_offsets: Sequence[int]
    entry_concept: Sequence[int]
    entry_term: Sequence[int]
    entry_flags: Sequence[int]
    entry_raw: list[str]
    misspellings: list[tuple[str, str, int]]
    near_forms: list[str]
    near_concept: Sequence[int]
    near_term: Sequence[int]
    near_key_hashes: Sequence[int]
    near_offsets: Sequence[int]
    near_postings: Sequence[int]


def fold_many(words: Sequence[str]) -> list[str]:
    """``[fold(word) for word in words]`` in one fold of the words joined by :data:`SEPARATOR`."""
    joined = SEPARATOR.join(words)
    # Lower-casing that changes a length (İ) folds character by character: fold them one by one.
    if len(words) < 2 or joined.count(SEPARATOR) != len(words) - 1 or len(joined.lower()) != len(joined):
        return [fold(word) for word in words]
    return fold(joined).split(SEPARATOR)


def _ints(column: Sequence[int]) -> list[int]:
    """An integer column as a list of Python ints (a numpy array's through ``tolist``)."""
    tolist = getattr(column, "tolist", None)
    return tolist() if tolist is not None else list(column)


def letters_of(text: str) -> str:
    """The letters and digits of ``text`` in order (how abbreviations are compared)."""
    return "".join(ch for ch in text if ch.isalnum())


def _is_abbreviation(term: TermRecord) -> bool:
    letters = [ch for ch in term.text if ch.isalpha()]
    return term.type == "abbreviation" or (len(letters) >= 2 and term.text.isupper())


def _term_row(term: TermRecord) -> list[str | None]:
    # valid_until: the checks accept a superseded form in a text about the years before it.
    return [term.lang, term.text, term.status, term.type, term.scheme, term.origin, term.valid_until]


def _forms(kind: str, term: TermRecord) -> list[tuple[str, int]]:
    """(written form, flags) of a term: the term itself and its case forms."""
    text = term.text.strip()
    if not text:
        return []
    abbreviation = _is_abbreviation(term)
    capital = text[:1].isupper() and not abbreviation
    flags = (CASE_SENSITIVE if abbreviation else 0) | (CAPITAL if capital else 0)
    result = [(text, flags)]
    primary = term.lang.split("-")[0]
    if primary == "ru" and not abbreviation:
        forms = russian_forms(text, kind)
    elif primary == "de" and not abbreviation and kind != "person":
        forms = latin.german_forms(text)
    else:
        forms = set()
    result.extend((form, flags | INFLECTED) for form in sorted(forms))
    return result


def _near_eligible(term: TermRecord) -> bool:
    return term.status != "forbidden" and not _is_abbreviation(term) and term.text.count(" ") <= 1


def compile_tables(concepts: Sequence[ConceptRecord]) -> IndexTables:
    """The tables of an index over every term (all statuses, all scripts, generated forms)."""
    keys: dict[str, list[tuple[int, int, str, int]]] = {}
    misspellings: list[tuple[str, str, int]] = []
    near_forms: list[str] = []
    near_first: dict[str, tuple[int, int]] = {}
    concept_terms: list[str] = []
    for number, concept in enumerate(concepts):
        terms = list(concept.terms)
        concept_terms.append(json.dumps([_term_row(t) for t in terms], ensure_ascii=False))
        # A forbidden form a small edit away from an accepted form of its concept is a recorded
        # misspelling (Nazarbyev): it is reported as a near miss of that form, with its distance.
        accepted = [t.text for t in terms if t.status not in ("forbidden", "deprecated")]
        for term in terms:
            if term.status == "forbidden":
                distance = misspelling_distance(term.text, accepted)
                if distance:
                    misspellings.append((concept.id, term.text, distance))
        for position, term in enumerate(terms):
            for raw, flags in _forms(concept.kind, term):
                # Trailing punctuation stays in the key: "U.N." must end with its dot.
                key = fold(raw.strip()).lstrip()
                if key:
                    # The leading space stands for "a word starts here" (see glossary.text.fold).
                    keys.setdefault(" " + key, []).append((number, position, raw, flags))
            if concept.kind in NEAR_KINDS and _near_eligible(term):
                form = fold(term.text)
                if form not in near_first:
                    near_first[form] = (number, position)
                    near_forms.append(form)
    key_lengths: list[int] = []
    key_offsets = [0]
    entry_concept: list[int] = []
    entry_term: list[int] = []
    entry_flags: list[int] = []
    entry_raw: list[str] = []
    for key, entries in keys.items():
        key_lengths.append(len(key))
        for concept_number, position, raw, flags in entries:
            entry_concept.append(concept_number)
            entry_term.append(position)
            entry_flags.append(flags)
            entry_raw.append(raw)
        key_offsets.append(len(entry_raw))
    near = NearMissIndex.build(near_forms)
    forms, near_key_hashes, near_offsets, near_postings = near.tables()
    return IndexTables(
        concept_ids=[c.id for c in concepts],
        concept_kinds=[c.kind for c in concepts],
        concept_terms=concept_terms,
        key_lengths=key_lengths,
        key_offsets=key_offsets,
        entry_concept=entry_concept,
        entry_term=entry_term,
        entry_flags=entry_flags,
        entry_raw=entry_raw,
        misspellings=misspellings,
        near_forms=list(forms),
        near_concept=[near_first[form][0] for form in forms],
        near_term=[near_first[form][1] for form in forms],
        near_key_hashes=near_key_hashes,
        near_offsets=near_offsets,
        near_postings=near_postings,
    )


def build_automaton(keys: Sequence[str]) -> Any:
    """The automaton over ``keys`` (in table order); its values are key numbers."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for number, key in enumerate(keys):
        automaton.add_word(key, number)
    if keys:
        automaton.make_automaton()
    return automaton


class TermIndex:
    """A compiled, immutable search structure over a term base; build it once and reuse it."""

    def __init__(self, tables: IndexTables, automaton: Any) -> None:
        self.tables = tables
        self.automaton = automaton
        self.key_lengths: list[int] = list(tables.key_lengths)
        self.size = len(self.key_lengths)
        self.misspellings: dict[tuple[str, str], int] = {
            (concept, text): distance for concept, text, distance in tables.misspellings
        }
        self._lock = threading.Lock()
        self._concept_numbers: dict[str, int] | None = None
        self._near: NearMissIndex | None = None
        # Decoded tables, filled as texts need them.
        self._key_entries: dict[int, tuple[FormEntry, ...]] = {}
        self._entry_columns: tuple[list[int], list[int], list[int], list[int]] | None = None
        self._terms: dict[int, list[TermRecord]] = {}
        self._preferred_forms: dict[int, dict[tuple[str, str | None], str]] = {}
        self._first_names: dict[int, tuple[tuple[str, FormEntry], ...]] = {}
        self._ranked: dict[str, dict[int, tuple[FormEntry, ...]]] = {}
        # Answers remembered per index: names repeat, so most hits are lookups.
        self.preferred_memo: dict[tuple[int, str, str | None], str | None] = {}
        self.choice_memo: dict[str, dict[tuple[int, str], Any]] = {}
        self._first_name_memo: dict[tuple[str, str], FormEntry | None] = {}
        self._near_memo: dict[str, dict[str, tuple[int, int] | None]] = {}

    def terms(self, concept: int) -> list[TermRecord]:
        """The terms of concept number ``concept``, in their stored order."""
        found = self._terms.get(concept)
        if found is None:
            rows = json.loads(self.tables.concept_terms[concept])
            found = self._terms[concept] = [term_record(*row) for row in rows]
        return found

    def key_entries(self, key: int) -> tuple[FormEntry, ...]:
        """The forms behind automaton key number ``key``."""
        found = self._key_entries.get(key)
        if found is None:
            tables = self.tables
            columns = self._entry_columns
            if columns is None:
                # Python lists of a stored index's numpy columns, made once: reading an array
                # element by element costs a numpy scalar each.
                columns = self._entry_columns = (
                    _ints(tables.key_offsets),
                    _ints(tables.entry_concept),
                    _ints(tables.entry_term),
                    _ints(tables.entry_flags),
                )
            offsets, concepts, positions, all_flags = columns
            first, stop = offsets[key], offsets[key + 1]
            entries = []
            for entry in range(first, stop):
                concept, flags = concepts[entry], all_flags[entry]
                entries.append(form_entry(
                    concept,
                    tables.concept_ids[concept],
                    self.terms(concept)[positions[entry]],
                    tables.entry_raw[entry],
                    bool(flags & INFLECTED),
                    bool(flags & CASE_SENSITIVE),
                    bool(flags & CAPITAL),
                ))
            found = self._key_entries[key] = tuple(entries)
        return found

    def ranked_entries(self, key: int, lang: str) -> tuple[FormEntry, ...]:
        """:meth:`key_entries` in the order a text in ``lang`` prefers them (its own language first,
        written before generated, by status), ties in stored order; kept, as the tables are."""
        ranked = self._ranked.get(lang)
        if ranked is None:
            ranked = self._ranked[lang] = {}
        found = ranked.get(key)
        if found is None:
            primary = lang.split("-")[0]
            entries = self.key_entries(key)
            found = ranked[key] = tuple(sorted(entries, key=lambda entry: entry.rank(lang, primary)))
        return found

    def concept_number(self, concept_id: str) -> int | None:
        """The position of a concept in the index, by its id."""
        numbers = self._concept_numbers
        if numbers is None:
            numbers = self._concept_numbers = {cid: n for n, cid in enumerate(self.tables.concept_ids)}
        return numbers.get(concept_id)

    def _preferred_table(self, concept: int) -> dict[tuple[str, str | None], str]:
        forms = self._preferred_forms.get(concept)
        if forms is None:
            # (lang, type) → preferred form, and (lang, None) → the first preferred form.
            forms = {}
            for term in self.terms(concept):
                if term.status == "preferred" and term.origin != "generated":
                    forms.setdefault((term.lang, term.type), term.text)
                    forms.setdefault((term.lang, None), term.text)
            self._preferred_forms[concept] = forms
        return forms

    def preferred(self, concept: int, lang: str, type: str | None = None) -> str | None:
        """The concept's preferred form (of the matched term's ``type`` where there is one) for a text
        in ``lang``; Kazakh falls back to kk-Cyrl, then ru."""
        key = (concept, lang, type)
        if key not in self.preferred_memo:
            forms = self._preferred_table(concept)
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
        """The misspelling index over person and place forms."""
        near = self._near
        if near is None:
            with self._lock:
                if self._near is None:
                    t = self.tables
                    self._near = NearMissIndex(
                        t.near_forms, t.near_key_hashes, t.near_offsets, t.near_postings
                    )
                near = self._near
        return near

    def near_entry(self, form: int) -> FormEntry:
        """The term that near-miss form number ``form`` stands for."""
        tables = self.tables
        concept = int(tables.near_concept[form])
        term = self.terms(concept)[int(tables.near_term[form])]
        return FormEntry(concept, tables.concept_ids[concept], term, term.text, False, False, True)

    def first_names(self, concept_id: str) -> tuple[tuple[str, FormEntry], ...]:
        """(folded first word, form) of a person's two-word forms: the first names to compare."""
        number = self.concept_number(concept_id)
        if number is None or self.tables.concept_kinds[number] != "person":
            return ()
        found = self._first_names.get(number)
        if found is None:
            names: dict[str, FormEntry] = {}
            for term in self.terms(number):
                if term.text.count(" ") == 1 and term.status != "forbidden":
                    entry = FormEntry(number, concept_id, term, term.text, False, False, True)
                    names.setdefault(fold(term.text).split(" ")[0], entry)
            found = self._first_names[number] = tuple(names.items())
        return found

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

    def nearest(self, word: str, primary: str) -> tuple[int, int] | None:
        """The known form that ``word`` misspells, as (form, distance); remembered per word.

        An ordinary word of the text's language (Rahmen in German, Serie, Chile) is never a
        misspelt name, however close it is to one.
        """
        return self.nearest_many((word,), primary).get(word)

    def nearest_many(self, words: Iterable[str], primary: str) -> dict[str, tuple[int, int]]:
        """:meth:`nearest` of ``words`` looked up together (one fold, one comparison pass), for
        the words that misspell a known form; the others are left out."""
        memo = self._near_memo.get(primary)
        if memo is None:
            memo = self._near_memo[primary] = {}
        words = words if isinstance(words, (set, frozenset, dict)) else dict.fromkeys(words)
        # Capitalised words repeat across a document; a bounded memo keeps lookups O(1).
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        todo = [word for word in words if word not in memo]
        hits: dict[str, tuple[int, int]] = {}
        if todo:
            asked: list[str] = []
            folded_asked: list[str] = []
            for word, folded in zip(todo, fold_many(todo), strict=True):
                if not is_stopword(word, folded):
                    asked.append(word)
                    folded_asked.append(folded)
            memo.update(dict.fromkeys(todo))
            # Only the few words near a form are then tested for ordinary words: most of a text's
            # capitalised words are near none, and the test costs a table lookup.
            answers = self.near_index().nearest_many(folded_asked)
            near = [
                (word, folded, hit)
                for word, folded, hit in zip(asked, folded_asked, answers, strict=True)
                if hit is not None
            ]
            if near:
                ordinary_words = ordinary.ordinary_words(primary)
                # Every word, and every part of the words of two parts, looked up at once.
                parts_of = {
                    folded: folded.replace("ß", "ss").split(" ")
                    for _, folded, _ in near
                    if " " in folded or "ß" in folded
                }
                lookups = [folded for _, folded, _ in near]
                lookups += [part for parts in parts_of.values() for part in parts]
                known = dict(zip(lookups, ordinary_words.contains_many(lookups), strict=True))
                russian = primary in ("ru", "be", "tg")
                for word, folded, hit in near:
                    if known[folded]:
                        continue
                    parts = parts_of.get(folded)
                    if parts is not None and ordinary_words and all(map(known.__getitem__, parts)):
                        continue  # ordinary.is_ordinary: every word of it is ordinary
                    if not (russian and is_common_russian_word(word)):
                        memo[word] = hits[word] = hit
        for word in words:
            if word not in hits:
                hit = memo.get(word)
                if hit is not None:
                    hits[word] = hit
        return hits

    def forget_memos(self) -> None:
        """Drop every remembered answer (benchmarks measure lookups, not a warm memo)."""
        for memo in (self.preferred_memo, self._first_name_memo, self._near_memo, self.choice_memo):
            memo.clear()


def compile_index(concepts: Sequence[ConceptRecord]) -> TermIndex:
    """A fresh index over every term (all statuses, all scripts, generated forms included)."""
    tables = compile_tables(concepts)
    return TermIndex(tables, build_automaton(automaton_keys(tables)))


def automaton_keys(tables: IndexTables) -> list[str]:
    """The automaton's keys, in table order (each is its first entry's form folded)."""
    return [" " + fold(raw.strip()).lstrip() for raw in _first_raw_per_key(tables)]


def _first_raw_per_key(tables: IndexTables) -> list[str]:
    """The written form of each key's first entry (its key is that form folded)."""
    return [tables.entry_raw[tables.key_offsets[k]] for k in range(len(tables.key_lengths))]
