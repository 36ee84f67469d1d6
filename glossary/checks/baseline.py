"""Baselines: the findings a project has accepted, by fingerprint and count, so only new ones fail."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from glossary.checks.model import Finding
from glossary.model.errors import ParseError

VERSION = 1


def baseline_key(finding: Finding) -> tuple[str, str]:
    """What a baseline remembers of a finding: its file and its line-free fingerprint."""
    return (finding.path or "", finding.fingerprint)


def generate_baseline(findings: Iterable[Finding]) -> Iterator[str]:
    """The baseline file for ``findings`` as JSON text: one record per fingerprint with its count
    (the same finding in two identical entries counts twice), sorted so diffs stay small."""
    counts: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = baseline_key(finding)
        counts[key] += 1
        example.setdefault(key, finding)
    records = [
        {
            "path": path,
            "fingerprint": fingerprint,
            "count": counts[(path, fingerprint)],
            "rule": example[(path, fingerprint)].rule,
            "surface": example[(path, fingerprint)].surface,
        }
        for path, fingerprint in sorted(counts)
    ]
    document = {"version": VERSION, "tool": "glossary check", "findings": records}
    yield json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_baseline(text: str, path: str) -> Counter[tuple[str, str]]:
    """How many findings of each (file, fingerprint) a baseline file accepts."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(path, exc.lineno, f"not a baseline: {exc.msg}") from exc
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise ParseError(path, 1, f"not a glossary check baseline of version {VERSION}")
    counts: Counter[tuple[str, str]] = Counter()
    for record in document.get("findings", []):
        try:
            counts[(str(record["path"]), str(record["fingerprint"]))] += int(record.get("count", 1))
        except (KeyError, TypeError, ValueError) as exc:
            raise ParseError(
                path, None, f"a baseline record without path or fingerprint: {record!r}"
            ) from exc
    return counts


@dataclass(frozen=True, slots=True)
class Split:
    """Findings against a baseline: the new ones, how many it knew, and how many it knew that are gone."""

    new: list[Finding]
    known: int
    fixed: int


def split(findings: Iterable[Finding], baseline: Counter[tuple[str, str]]) -> Split:
    """Separate new findings from those the baseline accepts; a fingerprint found more often than the
    baseline counts it is new each extra time."""
    remaining = Counter(baseline)
    new: list[Finding] = []
    known = 0
    for finding in findings:
        key = baseline_key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(finding)
    return Split(new, known, sum(count for count in remaining.values() if count > 0))
