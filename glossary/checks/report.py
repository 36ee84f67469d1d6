"""Findings as text (compiler style), JSON, GitHub workflow commands and a Markdown step summary."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from glossary.checks.model import SEVERITIES, Finding

_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the closing line and the JSON summary."""

    counts: Mapping[str, int]
    files: int
    units: int
    known: int = 0  # findings the baseline accepted (not shown)
    fixed: int = 0  # baseline entries no longer found
    input_errors: int = 0
    fail_on: str = "error"
    failed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "errors": self.counts.get("error", 0),
            "warnings": self.counts.get("warning", 0),
            "infos": self.counts.get("info", 0),
            "files": self.files,
            "units": self.units,
            "baseline": {"known": self.known, "fixed": self.fixed},
            "input_errors": self.input_errors,
            "fail_on": self.fail_on,
            "failed": self.failed,
        }


def summarize(findings: Iterable[Finding], **fields: Any) -> Summary:
    """A summary of ``findings`` with the other counts given as keywords."""
    return Summary(counts=Counter(finding.severity for finding in findings), **fields)


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """Whether any finding is at or above the ``fail_on`` level (``never`` never fails)."""
    if fail_on not in SEVERITIES:
        return False
    floor = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(finding.severity) >= floor for finding in findings)


def location(finding: Finding) -> str:
    """``path:line:col`` as far as it is known."""
    parts = [finding.path or "<database>"]
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return ":".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    """One closing line: counts, the baseline's share and input errors."""
    parts = [_plural(summary.counts.get(level, 0), level) for level in ("error", "warning", "info")]
    line = f"{', '.join(parts)} in {_plural(summary.files, 'file')} ({_plural(summary.units, 'entry')})"
    line = line.replace("entrys", "entries")
    if summary.known or summary.fixed:
        line += f"; baseline: {summary.known} known, {summary.fixed} no longer found"
    if summary.input_errors:
        line += f"; {_plural(summary.input_errors, 'input error')}"
    return line


def generate_text(findings: Iterable[Finding], summary: Summary, *, colour: bool = False) -> Iterator[str]:
    """Compiler-style lines: ``path:line:col: error[term-variant]: message``, then the summary."""
    for finding in findings:
        level = f"{finding.severity}[{finding.rule}]"
        where = location(finding)
        if colour:
            level = f"{_COLOURS[finding.severity]}{level}{_RESET}"
            where = f"{_BOLD}{where}{_RESET}"
        yield f"{where}: {level}: {finding.message}\n"
    closing = summary_line(summary)
    yield (f"{_DIM}{closing}{_RESET}\n" if colour else f"{closing}\n")


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as ``--format json`` spells it."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_column": finding.end_column,
        "message": finding.message,
        "surface": finding.surface,
        "expected": finding.expected,
        "concept": finding.concept,
        "key": finding.key,
        "side": finding.side,
        "fingerprint": finding.fingerprint,
    }


def generate_json(findings: Iterable[Finding], summary: Summary) -> Iterator[str]:
    """``{"findings": [...], "summary": {...}}``."""
    document = {"findings": [finding_json(f) for f in findings], "summary": summary.as_dict()}
    yield json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def generate_github(findings: Iterable[Finding]) -> Iterator[str]:
    """GitHub Actions workflow commands, one annotation per finding."""
    for finding in findings:
        properties = [f"file={_escape_property(finding.path or '')}"]
        if finding.line is not None:
            properties.append(f"line={finding.line}")
            if finding.column is not None:
                properties.append(f"col={finding.column}")
            if finding.end_column is not None and finding.end_column > (finding.column or 0):
                properties.append(f"endColumn={finding.end_column}")
        properties.append(f"title={_escape_property(f'glossary {finding.rule}')}")
        yield f"::{_GITHUB_LEVEL[finding.severity]} {','.join(properties)}::{_escape_data(finding.message)}\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def generate_step_summary(findings: Iterable[Finding], summary: Summary) -> Iterator[str]:
    """A Markdown table of every finding for ``$GITHUB_STEP_SUMMARY`` (the runner shows only a few
    annotations per step)."""
    yield "## glossary check\n\n"
    yield f"{summary_line(summary)}\n\n"
    rows = list(findings)
    if not rows:
        return
    yield "| Location | Level | Rule | Found | Expected | Message |\n|---|---|---|---|---|---|\n"
    for finding in rows:
        yield (
            f"| `{_cell(location(finding))}` | {finding.severity} | {finding.rule} "
            f"| {_cell(finding.surface)} | {_cell(finding.expected)} | {_cell(finding.message)} |\n"
        )
