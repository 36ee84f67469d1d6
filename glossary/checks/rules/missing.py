"""The missing-term rule: a name of the source that the translation does not name in any form."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from glossary.checks.context import UnitContext
from glossary.checks.model import Finding
from glossary.checks.registry import unit_rule
from glossary.checks.rules.terms import language_name

# Adjectives and generic terms are often rendered by a paraphrase (Kazakh → Казахстана), so only
# proper names are required in the translation.
MISSING_KINDS = frozenset({"person", "place", "organisation", "event"})


@unit_rule("term-missing", "warning")
def term_missing(ctx: UnitContext) -> Iterator[Finding]:
    """The source names a concept and the translation has no form of it in any case ending.

    Every form of the concept counts, inflected ones included (Токаевым, Тоқаевқа, Tokajews),
    and so does a wrong form (the spelling rules report that). Nationality adjectives and
    generic terms are left out: translations paraphrase them.
    """
    if not ctx.translated:
        return
    present = {span.concept for span in ctx.spans("target")}
    lang = ctx.lang("target")
    reported: set[str] = set()
    for span in ctx.spans("source"):
        concept = span.concept
        if concept in present or concept in reported or ctx.table.kind(concept) not in MISSING_KINDS:
            continue
        reported.add(concept)
        preferred = ctx.index.preferred(ctx.table.number[concept], lang)
        if preferred is None:
            continue
        message = (
            f"the source names {span.surface!r}; the {language_name(lang)} text has no form of {preferred!r}"
        )
        finding = ctx.finding("term-missing", "warning", "target", 0, 0, message, expected=preferred, concept=concept)
        # Nothing was found in the target: the surface is the source's name.
        yield replace(finding, surface=span.surface)
