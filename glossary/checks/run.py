"""Running the rules over units, then across units; applying suppressions, severities and fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice

from glossary.checks.context import Locator, UnitContext, concept_table
from glossary.checks.model import CheckConfig, CheckUnit, Finding
from glossary.checks.recognition import BATCH, SPAN_RULES, recognize_batch
from glossary.checks.registry import Rule, rules_of
from glossary.checks.rules.consistency import normalized
from glossary.checks.suppress import silenced
from glossary.recognize.index import TermIndex
from glossary.recognize.spans import Span

# (message, path, line) of an entry the rules could not check.
CheckError = tuple[str, str | None, int | None]


def fingerprint(finding: Finding, unit: CheckUnit, occurrence: int) -> str:
    """A fingerprint that survives moving the entry: rule, side, language, key, source and surface,
    and which occurrence of that surface in the entry it is (never a line number)."""
    lang = unit.target_lang if finding.side == "target" else unit.source_lang
    parts = (finding.rule, finding.side, lang or "", unit.key or "", normalized(unit.source), finding.surface)
    digest = hashlib.sha256("\x1f".join((*parts, str(occurrence))).encode()).hexdigest()
    return digest[:20]


def contexts_of(
    units: Iterable[CheckUnit],
    index: TermIndex,
    config: CheckConfig,
    locate: Locator | None,
    seen: dict[tuple[str, str], list[Span]],
) -> Iterator[UnitContext]:
    """Each unit as the rules see it (a target language left out by the configuration is no target)."""
    table = concept_table(index)
    languages = config.languages
    for unit in units:
        if languages is not None and unit.target_lang is not None and unit.target_lang not in languages:
            unit = replace(unit, target=None, target_lang=None)
        yield UnitContext(
            unit, index, table, locate=locate, check_sources=config.check_sources, seen_texts=seen
        )


class Finisher:
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
            count = seen[key] = seen.get(key, 0) + 1
            severity = self.config.severity(finding.rule, finding.severity)
            yield replace(finding, severity=severity, fingerprint=fingerprint(finding, ctx.unit, count))


def _failure(ctx: UnitContext, exc: Exception) -> CheckError:
    unit = ctx.unit
    return f"cannot check this entry: {type(exc).__name__}: {exc}", unit.path, unit.line


class Plan:
    """The rules a run applies: over each unit, then across units."""

    def __init__(self, config: CheckConfig) -> None:
        self.config = config
        self.unit_rules: list[Rule] = [rule for rule in rules_of("unit") if config.runs(rule.id)]
        self.corpus_rules: list[Rule] = [rule for rule in rules_of("corpus") if config.runs(rule.id)]
        self.needs_spans = any(rule.id in SPAN_RULES for rule in (*self.unit_rules, *self.corpus_rules))
        self.finisher = Finisher(config)

    def unit_findings(
        self,
        contexts: Iterable[UnitContext],
        index: TermIndex,
        errors: list[CheckError] | None = None,
    ) -> Iterator[tuple[UnitContext, list[Finding]]]:
        """Each context with its unit rules' findings; names are recognised a batch of units at a
        time. With ``errors``, an entry a rule fails on is reported there and the others go on."""
        iterator = iter(contexts)
        while batch := list(islice(iterator, BATCH)):
            if self.needs_spans:
                recognize_batch(batch, batch[0].seen_texts if batch[0].seen_texts is not None else {}, index)
            for ctx in batch:
                try:
                    raw: list[Finding] = []
                    for rule in self.unit_rules:
                        raw.extend(rule.function(ctx))
                    found = list(self.finisher.finish(ctx, raw)) if raw else raw
                except Exception as exc:
                    if errors is None:
                        raise
                    errors.append(_failure(ctx, exc))
                    found = []
                ctx.made.clear()
                yield ctx, found

    def corpus_findings(
        self, contexts: list[UnitContext], done: dict[str, list[Finding]] | None = None
    ) -> Iterator[Finding]:
        """The findings of the rules that compare units, over every context of the run (``done``:
        the findings of some of these rules, found before)."""
        for rule in self.corpus_rules:
            if done is not None and rule.id in done:
                yield from done[rule.id]
            else:
                yield from self.rule_findings(rule, contexts)

    def rule_findings(self, rule: Rule, contexts: list[UnitContext]) -> list[Finding]:
        """The findings of one rule that compares units."""
        findings = list(rule.function(contexts))
        owners = {id(made): ctx for ctx in contexts for made in ctx.made}
        finish = self.finisher.finish
        finished = [done for finding in findings for done in finish(owners[id(finding)], (finding,))]
        for ctx in contexts:
            ctx.made.clear()
        return finished


def run_checks(
    units: Iterable[CheckUnit],
    index: TermIndex,
    *,
    config: CheckConfig,
    locate: Locator | None = None,
    errors: list[CheckError] | None = None,
) -> Iterator[Finding]:
    """Every enabled rule's findings: unit by unit as the units come, then the rules across units.

    ``locate`` maps offsets of a unit's texts to file positions where the file does not hold the
    text as is (a quoted, wrapped msgstr). With ``errors``, an entry a rule fails on is reported
    there (message, path, line) and the other entries are still checked.
    """
    plan = Plan(config)
    contexts: list[UnitContext] = []
    seen: dict[tuple[str, str], list[Span]] = {}
    for ctx, found in plan.unit_findings(contexts_of(units, index, config, locate, seen), index, errors):
        yield from found
        if plan.corpus_rules:
            contexts.append(ctx)
    yield from plan.corpus_findings(contexts)


def chunks(count: int, size: int) -> Sequence[tuple[int, int]]:
    """(start, stop) of consecutive slices of ``count`` items, ``size`` at most each."""
    return [(start, min(start + size, count)) for start in range(0, count, size)]
