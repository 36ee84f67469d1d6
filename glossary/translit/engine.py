"""The one transliteration engine: context rules, word endings, whole-word exceptions, separators, casing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
    if not word.isupper():  # some letter is lower case, or none is cased: the common answer, at once
        return False
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


@dataclass(frozen=True)
class _Plan:
    """What one scheme's table lets the engine decide once instead of at every letter.

    A word none of whose letters is ``special`` (a letter with a context rule or a word-initial
    value, the first letter of a multi-letter key, a letter of a separated pair), that has no
    whole-word exception and none of the scheme's word endings, is romanized letter by letter
    from the plain mapping alone: one ``str.translate`` with the casing already applied.
    """

    longest: int
    special: frozenset[str]
    # The special letters that a context rule alone decides, and those that need the full walk
    # (the first letter of a multi-letter key, a letter of a separated pair).
    contextual: frozenset[str]
    structural: frozenset[str]
    endings: tuple[str, ...]
    mixed: dict[int, str]  # a letter in a word that is not all capitals, cased as the loop would
    capitals: dict[int, str]  # a letter in an all-capitals word


_PLANS: dict[int, tuple[Rules, _Plan]] = {}


def _plan(rules: Rules) -> _Plan:
    found = _PLANS.get(id(rules))
    if found is not None and found[0] is rules:
        return found[1]
    contextual: set[str] = set(rules.word_initial)
    for rule in (*rules.after, *rules.before, *rules.between):
        contextual.update(rule.mapping)
    structural = {key[0] for key in rules.mapping if len(key) > 1}
    for pair in rules.separate:
        structural.update(pair)
    special = contextual | structural
    upper = _uppercase_for(rules)
    mixed: dict[int, str] = {}
    capitals: dict[int, str] = {}
    for key, value in rules.mapping.items():
        if len(key) != 1 or key in special:
            continue
        mixed[ord(key)] = capitals[ord(key)] = value
        for capital in {key.upper(), upper(key)}:
            # Only a capital whose lower case is this one letter: the loop walks the lower-cased word.
            if len(capital) == 1 and capital != key and capital.lower() == key:
                mixed[ord(capital)] = _cased(value, True, False, upper)
                capitals[ord(capital)] = _cased(value, True, True, upper)
    plan = _Plan(
        longest=max(map(len, rules.mapping), default=1),
        special=frozenset(special),
        contextual=frozenset(contextual - structural),
        structural=frozenset(structural),
        endings=tuple(rules.word_ending),
        mixed=mixed,
        capitals=capitals,
    )
    _PLANS[id(rules)] = (rules, plan)
    return plan


def _table_word(rules: Rules, word: str) -> str:
    plan = _plan(rules)
    lower = word.lower()
    if (
        len(lower) == len(word)
        and not (plan.endings and lower.endswith(plan.endings))
        and lower not in rules.whole_word
    ):
        table = plan.capitals if is_all_caps(word) else plan.mixed
        if plan.special.isdisjoint(lower):
            return word.translate(table)
        if plan.structural.isdisjoint(lower):
            return _contextual_word(rules, plan, table, word, lower)
    if len(lower) != len(word):
        # A letter whose lower case is longer (İ → i̇) stays itself, so that letters keep their places.
        lower = "".join(letter if len(letter.lower()) != 1 else letter.lower() for letter in word)
    return _table_word_in_context(rules, plan, word, lower)


def _contextual_word(rules: Rules, plan: _Plan, table: dict[int, str], word: str, lower: str) -> str:
    """A word whose only special letters are ones a context rule decides: the others from ``table``."""
    all_caps = table is plan.capitals
    upper = _uppercase_for(rules)
    last = len(lower) - 1
    out: list[str] = []
    for i, letter in enumerate(lower):
        if letter in plan.contextual:
            prev, nxt = lower[i - 1] if i else WORD_START, lower[i + 1] if i < last else WORD_END
            value = _resolve(rules, letter, prev, nxt)
            out.append(word[i] if value is None else _cased(value, word[i].isupper(), all_caps, upper))
        else:
            out.append(table.get(ord(word[i]), word[i]))
    return "".join(out)


def _table_word_in_context(rules: Rules, plan: _Plan, word: str, lower: str) -> str:
    all_caps = is_all_caps(word)
    upper = _uppercase_for(rules)
    exception = rules.whole_word.get(lower)
    if exception is not None:
        # A word the authority romanizes as a whole (Armenian ով → ov, not vov).
        return _cased(exception, word[0].isupper(), all_caps, upper)
    ending = _ending(rules, lower)
    stop = len(lower) - len(ending)
    longest = plan.longest
    out: list[str] = []
    i = 0
    while i < stop:
        if i and rules.separate and lower[i - 1 : i + 1] in rules.separate:
            out.append(rules.separator)
        key = _cluster(rules, lower, i, stop, longest) if longest > 1 else ""
        if key:
            value: str | None = rules.mapping[key]
        else:
            key = lower[i]
            prev = lower[i - 1] if i else WORD_START
            nxt = lower[i + 1] if i + 1 < len(lower) else WORD_END
            value = _resolve(rules, key, prev, nxt) if key in plan.special else rules.mapping.get(key)
        if value is None:
            out.append(word[i : i + len(key)])
        else:
            out.append(_cased(value, word[i].isupper(), all_caps, upper))
        i += len(key)
    if ending:
        out.append(_cased(rules.word_ending[ending], word[stop].isupper(), all_caps, upper))
    return "".join(out)


@dataclass(frozen=True)
class _IuliiaPlan:
    """An iuliia schema's letter table, for words that none of its context or ending rules touch.

    iuliia romanizes a letter from its previous-letter and next-letter tables first, then its
    letter table, and a word's last two letters from its ending table when it has them (the rest
    then as a word of its own). The same walk runs here over iuliia's own tables, with one
    ``str.translate`` for a word that no context entry touches; the tests hold it to iuliia's
    ``translate`` on random words.
    """

    translate: Callable[[str], str]
    context: frozenset[str]
    endings: dict[str, str]
    letters: dict[int, str]
    before: dict[str, str]  # previous letter + this letter
    after: dict[str, str]  # this letter + next letter


@cache
def _iuliia_plan(name: str) -> _IuliiaPlan:
    import json

    import iuliia
    from iuliia.schema import TranslitSchema

    schema = iuliia.schemas.get(name)
    # iuliia's schema file, read as iuliia reads it, gives the tables with its casing variants.
    definition = json.loads(Path(schema.path).read_text(encoding="utf-8"))
    tables = TranslitSchema(
        name=name,
        mapping=definition.get("mapping") or {},
        prev_mapping=definition.get("prev_mapping"),
        next_mapping=definition.get("next_mapping"),
        ending_mapping=definition.get("ending_mapping"),
    )
    letters, before, after, endings = tables.map, tables.prev_map, tables.next_map, tables.ending_map
    return _IuliiaPlan(
        translate=schema.translate,
        context=frozenset({key[-1] for key in before} | {key[0] for key in after}),
        endings=dict(endings),
        letters={ord(key): value for key, value in letters.items() if len(key) == 1},
        before=dict(before),
        after=dict(after),
    )


def _iuliia_letters(plan: _IuliiaPlan, word: str) -> str:
    """iuliia's letter walk over its own tables: previous-letter, then next-letter, then letter table."""
    if plan.context.isdisjoint(word):
        return word.translate(plan.letters)
    out: list[str] = []
    last = len(word) - 1
    prev = ""
    for i, letter in enumerate(word):
        value = None
        if letter in plan.context:
            value = plan.before.get(prev + letter)
            if value is None:
                value = plan.after.get(letter + (word[i + 1] if i < last else ""))
        if value is None:
            value = plan.letters.get(ord(letter), letter)
        out.append(value)
        prev = letter
    return "".join(out)


def _iuliia_word(rules: Rules, word: str) -> str:
    # iuliia is right on mapping and context but leaves ё in some schemas and writes ZhANAOZEN for
    # ЖАНАОЗЕН; both are repaired here, the first by the scheme's own output_fixes.
    plan = _iuliia_plan(rules.iuliia_schema)
    ending = plan.endings.get(word[-2:]) if len(word) > 2 else None
    if not plan.letters:
        result = plan.translate(word)
    elif ending:
        result = _iuliia_letters(plan, word[:-2]) + ending
    else:
        result = _iuliia_letters(plan, word)
    for wrong, right in rules.output_fixes.items():
        result = result.replace(wrong, right).replace(wrong.upper(), right.upper())
    return _uppercase_for(rules)(result) if is_all_caps(word) else result


def romanize_word(rules: Rules, word: str) -> str:
    """One word (a run of letters of text already through ``prepare``) in one scheme; not NFC yet."""
    return _iuliia_word(rules, word) if rules.engine == "iuliia" else _table_word(rules, word)


def apply(rules: Rules, text: str) -> str:
    """Romanize ``text`` word by word with one scheme's rules; the result is NFC."""
    run = _iuliia_word if rules.engine == "iuliia" else _table_word
    result = _WORD.sub(lambda match: run(rules, match.group()), prepare(text))
    return unicodedata.normalize("NFC", result)
