"""Inline suppressions: ``glossary: ignore[rule, ...] -- reason`` in a unit's translator comments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from glossary.checks.context import UnitContext
from glossary.checks.model import Finding
from glossary.checks.registry import RULES, unit_rule

_SUPPRESSION = re.compile(r"glossary:\s*ignore\[([^\]]*)\](?:\s*(?:--|—|–)\s*(\S.*?))?\s*(?:-->)?\s*$")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``ignore`` comment: the rules it names and why (``None``: no reason given)."""

    rules: frozenset[str]
    reason: str | None
    comment: str


def suppressions(comments: Iterable[str]) -> Iterator[Suppression]:
    """The suppressions found in translator comments (one per comment line)."""
    for comment in comments:
        for line in comment.splitlines():
            match = _SUPPRESSION.search(line)
            if match is not None:
                rules = frozenset(name.strip() for name in match.group(1).split(",") if name.strip())
                yield Suppression(rules, match.group(2), line.strip())


def silenced(comments: Iterable[str]) -> frozenset[str]:
    """The rule ids that the unit's comments silence (only suppressions that give a reason count)."""
    found: set[str] = set()
    for suppression in suppressions(comments):
        if suppression.reason:
            found |= suppression.rules
    return frozenset(found)


@unit_rule("bad-suppression", "warning")
def bad_suppression(ctx: UnitContext) -> Iterator[Finding]:
    """An inline suppression that gives no reason or names no known rule.

    Write "glossary: ignore[term-variant] -- why" in the entry's translator comment (# in a .po
    file) or "<!-- glossary: ignore[term-variant] -- why -->" before a Markdown paragraph. A
    suppression without a reason silences nothing.
    """
    side = "target" if ctx.translated else "source"
    for suppression in suppressions(ctx.unit.comments):
        unknown = sorted(rule for rule in suppression.rules if rule not in RULES)
        if suppression.reason is None:
            message = f"suppression without a reason: {suppression.comment!r} (add ' -- why')"
        elif unknown or not suppression.rules:
            message = f"suppression names no known rule: {', '.join(unknown) or '(none)'}"
        else:
            continue
        finding = ctx.finding("bad-suppression", "warning", side, 0, 0, message)
        yield finding
