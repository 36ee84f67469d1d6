"""Reports and baselines of ``glossary check``: formats, escaping, fingerprints that ignore line numbers."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from glossary.checks import report
from glossary.checks.baseline import generate_baseline, read_baseline, split
from glossary.checks.model import CheckUnit, Finding, check_units
from glossary.checks.registry import all_rules
from glossary.checks.sarif import sarif_log
from glossary.model.errors import ParseError

pytest_plugins = ["check_fixtures"]

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _finding(**changes: object) -> Finding:
    base = Finding(
        rule="term-variant",
        severity="error",
        message="'Tokayev' is deprecated; write 'Tokajew'",
        key="a1",
        side="target",
        path="locales/de.po",
        line=9,
        column=19,
        end_column=26,
        surface="Tokayev",
        expected="Tokajew",
        concept="tokayev",
        fingerprint="f1",
    )
    return replace(base, **changes)


def _unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_github_commands_escape_data_and_properties():
    finding = _finding(message="100% wrong:\nsecond line", path="dir,with:odd/de.po")
    (line,) = list(report.generate_github([finding]))
    match = re.fullmatch(r"::error (.*)::(.*)\n", line)
    assert match is not None
    properties = dict(part.split("=", 1) for part in match.group(1).split(","))
    assert _unescape(properties["file"]) == "dir,with:odd/de.po"
    assert (properties["line"], properties["col"], properties["endColumn"]) == ("9", "19", "26")
    assert _unescape(properties["title"]) == "glossary term-variant"
    assert "\n" not in match.group(2) and _unescape(match.group(2)) == "100% wrong:\nsecond line"
    (notice,) = list(report.generate_github([_finding(severity="info")]))
    assert notice.startswith("::notice ")


def test_text_is_compiler_style_with_colour_only_when_asked():
    summary = report.summarize([_finding()], files=1, units=3)
    plain = "".join(report.generate_text([_finding()], summary))
    assert (
        plain.splitlines()[0]
        == "locales/de.po:9:19: error[term-variant]: 'Tokayev' is deprecated; write 'Tokajew'"
    )
    assert "\033[" not in plain
    assert plain.splitlines()[-1] == "1 error, 0 warnings, 0 infos in 1 file (3 entries)"
    assert "\033[1;31m" in "".join(report.generate_text([_finding()], summary, colour=True))


def test_fail_levels():
    warning = _finding(severity="warning")
    assert report.fails([warning], "warning") and not report.fails([warning], "error")
    assert not report.fails([_finding()], "never")


def test_sarif_validates_and_keeps_rules_stable(seed_index):
    unit = CheckUnit(
        "a1",
        "Tokayev met Putin in 1,300 days.",
        "en",
        "Tokayev traf Putin in 1.200 Tagen.",
        "de",
        path="locales/de.po",
        line=9,
    )
    findings = list(check_units([unit], seed_index))
    log = sarif_log(
        findings,
        all_rules(),
        {},
        root_uri="file:///repo/",
        notifications=[("bad byte", "locales/kk.po", 3)],
        baseline_used=True,
    )
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert ids == sorted(all_rules())
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["baselineState"] == "new"
    fixed = next(r for r in run["results"] if r["ruleId"] == "term-variant")
    assert fixed["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "Tokajew"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"][
        "region"
    ] == {"startLine": 3}


def test_fingerprints_ignore_line_numbers_and_number_repeats(seed_index):
    def findings(line: int, target: str) -> list[Finding]:
        unit = CheckUnit("a1", "Tokayev met Tokayev.", "en", target, "de", path="de.po", line=line)
        return [f for f in check_units([unit], seed_index) if f.side == "target"]

    here = findings(9, "Tokayev traf Tokayev.")
    there = findings(90, "Tokayev traf Tokayev.")
    assert [f.fingerprint for f in here] == [f.fingerprint for f in there]
    assert len({f.fingerprint for f in here}) == 2  # the second occurrence is another finding


def test_a_baseline_counts_duplicates_and_names_what_is_gone():
    same = [_finding(), _finding(line=40)]
    baseline = read_baseline("".join(generate_baseline(same)), "base.json")
    assert baseline[("locales/de.po", "f1")] == 2
    assert split(same, baseline).new == []
    third = split([*same, _finding(line=80)], baseline)
    assert len(third.new) == 1 and third.known == 2
    gone = split([_finding()], baseline)
    assert gone.new == [] and gone.fixed == 1
    with pytest.raises(ParseError):
        read_baseline("{not json", "base.json")
