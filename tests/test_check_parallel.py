"""``glossary check --jobs``: worker processes give the serial report byte for byte, and fail like it."""

from __future__ import annotations

import json
import os
import random
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from check_helpers import SEED, without_database

from glossary.checks import parallel
from glossary.checks.registry import RULES, all_rules
from glossary.cli import main

pytest_plugins = ["check_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "glossary" / "data" / "translations"
needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no fork start method on this platform")

# Entries every rule across entries reports on: one source translated two ways in German, one
# German translation for two sources, and a name spelt the English way in German and French alike.
EXTRA = {
    "de": [
        ("x1", "Tokayev met Putin in Almaty.", "Tokajew traf Putin in Almaty."),
        ("x2", "Tokayev met Putin in Almaty.", "Tokajew traf Putin in Alma-Ata."),
        ("x3", "Tokayev met Putin in Almaty.", "Tokajew traf Putin in Almaty."),
        ("x4", "The CSTO sent troops.", "Die OVKS schickte Truppen."),
        ("x5", "The CSTO sent soldiers.", "Die OVKS schickte Truppen."),
        ("x6", "The CSTO sent 2,000 soldiers!", "Die OVKS schickte Truppen."),
        ("x7", "Nazarbayev resigned in 2019.", "Nazarbayev trat 2019 zurück."),
    ],
    "fr": [("x7", "Nazarbayev resigned in 2019.", "Nazarbayev a démissionné en 2019.")],
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _catalogue(lang: str, entries: list[tuple[str, str, str, bool]]) -> str:
    header = ['"Content-Type: text/plain; charset=UTF-8\\n"', f'"Language: {lang}\\n"']
    lines = ['msgid ""', 'msgstr ""', *header, ""]
    for key, source, target, fuzzy in entries:
        if fuzzy:
            lines.append("#, fuzzy")
        lines += [f"msgctxt {_quote(key)}", f"msgid {_quote(source)}", f"msgstr {_quote(target)}", ""]
    return "\n".join(lines)


def bundled_catalogues(folder: Path) -> Path:
    """The bundled article's translations as one catalogue a language (a key per source, the same
    key in every language), with the entries of ``EXTRA``."""
    folder.mkdir(parents=True, exist_ok=True)
    keys: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob("*.toml")):
        lang = path.stem
        units = tomllib.loads(path.read_text(encoding="utf-8"))["unit"]
        entries = [
            (keys.setdefault(u["source"], f"a{len(keys) + 1}"), u["source"], u["target"], fuzzy)
            for u in units
            for fuzzy in [u["state"] == "fuzzy"]
        ]
        entries += [(key, source, target, False) for key, source, target in EXTRA.get(lang, [])]
        (folder / f"{lang}.po").write_text(_catalogue(lang, entries), encoding="utf-8")
    return folder


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workspace(tmp_path, monkeypatch, shared_cache):
    return without_database(monkeypatch, tmp_path)


@pytest.fixture
def slices(monkeypatch) -> list[int]:
    """The number of slices each pool of workers was given (stays empty when no worker ran)."""
    given: list[int] = []
    original = parallel._run_slices

    def counting(where, *rest):  # type: ignore[no-untyped-def]
        given.append(len(where))
        return original(where, *rest)

    monkeypatch.setattr(parallel, "_run_slices", counting)
    return given


@needs_fork
def test_workers_report_the_bundled_translations_as_one_process_does(workspace, capsys, slices):
    bundled_catalogues(workspace / "locales")
    serial = report(capsys, "locales", "--termbase", str(SEED), "--jobs", "1")
    assert slices == []
    both = report(capsys, "locales", "--termbase", str(SEED), "--jobs", "2")
    assert slices and slices[0] > 2  # the work was split between processes
    assert both == serial
    code, out, _ = serial
    assert code == 1
    rules = {finding["rule"] for finding in json.loads(out)["findings"]}
    assert {"cross-language", "inconsistent-translation", "inconsistent-source", "term-variant"} <= rules
    assert {"number-mismatch", "term-missing"} <= rules


@needs_fork
def test_workers_report_the_database_documents_as_one_process_does(
    seeded_db_url, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    serial = report(capsys, "--db", seeded_db_url, "--jobs", "1")
    both = report(capsys, "--db", seeded_db_url, "--jobs", "3")
    assert both == serial
    assert serial[0] == 1 and json.loads(serial[1])["findings"]


def _generated(folder: Path, concepts: int, entries: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_check import write_catalogues, write_termbase
        from recogdata import synthesize
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rng = random.Random(5)
    people = synthesize(concepts, rng)
    write_termbase(people, folder / "people.csv")
    write_catalogues(people, folder / "catalogues", entries, 4, rng)
    return folder / "people.csv"


@needs_fork
def test_workers_report_generated_catalogues_as_one_process_does(workspace, capsys, slices):
    termbase = _generated(workspace, 300, parallel.MIN_UNITS + 400)
    args = ("catalogues", "--termbase", str(termbase), "--fail-on", "never")
    serial = report(capsys, *args, "--jobs", "1")
    assert slices == []
    both = report(capsys, *args, "--jobs", "2")
    assert slices
    assert both == serial
    findings = json.loads(serial[1])["findings"]
    assert any(f["rule"] == "term-variant" for f in findings)  # the planted errors
    if parallel.default_jobs() > 1:  # a run this large uses the CPUs without being asked
        slices.clear()
        assert report(capsys, *args) == serial
        assert slices


def _failing(rule_id: str, key: str, failure):  # type: ignore[no-untyped-def]
    rule = all_rules()[rule_id]

    def function(ctx):  # type: ignore[no-untyped-def]
        if (ctx.unit.key or "").split("\x04")[0] == key:
            failure()
        return rule.function(ctx)

    return replace(rule, function=function)


def _raise() -> None:
    raise ValueError("planted failure")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_entry_a_rule_fails_on_is_named_and_the_others_are_checked(workspace, capsys, monkeypatch, jobs):
    bundled_catalogues(workspace / "locales")
    clean = json.loads(report(capsys, "locales", "--termbase", str(SEED))[1])["findings"]
    monkeypatch.setitem(RULES, "number-mismatch", _failing("number-mismatch", "x4", _raise))
    code, out, err = report(capsys, "locales", "--termbase", str(SEED), "--jobs", jobs)
    assert code == 2
    text = (workspace / "locales" / "de.po").read_text(encoding="utf-8").splitlines()
    line = text.index('msgctxt "x4"') + 2  # the entry's msgid line
    failure = "cannot check this entry: ValueError: planted failure"
    assert err.count("glossary: error:") == 1
    assert f"glossary: error: locales/de.po:{line}: {failure}" in err
    found = json.loads(out)["findings"]
    assert [f for f in found if f["key"] != "x4"] == [f for f in clean if f["key"] != "x4"]


@needs_fork
def test_a_worker_that_dies_costs_only_its_slice(workspace, capsys, monkeypatch):
    bundled_catalogues(workspace / "locales")
    clean = json.loads(report(capsys, "locales", "--termbase", str(SEED))[1])["findings"]
    monkeypatch.setitem(RULES, "number-mismatch", _failing("number-mismatch", "x4", lambda: os._exit(3)))
    code, out, err = report(capsys, "locales", "--termbase", str(SEED), "--jobs", "2")
    assert code == 2
    assert "locales/de.po:" in err and "not checked: a check worker failed" in err
    found = json.loads(out)["findings"]
    # Every other catalogue was checked in full.
    for lang in ("fr", "kk", "ru"):
        path = f"locales/{lang}.po"
        assert [f for f in found if f["path"] == path] == [f for f in clean if f["path"] == path]
        assert any(f["path"] == path for f in clean)
