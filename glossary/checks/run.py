"""Running the rules over units, then across units; applying suppressions, severities and fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import replace

from glossary.checks.context import Locator, UnitContext, concept_table
from glossary.checks.model import CheckConfig, CheckUnit, Finding
from glossary.checks.registry import rules_of
from glossary.checks.rules.consistency import normalized
from glossary.checks.suppress import silenced
from glossary.recognize.index import TermIndex
from glossary.recognize.spans import Span


def fingerprint(finding: Finding, unit: CheckUnit, occurrence: int) -> str:
    """A fingerprint that survives moving the entry: rule, side, language, key, source and surface,
    and which occurrence of that surface in the entry it is (never a line number)."""
    lang = unit.target_lang if finding.side == "target" else unit.source_lang
    parts = (finding.rule, finding.side, lang or "", unit.key or "", normalized(unit.source), finding.surface)
    digest = hashlib.sha256("\x1f".join((*parts, str(occurrence))).encode()).hexdigest()
    return digest[:20]


def _contexts(
    units: Iterable[CheckUnit], index: TermIndex, config: CheckConfig, locate: Locator | None
) -> Iterator[UnitContext]:
    table = concept_table(index)
    languages = config.languages
    seen: dict[tuple[str, str], list[Span]] = {}
    for unit in units:
        if languages is not None and unit.target_lang is not None and unit.target_lang not in languages:
            unit = replace(unit, target=None, target_lang=None)
        yield UnitContext(
            unit, index, table, locate=locate, check_sources=config.check_sources, seen_texts=seen
        )


class _Finisher:
    """Applies a unit's suppressions and the configured severities, and fingerprints each finding."""

    def __init__(self, config: CheckConfig) -> None:
        self.config = config

    def finish(self, ctx: UnitContext, findings: Iterable[Finding]) -> Iterator[Finding]:
        quiet = ctx.memo.get("silenced")
        if quiet is None:
            quiet = ctx.memo["silenced"] = silenced(ctx.unit.comments)
        seen = ctx.occurrences
        for finding in findings:
            if finding.rule in quiet or not self.config.runs(finding.rule):  # type: ignore[operator]
                continue
            key = (finding.rule, finding.side, finding.surface)
            seen[key] += 1
            severity = self.config.severity(finding.rule, finding.severity)
            yield replace(finding, severity=severity, fingerprint=fingerprint(finding, ctx.unit, seen[key]))


def run_checks(
    units: Iterable[CheckUnit],
    index: TermIndex,
    *,
    config: CheckConfig,
    locate: Locator | None = None,
) -> Iterator[Finding]:
    """Every enabled rule's findings: unit by unit as the units come, then the rules across units.

    ``locate`` maps offsets of a unit's texts to file positions where the file does not hold the
    text as is (a quoted, wrapped msgstr).
    """
    unit_rules = [rule for rule in rules_of("unit") if config.runs(rule.id)]
    corpus_rules = [rule for rule in rules_of("corpus") if config.runs(rule.id)]
    finisher = _Finisher(config)
    contexts: list[UnitContext] = []
    for ctx in _contexts(units, index, config, locate):
        for rule in unit_rules:
            yield from finisher.finish(ctx, rule.function(ctx))
        ctx.made.clear()
        if corpus_rules:
            contexts.append(ctx)
    for rule in corpus_rules:
        findings = list(rule.function(contexts))
        owners = {id(made): ctx for ctx in contexts for made in ctx.made}
        for finding in findings:
            yield from finisher.finish(owners[id(finding)], (finding,))
        for ctx in contexts:
            ctx.made.clear()
