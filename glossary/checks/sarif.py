"""Findings as a SARIF 2.1.0 log: stable rule ids with help, relative URIs, line-free fingerprints."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from glossary import __version__
from glossary.checks.model import Finding
from glossary.checks.registry import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_name(rule_id: str) -> str:
    return "".join(part.title() for part in rule_id.split("-"))


def _descriptor(rule: Rule, severity: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": _rule_name(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help or rule.title},
        "help": {"text": rule.help or rule.title},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"fixable": rule.fixable},
    }


def _result(finding: Finding, rule_index: int, baseline_state: str | None) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if finding.line is not None:
        region["startLine"] = finding.line
        if finding.column is not None:
            region["startColumn"] = finding.column
            if finding.end_column is not None and finding.end_column > finding.column:
                region["endColumn"] = finding.end_column
    if finding.surface:
        region["snippet"] = {"text": finding.surface}
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "SRCROOT"}}
    if region:
        physical["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"glossaryFinding/v1": finding.fingerprint},
        "properties": {
            "side": finding.side,
            "key": finding.key,
            "surface": finding.surface,
            "expected": finding.expected,
            "concept": finding.concept,
        },
    }
    if baseline_state is not None:
        result["baselineState"] = baseline_state
    if finding.fix is not None and finding.line is not None and finding.column is not None:
        replaced = {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endColumn": finding.end_column or finding.column,
        }
        result["fixes"] = [
            {
                "description": {"text": f"write {finding.fix.replacement!r}"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "SRCROOT"},
                        "replacements": [
                            {"deletedRegion": replaced, "insertedContent": {"text": finding.fix.replacement}}
                        ],
                    }
                ],
            }
        ]
    return result


def _uri(path: str | None) -> str:
    """A relative URI reference (forward slashes, spaces and the like percent-encoded)."""
    from urllib.parse import quote

    return quote((path or "").replace("\\", "/"), safe="/")


def sarif_log(
    findings: Iterable[Finding],
    rules: Mapping[str, Rule],
    severities: Mapping[str, str],
    *,
    root_uri: str | None = None,
    notifications: Iterable[tuple[str, str | None, int | None]] = (),
    baseline_used: bool = False,
) -> dict[str, Any]:
    """The SARIF log as a dict: ``rules`` every registered rule, ``severities`` their configured
    levels, ``notifications`` the input errors as (message, path, line)."""
    ids = list(rules)
    order = {rule_id: number for number, rule_id in enumerate(ids)}
    descriptors = [
        _descriptor(rules[rule_id], severities.get(rule_id, rules[rule_id].severity)) for rule_id in ids
    ]
    results = [_result(f, order[f.rule], "new" if baseline_used else None) for f in findings]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    problems = []
    for message, path, line in notifications:
        note: dict[str, Any] = {"level": "error", "message": {"text": message}}
        if path is not None:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path), "uriBaseId": "SRCROOT"}}
            if line is not None:
                physical["region"] = {"startLine": line}
            note["locations"] = [{"physicalLocation": physical}]
        problems.append(note)
    if problems:
        invocation["toolExecutionNotifications"] = problems
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "glossary", "version": __version__, "rules": descriptors}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": root_uri}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def generate_sarif(
    findings: Iterable[Finding], rules: Mapping[str, Rule], severities: Mapping[str, str], **options: Any
) -> Iterator[str]:
    """The SARIF log as JSON text."""
    yield json.dumps(sarif_log(findings, rules, severities, **options), ensure_ascii=False, indent=2) + "\n"
