"""The number rule: a number of the source that the translation lacks, read in each language's locale."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from glossary.checks.context import UnitContext, primary
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule

# Digits joined by what separates groups or decimals anywhere (1 300, 1 300, 1.300, 1,300, 1’300).
_TOKEN = re.compile(r"(?<![^\W\d_])\d+(?:[ \u00a0\u202f.,'’]\d+)*(?![^\W\d_])")
_DIGIT = re.compile(r"\d")
_DIGITS: dict[str, Decimal] = {}  # digit runs met before, and their values (Decimals are immutable)
_DIGITS_KEPT = 65_536
_SPACES = " \u00a0\u202f"
_SMALL = Decimal(10)  # one to ten are often written out in words (two days, два дня)
# Words that multiply the number before them (20 тысяч, 10 мыңға, 2,5 Millionen, 3 mille).
_MULTIPLIERS = (
    (1_000, ("thousand", "тыс", "тысяч", "мың", "tausend", "mille")),
    (1_000_000, ("million", "млн", "миллион", "mio", "millionen", "миллион")),
    (1_000_000_000, ("billion", "млрд", "миллиард", "milliard", "mrd", "milliarde")),
)
_FACTORS = {stem: factor for factor, stems in _MULTIPLIERS for stem in stems}
_FIRST_LETTERS = frozenset(stem[0] for stem in _FACTORS)
_MULTIPLIER = re.compile(
    "[ \u00a0\u202f]+(" + "|".join(sorted(_FACTORS, key=len, reverse=True)) + ")", re.IGNORECASE
)


@cache
def symbols(lang: str) -> tuple[str, str]:
    """(decimal, group) symbols of ``lang``'s locale, from Babel's CLDR data."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(primary(lang))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return get_decimal_symbol(locale), get_group_symbol(locale)


@lru_cache(maxsize=65_536)
def _value(text: str, lang: str) -> Decimal | None:
    """One number written in ``lang``'s locale, parsed by Babel (group symbols given as spaces too)."""
    from babel.numbers import NumberFormatError, parse_decimal

    decimal, group = symbols(lang)
    text = re.sub(f"[{_SPACES}]", group, text)  # a space groups digits in every locale (SI style)
    if text.isdigit():
        return Decimal(text)
    try:
        return parse_decimal(text, locale=_locale(lang), strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        try:
            return Decimal(text.replace(group, "").replace(decimal, "."))
        except InvalidOperation:
            return None


@cache
def _locale(lang: str) -> object:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(primary(lang))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_TOKEN.finditer(text)`` gives, found faster: a number starts at a digit, so the
    pattern is tried only where the next digit is (the look-behind still sees the letter before)."""
    search, match = _DIGIT.search, _TOKEN.match
    position = 0
    while (digit := search(text, position)) is not None:
        start = digit.start()
        found = match(text, start)
        if found is None:
            position = start + 1
            continue
        yield found
        position = found.end()


def numbers(text: str, lang: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, value) of every number in ``text``; a digit run is one number where the locale's
    grouping (or a space before three digits) joins it, else several (dates: 11.01.2022)."""
    found: list[tuple[int, int, Decimal]] = []
    for match in _tokens(text):
        token = match.group()
        if token.isdigit():  # the common case: no separators at all, no locale data needed
            start, end = match.span()
            value = _DIGITS.get(token)
            if value is None:
                value = Decimal(token)
                if len(_DIGITS) < _DIGITS_KEPT:
                    _DIGITS[token] = value
            if text[end + 1 : end + 2].lower() in _FIRST_LETTERS:
                value = value * _multiplier(text, end)
            found.append((start, end, value))
            continue
        decimal, group = symbols(lang)
        parts = re.split(r"([ \u00a0\u202f.,'’])", token)
        position = match.start()
        start, pieces, fraction = position, [parts[0]], False
        position += len(parts[0])
        for separator, digits in zip(parts[1::2], parts[2::2], strict=True):
            grouping = (
                separator == group or separator in _SPACES or (group in _SPACES and separator == "\u00a0")
            )
            if grouping and not fraction and len(digits) == 3 and len(pieces[0]) <= 3:
                pieces += [separator, digits]
            elif separator == decimal and not fraction and separator != group:
                pieces += [separator, digits]
                fraction = True
            else:
                value = _value("".join(pieces), lang)
                if value is not None:
                    found.append((start, position, value))
                start, pieces, fraction = position + len(separator), [digits], False
            position += len(separator) + len(digits)
        value = _value("".join(pieces), lang)
        if value is not None:
            found.append((start, position, value * _multiplier(text, position)))
    return found


def _multiplier(text: str, end: int) -> int:
    """1000 when ``тысяч``, ``Tausend``, ``мыңға``... follows the number at ``end``, and so on; else 1."""
    if text[end + 1 : end + 2].lower() not in _FIRST_LETTERS:
        return 1
    match = _MULTIPLIER.match(text, end)
    return _FACTORS[match.group(1).lower()] if match is not None else 1


@unit_rule("number-mismatch", "warning")
def number_mismatch(ctx: UnitContext) -> Iterator[Finding]:
    """A number in the source that the translation lacks.

    Numbers are read in each language's locale with Babel (1 300, 1 300, 1.300 and 1,300 are one
    number in their locales; 11.01.2022 is three). One to ten are left out: translations write
    them as words. The finding points at a number of the translation that the source lacks, if any.
    """
    if not ctx.translated:
        return
    source = numbers(ctx.unit.source, ctx.unit.source_lang)
    if not source:
        return
    target_text, target_lang = ctx.text("target"), ctx.lang("target")
    target = numbers(target_text, target_lang)
    have: dict[Decimal, int] = {}
    for _, _, value in target:
        have[value] = have.get(value, 0) + 1
    want: dict[Decimal, int] = {}
    for _, _, value in source:
        want[value] = want.get(value, 0) + 1
    extra = [(s, e, v) for s, e, v in target if have[v] > want.get(v, 0)]
    # One to ten count only where the translation writes such a number in digits that the source
    # lacks (Article 4 → статьёй 5); elsewhere they are likely written out in words.
    small_extra = any(value <= _SMALL for _, _, value in extra)
    for start, end, value in source:
        if value <= _SMALL and not small_extra:
            continue
        if have.get(value, 0) > 0:
            have[value] -= 1
            continue
        written = ctx.unit.source[start:end]
        if extra:
            at, until, _ = extra.pop(0)
            message = f"the source has {written}; the translation has {target_text[at:until]} instead"
        else:
            at = until = 0
            message = f"the source has {written}; the translation has no such number"
        yield ctx.finding("number-mismatch", "warning", "target", at, until, message, expected=written)
