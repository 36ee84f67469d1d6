"""Romanizations of a concept's Cyrillic and Armenian forms under every scheme, as generated terms."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from glossary.model.records import ConceptRecord, TermRecord
from glossary.translit.engine import prepare, romanize_word
from glossary.translit.registry import Rules, Scheme

# Languages whose native forms are written in a non-Latin script and have romanization schemes.
ROMANIZED_LANGS = ("ru", "kk", "be", "tg", "ky", "hy")
# Forbidden forms are wrong in any script; romanizing them would only spread them.
_SKIPPED_STATUSES = ("forbidden",)
# The engine romanizes word by word (a word is a run of letters; everything else passes through),
# so a word's romanization can be remembered: names share first names, patronymics and surnames.
_WORD = re.compile(r"([^\W\d_]+)")
# Romanized words a maker remembers: (language, scheme, word) keys, about 200 bytes each.
WORD_CACHE = 50_000


class VariantMaker:
    """Generates the romanizations of many concepts, romanizing each distinct word once per scheme.

    One maker serves one import (or one command). It remembers the ``cache_size`` words it used
    last (a least-recently-used cache), so its memory is bounded however long the import.
    """

    def __init__(self, cache_size: int = WORD_CACHE) -> None:
        self._rules: dict[tuple[str, str], Rules] = {}
        # C-implemented LRU: O(1) per word, and bounded.
        self._word = functools.lru_cache(maxsize=cache_size)(self._romanize_word)
        self._schemes: dict[str, list[tuple[Scheme, Rules]]] = {}

    def schemes(self, lang: str) -> list[tuple[Scheme, Rules]]:
        """The schemes of ``lang`` with their rules, looked up once."""
        found = self._schemes.get(lang)
        if found is None:
            from glossary.translit.registry import load_schemes

            found = self._schemes[lang] = [pair for (code, _), pair in load_schemes().items() if code == lang]
        return found

    def romanize(self, text: str, lang: str, scheme: str) -> str:
        """What ``glossary.translit.romanize(text, lang, scheme)`` gives, each word computed once."""
        rules = next(r for s, r in self.schemes(lang) if s.name == scheme)
        return self._romanize(_WORD.split(prepare(text)), lang, scheme, rules)

    def _romanize(self, parts: list[str], lang: str, scheme: str, rules: Rules) -> str:
        """``parts`` alternate between what lies between words and the words (``_WORD.split``)."""
        self._rules.setdefault((lang, scheme), rules)
        word = self._word
        out = parts[:]
        for index in range(1, len(parts), 2):
            out[index] = word(lang, scheme, parts[index])
        joined = "".join(out)
        return joined if unicodedata.is_normalized("NFC", joined) else unicodedata.normalize("NFC", joined)

    def _romanize_word(self, lang: str, scheme: str, word: str) -> str:
        return romanize_word(self._rules[(lang, scheme)], word)

    def variants(self, concept: ConceptRecord) -> list[TermRecord]:
        """Every scheme's romanization of every entered Cyrillic form, deduplicated.

        A generated form is tagged ``<lang>-Latn`` with its scheme and
        ``origin="generated"``; its status is ``deprecated`` until a reviewer admits it,
        so checks flag it in a target text while recognition still finds it. A form
        that a person already entered (in any language) is never generated again, and
        a spelling that several schemes share is stored once, under the first scheme,
        with the others named in its note.
        """
        entered = {t.text for t in concept.terms if t.origin != "generated"}
        produced: dict[str, TermRecord] = {}
        also: dict[str, list[str]] = {}
        for term in concept.terms:
            lang = term.lang.split("-")[0]
            if lang not in ROMANIZED_LANGS or term.origin == "generated" or term.status in _SKIPPED_STATUSES:
                continue
            if not any(ch.isalpha() and not ch.isascii() and not _is_latin(ch) for ch in term.text):
                continue
            parts = _WORD.split(prepare(term.text))
            for scheme, rules in self.schemes(lang):
                text = self._romanize(parts, lang, scheme.name, rules)
                if not text or text in entered:
                    continue
                if text in produced:
                    if scheme.name != produced[text].scheme:
                        also[text].append(scheme.name)
                    continue
                also[text] = []
                produced[text] = TermRecord(
                    lang=f"{lang}-Latn",
                    text=text,
                    status="deprecated",
                    type=term.type,
                    scheme=scheme.name,
                    origin="generated",
                    source=scheme.authority,
                    note=f"{scheme.title}: {term.text}",
                )
        result = []
        for text, record in produced.items():
            others = sorted(set(also[text]))
            if others:
                record = replace(record, note=f"{record.note}; also {', '.join(others)}")
            result.append(record)
        return result

    def variants_of_many(self, concepts: Iterable[ConceptRecord]) -> dict[str, list[TermRecord]]:
        """The generated forms of each concept, by concept id."""
        return {concept.id: self.variants(concept) for concept in concepts}


def generate_variants(concept: ConceptRecord) -> list[TermRecord]:
    """Every scheme's romanization of every entered Cyrillic form of one concept (see VariantMaker)."""
    return VariantMaker().variants(concept)


def _is_latin(ch: str) -> bool:
    """Whether ``ch`` is a Latin letter (é, ö, ı): a form in Latin script needs no romanization."""
    return unicodedata.name(ch, "").startswith("LATIN")
