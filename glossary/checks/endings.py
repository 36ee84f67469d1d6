"""The preferred form in the case ending the text used (Тоқаевым → Токаевым, Alma-Aty → Алматы)."""

from __future__ import annotations

import re
from functools import cache

from glossary.checks.context import primary
from glossary.recognize.inflect import kazakh, latin
from glossary.recognize.inflect.russian import CASES, analyzer, person_word_forms
from glossary.text.fold import APOSTROPHES, fold

_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+$")
_GERMAN_NO_S = ("s", "ß", "x", "z")


def match_case(surface: str, form: str, term_text: str) -> str:
    """``form`` written in the case the text wrote the matched form in (capital at a sentence start,
    capitals in a headline)."""
    if len(surface) > 1 and surface.isupper() and not term_text.isupper():
        return form.upper()
    if surface[:1].isupper() and form[:1].islower():
        return form[:1].upper() + form[1:]
    return form


def _stem_end(surface: str, stem: str) -> int | None:
    """Where ``stem`` (folded) ends in ``surface``: the rest is a case ending; ``None`` if it is no prefix."""
    target = fold(stem)
    if not fold(surface).startswith(target):
        return None
    for cut in range(len(stem) - 2 if len(stem) > 2 else 0, len(surface) + 1):
        if fold(surface[:cut]) == target:
            return cut
    return None


def _inflect_word(word: str, case: str, place: bool) -> str:
    if not _CYRILLIC_WORD.match(word) or word.isupper():
        return word
    if place:
        for parse in analyzer().parse(word):
            if "Geox" in parse.tag and "nomn" in parse.tag:
                if "Fixd" in parse.tag:
                    return word
                inflected = parse.inflect({case, "sing"})
                return match_case(word, inflected.word, word) if inflected else word
    return person_word_forms(word)[CASES.index(case)]


def _head_in_case(words: list[str], case: str) -> list[str]:
    """The leading adjectives and the first noun in ``case``; the rest of the name stays."""
    result = list(words)
    plan = []
    for index, word in enumerate(words):
        if not _CYRILLIC_WORD.match(word) or word.isupper():
            break
        parses = [p for p in analyzer().parse(word) if "nomn" in p.tag]
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        adjective = next((p for p in parses if p.tag.POS == "ADJF"), None)
        if adjective is not None and index + 1 < len(words) and noun is None:
            plan.append((index, adjective))
            continue
        if noun is not None:
            plan.append((index, noun))
        break
    if not plan or "Fixd" in plan[-1][1].tag:
        return result
    number = "plur" if "plur" in plan[-1][1].tag else "sing"
    gender = plan[-1][1].tag.gender
    for index, parse in plan:
        grammemes = {case, number}
        if parse.tag.POS == "ADJF" and number == "sing" and gender:
            grammemes.add(gender)
        inflected = parse.inflect(grammemes)
        if inflected is None:
            return list(words)
        result[index] = match_case(words[index], inflected.word, words[index])
    return result


@cache
def russian_case_forms(text: str, kind: str) -> tuple[tuple[str, str], ...]:
    """(case, form) of a Russian name in the nominative and the five other cases."""
    forms = [("nomn", text)]
    for case in CASES:
        if kind == "person":
            tokens = re.split(r"(\s+|-)", text)
            form = "".join(
                person_word_forms(tok)[CASES.index(case)] if tok.strip() and tok != "-" else tok
                for tok in tokens
            )
        elif " " not in text:
            first, dash, last = text.rpartition("-")
            form = first + dash + _inflect_word(last, case, place=kind == "place")
        else:
            form = " ".join(_head_in_case(text.split(" "), case))
        forms.append((case, form))
    return tuple(forms)


def _russian(surface: str, term_text: str, preferred: str, kind: str) -> str | None:
    folded = fold(surface)
    for case, form in russian_case_forms(term_text, kind):
        if fold(form) == folded:
            return dict(russian_case_forms(preferred, kind))[case]
    return None


def in_same_ending(surface: str, term_text: str, preferred: str, lang: str, kind: str) -> tuple[str, bool]:
    """``preferred`` with the case ending ``surface`` has on ``term_text``, and whether that is certain
    (only certain replacements are applied by ``--fix``)."""
    language = primary(lang)
    if fold(surface) == fold(term_text):
        return match_case(surface, preferred, term_text), True
    if language in ("ru", "be", "tg"):
        found = _russian(surface, term_text, preferred, kind)
        if found is not None:
            return match_case(surface, found, term_text), True
    cut = _stem_end(surface, term_text)
    if cut is None:
        return match_case(surface, preferred, term_text), False
    ending = surface[cut:]
    expected = match_case(surface[:cut], preferred, term_text) + ending
    if language == "kk":
        certain = ending[:1] in kazakh.HYPHENS + APOSTROPHES or kazakh.accepts(preferred, ending)
    elif language == "de":
        certain = ending == "s" and not preferred.lower().endswith(_GERMAN_NO_S)
    elif language == "en":
        certain = ending[:1] in APOSTROPHES and ending[1:].lower() == "s"
    elif language in ("ru", "be", "tg"):
        # A Russian ending fits another stem of the same shape (Тоқаев+ым → Токаев+ым).
        certain = fold(preferred[-2:]) == fold(term_text[-2:])
    else:
        certain = latin.accepts(lang, preferred, ending)
    return expected, certain
