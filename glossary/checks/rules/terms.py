"""Term rules: forbidden, non-preferred and misspelled forms of known names, on either side of a unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from glossary.checks.context import ACCEPTED, UnitContext, primary, script_of
from glossary.checks.endings import in_same_ending, match_case
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule
from glossary.model.records import TermRecord
from glossary.recognize.spans import Span
from glossary.text.fold import fold

# Latin and Cyrillic letters side by side (the script rule's test for a mixed word).
_SEAM = re.compile("[A-Za-z\u00c0-\u02af][\u0400-\u052f]|[\u0400-\u052f][A-Za-z\u00c0-\u02af]")
_KAZAKH_ONLY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "kk": "Kazakh",
    "de": "German",
    "fr": "French",
    "be": "Belarusian",
    "tg": "Tajik",
    "ky": "Kyrgyz",
    "hy": "Armenian",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the term rules make of one recognised name."""

    rule: str
    span: Span
    message: str
    expected: str | None
    fix: str | None


def language_name(lang: str) -> str:
    """A readable name of ``lang`` for messages (``kk-Latn`` → ``Kazakh (Latin)``)."""
    name = _LANGUAGE_NAMES.get(primary(lang), lang)
    if "-" in lang and script_of(lang) == "Latn" and primary(lang) in ("ru", "kk", "be", "tg", "ky"):
        return f"{name} (Latin)"
    return name


def with_article(name: str) -> str:
    """``a Russian`` / ``an English``."""
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


def surface_script(text: str) -> str:
    """``Cyrl``, ``Latn``, ``mixed`` or ``''`` (no letters) for the letters of ``text``."""
    cyrillic = latin = False
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u052f":
            cyrillic = True
        elif ch.isascii() or "\u00c0" <= ch <= "\u02af":
            latin = True
    if cyrillic and latin:
        return "mixed"
    return "Cyrl" if cyrillic else "Latn" if latin else ""


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold().replace("ё", "е") if ch.isalpha())


def _historical(ctx: UnitContext, term: TermRecord | None) -> bool:
    """Whether the unit is about a time before a superseded form went out of use (Alma-Ata in 1987)."""
    if term is None or not term.valid_until:
        return False
    match = re.match(r"\d{4}", term.valid_until)
    if match is None:
        return False
    until = int(match.group())
    texts = (ctx.unit.source, ctx.unit.target or "")
    return any(int(year) < until for text in texts for year in _YEAR.findall(text))


@cache
def _romanized_abbreviations(concept_terms: tuple[tuple[str, str, str], ...]) -> frozenset[str]:
    """Romanizations of a concept's Cyrillic abbreviations under every scheme (ОДКБ → ODKB)."""
    from glossary.translit import has_cyrillic, list_schemes, romanize, source_langs

    found: set[str] = set()
    for lang, text, kind in concept_terms:
        code = primary(lang)
        if kind != "abbreviation" or not has_cyrillic(text) or code not in source_langs():
            continue
        for scheme in list_schemes(code):
            found.add(romanize(text, code, scheme.name).upper())
    return frozenset(found)


def _transliterated_abbreviation(ctx: UnitContext, span: Span, term: TermRecord | None) -> bool:
    if term is None or term.type != "abbreviation" or not span.surface.isupper():
        return False
    key = tuple((t.lang, t.text, t.type) for t in ctx.table.terms(span.concept))
    return span.surface.upper() in _romanized_abbreviations(key)


def _other_form(
    ctx: UnitContext, span: Span, lang: str, term: TermRecord | None, kind: str
) -> Verdict | None:
    """A form of another language (or script) in this text."""
    preferred = span.preferred
    surface = span.surface
    if preferred is None:
        return None
    for accepted in ctx.table.accepted(span.concept, lang):
        if _letters(accepted.text) == _letters(surface):
            return None
    where = language_name(span.lang)
    here = language_name(lang)
    text_script = script_of(lang)
    if surface_script(surface) not in ("", text_script) or _transliterated_abbreviation(ctx, span, term):
        expected = match_case(surface, preferred, span.term)
        same = fold(surface) == fold(span.term) and surface_script(preferred) in ("", text_script)
        what = (
            "a transliterated abbreviation" if surface_script(surface) == text_script else "the wrong script"
        )
        message = f"{surface!r} is {what} in {here}; write {expected!r}"
        return Verdict("term-script", span, message, expected, expected if same else None)
    expected, certain = in_same_ending(surface, span.term, preferred, lang, kind)
    if span.status == "forbidden" and span.match == "near_miss":
        message = f"{surface!r} misspells {expected!r}"
        return Verdict("term-misspelled", span, message, expected, None)
    status = "generated" if term is not None and term.origin == "generated" else span.status
    message = f"{surface!r} is the {where} spelling ({status}); {here} writes {expected!r}"
    return Verdict("term-variant", span, message, expected, expected if certain else None)


def _own_form(ctx: UnitContext, span: Span, lang: str, term: TermRecord | None, kind: str) -> Verdict | None:
    """A form of the text's own language: forbidden, out of use, or written with other letters."""
    surface = span.surface
    preferred = span.preferred or span.term
    if span.status == "forbidden" and _transliterated_abbreviation(ctx, span, term):
        expected = match_case(surface, preferred, span.term)
        message = f"{surface!r} is a transliterated abbreviation; {language_name(lang)} writes {expected!r}"
        return Verdict("term-script", span, message, expected, expected)
    if span.status == "forbidden":
        expected, _ = in_same_ending(surface, span.term, preferred, lang, kind)
        return Verdict(
            "term-forbidden", span, f"{surface!r} is forbidden; write {expected!r}", expected, None
        )
    if span.status in ("deprecated", "superseded"):
        if span.status == "superseded" and _historical(ctx, term):
            return None
        expected, certain = in_same_ending(surface, span.term, preferred, lang, kind)
        until = f" (until {term.valid_until})" if term is not None and term.valid_until else ""
        message = f"{surface!r} is {span.status}{until}; write {expected!r}"
        return Verdict("term-variant", span, message, expected, expected if certain else None)
    # An accepted form: is it spelled as the term base spells it, apart from case and ending?
    written, certain = in_same_ending(surface, span.term, span.term, lang, kind)
    if not certain or _letters(written) == _letters(surface):
        return None
    if primary(lang) in ("ru", "be", "tg") and any(ch in _KAZAKH_ONLY for ch in surface):
        message = (
            f"{surface!r} has Kazakh letters in {with_article(language_name(lang))} text; write {written!r}"
        )
        return Verdict("term-variant", span, message, written, written)
    if surface.isupper():
        return None  # headlines drop accents
    return Verdict("term-misspelled", span, f"{surface!r} misspells {written!r}", written, None)


def _foreign_part(ctx: UnitContext, span: Span, lang: str) -> Span | None:
    """In a near miss of a full name, the word that is another language's form of that person
    (Александр Лукашэнка: the Belarusian surname after a Russian first name), as its own span."""
    if " " not in span.surface:
        return None
    offset = span.start
    for word in span.surface.split(" "):
        for term in ctx.table.terms(span.concept):
            if term.text == word and not ctx.table.fits(term.lang, lang) and term.origin != "generated":
                number = ctx.table.number(span.concept)
                preferred = ctx.index.preferred(number, lang, term.type) if number is not None else None
                return span._replace(
                    start=offset,
                    end=offset + len(word),
                    surface=word,
                    term=term.text,
                    lang=term.lang,
                    status=term.status,
                    preferred=preferred,
                    match="exact",
                    distance=0,
                )
        offset += len(word) + 1
    return None


def _verdict(ctx: UnitContext, span: Span, lang: str) -> Verdict | None:
    if span.match == "exact" and span.status in ACCEPTED and ctx.table.fits(span.lang, lang):
        return None  # the common case: a name written as the term base writes it
    if _SEAM.search(span.surface) is not None:
        return None  # look-alike letters: the script rule reports the word
    term = ctx.table.term(span.concept, span.lang, span.term)
    kind = ctx.table.kind(span.concept)
    recorded = span.status == "forbidden"  # a recorded misspelling is a forbidden form
    if span.match == "near_miss" and not recorded:
        part = _foreign_part(ctx, span, lang)
        if part is not None:
            return _other_form(ctx, part, lang, ctx.table.term(part.concept, part.lang, part.term), kind)
        expected = match_case(span.surface, span.preferred or span.term, span.term)
        message = f"{span.surface!r} looks like a misspelling of {expected!r}"
        return Verdict("term-misspelled", span, message, expected, None)
    if ctx.table.fits(span.lang, lang):
        return _own_form(ctx, span, lang, term, kind)
    return _other_form(ctx, span, lang, term, kind)


_MEMO_KEYS = {"source": "terms:source", "target": "terms:target"}


def verdicts(ctx: UnitContext, side: str) -> list[Verdict]:
    """The term rules' verdicts on one side of the unit (computed once, shared by the rules)."""
    key = _MEMO_KEYS[side]
    found = ctx.memo.get(key)
    if found is None:
        lang = ctx.lang(side)
        found = ctx.memo[key] = [
            v for span in ctx.spans(side) if (v := _verdict(ctx, span, lang)) is not None
        ]
    return found  # type: ignore[return-value]


def preset_verdicts(ctx: UnitContext, side: str, found: list[Verdict]) -> None:
    """Give one side the verdicts computed elsewhere (in a worker process) for it."""
    ctx.memo[_MEMO_KEYS[side]] = found


def findings_of(ctx: UnitContext, rule: str, severity: str) -> Iterator[Finding]:
    """The findings of one term rule on every side the unit has."""
    for side in ctx.sides():
        for verdict in verdicts(ctx, side):
            if verdict.rule == rule:
                span = verdict.span
                yield ctx.finding(
                    rule,
                    severity,
                    side,
                    span.start,
                    span.end,
                    verdict.message,
                    expected=verdict.expected,
                    concept=span.concept,
                    fix=verdict.fix,
                )


@unit_rule("term-forbidden", "error")
def term_forbidden(ctx: UnitContext) -> Iterator[Finding]:
    """A form the term base forbids in the text's language.

    Forbidden forms are recorded misspellings and forms that must never be used (Nazarbyev,
    Caucuses, ODKB in English). The expected form is the preferred one in the same case ending.
    """
    return findings_of(ctx, "term-forbidden", "error")


@unit_rule("term-variant", "error", fixable=True)
def term_variant(ctx: UnitContext) -> Iterator[Finding]:
    """A deprecated, superseded or other-language spelling where the language has a preferred form.

    Tokayev in a German text is Tokajew; Alma-Ata is Almaty unless the entry is about a year
    before 1993; a Kazakh spelling in a Russian text (Тоқаевым) is Токаевым. The replacement keeps
    the case ending, and --fix applies it where the ending is certain.
    """
    return findings_of(ctx, "term-variant", "error")


@unit_rule("term-misspelled", "warning")
def term_misspelled(ctx: UnitContext) -> Iterator[Finding]:
    """A near miss of a known name (Nazarbyev, Tokaiev for Tokaïev).

    Capitalised words a small edit away from a person or place of the term base, and accepted
    forms written with a wrong diacritic. Ordinary words of each language are never reported.
    """
    return findings_of(ctx, "term-misspelled", "warning")
