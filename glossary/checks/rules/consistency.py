"""Rules across units: one source translated two ways, one translation for two sources, languages at odds."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from glossary.checks.context import UnitContext
from glossary.checks.model import Finding
from glossary.checks.registry import corpus_rule
from glossary.checks.rules.terms import Verdict, verdicts

_NOT_ALNUM = re.compile(r"[\W_]+")
FINAL_STATES = frozenset({None, "translated", "reviewed", "approved"})  # fuzzy and new are drafts
_SPELLING_RULES = frozenset({"term-variant", "term-forbidden", "term-misspelled", "term-script"})


def normalized(text: str) -> str:
    """NFC with whitespace runs collapsed: two texts that read the same compare equal."""
    if text.isascii():  # already NFC
        return " ".join(text.split())
    return " ".join(unicodedata.normalize("NFC", text).split())


def normal_source(ctx: UnitContext) -> str:
    """The unit's source, normalised once for every rule that groups by it."""
    found = ctx.memo.get("normal-source")
    if found is None:
        found = ctx.memo["normal-source"] = normalized(ctx.unit.source)
    return found  # type: ignore[return-value]


def shared_keys(translations: Iterable[tuple[str | None, str]]) -> set[str | None]:
    """The keys of (key, target language) pairs that are translated into two languages or more."""
    languages: dict[str | None, set[str]] = defaultdict(set)
    for key, lang in translations:
        languages[key].add(lang)
    return {key for key, found in languages.items() if len(found) >= 2}


def _loose(text: str) -> str:
    """Letters and digits only, case folded: sources that differ only in punctuation are one source."""
    return _NOT_ALNUM.sub("", normalized(text).casefold())


def _final(ctx: UnitContext) -> bool:
    return ctx.translated and ctx.unit.state in FINAL_STATES


def _where(ctx: UnitContext) -> str:
    unit = ctx.unit
    if unit.path and unit.line:
        return f" (as at {unit.path}:{unit.line})"
    return f" (as in {unit.key})" if unit.key else ""


def _short(text: str, size: int = 60) -> str:
    text = normalized(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def _majority(group: list[tuple[str, UnitContext]]) -> tuple[str, UnitContext]:
    """The most frequent variant (the earliest on a tie) and a unit that has it."""
    counts = Counter(variant for variant, _ in group)
    best = max(counts.values())
    return next((variant, ctx) for variant, ctx in group if counts[variant] == best)


@corpus_rule("inconsistent-translation", "warning")
def inconsistent_translation(units: list[UnitContext]) -> Iterator[Finding]:
    """One source translated differently in one language.

    Compared over final translations (not fuzzy drafts) of every file checked together; the
    most frequent translation is taken as the expected one and each other one is reported.
    """
    members: dict[tuple[str, str], list[UnitContext]] = defaultdict(list)
    for ctx in units:
        if _final(ctx):
            members[(ctx.lang("target"), normal_source(ctx))].append(ctx)
    for contexts in members.values():
        if len(contexts) < 2:
            continue
        group = [(normalized(ctx.text("target")), ctx) for ctx in contexts]
        if len({variant for variant, _ in group}) < 2:
            continue
        expected, model = _majority(group)
        for variant, ctx in group:
            if variant != expected:
                message = f"this source is translated as {_short(expected)!r} elsewhere{_where(model)}"
                yield ctx.finding(
                    "inconsistent-translation",
                    "warning",
                    "target",
                    0,
                    len(ctx.text("target")),
                    message,
                    expected=expected,
                )


@corpus_rule("inconsistent-source", "warning")
def inconsistent_source(units: list[UnitContext]) -> Iterator[Finding]:
    """One translation used for different sources in one language.

    Translations of one word are left out (a short word may answer several sources); sources that
    differ only in case, spacing or punctuation count as one.
    """
    members: dict[tuple[str, str], list[UnitContext]] = defaultdict(list)
    for ctx in units:
        if _final(ctx) and len(ctx.text("target").split(maxsplit=1)) >= 2:
            members[(ctx.lang("target"), normalized(ctx.text("target")))].append(ctx)
    for contexts in members.values():
        if len(contexts) < 2:
            continue
        group = [(_loose(ctx.unit.source), ctx) for ctx in contexts]
        if len({variant for variant, _ in group}) < 2:
            continue
        expected, model = _majority(group)
        for variant, ctx in group:
            if variant != expected:
                message = (
                    f"the same translation stands for another source elsewhere{_where(model)}: "
                    f"{_short(model.unit.source)!r}"
                )
                yield ctx.finding(
                    "inconsistent-source",
                    "warning",
                    "target",
                    0,
                    len(ctx.text("target")),
                    message,
                    expected=None,
                )


@corpus_rule("cross-language", "warning")
def cross_language(units: list[UnitContext]) -> Iterator[Finding]:
    """One entry gives a concept forms that the term base rejects in several languages at once.

    For each entry translated into several languages (the same key and source), a name spelled
    wrongly in two or more of them (often the source's spelling copied, then fixed in one
    language only) is reported in each: fix the entry in every language together.
    """
    shared = shared_keys((ctx.unit.key, ctx.lang("target")) for ctx in units if ctx.translated)
    entries: dict[tuple[str | None, str], list[UnitContext]] = defaultdict(list)
    for ctx in units:
        if ctx.translated and ctx.unit.key in shared:
            entries[(ctx.unit.key, normal_source(ctx))].append(ctx)
    for group in entries.values():
        if len({ctx.lang("target") for ctx in group}) < 2:
            continue
        right: dict[str, set[str]] = defaultdict(set)
        wrong: dict[str, list[tuple[UnitContext, Verdict]]] = defaultdict(list)
        for ctx in group:
            bad = {id(v.span): v for v in verdicts(ctx, "target") if v.rule in _SPELLING_RULES}
            for span in ctx.spans("target"):
                verdict = bad.get(id(span))
                if verdict is None:
                    right[span.concept].add(ctx.lang("target"))
                else:
                    wrong[span.concept].append((ctx, verdict))
        for concept, cases in wrong.items():
            languages = sorted({ctx.lang("target") for ctx, _ in cases})
            if len(languages) < 2:
                continue
            fixed = sorted(right.get(concept, set()) - set(languages))
            also = f", right in {', '.join(fixed)}" if fixed else ""
            for ctx, verdict in cases:
                span = verdict.span
                message = (
                    f"{span.surface!r}: this entry names {concept} wrongly in {', '.join(languages)} at once"
                    f"{also}; write {verdict.expected!r} here and fix the others too"
                )
                yield ctx.finding(
                    "cross-language",
                    "warning",
                    "target",
                    span.start,
                    span.end,
                    message,
                    expected=verdict.expected,
                    concept=concept,
                )
