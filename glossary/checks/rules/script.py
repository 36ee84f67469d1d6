"""The script rule: names in the wrong script, and words with look-alike letters of another script."""

from __future__ import annotations

import re
from collections.abc import Iterator

from glossary.checks.context import UnitContext, script_of
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule
from glossary.checks.rules.terms import findings_of, language_name, with_article
from glossary.recognize.spans import recognize

# Latin letters and the Cyrillic letters they are mistaken for (and back): a → а, ə → ә, i → і.
_LATIN = "aeopcyxiABEKMHOPCTXIəƏjsh"
_CYRILLIC = "аеорсухіАВЕКМНОРСТХІәӘјѕһ"
TO_CYRILLIC = str.maketrans(_LATIN, _CYRILLIC)
TO_LATIN = str.maketrans(_CYRILLIC, _LATIN)


def _letter_script(ch: str) -> str:
    if "\u0400" <= ch <= "\u052f":
        return "Cyrl"
    if ch.isascii() or "\u00c0" <= ch <= "\u02af":
        return "Latn"
    return ""


_LATIN_LETTER = "A-Za-z\u00c0-\u02af"
_CYRILLIC_LETTER = "\u0400-\u052f"
# Two letters of different scripts side by side: what every mixed word holds, found in one scan.
_SEAM = re.compile(f"[{_LATIN_LETTER}][{_CYRILLIC_LETTER}]|[{_CYRILLIC_LETTER}][{_LATIN_LETTER}]")
_WORD = re.compile(r"[^\W\d_]+")


def is_mixed(text: str) -> bool:
    """Whether some word of ``text`` holds both Latin and Cyrillic letters."""
    return _SEAM.search(text) is not None


def lookalike_words(text: str, lang: str) -> list[tuple[int, int, str | None]]:
    """(start, end, the word in the text's script or ``None``) of every word mixing Latin and Cyrillic."""
    if text.isascii() or _SEAM.search(text) is None:
        return []
    wanted = script_of(lang)
    table = TO_CYRILLIC if wanted == "Cyrl" else TO_LATIN
    found: list[tuple[int, int, str | None]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if _SEAM.search(word) is None:
            continue
        fixed = word.translate(table)
        clean = all(_letter_script(ch) in ("", wanted) for ch in fixed)
        found.append((match.start(), match.end(), fixed if clean else None))
    return found


def cached_lookalikes(ctx: UnitContext, side: str) -> list[tuple[int, int, str | None]]:
    """The look-alike words of one side, found once per unit (the missing-term rule reads them too)."""
    key = f"lookalikes:{side}"
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = lookalike_words(ctx.text(side), ctx.lang(side))
    return found  # type: ignore[return-value]


def _lookalikes(ctx: UnitContext, side: str, severity: str) -> Iterator[Finding]:
    text, lang = ctx.text(side), ctx.lang(side)
    other = "Latin" if script_of(lang) == "Cyrl" else "Cyrillic"
    for start, end, fixed in cached_lookalikes(ctx, side):
        word = text[start:end]
        concept = None
        if fixed is not None:
            names = recognize(fixed, lang, ctx.index)
            concept = names[0].concept if names else None
            into = with_article(language_name(lang))
            message = f"{word!r} mixes {other} letters into {into} word; write {fixed!r}"
        else:
            message = f"{word!r} mixes Latin and Cyrillic letters"
        yield ctx.finding(
            "term-script", severity, side, start, end, message, expected=fixed, concept=concept, fix=fixed
        )


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
