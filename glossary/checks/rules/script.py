"""The script rule: names in the wrong script, and words with look-alike letters of another script."""

from __future__ import annotations

import re
from collections.abc import Iterator

from glossary.checks.context import UnitContext, script_of
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule
from glossary.checks.rules.terms import findings_of, language_name
from glossary.recognize.spans import recognize

# Latin letters and the Cyrillic letters they are mistaken for (and back): a → а, ə → ә, i → і.
_LATIN = "aeopcyxiABEKMHOPCTXIəƏjsh"
_CYRILLIC = "аеорсухіАВЕКМНОРСТХІәӘјѕһ"
TO_CYRILLIC = str.maketrans(_LATIN, _CYRILLIC)
TO_LATIN = str.maketrans(_CYRILLIC, _LATIN)
_WORD = re.compile(r"[^\W\d_]+")


def _letter_script(ch: str) -> str:
    if "\u0400" <= ch <= "\u052f":
        return "Cyrl"
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "Latn"
    return ""


def lookalike_words(text: str, lang: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, the word in the text's script or ``None``) of every word mixing Latin and Cyrillic."""
    wanted = script_of(lang)
    for match in _WORD.finditer(text):
        word = match.group()
        scripts = {_letter_script(ch) for ch in word} - {""}
        if len(scripts) < 2:
            continue
        table = TO_CYRILLIC if wanted == "Cyrl" else TO_LATIN
        fixed = word.translate(table)
        clean = all(_letter_script(ch) in ("", wanted) for ch in fixed)
        yield match.start(), match.end(), fixed if clean else None


def _lookalikes(ctx: UnitContext, side: str, severity: str) -> Iterator[Finding]:
    text, lang = ctx.text(side), ctx.lang(side)
    other = "Latin" if script_of(lang) == "Cyrl" else "Cyrillic"
    for start, end, fixed in lookalike_words(text, lang):
        word = text[start:end]
        concept = None
        if fixed is not None:
            names = recognize(fixed, lang, ctx.index)
            concept = names[0].concept if names else None
            message = f"{word!r} mixes {other} letters into a {language_name(lang)} word; write {fixed!r}"
        else:
            message = f"{word!r} mixes Latin and Cyrillic letters"
        yield ctx.finding("term-script", severity, side, start, end, message,
                          expected=fixed, concept=concept, fix=fixed)


@unit_rule("term-script", "error", fixable=True)
def term_script(ctx: UnitContext) -> Iterator[Finding]:
    """A name in the wrong script, or a word with look-alike letters of another script.

    A Cyrillic name in a German text, a transliterated abbreviation (ODKB) in an English one,
    Latin a/e/o/i inside a Kazakh or Russian Cyrillic word, Latin ə for Kazakh ә. --fix writes
    the preferred form, or the word with its look-alike letters in the text's own script.
    """
    yield from findings_of(ctx, "term-script", "error")
    for side in ctx.sides():
        yield from _lookalikes(ctx, side, "error")
