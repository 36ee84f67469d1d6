"""The one transliteration engine: context rules, word endings, whole-word exceptions, separators, casing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from glossary.translit.registry import WORD_END, WORD_START, ContextRule, Rules

# A word is a run of letters; hyphens, spaces and apostrophes pass through untouched.
_WORD = re.compile(r"[^\W\d_]+")
# Stress marks in dictionary-style Cyrillic (Тока́ев) are not letters and would split words.
_STRESS = re.compile(r"(?<=[\u0400-\u052F])[\u0300\u0301]")


def prepare(text: str) -> str:
    """NFC input without stress marks, so that й, ё typed as base + combining mark match the tables."""
    return _STRESS.sub("", unicodedata.normalize("NFC", text))


def turkic_upper(text: str) -> str:
    """Upper case where dotted i becomes İ (Python's upper() would give I, which is dotless ı's capital)."""
    return text.replace("i", "İ").upper()


def _uppercase_for(rules: Rules) -> Callable[[str], str]:
    return turkic_upper if rules.casing == "turkic" else str.upper


def is_all_caps(word: str) -> bool:
    """ЖАНАОЗЕН or ОДКБ: two or more cased letters, none lower case. A lone capital is title case."""
    cased = [c for c in word if c.isupper() or c.islower()]
    return len(cased) >= 2 and all(c.isupper() for c in cased)


def _lookup(rules: tuple[ContextRule, ...], letter: str, neighbour: str) -> str | None:
    for rule in rules:
        if neighbour in rule.letters and letter in rule.mapping:
            return rule.mapping[letter]
    return None


def _between(rules: tuple[ContextRule, ...], letter: str, prev: str, nxt: str) -> str | None:
    for rule in rules:
        if prev in rule.letters and nxt in rule.letters and letter in rule.mapping:
            return rule.mapping[letter]
    return None


def _resolve(rules: Rules, letter: str, prev: str, nxt: str) -> str | None:
    """The most specific mapping of one lower-case letter in its context; None if the scheme lacks it.

    The rules are tried most specific first, and each only when the ones before it found nothing.
    """
    found = _between(rules.between, letter, prev, nxt) if rules.between else None
    if found is None and rules.after:
        found = _lookup(rules.after, letter, prev)
    if found is None and rules.before:
        found = _lookup(rules.before, letter, nxt)
    if found is None and prev == WORD_START:
        found = rules.word_initial.get(letter)
    return rules.mapping.get(letter) if found is None else found


def _ending(rules: Rules, lower: str) -> str:
    """The longest word ending the scheme maps as a unit, if the word is longer than it."""
    best = ""
    for ending in rules.word_ending:
        if len(ending) > len(best) and len(lower) > len(ending) and lower.endswith(ending):
            best = ending
    return best


def _cluster(rules: Rules, lower: str, start: int, stop: int, longest: int) -> str:
    """The longest multi-letter mapping key starting at ``start`` and ending before ``stop``.

    ``longest`` is the length of the scheme's longest key: each length is one dictionary lookup,
    rather than a scan of every key at every letter.
    """
    for size in range(min(longest, stop - start), 1, -1):
        key = lower[start : start + size]
        if key in rules.mapping:
            return key
    return ""


def _cased(value: str, upper_source: bool, all_caps: bool, upper: Callable[[str], str]) -> str:
    if not upper_source or not value:
        return value
    return upper(value) if all_caps else upper(value[0]) + value[1:]


def _table_word(rules: Rules, word: str) -> str:
    lower = word.lower()
    all_caps = is_all_caps(word)
    upper = _uppercase_for(rules)
    exception = rules.whole_word.get(lower)
    if exception is not None:
        # A word the authority romanizes as a whole (Armenian ով → ov, not vov).
        return _cased(exception, word[0].isupper(), all_caps, upper)
    ending = _ending(rules, lower)
    stop = len(lower) - len(ending)
    longest = max(map(len, rules.mapping), default=1)
    out: list[str] = []
    i = 0
    while i < stop:
        if i and rules.separate and lower[i - 1 : i + 1] in rules.separate:
            out.append(rules.separator)
        key = _cluster(rules, lower, i, stop, longest)
        if key:
            value: str | None = rules.mapping[key]
        else:
            key = lower[i]
            prev = lower[i - 1] if i else WORD_START
            nxt = lower[i + 1] if i + 1 < len(lower) else WORD_END
            value = _resolve(rules, key, prev, nxt)
        if value is None:
            out.append(word[i : i + len(key)])
        else:
            out.append(_cased(value, word[i].isupper(), all_caps, upper))
        i += len(key)
    if ending:
        out.append(_cased(rules.word_ending[ending], word[stop].isupper(), all_caps, upper))
    return "".join(out)


@cache
def _iuliia_schema(name: str) -> Callable[[str], str]:
    import iuliia

    return iuliia.schemas.get(name).translate


def _iuliia_word(rules: Rules, word: str) -> str:
    # iuliia is right on mapping and context but leaves ё in some schemas and writes ZhANAOZEN for
    # ЖАНАОЗЕН; both are repaired here, the first by the scheme's own output_fixes.
    result = _iuliia_schema(rules.iuliia_schema)(word)
    for wrong, right in rules.output_fixes.items():
        result = result.replace(wrong, right).replace(wrong.upper(), right.upper())
    return _uppercase_for(rules)(result) if is_all_caps(word) else result


def apply(rules: Rules, text: str) -> str:
    """Romanize ``text`` word by word with one scheme's rules; the result is NFC."""
    run = _iuliia_word if rules.engine == "iuliia" else _table_word
    result = _WORD.sub(lambda match: run(rules, match.group()), prepare(text))
    return unicodedata.normalize("NFC", result)
