"""``glossary check`` end to end: catalogues, texts, the database; baselines, fixes, formats, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from check_helpers import SEED, without_database

from glossary.cli import main

pytest_plugins = ["check_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "glossary" / "data" / "article.txt"
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"

CATALOGUE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

#: article.txt:1
msgctxt "a1"
msgid "President Tokayev met Putin."
msgstr "Präsident Tokayev traf Putin."

msgctxt "a2"
msgid "The CSTO sent 2,000 troops to Kazakhstan."
msgstr "Die OVKS schickte 2.000 Soldaten nach Kasachstan."

msgctxt "a3"
msgid "Nazarbayev led Kazakhstan for almost three decades, first as the head of the Soviet republic."
msgstr ""
"Nasarbajew führte Kasachstan fast drei Jahrzehnte lang, zuerst als Chef der "
"Sowjetrepublik; Tokayev folgte ihm."
"""


@pytest.fixture
def project(tmp_path, monkeypatch, shared_cache):
    """A repository with catalogues and no database: the check must not create one."""
    without_database(monkeypatch, tmp_path)
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.po").write_text(CATALOGUE, encoding="utf-8")
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_bundled_article_fails_on_its_own_misspellings_and_a_baseline_accepts_them(project, capsys):
    article = project / "article.txt"
    shutil.copy(ARTICLE, article)
    code, out, _ = run(capsys, "article.txt", "--lang", "en", "--termbase", str(SEED))
    assert code == 1
    assert re.search(r"^article\.txt:56:\d+: error\[term-forbidden\]: 'Nazarbyev'", out, re.MULTILINE)
    assert "Caucuses" in out and "McGregor" in out
    code, _, _ = run(
        capsys, "article.txt", "--lang", "en", "--termbase", str(SEED), "--write-baseline", "base.json"
    )
    assert code == 1 and (project / "base.json").exists()
    code, out, _ = run(
        capsys, "article.txt", "--lang", "en", "--termbase", str(SEED), "--baseline", "base.json"
    )
    assert code == 0, out
    assert "known" in out
    assert not (project / "never.db").exists()


def test_a_catalogue_baseline_survives_moves_and_catches_a_new_misspelling(project, capsys):
    args = ["locales", "--termbase", str(SEED)]
    code, out, _ = run(capsys, *args, "--write-baseline", "base.json")
    assert code == 1
    assert "locales/de.po:9:19: error[term-variant]: 'Tokayev'" in out
    # The wrapped msgstr: the name sits on the file's second line of that string.
    assert "locales/de.po:19:18: error[term-variant]" in out
    before = (project / "base.json").read_text(encoding="utf-8")
    assert run(capsys, *args, "--baseline", "base.json")[0] == 0

    # Moving entries around (and adding blank lines) changes line numbers, not fingerprints.
    entries = CATALOGUE.split("\n\n")
    moved = "\n\n".join([entries[0], entries[3], "", entries[2], entries[1]]) + "\n"
    (project / "locales" / "de.po").write_text(moved, encoding="utf-8")
    code, out, _ = run(capsys, *args, "--baseline", "base.json")
    assert code == 0, out

    # One new wrong spelling: exit 1, naming the file, line and column.
    broken = moved.replace("Die OVKS schickte", "Die OVKS und Massimov schickten")
    (project / "locales" / "de.po").write_text(broken, encoding="utf-8")
    code, out, _ = run(capsys, *args, "--baseline", "base.json")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "Massimov" in text)
    column = broken.splitlines()[line - 1].index("Massimov") + 1
    assert code == 1
    assert f"locales/de.po:{line}:{column}: error[term-variant]: 'Massimov'" in out
    assert out.count("error[") == 1
    # The baseline never grows unless asked to.
    assert (project / "base.json").read_text(encoding="utf-8") == before


def test_malformed_input_is_named_on_stderr_and_the_rest_is_still_checked(project, capsys):
    (project / "locales" / "kk.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: kk\\n"\n\nmsgid "Tokayev\nmsgstr "x"\n', encoding="utf-8"
    )
    (project / "notes.md").write_bytes(b"\xff\xfe broken")
    code, out, err = run(capsys, "locales", "notes.md", "--lang", "en", "--termbase", str(SEED))
    assert code == 2
    assert "locales/kk.po:5:" in err
    assert "notes.md:1:" in err
    assert "locales/de.po:9:19: error[term-variant]" in out


def test_fix_rewrites_in_place_keeping_layout_and_diff_only_shows(project, capsys):
    path = project / "locales" / "de.po"
    code, out, _ = run(capsys, "locales", "--termbase", str(SEED), "--diff")
    assert code == 1
    assert (
        '-msgstr "Präsident Tokayev traf Putin."' in out and '+msgstr "Präsident Tokajew traf Putin."' in out
    )
    assert path.read_text(encoding="utf-8") == CATALOGUE
    code, out, _ = run(capsys, "locales", "--termbase", str(SEED), "--fix")
    assert code == 0, out
    fixed = path.read_text(encoding="utf-8")
    assert fixed == _fixed(CATALOGUE)
    assert run(capsys, "locales", "--termbase", str(SEED))[0] == 0


def test_fix_keeps_a_russian_case_ending(project, capsys):
    (project / "locales" / "ru.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgid "Putin met Tokayev."\nmsgstr "Путин встретился с Тоқаевым."\n',
        encoding="utf-8",
    )
    code, _, _ = run(capsys, "locales/ru.po", "--termbase", str(SEED), "--fix")
    assert code == 0
    assert 'msgstr "Путин встретился с Токаевым."' in (project / "locales" / "ru.po").read_text(
        encoding="utf-8"
    )


def test_markdown_comment_suppresses_the_next_paragraph(project, capsys):
    (project / "notes.en.md").write_text(
        "# Notes\n\n<!-- glossary: ignore[term-forbidden] -- quoting the article -->\n"
        "The article writes Nazarbyev.\n\n"
        "```\nNazarbyev in code is not prose\n```\n\nBut Caucuses is wrong here.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "notes.en.md", "--termbase", str(SEED))
    assert code == 1
    assert "Nazarbyev" not in out
    assert "notes.en.md:10:5: error[term-forbidden]: 'Caucuses'" in out


def test_json_sarif_and_github_formats(project, capsys, monkeypatch):
    import jsonschema

    code, out, _ = run(capsys, "locales", "--termbase", str(SEED), "--format", "json")
    document = json.loads(out)
    assert code == 1
    first = document["findings"][0]
    assert {"rule", "severity", "path", "line", "column", "message", "surface", "expected", "concept"} <= set(
        first
    )
    assert document["summary"]["errors"] == 2 and document["summary"]["failed"] is True

    code, out, _ = run(capsys, "locales", "--termbase", str(SEED), "--format", "sarif")
    log = json.loads(out)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    sarif_run = log["runs"][0]
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    assert "term-variant" in rule_ids and all(
        rule["help"]["text"] for rule in sarif_run["tool"]["driver"]["rules"]
    )
    result = sarif_run["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "locales/de.po"
    assert result["partialFingerprints"]["glossaryFinding/v1"]

    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "locales", "--termbase", str(SEED), "--format", "github")
    command = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*,?)+)::(.*)$")
    lines = out.splitlines()
    assert lines and all(command.match(line) for line in lines)
    properties = dict(part.split("=", 1) for part in command.match(lines[0]).group(2).split(","))
    assert properties["file"] == "locales/de.po" and properties["line"] == "9" and properties["col"] == "19"
    assert "| `locales/de.po:9:19` | error | term-variant |" in summary.read_text(encoding="utf-8")


def _fixed(text: str) -> str:
    return text.replace("Tokayev traf", "Tokajew traf").replace("Tokayev folgte", "Tokajew folgte")


def test_settings_precedence_command_line_over_environment_over_file(project, capsys, monkeypatch):
    (project / "locales" / "de.po").write_text(_fixed(CATALOGUE), encoding="utf-8")
    (project / "glossary.toml").write_text(f'termbase = "{SEED}"\nfail-on = "warning"\n', encoding="utf-8")
    _code, out, _ = run(capsys, "locales", "--severity", "number-mismatch=warning")
    assert "0 errors" in out
    (project / "locales" / "de.po").write_text(_fixed(CATALOGUE).replace("2.000", "3.000"), encoding="utf-8")
    assert run(capsys, "locales")[0] == 1  # the file: a warning fails
    monkeypatch.setenv("GLOSSARY_FAIL_ON", "never")
    assert run(capsys, "locales")[0] == 0  # the environment over the file
    assert run(capsys, "locales", "--fail-on", "warning")[0] == 1  # the command line over both
    monkeypatch.setenv("GLOSSARY_CHECK_DISABLE", "number-mismatch")
    assert run(capsys, "locales", "--fail-on", "warning")[0] == 0


def test_usage_errors_exit_2(project, capsys):
    assert run(capsys, "locales", "--termbase", str(SEED), "--select", "no-such-rule")[0] == 2
    assert run(capsys, "locales", "--termbase", "missing.tbx")[0] == 2
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0 and "term-variant" in out and "cross-language" in out


def test_the_termbase_is_compiled_once_and_reused(project, capsys, shared_cache):
    from glossary.cli.check_termbase import load_termbase

    copy = project / "terms.toml"
    copy.write_bytes(SEED.read_bytes() + b"\n# touched\n")
    _, cached = load_termbase(copy)
    assert cached is False
    _, cached = load_termbase(copy)
    assert cached is True


def test_the_database_documents_are_checked_without_paths(seeded_db_url, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--db", seeded_db_url)
    assert code == 1
    assert re.search(r"^article/en:\d+:\d+: error\[term-forbidden\]: 'Nazarbyev'", out, re.MULTILINE)
    assert "article/ru:" in out and "article/de:" in out
    assert out.count("'Nazarbyev' is forbidden") == 1  # a source is reported once, not once per language


def test_the_process_ends_with_the_exit_code_and_the_whole_report(project):
    # The command ends its process without tearing the interpreter down (nothing_left_open):
    # the report on a pipe and in a file must still be whole, and the exit code the check's.
    command = [sys.executable, "-m", "glossary", "check", "locales", "--termbase", str(SEED)]
    command += ["--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert findings
    done = subprocess.run([*command, "-o", "report.json", "--fail-on", "never"], capture_output=True,
                          text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert json.loads((project / "report.json").read_text(encoding="utf-8"))["findings"] == findings
