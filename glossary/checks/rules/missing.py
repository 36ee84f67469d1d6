"""The missing-term rule: a name of the source that the translation does not name in any form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from glossary.checks.context import UnitContext
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule
from glossary.checks.rules.script import cached_lookalikes
from glossary.checks.rules.terms import language_name
from glossary.recognize.spans import Span, recognize
from glossary.text.fold import fold

# Adjectives and generic terms are often rendered by a paraphrase (Kazakh → Казахстана), so only
# proper names are required in the translation.
MISSING_KINDS = frozenset({"person", "place", "organisation", "event"})
_WORDS = re.compile(r"[^\W\d_]+")
# A name used as a modifier ("USA Secretary of State", "Russia's military") is usually rendered
# by an adjective (amerikanischen Außenminister, российскому).
_ATTRIBUTIVE = re.compile(r"(?:['’]s\b|\s+[A-Z])")


def _stems(text: str, derived: bool) -> list[str]:
    """Folded word stems of a form: half the word (at least four letters) where a derived word
    counts (Афганистан → афганских), else all but a case ending (Отечественная → Отечественной)."""
    stems = []
    for word in _WORDS.findall(fold(text)):
        if len(word) < 4:
            continue
        keep = max(4, (len(word) + 1) // 2) if derived else max(4, len(word) - 2)
        stems.append(word[:keep])
    return stems


def _paraphrased(ctx: UnitContext, concept: str, lang: str) -> bool:
    """Whether the target renders the name by a derived word (Алматинском for Алматы, das kasachische
    Parlament for Parlament der Republik Kasachstan: two thirds of a longer name's words) or, for a
    two-word name, by both its words in other case endings."""
    words = [word for word in _WORDS.findall(fold(ctx.text("target"))) if len(word) >= 4]
    for term in ctx.table.accepted(concept, lang):
        count = len([word for word in _WORDS.findall(term.text) if len(word) >= 4])
        stems = _stems(term.text, derived=count != 2)
        if not stems:
            continue
        hits = sum(any(word.startswith(stem) for word in words) for stem in stems)
        if hits == len(stems) or (len(stems) >= 3 and hits * 3 >= len(stems) * 2):
            return True
    return False


def _behind_lookalikes(ctx: UnitContext, lang: str) -> set[str]:
    """Names that look-alike letters hide (OДКБ with a Latin O): the script rule reports the letters,
    so the name is not missing as well."""
    text = ctx.text("target")
    fixed = list(text)
    for start, end, word in cached_lookalikes(ctx, "target"):
        if word is not None:
            fixed[start:end] = word
    if len(fixed) == len(text) and "".join(fixed) == text:
        return set()
    return {span.concept for span in recognize("".join(fixed), lang, ctx.index)}


def _attributive(ctx: UnitContext, span: Span) -> bool:
    if ctx.table.kind(span.concept) == "person":
        return False
    return _ATTRIBUTIVE.match(ctx.unit.source, span.end) is not None or span.surface.endswith(("'s", "’s"))


@unit_rule("term-missing", "warning")
def term_missing(ctx: UnitContext) -> Iterator[Finding]:
    """The source names a concept and the translation has no form of it in any case ending.

    Every form of the concept counts, inflected ones included (Токаевым, Тоқаевқа, Tokajews),
    and so does a wrong form (the spelling rules report that), a word derived from a one-word
    name (Алматинском, afghanischen) and most words of a longer one. Nationality adjectives and
    generic terms are left out, and so are place and organisation names used as modifiers
    (USA Secretary of State, Russia's army): translations render them by adjectives.
    """
    if not ctx.translated:
        return
    lang = ctx.lang("target")
    present = {span.concept for span in ctx.spans("target")}
    hidden: set[str] | None = None  # read only when the target seems to lack a name
    reported: set[str] = set()
    for span in ctx.spans("source"):
        concept = span.concept
        if concept in present or concept in reported:
            continue
        if hidden is None:
            hidden = _behind_lookalikes(ctx, lang)
        if concept in hidden or ctx.table.kind(concept) not in MISSING_KINDS:
            continue
        reported.add(concept)
        number = ctx.table.number(concept)
        preferred = ctx.index.preferred(number, lang) if number is not None else None
        if preferred is None or _attributive(ctx, span) or _paraphrased(ctx, concept, lang):
            continue
        name = language_name(lang)
        message = f"the source names {span.surface!r}; the {name} text has no form of {preferred!r}"
        finding = ctx.finding(
            "term-missing", "warning", "target", 0, 0, message, expected=preferred, concept=concept
        )
        # Nothing was found in the target: the surface is the source's name.
        yield replace(finding, surface=span.surface)
