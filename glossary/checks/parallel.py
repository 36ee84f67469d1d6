"""A large check in worker processes: slices of units checked apart, findings merged back in unit order."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from glossary.checks.context import Locator, UnitContext
from glossary.checks.model import CheckConfig, CheckUnit, Finding
from glossary.checks.recognition import SPAN_RULES
from glossary.checks.rules.consistency import normalized, shared_keys
from glossary.checks.rules.terms import Verdict, preset_verdicts, verdicts
from glossary.checks.run import CheckError, Plan, contexts_of, run_checks
from glossary.recognize.index import TermIndex
from glossary.recognize.spans import Span

# Fewer units than this are checked in one process (starting workers would cost more than it saves).
MIN_UNITS = 5_000
# Slices per worker: enough that a worker which finishes early takes another one.
SLICES_PER_JOB = 4
MAX_SLICE = 5_000

# What a worker carries back for the rules across units: a unit's target names and verdicts.
Carried = dict[int, tuple[list[Span], list[Verdict]]]
_Result = tuple[list[Finding], Carried, list[CheckError]]


@dataclass(frozen=True, slots=True)
class _Job:
    units: Sequence[CheckUnit]
    index: TermIndex
    config: CheckConfig
    locate: Locator | None
    carried: frozenset[int]  # units whose target names the rules across units read
    # Names of the texts a worker has recognised, over all its slices (each worker fills its own
    # copy): a source repeats in every language's catalogue.
    seen: dict[tuple[str, str], list[Span]]


_JOB: _Job | None = None  # set in the parent before the workers fork; they inherit it
_ONE_RUN = threading.Lock()  # one run with workers at a time in a process (they share _JOB)


def default_jobs() -> int:
    """The CPUs this process may run on."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can inherit the loaded recognizer (the fork start method exists here)."""
    import multiprocessing  # only for a run with workers (a twentieth of a second at start-up)

    return "fork" in multiprocessing.get_all_start_methods()


def _translated(unit: CheckUnit, languages: frozenset[str] | None) -> bool:
    if languages is not None and unit.target_lang is not None and unit.target_lang not in languages:
        return False
    return bool(unit.target and unit.target.strip() and unit.target_lang)


def cross_language_units(units: Sequence[CheckUnit], config: CheckConfig) -> frozenset[int]:
    """The units the cross-language rule compares: one key and source translated into two or more
    languages (their target names must travel back from the workers)."""
    translated = [number for number, unit in enumerate(units) if _translated(unit, config.languages)]
    shared = shared_keys((units[number].key, units[number].target_lang or "") for number in translated)
    groups: dict[tuple[str | None, str], list[int]] = defaultdict(list)
    languages: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for number in translated:
        unit = units[number]
        if unit.key in shared:
            key = (unit.key, normalized(unit.source))
            groups[key].append(number)
            languages[key].add(unit.target_lang or "")
    return frozenset(n for key, numbers in groups.items() if len(languages[key]) >= 2 for n in numbers)


def slices_of(units: Sequence[CheckUnit], size: int) -> list[tuple[int, int]]:
    """(start, stop) of consecutive slices of at most ``size`` units, none across two files (a
    worker that fails costs only the files of its slice)."""
    slices: list[tuple[int, int]] = []
    start = 0
    for number in range(1, len(units) + 1):
        if number == len(units) or number - start >= size or units[number].path != units[start].path:
            slices.append((start, number))
            start = number
    return slices


def _check_slice(start: int, stop: int) -> _Result:
    """In a worker: the unit rules' findings on ``units[start:stop]``, what the rules across units
    need of them, and the entries the rules failed on."""
    job = _JOB
    assert job is not None, "a check worker started without its job"
    plan = Plan(job.config)
    findings: list[Finding] = []
    carried: Carried = {}
    errors: list[CheckError] = []
    contexts = contexts_of(job.units[start:stop], job.index, job.config, job.locate, job.seen)
    for number, (ctx, found) in enumerate(plan.unit_findings(contexts, job.index, errors), start):
        findings.extend(found)
        if number in job.carried:
            carried[number] = (ctx.spans("target"), verdicts(ctx, "target"))
    return findings, carried, errors


def _failed_slice(units: Sequence[CheckUnit], start: int, stop: int, exc: BaseException) -> list[CheckError]:
    """An error for each file of a slice whose worker failed, at the slice's first entry in it."""
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    first: dict[str | None, CheckUnit] = {}
    counts: dict[str | None, int] = defaultdict(int)
    for unit in units[start:stop]:
        first.setdefault(unit.path, unit)
        counts[unit.path] += 1
    message = "{} entries from here on not checked: a check worker failed ({})"
    return [(message.format(counts[path], reason), path, unit.line) for path, unit in first.items()]


def _run_slices(
    slices: list[tuple[int, int]],
    jobs: int,
    results: dict[tuple[int, int], _Result],
    failures: dict[tuple[int, int], BaseException],
    meanwhile: Callable[[], None] | None = None,
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {where: pool.submit(_check_slice, *where) for where in slices}
        if meanwhile is not None:
            meanwhile()  # this process's own work, while the workers do theirs
        for where, future in futures.items():
            try:
                results[where] = future.result()
            except Exception as exc:  # a worker that died, or could not send its findings back
                failures[where] = exc


def check_in_workers(
    units: Sequence[CheckUnit],
    index: TermIndex,
    *,
    config: CheckConfig,
    locate: Locator | None,
    jobs: int,
    errors: list[CheckError],
    min_units: int = MIN_UNITS,
) -> list[Finding]:
    """The findings ``run_checks`` gives, in its order, from ``jobs`` worker processes (forked, so
    each inherits the loaded recognizer); a slice whose worker fails is reported in ``errors`` by
    file and line and the other slices are still checked. Runs under ``min_units`` stay in this
    process."""
    if jobs <= 1 or len(units) < max(min_units, 2) or not can_fork():
        return list(run_checks(units, index, config=config, locate=locate, errors=errors))
    from concurrent.futures.process import BrokenProcessPool

    global _JOB
    plan = Plan(config)
    corpus = {rule.id for rule in plan.corpus_rules}
    carried_units = cross_language_units(units, config) if "cross-language" in corpus else frozenset()
    size = max(1, min(MAX_SLICE, -(-len(units) // (jobs * SLICES_PER_JOB))))
    slices = slices_of(units, size)
    results: dict[tuple[int, int], _Result] = {}
    failures: dict[tuple[int, int], BaseException] = {}
    contexts: list[UnitContext] = []
    early: dict[str, list[Finding]] = {}

    def meanwhile() -> None:
        """The rules across units that read no names, run while the workers check the units."""
        contexts.extend(contexts_of(units, index, config, locate, {}))
        for rule in plan.corpus_rules:
            if rule.id not in SPAN_RULES:
                early[rule.id] = plan.rule_findings(rule, contexts)

    with _ONE_RUN:
        _JOB = _Job(units, index, config, locate, carried_units, {})
        try:
            own_work = meanwhile if plan.corpus_rules else None
            _run_slices(slices, min(jobs, len(slices)), results, failures, own_work)
            # A worker that died broke the pool and every slice still in it: each such slice is
            # tried again alone, so only the slice that kills its worker is lost.
            for where in [where for where, exc in failures.items() if isinstance(exc, BrokenProcessPool)]:
                del failures[where]
                _run_slices([where], 1, results, failures)
        finally:
            _JOB = None
    findings: list[Finding] = []
    carried: Carried = {}
    for where in slices:
        if where in failures:
            errors.extend(_failed_slice(units, *where, failures[where]))
            continue
        found, back, failed = results[where]
        findings.extend(found)
        carried.update(back)
        errors.extend(failed)
    if plan.corpus_rules:
        for number, (spans, judged) in carried.items():
            ctx = contexts[number]
            ctx.preset("target", spans)
            preset_verdicts(ctx, "target", judged)
        findings.extend(plan.corpus_findings(contexts, early))
    return findings
