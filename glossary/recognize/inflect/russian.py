"""Russian case forms of names: surname paradigms by rule, other words through pymorphy3."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

CASES = ("gent", "datv", "accs", "ablt", "loct")

# Surname paradigms that pymorphy3 often misreads (it takes "Токаев" for a plural of "токай").
# Each: ending of the nominative → endings for gent, datv, accs, ablt, loct.
_SURNAME_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ова", ("овой", "овой", "ову", "овой", "овой")),
    ("ева", ("евой", "евой", "еву", "евой", "евой")),
    ("ёва", ("ёвой", "ёвой", "ёву", "ёвой", "ёвой")),
    ("ина", ("иной", "иной", "ину", "иной", "иной")),
    ("ына", ("ыной", "ыной", "ыну", "ыной", "ыной")),
    ("ская", ("ской", "ской", "скую", "ской", "ской")),
    ("цкая", ("цкой", "цкой", "цкую", "цкой", "цкой")),
    ("ский", ("ского", "скому", "ского", "ским", "ском")),
    ("цкий", ("цкого", "цкому", "цкого", "цким", "цком")),
    ("ов", ("ова", "ову", "ова", "овым", "ове")),
    ("ев", ("ева", "еву", "ева", "евым", "еве")),
    ("ёв", ("ёва", "ёву", "ёва", "ёвым", "ёве")),
    ("ин", ("ина", "ину", "ина", "иным", "ине")),
    ("ын", ("ына", "ыну", "ына", "ыным", "ыне")),
    ("ович", ("овича", "овичу", "овича", "овичем", "овиче")),
    ("евич", ("евича", "евичу", "евича", "евичем", "евиче")),
)
# Names ending in these letters do not decline in Russian (Лукашенко, Шойгу, Эмомали).
_INDECLINABLE_END = tuple("оеиуюыэ")
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+$")
_VOWELS = "аеёиоуыэюя"
_NAME_TAGS = ("Name", "Surn", "Patr")


@cache
def analyzer() -> Any:
    """The pymorphy3 analyser, created on first use (it loads its dictionaries)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _consonant_noun(word: str) -> tuple[str, ...]:
    """Endings of a masculine name ending in a consonant (Нурсултан, Касым, Рахмон)."""
    last = word[-1].lower()
    if last == "й":
        stem = word[:-1]
        return (stem + "я", stem + "ю", stem + "я", stem + "ем", stem + "е")
    if last == "ь":
        stem = word[:-1]
        return (stem + "я", stem + "ю", stem + "я", stem + "ем", stem + "е")
    ablt = "ем" if last in "жшчщц" else "ом"
    return (word + "а", word + "у", word + "а", word + ablt, word + "е")


def person_word_forms(word: str) -> tuple[str, ...]:
    """The word in gent, datv, accs, ablt, loct (the nominative repeated when it does not decline)."""
    if not _CYRILLIC_WORD.match(word) or len(word) < 2 or word.isupper():
        return (word,) * len(CASES)
    lower = word.lower()
    for ending, forms in _SURNAME_RULES:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            stem = word[: -len(ending)]
            return tuple(_match_case(word, stem + form) for form in forms)
    for parse in analyzer().parse(word):
        if "nomn" in parse.tag and "sing" in parse.tag and any(t in parse.tag for t in _NAME_TAGS):
            forms = []
            for case in CASES:
                inflected = parse.inflect({case, "sing"})
                forms.append(_match_case(word, inflected.word) if inflected else word)
            return tuple(forms)
    return _rule_forms(word)


def _rule_forms(word: str) -> tuple[str, ...]:
    """Case forms by the ending alone, for names that no dictionary knows."""
    lower = word.lower()
    if lower.endswith(_INDECLINABLE_END) or lower[-1] in "ая":
        if lower[-1] in "ая" and len(lower) > 2:
            stem = word[:-1]
            soft = lower[-1] == "я" or lower[-2] in "гкхжшчщ"
            gent = stem + ("и" if soft else "ы")
            return (gent, stem + "е", stem + ("ю" if lower[-1] == "я" else "у"), stem + "ой", stem + "е")
        return (word,) * len(CASES)
    return _consonant_noun(word)


def _person_forms(text: str) -> set[str]:
    tokens = re.split(r"(\s+|-)", text)
    per_token = [
        person_word_forms(tok) if tok.strip() and tok != "-" else (tok,) * len(CASES) for tok in tokens
    ]
    return {"".join(forms[i] for forms in per_token) for i in range(len(CASES))}


def _has_nominative_noun(word: str) -> bool:
    return bool(_CYRILLIC_WORD.match(word)) and any(
        p.tag.POS == "NOUN" and "nomn" in p.tag for p in analyzer().parse(word)
    )


def _head_forms(words: list[str], head_only: bool) -> set[str]:
    """Inflect the leading adjectives and the first noun together; the rest stays."""
    morph = analyzer()
    plan: list[Any] = []
    for index, word in enumerate(words):
        if not _CYRILLIC_WORD.match(word) or (word.isupper() and len(word) > 1):
            break
        parses = [p for p in morph.parse(word) if "nomn" in p.tag]
        if not parses:
            break
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        adj = next((p for p in parses if p.tag.POS == "ADJF"), None)
        # "Красная армия": an adjective reading wins when a noun follows ("Красная" is a place too).
        if adj is not None and index + 1 < len(words) and _has_nominative_noun(words[index + 1]):
            plan.append(adj)
            continue
        if noun is not None:
            plan.append(noun)
            break
        if adj is None:
            break
        plan.append(adj)
    if not plan or "Fixd" in plan[-1].tag:
        return set()
    number = "plur" if "plur" in plan[-1].tag else "sing"
    gender = plan[-1].tag.gender
    results: set[str] = set()
    for case in CASES:
        new_words = list(words)
        for index, parse in enumerate(plan):
            grammemes = {case, number}
            if parse.tag.POS == "ADJF" and number == "sing" and gender:
                grammemes.add(gender)
            if parse.tag.POS == "ADJF" and case == "accs" and "anim" in plan[-1].tag:
                grammemes = {"gent", number} | ({gender} if gender and number == "sing" else set())
            inflected = parse.inflect(grammemes)
            if inflected is None:
                break
            new_words[index] = _match_case(words[index], inflected.word)
        else:
            results.add(" ".join(new_words))
    return results


def _place_word_forms(word: str) -> set[str]:
    """A one-word place: the dictionary's paradigm when it knows the place, else the rules."""
    if not _CYRILLIC_WORD.match(word) or word.isupper():
        return set()
    for parse in analyzer().parse(word):
        if "Geox" in parse.tag and "nomn" in parse.tag:
            if "Fixd" in parse.tag:
                return set()
            return _head_forms([word], head_only=True)
    return set(_rule_forms(word))


def _place_forms(text: str) -> set[str]:
    if " " not in text:
        first, dash, last = text.rpartition("-")
        return {f"{first}{dash}{form}" for form in _place_word_forms(last)}
    return _head_forms(text.split(" "), head_only=True)


def russian_forms(text: str, kind: str) -> set[str]:
    """Case forms of a Russian name (without ``text`` itself).

    People decline word by word (``Касым-Жомарт Токаев`` → ``Касыма-Жомарта Токаева``);
    organisations, places and events decline their head (``Организации Договора о
    коллективной безопасности``); indeclinable names (``Алматы``, ``ОДКБ``) give nothing.
    """
    if not any(ch in _VOWELS for ch in text.lower()):
        return set()
    if kind == "person":
        forms = _person_forms(text)
    elif kind == "place" or (" " not in text and "-" in text):
        forms = _place_forms(text)
    else:
        forms = _head_forms(text.split(" "), head_only=kind != "nationality")
    forms.discard(text)
    return forms
